#include "imeval/bench.h"

#include "imeval/decode.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

namespace imeval {

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

DataPathTiming measure_decode_only(const std::vector<Sample>& samples, int workers) {
  DataPathTiming timing;
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < workers; ++t)
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < samples.size(); i = next++) {
        try {
          decode_rgb(read_sample_bytes(samples[i]), samples[i].relative_path);
        } catch (const ImageDecodeError&) {  // counted like the others, as in measure_data_path
        }
      }
    });
  for (auto& t : threads) t.join();
  timing.images = static_cast<std::int64_t>(samples.size());
  timing.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.cpu_seconds = process_cpu_seconds() - cpu_start;
  return timing;
}

DataPathTiming measure_data_path(const std::vector<Sample>& samples, const EvalTransformSpec& spec,
                                 const PipelineOptions& options) {
  DataPathTiming timing;
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  BatchPipeline pipeline(samples, spec, options);
  while (auto batch = pipeline.next()) timing.images += batch->images.size(0);
  timing.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.cpu_seconds = process_cpu_seconds() - cpu_start;
  return timing;
}

InferenceTiming measure_inference(Model& model, const EvalTransformSpec& spec, int batch_size, int threads, int iterations) {
  at::set_num_threads(threads);
  torch::manual_seed(0);
  torch::Tensor batch = torch::randn({batch_size, 3, spec.img_height, spec.img_width});
  model.forward(batch);
  InferenceTiming timing;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) model.forward(batch);
  timing.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  timing.images = static_cast<std::int64_t>(batch_size) * iterations;
  return timing;
}

}  // namespace imeval
