// scripts/export_timm.py: a timm model exported with its config evaluates in imeval exactly as timm's own
// data pipeline evaluates it. Needs timm in .venv (scripts/setup_reference.sh); skipped without it.
#include "test_util.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::source_dir;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

int run_shell(const std::string& command) { return std::system(("cd '" + source_dir().string() + "' && " + command).c_str()); }

bool timm_available() {
  return fs::exists(source_dir() / ".venv/bin/python") && run_shell(".venv/bin/python -c 'import timm' 2>/dev/null") == 0;
}

}  // namespace

TEST_CASE("an exported timm model gives the predictions timm's own pipeline gives", "[export][timm]") {
  if (!timm_available()) {
    imeval_test::skip_test("timm is not installed in .venv (scripts/setup_reference.sh installs it)");
    return;
  }
  TempDir dir;
  const std::string out = dir.path().string();
  // test_efficientnet: 160 px, crop 0.95, bicubic, none of them imeval's defaults.
  REQUIRE(run_shell(".venv/bin/python scripts/export_timm.py --no-pretrained test_efficientnet.r160_in1k --out '" + out +
                    "' >/dev/null") == 0);
  const fs::path model = dir / "test_efficientnet.r160_in1k.pt";
  REQUIRE(fs::exists(model));

  const std::string data = " --data sample/images --class-map data/imagenet_synsets.txt --limit 40";
  auto r = run_imeval("validate --model '" + model.string() + "'" + data + " --predictions-file '" + out + "/imeval.csv'");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("160x160 crop_pct 0.95 center bicubic") != std::string::npos);
  REQUIRE(run_shell(".venv/bin/python scripts/reference_validate.py --use-timm --quiet --model '" + model.string() + "'" +
                    data + " --predictions-file '" + out + "/timm.csv' >/dev/null") == 0);
  CHECK(read_file(dir / "imeval.csv") == read_file(dir / "timm.csv"));

  // A second export keeps the file; an unknown name is one error line and a non-zero exit.
  CHECK(run_shell(".venv/bin/python scripts/export_timm.py --no-pretrained test_efficientnet.r160_in1k --out '" + out +
                  "' 2>/dev/null >/dev/null") == 0);
  CHECK(run_shell(".venv/bin/python scripts/export_timm.py --no-pretrained no_such_net --out '" + out + "' 2>/dev/null") != 0);
}
