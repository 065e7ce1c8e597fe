#include "imeval/dataset.h"

#include "test_util.h"

#include <catch2/catch.hpp>

#include <filesystem>

using imeval_test::TempDir;
using imeval_test::write_file;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> relative_paths(const imeval::Dataset& ds) {
  std::vector<std::string> out;
  for (const auto& s : ds.samples) out.push_back(s.relative_path);
  return out;
}
}  // namespace

TEST_CASE("classes are leaf folders with images, in natural order", "[dataset]") {
  TempDir dir;
  write_file(dir / "class10/a.jpg", "x");
  write_file(dir / "class9/b.JPEG", "x");
  write_file(dir / "class9/c.Png", "x");
  write_file(dir / "class9/notes.txt", "not an image");
  write_file(dir / "empty_class/readme.md", "no images here");
  fs::create_directories(dir / "no_files");
  write_file(dir / "group/class2/d.jpeg", "x");

  imeval::Dataset ds = imeval::discover_image_folder(dir.path());
  CHECK(ds.classes == std::vector<std::string>{"class2", "class9", "class10"});
  CHECK(relative_paths(ds) == std::vector<std::string>{"class9/b.JPEG", "class9/c.Png", "class10/a.jpg", "group/class2/d.jpeg"});
  CHECK(ds.samples[0].target == 1);
  CHECK(ds.samples[2].target == 2);
  CHECK(ds.samples[3].target == 0);
  CHECK(ds.samples[3].path() == dir.path() / "group/class2/d.jpeg");
}

TEST_CASE("samples sort by the natural order of their paths", "[dataset]") {
  TempDir dir;
  for (const char* name : {"img10.jpg", "img9.jpg", "IMG1.jpg", "img2.png"}) write_file(dir / "c" / name, "x");
  imeval::Dataset ds = imeval::discover_image_folder(dir.path());
  CHECK(relative_paths(ds) == std::vector<std::string>{"c/IMG1.jpg", "c/img2.png", "c/img9.jpg", "c/img10.jpg"});
}

TEST_CASE("hidden folders and files are skipped", "[dataset]") {
  TempDir dir;
  write_file(dir / "cat/a.jpg", "x");
  write_file(dir / ".ipynb_checkpoints/b.jpg", "x");
  write_file(dir / "cat/.hidden.jpg", "x");
  imeval::Dataset ds = imeval::discover_image_folder(dir.path());
  CHECK(ds.classes == std::vector<std::string>{"cat"});
  CHECK(ds.samples.size() == 1);
}

TEST_CASE("a class map fixes indices and leaves out other folders", "[dataset]") {
  TempDir dir;
  write_file(dir / "dog/a.jpg", "x");
  write_file(dir / "cat/b.jpg", "x");
  write_file(dir / "bird/c.jpg", "x");
  write_file(dir / "map.txt", "zebra\ncat\ndog\n");
  auto map = imeval::read_class_map(dir / "map.txt");
  imeval::Dataset ds = imeval::discover_image_folder(dir.path(), map);
  CHECK(ds.classes == map);
  REQUIRE(ds.samples.size() == 2);
  CHECK(ds.samples[0].relative_path == "cat/b.jpg");
  CHECK(ds.samples[0].target == 1);
  CHECK(ds.samples[1].target == 2);
}

TEST_CASE("discovery errors name the folder", "[dataset]") {
  TempDir dir;
  CHECK_THROWS_WITH(imeval::discover_image_folder(dir / "missing"), Catch::Contains("missing") && Catch::Contains("does not exist"));
  fs::create_directories(dir / "empty");
  CHECK_THROWS_WITH(imeval::discover_image_folder(dir / "empty"), Catch::Contains("no images") && Catch::Contains("empty"));
  write_file(dir / "file.txt", "x");
  CHECK_THROWS_WITH(imeval::discover_image_folder(dir / "file.txt"), Catch::Contains("not a folder"));
}

TEST_CASE("a symlink loop is an error, not an endless walk", "[dataset]") {
  TempDir dir;
  write_file(dir / "data/cat/a.jpg", "x");
  fs::create_directory_symlink(dir / "data", dir / "data/cat/loop");
  CHECK_THROWS_WITH(imeval::discover_image_folder(dir / "data"), Catch::Contains("symlink loop"));
}
