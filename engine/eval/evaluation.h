#pragma once
// Whole-model evaluation and throughput measurement over the public Executor.

#include "core/error.h"
#include "runtime/executor.h"

#include <cstdint>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

struct EvalOptions {
    int64_t offset = 0;   // first record
    int64_t limit = -1;   // records to evaluate (-1 = to the end)
    int batch = 32;
    int loaderThreads = 0; // decoding/preprocessing threads (0 = all cores)
};

struct EvalResult {
    double top1 = 0;
    double top5 = 0;
    int64_t samples = 0;
    double seconds = 0;
};

// Classification accuracy of the model's first output against the data set's labels. Records
// offset..offset+limit-1 in data-set order. The next batch is loaded while the current one runs.
Result<EvalResult> evaluateClassifier(Executor &executor, const Dataset &data, const Preprocess &pre,
                                      const EvalOptions &options, Job *job = nullptr);

struct BenchOptions {
    int batch = 32;
    double seconds = 5.0;
    int warmupRuns = 3;
};

struct BenchResult {
    double imagesPerSecond = 0;
    double medianMs = 0; // per batch
    double meanMs = 0;
    int runs = 0;
    int batch = 0;
    int threads = 0;
    std::vector<int64_t> inputShape;
};

// Runs a seeded random batch repeatedly for `seconds` (after warm-up) and reports batch timings.
Result<BenchResult> benchmark(Executor &executor, const BenchOptions &options, Job *job = nullptr);

} // namespace qs
