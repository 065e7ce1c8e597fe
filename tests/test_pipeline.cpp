// BatchPipeline: every sample once, in dataset order, the same tensors whatever the number of workers,
// unreadable images flagged per row, and no more batches in flight than allowed.
#include "imeval/dataset.h"
#include "imeval/pipeline.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using imeval_test::source_dir;
using imeval_test::TempDir;
namespace fs = std::filesystem;

namespace {

imeval::EvalTransformSpec small_spec() {
  imeval::EvalTransformSpec spec;
  spec.img_height = spec.img_width = 32;
  spec.interpolation = imeval::Interpolation::bilinear;
  return spec;
}

std::vector<imeval::Sample> sample_images(std::size_t count) {
  auto samples = imeval::discover_image_folder(source_dir() / "sample/images").samples;
  REQUIRE(samples.size() >= count);
  samples.resize(count);
  return samples;
}

// All batches of a pipeline, in the order next() gives them.
std::vector<imeval::Batch> drain(imeval::BatchPipeline& pipeline) {
  std::vector<imeval::Batch> batches;
  while (auto b = pipeline.next()) batches.push_back(std::move(*b));
  return batches;
}

}  // namespace

TEST_CASE("batches cover every sample once, in order, whatever the batch size and workers", "[pipeline]") {
  const auto samples = sample_images(23);
  for (int batch_size : {1, 7, 16, 64}) {
    for (int workers : {1, 3}) {
      DYNAMIC_SECTION("batch " << batch_size << " workers " << workers) {
        imeval::BatchPipeline pipeline(samples, small_spec(), {batch_size, workers, 2});
        auto batches = drain(pipeline);
        REQUIRE(static_cast<std::int64_t>(batches.size()) == pipeline.num_batches());
        std::int64_t next_sample = 0;
        for (std::size_t i = 0; i < batches.size(); ++i) {
          CHECK(batches[i].index == static_cast<std::int64_t>(i));
          CHECK(batches[i].first_sample == next_sample);
          CHECK(batches[i].images.size(1) == 3);
          CHECK(batches[i].images.size(2) == 32);
          next_sample += batches[i].images.size(0);
          CHECK(batches[i].errors.size() == static_cast<std::size_t>(batches[i].images.size(0)));
        }
        CHECK(next_sample == 23);
      }
    }
  }
}

TEST_CASE("an even split makes batch_size the smallest batch and sizes differ by at most one", "[pipeline]") {
  // count -> batch sizes expected with batch_size 16
  const std::vector<std::pair<std::size_t, std::vector<std::int64_t>>> cases = {
      {5, {5}}, {16, {16}}, {31, {31}}, {32, {16, 16}}, {47, {24, 23}}, {101, {17, 17, 17, 17, 17, 16}}};
  for (const auto& [count, sizes] : cases) {
    DYNAMIC_SECTION(count << " samples") {
      const auto samples = sample_images(count);
      imeval::PipelineOptions options{16, 2, 2};
      options.even_split = true;
      imeval::BatchPipeline pipeline(samples, small_spec(), options);
      auto batches = drain(pipeline);
      REQUIRE(static_cast<std::int64_t>(batches.size()) == pipeline.num_batches());
      std::vector<std::int64_t> got;
      std::int64_t next_sample = 0;
      for (const auto& b : batches) {
        CHECK(b.first_sample == next_sample);
        next_sample += b.images.size(0);
        got.push_back(b.images.size(0));
      }
      CHECK(got == sizes);
    }
  }
}

TEST_CASE("batch tensors do not depend on the number of workers", "[pipeline]") {
  const auto samples = sample_images(20);
  imeval::BatchPipeline one(samples, small_spec(), {8, 1, 2});
  imeval::BatchPipeline three(samples, small_spec(), {8, 3, 3});
  auto a = drain(one), b = drain(three);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(torch::equal(a[i].images, b[i].images));
}

TEST_CASE("an unreadable image is flagged in its row and the others are decoded", "[pipeline]") {
  TempDir dir;
  auto samples = sample_images(3);
  imeval_test::write_file(dir / "broken.jpg", "this is not a JPEG");
  imeval::Sample broken;
  broken.root = std::make_shared<const fs::path>(dir.path());
  broken.relative_path = "broken.jpg";
  samples.insert(samples.begin() + 1, broken);

  imeval::BatchPipeline pipeline(samples, small_spec(), {4, 2, 2});
  auto batches = drain(pipeline);
  REQUIRE(batches.size() == 1);
  const auto& batch = batches[0];
  CHECK(batch.errors[0].empty());
  CHECK(batch.errors[1].find("broken.jpg") != std::string::npos);
  CHECK(batch.errors[2].empty());
  CHECK(torch::count_nonzero(batch.images[1]).item<std::int64_t>() == 0);
  CHECK(torch::count_nonzero(batch.images[0]).item<std::int64_t>() > 0);
}

TEST_CASE("workers run at most max_ready_batches ahead of the consumer", "[pipeline]") {
  const auto samples = sample_images(40);
  std::atomic<std::int64_t> built{0}, delivered{0}, worst_lead{0};
  auto hook = [&](imeval::Batch&) {
    std::int64_t lead = ++built - delivered.load();
    std::int64_t seen = worst_lead.load();
    while (lead > seen && !worst_lead.compare_exchange_weak(seen, lead)) {
    }
  };
  imeval::BatchPipeline pipeline(samples, small_spec(), {2, 3, 4}, hook);
  while (auto b = pipeline.next()) {
    ++delivered;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));  // a slow consumer, so workers would race ahead
  }
  CHECK(built == 20);
  // Four batches decoded or decoding, plus the one the consumer holds until it counts it.
  CHECK(worst_lead <= 5);
  CHECK(worst_lead >= 2);
}

TEST_CASE("stop() joins the workers before the end of the data", "[pipeline]") {
  const auto samples = sample_images(60);
  imeval::BatchPipeline pipeline(samples, small_spec(), {2, 2, 2});
  REQUIRE(pipeline.next().has_value());
  const auto start = std::chrono::steady_clock::now();
  pipeline.stop();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK_FALSE(pipeline.next().has_value());
}
