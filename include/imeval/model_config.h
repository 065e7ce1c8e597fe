// A model's data config (timm's pretrained_cfg) and its resolution into an eval transform.
//
//   imeval::PretrainedConfig cfg = imeval::parse_pretrained_config(json_text, "model.pt:config.json");
//   imeval::EvalTransformSpec spec = imeval::resolve_eval_transform(cfg, overrides);
//
// Precedence as in timm's resolve_data_config: flags, then the config (test_input_size and
// test_crop_pct first), then timm's defaults (224, 0.875, bicubic, ImageNet mean/std, center).
#pragma once

#include "imeval/transforms.h"

#include <array>
#include <optional>
#include <string>

namespace imeval {

struct PretrainedConfig {
  std::optional<std::array<int, 2>> input_size;       // height, width
  std::optional<std::array<int, 2>> test_input_size;  // height, width
  std::optional<double> crop_pct;
  std::optional<double> test_crop_pct;
  std::optional<std::string> interpolation;
  std::optional<std::string> crop_mode;
  std::optional<std::array<double, 3>> mean;
  std::optional<std::array<double, 3>> std;
  std::optional<int> num_classes;
  std::string source;  // where it came from, for messages

  // Fields set in other override those of this config.
  void merge_from(const PretrainedConfig& other);
};

// Accepts timm's Hugging Face layout ({"pretrained_cfg": {...}}) or the keys at top level.
// Throws std::runtime_error naming source on malformed JSON or mistyped fields.
PretrainedConfig parse_pretrained_config(const std::string& json_text, const std::string& source);

struct TransformOverrides {
  std::optional<std::array<int, 2>> input_size;  // height, width; wins over img_size
  std::optional<int> img_size;
  std::optional<double> crop_pct;
  std::optional<CropMode> crop_mode;
  std::optional<Interpolation> interpolation;
  std::optional<std::array<double, 3>> mean;
  std::optional<std::array<double, 3>> std;
  ResizeBackend resize_backend = ResizeBackend::pil;
};

EvalTransformSpec resolve_eval_transform(const PretrainedConfig& config, const TransformOverrides& overrides);

}  // namespace imeval
