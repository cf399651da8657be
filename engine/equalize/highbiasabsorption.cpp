#include "equalize/highbiasabsorption.h"

#include "equalize/channelchain.h"
#include "equalize/layerweights.h"

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

// What the chain between two layers allows: whether it clamps at 0 from below, and why not
// when it cannot carry a shift.
struct ChainCheck {
    bool lowerZero = false;
    std::vector<double> upper; // tightest upper bound per channel (+inf when none)
    std::string why;
};

ChainCheck checkChain(const GraphIndex &index, const Chain &chain, const LayerWeights &next, int64_t channels,
                      const HbaOptions &o)
{
    const Graph &g = index.graph();
    ChainCheck r;
    r.upper.assign(size_t(channels), std::numeric_limits<double>::infinity());
    for (const ChainOp &op : chain.ops) {
        const Node &n = g.nodes[size_t(op.node)];
        if (op.kind == ChainOpKind::ZeroPad && o.exact) {
            r.why = n.label() + " pads with zeros (absorbing would change border outputs)";
            return r;
        }
        if (op.kind == ChainOpKind::Pool && n.opType == "AveragePool" && n.attrInt("count_include_pad", 0) != 0 &&
            o.exact) {
            r.why = n.label() + " averages padded zeros";
            return r;
        }
        if (op.kind == ChainOpKind::Activation && n.opType != "Identity" && n.opType != "Dropout") {
            if (n.opType != "Relu") {
                r.why = "the shift cannot pass " + n.label();
                return r;
            }
            r.lowerZero = true;
        }
        if (op.kind != ChainOpKind::Clamp)
            continue;
        auto b = clampBounds(index, op.node, channels);
        if (!b) {
            r.why = "the bounds of " + n.label() + " are not per-channel constants";
            return r;
        }
        for (int64_t c = 0; c < channels; ++c) {
            const double lo = b->lo[size_t(c)];
            if (!std::isinf(lo) && lo != 0.0 && !o.exact) {
                r.why = n.label() + " clamps at a lower bound other than 0";
                return r;
            }
            r.lowerZero = r.lowerZero || !std::isinf(lo);
            r.upper[size_t(c)] = std::min(r.upper[size_t(c)], b->hi[size_t(c)]);
        }
    }
    if (next.padsInput() && o.exact)
        r.why = "layer '" + next.nodeName() + "' pads its input with zeros (absorbing would change border outputs)";
    return r;
}

class Absorber {
public:
    Absorber(HbaResult &r, const HbaOptions &o) : m_r(r), m_o(o) {}

    void run(const std::string &layer)
    {
        const auto &st = m_r.stats.at(layer);
        if (std::string why = absorb(layer, st); !why.empty())
            m_r.report.skipped.push_back({layer, why});
    }

private:
    std::string absorb(const std::string &layer, const LayerStats &st)
    {
        int l1 = findNode(m_r.graph, layer);
        std::string why;
        auto L1 = LayerWeights::load(m_r.graph, l1, &why);
        if (!L1)
            return why;
        if (st.mean.size() != size_t(L1->outChannels()))
            return "its statistics do not match its output channels";
        ChainCheck check;
        {
            const GraphIndex index(m_r.graph);
            const Chain chain = followChain(index, m_r.graph.nodes[size_t(l1)].outputs[0]);
            if (chain.next < 0)
                return chain.stopReason;
            auto L2 = LayerWeights::load(m_r.graph, chain.next, &why);
            if (!L2)
                return why;
            check = checkChain(index, chain, *L2, L1->outChannels(), m_o);
            if (!check.why.empty())
                return check.why;
        }
        std::vector<double> c(st.mean.size());
        bool any = false;
        for (size_t ch = 0; ch < c.size(); ++ch) {
            c[ch] = check.lowerZero ? std::max(0.0, st.mean[ch] - m_o.sigmas * st.stddev[ch]) : st.mean[ch];
            c[ch] = std::min(c[ch], std::max(0.0, check.upper[ch]));
            any = any || c[ch] != 0.0;
        }
        if (!any)
            return "no channel has mean - " + std::to_string(int(m_o.sigmas)) + " std above 0";
        expandChainClips(l1, L1->outChannels());
        l1 = findNode(m_r.graph, layer);
        const GraphIndex index(m_r.graph);
        const Chain chain = followChain(index, m_r.graph.nodes[size_t(l1)].outputs[0]);
        auto L2 = LayerWeights::load(m_r.graph, chain.next);
        shiftClamps(index, chain, c);
        auto &b1 = L1->bias();
        for (size_t ch = 0; ch < c.size(); ++ch)
            b1[ch] = float(double(b1[ch]) - c[ch]);
        const auto delta = L2->dot(c);
        auto &b2 = L2->bias();
        for (size_t o = 0; o < b2.size(); ++o)
            b2[o] = float(double(b2[o]) + delta[o]);
        L1->store(m_r.graph);
        L2->store(m_r.graph);
        auto &stats = m_r.stats[layer];
        for (size_t ch = 0; ch < c.size(); ++ch)
            stats.mean[ch] -= c[ch];
        m_r.report.absorbed.push_back({layer, L2->nodeName(), c});
        return {};
    }

    void expandChainClips(int l1, int64_t channels)
    {
        const GraphIndex index(m_r.graph);
        const Chain chain = followChain(index, m_r.graph.nodes[size_t(l1)].outputs[0]);
        std::vector<std::string> clips;
        for (const ChainOp &op : chain.ops)
            if (m_r.graph.nodes[size_t(op.node)].opType == "Clip")
                clips.push_back(m_r.graph.nodes[size_t(op.node)].name);
        if (chain.next >= 0)
            expandClips(m_r.graph, clips, channels);
    }

    // Bounds move down with the shifted channel: min(x, t) - c = min(x - c, t - c), and in exact
    // mode max(x, 0) - c = max(x - c, -c).
    void shiftClamps(const GraphIndex &index, const Chain &chain, const std::vector<double> &c)
    {
        for (const ChainOp &op : chain.ops) {
            Node &n = m_r.graph.nodes[size_t(op.node)];
            const bool lower = n.opType == "Max" || n.opType == "Relu";
            if (n.opType != "Min" && !(lower && m_o.exact))
                continue;
            auto b = clampBounds(index, op.node, int64_t(c.size()));
            std::vector<double> v = lower ? b->lo : b->hi;
            for (size_t ch = 0; ch < c.size(); ++ch)
                v[ch] -= c[ch];
            const size_t rank = index.rank(n.inputs[0], 4);
            if (n.opType == "Relu") {
                n.opType = "Max";
                const std::string name = uniqueTensorName(m_r.graph, n.name + "/lower");
                m_r.graph.initializers[name] = Tensor::fromFloats({}, {0.f});
                n.inputs = {n.inputs[0], name};
            }
            const GraphIndex updated(m_r.graph);
            setChannelConstant(m_r.graph, updated, op.node, v, rank);
        }
    }

    HbaResult &m_r;
    const HbaOptions &m_o;
};

} // namespace

Result<HbaResult> absorbHighBias(const Graph &graph, const LayerStatsTable &stats, const HbaOptions &options)
{
    return capture("high-bias absorption", [&] {
        HbaResult r;
        r.graph = graph;
        r.stats = stats;
        ensureNodeNames(r.graph);
        std::vector<std::string> order;
        for (const Node &n : r.graph.nodes)
            if (stats.count(n.name))
                order.push_back(n.name);
        Absorber absorber(r, options);
        for (const std::string &layer : order)
            absorber.run(layer);
        return r;
    });
}

} // namespace qs
