#include "imeval/decode.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace imeval {
namespace {

// PIL.Image.MAX_IMAGE_PIXELS; Pillow refuses images with more than twice this many pixels.
constexpr std::uint64_t kPillowMaxImagePixels = 89'478'485;
constexpr std::uint64_t kPillowBombPixels = 2 * kPillowMaxImagePixels;

enum class ImageFormat { Jpeg, Png, Bmp, Tiff, WebP, Gif, Unknown };

[[noreturn]] void fail(const std::string& name, const std::string& cause) {
  throw ImageDecodeError(fmt::format("cannot decode image '{}': {}", name, cause));
}

bool starts_with(const std::vector<std::uint8_t>& bytes, std::size_t offset, const char* magic,
                 std::size_t length) {
  return bytes.size() >= offset + length && std::memcmp(bytes.data() + offset, magic, length) == 0;
}

// Same signatures Pillow's plugins accept, so the extension never matters.
ImageFormat sniff_format(const std::vector<std::uint8_t>& bytes) {
  if (starts_with(bytes, 0, "\xFF\xD8\xFF", 3)) return ImageFormat::Jpeg;
  if (starts_with(bytes, 0, "\x89PNG\r\n\x1A\n", 8)) return ImageFormat::Png;
  if (starts_with(bytes, 0, "BM", 2)) return ImageFormat::Bmp;
  if (starts_with(bytes, 0, "II*\0", 4) || starts_with(bytes, 0, "MM\0*", 4)) return ImageFormat::Tiff;
  if (starts_with(bytes, 0, "RIFF", 4) && starts_with(bytes, 8, "WEBP", 4)) return ImageFormat::WebP;
  if (starts_with(bytes, 0, "GIF87a", 6) || starts_with(bytes, 0, "GIF89a", 6)) return ImageFormat::Gif;
  return ImageFormat::Unknown;
}

// Pillow raises DecompressionBombError over twice MAX_IMAGE_PIXELS and only warns over it once.
void check_pixel_count(std::uint64_t width, std::uint64_t height, const std::string& name, bool warn_if_large = true) {
  if (width * height > kPillowBombPixels) {
    fail(name, fmt::format("image size {}x{} ({} pixels) exceeds the decompression bomb limit of {} pixels",
                           width, height, width * height, kPillowBombPixels));
  }
  if (warn_if_large && width * height > kPillowMaxImagePixels) {
    spdlog::warn("image '{}' is {}x{} ({} pixels), over Pillow's limit of {} pixels: a possible decompression bomb",
                 name, width, height, width * height, kPillowMaxImagePixels);
  }
}

std::uint32_t read_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::uint32_t read_le32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

// IHDR is always the first chunk, so the size is known before libpng allocates anything.
void check_png_header(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  if (bytes.size() < 24 || !starts_with(bytes, 12, "IHDR", 4)) fail(name, "PNG header is missing or truncated");
  check_pixel_count(read_be32(bytes.data() + 16), read_be32(bytes.data() + 20), name);
}

void check_bmp_header(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  if (bytes.size() < 26) fail(name, "BMP header is truncated");
  if (read_le32(bytes.data() + 14) == 12) {
    return;  // OS/2 headers hold 16-bit sizes, which cannot exceed the limit
  }
  const auto width = static_cast<std::int32_t>(read_le32(bytes.data() + 18));
  const auto height = static_cast<std::int32_t>(read_le32(bytes.data() + 22));
  check_pixel_count(static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(width))),
                    static_cast<std::uint64_t>(std::abs(static_cast<std::int64_t>(height))), name);
}

struct TurboJpegDecompressor {
  tjhandle handle = tjInitDecompress();
  TurboJpegDecompressor() = default;
  TurboJpegDecompressor(const TurboJpegDecompressor&) = delete;
  TurboJpegDecompressor& operator=(const TurboJpegDecompressor&) = delete;
  ~TurboJpegDecompressor() {
    if (handle != nullptr) tjDestroy(handle);
  }
};

// A tjhandle must not be shared between threads; one per thread avoids re-creating it per image.
tjhandle thread_decompressor(const std::string& name) {
  thread_local TurboJpegDecompressor decompressor;
  if (decompressor.handle == nullptr) fail(name, fmt::format("cannot create TurboJPEG decompressor: {}", tjGetErrorStr2(nullptr)));
  return decompressor.handle;
}

// libjpeg reports running out of data as a warning and pads with gray; Pillow instead raises
// "image file is truncated", so this particular warning must become an error.
bool is_premature_end_warning(tjhandle handle) {
  return std::strstr(tjGetErrorStr2(handle), "Premature end of JPEG file") != nullptr;
}

// libjpeg keeps only the first warning's text, so an earlier benign warning can hide running out of
// data; a complete stream always has an EOI marker after its last SOS (entropy data never holds FFD9).
bool has_eoi_after_last_scan(const std::vector<std::uint8_t>& bytes) {
  std::size_t last_sos = 0;
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xDA) last_sos = i;
  }
  for (std::size_t i = last_sos; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9) return true;
  }
  return false;
}

// Pillow's Convert.c cmyk2rgb: channel = clip(nk - round(channel * nk / 255)), nk = 255 - k.
std::uint8_t pillow_cmyk_channel(int ink, int not_black) {
  const int product = ink * not_black + 128;
  const int scaled = ((product >> 8) + product) >> 8;
  return static_cast<std::uint8_t>(std::clamp(not_black - scaled, 0, 255));
}

cv::Mat cmyk_to_rgb_like_pillow(const cv::Mat& adobe_cmyk) {
  cv::Mat rgb(adobe_cmyk.rows, adobe_cmyk.cols, CV_8UC3);
  for (int y = 0; y < adobe_cmyk.rows; ++y) {
    const std::uint8_t* in = adobe_cmyk.ptr<std::uint8_t>(y);
    std::uint8_t* out = rgb.ptr<std::uint8_t>(y);
    for (int x = 0; x < adobe_cmyk.cols; ++x, in += 4, out += 3) {
      // Pillow unpacks JPEG CMYK as "CMYK;I" (Adobe stores inverted inks) before converting.
      const int not_black = in[3];
      out[0] = pillow_cmyk_channel(255 - in[0], not_black);
      out[1] = pillow_cmyk_channel(255 - in[1], not_black);
      out[2] = pillow_cmyk_channel(255 - in[2], not_black);
    }
  }
  return rgb;
}

cv::Mat decode_jpeg(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  tjhandle handle = thread_decompressor(name);
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(handle, bytes.data(), static_cast<unsigned long>(bytes.size()), &width, &height,
                          &subsampling, &colorspace) != 0) {
    if (tjGetErrorCode(handle) == TJERR_FATAL || width <= 0 || height <= 0) {
      fail(name, fmt::format("invalid JPEG header: {}", tjGetErrorStr2(handle)));
    }
  }
  check_pixel_count(static_cast<std::uint64_t>(width), static_cast<std::uint64_t>(height), name);

  // Pillow treats 4-component JPEGs as CMYK whatever the Adobe transform; libjpeg turns YCCK into CMYK.
  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  cv::Mat decoded(height, width, cmyk ? CV_8UC4 : CV_8UC3);
  const int pixel_format = cmyk ? TJPF_CMYK : TJPF_RGB;
  if (tjDecompress2(handle, bytes.data(), static_cast<unsigned long>(bytes.size()), decoded.data, decoded.cols, 0,
                    decoded.rows, pixel_format, 0) != 0) {
    // Other warnings (corrupt data libjpeg recovers from) are ignored, as Pillow ignores them.
    if (tjGetErrorCode(handle) == TJERR_FATAL) fail(name, fmt::format("corrupt JPEG data: {}", tjGetErrorStr2(handle)));
    if (is_premature_end_warning(handle) || !has_eoi_after_last_scan(bytes)) fail(name, "truncated JPEG data");
  }
  return cmyk ? cmyk_to_rgb_like_pillow(decoded) : decoded;
}

// Pillow opens 16-bit grayscale PNG as mode "I", whose conversion to RGB clips at 255.
cv::Mat clip_16bit_gray_to_rgb(const cv::Mat& gray16) {
  cv::Mat rgb(gray16.rows, gray16.cols, CV_8UC3);
  for (int y = 0; y < gray16.rows; ++y) {
    const std::uint16_t* in = gray16.ptr<std::uint16_t>(y);
    std::uint8_t* out = rgb.ptr<std::uint8_t>(y);
    for (int x = 0; x < gray16.cols; ++x, out += 3) {
      const auto value = static_cast<std::uint8_t>(std::min<std::uint16_t>(in[x], 255));
      out[0] = out[1] = out[2] = value;
    }
  }
  return rgb;
}

// Pillow's ";16B" raw modes keep the high byte of each 16-bit sample.
cv::Mat high_byte(const cv::Mat& image16) {
  cv::Mat image8(image16.rows, image16.cols, CV_MAKETYPE(CV_8U, image16.channels()));
  const int values_per_row = image16.cols * image16.channels();
  for (int y = 0; y < image16.rows; ++y) {
    const std::uint16_t* in = image16.ptr<std::uint16_t>(y);
    std::uint8_t* out = image8.ptr<std::uint8_t>(y);
    for (int i = 0; i < values_per_row; ++i) out[i] = static_cast<std::uint8_t>(in[i] >> 8);
  }
  return image8;
}

cv::Mat decode_with_opencv(const std::vector<std::uint8_t>& bytes, ImageFormat format, const std::string& name) {
  if (format == ImageFormat::Png) check_png_header(bytes, name);
  if (format == ImageFormat::Bmp) check_bmp_header(bytes, name);

  cv::Mat decoded;
  try {
    // IMREAD_UNCHANGED keeps 16-bit samples and alpha, and skips EXIF rotation as Pillow does.
    decoded = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data())),
                           cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    fail(name, fmt::format("corrupt or truncated image data: {}", e.what()));
  }
  if (decoded.empty()) fail(name, "corrupt or truncated image data");
  // PNG and BMP sizes were checked (and warned about) from their headers before decoding.
  const bool checked_before = format == ImageFormat::Png || format == ImageFormat::Bmp;
  check_pixel_count(static_cast<std::uint64_t>(decoded.cols), static_cast<std::uint64_t>(decoded.rows), name, !checked_before);

  if (format == ImageFormat::Tiff && decoded.channels() == 4) {
    // OpenCV reads TIFF alpha through libtiff's RGBA interface, which premultiplies the colour.
    fail(name, "TIFF images with alpha are not supported");
  }
  if (decoded.depth() == CV_16U && format != ImageFormat::Png) {
    // Only PNG's 16-bit modes ("I", ";16B") have been checked against Pillow.
    fail(name, "16-bit images other than PNG are not supported");
  }
  if (decoded.depth() == CV_16U && decoded.channels() == 1) return clip_16bit_gray_to_rgb(decoded);
  if (decoded.depth() == CV_16U) decoded = high_byte(decoded);
  if (decoded.depth() != CV_8U) fail(name, "unsupported sample type");

  cv::Mat rgb;
  switch (decoded.channels()) {
    case 1: cv::cvtColor(decoded, rgb, cv::COLOR_GRAY2RGB); break;
    case 3: cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(decoded, rgb, cv::COLOR_BGRA2RGB); break;  // alpha dropped, not blended
    default: fail(name, fmt::format("unsupported channel count {}", decoded.channels()));
  }
  return rgb;
}

}  // namespace

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw ImageDecodeError(fmt::format("cannot open image '{}': {}", path.string(), std::strerror(errno)));
  std::vector<std::uint8_t> bytes;
  std::error_code size_error;
  const auto expected_size = std::filesystem::file_size(path, size_error);
  if (!size_error) bytes.reserve(expected_size);
  // Reading until EOF rather than trusting the size also works for pipes and growing files.
  std::uint8_t chunk[1 << 16];
  std::size_t count = 0;
  while ((count = std::fread(chunk, 1, sizeof chunk, file.get())) > 0) bytes.insert(bytes.end(), chunk, chunk + count);
  if (std::ferror(file.get())) {
    throw ImageDecodeError(fmt::format("cannot read image '{}': {}", path.string(), std::strerror(errno)));
  }
  return bytes;
}

cv::Mat decode_rgb(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  if (bytes.empty()) fail(name, "file is empty");
  const ImageFormat format = sniff_format(bytes);
  switch (format) {
    case ImageFormat::Jpeg: return decode_jpeg(bytes, name);
    case ImageFormat::Png:
    case ImageFormat::Bmp:
    case ImageFormat::Tiff:
    case ImageFormat::WebP: return decode_with_opencv(bytes, format, name);
    case ImageFormat::Gif: fail(name, "GIF images are not supported");
    case ImageFormat::Unknown: break;
  }
  fail(name, "unknown image format");
}

}  // namespace imeval
