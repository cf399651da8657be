#pragma once
// Cross-layer scaling (ALGORITHMS.md §2, Nagel et al. 2019): for chains of layers connected
// through per-channel ops (see channelchain.h), rescales output channel c of one layer by 1/s_c
// and the matching input channel of the next by s_c, so that per-channel weight ranges match.
// Two layers: s = sqrt(r1 / r2). Conv -> depthwise Conv -> Conv: c = (r0 r1 r2)^(1/3),
// s12 = r0 / c, s23 = c / r2. Degenerate scales (0, NaN, inf) become 1.
// Clamps on a chain are kept exact: a Clip becomes Relu (or Max) + Min with per-channel bounds,
// and those bounds are divided by the channel's scale, so the FP32 model computes the same
// function (ReLU6 is never replaced by ReLU). Works on a copy; pure C++.

#include "core/error.h"
#include "equalize/layerstats.h"
#include "graph/graph.h"

#include <string>
#include <vector>

namespace qs {

struct ClsOptions {
    int iterations = 1; // passes over all groups (each pass recomputes the scales)
    // A channel whose weight range is below this fraction of its layer's largest carries only
    // its bias; it is never scaled up (that would blow the bias up in the activations).
    double deadRange = 1e-6;
};

struct ClsGroup {
    std::vector<std::string> layers;         // 2 or 3 layer node names, in data-flow order
    std::vector<std::vector<double>> scales; // one vector per boundary (s for pairs; s12, s23)
    int clampsRewritten = 0;                 // Clips turned into Relu / Max + Min on its chains
};

struct ClsSkipped {
    std::string layer;  // the layer whose output was not equalized
    std::string reason;
};

struct ClsReport {
    std::vector<ClsGroup> groups;
    std::vector<ClsSkipped> skipped;
};

struct ClsResult {
    Graph graph;
    ClsReport report;
    LayerStatsTable stats; // the input statistics divided by each layer's output scales
};

// `stats`: output statistics of layers (e.g. from batch-norm folding); the result holds them
// rescaled to the equalized layers.
Result<ClsResult> crossLayerScale(const Graph &graph, const LayerStatsTable &stats = {}, const ClsOptions &options = {});

} // namespace qs
