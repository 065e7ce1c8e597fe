// decode + apply_eval_geometry + normalize_to_chw against timm's eval transform on every
// fixture image, golden hashes from scripts/gen_preprocess_golden.py.
#include "imeval/decode.h"
#include "imeval/transforms.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kImagesDir = fs::path(IMEVAL_SOURCE_DIR) / "tests" / "fixtures" / "images";
const fs::path kGoldenPath = fs::path(IMEVAL_SOURCE_DIR) / "tests" / "golden" / "preprocess.json";

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// The generator's rows_fnv1a64: FNV-1a 64 per row, then FNV-1a 64 over the row hashes as little-endian bytes.
std::string rows_fnv1a64(const std::uint8_t* data, std::size_t rows, std::size_t row_bytes) {
  std::vector<std::uint64_t> row_hashes(rows, kFnvOffset);
  // Four rows at a time: independent multiply chains run in parallel (hashing dominates the test's time).
  std::size_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const std::uint8_t* row = data + r * row_bytes;
    std::uint64_t h0 = kFnvOffset, h1 = kFnvOffset, h2 = kFnvOffset, h3 = kFnvOffset;
    for (std::size_t i = 0; i < row_bytes; ++i) {
      h0 = (h0 ^ row[i]) * kFnvPrime;
      h1 = (h1 ^ row[row_bytes + i]) * kFnvPrime;
      h2 = (h2 ^ row[2 * row_bytes + i]) * kFnvPrime;
      h3 = (h3 ^ row[3 * row_bytes + i]) * kFnvPrime;
    }
    row_hashes[r] = h0, row_hashes[r + 1] = h1, row_hashes[r + 2] = h2, row_hashes[r + 3] = h3;
  }
  for (; r < rows; ++r) {
    const std::uint8_t* row = data + r * row_bytes;
    for (std::size_t i = 0; i < row_bytes; ++i) row_hashes[r] = (row_hashes[r] ^ row[i]) * kFnvPrime;
  }
  std::uint64_t hash = kFnvOffset;
  for (std::uint64_t row_hash : row_hashes)
    for (int b = 0; b < 8; ++b) hash = (hash ^ ((row_hash >> (8 * b)) & 0xff)) * kFnvPrime;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

imeval::EvalTransformSpec spec_of(const nlohmann::json& c) {
  imeval::EvalTransformSpec spec;
  spec.img_height = c.at("input_size")[0].get<int>();
  spec.img_width = c.at("input_size")[1].get<int>();
  spec.crop_pct = c.at("crop_pct").get<double>();
  spec.crop_mode = imeval::parse_crop_mode(c.at("crop_mode").get<std::string>());
  spec.interpolation = imeval::parse_interpolation(c.at("interpolation").get<std::string>());
  for (int i = 0; i < 3; ++i) {
    spec.mean[i] = c.at("mean")[i].get<double>();
    spec.std[i] = c.at("std")[i].get<double>();
  }
  spec.resize_backend = imeval::ResizeBackend::pil;
  return spec;
}

std::string describe(const nlohmann::json& c) {
  return std::to_string(c.at("input_size")[0].get<int>()) + "x" + std::to_string(c.at("input_size")[1].get<int>()) +
         " crop_pct " + c.at("crop_pct").dump() + " " + c.at("crop_mode").get<std::string>() + " " +
         c.at("interpolation").get<std::string>();
}

struct Tally {
  std::size_t images = 0, cases = 0, pixels = 0, crops_differing = 0, tensors_differing = 0;
};

// Decodes each image once and checks it against every case's golden hashes.
void compare_images(const fs::path& dir, const nlohmann::json& images, const nlohmann::json& cases,
                    const std::vector<imeval::EvalTransformSpec>& specs, Tally& tally) {
  std::vector<float> tensor;
  for (const auto& [name, expected] : images.items()) {
    const cv::Mat rgb = imeval::read_image_rgb(dir / name);
    INFO("image " << name);
    REQUIRE(rgb.cols == expected.at("width").get<int>());
    REQUIRE(rgb.rows == expected.at("height").get<int>());
    const nlohmann::json& hashes = expected.at("hashes");
    REQUIRE(hashes.size() == specs.size());
    ++tally.images;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const imeval::EvalTransformSpec& spec = specs[i];
      const std::string expected_hashes = hashes[i].get<std::string>();
      cv::Mat crop = imeval::apply_eval_geometry(rgb, spec);
      REQUIRE(crop.type() == CV_8UC3);
      REQUIRE(crop.rows == spec.img_height);
      REQUIRE(crop.cols == spec.img_width);
      if (!crop.isContinuous()) crop = crop.clone();
      tensor.resize(3 * crop.total());
      imeval::normalize_to_chw(crop, spec, tensor.data());
      const std::string crop_hash = rows_fnv1a64(crop.data, crop.rows, crop.cols * 3);
      const std::string tensor_hash = rows_fnv1a64(reinterpret_cast<const std::uint8_t*>(tensor.data()),
                                                   3 * crop.rows, crop.cols * sizeof(float));
      ++tally.cases;
      tally.pixels += crop.total();
      const bool crop_same = crop_hash == expected_hashes.substr(0, 16);
      const bool tensor_same = tensor_hash == expected_hashes.substr(17);
      tally.crops_differing += !crop_same;
      tally.tensors_differing += !tensor_same;
      if (!crop_same || !tensor_same) {
        INFO("case " << i << ": " << describe(cases[i]));
        CHECK(crop_same);
        CHECK(tensor_same);
      }
    }
  }
}

}  // namespace

TEST_CASE("eval geometry and normalisation reproduce timm on every fixture image", "[preprocess][golden]") {
  std::ifstream file(kGoldenPath);
  REQUIRE(file);
  const nlohmann::json golden = nlohmann::json::parse(file);
  const nlohmann::json& cases = golden.at("cases");
  std::vector<imeval::EvalTransformSpec> specs;
  for (const auto& c : cases) specs.push_back(spec_of(c));

  Tally tally;
  compare_images(kImagesDir, golden.at("images"), cases, specs, tally);
  const fs::path shared = imeval_test::shared_dir();
  if (shared.empty()) {
    WARN("shared assets not found: skipping the " << golden.at("shared_images").size() << " shared sample images");
  } else {
    compare_images(shared / golden.at("shared_sample").get<std::string>(), golden.at("shared_images"), cases, specs,
                   tally);
  }
  WARN("preprocess vs timm: " << tally.images << " images, " << tally.cases << " cases, " << tally.pixels
                              << " pixels compared; " << tally.crops_differing << " uint8 crops and "
                              << tally.tensors_differing << " float tensors differ");
  CHECK(tally.crops_differing == 0);
  CHECK(tally.tensors_differing == 0);
}
