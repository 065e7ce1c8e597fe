// The --dataset presets: which classes a test set has, how its folders are named and how it is scored.
//
//   const imeval::DatasetPreset& p = imeval::find_preset("imagenet-a");
//   p.classes.size();        // 200: timm's --class-map imagenet_a_synsets.txt
//   p.valid_labels.size();   // 200: timm's --valid-labels imagenet_a_indices.txt
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imeval {

struct DatasetPreset {
  std::string name;
  std::string results_file;            // the file timm's results/ folder keeps its rows in
  std::int64_t expected_images = 0;    // size of the full test set, to warn about partial folders
  std::vector<std::string> classes;    // folder name of each class; index = target
  std::vector<int> valid_labels;       // model outputs scored, in target order; empty = all
  bool index_folders = false;          // folders may also be named by class index ("0".."999"), as ImageNetV2 ships
  bool real_labels = false;            // scored with the built-in ReaL labels
};

// Throws DatasetError listing the known names when there is no such preset.
const DatasetPreset& find_preset(const std::string& name);
const std::vector<DatasetPreset>& all_presets();

// Parses "one entry per line" text (blank lines skipped); `what` names the source in errors.
std::vector<std::string> parse_lines(std::string_view text, const std::string& what);
std::vector<int> parse_index_lines(std::string_view text, const std::string& what);

}  // namespace imeval
