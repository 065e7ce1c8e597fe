#include "imeval/validate.h"

#include "imeval/dataset.h"
#include "imeval/metrics.h"
#include "imeval/model.h"
#include "imeval/pipeline.h"
#include "imeval/results.h"

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

}  // namespace

std::string summary_line(const ValidateResult& r) {
  // timm prints the values it rounded to 4 digits for the results row, so round twice as it does.
  return fmt::format(" * Acc@1 {:.3f} ({:.3f}) Acc@5 {:.3f} ({:.3f})  model {}  images {}  {:.1f} img/s",
                     python_round(r.top1, 4), python_round(100.0 - r.top1, 4), python_round(r.top5, 4),
                     python_round(100.0 - r.top5, 4), r.model_name, r.images, r.images_per_second);
}

ValidateResult run_validation(const ValidateOptions& opt) {
  if (opt.batch_size < 1) throw std::runtime_error(fmt::format("--batch-size must be >= 1, got {}", opt.batch_size));
  if (opt.workers < 0) throw std::runtime_error(fmt::format("--workers must be >= 0, got {}", opt.workers));
  if (opt.threads < 0) throw std::runtime_error(fmt::format("--threads must be >= 0, got {}", opt.threads));
  if (opt.limit < 0) throw std::runtime_error(fmt::format("--limit must be >= 0, got {}", opt.limit));
  const int workers = opt.workers > 0 ? opt.workers : cores();
  const int threads = opt.threads > 0 ? opt.threads : cores();
  at::set_num_threads(threads);
  const torch::Device device = parse_device(opt.device);

  // Check the data before the model: a wrong folder is the cheaper mistake to report.
  std::vector<std::string> class_map;
  if (!opt.class_map.empty()) class_map = read_class_map(opt.class_map);
  Dataset dataset = discover_image_folder(opt.data_dir, class_map);
  std::vector<Sample> samples = dataset.samples;
  if (opt.limit > 0 && static_cast<std::size_t>(opt.limit) < samples.size()) samples.resize(opt.limit);

  Model model = Model::load(opt.model_path, device);
  ValidateResult result;
  result.model_name = opt.model_name.empty() ? opt.model_path.stem().string() : opt.model_name;
  result.spec = resolve_eval_transform(model.config(), opt.overrides);
  result.param_count = model.param_count();
  result.num_classes = static_cast<int>(dataset.classes.size());
  const EvalTransformSpec& spec = result.spec;
  spdlog::info("model '{}' ({:.2f}M params) on '{}': {} images, {} classes; {}x{} crop_pct {} {} {} resize, mean ({}) std ({}); "
               "{} decode workers, {} torch threads, device {}",
               result.model_name, result.param_count / 1e6, opt.data_dir.string(), samples.size(), dataset.classes.size(),
               spec.img_height, spec.img_width, spec.crop_pct, to_string(spec.crop_mode), to_string(spec.interpolation),
               fmt::join(spec.mean, ", "), fmt::join(spec.std, ", "), workers, threads, opt.device);

  PipelineOptions pipeline_options;
  pipeline_options.batch_size = opt.batch_size;
  pipeline_options.workers = workers;
  pipeline_options.max_ready_batches = 2 * workers;
  pipeline_options.pin_memory = device.is_cuda();
  BatchPipeline pipeline(samples, spec, pipeline_options);

  AccuracyMeter meter;
  PredictionsCsv predictions;
  const auto start = Clock::now();
  const std::int64_t total = static_cast<std::int64_t>(samples.size());
  while (auto batch = pipeline.next()) {
    for (std::size_t i = 0; i < batch->errors.size(); ++i)
      if (!batch->errors[i].empty()) throw std::runtime_error(batch->errors[i]);
    torch::Tensor logits = model.forward(batch->images);
    const std::int64_t n = batch->images.size(0);
    if (logits.size(1) < result.num_classes)
      throw std::runtime_error(fmt::format("model '{}' outputs {} classes but the dataset has {} classes",
                                           opt.model_path.string(), logits.size(1), result.num_classes));
    std::vector<TopKPrediction> top = top_k(logits, 5);
    std::vector<int> targets(n);
    for (std::int64_t i = 0; i < n; ++i) targets[i] = samples[batch->first_sample + i].target;
    meter.update(top, targets);
    if (!opt.predictions_file.empty())
      for (std::int64_t i = 0; i < n; ++i)
        predictions.add(samples[batch->first_sample + i].relative_path, targets[i], top[i]);

    const bool last = batch->index + 1 == pipeline.num_batches();
    if (!opt.quiet && opt.log_freq > 0 && ((batch->index + 1) % opt.log_freq == 0 || last)) {
      double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      double rate = meter.count() / std::max(elapsed, 1e-9);
      fmt::print(stderr, "[{:>{}}/{}] {:>{}}/{} images  {:.1f} img/s  ETA {}  Acc@1 {:.3f}  Acc@5 {:.3f}\n",
                 batch->index + 1, std::to_string(pipeline.num_batches()).size(), pipeline.num_batches(), meter.count(),
                 std::to_string(total).size(), total, rate, format_duration((total - meter.count()) / std::max(rate, 1e-9)),
                 meter.top1(), meter.top5());
    }
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.images = meter.count();
  result.non_finite = meter.non_finite();
  result.top1 = meter.top1();
  result.top5 = meter.top5();
  result.images_per_second = result.images / std::max(result.seconds, 1e-9);
  if (result.non_finite > 0)
    spdlog::warn("model '{}' gave NaN or infinite logits for {} of {} images; they count as wrong", result.model_name,
                 result.non_finite, result.images);

  if (!opt.predictions_file.empty()) predictions.write(opt.predictions_file);
  if (!opt.results_file.empty()) {
    ResultRow row;
    row.model = result.model_name;
    row.top1 = result.top1;
    row.top5 = result.top5;
    row.param_count_millions = result.param_count / 1e6;
    row.img_size = spec.img_width;
    row.crop_pct = spec.crop_pct;
    row.interpolation = to_string(spec.interpolation);
    upsert_result_row(opt.results_file, row);
  }
  return result;
}

}  // namespace imeval
