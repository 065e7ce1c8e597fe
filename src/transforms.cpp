#include "imeval/transforms.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace imeval {
namespace {

// Python's round() on a double: half to even, which nearbyint does in the default rounding mode.
int python_round(double v) { return static_cast<int>(std::nearbyint(v)); }

cv::Mat resize_to(const cv::Mat& rgb, cv::Size size, const EvalTransformSpec& spec) {
  if (rgb.size() == size) return rgb;
  return spec.resize_backend == ResizeBackend::pil ? pil_resize(rgb, size, spec.interpolation)
                                                   : opencv_resize(rgb, size, spec.interpolation);
}

// timm's ResizeKeepRatio without randomness: longest = 0 fits the shorter side, 1 the longer side.
cv::Size keep_ratio_size(cv::Size image, cv::Size target, double longest) {
  double ratio_h = static_cast<double>(image.height) / target.height;
  double ratio_w = static_cast<double>(image.width) / target.width;
  double ratio = std::max(ratio_h, ratio_w) * longest + std::min(ratio_h, ratio_w) * (1.0 - longest);
  return {python_round(image.width / ratio), python_round(image.height / ratio)};
}

// torchvision's center_crop (fill 0) and timm's CenterCropOrPad: pad to at least the crop, then crop.
cv::Mat center_crop_or_pad(const cv::Mat& img, int crop_h, int crop_w, const cv::Scalar& fill) {
  cv::Mat padded = img;
  if (crop_w > img.cols || crop_h > img.rows) {
    int left = crop_w > img.cols ? (crop_w - img.cols) / 2 : 0;
    int top = crop_h > img.rows ? (crop_h - img.rows) / 2 : 0;
    int right = crop_w > img.cols ? (crop_w - img.cols + 1) / 2 : 0;
    int bottom = crop_h > img.rows ? (crop_h - img.rows + 1) / 2 : 0;
    cv::copyMakeBorder(img, padded, top, bottom, left, right, cv::BORDER_CONSTANT, fill);
    if (padded.cols == crop_w && padded.rows == crop_h) return padded;
  }
  int top = python_round((padded.rows - crop_h) / 2.0);
  int left = python_round((padded.cols - crop_w) / 2.0);
  return padded(cv::Rect(left, top, crop_w, crop_h));
}

}  // namespace

CropMode parse_crop_mode(const std::string& name) {
  if (name == "center") return CropMode::center;
  if (name == "squash") return CropMode::squash;
  if (name == "border") return CropMode::border;
  throw std::invalid_argument(fmt::format("unknown crop mode '{}' (expected center, squash or border)", name));
}

std::string to_string(CropMode mode) {
  switch (mode) {
    case CropMode::center: return "center";
    case CropMode::squash: return "squash";
    case CropMode::border: return "border";
  }
  return "center";
}

ResizeBackend parse_resize_backend(const std::string& name) {
  if (name == "pil") return ResizeBackend::pil;
  if (name == "opencv") return ResizeBackend::opencv;
  throw std::invalid_argument(fmt::format("unknown resize backend '{}' (expected pil or opencv)", name));
}

std::string to_string(ResizeBackend backend) { return backend == ResizeBackend::pil ? "pil" : "opencv"; }

cv::Size scale_size(const EvalTransformSpec& spec) {
  return {static_cast<int>(std::floor(spec.img_width / spec.crop_pct)),
          static_cast<int>(std::floor(spec.img_height / spec.crop_pct))};
}

cv::Size shorter_side_resize_size(cv::Size image, int shorter_side) {
  int w = image.width, h = image.height;
  int shorter = std::min(w, h), longer = std::max(w, h);
  // torchvision truncates: int(size * long / short), with Python's true division in double.
  int new_long = static_cast<int>(static_cast<double>(shorter_side) * longer / shorter);
  return w <= h ? cv::Size(shorter_side, new_long) : cv::Size(new_long, shorter_side);
}

cv::Mat apply_eval_geometry(const cv::Mat& rgb, const EvalTransformSpec& spec) {
  cv::Size scale = scale_size(spec);
  cv::Mat resized;
  cv::Scalar fill(0, 0, 0);
  switch (spec.crop_mode) {
    case CropMode::squash:
      resized = resize_to(rgb, scale, spec);
      break;
    case CropMode::border:
      resized = resize_to(rgb, keep_ratio_size(rgb.size(), scale, 1.0), spec);
      fill = cv::Scalar(python_round(255 * spec.mean[0]), python_round(255 * spec.mean[1]), python_round(255 * spec.mean[2]));
      break;
    case CropMode::center:
      resized = scale.width == scale.height ? resize_to(rgb, shorter_side_resize_size(rgb.size(), scale.height), spec)
                                            : resize_to(rgb, keep_ratio_size(rgb.size(), scale, 0.0), spec);
      break;
  }
  return center_crop_or_pad(resized, spec.img_height, spec.img_width, fill);
}

void normalize_to_chw(const cv::Mat& rgb, const EvalTransformSpec& spec, float* out) {
  CV_Assert(rgb.type() == CV_8UC3);
  const int h = rgb.rows, w = rgb.cols;
  const size_t plane = static_cast<size_t>(h) * w;
  // A uint8 input has 256 values per channel: a table of the exact float results replaces the division.
  float table[3][256];
  for (int c = 0; c < 3; ++c) {
    // Rounded to float32 from double, as torch.tensor([x * 255 for x in mean]) does.
    const auto offset = static_cast<float>(spec.mean[c] * 255.0);
    const auto scale = static_cast<float>(spec.std[c] * 255.0);
    for (int v = 0; v < 256; ++v) table[c][v] = (static_cast<float>(v) - offset) / scale;
  }
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = rgb.ptr<unsigned char>(y);
    float* r = out + static_cast<size_t>(y) * w;
    float* g = r + plane;
    float* b = g + plane;
    for (int x = 0; x < w; ++x) {
      r[x] = table[0][row[3 * x + 0]];
      g[x] = table[1][row[3 * x + 1]];
      b[x] = table[2][row[3 * x + 2]];
    }
  }
}

}  // namespace imeval
