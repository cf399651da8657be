#include "runtime/fusion.h"

#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

namespace qs {

namespace {

const char *const kRuntimePads = "qs_runtime_pads";

class Fuser {
public:
    Fuser(const Graph &g, FusionStats &stats, const std::set<std::string> &keep,
          const std::map<std::string, ActivationQdq> &quantizers)
        : m_g(g), m_stats(stats), m_visible(keep), m_quantizers(quantizers)
    {
        for (const auto &o : g.outputs)
            m_visible.insert(o.name);
        for (const auto &n : g.nodes)
            if (n.opType == "Constant" && n.has("value") && n.outputs.size() == 1)
                m_constants[n.outputs[0]] = n.attributes.at("value").t;
        recount();
    }

    Graph run()
    {
        foldPads();
        foldBatchNorms();
        fuseConvs();
        attachRuntimePads();
        return std::move(m_g);
    }

    // FusedConv inputs: X, W, [B], [Sum], [Pads]; omitted ones are empty names.
    void attachRuntimePads()
    {
        for (Node &n : m_g.nodes) {
            if (!n.has(kRuntimePads))
                continue;
            const std::string pads = n.attributes.at(kRuntimePads).s;
            n.attributes.erase(kRuntimePads);
            n.inputs.resize(std::max<size_t>(n.inputs.size(), 4));
            n.inputs.push_back(pads);
        }
    }

private:
    void recount()
    {
        m_uses.clear();
        for (const auto &n : m_g.nodes)
            for (const auto &in : n.inputs)
                if (!in.empty())
                    ++m_uses[in];
    }

    const Tensor *constant(const std::string &name) const
    {
        if (const Tensor *t = m_g.initializer(name))
            return t;
        auto it = m_constants.find(name);
        return it == m_constants.end() ? nullptr : &it->second;
    }

    // The single consumer of `tensor`, when it has exactly one and is not a graph output.
    // A quantized tensor may only disappear into a FusedConv, which applies its quantizer.
    int soleConsumer(const std::string &tensor, bool quantizedMayHide = false) const
    {
        if (m_visible.count(tensor) || (!quantizedMayHide && m_quantizers.count(tensor)))
            return -1;
        auto it = m_uses.find(tensor);
        if (it == m_uses.end() || it->second != 1)
            return -1;
        auto c = m_g.consumerIndices(tensor);
        return c.size() == 1 ? c[0] : -1;
    }

    bool isPlainConv2d(const Node &n) const
    {
        if (n.opType != "Conv" || !n.domain.empty() || n.inputs.size() < 2)
            return false;
        const Tensor *w = constant(n.inputs[1]);
        if (!w || w->dtype() != DType::Float32 || w->rank() != 4)
            return false;
        if (n.hasInput(2)) {
            const Tensor *b = constant(n.inputs[2]);
            if (!b || b->dtype() != DType::Float32)
                return false;
        }
        const std::string ap = n.attrString("auto_pad", "NOTSET");
        return ap == "NOTSET" || ap == "VALID";
    }

    void removeNodes(const std::set<size_t> &dead)
    {
        std::vector<Node> kept;
        for (size_t i = 0; i < m_g.nodes.size(); ++i)
            if (!dead.count(i))
                kept.push_back(std::move(m_g.nodes[i]));
        m_g.nodes = std::move(kept);
        recount();
    }

    std::optional<std::vector<int64_t>> padAmounts(const Node &pad) const
    {
        if (pad.attrString("mode", "constant") != "constant")
            return std::nullopt;
        std::vector<int64_t> pads;
        if (m_g.opsetVersion < 11) {
            pads = pad.attrInts("pads");
            if (pad.attrFloat("value", 0.f) != 0.f)
                return std::nullopt;
        } else {
            const Tensor *p = pad.hasInput(1) ? constant(pad.inputs[1]) : nullptr;
            if (!p)
                return std::nullopt;
            pads = p->toInt64s();
            if (pad.hasInput(2)) {
                const Tensor *v = constant(pad.inputs[2]);
                if (!v || v->numel() != 1 || v->toFloats()[0] != 0.f)
                    return std::nullopt;
            }
            if (pad.hasInput(3))
                return std::nullopt;
        }
        if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5])
            return std::nullopt;
        for (int64_t v : pads)
            if (v < 0)
                return std::nullopt;
        return std::vector<int64_t>{pads[2], pads[3], pads[6], pads[7]};
    }

    // The pads tensor of a zero-constant Pad whose amounts are computed at run time, or "".
    std::string runtimePadsTensor(const Node &pad) const
    {
        if (m_g.opsetVersion < 11 || pad.attrString("mode", "constant") != "constant" || !pad.hasInput(1) ||
            constant(pad.inputs[1]) || pad.hasInput(3))
            return {};
        if (pad.hasInput(2)) {
            const Tensor *v = constant(pad.inputs[2]);
            if (!v || v->numel() != 1 || v->toFloats()[0] != 0.f)
                return {};
        }
        return pad.inputs[1];
    }

    void foldPads()
    {
        std::set<size_t> dead;
        for (size_t i = 0; i < m_g.nodes.size(); ++i) {
            Node &pad = m_g.nodes[i];
            if (pad.opType != "Pad" || pad.outputs.size() != 1)
                continue;
            auto amounts = padAmounts(pad);
            const std::string runtimePads = amounts ? std::string() : runtimePadsTensor(pad);
            const int c = soleConsumer(pad.outputs[0]);
            if ((!amounts && runtimePads.empty()) || c < 0)
                continue;
            Node &conv = m_g.nodes[size_t(c)];
            if (!isPlainConv2d(conv) || conv.inputs[0] != pad.outputs[0] ||
                conv.attrString("auto_pad", "NOTSET") != "NOTSET" || conv.has(kRuntimePads))
                continue;
            if (!runtimePads.empty()) {
                // Pads computed by the graph (shape arithmetic): the fused kernel reads them each run.
                conv.attributes[kRuntimePads] = Attribute::ofString(runtimePads);
                conv.inputs[0] = pad.inputs[0];
                dead.insert(i);
                ++m_stats.padsFolded;
                continue;
            }
            std::vector<int64_t> p = conv.attrInts("pads", {0, 0, 0, 0});
            p[0] += (*amounts)[0];
            p[1] += (*amounts)[1];
            p[2] += (*amounts)[2];
            p[3] += (*amounts)[3];
            conv.attributes["pads"] = Attribute::ofInts(p);
            conv.inputs[0] = pad.inputs[0];
            dead.insert(i);
            ++m_stats.padsFolded;
        }
        removeNodes(dead);
    }

    void foldBatchNorms()
    {
        std::set<size_t> dead;
        for (size_t i = 0; i < m_g.nodes.size(); ++i) {
            Node &conv = m_g.nodes[i];
            if (!isPlainConv2d(conv))
                continue;
            const int c = soleConsumer(conv.outputs[0]);
            if (c < 0)
                continue;
            const Node &bn = m_g.nodes[size_t(c)];
            if (bn.opType != "BatchNormalization" || bn.inputs.size() < 5 || bn.inputs[0] != conv.outputs[0] ||
                bn.attrInt("training_mode", 0) != 0)
                continue;
            bool extraOutputs = false;
            for (size_t o = 1; o < bn.outputs.size(); ++o)
                extraOutputs |= !bn.outputs[o].empty();
            const Tensor *gamma = constant(bn.inputs[1]), *beta = constant(bn.inputs[2]),
                         *mean = constant(bn.inputs[3]), *var = constant(bn.inputs[4]);
            if (extraOutputs || !gamma || !beta || !mean || !var)
                continue;
            foldInto(conv, *gamma, *beta, *mean, *var, bn.attrFloat("epsilon", 1e-5f));
            conv.outputs[0] = bn.outputs[0];
            dead.insert(size_t(c));
            ++m_stats.batchNormsFolded;
        }
        removeNodes(dead);
    }

    void foldInto(Node &conv, const Tensor &gamma, const Tensor &beta, const Tensor &mean, const Tensor &var, float eps)
    {
        Tensor w = *constant(conv.inputs[1]);
        const int64_t outC = w.dim(0), per = w.numel() / outC;
        std::vector<float> b = conv.hasInput(2) ? constant(conv.inputs[2])->toFloats() : std::vector<float>(size_t(outC), 0.f);
        const auto g = gamma.toFloats(), bt = beta.toFloats(), mu = mean.toFloats(), v = var.toFloats();
        float *wp = w.dataAs<float>();
        for (int64_t o = 0; o < outC; ++o) {
            const double s = double(g[o]) / std::sqrt(double(v[o]) + double(eps));
            for (int64_t k = 0; k < per; ++k)
                wp[o * per + k] = float(wp[o * per + k] * s);
            b[o] = float((double(b[o]) - mu[o]) * s + bt[o]);
        }
        const std::string base = conv.outputs[0] + "/folded";
        m_g.initializers[base + "_weight"] = std::move(w);
        m_g.initializers[base + "_bias"] = Tensor::fromFloats({outC}, b);
        conv.inputs.resize(3);
        conv.inputs[1] = base + "_weight";
        conv.inputs[2] = base + "_bias";
    }

    // Activation fusable as a oneDNN eltwise post-op: fills kind/min/max.
    bool activation(const Node &n, std::string &kind, float &lo, float &hi) const
    {
        if (n.opType == "Relu") {
            kind = "relu";
            return true;
        }
        if (n.opType != "Clip")
            return false;
        lo = -std::numeric_limits<float>::infinity();
        hi = std::numeric_limits<float>::infinity();
        if (m_g.opsetVersion < 11) {
            lo = n.attrFloat("min", lo);
            hi = n.attrFloat("max", hi);
        } else {
            for (size_t k = 1; k <= 2; ++k) {
                if (!n.hasInput(k))
                    continue;
                const Tensor *t = constant(n.inputs[k]);
                if (!t || t->numel() != 1)
                    return false;
                (k == 1 ? lo : hi) = t->toFloats()[0];
            }
        }
        kind = "clip";
        return true;
    }

    void fuseConvs()
    {
        std::unordered_map<std::string, size_t> producedAt;
        for (size_t i = 0; i < m_g.nodes.size(); ++i)
            for (const auto &o : m_g.nodes[i].outputs)
                producedAt[o] = i;
        std::set<size_t> dead;
        for (size_t i = 0; i < m_g.nodes.size(); ++i) {
            Node &conv = m_g.nodes[i];
            if (!isPlainConv2d(conv) || dead.count(i))
                continue;
            conv.opType = "FusedConv";
            conv.domain = "qs";
            ++m_stats.fusedConvs;
            if (!conv.hasInput(2))
                conv.inputs.resize(2);
            // A fused kernel applies at most one quantizer, at the end of its chain.
            if (absorbQuantizer(conv))
                continue;
            int c = soleConsumer(conv.outputs[0], true);
            if (c < 0)
                continue;
            Node *next = &m_g.nodes[size_t(c)];
            if (next->opType == "Add" && next->inputs.size() == 2 && sameShape(next->inputs[0], next->inputs[1])) {
                const std::string other = next->inputs[0] == conv.outputs[0] ? next->inputs[1] : next->inputs[0];
                auto p = producedAt.find(other);
                // The residual must exist before the convolution runs: produced earlier, or a graph
                // input or initializer.
                const bool available = other != conv.outputs[0] &&
                                       (p != producedAt.end() ? p->second < i
                                                              : m_g.initializer(other) != nullptr ||
                                                                    isGraphInput(other));
                if (!available)
                    continue;
                conv.inputs.resize(3);
                conv.inputs.push_back(other);
                conv.outputs[0] = next->outputs[0];
                conv.attributes["sum"] = Attribute::ofInt(1);
                dead.insert(size_t(c));
                ++m_stats.addsFused;
                if (absorbQuantizer(conv))
                    continue;
                c = soleConsumer(conv.outputs[0], true);
                if (c < 0)
                    continue;
                next = &m_g.nodes[size_t(c)];
            }
            std::string kind;
            float lo = 0, hi = 0;
            if (activation(*next, kind, lo, hi) && next->inputs[0] == conv.outputs[0]) {
                conv.attributes["activation"] = Attribute::ofString(kind);
                conv.attributes["clip_min"] = Attribute::ofFloat(lo);
                conv.attributes["clip_max"] = Attribute::ofFloat(hi);
                conv.outputs[0] = next->outputs[0];
                dead.insert(size_t(c));
                ++m_stats.activationsFused;
                absorbQuantizer(conv);
            }
        }
        removeNodes(dead);
    }

    // When the fused node's current output is quantized, its quantizer becomes the kernel's last
    // post-op (attribute "qdq": scale, zero point, qmin, qmax); returns whether it did.
    bool absorbQuantizer(Node &conv)
    {
        auto it = m_quantizers.find(conv.outputs[0]);
        if (it == m_quantizers.end())
            return false;
        const ActivationQdq &q = it->second;
        conv.attributes["qdq"] = Attribute::ofFloats({q.scale, float(q.zeroPoint), float(q.qmin), float(q.qmax)});
        m_stats.quantizedInKernel.insert(conv.outputs[0]);
        return true;
    }

    bool isGraphInput(const std::string &name) const
    {
        for (const auto &v : m_g.inputs)
            if (v.name == name)
                return true;
        return false;
    }

    bool sameShape(const std::string &a, const std::string &b) const
    {
        const ValueInfo *x = m_g.info(a), *y = m_g.info(b);
        if (!x || !y || !x->hasShape || !y->hasShape || x->shape.size() != 4 || x->shape != y->shape)
            return false;
        for (size_t d = 1; d < 4; ++d)
            if (x->shape[d] < 0)
                return false;
        return true; // the batch dimension is checked again at run time
    }

    Graph m_g;
    FusionStats &m_stats;
    std::set<std::string> m_visible; // graph outputs and tensors that must stay visible
    const std::map<std::string, ActivationQdq> &m_quantizers;
    std::unordered_map<std::string, Tensor> m_constants;
    std::unordered_map<std::string, int> m_uses;
};

} // namespace

Graph fuseForInference(const Graph &graph, FusionStats *stats, const std::set<std::string> &keepVisible,
                       const std::map<std::string, ActivationQdq> &quantizers)
{
    FusionStats local;
    return Fuser(graph, stats ? *stats : local, keepVisible, quantizers).run();
}

} // namespace qs
