#include "test_util.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace imeval_test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("imeval-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  // Restore permissions that a test may have removed, so cleanup succeeds.
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult run_imeval(const std::string& args) {
  TempDir capture;
  fs::path out = capture / "stdout", err = capture / "stderr";
  std::string cmd = "cd '" + source_dir().string() + "' && '" + std::string(IMEVAL_BINARY) + "' " + args + " >'" +
                    out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

fs::path source_dir() { return fs::path(IMEVAL_SOURCE_DIR); }

namespace {
int skip_exit_code = 0;
}  // namespace

void set_skip_exit_code(int code) { skip_exit_code = code; }

void skip_test(const std::string& reason) {
  if (skip_exit_code != 0) {
    std::fprintf(stdout, "skipped: %s\n", reason.c_str());
    std::fflush(stdout);
    std::exit(skip_exit_code);
  }
  WARN("skipped: " << reason);
}

fs::path shared_dir() {
  if (const char* env = std::getenv("IMEVAL_SHARED_DIR")) {
    std::error_code ec;
    if (fs::is_directory(fs::path(env) / "models", ec)) return fs::path(env);
  }
  return {};
}

}  // namespace imeval_test
