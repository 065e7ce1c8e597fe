#include "imeval/resample.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using imeval::Interpolation;

const std::vector<Interpolation> kAllInterpolations = {Interpolation::nearest, Interpolation::bilinear,
                                                       Interpolation::bicubic, Interpolation::box,
                                                       Interpolation::hamming, Interpolation::lanczos};

const std::string kGoldenDir = std::string(IMEVAL_SOURCE_DIR) + "/tests/golden/resample";

std::string fnv1a64_hex(const cv::Mat& image) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const size_t row_bytes = static_cast<size_t>(image.cols) * image.elemSize();
  for (int y = 0; y < image.rows; ++y) {
    const std::uint8_t* row = image.ptr<std::uint8_t>(y);
    for (size_t i = 0; i < row_bytes; ++i) {
      hash ^= row[i];
      hash *= 0x100000001b3ULL;
    }
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

// Reads a golden PNG in Pillow's channel order (OpenCV decodes to BGR/BGRA).
cv::Mat read_rgb_png(const std::string& path) {
  cv::Mat image = cv::imread(path, cv::IMREAD_UNCHANGED);
  if (image.empty()) throw std::runtime_error("cannot read " + path);
  if (image.channels() == 3) cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
  if (image.channels() == 4) cv::cvtColor(image, image, cv::COLOR_BGRA2RGBA);
  return image;
}

nlohmann::json read_manifest() {
  std::ifstream file(kGoldenDir + "/manifest.json");
  if (!file) throw std::runtime_error("cannot open " + kGoldenDir + "/manifest.json");
  return nlohmann::json::parse(file);
}

cv::Mat random_image(int width, int height, int type, unsigned seed) {
  cv::Mat image(height, width, type);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(0, 255);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = image.ptr<std::uint8_t>(y);
    for (size_t i = 0; i < static_cast<size_t>(width) * image.elemSize(); ++i) row[i] = static_cast<std::uint8_t>(value(rng));
  }
  return image;
}

bool identical(const cv::Mat& a, const cv::Mat& b) {
  return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0.0;
}

}  // namespace

TEST_CASE("pil_resize matches Pillow 9.4 golden hashes", "[resample][golden]") {
  const nlohmann::json manifest = read_manifest();

  std::map<std::string, cv::Mat> inputs;
  for (const auto& entry : manifest.at("inputs")) {
    const std::string name = entry.at("name");
    cv::Mat image = read_rgb_png(kGoldenDir + "/" + entry.at("file").get<std::string>());
    INFO("input " << name);
    REQUIRE(image.cols == entry.at("width").get<int>());
    REQUIRE(image.rows == entry.at("height").get<int>());
    REQUIRE(fnv1a64_hex(image) == entry.at("fnv1a64").get<std::string>());
    inputs[name] = image;
  }

  size_t cases = 0;
  size_t pixels = 0;
  std::vector<std::string> mismatches;
  for (const auto& entry : manifest.at("cases")) {
    const std::string input = entry.at("input");
    const std::string filter = entry.at("filter");
    const cv::Size size(entry.at("width").get<int>(), entry.at("height").get<int>());
    const cv::Mat out = imeval::pil_resize(inputs.at(input), size, imeval::parse_interpolation(filter));
    ++cases;
    pixels += static_cast<size_t>(size.area());
    const bool same_shape = out.size() == size && out.channels() == entry.at("channels").get<int>();
    if (!same_shape || fnv1a64_hex(out) != entry.at("fnv1a64").get<std::string>()) {
      std::ostringstream description;
      description << input << " -> " << size.width << "x" << size.height << " " << filter;
      mismatches.push_back(description.str());
    }
  }

  std::ostringstream summary;
  summary << "resample golden: " << cases << " cases, " << pixels << " output pixels compared, "
          << mismatches.size() << " cases differ";
  for (size_t i = 0; i < mismatches.size() && i < 20; ++i) summary << "\n  differs: " << mismatches[i];
  WARN(summary.str());
  CHECK(cases == manifest.at("cases").size());
  CHECK(cases > 0);
  CHECK(mismatches.empty());
}

TEST_CASE("pil_resize keeps a constant image constant under every filter", "[resample]") {
  for (int type : {CV_8UC1, CV_8UC3, CV_8UC4}) {
    const cv::Mat constant(37, 53, type, cv::Scalar(201, 7, 130, 255));
    for (Interpolation interpolation : kAllInterpolations) {
      for (cv::Size size : {cv::Size(1, 1), cv::Size(5, 3), cv::Size(53, 11), cv::Size(120, 37), cv::Size(200, 300)}) {
        INFO("type " << type << " " << imeval::to_string(interpolation) << " " << size);
        const cv::Mat out = imeval::pil_resize(constant, size, interpolation);
        REQUIRE(out.size() == size);
        REQUIRE(out.type() == type);
        const cv::Mat expected(size, type, cv::Scalar(201, 7, 130, 255));
        CHECK(identical(out, expected));
      }
    }
  }
}

TEST_CASE("pil_resize to the same size returns an identical copy", "[resample]") {
  for (int type : {CV_8UC1, CV_8UC3, CV_8UC4}) {
    const cv::Mat image = random_image(31, 17, type, 7u + static_cast<unsigned>(type));
    for (Interpolation interpolation : kAllInterpolations) {
      INFO(imeval::to_string(interpolation));
      const cv::Mat out = imeval::pil_resize(image, image.size(), interpolation);
      CHECK(identical(out, image));
      CHECK(out.data != image.data);
    }
  }
}

TEST_CASE("pil_resize reads non-contiguous ROIs like the equivalent copy", "[resample]") {
  const cv::Mat image = random_image(80, 60, CV_8UC3, 11u);
  const cv::Mat roi = image(cv::Rect(5, 7, 50, 40));
  REQUIRE_FALSE(roi.isContinuous());
  for (Interpolation interpolation : kAllInterpolations) {
    INFO(imeval::to_string(interpolation));
    CHECK(identical(imeval::pil_resize(roi, {23, 61}, interpolation),
                    imeval::pil_resize(roi.clone(), {23, 61}, interpolation)));
  }
}

TEST_CASE("pil_resize nearest on integer factors picks source pixels", "[resample]") {
  const cv::Mat image = random_image(6, 4, CV_8UC1, 3u);
  const cv::Mat up = imeval::pil_resize(image, {12, 8}, Interpolation::nearest);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 12; ++x) CHECK(up.at<std::uint8_t>(y, x) == image.at<std::uint8_t>(y / 2, x / 2));
  const cv::Mat down = imeval::pil_resize(image, {3, 2}, Interpolation::nearest);
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x) CHECK(down.at<std::uint8_t>(y, x) == image.at<std::uint8_t>(2 * y + 1, 2 * x + 1));
}

TEST_CASE("pil_resize rejects unsupported inputs", "[resample]") {
  CHECK_THROWS_AS(imeval::pil_resize(cv::Mat(4, 4, CV_8UC2, cv::Scalar(0)), {2, 2}, Interpolation::bilinear),
                  std::invalid_argument);
  CHECK_THROWS_AS(imeval::pil_resize(cv::Mat(4, 4, CV_32FC3, cv::Scalar(0)), {2, 2}, Interpolation::bilinear),
                  std::invalid_argument);
  CHECK_THROWS_AS(imeval::pil_resize(cv::Mat(), {2, 2}, Interpolation::bilinear), std::invalid_argument);
  CHECK_THROWS_AS(imeval::pil_resize(cv::Mat(4, 4, CV_8UC3, cv::Scalar(0)), {0, 2}, Interpolation::bilinear),
                  std::invalid_argument);
}

TEST_CASE("opencv_resize produces the requested size for every interpolation", "[resample]") {
  const cv::Mat image = random_image(40, 30, CV_8UC3, 5u);
  for (Interpolation interpolation : kAllInterpolations) {
    INFO(imeval::to_string(interpolation));
    const cv::Mat out = imeval::opencv_resize(image, {17, 45}, interpolation);
    CHECK(out.size() == cv::Size(17, 45));
    CHECK(out.type() == CV_8UC3);
  }
}

TEST_CASE("interpolation names round-trip and bad names are rejected", "[resample]") {
  for (Interpolation interpolation : kAllInterpolations)
    CHECK(imeval::parse_interpolation(imeval::to_string(interpolation)) == interpolation);
  CHECK(imeval::to_string(Interpolation::bicubic) == "bicubic");
  try {
    imeval::parse_interpolation("trilinear");
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    CHECK(message.find("trilinear") != std::string::npos);
    CHECK(message.find("bilinear") != std::string::npos);
    CHECK(message.find("lanczos") != std::string::npos);
  }
}
