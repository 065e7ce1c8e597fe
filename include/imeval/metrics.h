// Top-k predictions and accuracy.
//
//   imeval::AccuracyMeter meter;
//   auto preds = imeval::top_k(logits, 5);      // per row: classes by descending logit, ties by lower index
//   meter.update(preds, targets);
//   meter.top1();                                // percent of all images seen
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imeval {

struct TopKPrediction {
  std::vector<int> classes;        // k = min(requested, number of classes)
  std::vector<float> probabilities;  // softmax over all classes, same order as classes
  bool finite = true;              // false when a logit is NaN or infinite: counted as wrong
};

// logits: [N, C] float32 CPU tensor.
std::vector<TopKPrediction> top_k(const torch::Tensor& logits, int k);

class AccuracyMeter {
 public:
  void update(const std::vector<TopKPrediction>& predictions, const std::vector<int>& targets);
  std::int64_t count() const { return count_; }
  std::int64_t non_finite() const { return non_finite_; }
  double top1() const;
  double top5() const;

 private:
  std::int64_t count_ = 0;
  std::int64_t correct1_ = 0;
  std::int64_t correct5_ = 0;
  std::int64_t non_finite_ = 0;
};

}  // namespace imeval
