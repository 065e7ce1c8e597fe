// Dataset presets, split search, labels files and tar archives, on the fixtures of scripts/make_test_sets.py.
#include "imeval/archive.h"
#include "imeval/dataset.h"

#include "test_util.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

using imeval_test::read_file;
using imeval_test::run_imeval;
using imeval_test::source_dir;
using imeval_test::TempDir;
using imeval_test::write_file;
namespace fs = std::filesystem;

namespace {

fs::path fixtures() { return source_dir() / "tests/fixtures"; }

imeval::Dataset resolve(const fs::path& data, const std::string& preset = "") {
  imeval::DatasetOptions o;
  o.data = data;
  o.preset = preset;
  return imeval::resolve_dataset(o);
}

const char* kModel = "sample/models/tf_mobilenetv1_025_128.pt";

}  // namespace

TEST_CASE("ImageNet-A scores a two-class subset against its own synsets", "[presets]") {
  // The colour-code model is right on every image; the classes are A synsets 5 and 120.
  auto r = run_imeval("validate --model tests/fixtures/inputs/colour_code_model.pt --data tests/fixtures/inputs/colour-a "
                      "--dataset imagenet-a -q");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind(" * Acc@1 100.000 (0.000) Acc@5 100.000 (0.000)", 0) == 0);
  CHECK(r.err.find("found 6 images, the full set has 7500") != std::string::npos);

  imeval::Dataset ds = resolve(fixtures() / "inputs/colour-a", "imagenet-a");
  CHECK(ds.classes.size() == 200);
  CHECK(ds.valid_labels.size() == 200);
  CHECK(ds.samples.front().target == 5);
  CHECK(ds.samples.back().target == 120);
}

TEST_CASE("ImageNetV2 folders are class indices; synset folders work too", "[presets]") {
  TempDir dir;
  fs::copy(fixtures() / "sets/imagenetv2-matched-frequency-format-val/190", dir / "190", fs::copy_options::recursive);
  fs::copy(fixtures() / "sets/imagenet-a/n01641577", dir / "n01641577", fs::copy_options::recursive);
  imeval::Dataset ds = resolve(dir.path(), "imagenetv2");
  REQUIRE(ds.samples.size() == 3);
  CHECK(ds.samples[0].target == 190);
  CHECK(ds.samples[1].target == 30);  // n01641577 is the 31st ImageNet synset
  CHECK(ds.classes.size() == 1000);
}

TEST_CASE("presets refuse folders that are not their classes, naming them", "[presets]") {
  auto r = run_imeval(std::string("validate --model ") + kModel +
                      " --data tests/fixtures/sets/imagenetv2-matched-frequency-format-val --dataset imagenet -q");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("is a class of --dataset imagenet") != std::string::npos);

  TempDir dir;
  fs::create_directories(dir / "val");
  fs::copy(fixtures() / "sets/imagenet-a/n01641577", dir / "val/n01641577", fs::copy_options::recursive);
  write_file(dir / "val/not_a_class/x.jpg", read_file(fixtures() / "inputs/flat/img_0001.jpg"));
  r = run_imeval(std::string("validate --model ") + kModel + " --data '" + dir.path().string() + "' --dataset imagenet-a");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("evaluating '" + (dir / "val").string() + "'") != std::string::npos);
  CHECK(r.err.find("not classes of --dataset imagenet-a: not_a_class") != std::string::npos);

  r = run_imeval(std::string("validate --model ") + kModel + " --data '" + dir.path().string() + "' --split test");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("--split test") != std::string::npos);
  // An unknown preset is a usage error, reported before anything is read.
  r = run_imeval(std::string("validate --model ") + kModel + " --data sample/images --dataset imagenet-b");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("imeval: error: --dataset: imagenet-b not in {imagenet,imagenetv2,") != std::string::npos);
}

TEST_CASE("ReaL labels follow the file name, not the position", "[presets]") {
  imeval::Dataset ds = resolve(fixtures() / "sets/imagenet", "imagenet-real");
  REQUIRE(ds.real_labels.size() == ds.samples.size());
  std::size_t with_labels = 0;
  for (std::size_t i = 0; i < ds.samples.size(); ++i) {
    if (ds.real_labels[i].empty()) continue;
    ++with_labels;
    // make_test_sets.py names each image after a val file whose ReaL labels include its class.
    CHECK(std::find(ds.real_labels[i].begin(), ds.real_labels[i].end(), ds.samples[i].target) != ds.real_labels[i].end());
  }
  CHECK(with_labels == ds.samples.size() - 2);
}

TEST_CASE("a tar archive gives the same predictions as the folder it packs", "[presets]") {
  TempDir out;
  auto folder = run_imeval(std::string("validate -q --model ") + kModel +
                           " --data tests/fixtures/sets/imagenet-a --dataset imagenet-a --predictions-file '" +
                           (out / "folder.csv").string() + "'");
  auto tar = run_imeval(std::string("validate -q --workers 2 --model ") + kModel +
                        " --data tests/fixtures/inputs/imagenet-a.tar --dataset imagenet-a --predictions-file '" +
                        (out / "tar.csv").string() + "'");
  INFO(folder.err + tar.err);
  REQUIRE(folder.exit_code == 0);
  REQUIRE(tar.exit_code == 0);
  CHECK(read_file(out / "folder.csv") == read_file(out / "tar.csv"));

  auto flat = run_imeval(std::string("validate -q --model ") + kModel +
                         " --data tests/fixtures/inputs/flat --labels-file tests/fixtures/inputs/flat_labels.csv "
                         "--class-map data/imagenet_synsets.txt --predictions-file '" + (out / "flat.csv").string() + "'");
  auto flat_tar = run_imeval(std::string("validate -q --model ") + kModel +
                             " --data tests/fixtures/inputs/flat.tar --labels-file tests/fixtures/inputs/flat_labels_index.csv "
                             "--predictions-file '" + (out / "flat_tar.csv").string() + "'");
  INFO(flat.err + flat_tar.err);
  REQUIRE(flat.exit_code == 0);
  REQUIRE(flat_tar.exit_code == 0);
  CHECK(read_file(out / "flat.csv") == read_file(out / "flat_tar.csv"));
}

TEST_CASE("archive members are read in any order from several threads", "[presets]") {
  auto archive = imeval::ImageArchive::open(fixtures() / "inputs/imagenet-a.tar");
  REQUIRE(archive->members().size() == 24);
  const auto& m = archive->members();
  auto last = archive->read(m.size() - 1);
  auto first = archive->read(0);
  std::string first_text(first.begin(), first.end()), last_text(last.begin(), last.end());
  CHECK(first_text == read_file(fixtures() / "sets/imagenet-a" / m[0].name));
  CHECK(last_text == read_file(fixtures() / "sets/imagenet-a" / m.back().name));
  CHECK_THROWS_WITH(imeval::ImageArchive::open(fixtures() / "inputs/flat_labels.csv"),
                    Catch::Contains("flat_labels.csv"));
}

TEST_CASE("labels files name their faults", "[presets]") {
  TempDir dir;
  write_file(dir / "labels.csv", "filename,label\nimg_0001.jpg,n01440764\nmissing.jpg,3\n");
  imeval::DatasetOptions o;
  o.data = fixtures() / "inputs/flat";
  o.labels_file = dir / "labels.csv";
  CHECK_THROWS_WITH(imeval::resolve_dataset(o), Catch::Contains("missing.jpg") && Catch::Contains("labels.csv"));
}
