// libFuzzer target: arbitrary bytes through decode, resize, crop and normalize, as the pipeline runs them.
// Any exception other than ImageDecodeError, and any sanitizer report, is a finding.
#include "imeval/decode.h"
#include "imeval/transforms.h"

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>
#include <turbojpeg.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// Valid images up to Pillow's bomb limit can take seconds each; the size checks themselves are unit-tested.
constexpr std::uint64_t kMaxFuzzPixels = 4'000'000;

bool too_large_to_fuzz(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() >= 24 && std::memcmp(bytes.data(), "\x89PNG", 4) == 0) {
    auto be32 = [&](std::size_t at) {
      return (std::uint64_t{bytes[at]} << 24) | (std::uint64_t{bytes[at + 1]} << 16) | (std::uint64_t{bytes[at + 2]} << 8) |
             bytes[at + 3];
    };
    return be32(16) * be32(20) > kMaxFuzzPixels;
  }
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8) {
    thread_local tjhandle handle = tjInitDecompress();
    int width = 0, height = 0, subsampling = 0, colorspace = 0;
    tjDecompressHeader3(handle, bytes.data(), static_cast<unsigned long>(bytes.size()), &width, &height, &subsampling,
                        &colorspace);
    return static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > kMaxFuzzPixels;
  }
  return false;  // BMP, TIFF and WebP are bounded by OPENCV_IO_MAX_IMAGE_PIXELS below
}

// The last byte picks the transform settings, so every code path of the geometry gets inputs.
imeval::EvalTransformSpec spec_from(std::uint8_t selector) {
  static const imeval::Interpolation kInterpolations[] = {
      imeval::Interpolation::nearest, imeval::Interpolation::bilinear, imeval::Interpolation::bicubic,
      imeval::Interpolation::box,     imeval::Interpolation::hamming,  imeval::Interpolation::lanczos};
  static const imeval::CropMode kCropModes[] = {imeval::CropMode::center, imeval::CropMode::squash, imeval::CropMode::border};
  imeval::EvalTransformSpec spec;
  spec.interpolation = kInterpolations[selector % 6];
  spec.crop_mode = kCropModes[(selector / 6) % 3];
  spec.img_height = spec.img_width = (selector & 0x80) ? 37 : 64;
  spec.crop_pct = (selector & 0x40) ? 1.0 : 0.875;
  spec.resize_backend = (selector & 0x20) ? imeval::ResizeBackend::opencv : imeval::ResizeBackend::pil;
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "4000000", 1);
  cv::setNumThreads(1);
  spdlog::set_level(spdlog::level::err);  // the large-image warning would flood the log
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (too_large_to_fuzz(bytes)) return 0;
  cv::Mat rgb;
  try {
    rgb = imeval::decode_rgb(bytes, "fuzz-input");
  } catch (const imeval::ImageDecodeError&) {
    return 0;
  }
  if (rgb.type() != CV_8UC3 || rgb.empty()) std::abort();
  const imeval::EvalTransformSpec spec = spec_from(size ? data[size - 1] : 0);
  cv::Mat crop = imeval::apply_eval_geometry(rgb, spec);
  if (crop.rows != spec.img_height || crop.cols != spec.img_width || crop.type() != CV_8UC3) std::abort();
  std::vector<float> chw(3 * static_cast<std::size_t>(crop.rows) * crop.cols);
  imeval::normalize_to_chw(crop, spec, chw.data());
  return 0;
}
