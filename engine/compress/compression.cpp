#include "compress/compression.h"

#include "compress/layergeometry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace qs {

std::string methodName(CompressMethod method)
{
    switch (method) {
    case CompressMethod::SpatialSvd:
        return "spatial-svd";
    case CompressMethod::WeightSvd:
        return "weight-svd";
    case CompressMethod::ChannelPruning:
        break;
    }
    return "channel-pruning";
}

std::optional<CompressMethod> parseMethod(const std::string &name)
{
    for (CompressMethod m : {CompressMethod::SpatialSvd, CompressMethod::WeightSvd, CompressMethod::ChannelPruning})
        if (methodName(m) == name)
            return m;
    return std::nullopt;
}

std::string metricName(CostMetric metric)
{
    return metric == CostMetric::Mac ? "mac" : "memory";
}

std::optional<CostMetric> parseMetric(const std::string &name)
{
    if (name == "mac")
        return CostMetric::Mac;
    if (name == "memory")
        return CostMetric::Memory;
    return std::nullopt;
}

std::string selectionName(ChannelSelection selection)
{
    return selection == ChannelSelection::L2 ? "l2" : "lstsq";
}

std::optional<ChannelSelection> parseSelection(const std::string &name)
{
    if (name == "l2")
        return ChannelSelection::L2;
    if (name == "lstsq")
        return ChannelSelection::LeastSquares;
    return std::nullopt;
}

namespace {

// Why `method` leaves a layer with valid geometry alone, or "" when it takes it.
std::string methodRefusal(const Graph &graph, const Node &node, const LayerGeometry &g, CompressMethod method)
{
    const bool conv = g.kind == LayerGeometry::Kind::Conv;
    if (method == CompressMethod::ChannelPruning) {
        if (!conv)
            return "channel pruning takes convolutions only";
        for (const ValueInfo &in : graph.inputs)
            if (in.name == node.inputs[0])
                return "its input is the model input";
        if (g.in < 2)
            return "a single input channel";
        return {};
    }
    if (method == CompressMethod::SpatialSvd && conv && g.kh * g.kw == 1)
        return "1x1 kernel (spatial SVD needs a k x k kernel)";
    if (maxRank(g, method) < 2)
        return "rank 1 already";
    return {};
}

} // namespace

CompressibleSet compressibleLayers(const Graph &graph, CompressMethod method)
{
    CompressibleSet set;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node &node = graph.nodes[i];
        if (node.opType != "Conv" && node.opType != "Gemm" && node.opType != "MatMul")
            continue;
        if (node.opType == "MatMul" && (!node.hasInput(1) || !graph.initializer(node.inputs[1])))
            continue; // activation x activation
        std::string why;
        const std::optional<LayerGeometry> g = layerGeometry(graph, int(i), &why);
        if (g && (why = methodRefusal(graph, node, *g, method)).empty()) {
            set.layers.push_back({node.name, node.opType, int(i), g->macs(), g->params()});
            continue;
        }
        set.skipped.push_back({node.name, why});
    }
    return set;
}

std::vector<double> candidateRatios(int n)
{
    std::vector<double> ratios;
    for (int k = 1; k <= n; ++k)
        ratios.push_back(std::round(double(k) / n * 1e9) / 1e9);
    return ratios;
}

std::string ratioKey(double ratio)
{
    char buf[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, ratio);
        if (std::abs(std::strtod(buf, nullptr) - ratio) <= 1e-12)
            break;
    }
    return buf;
}

} // namespace qs
