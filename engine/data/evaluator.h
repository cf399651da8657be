#pragma once
// Classification metrics accumulated over batches.

#include "core/tensor.h"

#include <cstdint>
#include <vector>

namespace qs {

// Top-1 / top-5 accuracy. logits: N x K (any float dtype, or N x K x 1 x 1); labels: N class indices.
// Samples with label < 0 are skipped (unlabelled data). Equal scores rank the lower class index first, as
// argmax does; a NaN score for the label is a miss. add() throws qs::Exception (Invalid) on
// shape mismatches or a label >= K. Not thread-safe.
class TopKAccuracy {
public:
    void add(const Tensor &logits, const std::vector<int64_t> &labels);
    int64_t samples() const { return m_samples; }
    int64_t top1Hits() const { return m_top1; }
    int64_t top5Hits() const { return m_top5; }
    double top1() const { return m_samples ? double(m_top1) / double(m_samples) : 0.0; }
    double top5() const { return m_samples ? double(m_top5) / double(m_samples) : 0.0; }
    void reset() { m_samples = m_top1 = m_top5 = 0; }

private:
    int64_t m_samples = 0, m_top1 = 0, m_top5 = 0;
};

} // namespace qs
