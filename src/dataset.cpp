#include "imeval/dataset.h"

#include "imeval/natural_order.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <utility>

namespace imeval {
namespace fs = std::filesystem;
namespace {

struct FoundImage {
  std::string relative_path;
  std::string label;
};

std::string lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class FolderWalker {
 public:
  explicit FolderWalker(fs::path root) : root_(std::move(root)) {}

  std::vector<FoundImage> walk() {
    visit(root_, "", "");
    return std::move(found_);
  }

 private:
  // (device, inode) of every folder on the current path, to detect symlink loops.
  using FolderId = std::pair<dev_t, ino_t>;

  void visit(const fs::path& dir, const std::string& relative, const std::string& label) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
      throw DatasetError(fmt::format("cannot read folder '{}': {}", dir.string(), std::strerror(errno)));
    FolderId id{st.st_dev, st.st_ino};
    if (!ancestors_.insert(id).second)
      throw DatasetError(fmt::format("symlink loop in dataset: '{}' leads back to one of its parent folders", dir.string()));

    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) throw DatasetError(fmt::format("cannot read folder '{}': {}", dir.string(), ec.message()));
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) throw DatasetError(fmt::format("cannot read folder '{}': {}", dir.string(), ec.message()));
      entries.push_back(*it);
    }
    for (const auto& entry : entries) {
      std::string name = entry.path().filename().string();
      std::string child_relative = relative.empty() ? name : relative + "/" + name;
      bool is_dir = entry.is_directory(ec);  // follows symlinks, like os.walk(followlinks=True)
      if (!name.empty() && name[0] == '.') {
        if (is_dir || has_image_extension(entry.path()))
          spdlog::warn("skipping hidden {} '{}'", is_dir ? "folder" : "file", (root_ / child_relative).string());
        continue;
      }
      if (is_dir) {
        visit(entry.path(), child_relative, name);
      } else if (has_image_extension(entry.path())) {
        found_.push_back({child_relative, label});
      }
    }
    ancestors_.erase(id);
  }

  fs::path root_;
  std::set<FolderId> ancestors_;
  std::vector<FoundImage> found_;
};

}  // namespace

bool has_image_extension(const fs::path& path) {
  std::string ext = lowercase(path.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::vector<std::string> read_class_map(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw DatasetError(fmt::format("cannot read class map '{}': {}", path.string(), std::strerror(errno)));
  std::vector<std::string> classes;
  std::set<std::string> seen;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    if (line.empty()) continue;
    if (!seen.insert(line).second)
      throw DatasetError(fmt::format("class map '{}' lists '{}' twice", path.string(), line));
    classes.push_back(line);
  }
  if (classes.empty()) throw DatasetError(fmt::format("class map '{}' is empty", path.string()));
  return classes;
}

Dataset discover_image_folder(const fs::path& root, const std::vector<std::string>& class_map) {
  std::error_code ec;
  if (!fs::exists(root, ec)) throw DatasetError(fmt::format("dataset folder '{}' does not exist", root.string()));
  if (!fs::is_directory(root, ec)) throw DatasetError(fmt::format("dataset path '{}' is not a folder", root.string()));

  std::vector<FoundImage> found = FolderWalker(root).walk();
  if (found.empty())
    throw DatasetError(fmt::format("no images (.png, .jpg, .jpeg) found under '{}'", root.string()));

  std::set<std::string> labels;
  for (const auto& f : found) labels.insert(f.label);
  Dataset ds;
  ds.root = root;
  if (class_map.empty()) {
    ds.classes.assign(labels.begin(), labels.end());
    std::sort(ds.classes.begin(), ds.classes.end(), natural_less);
  } else {
    ds.classes = class_map;
  }
  std::map<std::string, int> class_to_idx;
  for (size_t i = 0; i < ds.classes.size(); ++i) class_to_idx[ds.classes[i]] = static_cast<int>(i);
  if (!class_map.empty()) {
    std::vector<std::string> unknown;
    for (const auto& label : labels)
      if (!class_to_idx.count(label)) unknown.push_back(label.empty() ? "(images at the top level)" : label);
    if (!unknown.empty()) {
      spdlog::warn("leaving out {} folder(s) that are not in the class map: {}", unknown.size(),
                   fmt::join(unknown.begin(), unknown.begin() + std::min<size_t>(unknown.size(), 10), ", "));
      found.erase(std::remove_if(found.begin(), found.end(), [&](const FoundImage& f) { return !class_to_idx.count(f.label); }),
                  found.end());
      if (found.empty())
        throw DatasetError(fmt::format("no folder under '{}' is a class of the class map", root.string()));
    }
  }

  std::sort(found.begin(), found.end(),
            [](const FoundImage& a, const FoundImage& b) { return natural_less(a.relative_path, b.relative_path); });
  auto shared_root = std::make_shared<const fs::path>(root);
  ds.samples.reserve(found.size());
  for (auto& f : found) ds.samples.push_back({shared_root, std::move(f.relative_path), class_to_idx.at(f.label), nullptr, 0});
  return ds;
}

}  // namespace imeval
