#include "imeval/archive.h"

#include "imeval/dataset.h"
#include "imeval/decode.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <atomic>
#include <map>

namespace imeval {
namespace fs = std::filesystem;
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

ArchivePtr open_reader(const fs::path& path) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    throw DatasetError(fmt::format("cannot read archive '{}': {}", path.string(), archive_error_string(a.get())));
  return a;
}

std::string member_name(const char* raw) {
  std::string name = raw ? raw : "";
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

bool has_hidden_component(const std::string& name) {
  size_t start = 0;
  while (start < name.size()) {
    if (name[start] == '.') return true;
    size_t slash = name.find('/', start);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return false;
}

// One thread's open reader on one archive and how many entries it has consumed.
struct Cursor {
  ArchivePtr reader;
  std::int64_t entries_read = 0;
};

}  // namespace

bool is_archive_path(const fs::path& path) {
  std::string name = path.filename().string();
  for (const char* ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar.zst"})
    if (name.size() > std::string(ext).size() && name.compare(name.size() - std::string(ext).size(), std::string::npos, ext) == 0)
      return true;
  return false;
}

std::shared_ptr<const ImageArchive> ImageArchive::open(const fs::path& path) {
  static std::atomic<std::uint64_t> next_id{1};
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw DatasetError(fmt::format("archive '{}' does not exist", path.string()));
  std::shared_ptr<ImageArchive> result(new ImageArchive(path, next_id++));
  ArchivePtr a = open_reader(path);
  archive_entry* entry = nullptr;
  std::int64_t index = 0;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
    std::string name = member_name(archive_entry_pathname(entry));
    if (archive_entry_filetype(entry) == AE_IFREG && has_image_extension(name) && !has_hidden_component(name))
      result->members_.push_back({name, index, archive_entry_size(entry)});
    ++index;
  }
  if (rc != ARCHIVE_EOF)
    throw DatasetError(fmt::format("cannot read archive '{}': {}", path.string(), archive_error_string(a.get())));
  if (result->members_.empty())
    throw DatasetError(fmt::format("no images (.png, .jpg, .jpeg) in archive '{}'", path.string()));
  return result;
}

std::vector<std::uint8_t> ImageArchive::read(std::size_t index) const {
  thread_local std::map<std::uint64_t, Cursor> cursors;
  const ArchiveMember& member = members_.at(index);
  const std::string where = fmt::format("'{}' in archive '{}'", member.name, path_.string());
  try {
    Cursor& cursor = cursors[id_];
    if (!cursor.reader || cursor.entries_read > member.entry) {
      cursor.reader = open_reader(path_);
      cursor.entries_read = 0;
    }
    archive_entry* entry = nullptr;
    while (cursor.entries_read <= member.entry) {
      int rc = archive_read_next_header(cursor.reader.get(), &entry);
      if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
        cursor.reader.reset();
        throw ImageDecodeError(fmt::format("cannot read {}: {}", where, rc == ARCHIVE_EOF ? "archive ended early" : "bad header"));
      }
      ++cursor.entries_read;
    }
    if (member_name(archive_entry_pathname(entry)) != member.name) {
      cursor.reader.reset();
      throw ImageDecodeError(fmt::format("cannot read {}: the archive changed since it was listed", where));
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(member.size));
    std::size_t done = 0;
    while (done < bytes.size()) {
      la_ssize_t n = archive_read_data(cursor.reader.get(), bytes.data() + done, bytes.size() - done);
      if (n <= 0) {
        std::string why = n < 0 ? archive_error_string(cursor.reader.get()) : "member is truncated";
        cursor.reader.reset();
        throw ImageDecodeError(fmt::format("cannot read {}: {}", where, why));
      }
      done += static_cast<std::size_t>(n);
    }
    return bytes;
  } catch (const DatasetError& e) {
    throw ImageDecodeError(e.what());
  }
}

}  // namespace imeval
