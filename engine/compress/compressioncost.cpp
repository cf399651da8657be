#include "compress/channelpruning.h"
#include "compress/compressor.h"
#include "compress/layergeometry.h"
#include "equalize/layerweights.h"

#include <algorithm>
#include <map>

namespace qs {

struct CompressionCostModel::Data {
    CompressSettings settings;
    CompressibleSet set;
    Cost original;
    std::map<std::string, LayerGeometry> geometry;   // every group-1 Conv / Gemm / MatMul
    std::map<std::string, LayerCost> layerCost;       // every layer of computeCost
    std::map<std::string, WinnowPath> winnow;         // pruning: per compressible layer
    std::map<std::string, int64_t> batchNormChannels;
};

CompressionCostModel::CompressionCostModel(const Graph &graph, const CompressSettings &settings)
    : m_d(std::make_unique<Data>())
{
    m_d->settings = settings;
    m_d->set = compressibleLayers(graph, settings.method);
    const ModelCost base = computeCost(graph);
    m_d->original = {base.macs, base.params};
    for (const LayerCost &c : base.layers)
        m_d->layerCost[c.name] = c;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node &n = graph.nodes[i];
        if (n.opType == "BatchNormalization" && n.hasInput(1))
            if (const Tensor *scale = graph.initializer(n.inputs[1]))
                m_d->batchNormChannels[n.name] = scale->numel();
        if (std::optional<LayerGeometry> g = layerGeometry(graph, int(i)))
            m_d->geometry[graph.nodes[i].name] = *g;
    }
    if (settings.method == CompressMethod::ChannelPruning)
        for (const CompressibleLayer &l : m_d->set.layers)
            m_d->winnow[l.name] = winnowPath(graph, l.name);
}

CompressionCostModel::~CompressionCostModel() = default;

CompressionCostModel::Cost CompressionCostModel::original() const
{
    return m_d->original;
}

const CompressibleSet &CompressionCostModel::compressible() const
{
    return m_d->set;
}

KeptSize CompressionCostModel::kept(const std::string &layer, double ratio) const
{
    const auto it = m_d->geometry.find(layer);
    if (it == m_d->geometry.end())
        fail(ErrorCode::Invalid, "compression: '" + layer + "' is not a compressible layer");
    return keptSize(it->second, m_d->settings, ratio);
}

namespace {

struct Delta {
    int64_t macs = 0, params = 0;
};

// A group-1 conv with `in` input and `out` output channels kept.
Delta resizedConv(const LayerGeometry &g, int64_t in, int64_t out)
{
    const int64_t w = out * in * g.kh * g.kw;
    return {w * g.pixels() - g.macs(), w + (g.hasBias ? out : 0) - g.params()};
}

} // namespace

CompressionCostModel::Cost CompressionCostModel::cost(const RatioMap &ratios) const
{
    Cost c = m_d->original;
    if (m_d->settings.method != CompressMethod::ChannelPruning) {
        for (const auto &[layer, ratio] : ratios) {
            const KeptSize k = kept(layer, ratio);
            if (!k.compressed())
                continue;
            const LayerGeometry &g = m_d->geometry.at(layer);
            const SizeCost s = svdCost(g, m_d->settings.method, k.kept);
            c.macs += s.macs - g.macs();
            c.params += s.params - g.params();
        }
        return c;
    }
    std::map<std::string, int64_t> inKept, outKept, passKept;
    for (const auto &[layer, ratio] : ratios) {
        const KeptSize k = kept(layer, ratio);
        if (!k.compressed())
            continue;
        inKept[layer] = k.kept;
        const auto w = m_d->winnow.find(layer);
        if (w == m_d->winnow.end() || w->second.producer.empty())
            continue;
        outKept[w->second.producer] = k.kept;
        for (const std::string &p : w->second.passed)
            passKept[p] = k.kept;
    }
    std::map<std::string, char> convs;
    for (const auto &kv : inKept)
        convs[kv.first] = 1;
    for (const auto &kv : outKept)
        convs[kv.first] = 1;
    for (const auto &kv : convs) {
        const LayerGeometry &g = m_d->geometry.at(kv.first);
        const auto in = inKept.find(kv.first), out = outKept.find(kv.first);
        const Delta d = resizedConv(g, in == inKept.end() ? g.in : in->second, out == outKept.end() ? g.out : out->second);
        c.macs += d.macs;
        c.params += d.params;
    }
    for (const auto &[node, channels] : passKept) {
        const auto bn = m_d->batchNormChannels.find(node);
        if (bn != m_d->batchNormChannels.end()) {
            c.params -= 4 * (bn->second - channels); // scale, bias, mean and variance
            continue;
        }
        const LayerCost &lc = m_d->layerCost.at(node); // depthwise conv: cost per channel
        const int64_t full = lc.weightShape.at(0);
        c.macs += lc.macs / full * channels - lc.macs;
        c.params += lc.params / full * channels - lc.params;
    }
    return c;
}

double CompressionCostModel::ratio(const RatioMap &ratios, CostMetric metric) const
{
    const Cost now = cost(ratios);
    const Cost base = original();
    return metric == CostMetric::Mac ? double(now.macs) / double(std::max<int64_t>(1, base.macs))
                                     : double(now.params) / double(std::max<int64_t>(1, base.params));
}

} // namespace qs
