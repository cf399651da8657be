#pragma once
// Shared vocabulary of the compression engine (ALGORITHMS.md §5): methods, cost metric, and the
// per-layer "ratio" every method takes. Pure C++, no Qt or LibTorch.
//
// A ratio r in (0, 1] is the part of a layer that is kept:
// - channel pruning keeps floor(Cin * r) input channels, rounded up to a multiple of `roundTo`
//   (at most Cin, at least 1);
// - spatial / weight SVD keep the largest rank whose cost (MACs or parameters, by the metric) is at
//   most r times the layer's cost, rounded up to a multiple of `roundTo`; a rank whose split costs
//   as much as the layer leaves it unsplit.
// r = 1 always means "leave the layer as it is".

#include "graph/graph.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

enum class CompressMethod { SpatialSvd, WeightSvd, ChannelPruning };
enum class CostMetric { Mac, Memory };
// How channel pruning picks the input channels it keeps: L2 magnitude of their weights (AIMET), or
// backward elimination on the layer's least-squares reconstruction error over sampled activations.
enum class ChannelSelection { L2, LeastSquares };

// "spatial-svd", "weight-svd", "channel-pruning".
std::string methodName(CompressMethod method);
std::optional<CompressMethod> parseMethod(const std::string &name);
std::string metricName(CostMetric metric);
std::optional<CostMetric> parseMetric(const std::string &name);
// "l2", "lstsq".
std::string selectionName(ChannelSelection selection);
std::optional<ChannelSelection> parseSelection(const std::string &name);

// Layer name -> ratio kept. Layers not listed stay as they are.
using RatioMap = std::map<std::string, double>;

struct CompressSettings {
    CompressMethod method = CompressMethod::ChannelPruning;
    CostMetric metric = CostMetric::Mac; // what an SVD ratio measures
    int roundTo = 8;                      // channel counts and ranks rounded up to a multiple of this
    ChannelSelection selection = ChannelSelection::L2; // channel pruning only
};

// One layer the method can compress, with its cost in the original model (per sample).
struct CompressibleLayer {
    std::string name;   // node name
    std::string opType; // Conv, Gemm, MatMul
    int nodeIndex = -1;
    int64_t macs = 0;
    int64_t params = 0;
};

struct SkippedLayer {
    std::string name;
    std::string reason;
};

struct CompressibleSet {
    std::vector<CompressibleLayer> layers; // in graph order
    std::vector<SkippedLayer> skipped;     // layers of a layer type the method cannot take, and why
};

// The layers `method` can compress. Node names must be unique (ensureNodeNames).
CompressibleSet compressibleLayers(const Graph &graph, CompressMethod method);

// The kept size of one layer at a ratio: input channels for pruning, rank for SVD; `full` is Cin or
// the rank at which the split stops paying (keeping `full` means the layer is left as it is).
struct KeptSize {
    int64_t kept = 0;
    int64_t full = 0;
    bool compressed() const { return kept < full; }
};

// Candidate ratios k / n for k = 1..n (n = 10: 0.1, 0.2, ..., 1.0), rounded to 1e-9.
std::vector<double> candidateRatios(int n);
// The ratio as a table key: shortest decimal text ("0.1", "0.25", "1").
std::string ratioKey(double ratio);

} // namespace qs
