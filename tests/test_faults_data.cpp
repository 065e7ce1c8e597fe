// Bad dataset folders and bad image files: one error line naming the file, or skipped and counted
// with --skip-bad-images; nothing written to the results file when the run stops.
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::source_dir;
using imeval_test::TempDir;
using imeval_test::write_file;
namespace fs = std::filesystem;

namespace {

const char* kModel = "validate --model sample/models/tf_mobilenetv1_025_128.pt -q";
const std::string kExistingResults =
    "model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation\r\n"
    "earlier_model,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic\r\n";

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path fixture_image(const std::string& name) { return source_dir() / "tests/fixtures/images" / name; }
fs::path fault_fixture(const std::string& name) { return source_dir() / "tests/fixtures/faults" / name; }

// Three readable images in two classes; one of them is a PNG named .JPEG.
void add_good_images(const fs::path& root) {
  fs::create_directories(root / "cat");
  fs::create_directories(root / "dog");
  fs::copy_file(fixture_image("jpeg_rgb_420.jpg"), root / "cat/a.jpg");
  fs::copy_file(fixture_image("png_named_as.JPEG"), root / "dog/b.JPEG");
  fs::copy_file(fixture_image("jpeg_gray.jpg"), root / "dog/c.jpg");
}

// The bad files sort before the good ones so the default policy stops at the first of them.
void add_bad_images(const fs::path& root) {
  fs::copy_file(fixture_image("error_truncated.jpg"), root / "cat/0_truncated.jpg");
  fs::copy_file(fixture_image("error_empty.jpg"), root / "cat/1_empty.jpg");
  fs::copy_file(fixture_image("error_text.jpg"), root / "dog/2_text.jpg");
  fs::copy_file(fault_fixture("bomb_200mp.png"), root / "dog/3_bomb.png");
}

}  // namespace

TEST_CASE("a missing, empty or image-less data folder is named", "[faults][dataset]") {
  TempDir dir;
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "missing"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("dataset folder '" + (dir / "missing").string() + "' does not exist") != std::string::npos);

  fs::create_directories(dir / "empty");
  r = run_imeval(std::string(kModel) + " --data " + quote(dir / "empty"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no images (.png, .jpg, .jpeg) found under '" + (dir / "empty").string() + "'") != std::string::npos);

  write_file(dir / "notes/cat/readme.txt", "not an image");
  r = run_imeval(std::string(kModel) + " --data " + quote(dir / "notes"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("no images (.png, .jpg, .jpeg) found under") != std::string::npos);
}

TEST_CASE("hidden folders do not become classes", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  fs::create_directories(dir / "data/.ipynb_checkpoints");
  fs::copy_file(fixture_image("jpeg_rgb_444.jpg"), dir / "data/.ipynb_checkpoints/a-checkpoint.jpg");
  fs::create_directories(dir / "data/.git/objects");
  fs::copy_file(fixture_image("jpeg_rgb_444.jpg"), dir / "data/.git/objects/x.jpg");
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data") + " --summary-json " + quote(dir / "s.json"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("skipping hidden folder '" + (dir / "data/.ipynb_checkpoints").string() + "'") != std::string::npos);
  CHECK(r.err.find("skipping hidden folder '" + (dir / "data/.git").string() + "'") != std::string::npos);
  auto summary = nlohmann::json::parse(read_file(dir / "s.json"));
  CHECK(summary["num_classes"] == 2);
  CHECK(summary["images"] == 3);
}

TEST_CASE("a PNG named .JPEG is decoded by its content", "[faults][dataset]") {
  TempDir dir;
  fs::create_directories(dir / "data/dog");
  fs::copy_file(fixture_image("png_named_as.JPEG"), dir / "data/dog/b.JPEG");
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("images 1 ") != std::string::npos);
}

TEST_CASE("a symlink loop in the dataset is an error", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  fs::create_directory_symlink(dir / "data", dir / "data/cat/loop");
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("symlink loop in dataset: '" + (dir / "data/cat/loop").string() + "'") != std::string::npos);
}

TEST_CASE("by default the first unreadable image stops the run and nothing is written", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  add_bad_images(dir / "data");
  write_file(dir / "results.csv", kExistingResults);
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data") + " --batch-size 2 --results-file " +
                      quote(dir / "results.csv") + " --summary-json " + quote(dir / "s.json"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("imeval: error: cannot decode image '" + (dir / "data/cat/0_truncated.jpg").string() +
                   "': truncated JPEG data (use --skip-bad-images") != std::string::npos);
  CHECK(read_file(dir / "results.csv") == kExistingResults);
  CHECK_FALSE(fs::exists(dir / "s.json"));
}

TEST_CASE("skip-bad-images mode skips, lists and counts truncated, empty, text and bomb files", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  add_bad_images(dir / "data");
  write_file(dir / "results.csv", kExistingResults);
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data") + " --skip-bad-images --results-file " +
                      quote(dir / "results.csv") + " --summary-json " + quote(dir / "s.json"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("images 3 ") != std::string::npos);
  CHECK(r.out.find("skipped 4 unreadable") != std::string::npos);
  CHECK(r.err.find("truncated JPEG data") != std::string::npos);
  CHECK(r.err.find("1_empty.jpg': file is empty") != std::string::npos);
  CHECK(r.err.find("2_text.jpg': unknown image format") != std::string::npos);
  CHECK(r.err.find("3_bomb.png': image size 20000x10000 (200000000 pixels) exceeds the decompression bomb limit") !=
        std::string::npos);
  CHECK(r.err.find("accuracy is over the 3 images that were read") != std::string::npos);

  auto summary = nlohmann::json::parse(read_file(dir / "s.json"));
  CHECK(summary["images"] == 3);
  REQUIRE(summary["skipped_count"] == 4);
  CHECK(summary["skipped"][0]["path"] == "cat/0_truncated.jpg");
  CHECK(summary["skipped"][3]["path"] == "dog/3_bomb.png");

  std::string results = read_file(dir / "results.csv");
  CHECK(results.rfind("model,top1,top1_err,top5,top5_err,param_count,img_size,crop_pct,interpolation,skipped_images\r\n", 0) == 0);
  CHECK(results.find("\r\nearlier_model,50.0,50.0,75.0,25.0,1.0,224,0.875,bicubic,\r\n") != std::string::npos);
  CHECK(results.find(",128,0.875,bilinear,4\r\n") != std::string::npos);
}

TEST_CASE("an image over Pillow's pixel limit but under twice it is decoded with a warning", "[faults][dataset]") {
  TempDir dir;
  fs::create_directories(dir / "data/cat");
  fs::copy_file(fault_fixture("large_90mp.png"), dir / "data/cat/large.png");
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("is 9500x9500 (90250000 pixels), over Pillow's limit of 89478485 pixels") != std::string::npos);
}

TEST_CASE("an unreadable image file is named with the reason", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  // A dangling link cannot be opened whoever runs the test, root included.
  fs::create_symlink(dir / "gone.jpg", dir / "data/cat/0_dangling.jpg");
  auto r = run_imeval(std::string(kModel) + " --data " + quote(dir / "data"));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("cannot open image '" + (dir / "data/cat/0_dangling.jpg").string() + "': No such file or directory") !=
        std::string::npos);
}

TEST_CASE("an image without read permission is named with the reason", "[faults][dataset]") {
  TempDir dir;
  add_good_images(dir / "data");
  fs::permissions(dir / "data/cat/a.jpg", fs::perms::none);
  std::string runner;
  if (::geteuid() == 0) {
    // Root reads any file, so the case is run as nobody, who can still read the repository and the temp folder.
    if (std::system("setpriv --version >/dev/null 2>&1") != 0) {
      imeval_test::skip_test("running as root without setpriv: the permission case cannot be exercised");
      return;
    }
    runner = "setpriv --reuid=65534 --regid=65534 --clear-groups -- ";
  }
  fs::path out = dir / "stdout", err = dir / "stderr";
  std::string cmd = "cd " + quote(source_dir()) + " && " + runner + "'" + IMEVAL_BINARY + "' " + kModel + " --data " +
                    quote(dir / "data") + " >" + quote(out) + " 2>" + quote(err);
  int status = std::system(cmd.c_str());
  std::string stderr_text = read_file(err);
  INFO(stderr_text);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(stderr_text.find("cannot open image '" + (dir / "data/cat/a.jpg").string() + "': Permission denied") != std::string::npos);
}
