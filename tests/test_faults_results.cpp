// Results files that cannot be written are reported and left intact; foreign CSVs are refused.
#include "test_util.h"

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <string>
#include <vector>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::source_dir;
using imeval_test::TempDir;
using imeval_test::write_file;
namespace fs = std::filesystem;

namespace {

const char* kSampleRun =
    "validate --model sample/models/tf_mobilenetv1_025_128.pt --data sample/images --class-map data/imagenet_synsets.txt "
    "--limit 4 -q";
const std::string kExistingResults =
    "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\r\n"
    "earlier_model,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n";

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("a CSV that is not a results file is refused by validate and left as it was", "[faults][results]") {
  TempDir dir;
  const std::string foreign = "name,value\nx,1\n";
  write_file(dir / "data.csv", foreign);
  auto r = run_imeval(std::string(kSampleRun) + " --results-file " + quote(dir / "data.csv"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("'" + (dir / "data.csv").string() + "' is not a results file") != std::string::npos);
  CHECK(r.err.find("refusing to overwrite it") != std::string::npos);
  CHECK(read_file(dir / "data.csv") == foreign);
}

TEST_CASE("a results file whose folder is a file gives an error naming it", "[faults][results]") {
  TempDir dir;
  write_file(dir / "not_a_folder", "x");
  auto r = run_imeval(std::string(kSampleRun) + " --results-file " + quote(dir / "not_a_folder/results.csv"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--results-file '" + (dir / "not_a_folder/results.csv").string() + "': '" +
                   (dir / "not_a_folder").string() + "' is not a folder") != std::string::npos);
  CHECK(read_file(dir / "not_a_folder") == "x");
}

TEST_CASE("a read-only results folder gives an error and leaves the existing file intact", "[faults][results]") {
  TempDir dir;
  fs::create_directories(dir / "ro");
  write_file(dir / "ro/results.csv", kExistingResults);
  fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                  fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  std::string runner;
  if (::geteuid() == 0) {
    // Root writes into read-only folders, so the case is run as nobody.
    if (std::system("setpriv --version >/dev/null 2>&1") != 0) {
      imeval_test::skip_test("running as root without setpriv: the read-only folder case cannot be exercised");
      return;
    }
    runner = "setpriv --reuid=65534 --regid=65534 --clear-groups -- ";
  }
  std::string cmd = "cd " + quote(source_dir()) + " && " + runner + "'" + IMEVAL_BINARY + "' " + kSampleRun +
                    " --results-file " + quote(dir / "ro/results.csv") + " >" + quote(dir / "stdout") + " 2>" +
                    quote(dir / "stderr");
  int status = std::system(cmd.c_str());
  std::string err = read_file(dir / "stderr");
  INFO(err);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(err.find("--results-file '" + (dir / "ro/results.csv").string() + "': cannot write in folder '" +
                 (dir / "ro").string() + "': Permission denied") != std::string::npos);
  CHECK(read_file(dir / "ro/results.csv") == kExistingResults);
  CHECK(std::distance(fs::directory_iterator(dir / "ro"), fs::directory_iterator()) == 1);
}

TEST_CASE("output files in a missing folder are reported before the run, for every output flag", "[faults][results]") {
  TempDir dir;
  for (const char* flag : {"--results-file", "--predictions-file", "--summary-json"}) {
    DYNAMIC_SECTION(flag) {
      const fs::path file = dir / "no_such_folder/out.csv";
      auto r = run_imeval(std::string(kSampleRun) + " --log-freq 1 " + flag + " " + quote(file));
      INFO(r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.err.find(std::string(flag) + " '" + file.string() + "': folder '" + (dir / "no_such_folder").string() +
                       "' does not exist") != std::string::npos);
      CHECK(r.err.find(" images ") == std::string::npos);  // no progress line: nothing was evaluated
      CHECK_FALSE(fs::exists(dir / "no_such_folder"));
    }
  }
}

TEST_CASE("writing results leaves no lock or temporary file beside them", "[faults][results]") {
  TempDir dir;
  auto r = run_imeval(std::string(kSampleRun) + " --results-file " + quote(dir / "results.csv"));
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"results.csv"});
}
