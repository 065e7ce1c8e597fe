#include "imeval/dataset.h"

#include <fmt/format.h>

namespace imeval {

Dataset resolve_dataset(const DatasetOptions& options) {
  if (!options.preset.empty())
    throw DatasetError(fmt::format("--dataset {}: dataset presets are not supported yet", options.preset));
  std::vector<std::string> class_map;
  if (!options.class_map.empty()) class_map = read_class_map(options.class_map);
  return discover_image_folder(options.data, class_map);
}

}  // namespace imeval
