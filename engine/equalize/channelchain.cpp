#include "equalize/channelchain.h"

#include "equalize/layerweights.h"
#include "runtime/executor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace qs {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxConstantNodes = 256; // larger computed constants are not evaluated

} // namespace

GraphIndex::GraphIndex(const Graph &graph) : m_g(graph)
{
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        for (const auto &o : graph.nodes[i].outputs)
            if (!o.empty())
                m_producer[o] = int(i);
        std::set<std::string> seen;
        for (const auto &in : graph.nodes[i].inputs)
            if (!in.empty() && seen.insert(in).second)
                m_consumers[in].push_back(int(i));
    }
}

int GraphIndex::producer(const std::string &tensor) const
{
    auto it = m_producer.find(tensor);
    return it == m_producer.end() ? -1 : it->second;
}

const std::vector<int> &GraphIndex::consumers(const std::string &tensor) const
{
    auto it = m_consumers.find(tensor);
    return it == m_consumers.end() ? m_none : it->second;
}

bool GraphIndex::isGraphOutput(const std::string &tensor) const
{
    return std::any_of(m_g.outputs.begin(), m_g.outputs.end(), [&](const ValueInfo &v) { return v.name == tensor; });
}

size_t GraphIndex::rank(const std::string &tensor, size_t fallback) const
{
    const ValueInfo *vi = m_g.info(tensor);
    return vi && vi->hasShape ? vi->shape.size() : fallback;
}

std::optional<Tensor> GraphIndex::constant(const std::string &tensor) const
{
    if (const Tensor *t = m_g.initializer(tensor))
        return *t;
    auto cached = m_constants.find(tensor);
    if (cached != m_constants.end())
        return cached->second;
    std::optional<Tensor> value;
    const int p = producer(tensor);
    if (p >= 0 && m_g.nodes[size_t(p)].opType == "Constant" && m_g.nodes[size_t(p)].has("value")) {
        value = m_g.nodes[size_t(p)].attributes.at("value").t;
    } else if (p >= 0) {
        // Collect the producing nodes; give up when a graph input is reached.
        std::set<int> needed;
        std::vector<std::string> stack{tensor};
        bool ok = true;
        while (ok && !stack.empty()) {
            const std::string t = stack.back();
            stack.pop_back();
            if (m_g.initializer(t))
                continue;
            const int q = producer(t);
            if (q < 0 || needed.size() > kMaxConstantNodes) {
                ok = false;
                break;
            }
            if (needed.insert(q).second)
                for (const auto &in : m_g.nodes[size_t(q)].inputs)
                    if (!in.empty())
                        stack.push_back(in);
        }
        if (ok) {
            Graph sub;
            sub.opsetVersion = m_g.opsetVersion;
            for (int q : needed) {
                sub.nodes.push_back(m_g.nodes[size_t(q)]);
                for (const auto &in : m_g.nodes[size_t(q)].inputs)
                    if (const Tensor *init = in.empty() ? nullptr : m_g.initializer(in))
                        sub.initializers[in] = *init;
            }
            ValueInfo out;
            out.name = tensor;
            const ValueInfo *vi = m_g.info(tensor);
            out.dtype = vi ? vi->dtype : DType::Undefined;
            sub.outputs.push_back(out);
            ExecutorOptions opts;
            opts.optimize = false;
            if (auto ex = Executor::create(sub, opts); ex.ok())
                if (auto r = ex.value()->run({}); r.ok() && r.value().count(tensor))
                    value = r.value().at(tensor);
        }
    }
    m_constants[tensor] = value;
    return value;
}

namespace {

// A constant operand that broadcasts over a tensor of rank `rank` along the channel axis only.
bool isChannelConstant(const Tensor &c, size_t rank)
{
    if (c.numel() == 1)
        return true;
    if (c.rank() > rank)
        return false;
    for (size_t j = 0; j < c.rank(); ++j) {
        const size_t axis = rank - c.rank() + j;
        if (axis != 1 && c.dim(j) != 1)
            return false;
    }
    return rank >= 2;
}

std::optional<double> scalarOf(const GraphIndex &index, const std::string &name)
{
    auto t = index.constant(name);
    if (!t || t->numel() != 1)
        return std::nullopt;
    return double(t->toFloats()[0]);
}

bool clipBounds(const GraphIndex &index, const Node &n, double &lo, double &hi)
{
    lo = -kInf;
    hi = kInf;
    if (index.graph().opsetVersion < 11) {
        lo = n.has("min") ? n.attrFloat("min", 0.f) : -kInf;
        hi = n.has("max") ? n.attrFloat("max", 0.f) : kInf;
        return true;
    }
    for (size_t k = 1; k <= 2; ++k) {
        if (!n.hasInput(k))
            continue;
        auto v = scalarOf(index, n.inputs[k]);
        if (!v)
            return false;
        (k == 1 ? lo : hi) = *v;
    }
    return true;
}

bool zeroPad(const GraphIndex &index, const Node &n, std::string &why)
{
    why = n.label() + " is not a zero-constant Pad of the spatial axes";
    if (n.attrString("mode", "constant") != "constant" || n.hasInput(3))
        return false;
    std::vector<int64_t> pads;
    if (index.graph().opsetVersion < 11) {
        pads = n.attrInts("pads");
        if (n.attrFloat("value", 0.f) != 0.f)
            return false;
    } else {
        auto p = n.hasInput(1) ? index.constant(n.inputs[1]) : std::nullopt;
        if (!p) {
            why = n.label() + " has pads that are not constant";
            return false;
        }
        pads = p->toInt64s();
        if (n.hasInput(2)) {
            auto v = scalarOf(index, n.inputs[2]);
            if (!v || *v != 0.0)
                return false;
        }
    }
    const size_t r = pads.size() / 2;
    if (r < 2 || pads.size() != 2 * r)
        return false;
    return pads[0] == 0 && pads[1] == 0 && pads[r] == 0 && pads[r + 1] == 0;
}

bool spatialReduce(const GraphIndex &index, const Node &n, size_t rank)
{
    std::vector<int64_t> axes = n.attrInts("axes");
    if (n.hasInput(1)) {
        auto a = index.constant(n.inputs[1]);
        if (!a)
            return false;
        axes = a->toInt64s();
    }
    if (axes.empty())
        return false; // all axes, the channel axis included
    for (int64_t a : axes) {
        const int64_t norm = a < 0 ? a + int64_t(rank) : a;
        if (norm <= 1)
            return false;
    }
    return true;
}

std::optional<ChainOpKind> chainOpKind(const GraphIndex &index, int node, const std::string &in, std::string &why)
{
    const Node &n = index.graph().nodes[size_t(node)];
    why = "chain stops at " + n.label() + " (not a per-channel op)";
    if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] != in)
        return std::nullopt;
    for (size_t k = 1; k < n.inputs.size(); ++k)
        if (n.inputs[k] == in)
            return std::nullopt;
    for (size_t k = 1; k < n.outputs.size(); ++k)
        if (!n.outputs[k].empty() && (!index.consumers(n.outputs[k]).empty() || index.isGraphOutput(n.outputs[k])))
            return std::nullopt;
    const std::string &op = n.opType;
    const size_t rank = index.rank(in, 4);
    if (op == "Relu" || op == "LeakyRelu" || op == "Identity" || op == "Dropout")
        return op == "Dropout" && n.hasInput(2) ? std::nullopt : std::optional(ChainOpKind::Activation);
    if (op == "PRelu") {
        auto slope = n.hasInput(1) ? index.constant(n.inputs[1]) : std::nullopt;
        return slope ? std::optional(ChainOpKind::Activation) : std::nullopt;
    }
    if (op == "Clip") {
        double lo, hi;
        return clipBounds(index, n, lo, hi) ? std::optional(ChainOpKind::Clamp) : std::nullopt;
    }
    if (op == "Min" || op == "Max") {
        if (n.inputs.size() != 2)
            return std::nullopt;
        auto c = index.constant(n.inputs[1]);
        return c && isChannelConstant(*c, rank) ? std::optional(ChainOpKind::Clamp) : std::nullopt;
    }
    if (op == "Pad")
        return zeroPad(index, n, why) ? std::optional(ChainOpKind::ZeroPad) : std::nullopt;
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" || op == "GlobalMaxPool")
        return ChainOpKind::Pool;
    if ((op == "ReduceMean" || op == "ReduceMax") && spatialReduce(index, n, rank))
        return ChainOpKind::Pool;
    return std::nullopt;
}

} // namespace

Chain followChain(const GraphIndex &index, const std::string &tensor)
{
    const Graph &g = index.graph();
    Chain chain;
    std::string t = tensor;
    for (size_t step = 0; step <= g.nodes.size(); ++step) {
        if (index.isGraphOutput(t)) {
            chain.stopReason = "'" + t + "' is a graph output";
            return chain;
        }
        const auto &cons = index.consumers(t);
        if (cons.empty()) {
            chain.stopReason = "'" + t + "' has no consumer";
            return chain;
        }
        if (cons.size() > 1) {
            chain.stopReason = "'" + t + "' feeds " + std::to_string(cons.size()) + " nodes (" +
                               g.nodes[size_t(cons[0])].label() + ", " + g.nodes[size_t(cons[1])].label() + ")";
            return chain;
        }
        const Node &n = g.nodes[size_t(cons[0])];
        if (LayerWeights::isLayerOp(n)) {
            if (n.inputs[0] == t && std::count(n.inputs.begin(), n.inputs.end(), t) == 1)
                chain.next = cons[0];
            else
                chain.stopReason = "'" + t + "' is a parameter of " + n.label();
            return chain;
        }
        std::string why;
        auto kind = chainOpKind(index, cons[0], t, why);
        if (!kind) {
            chain.stopReason = why;
            return chain;
        }
        chain.ops.push_back({cons[0], *kind});
        t = n.outputs[0];
    }
    chain.stopReason = "chain too long";
    return chain;
}

int constantOperand(const GraphIndex &index, int node)
{
    const Node &n = index.graph().nodes[size_t(node)];
    if (n.inputs.size() != 2)
        return -1;
    return index.constant(n.inputs[1]) ? 1 : -1;
}

std::optional<ClampBounds> clampBounds(const GraphIndex &index, int node, int64_t channels)
{
    const Node &n = index.graph().nodes[size_t(node)];
    ClampBounds b;
    b.lo.assign(size_t(channels), -kInf);
    b.hi.assign(size_t(channels), kInf);
    if (n.opType == "Relu") {
        std::fill(b.lo.begin(), b.lo.end(), 0.0);
        return b;
    }
    if (n.opType == "Clip") {
        double lo, hi;
        if (!clipBounds(index, n, lo, hi))
            return std::nullopt;
        std::fill(b.lo.begin(), b.lo.end(), lo);
        std::fill(b.hi.begin(), b.hi.end(), hi);
        return b;
    }
    if (n.opType != "Min" && n.opType != "Max")
        return std::nullopt;
    const int k = constantOperand(index, node);
    auto c = k < 0 ? std::nullopt : index.constant(n.inputs[size_t(k)]);
    if (!c || (c->numel() != 1 && c->numel() != channels))
        return std::nullopt;
    const auto v = c->toFloats();
    auto &dst = n.opType == "Min" ? b.hi : b.lo;
    for (int64_t ch = 0; ch < channels; ++ch)
        dst[size_t(ch)] = v[c->numel() == 1 ? 0 : size_t(ch)];
    return b;
}

namespace {

Tensor channelTensor(const std::vector<double> &values, size_t rank)
{
    std::vector<int64_t> shape(std::max<size_t>(rank, 2), 1);
    shape[1] = int64_t(values.size());
    std::vector<float> f(values.begin(), values.end());
    return Tensor::fromFloats(shape, f);
}

} // namespace

void setChannelConstant(Graph &graph, const GraphIndex &index, int node, const std::vector<double> &values,
                        size_t rank)
{
    const int k = constantOperand(index, node);
    Node &n = graph.nodes[size_t(node)];
    const std::string name = uniqueTensorName(graph, n.name + (n.opType == "Min" ? "/upper" : "/lower"));
    graph.initializers[name] = channelTensor(values, rank);
    const std::string old = n.inputs[size_t(k)];
    n.inputs[size_t(k)] = name;
    removeIfUnused(graph, old, false); // node indices must stay valid for the caller
}

int expandClips(Graph &graph, const std::vector<std::string> &clipNodes, int64_t channels)
{
    int rewritten = 0;
    for (const std::string &name : clipNodes) {
        const int idx = findNode(graph, name);
        if (idx < 0 || graph.nodes[size_t(idx)].opType != "Clip")
            continue;
        double lo = -kInf, hi = kInf;
        {
            GraphIndex index(graph);
            if (!clipBounds(index, graph.nodes[size_t(idx)], lo, hi))
                continue;
        }
        const Node clip = graph.nodes[size_t(idx)];
        const std::string &out = clip.outputs[0];
        const ValueInfo *vi = graph.info(clip.inputs[0]);
        const size_t rank = vi && vi->hasShape ? vi->shape.size() : 4;
        std::vector<Node> repl;
        Node first;
        first.name = clip.name + (lo == 0.0 ? "/relu" : "/lower");
        first.opType = lo == 0.0 ? "Relu" : std::isinf(lo) ? "Identity" : "Max";
        first.inputs = {clip.inputs[0]};
        if (first.opType == "Max") {
            const std::string c = uniqueTensorName(graph, first.name + "_bound");
            graph.initializers[c] = channelTensor(std::vector<double>(size_t(channels), lo), rank);
            first.inputs.push_back(c);
        }
        first.outputs = {out};
        if (!std::isinf(hi)) {
            const std::string mid = uniqueTensorName(graph, out + "/lower");
            first.outputs = {mid};
            if (const ValueInfo *ov = graph.info(out)) {
                ValueInfo copy = *ov;
                copy.name = mid;
                graph.valueInfo[mid] = copy;
            }
            Node second;
            second.name = clip.name + "/upper";
            second.opType = "Min";
            const std::string c = uniqueTensorName(graph, second.name + "_bound");
            graph.initializers[c] = channelTensor(std::vector<double>(size_t(channels), hi), rank);
            second.inputs = {mid, c};
            second.outputs = {out};
            repl.push_back(first);
            repl.push_back(second);
        } else {
            repl.push_back(first);
        }
        graph.nodes[size_t(idx)] = repl[0];
        if (repl.size() > 1)
            graph.nodes.insert(graph.nodes.begin() + idx + 1, repl[1]);
        ++rewritten;
        for (size_t k = 1; k < clip.inputs.size(); ++k)
            if (!clip.inputs[k].empty())
                removeIfUnused(graph, clip.inputs[k]);
    }
    return rewritten;
}

void removeIfUnused(Graph &graph, const std::string &tensor, bool constantNodes)
{
    for (const Node &n : graph.nodes)
        if (std::find(n.inputs.begin(), n.inputs.end(), tensor) != n.inputs.end())
            return;
    for (const ValueInfo &v : graph.outputs)
        if (v.name == tensor)
            return;
    if (graph.initializers.erase(tensor) || !constantNodes)
        return;
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        if (graph.nodes[i].opType == "Constant" && graph.nodes[i].outputs.size() == 1 &&
            graph.nodes[i].outputs[0] == tensor) {
            graph.nodes.erase(graph.nodes.begin() + long(i));
            graph.valueInfo.erase(tensor);
            return;
        }
}

} // namespace qs
