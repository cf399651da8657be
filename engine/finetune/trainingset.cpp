#include "finetune/trainingset.h"

#include "data/batch.h"
#include "jobs/job.h"

namespace qs {

TrainingSet loadTrainingSet(const Dataset &data, const Preprocess &pre, int64_t offset, int64_t count, int threads,
                            Job *job)
{
    TrainingSet set;
    std::vector<at::Tensor> chunks;
    std::vector<int64_t> labels;
    constexpr int64_t chunk = 1000;
    for (int64_t first = offset; first < offset + count; first += chunk) {
        checkCancelled(job);
        const int64_t n = std::min(chunk, offset + count - first);
        Batch b = loadBatch(data, pre, first, n, threads).take();
        chunks.push_back(rt::toAt(b.input));
        labels.insert(labels.end(), b.labels.begin(), b.labels.end());
    }
    set.images = chunks.size() == 1 ? chunks[0] : at::cat(chunks, 0);
    set.labels = at::tensor(labels, at::kLong);
    set.hasLabels = !labels.empty();
    for (int64_t l : labels)
        set.hasLabels = set.hasLabels && l >= 0;
    return set;
}

Augmenter::Augmenter(const Preprocess &pre, int64_t channels, int padding, uint64_t seed)
    : m_padding(padding), m_rng(seed)
{
    std::vector<float> values(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
        const auto pick = [c](const std::vector<float> &v, float dflt) {
            return v.empty() ? dflt : v[v.size() == 1 ? 0 : size_t(c)];
        };
        values[size_t(c)] = (pre.offset - pick(pre.mean, 0.f)) / pick(pre.std, 1.f);
    }
    m_fill = at::tensor(values, at::kFloat).reshape({channels, 1, 1});
}

at::Tensor Augmenter::batch(const at::Tensor &set, const std::vector<int64_t> &rows)
{
    const int64_t c = set.size(1), h = set.size(2), w = set.size(3), p = m_padding;
    at::Tensor out = at::empty({int64_t(rows.size()), c, h, w}, set.options());
    at::Tensor canvas = at::empty({c, h + 2 * p, w + 2 * p}, set.options());
    std::uniform_int_distribution<int64_t> shift(0, 2 * p);
    std::bernoulli_distribution flip(0.5);
    for (size_t i = 0; i < rows.size(); ++i) {
        canvas.copy_(m_fill.expand_as(canvas));
        canvas.narrow(1, p, h).narrow(2, p, w).copy_(set[rows[i]]);
        const int64_t dy = shift(m_rng), dx = shift(m_rng);
        at::Tensor crop = canvas.narrow(1, dy, h).narrow(2, dx, w);
        out[int64_t(i)].copy_(flip(m_rng) ? crop.flip({2}) : crop);
    }
    return out;
}

double evaluateTop1(ExecutorImpl &executor, const TrainingSet &set, int batch, Job *job)
{
    at::NoGradGuard noGrad;
    int64_t hits = 0, counted = 0;
    for (int64_t first = 0; first < set.size(); first += batch) {
        checkCancelled(job);
        const int64_t n = std::min<int64_t>(batch, set.size() - first);
        const at::Tensor logits = executor.forward({set.images.narrow(0, first, n)}).at(0).reshape({n, -1});
        const at::Tensor labels = set.labels.narrow(0, first, n);
        const at::Tensor known = labels.ge(0);
        hits += logits.argmax(1).eq(labels).logical_and(known).sum().item<int64_t>();
        counted += known.sum().item<int64_t>();
        if (job)
            job->setProgress(first + n, set.size(), "evaluating");
    }
    return counted ? double(hits) / double(counted) : -1.0;
}

} // namespace qs
