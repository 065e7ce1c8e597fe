#include "imeval/validate.h"

#include "imeval/interrupt.h"
#include "imeval/metrics.h"
#include "imeval/model.h"
#include "imeval/pipeline.h"
#include "imeval/results.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

namespace imeval {
namespace {

using Clock = std::chrono::steady_clock;

int cores() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string format_duration(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw std::runtime_error(fmt::format("--device {}: this LibTorch build has no CUDA or no GPU is visible", name));
    return torch::Device(name);
  }
  throw std::runtime_error(fmt::format("--device '{}' is not cpu, cuda or cuda:N", name));
}

void check_options(const ValidateOptions& opt) {
  if (opt.batch_size < 1) throw std::runtime_error(fmt::format("--batch-size must be >= 1, got {}", opt.batch_size));
  if (opt.workers < 0) throw std::runtime_error(fmt::format("--workers must be >= 0, got {}", opt.workers));
  if (opt.threads < 0) throw std::runtime_error(fmt::format("--threads must be >= 0, got {}", opt.threads));
  if (opt.limit < 0) throw std::runtime_error(fmt::format("--limit must be >= 0, got {}", opt.limit));
}

class PredictionsCsv {
 public:
  void add(const std::string& path, int target, const TopKPrediction& p) {
    std::vector<std::string> fields{path, std::to_string(target)};
    for (int j = 0; j < 5; ++j) fields.push_back(j < static_cast<int>(p.classes.size()) ? std::to_string(p.classes[j]) : "");
    for (int j = 0; j < 5; ++j)
      fields.push_back(j < static_cast<int>(p.probabilities.size()) ? fmt::format("{:.6f}", p.probabilities[j]) : "");
    text_ += csv_line(fields) + "\r\n";
  }
  void write(const std::filesystem::path& file) const {
    write_file_atomic(file, "path,target,pred1,pred2,pred3,pred4,pred5,prob1,prob2,prob3,prob4,prob5\r\n" + text_);
  }

 private:
  std::string text_;
};

// timm's RealLabelsImagenet: an image is right at k when any of its top-k is among its ReaL labels.
class RealLabelsMeter {
 public:
  void add(const TopKPrediction& p, const std::vector<int>& labels) {
    if (labels.empty()) return;
    ++count_;
    if (!p.finite) return;
    auto is_real = [&](int c) { return std::find(labels.begin(), labels.end(), c) != labels.end(); };
    size_t top = std::min<size_t>(5, p.classes.size());
    if (top > 0 && is_real(p.classes[0])) ++correct1_;
    if (std::any_of(p.classes.begin(), p.classes.begin() + top, is_real)) ++correct5_;
  }
  std::int64_t count() const { return count_; }
  std::int64_t correct1() const { return correct1_; }
  std::int64_t correct5() const { return correct5_; }
  // float(np.mean(is_correct)) * 100.
  double top1() const { return count_ ? static_cast<double>(correct1_) / count_ * 100.0 : 0.0; }
  double top5() const { return count_ ? static_cast<double>(correct5_) / count_ * 100.0 : 0.0; }

 private:
  std::int64_t count_ = 0, correct1_ = 0, correct5_ = 0;
};

class ProgressLine {
 public:
  ProgressLine(std::int64_t total_images, std::int64_t total_batches, bool enabled, int every)
      : total_images_(total_images), total_batches_(total_batches), enabled_(enabled && every > 0), every_(every) {}

  void update(std::int64_t batch_index, std::int64_t done, double top1, double top5) {
    const bool last = batch_index + 1 == total_batches_;
    if (!enabled_ || ((batch_index + 1) % every_ != 0 && !last)) return;
    double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = done / std::max(elapsed, 1e-9);
    fmt::print(stderr, "[{:>{}}/{}] {:>{}}/{} images  {:.1f} img/s  ETA {}  Acc@1 {:.3f}  Acc@5 {:.3f}\n", batch_index + 1,
               std::to_string(total_batches_).size(), total_batches_, done, std::to_string(total_images_).size(),
               total_images_, rate, format_duration((total_images_ - done) / std::max(rate, 1e-9)), top1, top5);
  }

 private:
  Clock::time_point start_ = Clock::now();
  std::int64_t total_images_, total_batches_;
  bool enabled_;
  int every_;
};

}  // namespace

std::string summary_line(const ValidateResult& r) {
  // timm prints the values it rounded to 4 digits for the results row, so round twice as it does.
  std::string line = fmt::format(" * Acc@1 {:.3f} ({:.3f}) Acc@5 {:.3f} ({:.3f})  model {}  images {}  {:.1f} img/s",
                                 python_round(r.top1, 4), python_round(100.0 - r.top1, 4), python_round(r.top5, 4),
                                 python_round(100.0 - r.top5, 4), r.model_name, r.images, r.images_per_second);
  if (r.real_labels) line += "  (ReaL labels)";
  if (!r.skipped.empty()) line += fmt::format("  skipped {} unreadable", r.skipped.size());
  if (r.non_finite > 0) line += fmt::format("  non-finite logits {}", r.non_finite);
  return line;
}

std::string summary_json(const ValidateResult& r, const ValidateOptions& opt) {
  nlohmann::json j;
  j["model"] = r.model_name;
  j["model_file"] = opt.model_path.string();
  j["data"] = opt.dataset.data.string();
  j["dataset"] = opt.dataset.preset;
  j["images"] = r.images;
  j["correct_top1"] = r.correct1;
  j["correct_top5"] = r.correct5;
  j["top1"] = r.top1;
  j["top5"] = r.top5;
  j["real_labels"] = r.real_labels;
  j["non_finite_logits"] = r.non_finite;
  j["num_classes"] = r.num_classes;
  j["param_count"] = r.param_count;
  j["img_size"] = {r.spec.img_height, r.spec.img_width};
  j["crop_pct"] = r.spec.crop_pct;
  j["crop_mode"] = to_string(r.spec.crop_mode);
  j["interpolation"] = to_string(r.spec.interpolation);
  j["mean"] = r.spec.mean;
  j["std"] = r.spec.std;
  j["resize_backend"] = to_string(r.spec.resize_backend);
  j["seconds"] = r.seconds;
  j["images_per_second"] = r.images_per_second;
  j["skipped_count"] = r.skipped.size();
  j["skipped"] = nlohmann::json::array();
  for (const auto& s : r.skipped) j["skipped"].push_back({{"path", s.path}, {"reason", s.reason}});
  return j.dump(2) + "\n";
}

ValidateResult run_validation(const ValidateOptions& opt) {
  check_options(opt);
  // Output files that could not be written are reported now, not after hours of evaluation.
  if (!opt.results_file.empty()) {
    check_output_file(opt.results_file, "--results-file");
    ResultsTable::read(opt.results_file);
  }
  if (!opt.predictions_file.empty()) check_output_file(opt.predictions_file, "--predictions-file");
  if (!opt.summary_json.empty()) check_output_file(opt.summary_json, "--summary-json");
  const torch::Device device = parse_device(opt.device);
  if (opt.schedule != "auto" && opt.schedule != "workers" && opt.schedule != "main")
    throw std::runtime_error(fmt::format("--schedule '{}' is not auto, workers or main", opt.schedule));
  const bool infer_in_workers = opt.schedule == "workers" || (opt.schedule == "auto" && device.is_cpu());
  const int workers = opt.workers > 0 ? opt.workers : cores();
  const int threads = opt.threads > 0 ? opt.threads : (infer_in_workers ? 1 : cores());
  at::set_num_threads(threads);

  // Check the data before the model: a wrong folder is the cheaper mistake to report.
  Dataset dataset = resolve_dataset(opt.dataset);
  std::vector<Sample> samples = std::move(dataset.samples);
  std::vector<std::vector<int>> real_labels = std::move(dataset.real_labels);
  if (opt.limit > 0 && static_cast<std::size_t>(opt.limit) < samples.size()) {
    samples.resize(opt.limit);
    if (!real_labels.empty()) real_labels.resize(opt.limit);
  }
  int max_target = 0;
  for (const auto& s : samples) max_target = std::max(max_target, s.target);

  if (opt.optimize_for_inference)
    spdlog::warn("--optimize-for-inference changes predictions and, with some models, the accuracy: do not publish "
                 "these numbers");
  // The transform needs only the config, so the workers start decoding while the module loads and warms up.
  PretrainedConfig config = read_model_config(opt.model_path);
  ValidateResult result;
  result.model_name = opt.model_name.empty() ? opt.model_path.stem().string() : opt.model_name;
  result.spec = resolve_eval_transform(config, opt.overrides);
  result.num_classes = static_cast<int>(dataset.classes.size());
  result.real_labels = !real_labels.empty();
  const EvalTransformSpec& spec = result.spec;

  torch::Tensor valid_index;
  if (!dataset.valid_labels.empty())
    valid_index = torch::tensor(std::vector<int64_t>(dataset.valid_labels.begin(), dataset.valid_labels.end()), torch::kLong);

  // On the CPU each worker decodes a chunk of Model::kCpuForwardChunk images or a few more (the samples are
  // split evenly, so no short chunk is padded) and runs the model on it: an image's logits do not depend on its
  // neighbours (see Model::forward), and small units of work keep every core busy up to the last image.
  // Accuracy is still averaged over groups of --batch-size images, as timm does.
  PipelineOptions pipeline_options;
  pipeline_options.batch_size = infer_in_workers ? static_cast<int>(Model::kCpuForwardChunk) : opt.batch_size;
  pipeline_options.even_split = infer_in_workers;
  pipeline_options.workers = workers;
  pipeline_options.max_ready_batches = 2 * workers;
  pipeline_options.pin_memory = device.is_cuda();
  std::optional<Model> model;
  // Set once the model is loaded and warmed up, or holds the exception that stopped it.
  std::promise<void> model_loaded;
  std::shared_future<void> model_ready = model_loaded.get_future().share();
  // Which rows of a batch reach the model: all readable images, or none when one is unreadable
  // and the run is about to stop on it.
  auto readable_rows = [&](const Batch& b) {
    std::vector<int64_t> rows;
    for (std::size_t i = 0; i < b.errors.size(); ++i)
      if (b.errors[i].empty()) rows.push_back(static_cast<int64_t>(i));
    return rows;
  };
  auto forward_rows = [&](const Batch& b, const std::vector<int64_t>& rows) {
    if (rows.size() == b.errors.size()) return model->forward(b.images);
    return model->forward(b.images.index_select(0, torch::tensor(rows, torch::kLong)));
  };
  BatchHook infer_in_worker;
  if (infer_in_workers) {
    infer_in_worker = [&](Batch& b) {
      // Thread-local in OpenMP: each worker's forward uses `threads` threads.
      thread_local bool threads_set = false;
      if (!threads_set) {
        at::set_num_threads(threads);
        threads_set = true;
      }
      std::vector<int64_t> rows = readable_rows(b);
      if (rows.empty() || (rows.size() != b.errors.size() && !opt.skip_bad_images)) return;
      model_ready.get();
      b.logits = forward_rows(b, rows);
    };
  }
  // Images/s counts from here: the model's loading and warm-up overlap the first decodes and are included.
  const auto total_images = static_cast<std::int64_t>(samples.size());
  const std::int64_t num_batches = (total_images + opt.batch_size - 1) / opt.batch_size;
  ProgressLine progress(total_images, num_batches, !opt.quiet, opt.log_freq);
  const auto start = Clock::now();
  BatchPipeline pipeline(samples, spec, pipeline_options, infer_in_worker);
  try {
    model.emplace(Model::load(opt.model_path, device,
                              opt.optimize_for_inference ? ModelOptimization::optimize_for_inference
                              : opt.freeze               ? ModelOptimization::freeze
                                                         : ModelOptimization::none,
                              std::move(config)));
    result.param_count = model->param_count();
    spdlog::info("model '{}' ({:.2f}M params) on '{}': {} images, {} classes; {}x{} crop_pct {} {} {} resize ({}), "
                 "mean ({}) std ({}); {} decode worker{}, {} torch thread{} per forward, inference in {}, device {}",
                 result.model_name, result.param_count / 1e6, opt.dataset.data.string(), samples.size(),
                 dataset.classes.size(), spec.img_height, spec.img_width, spec.crop_pct, to_string(spec.crop_mode),
                 to_string(spec.interpolation), to_string(spec.resize_backend), fmt::join(spec.mean, ", "),
                 fmt::join(spec.std, ", "), workers, workers == 1 ? "" : "s", threads, threads == 1 ? "" : "s",
                 infer_in_workers ? "the workers" : "the main thread", opt.device);
    // With the forward's own thread count: warming up on all cores cost resnet50 200 MB more peak memory.
    if (opt.warmup) model->forward(torch::zeros({std::min<int64_t>(opt.batch_size, 8), 3, spec.img_height, spec.img_width}));
    model_loaded.set_value();
  } catch (...) {
    // Workers waiting for the model stop with the same error; the pipeline's destructor joins them.
    model_loaded.set_exception(std::current_exception());
    throw;
  }

  AccuracyMeter meter;
  RealLabelsMeter real_meter;
  PredictionsCsv predictions;
  // The scored images of the current group of --batch-size samples.
  std::vector<TopKPrediction> batch_top;
  std::vector<int> batch_targets;
  while (auto chunk = pipeline.next()) {
    if (interrupt_requested()) throw Interrupted();
    // Rows of unreadable images are dropped before the model sees the chunk.
    const std::vector<int64_t> keep = readable_rows(*chunk);
    for (std::size_t i = 0; i < chunk->errors.size(); ++i) {
      if (chunk->errors[i].empty()) continue;
      if (!opt.skip_bad_images) throw std::runtime_error(chunk->errors[i] + " (use --skip-bad-images to skip and count such files)");
      const Sample& s = samples[chunk->first_sample + i];
      spdlog::warn("skipping an unreadable image: {}", chunk->errors[i]);
      result.skipped.push_back({s.relative_path, chunk->errors[i]});
    }
    std::vector<TopKPrediction> top;
    if (!keep.empty()) {
      torch::Tensor logits = chunk->logits.defined() ? chunk->logits : forward_rows(*chunk, keep);
      if (interrupt_requested()) throw Interrupted();
      const int64_t outputs = logits.size(1);
      if (valid_index.defined()) {
        int64_t max_valid = *std::max_element(dataset.valid_labels.begin(), dataset.valid_labels.end());
        if (outputs <= max_valid)
          throw std::runtime_error(fmt::format("model '{}' outputs {} classes but the valid labels include class {}",
                                               opt.model_path.string(), outputs, max_valid));
        logits = logits.index_select(1, valid_index);
      } else if (outputs <= max_target) {
        throw std::runtime_error(fmt::format("model '{}' outputs {} classes but the dataset has labels up to {} ({} classes)",
                                             opt.model_path.string(), outputs, max_target, result.num_classes));
      }
      top = top_k(logits, 5);
    }
    std::size_t next_kept = 0;
    for (std::size_t i = 0; i < chunk->errors.size(); ++i) {
      const std::int64_t sample_index = chunk->first_sample + static_cast<std::int64_t>(i);
      if (chunk->errors[i].empty()) {
        TopKPrediction& p = top[next_kept++];
        const Sample& s = samples[sample_index];
        if (result.real_labels) real_meter.add(p, real_labels[sample_index]);
        if (!opt.predictions_file.empty()) predictions.add(s.relative_path, s.target, p);
        batch_top.push_back(std::move(p));
        batch_targets.push_back(s.target);
      }
      if ((sample_index + 1) % opt.batch_size == 0 || sample_index + 1 == total_images) {
        meter.update(batch_top, batch_targets);
        batch_top.clear();
        batch_targets.clear();
        progress.update(sample_index / opt.batch_size, meter.count() + static_cast<std::int64_t>(result.skipped.size()),
                        meter.top1(), meter.top5());
      }
    }
  }
  if (interrupt_requested()) throw Interrupted();
  if (meter.count() == 0) throw std::runtime_error(fmt::format("no image of '{}' could be read", opt.dataset.data.string()));

  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.images = meter.count();
  result.non_finite = meter.non_finite();
  result.top1 = meter.top1();
  result.top5 = meter.top5();
  result.correct1 = meter.correct1();
  result.correct5 = meter.correct5();
  if (result.real_labels) {
    result.images = real_meter.count();
    result.top1 = real_meter.top1();
    result.top5 = real_meter.top5();
    result.correct1 = real_meter.correct1();
    result.correct5 = real_meter.correct5();
  }
  result.images_per_second = (meter.count() + result.skipped.size()) / std::max(result.seconds, 1e-9);
  if (result.non_finite > 0)
    spdlog::warn("model '{}' gave NaN or infinite logits for {} of {} images; they count as wrong", result.model_name,
                 result.non_finite, meter.count());
  if (!result.skipped.empty())
    spdlog::warn("skipped {} unreadable image(s); accuracy is over the {} images that were read", result.skipped.size(),
                 meter.count());

  CriticalSection no_abrupt_exit;
  try {
    if (!opt.predictions_file.empty()) predictions.write(opt.predictions_file);
    if (!opt.summary_json.empty()) write_file_atomic(opt.summary_json, summary_json(result, opt));
    if (!opt.results_file.empty()) {
      ResultRow row;
      row.model = result.model_name;
      row.top1 = result.top1;
      row.top5 = result.top5;
      row.param_count_millions = result.param_count / 1e6;
      row.img_size = spec.img_width;
      row.crop_pct = spec.crop_pct;
      row.interpolation = to_string(spec.interpolation);
      row.skipped_images = static_cast<std::int64_t>(result.skipped.size());
      upsert_result_row(opt.results_file, row);
    }
  } catch (const std::exception& e) {
    // The numbers of a long run are not lost with the file that could not be written.
    const std::string summary = summary_line(result);
    throw std::runtime_error(fmt::format("{}; the run's result was: {}", e.what(), summary.substr(summary.find_first_not_of(" *"))));
  }
  return result;
}

}  // namespace imeval
