// One model on one dataset, end to end: what `imeval validate` runs.
//
//   imeval::ValidateOptions opt;
//   opt.model_path = "m.pt"; opt.data_dir = "val";
//   imeval::ValidateResult r = imeval::run_validation(opt);   // r.top1, r.top5, r.images_per_second
#pragma once

#include "imeval/dataset.h"
#include "imeval/model_config.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imeval {

struct ValidateOptions {
  std::filesystem::path model_path;
  DatasetOptions dataset;
  std::filesystem::path results_file;      // optional: upsert this model's row
  std::filesystem::path predictions_file;  // optional: one row per image
  std::filesystem::path summary_json;      // optional: machine-readable summary of the run
  bool skip_bad_images = false;            // count and list unreadable images instead of stopping
  std::string model_name;                  // default: file stem of model_path
  std::string device = "cpu";
  int batch_size = 64;
  int workers = 0;  // decode threads; 0 = number of cores
  int threads = 0;  // LibTorch intra-op threads per forward pass; 0 = 1 with schedule workers, else cores
  // workers: each decode worker also runs the model on its own batch (data parallel; the CPU default);
  // main: decode workers feed one inference thread (the CUDA default); auto: by device.
  std::string schedule = "auto";
  bool freeze = true;                   // torch::jit::freeze (bit-identical logits)
  bool optimize_for_inference = false;  // also torch::jit::optimize_for_inference (faster, not bit-identical)
  bool warmup = true;    // one untimed forward pass before the run
  std::int64_t limit = 0;  // evaluate only the first N images; 0 = all
  int log_freq = 10;       // progress line every N batches
  bool quiet = false;
  TransformOverrides overrides;
};

struct SkippedImage {
  std::string path;
  std::string reason;
};

struct ValidateResult {
  std::string model_name;
  std::int64_t images = 0;  // images scored: the denominator of top1/top5
  std::int64_t correct1 = 0;
  std::int64_t correct5 = 0;
  std::int64_t non_finite = 0;
  std::vector<SkippedImage> skipped;
  bool real_labels = false;  // top1/top5 are ReaL accuracies over images that have ReaL labels
  int num_classes = 0;
  double top1 = 0;
  double top5 = 0;
  double seconds = 0;
  double images_per_second = 0;
  std::int64_t param_count = 0;
  EvalTransformSpec spec;
};

// Throws with a one-line message naming the file, flag or value on any failure; writes no results row then.
ValidateResult run_validation(const ValidateOptions& options);

// The one-line stdout summary.
std::string summary_line(const ValidateResult& result);

// The --summary-json document.
std::string summary_json(const ValidateResult& result, const ValidateOptions& options);

}  // namespace imeval
