#include "imeval/resample.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(IMEVAL_RESAMPLE_NO_SIMD)
#define IMEVAL_RESAMPLE_AVX2 1
#include <immintrin.h>
#else
#define IMEVAL_RESAMPLE_AVX2 0
#endif

// The filter weights must be evaluated exactly as Pillow's C code does; a fused
// multiply-add (allowed by default with -march=haswell and newer) changes the last bit.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace imeval {
namespace {

// Pillow's Resample.c: 8 bits of result, 2 bits of headroom for negative lobes and overshoot.
constexpr int kPrecisionBits = 32 - 8 - 2;
constexpr int32_t kRoundingBias = 1 << (kPrecisionBits - 1);
constexpr double kPi = 3.14159265358979323846;

double box_filter(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }

double bilinear_filter(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

double hamming_filter(double x) {
  x = std::fabs(x);
  if (x == 0.0) return 1.0;
  if (x >= 1.0) return 0.0;
  x = x * kPi;
  // Pillow writes these two constants as float literals, so they carry float rounding.
  return std::sin(x) / x * (0.54f + 0.46f * std::cos(x));
}

double bicubic_filter(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

double sinc_filter(double x) {
  if (x == 0.0) return 1.0;
  x = x * kPi;
  return std::sin(x) / x;
}

double lanczos_filter(double x) {
  if (-3.0 <= x && x < 3.0) return sinc_filter(x) * sinc_filter(x / 3);
  return 0.0;
}

struct Filter {
  double (*weight)(double);
  double support;
};

Filter filter_for(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::box: return {box_filter, 0.5};
    case Interpolation::bilinear: return {bilinear_filter, 1.0};
    case Interpolation::hamming: return {hamming_filter, 1.0};
    case Interpolation::bicubic: return {bicubic_filter, 2.0};
    case Interpolation::lanczos: return {lanczos_filter, 3.0};
    case Interpolation::nearest: break;
  }
  throw std::logic_error("nearest has no convolution filter");
}

// Fixed-point weights of one resampling axis. Output i reads source samples
// first[i] .. first[i] + taps - 1 with weights[i * taps ...]; windows are widened
// with zero weights to a common tap count so the inner loop has a uniform length.
struct AxisKernel {
  int taps = 0;
  std::vector<int> first;
  std::vector<int> used;  // taps with Pillow-computed weights, counted from first
  std::vector<int32_t> weights;
};

// Mirrors Pillow's precompute_coeffs + normalize_coeffs_8bpc for box (0, in_size).
AxisKernel make_axis_kernel(int in_size, int out_size, const Filter& filter) {
  // Pillow computes (in1 - in0) in float before widening to double.
  const double scale = static_cast<double>(static_cast<float>(in_size)) / out_size;
  const double filterscale = std::max(scale, 1.0);
  const double support = filter.support * filterscale;
  const int ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  const double inverse_filterscale = 1.0 / filterscale;

  std::vector<int> xmins(out_size);
  std::vector<int> counts(out_size);
  std::vector<int32_t> exact(static_cast<size_t>(out_size) * ksize, 0);
  std::vector<double> raw(ksize);
  int max_count = 1;
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int count = std::min(static_cast<int>(center + support + 0.5), in_size) - xmin;
    if (count > ksize) throw std::logic_error("resample window exceeds kernel size");
    double sum = 0.0;
    for (int x = 0; x < count; ++x) {
      const double w = filter.weight(((x + xmin) - center + 0.5) * inverse_filterscale);
      raw[x] = w;
      sum += w;
    }
    int32_t* fixed = &exact[static_cast<size_t>(xx) * ksize];
    for (int x = 0; x < count; ++x) {
      const double w = sum != 0.0 ? raw[x] / sum : raw[x];
      fixed[x] = w < 0 ? static_cast<int32_t>(-0.5 + w * (1 << kPrecisionBits))
                       : static_cast<int32_t>(0.5 + w * (1 << kPrecisionBits));
    }
    xmins[xx] = xmin;
    counts[xx] = std::max(count, 0);
    max_count = std::max(max_count, count);
  }

  AxisKernel kernel;
  kernel.taps = std::min(max_count, in_size);
  kernel.first.resize(out_size);
  kernel.used.resize(out_size);
  kernel.weights.assign(static_cast<size_t>(out_size) * kernel.taps, 0);
  for (int xx = 0; xx < out_size; ++xx) {
    const int first = std::min(xmins[xx], in_size - kernel.taps);
    const int shift = xmins[xx] - first;
    kernel.first[xx] = first;
    kernel.used[xx] = shift + counts[xx];
    std::copy_n(&exact[static_cast<size_t>(xx) * ksize], counts[xx],
                &kernel.weights[static_cast<size_t>(xx) * kernel.taps + shift]);
  }
  return kernel;
}

inline uint8_t clip8(int32_t accumulator) {
  const int32_t v = accumulator >> kPrecisionBits;
  return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One output pixel of the horizontal pass: C interleaved channels kept in registers.
template <int C, typename TapCount>
inline void convolve_pixel(const uint8_t* p, const int32_t* w, TapCount taps, uint8_t* out) {
  int32_t s0 = kRoundingBias, s1 = kRoundingBias, s2 = kRoundingBias, s3 = kRoundingBias;
  for (int t = 0; t < static_cast<int>(taps); ++t, p += C) {
    const int32_t weight = w[t];
    s0 += p[0] * weight;
    if constexpr (C >= 3) {
      s1 += p[1] * weight;
      s2 += p[2] * weight;
    }
    if constexpr (C == 4) s3 += p[3] * weight;
  }
  out[0] = clip8(s0);
  if constexpr (C >= 3) {
    out[1] = clip8(s1);
    out[2] = clip8(s2);
  }
  if constexpr (C == 4) out[3] = clip8(s3);
}

// Output pixels [x_begin, x_end) of one row of the horizontal pass.
template <int C, typename TapCount>
void horizontal_span(const uint8_t* in, const AxisKernel& kernel, TapCount taps, int x_begin, int x_end,
                     uint8_t* out) {
  const int32_t* w = kernel.weights.data() + static_cast<size_t>(x_begin) * kernel.taps;
  for (int xx = x_begin; xx < x_end; ++xx, w += kernel.taps)
    convolve_pixel<C>(in + kernel.first[xx] * C, w, taps, out + xx * C);
}

template <int N>
using Taps = std::integral_constant<int, N>;

// Small tap counts (the common downscale factors) get a compile-time loop length.
template <int C>
void horizontal_span_scalar(const uint8_t* in, const AxisKernel& kernel, int x_begin, int x_end, uint8_t* out) {
  switch (kernel.taps) {
    case 1: return horizontal_span<C>(in, kernel, Taps<1>{}, x_begin, x_end, out);
    case 2: return horizontal_span<C>(in, kernel, Taps<2>{}, x_begin, x_end, out);
    case 3: return horizontal_span<C>(in, kernel, Taps<3>{}, x_begin, x_end, out);
    case 4: return horizontal_span<C>(in, kernel, Taps<4>{}, x_begin, x_end, out);
    case 5: return horizontal_span<C>(in, kernel, Taps<5>{}, x_begin, x_end, out);
    case 6: return horizontal_span<C>(in, kernel, Taps<6>{}, x_begin, x_end, out);
    case 7: return horizontal_span<C>(in, kernel, Taps<7>{}, x_begin, x_end, out);
    case 8: return horizontal_span<C>(in, kernel, Taps<8>{}, x_begin, x_end, out);
    default: return horizontal_span<C>(in, kernel, kernel.taps, x_begin, x_end, out);
  }
}

// Vertical pass over values [begin, end) of a row; sources[t] are the input rows.
void vertical_span_scalar(const uint8_t* const* sources, const int32_t* weights, int taps, int begin, int end,
                          uint8_t* out) {
  // Fixed-length blocks let GCC vectorise at -O2, whose cost model rejects loops
  // that would need a scalar remainder.
  constexpr int kBlock = 16;
  int i = begin;
  for (; i + kBlock <= end; i += kBlock) {
    int32_t acc[kBlock];
    for (int j = 0; j < kBlock; ++j) acc[j] = kRoundingBias;
    for (int t = 0; t < taps; ++t) {
      const uint8_t* in = sources[t] + i;
      const int32_t weight = weights[t];
      for (int j = 0; j < kBlock; ++j) acc[j] += in[j] * weight;
    }
    for (int j = 0; j < kBlock; ++j) out[i + j] = clip8(acc[j]);
  }
  for (; i < end; ++i) {
    int32_t acc = kRoundingBias;
    for (int t = 0; t < taps; ++t) acc += sources[t][i] * weights[t];
    out[i] = clip8(acc);
  }
}

#if IMEVAL_RESAMPLE_AVX2

bool cpu_has_avx2() {
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  return has_avx2;
}

// Horizontal weights regrouped for 16-byte loads: per output pixel, per group of four
// taps, 16 int32 lanes holding each tap's weight once per channel (0 in RGB's pad lane).
struct SimdHorizontalWeights {
  int groups = 0;
  std::vector<int32_t> lanes;
};

SimdHorizontalWeights make_simd_weights(const AxisKernel& kernel, int channels) {
  SimdHorizontalWeights simd;
  simd.groups = (kernel.taps + 3) / 4;
  const size_t out_size = kernel.first.size();
  simd.lanes.assign(out_size * simd.groups * 16, 0);
  for (size_t xx = 0; xx < out_size; ++xx) {
    int32_t* lanes = &simd.lanes[xx * simd.groups * 16];
    for (int t = 0; t < kernel.taps; ++t)
      for (int c = 0; c < channels; ++c) lanes[t * 4 + c] = kernel.weights[xx * kernel.taps + t];
  }
  return simd;
}

// The whole 16-byte load of output pixel xx stays inside the input row.
int first_unsafe_simd_pixel(const AxisKernel& kernel, const SimdHorizontalWeights& simd, int channels,
                            int row_bytes) {
  const int out_size = static_cast<int>(kernel.first.size());
  int xx = out_size;
  while (xx > 0 && (kernel.first[xx - 1] + 4 * (simd.groups - 1)) * channels + 16 > row_bytes) --xx;
  return xx;
}

// 3- or 4-channel pixels: 4 taps per 16-byte load, widened to two vectors of 8 int32.
template <int C, typename GroupCount>
__attribute__((target("avx2"))) void horizontal_span_avx2(const uint8_t* in, const AxisKernel& kernel,
                                                          const SimdHorizontalWeights& simd, GroupCount groups,
                                                          int x_end, uint8_t* out) {
  static_assert(C == 3 || C == 4, "AVX2 horizontal pass handles RGB and RGBA");
  const __m128i spread_rgb = _mm_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
  const __m128i bias = _mm_set1_epi32(kRoundingBias);
  const int32_t* w = simd.lanes.data();
  for (int xx = 0; xx < x_end; ++xx) {
    const uint8_t* p = in + kernel.first[xx] * C;
    __m256i acc = _mm256_setzero_si256();
    for (int g = 0; g < static_cast<int>(groups); ++g, p += 4 * C, w += 16) {
      __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if constexpr (C == 3) bytes = _mm_shuffle_epi8(bytes, spread_rgb);
      const __m256i taps01 = _mm256_cvtepu8_epi32(bytes);
      const __m256i taps23 = _mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8));
      acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(taps01, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w))));
      acc = _mm256_add_epi32(acc,
                             _mm256_mullo_epi32(taps23, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 8))));
    }
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    sum = _mm_srai_epi32(_mm_add_epi32(sum, bias), kPrecisionBits);
    sum = _mm_packus_epi16(_mm_packs_epi32(sum, sum), sum);
    const uint32_t pixel = static_cast<uint32_t>(_mm_cvtsi128_si32(sum));
    uint8_t* o = out + xx * C;
    o[0] = static_cast<uint8_t>(pixel);
    o[1] = static_cast<uint8_t>(pixel >> 8);
    o[2] = static_cast<uint8_t>(pixel >> 16);
    if constexpr (C == 4) o[3] = static_cast<uint8_t>(pixel >> 24);
  }
}

// 16 values per step, all taps accumulated in registers; returns where it stopped.
__attribute__((target("avx2"))) int vertical_span_avx2(const uint8_t* const* sources, const int32_t* weights,
                                                       int taps, int end, uint8_t* out) {
  const __m256i bias = _mm256_set1_epi32(kRoundingBias);
  int i = 0;
  for (; i + 16 <= end; i += 16) {
    __m256i acc_low = bias;
    __m256i acc_high = bias;
    for (int t = 0; t < taps; ++t) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(sources[t] + i));
      const __m256i weight = _mm256_set1_epi32(weights[t]);
      acc_low = _mm256_add_epi32(acc_low, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(bytes), weight));
      acc_high =
          _mm256_add_epi32(acc_high, _mm256_mullo_epi32(_mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8)), weight));
    }
    acc_low = _mm256_srai_epi32(acc_low, kPrecisionBits);
    acc_high = _mm256_srai_epi32(acc_high, kPrecisionBits);
    const __m128i low = _mm_packs_epi32(_mm256_castsi256_si128(acc_low), _mm256_extracti128_si256(acc_low, 1));
    const __m128i high = _mm_packs_epi32(_mm256_castsi256_si128(acc_high), _mm256_extracti128_si256(acc_high, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(low, high));
  }
  return i;
}

#endif

// Resamples rows [row_begin, row_begin + dst.rows) of src along x into dst.
template <int C>
void horizontal_pass(const cv::Mat& src, int row_begin, const AxisKernel& kernel, cv::Mat& dst) {
  const int out_width = dst.cols;
#if IMEVAL_RESAMPLE_AVX2
  if constexpr (C >= 3) {
    if (cpu_has_avx2()) {
      const SimdHorizontalWeights simd = make_simd_weights(kernel, C);
      const int simd_end = first_unsafe_simd_pixel(kernel, simd, C, src.cols * C);
      for (int y = 0; y < dst.rows; ++y) {
        const uint8_t* in = src.ptr<uint8_t>(row_begin + y);
        uint8_t* out = dst.ptr<uint8_t>(y);
        switch (simd.groups) {
          case 1: horizontal_span_avx2<C>(in, kernel, simd, Taps<1>{}, simd_end, out); break;
          case 2: horizontal_span_avx2<C>(in, kernel, simd, Taps<2>{}, simd_end, out); break;
          default: horizontal_span_avx2<C>(in, kernel, simd, simd.groups, simd_end, out); break;
        }
        horizontal_span_scalar<C>(in, kernel, simd_end, out_width, out);
      }
      return;
    }
  }
#endif
  for (int y = 0; y < dst.rows; ++y)
    horizontal_span_scalar<C>(src.ptr<uint8_t>(row_begin + y), kernel, 0, out_width, dst.ptr<uint8_t>(y));
}

void horizontal_pass(const cv::Mat& src, int row_begin, const AxisKernel& kernel, cv::Mat& dst) {
  switch (src.channels()) {
    case 1: return horizontal_pass<1>(src, row_begin, kernel, dst);
    case 3: return horizontal_pass<3>(src, row_begin, kernel, dst);
    default: return horizontal_pass<4>(src, row_begin, kernel, dst);
  }
}

// Resamples along y; kernel.first is relative to src row row_offset.
void vertical_pass(const cv::Mat& src, int row_offset, const AxisKernel& kernel, cv::Mat& dst) {
  const int row_values = dst.cols * dst.channels();
  std::vector<const uint8_t*> sources(kernel.taps);
  std::vector<int32_t> weights(kernel.taps);
  for (int yy = 0; yy < dst.rows; ++yy) {
    // Zero weights come from window padding; skipping them leaves the sums unchanged.
    int taps = 0;
    for (int t = 0; t < kernel.used[yy]; ++t) {
      const int32_t weight = kernel.weights[static_cast<size_t>(yy) * kernel.taps + t];
      if (weight == 0) continue;
      sources[taps] = src.ptr<uint8_t>(row_offset + kernel.first[yy] + t);
      weights[taps] = weight;
      ++taps;
    }
    uint8_t* out = dst.ptr<uint8_t>(yy);
    int done = 0;
#if IMEVAL_RESAMPLE_AVX2
    if (cpu_has_avx2()) done = vertical_span_avx2(sources.data(), weights.data(), taps, row_values, out);
#endif
    vertical_span_scalar(sources.data(), weights.data(), taps, done, row_values, out);
  }
}

// The intermediate image lives in a per-thread buffer: allocating fresh pages for
// it on every call costs as much as the horizontal pass on typical images.
cv::Mat scratch_image(int rows, int cols, int type) {
  constexpr size_t kMaxRetainedBytes = size_t{16} << 20;
  const size_t bytes = static_cast<size_t>(rows) * cols * CV_ELEM_SIZE(type);
  if (bytes > kMaxRetainedBytes) return cv::Mat(rows, cols, type);
  thread_local std::vector<uint8_t> buffer;
  if (buffer.size() < bytes) buffer.resize(bytes);
  return cv::Mat(rows, cols, type, buffer.data());
}

// Pillow's ImagingResampleInner: horizontal pass over only the rows the vertical
// pass reads, then the vertical pass; an axis whose size is unchanged is skipped.
cv::Mat convolution_resize(const cv::Mat& src, cv::Size size, const Filter& filter) {
  const bool need_horizontal = size.width != src.cols;
  const bool need_vertical = size.height != src.rows;
  cv::Mat out(size, src.type());
  if (!need_vertical) {
    // All rows are read, so the horizontal pass can write the result directly.
    horizontal_pass(src, 0, make_axis_kernel(src.cols, size.width, filter), out);
    return out;
  }

  const AxisKernel vertical = make_axis_kernel(src.rows, size.height, filter);
  if (!need_horizontal) {
    vertical_pass(src, 0, vertical, out);
    return out;
  }
  const int row_first = vertical.first.front();
  const int row_last = vertical.first.back() + vertical.used.back();
  cv::Mat temp = scratch_image(row_last - row_first, size.width, src.type());
  horizontal_pass(src, row_first, make_axis_kernel(src.cols, size.width, filter), temp);
  vertical_pass(temp, -row_first, vertical, out);
  return out;
}

// Pillow's ImagingScaleAffine as reached from Image.resize(NEAREST): source
// coordinates accumulate in double from the first pixel centre.
template <int C>
cv::Mat nearest_resize(const cv::Mat& src, cv::Size size) {
  const double step_x = static_cast<double>(static_cast<float>(src.cols)) / size.width;
  const double step_y = static_cast<double>(static_cast<float>(src.rows)) / size.height;
  auto coord = [](double v) { return v < 0.0 ? -1 : static_cast<int>(v); };

  std::vector<int> source_x(size.width);
  double xo = 0.0 + step_x * 0.5;
  for (int x = 0; x < size.width; ++x) {
    const int xi = coord(xo);
    source_x[x] = (xi >= 0 && xi < src.cols) ? xi : -1;
    xo += step_x;
  }

  cv::Mat out = cv::Mat::zeros(size, src.type());
  double yo = 0.0 + step_y * 0.5;
  for (int y = 0; y < size.height; ++y) {
    const int yi = coord(yo);
    yo += step_y;
    if (yi < 0 || yi >= src.rows) continue;
    const uint8_t* in = src.ptr<uint8_t>(yi);
    uint8_t* row = out.ptr<uint8_t>(y);
    for (int x = 0; x < size.width; ++x) {
      if (source_x[x] < 0) continue;
      const uint8_t* p = in + source_x[x] * C;
      for (int c = 0; c < C; ++c) row[x * C + c] = p[c];
    }
  }
  return out;
}

// Pillow's MULDIV255: a * b / 255 rounded, with integer ops only.
inline uint8_t muldiv255(unsigned a, unsigned b) {
  const unsigned tmp = a * b + 128;
  return static_cast<uint8_t>(((tmp >> 8) + tmp) >> 8);
}

// Pillow resizes RGBA via RGBa (convert "RGBA" -> "RGBa" -> resize -> "RGBA").
cv::Mat premultiply_alpha(const cv::Mat& src) {
  cv::Mat out(src.size(), CV_8UC4);
  for (int y = 0; y < src.rows; ++y) {
    const uint8_t* in = src.ptr<uint8_t>(y);
    uint8_t* o = out.ptr<uint8_t>(y);
    for (int x = 0; x < src.cols * 4; x += 4) {
      const unsigned alpha = in[x + 3];
      o[x + 0] = muldiv255(in[x + 0], alpha);
      o[x + 1] = muldiv255(in[x + 1], alpha);
      o[x + 2] = muldiv255(in[x + 2], alpha);
      o[x + 3] = static_cast<uint8_t>(alpha);
    }
  }
  return out;
}

void unpremultiply_alpha(cv::Mat& image) {
  for (int y = 0; y < image.rows; ++y) {
    uint8_t* p = image.ptr<uint8_t>(y);
    for (int x = 0; x < image.cols * 4; x += 4) {
      const unsigned alpha = p[x + 3];
      if (alpha == 0 || alpha == 255) continue;
      for (int c = 0; c < 3; ++c) p[x + c] = static_cast<uint8_t>(std::min(255u, 255u * p[x + c] / alpha));
    }
  }
}

void check_resize_arguments(const cv::Mat& src, cv::Size size, const char* function) {
  if (src.depth() != CV_8U || (src.channels() != 1 && src.channels() != 3 && src.channels() != 4))
    throw std::invalid_argument(std::string(function) + ": expected CV_8UC1, CV_8UC3 or CV_8UC4 input");
  if (src.empty()) throw std::invalid_argument(std::string(function) + ": empty input image");
  if (size.width < 1 || size.height < 1)
    throw std::invalid_argument(std::string(function) + ": target width and height must be >= 1");
}

}  // namespace

Interpolation parse_interpolation(const std::string& name) {
  for (Interpolation candidate : {Interpolation::nearest, Interpolation::bilinear, Interpolation::bicubic,
                                  Interpolation::box, Interpolation::hamming, Interpolation::lanczos}) {
    if (name == to_string(candidate)) return candidate;
  }
  throw std::invalid_argument("unknown interpolation '" + name +
                              "' (valid: nearest, bilinear, bicubic, box, hamming, lanczos)");
}

std::string to_string(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::nearest: return "nearest";
    case Interpolation::bilinear: return "bilinear";
    case Interpolation::bicubic: return "bicubic";
    case Interpolation::box: return "box";
    case Interpolation::hamming: return "hamming";
    case Interpolation::lanczos: return "lanczos";
  }
  throw std::invalid_argument("invalid Interpolation value");
}

cv::Mat pil_resize(const cv::Mat& src, cv::Size size, Interpolation interpolation) {
  check_resize_arguments(src, size, "pil_resize");
  if (size == src.size()) return src.clone();

  const int channels = src.channels();
  if (interpolation == Interpolation::nearest) {
    switch (channels) {
      case 1: return nearest_resize<1>(src, size);
      case 3: return nearest_resize<3>(src, size);
      default: return nearest_resize<4>(src, size);
    }
  }

  const Filter filter = filter_for(interpolation);
  if (channels != 4) return convolution_resize(src, size, filter);
  cv::Mat out = convolution_resize(premultiply_alpha(src), size, filter);
  unpremultiply_alpha(out);
  return out;
}

// OpenCV has no hamming filter and its lanczos uses a fixed 8x8 window; both map to
// INTER_LANCZOS4, and no flag matches Pillow's pixels (or its antialiasing when shrinking).
cv::Mat opencv_resize(const cv::Mat& src, cv::Size size, Interpolation interpolation) {
  check_resize_arguments(src, size, "opencv_resize");
  int flag = cv::INTER_LANCZOS4;
  switch (interpolation) {
    case Interpolation::nearest: flag = cv::INTER_NEAREST; break;
    case Interpolation::bilinear: flag = cv::INTER_LINEAR; break;
    case Interpolation::bicubic: flag = cv::INTER_CUBIC; break;
    case Interpolation::box: flag = cv::INTER_AREA; break;
    case Interpolation::hamming:
    case Interpolation::lanczos: flag = cv::INTER_LANCZOS4; break;
  }
  cv::Mat out;
  cv::resize(src, out, size, 0.0, 0.0, flag);
  return out;
}

}  // namespace imeval
