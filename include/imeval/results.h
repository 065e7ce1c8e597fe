// Results files: timm-format CSV tables updated in place without losing rows.
//
//   imeval::upsert_result_row("results-imagenet.csv", row);   // locks, reads, replaces or appends, renames
//
// Every write goes to a temporary file in the same folder and is renamed over
// the target; an exclusive flock on the folder serialises writers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace imeval {

class ResultsFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Python's round(v, digits) for a float.
double python_round(double v, int digits);
// Python's str(round(v, digits)) for a float: "89.2", "100.0", "45.5446".
std::string python_round_repr(double v, int digits);
// Python's str(float): shortest round-trip digits, always with a '.' or exponent.
std::string python_float_repr(double v);

// Python csv module's default quoting (QUOTE_MINIMAL) for one field.
std::string csv_field(const std::string& value);
std::string csv_line(const std::vector<std::string>& fields);
// Splits one CSV record; throws ResultsFileError on an unterminated quote.
std::vector<std::string> parse_csv_line(const std::string& line);

// The row timm's validate.py writes to --results-file, in its column order.
struct ResultRow {
  std::string model;
  double top1 = 0;
  double top5 = 0;
  double param_count_millions = 0;
  int img_size = 0;
  double crop_pct = 0;
  std::string interpolation;
  std::int64_t skipped_images = 0;  // with --skip-bad-images; adds a skipped_images column when > 0

  std::vector<std::string> columns() const;
  std::vector<std::string> values() const;
};

struct ResultsTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // A missing file gives an empty table. Throws ResultsFileError when the file is not a results CSV.
  static ResultsTable read(const std::filesystem::path& path);
  int column(const std::string& name) const;  // -1 when absent
  // Replaces the row with the same model and img_size, or appends; columns matched by name.
  void upsert(const std::vector<std::string>& names, const std::vector<std::string>& values);
  void write_atomic(const std::filesystem::path& path) const;
};

// Writes text to path through a temporary file in the same folder and a rename.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

// Exclusive lock on a results file for the lifetime of the object (flock on the folder that holds it).
class ResultsFileLock {
 public:
  explicit ResultsFileLock(const std::filesystem::path& results_file);
  ~ResultsFileLock();
  ResultsFileLock(const ResultsFileLock&) = delete;
  ResultsFileLock& operator=(const ResultsFileLock&) = delete;

 private:
  int fd_ = -1;
};

// Before a run: throws ResultsFileError naming the flag when file could not be written later (its folder
// missing, not a folder or not writable; the file itself a folder).
void check_output_file(const std::filesystem::path& file, const std::string& flag);

// Lock, read, upsert this row, write atomically.
void upsert_result_row(const std::filesystem::path& path, const ResultRow& row);

}  // namespace imeval
