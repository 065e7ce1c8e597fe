#include "imeval/metrics.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <limits>

TEST_CASE("top-k is capped at the number of classes", "[metrics]") {
  torch::Tensor logits = torch::tensor({{0.1f, 3.0f, 2.0f}, {5.0f, 1.0f, 0.0f}});
  auto preds = imeval::top_k(logits, 5);
  REQUIRE(preds.size() == 2);
  CHECK(preds[0].classes == std::vector<int>{1, 2, 0});
  CHECK(preds[1].classes == std::vector<int>{0, 1, 2});
  imeval::AccuracyMeter meter;
  meter.update(preds, {2, 0});
  CHECK(meter.count() == 2);
  CHECK(meter.top1() == Approx(50.0));
  CHECK(meter.top5() == Approx(100.0));
}

TEST_CASE("probabilities are the softmax over all classes", "[metrics]") {
  torch::Tensor logits = torch::tensor({{0.0f, std::log(3.0f)}});
  auto preds = imeval::top_k(logits, 5);
  CHECK(preds[0].probabilities[0] == Approx(0.75f));
  CHECK(preds[0].probabilities[1] == Approx(0.25f));
}

TEST_CASE("ties go to the lower class index", "[metrics]") {
  auto preds = imeval::top_k(torch::tensor({{1.0f, 2.0f, 2.0f, 2.0f}}), 2);
  CHECK(preds[0].classes == std::vector<int>{1, 2});
}

TEST_CASE("non-finite logits count as wrong", "[metrics]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto preds = imeval::top_k(torch::tensor({{nan, 1.0f}, {0.0f, 1.0f}}), 5);
  CHECK_FALSE(preds[0].finite);
  imeval::AccuracyMeter meter;
  meter.update(preds, {1, 1});
  CHECK(meter.non_finite() == 1);
  CHECK(meter.top1() == Approx(50.0));
  CHECK(meter.top5() == Approx(50.0));
}
