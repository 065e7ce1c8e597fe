// End-to-end runs of the imeval binary on the bundled sample, against golden
// files written by scripts/gen_e2e_golden.py (the Python reference).
#include "imeval/results.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::source_dir;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kSampleArgs =
    "validate --model sample/models/tf_mobilenetv1_025_128.pt --data sample/images --class-map data/imagenet_synsets.txt";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (char c : text) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else if (c != '\r') {
      line += c;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The reference's command-line arguments without --workers (a reference-only knob).
std::string imeval_args(const nlohmann::json& golden) {
  std::string args = "validate";
  const auto& a = golden["args"];
  for (size_t i = 0; i < a.size(); ++i) {
    std::string v = a[i].get<std::string>();
    if (v == "--workers") {
      ++i;
      continue;
    }
    args += " " + quote(v);
  }
  return args;
}

}  // namespace

TEST_CASE("validate reproduces the Python reference on the bundled sample", "[e2e]") {
  std::vector<fs::path> goldens;
  for (const auto& entry : fs::directory_iterator(source_dir() / "tests/golden/e2e"))
    if (entry.path().extension() == ".json") goldens.push_back(entry.path());
  REQUIRE(goldens.size() >= 4);

  for (const auto& golden_path : goldens) {
    nlohmann::json golden = nlohmann::json::parse(read_file(golden_path));
    DYNAMIC_SECTION(golden_path.stem().string()) {
      TempDir out;
      auto r = run_imeval(imeval_args(golden) + " -q --predictions-file " + quote((out / "pred.csv").string()) +
                          " --results-file " + quote((out / "results.csv").string()));
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out.rfind(golden["acc_line"].get<std::string>() + " ", 0) == 0);
      CHECK(read_file(out / "pred.csv") == read_file(source_dir() / golden["predictions_csv"].get<std::string>()));
      CHECK(read_file(out / "results.csv") == golden["results_csv"].get<std::string>());
    }
  }
}

TEST_CASE("predictions do not depend on the number of workers", "[e2e]") {
  TempDir out;
  auto a = run_imeval(std::string(kSampleArgs) + " -q --workers 1 --batch-size 16 --predictions-file " + quote((out / "a.csv").string()));
  auto b = run_imeval(std::string(kSampleArgs) + " -q --workers 3 --batch-size 16 --predictions-file " + quote((out / "b.csv").string()));
  INFO(a.err + b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  std::string pa = read_file(out / "a.csv");
  CHECK(pa.size() > 1000);
  CHECK(pa == read_file(out / "b.csv"));
}

// LibTorch's CPU convolutions pick kernels by batch shape, so logits may differ in the last
// float bits between batch sizes (Python torch does the same); classes must not change.
TEST_CASE("batch size changes no predicted class and no probability beyond 1e-5", "[e2e]") {
  TempDir out;
  auto a = run_imeval(std::string(kSampleArgs) + " -q --workers 1 --batch-size 7 --predictions-file " + quote((out / "a.csv").string()));
  auto b = run_imeval(std::string(kSampleArgs) + " -q --workers 2 --batch-size 64 --predictions-file " + quote((out / "b.csv").string()));
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  auto rows_a = split_lines(read_file(out / "a.csv"));
  auto rows_b = split_lines(read_file(out / "b.csv"));
  REQUIRE(rows_a.size() == 102);
  REQUIRE(rows_a.size() == rows_b.size());
  for (size_t i = 1; i < rows_a.size(); ++i) {
    auto fa = imeval::parse_csv_line(rows_a[i]);
    auto fb = imeval::parse_csv_line(rows_b[i]);
    REQUIRE(fa.size() == 12);
    REQUIRE(fb.size() == 12);
    for (size_t j = 0; j < 7; ++j) CHECK(fa[j] == fb[j]);
    for (size_t j = 7; j < 12; ++j) CHECK(std::abs(std::stod(fa[j]) - std::stod(fb[j])) <= 1e-5);
  }
}

TEST_CASE("progress goes to stderr, one summary line to stdout", "[e2e]") {
  auto r = run_imeval(std::string(kSampleArgs) + " --batch-size 32 --log-freq 1");
  REQUIRE(r.exit_code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK(r.out.find("img/s") != std::string::npos);
  CHECK(r.err.find("101/101 images") != std::string::npos);
  CHECK(r.err.find("ETA") != std::string::npos);
}

TEST_CASE("usage errors exit 2 with one line naming the flag", "[e2e]") {
  auto r = run_imeval("validate --data sample/images");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--model") != std::string::npos);
  r = run_imeval(std::string(kSampleArgs) + " --crop-mode diagonal");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--crop-mode") != std::string::npos);
  r = run_imeval(std::string(kSampleArgs) + " --batchsize 8");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "imeval: error: unknown option '--batchsize' (did you mean --batch-size?) (see --help)\n");
  r = run_imeval(std::string(kSampleArgs) + " first_extra second_extra");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "imeval: error: unexpected argument 'first_extra' (see --help)\n");
}

TEST_CASE("runtime errors exit 1 naming the file", "[e2e]") {
  auto r = run_imeval("validate --model no/such/model.pt --data sample/images");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no/such/model.pt") != std::string::npos);
  r = run_imeval("validate --model sample/models/tf_mobilenetv1_025_128.pt --data no/such/folder");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no/such/folder") != std::string::npos);
  r = run_imeval("validate --model data/imagenet_synsets.txt --data sample/images");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("not a TorchScript") != std::string::npos);
}
