#include "compress/layergeometry.h"

#include <algorithm>

namespace qs {

namespace {

std::vector<int64_t> shapeOf(const Graph &graph, const std::string &tensor)
{
    if (const Tensor *t = graph.initializer(tensor))
        return t->shape();
    const ValueInfo *vi = graph.info(tensor);
    return vi && vi->hasShape ? vi->shape : std::vector<int64_t>();
}

bool sharedInitializer(const Graph &graph, const std::string &name)
{
    return graph.consumerIndices(name).size() > 1;
}

std::optional<LayerGeometry> refuse(std::string *why, const std::string &reason)
{
    if (why)
        *why = reason;
    return std::nullopt;
}

std::optional<LayerGeometry> convGeometry(const Graph &graph, const Node &node, const Tensor &w, LayerGeometry g,
                                          std::string *why)
{
    if (w.rank() != 4)
        return refuse(why, "only 2-D convolutions are compressed");
    if (node.attrInt("group", 1) != 1)
        return refuse(why, "grouped or depthwise convolution");
    for (int64_t d : node.attrInts("dilations"))
        if (d != 1)
            return refuse(why, "dilated convolution");
    if (node.attrString("auto_pad", "NOTSET") != "NOTSET")
        return refuse(why, "auto_pad is not supported");
    const std::vector<int64_t> in = shapeOf(graph, node.inputs[0]);
    const std::vector<int64_t> out = shapeOf(graph, node.outputs[0]);
    if (in.size() != 4 || out.size() != 4 || in[2] < 0 || in[3] < 0 || out[2] < 0 || out[3] < 0)
        return refuse(why, "input or output shape unknown");
    const std::vector<int64_t> strides = node.attrInts("strides", {1, 1});
    g.kind = LayerGeometry::Kind::Conv;
    g.out = w.dim(0);
    g.in = w.dim(1);
    g.kh = w.dim(2);
    g.kw = w.dim(3);
    g.sh = strides.at(0);
    g.sw = strides.at(1);
    g.inH = in[2];
    g.inW = in[3];
    g.outH = out[2];
    g.outW = out[3];
    return g;
}

std::optional<LayerGeometry> matrixGeometry(const Graph &graph, const Node &node, const Tensor &w, LayerGeometry g,
                                            std::string *why)
{
    if (w.rank() != 2)
        return refuse(why, "weight is not a matrix");
    const std::vector<int64_t> out = shapeOf(graph, node.outputs[0]);
    if (out.empty())
        return refuse(why, "output shape unknown");
    g.rows = 1;
    for (size_t d = 0; d + 1 < out.size(); ++d) {
        if (out[d] < 0 && d != 0)
            return refuse(why, "output shape unknown");
        if (d > 0)
            g.rows *= out[d];
    }
    if (node.opType == "Gemm") {
        if (node.attrInt("transA", 0) != 0 || node.attrFloat("alpha", 1.f) != 1.f || node.attrFloat("beta", 1.f) != 1.f)
            return refuse(why, "Gemm with transA, alpha or beta");
        g.kind = LayerGeometry::Kind::Gemm;
        g.transB = node.attrInt("transB", 0) != 0;
    } else {
        g.kind = LayerGeometry::Kind::MatMul;
    }
    g.out = g.transB ? w.dim(0) : w.dim(1);
    g.in = g.transB ? w.dim(1) : w.dim(0);
    return g;
}

} // namespace

std::optional<LayerGeometry> layerGeometry(const Graph &graph, int nodeIndex, std::string *why)
{
    const Node &node = graph.nodes.at(size_t(nodeIndex));
    const bool conv = node.opType == "Conv";
    if (!conv && node.opType != "Gemm" && node.opType != "MatMul")
        return refuse(why, "not a Conv, Gemm or MatMul");
    if (!node.hasInput(0) || !node.hasInput(1) || node.outputs.empty())
        return refuse(why, "missing inputs");
    const Tensor *w = graph.initializer(node.inputs[1]);
    if (!w || w->dtype() != DType::Float32)
        return refuse(why, "weight is not a float32 initializer");
    if (sharedInitializer(graph, node.inputs[1]))
        return refuse(why, "weight is shared with another node");
    LayerGeometry g;
    g.node = node.name;
    g.nodeIndex = nodeIndex;
    if (node.hasInput(2)) {
        const Tensor *b = graph.initializer(node.inputs[2]);
        if (!b || b->dtype() != DType::Float32 || sharedInitializer(graph, node.inputs[2]))
            return refuse(why, "bias is not an unshared float32 initializer");
        if (!conv && b->numel() != (node.attrInt("transB", 0) ? w->dim(0) : w->dim(w->rank() - 1)))
            return refuse(why, "Gemm bias is not one value per output");
        g.hasBias = true;
    }
    return conv ? convGeometry(graph, node, *w, g, why) : matrixGeometry(graph, node, *w, g, why);
}

int64_t maxRank(const LayerGeometry &g, CompressMethod method)
{
    if (g.kind != LayerGeometry::Kind::Conv)
        return std::min(g.in, g.out);
    if (method == CompressMethod::SpatialSvd)
        return std::min(g.in * g.kh, g.out * g.kw);
    return std::min(g.in, g.out * g.kh * g.kw);
}

SizeCost svdCost(const LayerGeometry &g, CompressMethod method, int64_t rank)
{
    SizeCost c;
    const int64_t bias = g.hasBias ? g.out : 0;
    if (g.kind != LayerGeometry::Kind::Conv) {
        c.params = rank * (g.in + g.out) + bias;
        c.macs = g.rows * rank * (g.in + g.out);
    } else if (method == CompressMethod::SpatialSvd) {
        // (r, i, kh, 1) with stride (sh, 1) keeps the input width, then (o, r, 1, kw) with stride (1, sw).
        c.params = g.in * rank * g.kh + rank * g.out * g.kw + bias;
        c.macs = g.in * rank * g.kh * g.outH * g.inW + rank * g.out * g.kw * g.outH * g.outW;
    } else if (g.kh * g.kw == 1) {
        c.params = rank * (g.in + g.out) + bias;
        c.macs = rank * (g.in + g.out) * g.outH * g.outW;
    } else {
        // (r, i, 1, 1) at the input resolution, then (o, r, kh, kw) with the layer's stride.
        c.params = rank * g.in + g.out * rank * g.kh * g.kw + bias;
        c.macs = rank * g.in * g.inH * g.inW + g.out * rank * g.kh * g.kw * g.outH * g.outW;
    }
    return c;
}

SizeCost prunedCost(const LayerGeometry &g, int64_t kept)
{
    SizeCost c;
    c.params = g.out * kept * g.kh * g.kw + (g.hasBias ? g.out : 0);
    c.macs = g.out * kept * g.kh * g.kw * g.pixels();
    return c;
}

KeptSize keptSize(const LayerGeometry &g, const CompressSettings &settings, double ratio)
{
    const int64_t multiple = std::max(1, settings.roundTo);
    auto roundUp = [&](int64_t n, int64_t cap) {
        n = (n + multiple - 1) / multiple * multiple;
        return std::max<int64_t>(1, std::min(n, cap));
    };
    KeptSize k;
    if (settings.method == CompressMethod::ChannelPruning) {
        k.full = g.in;
        k.kept = ratio >= 1.0 ? g.in : roundUp(std::max<int64_t>(1, int64_t(double(g.in) * ratio + 1e-9)), g.in);
        return k;
    }
    k.full = maxRank(g, settings.method);
    k.kept = k.full;
    if (ratio >= 1.0)
        return k;
    const bool byMacs = settings.metric == CostMetric::Mac;
    const int64_t bias = g.hasBias ? g.out : 0;
    auto costOf = [&](const SizeCost &c) { return double(byMacs ? c.macs : c.params - bias); };
    const double original = byMacs ? double(g.macs()) : double(g.weightElements());
    int64_t rank = k.full;
    while (rank > 1 && costOf(svdCost(g, settings.method, rank)) > ratio * original)
        --rank;
    rank = roundUp(rank, k.full);
    if (costOf(svdCost(g, settings.method, rank)) < original)
        k.kept = rank;
    return k;
}

} // namespace qs
