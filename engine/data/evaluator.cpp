#include "data/evaluator.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>

namespace qs {

void TopKAccuracy::add(const Tensor &logits, const std::vector<int64_t> &labels)
{
    if (logits.rank() < 2)
        fail(ErrorCode::Invalid, "top-k accuracy: logits of shape " + shapeString(logits.shape()) + " are not N x K");
    const int64_t n = logits.dim(0), k = logits.numel() / std::max<int64_t>(n, 1);
    if (n > 0 && logits.dim(1) != k)
        fail(ErrorCode::Invalid, "top-k accuracy: logits of shape " + shapeString(logits.shape()) + " are not N x K");
    if (size_t(n) != labels.size())
        fail(ErrorCode::Invalid, "top-k accuracy: " + std::to_string(n) + " rows of logits but " +
                                     std::to_string(labels.size()) + " labels");
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= k)
            fail(ErrorCode::Invalid, "top-k accuracy: label " + std::to_string(labels[i]) + " of sample " +
                                         std::to_string(i) + " is outside the " + std::to_string(k) + " classes");
    const std::vector<float> v = logits.toFloats();
    for (int64_t i = 0; i < n; ++i) {
        const int64_t label = labels[size_t(i)];
        if (label < 0)
            continue;
        const float *row = &v[size_t(i * k)];
        const float target = row[label];
        int64_t higher = std::isnan(target) ? k : 0;
        for (int64_t j = 0; j < k; ++j)
            if (j != label && (row[j] > target || (row[j] == target && j < label)))
                ++higher;
        ++m_samples;
        m_top1 += higher < 1;
        m_top5 += higher < 5;
    }
}

} // namespace qs
