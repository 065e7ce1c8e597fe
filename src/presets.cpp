#include "imeval/presets.h"

#include "imeval/builtin_data.h"
#include "imeval/dataset.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

namespace imeval {
namespace {

std::vector<DatasetPreset> make_presets() {
  const auto imagenet = parse_lines(builtin_data::imagenet_synsets(), "built-in ImageNet synsets");
  const auto a_classes = parse_lines(builtin_data::imagenet_a_synsets(), "built-in ImageNet-A synsets");
  const auto a_indices = parse_index_lines(builtin_data::imagenet_a_indices(), "built-in ImageNet-A indices");
  const auto r_classes = parse_lines(builtin_data::imagenet_r_synsets(), "built-in ImageNet-R synsets");
  const auto r_indices = parse_index_lines(builtin_data::imagenet_r_indices(), "built-in ImageNet-R indices");
  std::vector<DatasetPreset> p;
  p.push_back({"imagenet", "results-imagenet.csv", 50000, imagenet, {}, false, false});
  p.push_back({"imagenetv2", "results-imagenetv2-matched-frequency.csv", 10000, imagenet, {}, true, false});
  p.push_back({"sketch", "results-sketch.csv", 50889, imagenet, {}, false, false});
  p.push_back({"imagenet-a", "results-imagenet-a.csv", 7500, a_classes, a_indices, false, false});
  p.push_back({"imagenet-r", "results-imagenet-r.csv", 30000, r_classes, r_indices, false, false});
  p.push_back({"imagenet-a-clean", "results-imagenet-a-clean.csv", 10000, a_classes, a_indices, false, false});
  p.push_back({"imagenet-r-clean", "results-imagenet-r-clean.csv", 10000, r_classes, r_indices, false, false});
  p.push_back({"imagenet-real", "results-imagenet-real.csv", 50000, imagenet, {}, false, true});
  return p;
}

}  // namespace

std::vector<std::string> parse_lines(std::string_view text, const std::string& what) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (!line.empty()) lines.emplace_back(line);
    start = end + 1;
  }
  if (lines.empty()) throw DatasetError(fmt::format("{} is empty", what));
  return lines;
}

std::vector<int> parse_index_lines(std::string_view text, const std::string& what) {
  std::vector<int> out;
  for (const auto& line : parse_lines(text, what)) {
    int v = -1;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
    if (ec != std::errc() || end != line.data() + line.size() || v < 0)
      throw DatasetError(fmt::format("{}: '{}' is not a class index", what, line));
    out.push_back(v);
  }
  return out;
}

const std::vector<DatasetPreset>& all_presets() {
  static const std::vector<DatasetPreset> presets = make_presets();
  return presets;
}

const DatasetPreset& find_preset(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& p : all_presets()) {
    if (p.name == name) return p;
    names.push_back(p.name);
  }
  throw DatasetError(fmt::format("--dataset '{}' is not one of {}", name, fmt::join(names, ", ")));
}

}  // namespace imeval
