#include "imeval/metrics.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace imeval {

std::vector<TopKPrediction> top_k(const torch::Tensor& logits, int k) {
  if (logits.dim() != 2) throw std::invalid_argument("top_k expects [N, C] logits");
  torch::Tensor cpu = logits.to(torch::kCPU, torch::kFloat).contiguous();
  torch::Tensor probs = torch::softmax(cpu, 1).contiguous();
  const int64_t n = cpu.size(0), c = cpu.size(1);
  const int kk = static_cast<int>(std::min<int64_t>(k, c));
  const float* lp = cpu.data_ptr<float>();
  const float* pp = probs.data_ptr<float>();
  std::vector<TopKPrediction> out(n);
  std::vector<int> order(c);
  for (int64_t i = 0; i < n; ++i) {
    const float* row = lp + i * c;
    TopKPrediction& pred = out[i];
    pred.finite = std::all_of(row, row + c, [](float v) { return std::isfinite(v); });
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + kk, order.end(), [row](int a, int b) {
      // NaN sorts last so a finite class is still reported.
      bool an = std::isnan(row[a]), bn = std::isnan(row[b]);
      if (an != bn) return bn;
      if (row[a] != row[b]) return row[a] > row[b];
      return a < b;
    });
    pred.classes.assign(order.begin(), order.begin() + kk);
    for (int j : pred.classes) pred.probabilities.push_back(pp[i * c + j]);
  }
  return out;
}

void AccuracyMeter::update(const std::vector<TopKPrediction>& predictions, const std::vector<int>& targets) {
  if (predictions.size() != targets.size()) throw std::invalid_argument("predictions and targets differ in length");
  if (predictions.empty()) return;
  std::int64_t batch_correct1 = 0, batch_correct5 = 0;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const TopKPrediction& p = predictions[i];
    if (!p.finite) {
      ++non_finite_;
      continue;
    }
    if (!p.classes.empty() && p.classes[0] == targets[i]) ++batch_correct1;
    size_t top = std::min<size_t>(5, p.classes.size());
    if (std::find(p.classes.begin(), p.classes.begin() + top, targets[i]) != p.classes.begin() + top) ++batch_correct5;
  }
  const auto n = static_cast<std::int64_t>(predictions.size());
  // timm: correct.float().sum() * 100. / batch_size in float32, then AverageMeter.update(val, n) in double.
  const float batch_top1 = static_cast<float>(batch_correct1) * 100.0f / static_cast<float>(n);
  const float batch_top5 = static_cast<float>(batch_correct5) * 100.0f / static_cast<float>(n);
  sum1_ += static_cast<double>(batch_top1) * n;
  sum5_ += static_cast<double>(batch_top5) * n;
  count_ += n;
  correct1_ += batch_correct1;
  correct5_ += batch_correct5;
}

double AccuracyMeter::top1_exact() const { return count_ ? 100.0 * correct1_ / count_ : 0.0; }
double AccuracyMeter::top5_exact() const { return count_ ? 100.0 * correct5_ / count_ : 0.0; }

}  // namespace imeval
