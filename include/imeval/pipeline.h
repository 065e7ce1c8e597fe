// Parallel decode + preprocess into ready batches, delivered in dataset order.
//
//   imeval::BatchPipeline pipeline(dataset.samples, spec, {64, 2, 4});
//   while (auto batch = pipeline.next()) model.forward(batch->images);
//
// Each worker claims a whole batch, decodes its images straight into the
// batch tensor and hands it over; at most `max_ready_batches` are in flight,
// so memory stays bounded whatever the dataset size. Batch contents do not
// depend on the number of workers.
#pragma once

#include "imeval/dataset.h"
#include "imeval/transforms.h"

#include <torch/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace imeval {

struct PipelineOptions {
  int batch_size = 64;
  int workers = 2;
  int max_ready_batches = 4;  // batches decoded or decoding ahead of the consumer
  bool pin_memory = false;    // page-locked host tensors for asynchronous copies to CUDA
  // batch_size becomes the smallest batch: the samples are split into n / batch_size batches whose sizes
  // differ by at most one, so no short last batch costs a whole one (Model pads short CPU chunks).
  bool even_split = false;
};

struct Batch;
// Runs in the worker right after a batch is decoded (e.g. the model's forward pass),
// so decoding and inference of different batches proceed in parallel on all cores.
using BatchHook = std::function<void(Batch&)>;

struct Batch {
  std::int64_t index = 0;
  std::int64_t first_sample = 0;  // index into the sample list
  torch::Tensor images;           // [n, 3, H, W] float32, normalised
  std::vector<std::string> errors;  // per image; non-empty when it could not be read (its rows are zeros)
  torch::Tensor logits;             // set by a BatchHook that runs the model in the worker
};

class BatchPipeline {
 public:
  // samples must outlive the pipeline: it is read, not copied, so that a 50,000-image list is held once.
  BatchPipeline(const std::vector<Sample>& samples, EvalTransformSpec spec, PipelineOptions options, BatchHook hook = {});
  ~BatchPipeline();
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // The next batch in order, or nullopt at the end or after stop(). Rethrows a worker's exception.
  std::optional<Batch> next();
  // Asks workers to finish their current image and exit; joins them.
  void stop();

  std::int64_t num_batches() const { return num_batches_; }

 private:
  void worker_loop();
  Batch build_batch(std::int64_t index);
  std::int64_t batch_begin(std::int64_t index) const;

  const std::vector<Sample>& samples_;
  EvalTransformSpec spec_;
  PipelineOptions options_;
  BatchHook hook_;
  std::int64_t num_batches_ = 0;

  std::mutex mutex_;
  std::condition_variable ready_cv_;   // consumer waits for the next batch
  std::condition_variable space_cv_;   // workers wait for room
  std::int64_t next_to_claim_ = 0;
  std::int64_t next_to_deliver_ = 0;
  std::map<std::int64_t, Batch> ready_;
  std::exception_ptr failure_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace imeval
