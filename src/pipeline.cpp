#include "imeval/pipeline.h"

#include "imeval/decode.h"
#include "imeval/interrupt.h"

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>

namespace imeval {

BatchPipeline::BatchPipeline(const std::vector<Sample>& samples, EvalTransformSpec spec, PipelineOptions options, BatchHook hook)
    : samples_(samples), spec_(spec), options_(options), hook_(std::move(hook)) {
  if (options_.batch_size < 1) throw std::invalid_argument(fmt::format("batch size must be >= 1, got {}", options_.batch_size));
  if (options_.workers < 1) throw std::invalid_argument(fmt::format("workers must be >= 1, got {}", options_.workers));
  options_.max_ready_batches = std::max(options_.max_ready_batches, options_.workers);
  // Parallelism comes from the workers; OpenCV's own threads would oversubscribe the cores. Set once, before
  // any worker runs: cv::setNumThreads rebuilds OpenCV's global TBB arena and crashes when threads race on it.
  static std::once_flag opencv_threads_set;
  std::call_once(opencv_threads_set, [] { cv::setNumThreads(1); });
  const auto n = static_cast<std::int64_t>(samples_.size());
  num_batches_ = options_.even_split ? std::max<std::int64_t>(n / options_.batch_size, n > 0 ? 1 : 0)
                                     : (n + options_.batch_size - 1) / options_.batch_size;
  threads_.reserve(options_.workers);
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

BatchPipeline::~BatchPipeline() { stop(); }

void BatchPipeline::stop() {
  stopping_ = true;
  space_cv_.notify_all();
  ready_cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::optional<Batch> BatchPipeline::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (stopping_ || next_to_deliver_ >= num_batches_) return std::nullopt;
  // Polls so that a signal, which cannot notify a condition variable, is noticed within 50 ms.
  while (!ready_cv_.wait_for(lock, std::chrono::milliseconds(50),
                             [&] { return stopping_ || failure_ || ready_.count(next_to_deliver_) > 0; })) {
    if (interrupt_requested()) return std::nullopt;
  }
  if (stopping_) return std::nullopt;
  if (ready_.count(next_to_deliver_) == 0) {
    if (failure_) std::rethrow_exception(failure_);
    return std::nullopt;
  }
  auto node = ready_.extract(next_to_deliver_);
  ++next_to_deliver_;
  lock.unlock();
  space_cv_.notify_all();
  return std::move(node.mapped());
}

void BatchPipeline::worker_loop() {
  while (true) {
    std::int64_t index;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      space_cv_.wait(lock, [&] {
        return stopping_ || failure_ || next_to_claim_ >= num_batches_ ||
               next_to_claim_ < next_to_deliver_ + options_.max_ready_batches;
      });
      if (stopping_ || failure_ || next_to_claim_ >= num_batches_) return;
      index = next_to_claim_++;
    }
    try {
      Batch batch = build_batch(index);
      if (hook_ && !stopping_ && !interrupt_requested()) hook_(batch);
      std::lock_guard<std::mutex> lock(mutex_);
      ready_.emplace(index, std::move(batch));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
    }
    ready_cv_.notify_all();
  }
}

std::int64_t BatchPipeline::batch_begin(std::int64_t index) const {
  const auto n = static_cast<std::int64_t>(samples_.size());
  if (index >= num_batches_) return n;
  if (!options_.even_split) return index * options_.batch_size;
  // The first n % num_batches_ batches hold one image more than the others.
  const std::int64_t size = n / num_batches_, larger = n % num_batches_;
  return index * size + std::min(index, larger);
}

Batch BatchPipeline::build_batch(std::int64_t index) {
  Batch batch;
  batch.index = index;
  batch.first_sample = batch_begin(index);
  const std::int64_t end = batch_begin(index + 1);
  const std::int64_t n = end - batch.first_sample;
  auto tensor_options = torch::TensorOptions().dtype(torch::kFloat).pinned_memory(options_.pin_memory);
  batch.images = torch::empty({n, 3, spec_.img_height, spec_.img_width}, tensor_options);
  batch.errors.assign(n, std::string());
  const std::int64_t image_floats = 3LL * spec_.img_height * spec_.img_width;
  float* data = batch.images.data_ptr<float>();
  for (std::int64_t i = 0; i < n; ++i) {
    if (stopping_ || interrupt_requested()) break;
    float* out = data + i * image_floats;
    const Sample& sample = samples_[batch.first_sample + i];
    try {
      cv::Mat rgb = decode_rgb(read_sample_bytes(sample), sample.path().string());
      normalize_to_chw(apply_eval_geometry(rgb, spec_), spec_, out);
    } catch (const ImageDecodeError& e) {
      batch.errors[i] = e.what();
      std::fill(out, out + image_floats, 0.0f);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("cannot preprocess image '{}': {}", sample.path().string(), e.what()));
    }
  }
  return batch;
}

}  // namespace imeval
