#include "equalize/crosslayerscaling.h"

#include "equalize/channelchain.h"
#include "equalize/layerweights.h"

#include <cmath>
#include <map>
#include <set>

namespace qs {

namespace {

double sane(double s)
{
    return std::isfinite(s) && s > 0 ? s : 1.0;
}

// Channels whose weights are negligible next to the layer's largest (e.g. a BN with gamma ~ 0
// folded in) carry only their bias. Scaling such a channel up would blow that bias up in the
// activations, so a dead channel is never scaled up; scaling a channel down is always harmless.
std::vector<bool> deadChannels(const std::vector<double> &range, double threshold)
{
    double top = 0;
    for (double r : range)
        top = std::max(top, r);
    std::vector<bool> dead(range.size());
    for (size_t c = 0; c < range.size(); ++c)
        dead[c] = !(range[c] > threshold * top);
    return dead;
}

std::vector<double> inverse(const std::vector<double> &s)
{
    std::vector<double> r(s.size());
    for (size_t i = 0; i < s.size(); ++i)
        r[i] = 1.0 / s[i];
    return r;
}

class Scaler {
public:
    Scaler(ClsResult &r, const ClsOptions &o) : m_r(r), m_o(o) {}

    // Layer sequences joined by chains, split into AIMET's sets: a depthwise layer takes the
    // layers on both sides (a triplet), any other pair is two layers.
    std::vector<std::vector<std::string>> findSets()
    {
        const Graph &g = m_r.graph;
        const GraphIndex index(g);
        std::map<std::string, std::string> next;
        std::set<std::string> hasPrev;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            if (!LayerWeights::isLayerOp(g.nodes[i]))
                continue;
            const std::string reason = link(index, int(i), next);
            if (!reason.empty())
                m_r.report.skipped.push_back({g.nodes[i].name, reason});
            else
                hasPrev.insert(next[g.nodes[i].name]);
        }
        std::vector<std::vector<std::string>> sets;
        for (const Node &n : g.nodes) { // heads in graph order, as AIMET visits them
            if (!next.count(n.name) || hasPrev.count(n.name))
                continue;
            std::vector<std::string> seq{n.name};
            for (auto it = next.find(n.name); it != next.end(); it = next.find(it->second))
                seq.push_back(it->second);
            split(seq, sets);
        }
        return sets;
    }

    // Rewrites the Clips on a set's chains into per-channel clamps.
    void expandClamps(const std::vector<std::string> &set, ClsGroup &group)
    {
        for (size_t k = 0; k + 1 < set.size(); ++k) {
            const GraphIndex index(m_r.graph);
            const int l1 = findNode(m_r.graph, set[k]);
            const Chain chain = followChain(index, m_r.graph.nodes[size_t(l1)].outputs[0]);
            std::vector<std::string> clips;
            for (const ChainOp &op : chain.ops)
                if (m_r.graph.nodes[size_t(op.node)].opType == "Clip")
                    clips.push_back(m_r.graph.nodes[size_t(op.node)].name);
            const int64_t channels = LayerWeights::load(m_r.graph, l1)->outChannels();
            group.clampsRewritten += expandClips(m_r.graph, clips, channels);
        }
    }

    // One pass over a set: computes the scales from the current weights and applies them.
    // Returns false (graph untouched) when the set no longer matches.
    bool scaleSet(const std::vector<std::string> &set, ClsGroup &group)
    {
        std::vector<LayerWeights> L;
        for (const std::string &name : set) {
            auto w = LayerWeights::load(m_r.graph, findNode(m_r.graph, name));
            if (!w)
                return false;
            L.push_back(std::move(*w));
        }
        std::vector<std::vector<double>> scales;
        if (L.size() == 2) {
            const auto r1 = L[0].outRange(), r2 = L[1].inRange();
            const auto d1 = deadChannels(r1, m_o.deadRange);
            std::vector<double> s(r1.size());
            for (size_t c = 0; c < s.size(); ++c)
                s[c] = d1[c] ? 1.0 : sane(std::sqrt(r1[c] / r2[c]));
            scales.push_back(s);
        } else {
            const auto r0 = L[0].outRange(), r1 = L[1].outRange(), r2 = L[2].inRange();
            const auto d0 = deadChannels(r0, m_o.deadRange), d1 = deadChannels(r1, m_o.deadRange),
                       d2 = deadChannels(r2, m_o.deadRange);
            std::vector<double> s12(r0.size(), 1.0), s23(r0.size(), 1.0);
            for (size_t c = 0; c < r0.size(); ++c) {
                if (d0[c] || d1[c] || d2[c]) { // balance pairwise, never scaling a dead channel up
                    s12[c] = d0[c] ? 1.0 : sane(std::sqrt(r0[c] / r1[c]));
                    s23[c] = d1[c] ? 1.0 : sane(std::sqrt(r1[c] * s12[c] / r2[c]));
                    continue;
                }
                const double cube = std::cbrt(r0[c] * r1[c] * r2[c]);
                s12[c] = sane(r0[c] / cube);
                s23[c] = sane(cube / r2[c]);
            }
            scales = {s12, s23};
        }
        for (size_t k = 0; k < scales.size(); ++k)
            if (!scaleClamps(set[k], scales[k], true))
                return false;
        for (size_t k = 0; k < scales.size(); ++k) {
            scaleClamps(set[k], scales[k], false);
            L[k].scaleOut(inverse(scales[k]));
            L[k + 1].scaleIn(scales[k]);
            rescaleStats(set[k], scales[k]);
        }
        for (const LayerWeights &w : L)
            w.store(m_r.graph);
        if (group.scales.empty())
            group.scales.assign(scales.size(), std::vector<double>(scales[0].size(), 1.0));
        for (size_t k = 0; k < scales.size(); ++k)
            for (size_t c = 0; c < scales[k].size(); ++c)
                group.scales[k][c] *= scales[k][c];
        return true;
    }

private:
    // Records l -> next layer, or returns why l's output cannot be equalized.
    std::string link(const GraphIndex &index, int l, std::map<std::string, std::string> &next)
    {
        const Graph &g = m_r.graph;
        std::string why;
        auto L1 = LayerWeights::load(g, l, &why);
        if (!L1)
            return why;
        const Chain chain = followChain(index, g.nodes[size_t(l)].outputs[0]);
        if (chain.next < 0)
            return chain.stopReason;
        auto L2 = LayerWeights::load(g, chain.next, &why);
        if (!L2)
            return why;
        if (L1->outChannels() != L2->inChannels())
            return g.nodes[size_t(l)].label() + " has " + std::to_string(L1->outChannels()) + " output channels, " +
                   g.nodes[size_t(chain.next)].label() + " " + std::to_string(L2->inChannels()) + " input channels";
        if (L2->groups() > 1 && !L2->isDepthwise())
            return g.nodes[size_t(chain.next)].label() + " is a grouped (not depthwise) convolution";
        next[g.nodes[size_t(l)].name] = g.nodes[size_t(chain.next)].name;
        return {};
    }

    void split(const std::vector<std::string> &seq, std::vector<std::vector<std::string>> &sets) const
    {
        size_t i = 0;
        while (i + 1 < seq.size()) {
            const auto mid = LayerWeights::load(m_r.graph, findNode(m_r.graph, seq[i + 1]));
            if (mid && mid->isDepthwise() && i + 2 < seq.size()) {
                sets.push_back({seq[i], seq[i + 1], seq[i + 2]});
                i += 2;
            } else {
                sets.push_back({seq[i], seq[i + 1]});
                i += 1;
            }
        }
    }

    // Divides the per-channel bounds of the clamps after `layer` by the scales (with checkOnly,
    // only tells whether that is possible).
    bool scaleClamps(const std::string &layer, const std::vector<double> &s, bool checkOnly)
    {
        const GraphIndex index(m_r.graph);
        const int l = findNode(m_r.graph, layer);
        const Chain chain = followChain(index, m_r.graph.nodes[size_t(l)].outputs[0]);
        if (chain.next < 0)
            return false;
        const int64_t channels = int64_t(s.size());
        for (const ChainOp &op : chain.ops) {
            const Node &n = m_r.graph.nodes[size_t(op.node)];
            if (op.kind != ChainOpKind::Clamp || n.opType == "Relu")
                continue;
            if (n.opType == "Clip")
                return false; // not expanded: per-channel bounds impossible
            auto b = clampBounds(index, op.node, channels);
            if (!b)
                return false;
            std::vector<double> v = n.opType == "Min" ? b->hi : b->lo;
            for (size_t c = 0; c < v.size(); ++c)
                v[c] /= s[c];
            if (!checkOnly)
                setChannelConstant(m_r.graph, index, op.node, v, index.rank(n.inputs[0], 4));
        }
        return true;
    }

    void rescaleStats(const std::string &layer, const std::vector<double> &s)
    {
        auto it = m_r.stats.find(layer);
        if (it == m_r.stats.end() || it->second.mean.size() != s.size())
            return;
        for (size_t c = 0; c < s.size(); ++c) {
            it->second.mean[c] /= s[c];
            it->second.stddev[c] /= s[c];
        }
    }

    ClsResult &m_r;
    const ClsOptions &m_o;
};

} // namespace

Result<ClsResult> crossLayerScale(const Graph &graph, const LayerStatsTable &stats, const ClsOptions &options)
{
    return capture("cross-layer scaling", [&] {
        ClsResult r;
        r.graph = graph;
        r.stats = stats;
        ensureNodeNames(r.graph);
        Scaler scaler(r, options);
        const auto sets = scaler.findSets();
        std::vector<ClsGroup> groups(sets.size());
        for (size_t k = 0; k < sets.size(); ++k) {
            groups[k].layers = sets[k];
            scaler.expandClamps(sets[k], groups[k]);
        }
        std::vector<bool> ok(sets.size(), true);
        for (int it = 0; it < std::max(1, options.iterations); ++it)
            for (size_t k = 0; k < sets.size(); ++k)
                if (ok[k])
                    ok[k] = scaler.scaleSet(sets[k], groups[k]);
        for (size_t k = 0; k < sets.size(); ++k) {
            if (ok[k] || !groups[k].scales.empty())
                r.report.groups.push_back(groups[k]);
            else
                r.report.skipped.push_back({sets[k][0], "a bound on its chain could not be made per-channel"});
        }
        return r;
    });
}

} // namespace qs
