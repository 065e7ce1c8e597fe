// Decode + eval preprocessing throughput, exact (pil) vs OpenCV resize backend, in one run.
//
//   bench_preprocess <image folder> [img_size crop_pct interpolation repeats]
//
// Every repeat times each (backend, threads) configuration over all images, alternating the
// backends so that load from other processes hits both alike; medians are reported.
#include "imeval/bench.h"
#include "imeval/dataset.h"
#include "imeval/decode.h"
#include "imeval/transforms.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> list_images(const fs::path& root) {
  std::vector<fs::path> images;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (entry.is_regular_file() && (ext == ".jpeg" || ext == ".jpg" || ext == ".png")) images.push_back(entry.path());
  }
  std::sort(images.begin(), images.end());
  return images;
}

// Images per second for decode + geometry + normalisation over all images with the given thread count.
double images_per_second(const std::vector<fs::path>& images, const imeval::EvalTransformSpec& spec, int threads) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<float> tensor(3 * static_cast<size_t>(spec.img_height) * spec.img_width);
    for (size_t i = next++; i < images.size(); i = next++) {
      cv::Mat crop = imeval::apply_eval_geometry(imeval::read_image_rgb(images[i]), spec);
      if (!crop.isContinuous()) crop = crop.clone();
      imeval::normalize_to_chw(crop, spec, tensor.data());
    }
  };
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (auto& thread : pool) thread.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return images.size() / seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_preprocess <image folder> [img_size crop_pct interpolation repeats]\n";
    return 2;
  }
  const auto images = list_images(argv[1]);
  imeval::EvalTransformSpec spec;
  spec.img_height = spec.img_width = argc > 2 ? std::atoi(argv[2]) : 224;
  spec.crop_pct = argc > 3 ? std::atof(argv[3]) : 0.875;
  spec.interpolation = imeval::parse_interpolation(argc > 4 ? argv[4] : "bilinear");
  const int repeats = argc > 5 ? std::atoi(argv[5]) : 3;
  fmt::print("{} images, {}x{} crop_pct {} {}, {} repeats, {} hardware threads\n", images.size(), spec.img_height,
             spec.img_width, spec.crop_pct, imeval::to_string(spec.interpolation), repeats,
             std::thread::hardware_concurrency());

  const std::vector<imeval::ResizeBackend> backends{imeval::ResizeBackend::pil, imeval::ResizeBackend::opencv};
  const std::vector<int> thread_counts{1, 2};
  std::map<std::pair<int, int>, std::vector<double>> rates;
  images_per_second(images, spec, 2);  // warms the page cache
  for (int r = 0; r < repeats; ++r) {
    for (int threads : thread_counts) {
      for (auto backend : backends) {
        spec.resize_backend = backend;
        double rate = images_per_second(images, spec, threads);
        rates[{static_cast<int>(backend), threads}].push_back(rate);
        fmt::print("repeat {} threads {} {:6s} {:8.1f} images/s\n", r + 1, threads, imeval::to_string(backend), rate);
      }
    }
  }
  if (std::getenv("BENCH_PIPELINE")) {
    spec.resize_backend = imeval::ResizeBackend::pil;
    auto samples = imeval::discover_image_folder(argv[1]).samples;
    for (int workers : thread_counts) {
      auto t = imeval::measure_data_path(samples, spec, {64, workers, 2 * workers});
      fmt::print("pipeline workers {} batch 64: {:.1f} images/s, {:.3f} ms CPU per image\n", workers, t.images_per_second(),
                 1e3 * t.cpu_seconds_per_image());
    }
  }
  for (int threads : thread_counts) {
    double pil = median(rates[{static_cast<int>(imeval::ResizeBackend::pil), threads}]);
    double opencv = median(rates[{static_cast<int>(imeval::ResizeBackend::opencv), threads}]);
    fmt::print("median threads {}: pil {:.1f} images/s, opencv {:.1f} images/s, pil time / opencv time {:.3f}\n",
               threads, pil, opencv, opencv / pil);
  }
  return 0;
}
