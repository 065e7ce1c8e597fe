// A TorchScript classifier: load, inspect, run.
//
//   imeval::Model model = imeval::Model::load("resnet50.pt", torch::kCPU);
//   torch::Tensor logits = model.forward(batch);   // [N, num_classes], float32, on the CPU
//
// The module is put in eval mode and run under c10::InferenceMode. Its data
// config comes from the TorchScript extra file config.json, then a sidecar
// <model>.json or config.json beside it.
#pragma once

#include "imeval/model_config.h"

#include <torch/script.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace imeval {

class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class ModelOptimization {
  none,
  // torch::jit::freeze: inlines weights and attributes; logits stay bit-identical on the reference models.
  freeze,
  // freeze + torch::jit::optimize_for_inference: faster on the CPU (oneDNN convolutions) but changes the
  // logits, wrongly for some models in LibTorch 1.13, so opt-in.
  optimize_for_inference,
};

// The data config of a TorchScript file without loading its module: the extra file config.json merged with
// the sidecars, so that decoding can start while the module loads. Throws ModelError naming the file when
// it is missing or not a TorchScript archive.
PretrainedConfig read_model_config(const std::filesystem::path& path);

class Model {
 public:
  // Throws ModelError naming the file when it is missing or not a TorchScript archive.
  static Model load(const std::filesystem::path& path, torch::Device device,
                    ModelOptimization optimization = ModelOptimization::freeze);
  // The same with the data config already read by read_model_config.
  static Model load(const std::filesystem::path& path, torch::Device device, ModelOptimization optimization,
                    PretrainedConfig config);

  // LibTorch 1.13 runs some CPU convolutions with its own kernels instead of oneDNN when a batch holds
  // fewer than 16 images, which changes the last bits of the logits. On the CPU, forward therefore
  // runs chunks of 16 to 31 images (a shorter batch is zero-padded to 16): an image's logits do not
  // depend on the batch size, and activation memory stays small.
  static constexpr std::int64_t kCpuForwardChunk = 16;

  // batch: [N, 3, H, W] float32 on any device. Returns [N, C] float32 logits on the CPU.
  // Throws ModelError naming the model when forward fails or the output is not a [N, C] tensor.
  torch::Tensor forward(const torch::Tensor& batch);

  const std::filesystem::path& path() const { return path_; }
  torch::Device device() const { return device_; }
  std::int64_t param_count() const { return param_count_; }
  ModelOptimization optimization() const { return optimization_; }
  // Embedded config merged with sidecars; fields absent everywhere are unset.
  const PretrainedConfig& config() const { return config_; }

 private:
  // Runs the module on input; error messages name the shape of as_given, the caller's batch.
  torch::Tensor forward_once(const torch::Tensor& input, const torch::Tensor& as_given);

  Model(std::filesystem::path path, torch::Device device) : path_(std::move(path)), device_(device) {}

  std::filesystem::path path_;
  torch::Device device_;
  torch::jit::Module module_;
  std::int64_t param_count_ = 0;
  ModelOptimization optimization_ = ModelOptimization::none;
  PretrainedConfig config_;
};

}  // namespace imeval
