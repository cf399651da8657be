#pragma once
// High-bias absorption (ALGORITHMS.md §2, Nagel et al. 2019): for a layer whose output channels
// are modelled as N(mean, std^2) (layerstats.h), moves c = max(0, mean - 3 std) (with a ReLU-like
// lower bound 0 on the chain; c = mean without one) out of the layer's bias into the next
// layer's: b1 -= c, b2 += sum(W2) c. Clamp bounds on the chain move with the shift (a per-channel
// Min bound t becomes t - c), so ReLU6 made exact by cross-layer scaling stays consistent.
//  - exact (default): the lower bound moves too (ReLU becomes Max(x, -c) per channel), so the
//    FP32 model computes the same function; layers that pad their input with zeros are left
//    alone, since padded zeros do not move. The quantizer's calibrated range then decides how
//    much of [-c, 0) is kept.
//  - approximate (AIMET): ReLU stays at 0, which changes outputs where the pre-activation falls
//    below c, and zero-padded layers are absorbed into as well (borders change by W2 c).
// Works on a copy; pure C++.

#include "core/error.h"
#include "equalize/layerstats.h"
#include "graph/graph.h"

#include <string>
#include <vector>

namespace qs {

struct HbaOptions {
    double sigmas = 3.0;
    bool exact = true;
};

struct AbsorbedBias {
    std::string layer, next;
    std::vector<double> amount; // c per channel of `layer`'s output
};

struct HbaSkipped {
    std::string layer;
    std::string reason;
};

struct HbaReport {
    std::vector<AbsorbedBias> absorbed;
    std::vector<HbaSkipped> skipped;
};

struct HbaResult {
    Graph graph;
    HbaReport report;
    LayerStatsTable stats; // the input statistics with the absorbed amounts subtracted
};

// Considers every layer that has statistics in `stats`, in graph order.
Result<HbaResult> absorbHighBias(const Graph &graph, const LayerStatsTable &stats, const HbaOptions &options = {});

} // namespace qs
