// Pillow-exact resampling of 8-bit images.
//
//   cv::Mat rgb = ...;                                   // CV_8UC3, RGB order
//   cv::Mat out = imeval::pil_resize(rgb, {256, 341}, imeval::Interpolation::bilinear);
//
// pil_resize reproduces Pillow 9.4's Image.resize(size, resample) (no box, no
// reducing_gap) bit for bit: same filter supports, coefficients, fixed-point
// rounding and pass order. opencv_resize is the faster, non-exact alternative.
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace imeval {

enum class Interpolation { nearest, bilinear, bicubic, box, hamming, lanczos };

// Parses "nearest", "bilinear", "bicubic", "box", "hamming", "lanczos"; throws std::invalid_argument otherwise.
Interpolation parse_interpolation(const std::string& name);
std::string to_string(Interpolation interpolation);

// src: CV_8UC1, CV_8UC3 or CV_8UC4, any size >= 1x1. size: (width, height), both >= 1.
cv::Mat pil_resize(const cv::Mat& src, cv::Size size, Interpolation interpolation);

// cv::resize with the closest OpenCV flag; fast, not Pillow's pixels.
cv::Mat opencv_resize(const cv::Mat& src, cv::Size size, Interpolation interpolation);

}  // namespace imeval
