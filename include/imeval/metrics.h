// Top-k predictions and accuracy.
//
//   imeval::AccuracyMeter meter;
//   auto preds = imeval::top_k(logits, 5);      // per row: classes by descending logit, ties by lower index
//   meter.update(preds, targets);
//   meter.top1();                                // percent, averaged over batches as timm does
//
// timm's validate.py averages per-batch accuracies computed in float32
// (correct * 100 / batch_size) weighted by batch size; top1()/top5() repeat that
// arithmetic so the printed digits match, top1_exact()/top5_exact() are count-based.
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
  // One call per batch.
  void update(const std::vector<TopKPrediction>& predictions, const std::vector<int>& targets);
  std::int64_t count() const { return count_; }
  std::int64_t correct1() const { return correct1_; }
  std::int64_t correct5() const { return correct5_; }
  std::int64_t non_finite() const { return non_finite_; }
  double top1() const { return count_ ? sum1_ / count_ : 0.0; }
  double top5() const { return count_ ? sum5_ / count_ : 0.0; }
  double top1_exact() const;
  double top5_exact() const;

 private:
  double sum1_ = 0;
  double sum5_ = 0;
  std::int64_t count_ = 0;
  std::int64_t correct1_ = 0;
  std::int64_t correct5_ = 0;
  std::int64_t non_finite_ = 0;
};

}  // namespace imeval
