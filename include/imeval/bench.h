// Timings for `imeval bench`: the data path alone and inference alone.
//
//   auto data = imeval::measure_data_path(samples, spec, {64, 2, 4});   // decode + preprocess + batch
//   auto infer = imeval::measure_inference(model, spec, 64, 1, 3);       // synthetic batches, 1 thread
//   double limit = 2 / (data.cpu_seconds_per_image + infer.seconds_per_image);
#pragma once

#include "imeval/dataset.h"
#include "imeval/model.h"
#include "imeval/pipeline.h"
#include "imeval/transforms.h"

#include <cstdint>
#include <vector>

namespace imeval {

struct DataPathTiming {
  std::int64_t images = 0;
  double wall_seconds = 0;
  double cpu_seconds = 0;  // process CPU time, all threads
  double images_per_second() const { return images / wall_seconds; }
  double cpu_seconds_per_image() const { return cpu_seconds / images; }
};

// Reads and decodes every image with `workers` threads, nothing else: the ceiling of the data path.
DataPathTiming measure_decode_only(const std::vector<Sample>& samples, int workers);

// Runs the pipeline without a model; unreadable images are counted like the others.
DataPathTiming measure_data_path(const std::vector<Sample>& samples, const EvalTransformSpec& spec,
                                 const PipelineOptions& options);

struct InferenceTiming {
  std::int64_t images = 0;
  double wall_seconds = 0;
  double images_per_second() const { return images / wall_seconds; }
  double seconds_per_image() const { return wall_seconds / images; }
};

// One untimed warm-up pass, then `iterations` forward passes of a random batch with `threads` intra-op threads.
InferenceTiming measure_inference(Model& model, const EvalTransformSpec& spec, int batch_size, int threads, int iterations);

double process_cpu_seconds();

}  // namespace imeval
