// Helpers shared by the tests: temporary folders, file writing, running the imeval binary.
#pragma once

#include <filesystem>
#include <string>

namespace imeval_test {

// A fresh folder under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& content);
std::string read_file(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the imeval binary with the given arguments (a shell-quoted string) from the repository root.
CommandResult run_imeval(const std::string& args);

std::filesystem::path source_dir();

// Ends a test that cannot run on this machine, saying why. Under ctest (the runner's --skip-exit-code, see
// tests/main.cpp) the test process exits with that code and ctest reports the test as skipped; run by
// hand, the reason is a warning and the caller returns.
void skip_test(const std::string& reason);
void set_skip_exit_code(int code);
// The shared assets folder (../shared beside the checkout), or empty when absent.
std::filesystem::path shared_dir();

}  // namespace imeval_test
