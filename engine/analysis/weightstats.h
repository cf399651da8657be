#pragma once
// Per-output-channel weight statistics of a model's weighted layers, the facts behind the
// weight-range and relative-range views (AIMET's visualize_relative_weight_ranges and
// detect_outlier_channels). Plain values; the functions are pure and thread-safe.
//
// Output channel axis of each weight: Conv W [O, I/g, k...] axis 0; ConvTranspose W [I, O/g, k...]
// channel (i / (I/g)) * (O/g) + j; Gemm B axis 1 (axis 0 with transB), constant A axis 0 (1 with
// transA); MatMul constant B [..., K, N] the last axis, constant A [..., M, K] the second to last.

#include "graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct ChannelStats {
    double min = 0;
    double max = 0;
    double mean = 0;
    double std = 0;           // sample standard deviation (n - 1), as pandas' describe(); 0 when n = 1
    double range = 0;         // |max - min|
    double relativeRange = 0; // range / smallest positive range in the layer; 0 for a zero range
    bool outlier = false;     // relativeRange > Q3 + 1.5 IQR of the layer's relative ranges
};

// Quartiles of a layer's relative ranges (linear interpolation, as pandas' quantile()).
struct RangeSummary {
    double q1 = 0;
    double median = 0;
    double q3 = 0;
    double upperFence = 0; // q3 + 1.5 (q3 - q1)
    double maxRelative = 0;
};

struct LayerWeightStats {
    std::string name;   // node name, as in LayerCost
    std::string opType;
    std::string weight; // initializer name
    std::vector<int64_t> weightShape;
    std::vector<ChannelStats> channels; // one per output channel, in channel order
    RangeSummary summary;
    std::vector<int> outlierChannels;   // indices of channels flagged as outliers, ascending
    double rangeRatio = 1;              // largest / smallest positive channel range
    int zeroRangeChannels = 0;          // channels whose weights are all equal (excluded from the ratio)
    double minValue = 0;                // whole-tensor minimum and maximum
    double maxValue = 0;
};

// Statistics of a weight whose output channels lie along `axis` (elements grouped by that coordinate).
LayerWeightStats channelStatsAlongAxis(const Tensor &weight, int axis);
// Fills relativeRange, outlier, summary, outlierChannels, rangeRatio and zeroRangeChannels from
// the channels' ranges.
void computeRelativeRanges(LayerWeightStats &layer);
// Linear-interpolated quantile of ascending `sorted` values (q in [0, 1]); 0 for an empty list.
double quantileSorted(const std::vector<double> &sorted, double q);

// Every weighted layer that computeCost() lists, in graph order. Throws qs::Exception (Invalid)
// naming the layer when its weight has no element.
std::vector<LayerWeightStats> computeWeightStats(const Graph &graph);
// The layer named `name`, or nullptr.
const LayerWeightStats *findLayer(const std::vector<LayerWeightStats> &layers, const std::string &name);

} // namespace qs
