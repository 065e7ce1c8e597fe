#include "bench_command.h"

#include "imeval/bench.h"
#include "imeval/dataset.h"
#include "imeval/model.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

void add_bench_command(CLI::App& app, BenchFlags& f) {
  f.command = app.add_subcommand("bench", "Time the data path alone and inference alone (one table on stdout)");
  f.command->add_option("--model", f.model, "TorchScript model (its config sets the transform)")->required();
  f.command->add_option("--data", f.data, "Image folder for the data-path timing (optional)");
  f.command->add_option("--class-map", f.class_map, "Class map for --data");
  f.command->add_option("--batch-size,-b", f.batch_size, "Images per batch")->capture_default_str();
  f.command->add_option("--workers,-j", f.workers, "Decode threads (0 = number of cores)")->capture_default_str();
  f.command->add_option("--iterations", f.iterations, "Timed forward passes per setting")->capture_default_str();
  f.command->add_option("--limit", f.limit, "Only the first N images (0 = all)")->capture_default_str();
  f.command->add_option("--resize-backend", f.resize_backend, "pil or opencv")
      ->check(CLI::IsMember({"pil", "opencv"}))
      ->capture_default_str();
}

int run_bench_command(const BenchFlags& f) {
  const int cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers = f.workers > 0 ? f.workers : cores;
  imeval::Model model = imeval::Model::load(f.model, torch::kCPU);
  imeval::TransformOverrides overrides;
  overrides.resize_backend = imeval::parse_resize_backend(f.resize_backend);
  imeval::EvalTransformSpec spec = imeval::resolve_eval_transform(model.config(), overrides);

  fmt::print("| measurement | images | img/s | per image |\n|---|---|---|---|\n");
  double d = 0;
  if (!f.data.empty()) {
    std::vector<std::string> class_map;
    if (!f.class_map.empty()) class_map = imeval::read_class_map(f.class_map);
    std::vector<imeval::Sample> samples = imeval::discover_image_folder(f.data, class_map).samples;
    if (f.limit > 0 && static_cast<std::size_t>(f.limit) < samples.size()) samples.resize(f.limit);
    auto one = imeval::measure_data_path(samples, spec, {f.batch_size, 1, 2});
    d = one.cpu_seconds_per_image();
    fmt::print("| data path, 1 worker | {} | {:.1f} | {:.3f} ms CPU (d) |\n", one.images, one.images_per_second(), 1e3 * d);
    auto decode = imeval::measure_decode_only(samples, workers);
    fmt::print("| decode only, {} workers | {} | {:.1f} | {:.3f} ms CPU |\n", workers, decode.images, decode.images_per_second(),
               1e3 * decode.cpu_seconds_per_image());
    auto all = imeval::measure_data_path(samples, spec, {f.batch_size, workers, 2 * workers});
    fmt::print("| data path, {} workers | {} | {:.1f} | {:.3f} ms CPU |\n", workers, all.images, all.images_per_second(),
               1e3 * all.cpu_seconds_per_image());
  }
  auto i1 = imeval::measure_inference(model, spec, f.batch_size, 1, f.iterations);
  fmt::print("| inference, 1 thread, batch {} | {} | {:.1f} | {:.3f} ms (i1) |\n", f.batch_size, i1.images,
             i1.images_per_second(), 1e3 * i1.seconds_per_image());
  auto in = imeval::measure_inference(model, spec, f.batch_size, cores, f.iterations);
  fmt::print("| inference, {} threads, batch {} | {} | {:.1f} | {:.3f} ms |\n", cores, f.batch_size, in.images,
             in.images_per_second(), 1e3 * in.seconds_per_image());
  if (d > 0)
    fmt::print("| limit {} / (d + i1) | | {:.1f} | |\n", cores, cores / (d + i1.seconds_per_image()));
  return 0;
}
