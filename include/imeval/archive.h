// Tar archives as datasets: the image members are listed once, then any member is read by index.
//
//   auto archive = imeval::ImageArchive::open("val.tar");
//   archive->members()[0].name;                   // "n01440764/ILSVRC2012_val_00000293.JPEG"
//   std::vector<std::uint8_t> bytes = archive->read(0);
//
// Nothing is unpacked to disk. libarchive streams entries in archive order, so each thread keeps
// its own open reader and moves forward from where it is; reading an earlier member reopens the
// archive. Samples sorted by name read a tar written in name order in one pass per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace imeval {

struct ArchiveMember {
  std::string name;         // path inside the archive, '/' separated, no leading "./"
  std::int64_t entry = 0;   // position among all entries of the archive (folders included)
  std::int64_t size = 0;
};

class ImageArchive {
 public:
  // Lists the image members (.png/.jpg/.jpeg, hidden names skipped); throws DatasetError naming the file.
  static std::shared_ptr<const ImageArchive> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const std::vector<ArchiveMember>& members() const { return members_; }
  // Bytes of members()[index]; safe to call from several threads. Throws ImageDecodeError naming the member.
  std::vector<std::uint8_t> read(std::size_t index) const;

 private:
  ImageArchive(std::filesystem::path path, std::uint64_t id) : path_(std::move(path)), id_(id) {}

  std::filesystem::path path_;
  std::uint64_t id_;
  std::vector<ArchiveMember> members_;
};

// True when the path names a file that libarchive should read as a dataset (.tar, .tar.gz, .tgz, ...).
bool is_archive_path(const std::filesystem::path& path);

}  // namespace imeval
