#pragma once
// Engine-internal (ATen): preprocessed records held in memory for training and evaluation,
// random-crop/flip augmentation, and top-1 evaluation of an executor on such a set.

#include "data/dataset.h"
#include "data/preprocess.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <random>
#include <vector>

namespace qs {

class Job;

struct TrainingSet {
    at::Tensor images;      // N x C x H x W float32 (or N x row shape for tensor records)
    at::Tensor labels;      // N int64, -1 where the source has none
    bool hasLabels = false; // every record has a label
    int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

// Records offset..offset+count-1, loaded in chunks on `threads` threads.
TrainingSet loadTrainingSet(const Dataset &data, const Preprocess &pre, int64_t offset, int64_t count,
                            int threads, Job *job);

// Random crop with `padding` on every side (filled with the preprocessed value of a black pixel,
// as padding the image before normalisation would) and a horizontal flip with probability 1/2.
class Augmenter {
public:
    Augmenter(const Preprocess &pre, int64_t channels, int padding, uint64_t seed);
    // rows: the batch's record indices into `set`; returns a new N x C x H x W batch.
    at::Tensor batch(const at::Tensor &set, const std::vector<int64_t> &rows);

private:
    at::Tensor m_fill; // C x 1 x 1
    int m_padding;
    std::mt19937_64 m_rng;
};

// Top-1 of the executor's first output over the set, in batches of `batch`, without autograd.
double evaluateTop1(ExecutorImpl &executor, const TrainingSet &set, int batch, Job *job);

} // namespace qs
