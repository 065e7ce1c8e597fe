// scripts/sweep.sh over the small test sets against tests/golden/sweep (scripts/gen_sweep_golden.py:
// the Python reference plus timm's generate_csv_results step), and its resume after a kill.
#include "test_util.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

using imeval_test::read_file;
using imeval_test::shared_dir;
using imeval_test::source_dir;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string sweep_command(const fs::path& models, const fs::path& out) {
  return "'" + (source_dir() / "scripts/sweep.sh").string() + "' --imeval '" + std::string(IMEVAL_BINARY) + "' '" +
         models.string() + "' '" + (source_dir() / "tests/fixtures/sets").string() + "' '" + out.string() + "'";
}

int run_shell(const std::string& command) { return std::system(("bash -c \"" + command + "\"").c_str()); }

void check_same_tables(const fs::path& expected_dir, const fs::path& actual_dir) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(expected_dir)) {
    ++files;
    INFO(entry.path().filename().string());
    CHECK(read_file(actual_dir / entry.path().filename()) == read_file(entry.path()));
  }
  CHECK(files == 8);
}

// Every (model, img_size) key of every raw table, failing on a duplicate.
std::size_t count_unique_rows(const fs::path& raw_dir) {
  std::size_t rows = 0;
  for (const auto& entry : fs::directory_iterator(raw_dir)) {
    if (entry.path().extension() != ".csv" || entry.path().filename().string()[0] == '.') continue;
    std::istringstream in(read_file(entry.path()));
    std::string line;
    std::set<std::string> models;
    std::getline(in, line);
    while (std::getline(in, line)) {
      INFO(entry.path().string() + ": " + line);
      CHECK(models.insert(line.substr(0, line.find(','))).second);
      ++rows;
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("a sweep reproduces the reference tables, and a killed sweep resumes to the same tables", "[sweep]") {
  TempDir out;
  const fs::path whole = out / "whole", resumed = out / "resumed";
  REQUIRE(run_shell(sweep_command(source_dir() / "sample/models", whole) + " 2>/dev/null >/dev/null") == 0);
  check_same_tables(source_dir() / "tests/golden/sweep/sample", whole);

  // Kill the whole process group once three rows are written, then rerun the same command.
  const std::string kill_midway =
      "setsid " + sweep_command(source_dir() / "sample/models", resumed) + " >/dev/null 2>&1 & pid=\\$!; " +
      "for i in \\$(seq 1200); do n=\\$(cat '" + (resumed / "raw").string() + "'/results-*.csv 2>/dev/null | grep -vc ^model); " +
      "[ \\\"\\$n\\\" -ge 3 ] && break; sleep 0.05; done; kill -KILL -- -\\$pid; wait";
  run_shell(kill_midway);
  const std::size_t rows_at_kill = count_unique_rows(resumed / "raw");
  CHECK(rows_at_kill >= 3);
  CHECK(rows_at_kill < 8);
  REQUIRE(run_shell(sweep_command(source_dir() / "sample/models", resumed) + " 2>/dev/null >/dev/null") == 0);
  CHECK(count_unique_rows(resumed / "raw") == 8);
  for (const auto& entry : fs::directory_iterator(whole)) {
    if (!entry.is_regular_file() || entry.path().filename().string()[0] == '.') continue;
    INFO(entry.path().filename().string());
    CHECK(read_file(resumed / entry.path().filename()) == read_file(entry.path()));
  }
}

TEST_CASE("a sweep of the four shared models reproduces the reference tables", "[sweep][shared]") {
  if (shared_dir().empty()) {
    imeval_test::skip_test("needs ../shared beside the checkout (the four shared models)");
    return;
  }
  TempDir out;
  REQUIRE(run_shell(sweep_command(shared_dir() / "models", out.path()) + " 2>/dev/null >/dev/null") == 0);
  check_same_tables(source_dir() / "tests/golden/sweep/shared", out.path());
}
