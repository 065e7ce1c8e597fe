// Wrong models give one error line naming the file and what was expected, and write no results row.
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

const char* kSampleData = " --data sample/images --class-map data/imagenet_synsets.txt --limit 4 --batch-size 4 -q";

int error_lines(const std::string& err) {
  int count = 0;
  for (std::size_t at = err.find("imeval: error:"); at != std::string::npos; at = err.find("imeval: error:", at + 1)) ++count;
  return count;
}

// Runs the model on four sample images with a results file; returns the run, checks no row was written.
imeval_test::CommandResult run_failing_model(const std::string& model) {
  TempDir out;
  auto r = run_imeval("validate --model " + model + kSampleData + " --results-file '" + (out / "results.csv").string() + "'");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(error_lines(r.err) == 1);
  CHECK(r.err.find(model) != std::string::npos);
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(out / "results.csv"));
  return r;
}

}  // namespace

TEST_CASE("a missing model file is named", "[faults][model]") {
  auto r = run_failing_model("tests/fixtures/faults/no_such_model.pt");
  CHECK(r.err.find("does not exist") != std::string::npos);
}

TEST_CASE("a pickled state_dict or random bytes are not taken for TorchScript", "[faults][model]") {
  for (const char* model : {"tests/fixtures/faults/state_dict.pt", "tests/fixtures/faults/random_bytes.pt"}) {
    DYNAMIC_SECTION(model) {
      auto r = run_failing_model(model);
      CHECK(r.err.find("not a TorchScript archive saved with torch.jit.save") != std::string::npos);
    }
  }
}

TEST_CASE("a forward that fails for the input size names the model and the shape", "[faults][model]") {
  auto r = run_failing_model("tests/fixtures/faults/fails_unless_64px.pt");
  // The cause is the model's own text; on the CPU it sees the batch zero-padded to Model::kCpuForwardChunk rows.
  CHECK(r.err.find("failed on an input of shape 4x3x224x224: RuntimeError: shape '[16, 12288]' is invalid") != std::string::npos);
  // The same model runs at the size it was built for, so the failure above is about the size.
  auto ok = run_imeval(std::string("validate --model tests/fixtures/faults/fails_unless_64px.pt") + kSampleData + " --img-size 64");
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("an output that is not [N, C] names the shape and what was expected", "[faults][model]") {
  auto r = run_failing_model("tests/fixtures/faults/output_3d.pt");
  CHECK(r.err.find("returned shape [4, 1000, 1] for a batch of 4, expected [4, classes]") != std::string::npos);
  r = run_failing_model("tests/fixtures/faults/tuple_of_ints.pt");
  CHECK(r.err.find("expected a [N, classes] tensor of logits") != std::string::npos);
}

TEST_CASE("fewer model outputs than dataset labels is an error, not an index out of range", "[faults][model]") {
  auto r = run_failing_model("tests/fixtures/faults/ten_outputs.pt");
  CHECK(r.err.find("outputs 10 classes but the dataset has labels up to") != std::string::npos);
}

TEST_CASE("NaN and infinite logits count as wrong and are reported", "[faults][model]") {
  TempDir out;
  auto r = run_imeval(std::string("validate --model tests/fixtures/faults/nonfinite_logits.pt") + kSampleData +
                      " --results-file '" + (out / "results.csv").string() + "' --summary-json '" +
                      (out / "summary.json").string() + "'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Acc@1 0.000 (100.000) Acc@5 0.000 (100.000)") != std::string::npos);
  CHECK(r.out.find("non-finite logits 4") != std::string::npos);
  CHECK(r.err.find("NaN or infinite logits for 4 of 4 images; they count as wrong") != std::string::npos);
  auto summary = nlohmann::json::parse(read_file(out / "summary.json"));
  CHECK(summary["non_finite_logits"] == 4);
  CHECK(summary["images"] == 4);
  CHECK(summary["correct_top1"] == 0);
  CHECK(read_file(out / "results.csv").find("\r\nnonfinite_logits,0.0,100.0,0.0,100.0,") != std::string::npos);
}
