// Dataset discovery with timm's ImageFolder semantics.
//
//   imeval::Dataset ds = imeval::discover_image_folder("imagenet/val");
//   ds.classes[ds.samples[0].target];   // leaf folder name of the first image
//
// Recursive walk following symlinks, label = leaf folder name, extensions
// .png/.jpg/.jpeg in any case, classes and samples in natural order. Hidden
// entries (".git", ".ipynb_checkpoints") are skipped with a warning.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace imeval {

class ImageArchive;

class DatasetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Sample {
  // The dataset folder, or the .tar archive the image is a member of; one object shared by all samples,
  // so that a 50,000-image list holds each path once.
  std::shared_ptr<const std::filesystem::path> root;
  std::string relative_path;  // relative to the dataset root, '/' separated
  int target = -1;
  std::shared_ptr<const ImageArchive> archive;  // set when the image is a member of a tar archive
  std::size_t archive_member = 0;               // index into archive->members()

  // The image's file, or for an archive member the archive path / member name (for messages).
  std::filesystem::path path() const { return root ? *root / relative_path : std::filesystem::path(relative_path); }
};

// The encoded bytes of a sample, from its file or its archive member; throws ImageDecodeError.
std::vector<std::uint8_t> read_sample_bytes(const Sample& sample);

struct Dataset {
  std::filesystem::path root;
  std::vector<std::string> classes;  // index = class id
  std::vector<Sample> samples;       // natural order of relative_path
  // When set, logits are restricted to these model outputs (in this order) before scoring, as
  // timm's --valid-labels; targets then index into this list.
  std::vector<int> valid_labels;
  // When non-empty, aligned with samples: ReaL labels of each image (an empty list: left out of ReaL scores).
  std::vector<std::vector<int>> real_labels;
};

// Where the images come from and how they are labelled; what `imeval validate` resolves.
struct DatasetOptions {
  std::filesystem::path data;         // folder (or archive) given with --data
  std::string preset;                 // --dataset: imagenet, imagenetv2, sketch, imagenet-a, ...; empty = generic folder
  std::string split;                  // --split: subfolder to evaluate; empty = timm's search for val/validation/...
  std::filesystem::path class_map;    // --class-map
  std::filesystem::path valid_labels; // --valid-labels
  std::filesystem::path labels_file;  // --labels-file
  std::filesystem::path real_labels;  // --real-labels
};

// Resolves options into a dataset; throws DatasetError naming the file, folder or flag at fault.
Dataset resolve_dataset(const DatasetOptions& options);

bool has_image_extension(const std::filesystem::path& path);

// Reads a class map: one class (folder) name per line, its line number is its index.
std::vector<std::string> read_class_map(const std::filesystem::path& path);

// Throws DatasetError naming the folder when it is missing, unreadable, has a symlink loop or holds no image.
// With a class map, classes are the map's entries and folders not in it are left out with a warning.
Dataset discover_image_folder(const std::filesystem::path& root, const std::vector<std::string>& class_map = {});

}  // namespace imeval
