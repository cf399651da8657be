#include "analysis/weightstats.h"

#include "core/error.h"
#include "graph/costmodel.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace qs {

namespace {

// Element e of the weight belongs to channel channelOf(e).
using ChannelMap = std::function<int64_t(int64_t)>;

// Two passes (mean, then squared deviations) keep the variance exact for large means.
std::vector<ChannelStats> statsByChannel(const std::vector<float> &values, int64_t channels, const ChannelMap &channelOf)
{
    std::vector<ChannelStats> out(static_cast<size_t>(channels));
    std::vector<double> sum(out.size(), 0.0);
    std::vector<int64_t> count(out.size(), 0);
    for (auto &c : out) {
        c.min = std::numeric_limits<double>::infinity();
        c.max = -std::numeric_limits<double>::infinity();
    }
    for (int64_t e = 0; e < static_cast<int64_t>(values.size()); ++e) {
        const size_t ch = static_cast<size_t>(channelOf(e));
        const double v = values[static_cast<size_t>(e)];
        out[ch].min = std::min(out[ch].min, v);
        out[ch].max = std::max(out[ch].max, v);
        sum[ch] += v;
        ++count[ch];
    }
    std::vector<double> squares(out.size(), 0.0);
    for (size_t c = 0; c < out.size(); ++c) {
        if (count[c] == 0)
            out[c].min = out[c].max = 0.0;
        out[c].mean = count[c] ? sum[c] / double(count[c]) : 0.0;
    }
    for (int64_t e = 0; e < static_cast<int64_t>(values.size()); ++e) {
        const size_t c = static_cast<size_t>(channelOf(e));
        const double d = values[static_cast<size_t>(e)] - out[c].mean;
        squares[c] += d * d;
    }
    for (size_t c = 0; c < out.size(); ++c) {
        out[c].std = count[c] > 1 ? std::sqrt(squares[c] / double(count[c] - 1)) : 0.0;
        out[c].range = std::abs(out[c].max - out[c].min);
    }
    return out;
}

LayerWeightStats statsWithMap(const Tensor &weight, int64_t channels, const ChannelMap &channelOf)
{
    LayerWeightStats layer;
    layer.weightShape = weight.shape();
    const std::vector<float> values = weight.toFloats();
    layer.channels = statsByChannel(values, channels, channelOf);
    if (!values.empty()) {
        const auto mm = std::minmax_element(values.begin(), values.end());
        layer.minValue = *mm.first;
        layer.maxValue = *mm.second;
    }
    computeRelativeRanges(layer);
    return layer;
}

// ConvTranspose W [I, O/g, k...]: input channel i feeds output channel (i / (I/g)) * (O/g) + j.
LayerWeightStats convTransposeStats(const Tensor &w, int64_t group)
{
    const int64_t in = w.dim(0);
    const int64_t outPerGroup = w.dim(1);
    int64_t inner = 1;
    for (size_t d = 2; d < w.rank(); ++d)
        inner *= w.dim(d);
    if (group < 1 || in % group != 0)
        group = 1;
    const int64_t inPerGroup = in / group;
    return statsWithMap(w, outPerGroup * group, [=](int64_t e) {
        const int64_t i = e / (outPerGroup * inner);
        const int64_t j = (e / inner) % outPerGroup;
        return (i / inPerGroup) * outPerGroup + j;
    });
}

// Which axis of the constant operand of Gemm/MatMul indexes the output's channels.
int matmulAxis(const Node &node, const Tensor &w, bool weightIsB)
{
    const int rank = static_cast<int>(w.rank());
    if (node.opType == "Gemm") {
        const bool trans = node.attrInt(weightIsB ? "transB" : "transA", 0) != 0;
        return weightIsB ? (trans ? 0 : 1) : (trans ? 1 : 0);
    }
    if (rank == 1)
        return 0;
    return weightIsB ? rank - 1 : rank - 2;
}

const Node *findNode(const Graph &graph, const LayerCost &cost)
{
    for (const Node &n : graph.nodes)
        if ((n.name.empty() ? (n.outputs.empty() ? std::string() : n.outputs[0]) : n.name) == cost.name &&
            n.opType == cost.opType)
            return &n;
    return nullptr;
}

} // namespace

double quantileSorted(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0.0;
    const double pos = q * double(sorted.size() - 1);
    const size_t lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - double(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

LayerWeightStats channelStatsAlongAxis(const Tensor &weight, int axis)
{
    const int rank = static_cast<int>(weight.rank());
    if (rank == 0)
        return statsWithMap(weight, 1, [](int64_t) { return int64_t(0); });
    if (axis < 0 || axis >= rank)
        fail(ErrorCode::Invalid, "weight statistics: channel axis " + std::to_string(axis) + " outside a rank-" +
                                     std::to_string(rank) + " weight " + shapeString(weight.shape()));
    const int64_t channels = weight.dim(static_cast<size_t>(axis));
    int64_t inner = 1;
    for (int d = axis + 1; d < rank; ++d)
        inner *= weight.dim(static_cast<size_t>(d));
    return statsWithMap(weight, channels, [=](int64_t e) { return (e / inner) % channels; });
}

void computeRelativeRanges(LayerWeightStats &layer)
{
    double smallest = std::numeric_limits<double>::infinity();
    double largest = 0.0;
    layer.zeroRangeChannels = 0;
    for (const ChannelStats &c : layer.channels) {
        if (c.range > 0)
            smallest = std::min(smallest, c.range);
        else
            ++layer.zeroRangeChannels;
        largest = std::max(largest, c.range);
    }
    const bool anyPositive = std::isfinite(smallest);
    std::vector<double> relative;
    relative.reserve(layer.channels.size());
    for (ChannelStats &c : layer.channels) {
        c.relativeRange = anyPositive && c.range > 0 ? c.range / smallest : 0.0;
        relative.push_back(c.relativeRange);
    }
    layer.rangeRatio = anyPositive ? largest / smallest : 1.0;
    std::sort(relative.begin(), relative.end());
    RangeSummary &s = layer.summary;
    s.q1 = quantileSorted(relative, 0.25);
    s.median = quantileSorted(relative, 0.5);
    s.q3 = quantileSorted(relative, 0.75);
    s.upperFence = s.q3 + 1.5 * (s.q3 - s.q1);
    s.maxRelative = relative.empty() ? 0.0 : relative.back();
    layer.outlierChannels.clear();
    for (size_t c = 0; c < layer.channels.size(); ++c) {
        layer.channels[c].outlier = layer.channels[c].relativeRange > s.upperFence;
        if (layer.channels[c].outlier)
            layer.outlierChannels.push_back(static_cast<int>(c));
    }
}

std::vector<LayerWeightStats> computeWeightStats(const Graph &graph)
{
    std::vector<LayerWeightStats> out;
    for (const LayerCost &cost : computeCost(graph).layers) {
        const Node *node = findNode(graph, cost);
        const Tensor *w = graph.initializer(cost.weight);
        if (!node || !w)
            continue;
        if (w->numel() == 0)
            fail(ErrorCode::Invalid, node->label() + ": weight '" + cost.weight + "' has no elements " +
                                         shapeString(w->shape()));
        LayerWeightStats layer;
        if (cost.opType == "Conv")
            layer = channelStatsAlongAxis(*w, 0);
        else if (cost.opType == "ConvTranspose")
            layer = convTransposeStats(*w, node->attrInt("group", 1));
        else
            layer = channelStatsAlongAxis(*w, matmulAxis(*node, *w, node->inputs[1] == cost.weight));
        layer.name = cost.name;
        layer.opType = cost.opType;
        layer.weight = cost.weight;
        out.push_back(std::move(layer));
    }
    return out;
}

const LayerWeightStats *findLayer(const std::vector<LayerWeightStats> &layers, const std::string &name)
{
    for (const LayerWeightStats &l : layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

} // namespace qs
