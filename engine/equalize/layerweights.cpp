#include "equalize/layerweights.h"

#include "core/error.h"

#include <cmath>
#include <set>

namespace qs {

namespace {

int useCount(const Graph &g, const std::string &tensor)
{
    int n = 0;
    for (const Node &node : g.nodes)
        for (const std::string &in : node.inputs)
            n += in == tensor;
    return n;
}

bool reject(std::string *why, const std::string &reason)
{
    if (why)
        *why = reason;
    return false;
}

} // namespace

bool LayerWeights::isLayerOp(const Node &node)
{
    return node.domain.empty() && (node.opType == "Conv" || node.opType == "ConvTranspose" || node.opType == "Gemm");
}

std::optional<LayerWeights> LayerWeights::load(const Graph &g, int nodeIndex, std::string *why)
{
    const Node &n = g.nodes.at(size_t(nodeIndex));
    if (!isLayerOp(n)) {
        reject(why, n.label() + " is not a Conv, ConvTranspose or Gemm");
        return std::nullopt;
    }
    const Tensor *w = n.hasInput(1) ? g.initializer(n.inputs[1]) : nullptr;
    const Tensor *b = n.hasInput(2) ? g.initializer(n.inputs[2]) : nullptr;
    if (!w || w->dtype() != DType::Float32 || w->rank() < 2) {
        reject(why, "weight of " + n.label() + " is not a float32 initializer");
        return std::nullopt;
    }
    if (n.hasInput(2) && (!b || b->dtype() != DType::Float32)) {
        reject(why, "bias of " + n.label() + " is not a float32 initializer");
        return std::nullopt;
    }
    if (useCount(g, n.inputs[1]) > 1 || (b && useCount(g, n.inputs[2]) > 1)) {
        reject(why, "weight or bias of " + n.label() + " is shared with another node");
        return std::nullopt;
    }
    LayerWeights L;
    L.m_node = n.name;
    L.m_op = n.opType;
    L.m_wName = n.inputs[1];
    L.m_wShape = w->shape();
    L.m_w = w->toFloats();
    const auto &s = L.m_wShape;
    int64_t kernel = 1;
    for (size_t d = 2; d < s.size(); ++d)
        kernel *= s[d];
    bool ioLayout = false; // [I, O/G, k...]
    if (n.opType == "Gemm") {
        if (n.attrFloat("alpha", 1.f) != 1.f || (b && n.attrFloat("beta", 1.f) != 1.f) || n.attrInt("transA", 0)) {
            reject(why, n.label() + " has alpha, beta or transA other than the defaults");
            return std::nullopt;
        }
        ioLayout = n.attrInt("transB", 0) == 0;
        if (s.size() != 2) {
            reject(why, "weight of " + n.label() + " is not 2-D");
            return std::nullopt;
        }
    } else {
        L.m_groups = n.attrInt("group", 1);
        ioLayout = n.opType == "ConvTranspose";
        const auto pads = n.attrInts("pads");
        bool padded = n.attrString("auto_pad", "NOTSET") != "NOTSET" && n.attrString("auto_pad", "NOTSET") != "VALID";
        for (int64_t p : pads)
            padded = padded || p != 0;
        L.m_padded = padded;
    }
    const int64_t G = L.m_groups;
    if (G < 1 || s[0] % G != 0) {
        reject(why, n.label() + " has a group count that does not divide its weight");
        return std::nullopt;
    }
    L.m_out = ioLayout ? s[1] * G : s[0];
    L.m_in = ioLayout ? s[0] : s[1] * G;
    L.m_outOf.resize(L.m_w.size());
    L.m_inOf.resize(L.m_w.size());
    const int64_t rows = s[0], cols = s[1];
    const int64_t rowsPerGroup = rows / G;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            const int64_t grp = r / rowsPerGroup;
            const int64_t o = ioLayout ? grp * cols + c : r;
            const int64_t i = ioLayout ? r : grp * cols + c;
            for (int64_t k = 0; k < kernel; ++k) {
                const size_t f = size_t((r * cols + c) * kernel + k);
                L.m_outOf[f] = int32_t(o);
                L.m_inOf[f] = int32_t(i);
            }
        }
    if (b) {
        L.m_bName = n.inputs[2];
        L.m_b = b->toFloats();
        L.m_hasBias = true;
        if (int64_t(L.m_b.size()) == 1 && L.m_out > 1)
            L.m_b.assign(size_t(L.m_out), L.m_b[0]); // a broadcast Gemm bias becomes per channel
        if (int64_t(L.m_b.size()) != L.m_out) {
            reject(why, "bias of " + n.label() + " has " + std::to_string(L.m_b.size()) + " values for " +
                            std::to_string(L.m_out) + " output channels");
            return std::nullopt;
        }
    } else {
        L.m_b.assign(size_t(L.m_out), 0.f);
    }
    return L;
}

std::vector<double> LayerWeights::outRange() const
{
    std::vector<double> r(size_t(m_out), 0.0);
    for (size_t f = 0; f < m_w.size(); ++f)
        r[size_t(m_outOf[f])] = std::max(r[size_t(m_outOf[f])], double(std::fabs(m_w[f])));
    return r;
}

std::vector<double> LayerWeights::inRange() const
{
    std::vector<double> r(size_t(m_in), 0.0);
    for (size_t f = 0; f < m_w.size(); ++f)
        r[size_t(m_inOf[f])] = std::max(r[size_t(m_inOf[f])], double(std::fabs(m_w[f])));
    return r;
}

void LayerWeights::scaleOut(const std::vector<double> &factor)
{
    for (size_t f = 0; f < m_w.size(); ++f)
        m_w[f] = float(double(m_w[f]) * factor[size_t(m_outOf[f])]);
    for (size_t o = 0; o < m_b.size(); ++o)
        m_b[o] = float(double(m_b[o]) * factor[o]);
}

void LayerWeights::scaleIn(const std::vector<double> &factor)
{
    for (size_t f = 0; f < m_w.size(); ++f)
        m_w[f] = float(double(m_w[f]) * factor[size_t(m_inOf[f])]);
}

std::vector<double> LayerWeights::dotWith(const std::vector<float> &w, const std::vector<double> &x) const
{
    std::vector<double> out(size_t(m_out), 0.0);
    for (size_t f = 0; f < w.size() && f < m_outOf.size(); ++f)
        out[size_t(m_outOf[f])] += double(w[f]) * x[size_t(m_inOf[f])];
    return out;
}

std::vector<float> &LayerWeights::bias()
{
    return m_b;
}

void LayerWeights::store(Graph &g) const
{
    const int idx = findNode(g, m_node);
    if (idx < 0)
        fail(ErrorCode::Internal, "layer '" + m_node + "' is no longer in the graph");
    Node &n = g.nodes[size_t(idx)];
    g.initializers[m_wName] = Tensor::fromFloats(m_wShape, m_w);
    if (m_hasBias) {
        g.initializers[m_bName] = Tensor::fromFloats({m_out}, m_b);
        return;
    }
    const std::string name = uniqueTensorName(g, m_node + ".bias");
    g.initializers[name] = Tensor::fromFloats({m_out}, m_b);
    n.inputs.resize(3);
    n.inputs[2] = name;
}

void ensureNodeNames(Graph &g)
{
    std::set<std::string> used;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        Node &n = g.nodes[i];
        if (!n.name.empty() && used.insert(n.name).second)
            continue;
        const std::string base = (n.name.empty() ? n.opType : n.name) + "_" + std::to_string(i);
        std::string name = base;
        for (int k = 1; used.count(name); ++k)
            name = base + "_" + std::to_string(k);
        n.name = name;
        used.insert(name);
    }
}

std::string uniqueTensorName(const Graph &g, const std::string &base)
{
    std::set<std::string> used;
    for (const auto &kv : g.initializers)
        used.insert(kv.first);
    for (const auto &v : g.inputs)
        used.insert(v.name);
    for (const Node &n : g.nodes)
        for (const auto &o : n.outputs)
            used.insert(o);
    std::string name = base;
    for (int k = 1; used.count(name); ++k)
        name = base + "_" + std::to_string(k);
    return name;
}

int findNode(const Graph &g, const std::string &name)
{
    for (size_t i = 0; i < g.nodes.size(); ++i)
        if (g.nodes[i].name == name)
            return int(i);
    return -1;
}

} // namespace qs
