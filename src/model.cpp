#include "imeval/model.h"

#include <caffe2/serialize/inline_container.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace imeval {
namespace fs = std::filesystem;
namespace {

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// TorchScript errors open with "The following operation failed in the TorchScript interpreter." and a
// traceback; the cause ("RuntimeError: shape ... is invalid ...") is their last line.
std::string script_error_cause(const std::string& text) {
  std::string trimmed = text.substr(0, text.find_last_not_of(" \n") + 1);
  std::string last = trimmed.substr(trimmed.find_last_of('\n') + 1);
  return first_line(last.empty() ? text : last);
}

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(fmt::format("cannot read model config '{}'", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check_model_path(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ModelError(fmt::format("model file '{}' does not exist", path.string()));
  if (fs::is_directory(path, ec)) throw ModelError(fmt::format("model path '{}' is a folder, expected a TorchScript file", path.string()));
}

ModelError not_torchscript(const fs::path& path, const std::exception& e) {
  return ModelError(fmt::format("cannot load model '{}': not a TorchScript archive saved with torch.jit.save ({})",
                                path.string(), first_line(e.what())));
}

}  // namespace

PretrainedConfig read_model_config(const fs::path& path) {
  check_model_path(path);
  std::string embedded;
  try {
    caffe2::serialize::PyTorchStreamReader reader(path.string());
    // torch.jit.save stores extra files as records named extra/<name>.
    if (reader.hasRecord("extra/config.json")) {
      auto [data, size] = reader.getRecord("extra/config.json");
      embedded.assign(static_cast<const char*>(data.get()), size);
    }
  } catch (const std::exception& e) {
    throw not_torchscript(path, e);
  }
  PretrainedConfig config;
  if (!embedded.empty()) config.merge_from(parse_pretrained_config(embedded, path.string() + ":config.json"));
  std::error_code ec;
  for (const fs::path& sidecar : {path.parent_path() / "config.json", fs::path(path).replace_extension(".json")}) {
    if (fs::is_regular_file(sidecar, ec)) {
      spdlog::info("reading model config '{}'", sidecar.string());
      config.merge_from(parse_pretrained_config(read_text_file(sidecar), sidecar.string()));
    }
  }
  return config;
}

Model Model::load(const fs::path& path, torch::Device device, ModelOptimization optimization, PretrainedConfig config) {
  check_model_path(path);
  Model model(path, device);
  try {
    model.module_ = torch::jit::load(path.string(), device);
  } catch (const std::exception& e) {
    throw not_torchscript(path, e);
  }
  model.module_.eval();

  // Counted before freezing, which turns parameters into constants.
  for (const auto& p : model.module_.parameters(/*recurse=*/true)) model.param_count_ += p.numel();
  if (optimization != ModelOptimization::none) {
    try {
      model.module_ = optimization == ModelOptimization::optimize_for_inference && device.is_cpu()
                          ? torch::jit::optimize_for_inference(model.module_)
                          : torch::jit::freeze(model.module_);
      model.optimization_ = optimization;
    } catch (const std::exception& e) {
      spdlog::warn("cannot optimize model '{}' for inference, running it as saved: {}", path.string(), first_line(e.what()));
      model.module_.eval();
    }
  }
  model.config_ = std::move(config);
  return model;
}

Model Model::load(const fs::path& path, torch::Device device, ModelOptimization optimization) {
  PretrainedConfig config = read_model_config(path);
  return load(path, device, optimization, std::move(config));
}

torch::Tensor Model::forward(const torch::Tensor& batch) {
  if (!device_.is_cpu() || batch.dim() == 0) return forward_once(batch, batch);
  const std::int64_t n = batch.size(0);
  if (n < kCpuForwardChunk) {
    std::vector<std::int64_t> padded_shape = batch.sizes().vec();
    padded_shape[0] = kCpuForwardChunk - n;
    return forward_once(torch::cat({batch, torch::zeros(padded_shape, batch.options())}), batch).narrow(0, 0, n);
  }
  if (n < 2 * kCpuForwardChunk) return forward_once(batch, batch);
  std::vector<torch::Tensor> parts;
  for (std::int64_t start = 0; start < n;) {
    // The remainder joins the last chunk, so every chunk holds 16 to 31 images.
    const std::int64_t size = n - start < 2 * kCpuForwardChunk ? n - start : kCpuForwardChunk;
    parts.push_back(forward_once(batch.narrow(0, start, size), batch));
    start += size;
  }
  return torch::cat(parts);
}

torch::Tensor Model::forward_once(const torch::Tensor& input, const torch::Tensor& as_given) {
  c10::InferenceMode guard;
  torch::jit::IValue output;
  try {
    output = module_.forward({input.to(device_, /*non_blocking=*/true)});
  } catch (const std::exception& e) {
    throw ModelError(fmt::format("model '{}' failed on an input of shape {}: {}", path_.string(),
                                 fmt::join(as_given.sizes().vec(), "x"), script_error_cause(e.what())));
  }
  if (output.isTuple() && !output.toTupleRef().elements().empty()) output = output.toTupleRef().elements()[0];
  if (!output.isTensor())
    throw ModelError(fmt::format("model '{}' returned a {}, expected a [N, classes] tensor of logits", path_.string(),
                                 output.tagKind()));
  torch::Tensor logits = output.toTensor();
  if (logits.dim() != 2 || logits.size(0) != input.size(0)) {
    // Errors speak of the batch the caller passed, not of the chunk or padding forward made of it.
    std::vector<std::int64_t> shape = logits.sizes().vec();
    if (!shape.empty() && shape[0] == input.size(0)) shape[0] = as_given.size(0);
    throw ModelError(fmt::format("model '{}' returned shape [{}] for a batch of {}, expected [{}, classes]", path_.string(),
                                 fmt::join(shape, ", "), as_given.size(0), as_given.size(0)));
  }
  return logits.to(torch::kCPU, torch::kFloat).contiguous();
}

}  // namespace imeval
