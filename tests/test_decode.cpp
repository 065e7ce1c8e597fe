#include "imeval/decode.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path kImagesDir = fs::path(IMEVAL_SOURCE_DIR) / "tests" / "fixtures" / "images";
const fs::path kGoldenPath = fs::path(IMEVAL_SOURCE_DIR) / "tests" / "golden" / "decode.json";

nlohmann::json load_golden() {
  std::ifstream file(kGoldenPath);
  REQUIRE(file);
  return nlohmann::json::parse(file);
}

std::string fnv1a64_hex(const cv::Mat& rgb) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (int y = 0; y < rgb.rows; ++y) {
    const std::uint8_t* row = rgb.ptr<std::uint8_t>(y);
    const std::size_t row_bytes = static_cast<std::size_t>(rgb.cols) * rgb.elemSize();
    for (std::size_t i = 0; i < row_bytes; ++i) {
      hash ^= row[i];
      hash *= 0x100000001b3ULL;
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string decode_error_message(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  try {
    imeval::decode_rgb(bytes, name);
  } catch (const imeval::ImageDecodeError& error) {
    return error.what();
  }
  return {};
}

void put_be32(std::vector<std::uint8_t>& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

}  // namespace

TEST_CASE("decode_rgb reproduces Pillow's convert('RGB') on every fixture image", "[decode]") {
  const nlohmann::json golden = load_golden();
  std::size_t images_compared = 0;
  std::size_t pixels_compared = 0;
  std::size_t images_differing = 0;
  std::size_t pixels_in_differing_images = 0;
  for (const auto& [relative, expected] : golden.at("images").items()) {
    if (expected.contains("error")) continue;
    INFO("image " << relative);
    const cv::Mat rgb = imeval::read_image_rgb(kImagesDir / relative);
    REQUIRE(rgb.type() == CV_8UC3);
    REQUIRE(rgb.cols == expected.at("width").get<int>());
    REQUIRE(rgb.rows == expected.at("height").get<int>());
    ++images_compared;
    pixels_compared += rgb.total();
    const bool same = fnv1a64_hex(rgb) == expected.at("fnv1a64").get<std::string>();
    CHECK(same);
    if (!same) {
      ++images_differing;
      pixels_in_differing_images += rgb.total();
    }
  }
  WARN("decode vs Pillow: " << images_compared << " images, " << pixels_compared << " pixels compared; "
                            << images_differing << " images (" << pixels_in_differing_images
                            << " pixels) differ");
  CHECK(images_compared >= 30);
  CHECK(images_differing == 0);
}

TEST_CASE("images Pillow rejects throw ImageDecodeError naming the file", "[decode]") {
  const nlohmann::json golden = load_golden();
  std::size_t error_fixtures = 0;
  for (const auto& [relative, expected] : golden.at("images").items()) {
    if (!expected.contains("error")) continue;
    ++error_fixtures;
    const fs::path path = kImagesDir / relative;
    const std::string message = decode_error_message(imeval::read_file_bytes(path), path.string());
    INFO("image " << relative << ", message: " << message);
    REQUIRE_FALSE(message.empty());
    CHECK(message.find(path.string()) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
    const std::string kind = expected.at("error").get<std::string>();
    if (kind == "truncated") CHECK(message.find("truncated") != std::string::npos);
  }
  CHECK(error_fixtures >= 5);
}

TEST_CASE("specific error causes are named", "[decode]") {
  CHECK_THAT(decode_error_message({}, "x.jpg"), Catch::Contains("'x.jpg'") && Catch::Contains("empty"));
  const std::vector<std::uint8_t> text{'h', 'e', 'l', 'l', 'o'};
  CHECK_THAT(decode_error_message(text, "t.jpg"), Catch::Contains("unknown image format"));
  CHECK_THAT(decode_error_message(imeval::read_file_bytes(kImagesDir / "error_truncated.jpg"), "cut.jpg"),
             Catch::Equals("cannot decode image 'cut.jpg': truncated JPEG data"));
}

TEST_CASE("read_file_bytes names the path and the system error", "[decode]") {
  const fs::path missing = kImagesDir / "no_such_image.jpg";
  try {
    imeval::read_file_bytes(missing);
    FAIL("expected ImageDecodeError");
  } catch (const imeval::ImageDecodeError& error) {
    CHECK_THAT(error.what(), Catch::Contains(missing.string()) && Catch::Contains("No such file"));
  }
  CHECK(imeval::read_file_bytes(kImagesDir / "error_empty.jpg").empty());
}

TEST_CASE("CMYK and YCCK JPEGs are inverted and converted like Pillow", "[decode]") {
  // The CMYK fixture was saved from the same photo as jpeg_rgb_444.jpg, so they must look alike;
  // a missing Adobe inversion would produce a photographic negative.
  const cv::Mat from_cmyk = imeval::read_image_rgb(kImagesDir / "jpeg_cmyk.jpg");
  const cv::Mat from_rgb = imeval::read_image_rgb(kImagesDir / "jpeg_rgb_444.jpg");
  REQUIRE(from_cmyk.size() == from_rgb.size());
  cv::Mat difference;
  cv::absdiff(from_cmyk, from_rgb, difference);
  CHECK(cv::mean(difference)[0] < 8.0);
  CHECK(fnv1a64_hex(from_cmyk) == load_golden().at("images").at("jpeg_cmyk.jpg").at("fnv1a64").get<std::string>());

  const cv::Mat from_ycck = imeval::read_image_rgb(kImagesDir / "jpeg_ycck.jpg");
  REQUIRE(from_ycck.size() == from_rgb.size());
  cv::absdiff(from_ycck, from_rgb, difference);
  CHECK(cv::mean(difference)[0] < 8.0);
}

TEST_CASE("EXIF orientation is not applied", "[decode]") {
  const cv::Mat rgb = imeval::read_image_rgb(kImagesDir / "jpeg_exif_orientation6.jpg");
  CHECK(rgb.cols == 300);
  CHECK(rgb.rows == 200);
}

TEST_CASE("decompression bombs are refused from the header size", "[decode]") {
  SECTION("PNG") {
    std::vector<std::uint8_t> png = imeval::read_file_bytes(kImagesDir / "png_rgb.png");
    put_be32(png, 16, 20000);
    put_be32(png, 20, 20000);
    CHECK_THAT(decode_error_message(png, "bomb.png"),
               Catch::Contains("'bomb.png'") && Catch::Contains("20000x20000") && Catch::Contains("bomb"));
  }
  SECTION("JPEG") {
    std::vector<std::uint8_t> jpeg = imeval::read_file_bytes(kImagesDir / "jpeg_17x23.jpg");
    const std::vector<std::uint8_t> sof0{0xFF, 0xC0};
    const auto sof = std::search(jpeg.begin(), jpeg.end(), sof0.begin(), sof0.end());
    REQUIRE(sof != jpeg.end());
    const std::size_t at = static_cast<std::size_t>(sof - jpeg.begin());
    // SOF0: marker, length(2), precision(1), height(2), width(2)
    jpeg[at + 5] = 0xFD;
    jpeg[at + 6] = 0xE8;
    jpeg[at + 7] = 0xFD;
    jpeg[at + 8] = 0xE8;
    CHECK_THAT(decode_error_message(jpeg, "bomb.jpg"),
               Catch::Contains("'bomb.jpg'") && Catch::Contains("65000x65000") && Catch::Contains("bomb"));
  }
}

TEST_CASE("decode_rgb gives the same pixels when called from many threads", "[decode]") {
  const std::vector<std::string> names{"jpeg_rgb_420.jpg", "jpeg_gray.jpg",  "jpeg_cmyk.jpg",
                                       "jpeg_progressive.jpg", "png_rgba.png", "png_gray16.png"};
  std::vector<std::vector<std::uint8_t>> files;
  std::vector<std::string> serial_hashes;
  for (const auto& name : names) {
    files.push_back(imeval::read_file_bytes(kImagesDir / name));
    serial_hashes.push_back(fnv1a64_hex(imeval::decode_rgb(files.back(), name)));
  }
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const std::size_t i = static_cast<std::size_t>(t + round) % names.size();
        if (fnv1a64_hex(imeval::decode_rgb(files[i], names[i])) != serial_hashes[i]) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) CHECK(mismatches[t] == 0);
}
