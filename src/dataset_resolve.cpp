#include "imeval/archive.h"
#include "imeval/builtin_data.h"
#include "imeval/dataset.h"
#include "imeval/decode.h"
#include "imeval/natural_order.h"
#include "imeval/presets.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace imeval {
namespace fs = std::filesystem;
namespace {

// An image and the label its folder (or the labels file) gives it, before classes are numbered.
struct LabelledImage {
  Sample sample;
  std::string label;
};

std::string read_text_file(const fs::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DatasetError(fmt::format("cannot read {} '{}': {}", what, path.string(), std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string leaf_folder(const std::string& relative_path) {
  size_t slash = relative_path.rfind('/');
  if (slash == std::string::npos) return "";
  size_t start = relative_path.rfind('/', slash - 1);
  return relative_path.substr(start == std::string::npos ? 0 : start + 1, slash - (start == std::string::npos ? 0 : start + 1));
}

std::string basename_of(const std::string& relative_path) {
  size_t slash = relative_path.rfind('/');
  return slash == std::string::npos ? relative_path : relative_path.substr(slash + 1);
}

// A non-negative integer written with digits only, as ImageNetV2's folder names; -1 otherwise.
long long parse_index(const std::string& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return -1;
  return std::stoll(s);
}

// timm's _search_split for the default split "validation": the first of these subfolders that exists.
fs::path search_split(const fs::path& data, const std::string& split) {
  std::error_code ec;
  if (!split.empty()) {
    fs::path chosen = data / split;
    if (!fs::is_directory(chosen, ec))
      throw DatasetError(fmt::format("--split {}: there is no folder '{}'", split, chosen.string()));
    spdlog::info("evaluating split '{}': '{}'", split, chosen.string());
    return chosen;
  }
  for (const char* name : {"validation", "val", "valid", "eval", "evaluation"}) {
    if (fs::is_directory(data / name, ec)) {
      spdlog::info("'{}' holds a '{}' split; evaluating '{}' (use --split to choose another)", data.string(), name,
                   (data / name).string());
      return data / name;
    }
  }
  return data;
}

std::vector<LabelledImage> images_in_folder(const fs::path& root) {
  Dataset found = discover_image_folder(root);
  std::vector<LabelledImage> out;
  out.reserve(found.samples.size());
  for (auto& s : found.samples) {
    std::string label = found.classes[s.target];
    out.push_back({std::move(s), std::move(label)});
  }
  return out;
}

std::vector<LabelledImage> images_in_archive(const fs::path& path) {
  auto archive = ImageArchive::open(path);
  auto shared_root = std::make_shared<const fs::path>(path);
  std::vector<LabelledImage> out;
  out.reserve(archive->members().size());
  for (std::size_t i = 0; i < archive->members().size(); ++i) {
    const std::string& name = archive->members()[i].name;
    Sample s;
    s.root = shared_root;
    s.relative_path = name;
    s.archive = archive;
    s.archive_member = i;
    out.push_back({std::move(s), leaf_folder(name)});
  }
  std::sort(out.begin(), out.end(),
            [](const LabelledImage& a, const LabelledImage& b) { return natural_less(a.sample.relative_path, b.sample.relative_path); });
  return out;
}

// --labels-file: "filename,label" rows (an optional header); labels replace the folder labels.
void apply_labels_file(std::vector<LabelledImage>& images, const fs::path& labels_file) {
  std::map<std::string, std::string> labels;
  std::istringstream in(read_text_file(labels_file, "labels file"));
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    size_t comma = line.find(',');
    if (comma == std::string::npos)
      throw DatasetError(fmt::format("labels file '{}' line {}: expected 'filename,label', got '{}'", labels_file.string(), line_no, line));
    std::string name = line.substr(0, comma), label = line.substr(comma + 1);
    if (line_no == 1 && (label == "label" || label == "class" || label == "target")) continue;
    while (name.rfind("./", 0) == 0) name.erase(0, 2);
    if (label.empty())
      throw DatasetError(fmt::format("labels file '{}' line {}: '{}' has no label", labels_file.string(), line_no, name));
    if (!labels.emplace(name, label).second)
      throw DatasetError(fmt::format("labels file '{}' lists '{}' twice", labels_file.string(), name));
  }
  if (labels.empty()) throw DatasetError(fmt::format("labels file '{}' is empty", labels_file.string()));
  std::vector<LabelledImage> kept;
  std::size_t unlabelled = 0;
  for (auto& image : images) {
    auto it = labels.find(image.sample.relative_path);
    if (it == labels.end()) {
      ++unlabelled;
      continue;
    }
    image.label = it->second;
    labels.erase(it);
    kept.push_back(std::move(image));
  }
  if (!labels.empty())
    throw DatasetError(fmt::format("labels file '{}' lists {} image(s) that are not in the dataset, e.g. '{}'",
                                   labels_file.string(), labels.size(), labels.begin()->first));
  if (unlabelled > 0) spdlog::warn("leaving out {} image(s) that the labels file '{}' does not list", unlabelled, labels_file.string());
  images = std::move(kept);
}

// Numbers the labels: by the given classes (names, or indices where allowed), else timm's natural order.
Dataset number_classes(const fs::path& root, std::vector<LabelledImage> images, const std::vector<std::string>& classes,
                       bool index_labels, const std::string& source) {
  Dataset ds;
  ds.root = root;
  std::set<std::string> labels;
  for (const auto& image : images) labels.insert(image.label);
  std::map<std::string, int> label_to_target;
  if (classes.empty()) {
    bool all_indices = index_labels && std::all_of(labels.begin(), labels.end(), [](const std::string& l) { return parse_index(l) >= 0; });
    if (all_indices) {
      long long max_index = 0;
      for (const auto& l : labels) max_index = std::max(max_index, parse_index(l));
      for (long long i = 0; i <= max_index; ++i) ds.classes.push_back(std::to_string(i));
      for (const auto& l : labels) label_to_target[l] = static_cast<int>(parse_index(l));
    } else {
      ds.classes.assign(labels.begin(), labels.end());
      std::sort(ds.classes.begin(), ds.classes.end(), natural_less);
      for (size_t i = 0; i < ds.classes.size(); ++i) label_to_target[ds.classes[i]] = static_cast<int>(i);
    }
  } else {
    ds.classes = classes;
    std::map<std::string, int> by_name;
    for (size_t i = 0; i < classes.size(); ++i) by_name[classes[i]] = static_cast<int>(i);
    std::vector<std::string> unknown;
    for (const auto& l : labels) {
      auto it = by_name.find(l);
      long long index = parse_index(l);
      if (it != by_name.end())
        label_to_target[l] = it->second;
      else if (index_labels && index >= 0 && index < static_cast<long long>(classes.size()))
        label_to_target[l] = static_cast<int>(index);
      else
        unknown.push_back(l.empty() ? "(images at the top level)" : l);
    }
    if (label_to_target.empty())
      throw DatasetError(fmt::format("no folder or label of '{}' is a class of {} (found e.g. '{}')", root.string(), source,
                                     unknown.empty() ? std::string() : unknown.front()));
    if (!unknown.empty())
      spdlog::warn("leaving out {} folder(s)/label(s) of '{}' that are not classes of {}: {}{}", unknown.size(), root.string(),
                   source, fmt::join(unknown.begin(), unknown.begin() + std::min<size_t>(unknown.size(), 10), ", "),
                   unknown.size() > 10 ? ", ..." : "");
  }
  ds.samples.reserve(images.size());
  for (auto& image : images) {
    auto it = label_to_target.find(image.label);
    if (it == label_to_target.end()) continue;
    image.sample.target = it->second;
    ds.samples.push_back(std::move(image.sample));
  }
  return ds;
}

// real.json: entry i holds the ReaL labels of ILSVRC2012_val_{i+1:08d}.JPEG.
std::vector<std::vector<int>> parse_real_json(std::string_view text, const std::string& source) {
  try {
    nlohmann::json j = nlohmann::json::parse(text.begin(), text.end());
    if (!j.is_array()) throw DatasetError(fmt::format("ReaL labels {} is not a JSON list", source));
    std::vector<std::vector<int>> out;
    out.reserve(j.size());
    for (const auto& entry : j) out.push_back(entry.get<std::vector<int>>());
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw DatasetError(fmt::format("cannot read ReaL labels {}: {}", source, e.what()));
  }
}

// The ImageNet validation index (0-based) of ILSVRC2012_val_NNNNNNNN.JPEG, or -1.
long long imagenet_val_index(const std::string& name) {
  const std::string prefix = "ILSVRC2012_val_", suffix = ".JPEG";
  if (name.size() != prefix.size() + 8 + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return -1;
  long long n = parse_index(name.substr(prefix.size(), 8));
  return n >= 1 ? n - 1 : -1;
}

void attach_real_labels(Dataset& ds, const std::vector<std::vector<int>>& real, const std::string& source) {
  std::size_t unknown_name = 0, with_labels = 0;
  ds.real_labels.assign(ds.samples.size(), {});
  for (std::size_t i = 0; i < ds.samples.size(); ++i) {
    long long index = imagenet_val_index(basename_of(ds.samples[i].relative_path));
    if (index < 0 || index >= static_cast<long long>(real.size())) {
      ++unknown_name;
      continue;
    }
    ds.real_labels[i] = real[index];
    if (!real[index].empty()) ++with_labels;
  }
  if (with_labels == 0)
    throw DatasetError(fmt::format("no image of '{}' has ReaL labels in {} (files must be named ILSVRC2012_val_NNNNNNNN.JPEG)",
                                   ds.root.string(), source));
  if (unknown_name > 0)
    spdlog::warn("{} image(s) of '{}' are not ImageNet validation files named in {}; left out of the ReaL scores", unknown_name,
                 ds.root.string(), source);
  spdlog::info("ReaL labels from {}: {} of {} images are scored", source, with_labels, ds.samples.size());
}

void warn_about_size(const DatasetPreset& preset, std::size_t images) {
  const double ratio = static_cast<double>(images) / static_cast<double>(preset.expected_images);
  if (ratio < 0.9 || ratio > 1.1)
    spdlog::warn("--dataset {}: found {} images, the full set has {}; scoring these (a subset, or a wrong or incomplete folder?)",
                 preset.name, images, preset.expected_images);
}

}  // namespace

std::vector<std::uint8_t> read_sample_bytes(const Sample& sample) {
  if (sample.archive) return sample.archive->read(sample.archive_member);
  return read_file_bytes(sample.path());
}

Dataset resolve_dataset(const DatasetOptions& options) {
  const DatasetPreset* preset = options.preset.empty() ? nullptr : &find_preset(options.preset);
  if (preset && !options.class_map.empty())
    throw DatasetError(fmt::format("--class-map cannot be combined with --dataset {}, which sets the classes", preset->name));
  if (preset && !options.valid_labels.empty())
    throw DatasetError(fmt::format("--valid-labels cannot be combined with --dataset {}, which sets the scored classes", preset->name));

  std::error_code ec;
  const bool archive = fs::is_regular_file(options.data, ec);
  if (archive && !is_archive_path(options.data))
    throw DatasetError(fmt::format("--data '{}' is a file but not a .tar archive", options.data.string()));
  if (archive && !options.split.empty())
    throw DatasetError(fmt::format("--split {} applies to folders; '{}' is an archive", options.split, options.data.string()));
  const fs::path root = archive || !fs::is_directory(options.data, ec) ? options.data : search_split(options.data, options.split);

  std::vector<LabelledImage> images = archive ? images_in_archive(root) : images_in_folder(root);
  if (!options.labels_file.empty()) apply_labels_file(images, options.labels_file);

  std::vector<std::string> classes;
  std::string source;
  if (preset) {
    classes = preset->classes;
    source = "--dataset " + preset->name;
  } else if (!options.class_map.empty()) {
    classes = read_class_map(options.class_map);
    source = fmt::format("the class map '{}'", options.class_map.string());
  }
  const bool index_labels = !options.labels_file.empty() || (preset && preset->index_folders);
  Dataset ds = number_classes(root, std::move(images), classes, index_labels, source);

  if (preset) {
    ds.valid_labels = preset->valid_labels;
  } else if (!options.valid_labels.empty()) {
    ds.valid_labels = parse_index_lines(read_text_file(options.valid_labels, "valid labels file"),
                                        fmt::format("valid labels file '{}'", options.valid_labels.string()));
    if (ds.valid_labels.size() < ds.classes.size())
      throw DatasetError(fmt::format("valid labels file '{}' has {} entries but the dataset has {} classes",
                                     options.valid_labels.string(), ds.valid_labels.size(), ds.classes.size()));
  }
  if (!options.real_labels.empty()) {
    attach_real_labels(ds, parse_real_json(read_text_file(options.real_labels, "ReaL labels file"), "'" + options.real_labels.string() + "'"),
                       "'" + options.real_labels.string() + "'");
  } else if (preset && preset->real_labels) {
    attach_real_labels(ds, parse_real_json(builtin_data::imagenet_real_labels(), "(built-in real.json)"), "the built-in real.json");
  }
  if (preset) warn_about_size(*preset, ds.samples.size());
  return ds;
}

}  // namespace imeval
