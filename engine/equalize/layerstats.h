#pragma once
// Per-channel statistics of layers' pre-activation outputs, modelled as N(mean, stddev^2):
// from a BatchNormalization folded into the layer (mean = beta, stddev = |gamma|) or measured on
// data. High-bias absorption and analytical bias correction read them; the passes that scale or
// shift a layer's output (cross-layer scaling, bias absorption) keep them current.

#include "core/error.h"
#include "core/tensor.h"
#include "graph/graph.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct LayerStats {
    std::vector<double> mean, stddev; // one per output channel
    std::string source;               // "batchnorm" or "measured"
};

// Keyed by the layer's node name.
using LayerStatsTable = std::map<std::string, LayerStats>;

// Runs the FP32 graph on every batch `next` returns (NCHW float32 batches of the first graph
// input) and measures, per output channel of each Conv / ConvTranspose / Gemm node (all when
// `layers` is empty), the mean and standard deviation of its output over batch and positions.
// Layers must have names (see ensureNodeNames).
Result<LayerStatsTable> measureLayerStats(const Graph &graph, const std::function<std::optional<Tensor>()> &next,
                                          const std::vector<std::string> &layers = {});

} // namespace qs
