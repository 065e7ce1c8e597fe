// imeval on the 1000-image shared sample with each shared model, against the Python reference's
// predictions and accuracy line (tests/golden/shared_sample/, scripts/gen_shared_sample_golden.py).
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::shared_dir;
using imeval_test::source_dir;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Splits a predictions row on commas, honouring double quotes (paths may contain commas).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

TEST_CASE("validate agrees with the Python reference on the shared 1000-image sample", "[shared][slow]") {
  const fs::path shared = shared_dir();
  if (shared.empty()) {
    imeval_test::skip_test("needs ../shared beside the checkout (the 1000-image sample and its models)");
    return;
  }
  std::vector<fs::path> goldens;
  for (const auto& entry : fs::directory_iterator(source_dir() / "tests/golden/shared_sample"))
    if (entry.path().extension() == ".json") goldens.push_back(entry.path());
  std::sort(goldens.begin(), goldens.end());
  REQUIRE(goldens.size() == 4);

  for (const auto& golden_path : goldens) {
    const nlohmann::json golden = nlohmann::json::parse(read_file(golden_path));
    const std::string model = golden.at("model").get<std::string>();
    DYNAMIC_SECTION(model) {
      TempDir out;
      const fs::path predictions = out / "predictions.csv";
      std::string args = "validate";
      const auto& a = golden.at("args");
      for (size_t i = 0; i < a.size(); ++i) {
        std::string value = a[i].get<std::string>();
        if (i > 0 && (a[i - 1] == "--model" || a[i - 1] == "--data")) value = (shared / value).string();
        args += " " + quote(value);
      }
      auto r = run_imeval(args + " --predictions-file " + quote(predictions.string()));
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out.find(golden.at("acc_line").get<std::string>()) != std::string::npos);

      const auto expected_rows = lines_of(read_file(golden_path.parent_path() / (model + ".predictions.csv")));
      const auto actual_rows = lines_of(read_file(predictions));
      REQUIRE(actual_rows.size() == expected_rows.size());
      REQUIRE(expected_rows.size() == golden.at("num_images").get<size_t>() + 1);
      size_t pred1_agree = 0, identical_rows = 0;
      for (size_t i = 1; i < expected_rows.size(); ++i) {
        const auto expected = csv_fields(expected_rows[i]);
        const auto actual = csv_fields(actual_rows[i]);
        REQUIRE(actual.size() >= 3);
        REQUIRE(actual[0] == expected[0]);
        pred1_agree += actual[2] == expected[2];
        identical_rows += actual_rows[i] == expected_rows[i];
      }
      const size_t n = expected_rows.size() - 1;
      WARN(model << ": pred1 agrees on " << pred1_agree << "/" << n << " images, " << identical_rows
                 << " identical prediction rows; reference " << golden.at("acc_line").get<std::string>());
      CHECK(pred1_agree + 1 >= n);
    }
  }
}
