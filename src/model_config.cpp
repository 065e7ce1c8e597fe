#include "imeval/model_config.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace imeval {
namespace {

using nlohmann::json;

template <typename T>
void assign_if(std::optional<T>& dst, const std::optional<T>& src) {
  if (src) dst = src;
}

std::optional<std::array<int, 2>> read_size(const json& cfg, const char* key) {
  if (!cfg.contains(key) || cfg[key].is_null()) return std::nullopt;
  const json& v = cfg[key];
  if (!v.is_array() || (v.size() != 3 && v.size() != 2))
    throw std::runtime_error(fmt::format("'{}' must be [channels, height, width]", key));
  size_t off = v.size() - 2;
  return std::array<int, 2>{v[off].get<int>(), v[off + 1].get<int>()};
}

std::optional<std::array<double, 3>> read_triple(const json& cfg, const char* key) {
  if (!cfg.contains(key) || cfg[key].is_null()) return std::nullopt;
  const json& v = cfg[key];
  if (v.is_number()) return std::array<double, 3>{v.get<double>(), v.get<double>(), v.get<double>()};
  if (!v.is_array() || v.size() != 3) throw std::runtime_error(fmt::format("'{}' must be a list of 3 numbers", key));
  return std::array<double, 3>{v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
}

template <typename T>
std::optional<T> read_value(const json& cfg, const char* key) {
  if (!cfg.contains(key) || cfg[key].is_null()) return std::nullopt;
  return cfg[key].get<T>();
}

}  // namespace

void PretrainedConfig::merge_from(const PretrainedConfig& other) {
  assign_if(input_size, other.input_size);
  assign_if(test_input_size, other.test_input_size);
  assign_if(crop_pct, other.crop_pct);
  assign_if(test_crop_pct, other.test_crop_pct);
  assign_if(interpolation, other.interpolation);
  assign_if(crop_mode, other.crop_mode);
  assign_if(mean, other.mean);
  assign_if(std, other.std);
  assign_if(num_classes, other.num_classes);
  source = source.empty() ? other.source : source + " + " + other.source;
}

PretrainedConfig parse_pretrained_config(const std::string& json_text, const std::string& source) {
  try {
    json root = json::parse(json_text);
    if (!root.is_object()) throw std::runtime_error("top level is not a JSON object");
    const json& cfg = root.contains("pretrained_cfg") && root["pretrained_cfg"].is_object() ? root["pretrained_cfg"] : root;
    PretrainedConfig out;
    out.source = source;
    out.input_size = read_size(cfg, "input_size");
    out.test_input_size = read_size(cfg, "test_input_size");
    out.crop_pct = read_value<double>(cfg, "crop_pct");
    out.test_crop_pct = read_value<double>(cfg, "test_crop_pct");
    out.interpolation = read_value<std::string>(cfg, "interpolation");
    out.crop_mode = read_value<std::string>(cfg, "crop_mode");
    out.mean = read_triple(cfg, "mean");
    out.std = read_triple(cfg, "std");
    out.num_classes = read_value<int>(cfg, "num_classes");
    if (!out.num_classes) out.num_classes = read_value<int>(root, "num_classes");
    return out;
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("invalid model config '{}': {}", source, e.what()));
  }
}

EvalTransformSpec resolve_eval_transform(const PretrainedConfig& config, const TransformOverrides& overrides) {
  EvalTransformSpec spec;
  if (overrides.input_size) {
    spec.img_height = (*overrides.input_size)[0];
    spec.img_width = (*overrides.input_size)[1];
  } else if (overrides.img_size) {
    spec.img_height = spec.img_width = *overrides.img_size;
  } else if (config.test_input_size) {
    spec.img_height = (*config.test_input_size)[0];
    spec.img_width = (*config.test_input_size)[1];
  } else if (config.input_size) {
    spec.img_height = (*config.input_size)[0];
    spec.img_width = (*config.input_size)[1];
  }
  if (overrides.crop_pct) {
    spec.crop_pct = *overrides.crop_pct;
  } else if (config.test_crop_pct) {
    spec.crop_pct = *config.test_crop_pct;
  } else if (config.crop_pct) {
    spec.crop_pct = *config.crop_pct;
  }
  if (overrides.interpolation) {
    spec.interpolation = *overrides.interpolation;
  } else if (config.interpolation) {
    spec.interpolation = parse_interpolation(*config.interpolation);
  }
  if (overrides.crop_mode) {
    spec.crop_mode = *overrides.crop_mode;
  } else if (config.crop_mode) {
    spec.crop_mode = parse_crop_mode(*config.crop_mode);
  }
  spec.mean = overrides.mean ? *overrides.mean : config.mean.value_or(spec.mean);
  spec.std = overrides.std ? *overrides.std : config.std.value_or(spec.std);
  spec.resize_backend = overrides.resize_backend;
  if (spec.img_height < 1 || spec.img_width < 1)
    throw std::runtime_error(fmt::format("image size must be positive, got {}x{}", spec.img_height, spec.img_width));
  if (!(spec.crop_pct > 0.0 && spec.crop_pct <= 10.0))
    throw std::runtime_error(fmt::format("crop_pct must be in (0, 10], got {}", spec.crop_pct));
  for (int c = 0; c < 3; ++c)
    if (!(spec.std[c] > 0.0)) throw std::runtime_error(fmt::format("std must be positive, got {}", spec.std[c]));
  return spec;
}

}  // namespace imeval
