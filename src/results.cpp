#include "imeval/results.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace imeval {
namespace fs = std::filesystem;

std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

double python_round(double v, int digits) {
  // Correctly rounded decimal text parsed back gives the double Python's round() returns.
  std::string fixed = fmt::format("{:.{}f}", v, digits);
  return std::strtod(fixed.c_str(), nullptr);
}

std::string python_round_repr(double v, int digits) { return python_float_repr(python_round(v, digits)); }

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  return out;
}

std::vector<std::string> parse_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) throw ResultsFileError(fmt::format("unterminated quote in CSV line '{}'", line));
  return fields;
}

std::vector<std::string> ResultRow::columns() const {
  std::vector<std::string> names{"model",       "top1",     "top1_err", "top5",         "top5_err",
                                 "param_count", "img_size", "crop_pct", "interpolation"};
  if (skipped_images > 0) names.push_back("skipped_images");
  return names;
}

std::vector<std::string> ResultRow::values() const {
  std::vector<std::string> v{model,
          python_round_repr(top1, 4),
          python_round_repr(100.0 - top1, 4),
          python_round_repr(top5, 4),
          python_round_repr(100.0 - top5, 4),
          python_round_repr(param_count_millions, 2),
          std::to_string(img_size),
          python_float_repr(crop_pct),
          interpolation};
  if (skipped_images > 0) v.push_back(std::to_string(skipped_images));
  return v;
}

ResultsTable ResultsTable::read(const fs::path& path) {
  ResultsTable table;
  std::error_code ec;
  if (!fs::exists(path, ec)) return table;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ResultsFileError(fmt::format("cannot read results file '{}': {}", path.string(), std::strerror(errno)));
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> fields;
    try {
      fields = parse_csv_line(line);
    } catch (const ResultsFileError& e) {
      throw ResultsFileError(fmt::format("results file '{}' line {}: {}", path.string(), line_no, e.what()));
    }
    if (table.header.empty()) {
      table.header = std::move(fields);
      if (table.column("model") < 0 || table.column("top1") < 0 || table.column("img_size") < 0)
        throw ResultsFileError(fmt::format(
            "'{}' is not a results file (its header lacks model, top1 or img_size); refusing to overwrite it",
            path.string()));
      continue;
    }
    if (fields.size() != table.header.size())
      throw ResultsFileError(fmt::format("results file '{}' line {} has {} fields, its header has {}; refusing to overwrite it",
                                         path.string(), line_no, fields.size(), table.header.size()));
    table.rows.push_back(std::move(fields));
  }
  if (table.header.empty() && fs::file_size(path, ec) > 0)
    throw ResultsFileError(fmt::format("'{}' is not a results file; refusing to overwrite it", path.string()));
  return table;
}

int ResultsTable::column(const std::string& name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

void ResultsTable::upsert(const std::vector<std::string>& names, const std::vector<std::string>& values) {
  if (header.empty()) header = names;
  for (const auto& name : names)
    if (column(name) < 0) {
      header.push_back(name);
      for (auto& row : rows) row.emplace_back();
    }
  std::vector<std::string> row(header.size());
  for (size_t i = 0; i < names.size(); ++i) row[column(names[i])] = values[i];
  const int model_col = column("model"), size_col = column("img_size");
  for (auto& existing : rows) {
    if (existing[model_col] == row[model_col] && existing[size_col] == row[size_col]) {
      existing = std::move(row);
      return;
    }
  }
  rows.push_back(std::move(row));
}

void ResultsTable::write_atomic(const fs::path& path) const {
  std::string content = csv_line(header) + "\r\n";
  for (const auto& row : rows) content += csv_line(row) + "\r\n";
  write_file_atomic(path, content);
}

namespace {

// The folder a file is written in: "." for a bare file name.
fs::path folder_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

}  // namespace

void write_file_atomic(const fs::path& path, const std::string& content) {
  const fs::path dir = folder_of(path);
  std::string tmp_template = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> tmp_name(tmp_template.begin(), tmp_template.end());
  tmp_name.push_back('\0');
  int fd = ::mkstemp(tmp_name.data());
  if (fd < 0) throw ResultsFileError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
  const char* data = content.data();
  size_t left = content.size();
  int err = 0;
  while (left > 0 && err == 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno != EINTR) err = errno;
      continue;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (err == 0 && ::fchmod(fd, 0644) != 0) err = errno;
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && std::rename(tmp_name.data(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp_name.data());
    throw ResultsFileError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(err)));
  }
}

ResultsFileLock::ResultsFileLock(const fs::path& results_file) {
  // The folder is locked, not a sidecar file: nothing is left beside the results, and a writer of any
  // file in the folder waits only for the others' read-modify-rename, a few milliseconds.
  const fs::path dir = folder_of(results_file);
  fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0)
    throw ResultsFileError(fmt::format("cannot write '{}': cannot open its folder: {}", results_file.string(), std::strerror(errno)));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) {
      int err = errno;
      ::close(fd_);
      throw ResultsFileError(fmt::format("cannot write '{}': cannot lock its folder: {}", results_file.string(), std::strerror(err)));
    }
  }
}

void check_output_file(const fs::path& file, const std::string& flag) {
  const fs::path dir = folder_of(file);
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw ResultsFileError(fmt::format("{} '{}': folder '{}' does not exist", flag, file.string(), dir.string()));
  if (!fs::is_directory(dir, ec)) throw ResultsFileError(fmt::format("{} '{}': '{}' is not a folder", flag, file.string(), dir.string()));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw ResultsFileError(fmt::format("{} '{}': cannot write in folder '{}': {}", flag, file.string(), dir.string(), std::strerror(errno)));
  if (fs::is_directory(file, ec)) throw ResultsFileError(fmt::format("{} '{}' is a folder", flag, file.string()));
}

ResultsFileLock::~ResultsFileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void upsert_result_row(const fs::path& path, const ResultRow& row) {
  ResultsFileLock lock(path);
  ResultsTable table = ResultsTable::read(path);
  table.upsert(row.columns(), row.values());
  table.write_atomic(path);
}

}  // namespace imeval
