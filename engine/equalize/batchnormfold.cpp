#include "equalize/batchnormfold.h"

#include "equalize/channelchain.h"
#include "equalize/layerweights.h"

#include <cmath>

namespace qs {

namespace {

struct BnParams {
    std::vector<float> gamma, beta, mean, var;
    float eps = 1e-5f;
    std::vector<double> scale() const // gamma / sqrt(var + eps)
    {
        std::vector<double> s(gamma.size());
        for (size_t c = 0; c < s.size(); ++c)
            s[c] = double(gamma[c]) / std::sqrt(double(var[c]) + double(eps));
        return s;
    }
};

class Folder {
public:
    explicit Folder(BatchNormFoldResult &r) : m_r(r) {}

    void fold(const std::string &bnName)
    {
        const GraphIndex index(m_r.graph);
        const int bi = findNode(m_r.graph, bnName);
        const Node bn = m_r.graph.nodes[size_t(bi)];
        BnParams p;
        std::string why = usable(index, bn, p);
        if (why.empty()) {
            const std::string back = tryPrevious(index, bn, p);
            if (back.empty())
                return;
            const std::string fwd = tryNext(index, bn, p);
            if (fwd.empty())
                return;
            why = back + "; " + fwd;
        }
        m_r.report.skipped.push_back({bn.name, why});
    }

private:
    std::string usable(const GraphIndex &index, const Node &bn, BnParams &p) const
    {
        if (bn.attrInt("training_mode", 0) != 0)
            return "training_mode is set";
        for (size_t k = 1; k < bn.outputs.size(); ++k)
            if (!bn.outputs[k].empty() && !index.consumers(bn.outputs[k]).empty())
                return "its running-statistics outputs are used";
        if (bn.inputs.size() < 5)
            return "it has fewer than 5 inputs";
        std::vector<float> *dst[4] = {&p.gamma, &p.beta, &p.mean, &p.var};
        for (size_t k = 0; k < 4; ++k) {
            auto t = index.constant(bn.inputs[k + 1]);
            if (!t)
                return "its scale, bias, mean or variance is not constant";
            *dst[k] = t->toFloats();
        }
        const size_t c = p.gamma.size();
        if (c == 0 || p.beta.size() != c || p.mean.size() != c || p.var.size() != c)
            return "its scale, bias, mean and variance differ in size";
        p.eps = bn.attrFloat("epsilon", 1e-5f);
        return {};
    }

    // Folds into the producing layer; returns why not ("" when folded).
    std::string tryPrevious(const GraphIndex &index, const Node &bn, const BnParams &p)
    {
        const std::string &x = bn.inputs[0];
        const int prod = index.producer(x);
        if (prod < 0)
            return "its input '" + x + "' is a graph input";
        const Node &layer = m_r.graph.nodes[size_t(prod)];
        if (!LayerWeights::isLayerOp(layer))
            return "its input comes from " + layer.label() + ", not a Conv, ConvTranspose or Gemm";
        if (index.consumers(x).size() != 1 || index.isGraphOutput(x))
            return "the output of " + layer.label() + " is also used elsewhere";
        std::string why;
        auto L = LayerWeights::load(m_r.graph, prod, &why);
        if (!L)
            return why;
        if (size_t(L->outChannels()) != p.gamma.size())
            return layer.label() + " has " + std::to_string(L->outChannels()) + " output channels, the BN " +
                   std::to_string(p.gamma.size());
        const auto s = p.scale();
        L->scaleOut(s);
        auto &b = L->bias();
        for (size_t c = 0; c < b.size(); ++c)
            b[c] = float(double(b[c]) + double(p.beta[c]) - double(p.mean[c]) * s[c]);
        L->store(m_r.graph);
        Node &target = m_r.graph.nodes[size_t(prod)];
        target.outputs[0] = bn.outputs[0];
        m_r.graph.valueInfo.erase(x);
        record(bn, target.name, true, p);
        LayerStats st;
        st.source = "batchnorm";
        for (size_t c = 0; c < p.gamma.size(); ++c) {
            st.mean.push_back(p.beta[c]);
            st.stddev.push_back(std::fabs(double(p.gamma[c])));
        }
        m_r.stats[target.name] = st;
        return {};
    }

    // Folds into the one consuming layer (exact only when that layer does not pad its input).
    std::string tryNext(const GraphIndex &index, const Node &bn, const BnParams &p)
    {
        const std::string &y = bn.outputs[0];
        const auto &cons = index.consumers(y);
        if (cons.size() != 1 || index.isGraphOutput(y))
            return "its output is not read by exactly one node";
        const Node &layer = m_r.graph.nodes[size_t(cons[0])];
        if (layer.opType != "Conv" && layer.opType != "Gemm")
            return "its output goes to " + layer.label() + ", not a Conv or Gemm";
        if (layer.inputs[0] != y)
            return "its output is a parameter of " + layer.label();
        std::string why;
        auto L = LayerWeights::load(m_r.graph, cons[0], &why);
        if (!L)
            return why;
        if (L->padsInput())
            return layer.label() + " pads its input (the padded zeros would not be normalized)";
        if (size_t(L->inChannels()) != p.gamma.size())
            return layer.label() + " has " + std::to_string(L->inChannels()) + " input channels, the BN " +
                   std::to_string(p.gamma.size());
        const auto s = p.scale();
        std::vector<double> shift(s.size());
        for (size_t c = 0; c < s.size(); ++c)
            shift[c] = double(p.beta[c]) - double(p.mean[c]) * s[c];
        const auto delta = L->dot(shift);
        L->scaleIn(s);
        auto &b = L->bias();
        for (size_t o = 0; o < b.size(); ++o)
            b[o] = float(double(b[o]) + delta[o]);
        L->store(m_r.graph);
        Node &target = m_r.graph.nodes[size_t(cons[0])];
        target.inputs[0] = bn.inputs[0];
        m_r.graph.valueInfo.erase(y);
        record(bn, target.name, false, p);
        return {};
    }

    void record(const Node &bn, const std::string &layer, bool previous, const BnParams &p)
    {
        m_r.report.folded.push_back({bn.name, layer, previous, p.gamma, p.beta, p.mean, p.var, p.eps});
        const int bi = findNode(m_r.graph, bn.name);
        m_r.graph.nodes.erase(m_r.graph.nodes.begin() + bi);
        for (size_t k = 1; k < bn.inputs.size(); ++k)
            removeIfUnused(m_r.graph, bn.inputs[k]);
    }

    BatchNormFoldResult &m_r;
};

} // namespace

Result<BatchNormFoldResult> foldBatchNorms(const Graph &graph)
{
    return capture("batch-norm folding", [&] {
        BatchNormFoldResult r;
        r.graph = graph;
        ensureNodeNames(r.graph);
        std::vector<std::string> bns;
        for (const Node &n : r.graph.nodes)
            if (n.opType == "BatchNormalization" && n.domain.empty())
                bns.push_back(n.name);
        Folder folder(r);
        for (const std::string &name : bns)
            folder.fold(name);
        return r;
    });
}

} // namespace qs
