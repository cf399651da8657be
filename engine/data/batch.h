#pragma once
// Loading preprocessed batches from a data set, in parallel on plain threads.

#include "core/error.h"
#include "core/tensor.h"
#include "data/dataset.h"
#include "data/preprocess.h"

#include <cstdint>
#include <vector>

namespace qs {

struct Batch {
    Tensor input;                // N x C x H x W float32 (N x row shape for tensor records)
    std::vector<int64_t> labels; // N labels, -1 where the source has none
};

// Records [first, first + count) of `ds`, preprocessed, on `threads` threads (0: hardware concurrency).
// count is clipped to the end of the data set. Fails with a message naming the data set's file and the
// record when a record cannot be read, and when records end up with different shapes.
Result<Batch> loadBatch(const Dataset &ds, const Preprocess &p, int64_t first, int64_t count, int threads = 0);

} // namespace qs
