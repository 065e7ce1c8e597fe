// Image decoding with Pillow's semantics: decode_rgb(bytes) gives the pixels of
// PIL.Image.open(f).convert('RGB').
//
//   std::vector<unsigned char> bytes = imeval::read_file_bytes(path);
//   cv::Mat rgb = imeval::decode_rgb(bytes, path.string());   // CV_8UC3, R,G,B order
//
// The format is detected from the content, never from the extension. EXIF
// orientation is not applied (Pillow does not apply it, and timm's numbers come
// from Pillow). Grayscale is replicated, alpha dropped without blending,
// palettes expanded, 16-bit reduced and CMYK converted the way Pillow does.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace imeval {

// Thrown for unreadable, truncated, empty or unsupported images; what() names the image.
class ImageDecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

// name is used only in error messages.
cv::Mat decode_rgb(const std::vector<std::uint8_t>& bytes, const std::string& name);

inline cv::Mat read_image_rgb(const std::filesystem::path& path) {
  return decode_rgb(read_file_bytes(path), path.string());
}

}  // namespace imeval
