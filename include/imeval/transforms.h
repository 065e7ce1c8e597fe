// timm's eval transform (transforms_imagenet_eval) on decoded RGB images.
//
//   imeval::EvalTransformSpec spec;                    // 224, crop 0.875, bicubic, ImageNet mean/std
//   cv::Mat crop = imeval::apply_eval_geometry(rgb, spec);   // CV_8UC3, 224x224
//   imeval::normalize_to_chw(crop, spec, tensor_ptr);        // float32, 3x224x224
//
// Geometry follows torchvision 0.14 exactly: Resize(int) truncates the long
// side, CenterCrop rounds offsets half-to-even and zero-pads small images.
#pragma once

#include "imeval/resample.h"

#include <opencv2/core.hpp>

#include <array>
#include <string>

namespace imeval {

enum class CropMode { center, squash, border };
enum class ResizeBackend { pil, opencv };

CropMode parse_crop_mode(const std::string& name);
std::string to_string(CropMode mode);
ResizeBackend parse_resize_backend(const std::string& name);
std::string to_string(ResizeBackend backend);

struct EvalTransformSpec {
  int img_height = 224;
  int img_width = 224;
  double crop_pct = 0.875;
  CropMode crop_mode = CropMode::center;
  Interpolation interpolation = Interpolation::bicubic;
  std::array<double, 3> mean{0.485, 0.456, 0.406};
  std::array<double, 3> std{0.229, 0.224, 0.225};
  ResizeBackend resize_backend = ResizeBackend::pil;
};

// timm: scale_size = floor(img_size / crop_pct) per dimension.
cv::Size scale_size(const EvalTransformSpec& spec);

// torchvision's Resize(int) output size (width, height) for an image of the given size.
cv::Size shorter_side_resize_size(cv::Size image, int shorter_side);

// Resize + crop (or pad) of an RGB uint8 image to img_height x img_width, as timm's eval transform does.
cv::Mat apply_eval_geometry(const cv::Mat& rgb, const EvalTransformSpec& spec);

// Writes (pixel - 255*mean) / (255*std) in float32, planar CHW, like timm's
// prefetcher (validate.py's default). out holds 3*rows*cols floats.
void normalize_to_chw(const cv::Mat& rgb, const EvalTransformSpec& spec, float* out);

}  // namespace imeval
