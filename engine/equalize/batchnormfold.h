#pragma once
// Batch-norm folding (ALGORITHMS.md §2): each inference-mode BatchNormalization is folded into
// the Conv / ConvTranspose / Gemm before it (W' = W s[o], b' = beta + (b - mu) s, s = gamma /
// sqrt(var + eps)), or, when that is impossible, into the Conv / Gemm after it
// (W' = W s[i], b' = b + sum W (beta - mu s)). A BN that can go neither way stays and is
// reported with the reason. Works on a copy; pure C++.

#include "core/error.h"
#include "equalize/layerstats.h"
#include "graph/graph.h"

#include <string>
#include <vector>

namespace qs {

struct FoldedBatchNorm {
    std::string batchNorm;   // the BN node's name
    std::string layer;       // the layer it went into
    bool intoPrevious = true; // folded into the layer before it (else the one after it)
    std::vector<float> gamma, beta, mean, var;
    float epsilon = 1e-5f;
};

struct SkippedBatchNorm {
    std::string batchNorm;
    std::string reason;
};

struct BatchNormFoldReport {
    std::vector<FoldedBatchNorm> folded;
    std::vector<SkippedBatchNorm> skipped;
};

struct BatchNormFoldResult {
    Graph graph;
    BatchNormFoldReport report;
    // Output statistics of every layer that received a BN before it (mean = beta, stddev = |gamma|).
    LayerStatsTable stats;
};

Result<BatchNormFoldResult> foldBatchNorms(const Graph &graph);

} // namespace qs
