#include "compress/subgraph.h"

#include <map>

namespace qs {

namespace {

ValueInfo infoFor(const Graph &graph, const std::string &tensor)
{
    if (const ValueInfo *vi = graph.info(tensor))
        return *vi;
    ValueInfo v;
    v.name = tensor;
    return v;
}

// Copies the nodes flagged in `keep` (graph order) and the initializers they read.
Graph copyNodes(const Graph &graph, const std::vector<char> &keep, const std::vector<std::string> &inputs,
                const std::vector<std::string> &outputs)
{
    Graph g;
    g.name = graph.name;
    g.opsetVersion = graph.opsetVersion;
    g.producerName = graph.producerName;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        if (!keep[i])
            continue;
        const Node &n = graph.nodes[i];
        g.nodes.push_back(n);
        for (const std::string &in : n.inputs)
            if (const Tensor *t = graph.initializer(in))
                g.initializers[in] = *t;
        for (const std::string &out : n.outputs)
            if (const auto it = graph.valueInfo.find(out); it != graph.valueInfo.end())
                g.valueInfo[out] = it->second;
    }
    for (const std::string &in : inputs)
        g.inputs.push_back(infoFor(graph, in));
    for (const std::string &out : outputs) {
        g.outputs.push_back(infoFor(graph, out));
        g.valueInfo.erase(out);
    }
    return g;
}

// Marks the producers of `tensors` and, transitively, of their inputs, stopping at `stop` tensors.
void markNeeded(const Graph &graph, std::vector<std::string> tensors, const std::set<std::string> &stop,
                std::vector<char> &keep, const std::vector<char> *allowed)
{
    std::map<std::string, int> producer;
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        for (const std::string &o : graph.nodes[i].outputs)
            producer[o] = int(i);
    while (!tensors.empty()) {
        const std::string t = tensors.back();
        tensors.pop_back();
        if (stop.count(t))
            continue;
        const auto it = producer.find(t);
        if (it == producer.end() || keep[size_t(it->second)] || (allowed && !(*allowed)[size_t(it->second)]))
            continue;
        keep[size_t(it->second)] = 1;
        for (const std::string &in : graph.nodes[size_t(it->second)].inputs)
            if (!in.empty())
                tensors.push_back(in);
    }
}

} // namespace

GraphCuts::GraphCuts(const Graph &graph) : m_g(graph), m_constant(graph.nodes.size(), 0)
{
    std::set<std::string> constant;
    for (const auto &kv : graph.initializers)
        constant.insert(kv.first);
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node &n = graph.nodes[i];
        bool all = true;
        for (const std::string &in : n.inputs)
            all = all && (in.empty() || constant.count(in));
        if (!all)
            continue;
        m_constant[i] = 1;
        for (const std::string &o : n.outputs)
            constant.insert(o);
    }
}

std::vector<std::string> GraphCuts::liveAt(int cut) const
{
    if (cut >= int(m_g.nodes.size()))
        return {m_g.outputs.at(0).name};
    std::set<std::string> before;
    for (const ValueInfo &in : m_g.inputs)
        before.insert(in.name);
    for (int i = 0; i < cut; ++i)
        if (!m_constant[size_t(i)])
            for (const std::string &o : m_g.nodes[size_t(i)].outputs)
                before.insert(o);
    std::vector<std::string> live;
    std::set<std::string> seen;
    for (size_t i = size_t(cut); i < m_g.nodes.size(); ++i)
        for (const std::string &in : m_g.nodes[i].inputs)
            if (before.count(in) && seen.insert(in).second)
                live.push_back(in);
    return live;
}

Graph GraphCuts::segment(int from, int to) const
{
    const std::vector<std::string> liveFrom = liveAt(from), liveTo = liveAt(to);
    std::vector<char> keep(m_g.nodes.size(), 0);
    std::set<std::string> produced;
    for (int i = from; i < to && i < int(m_g.nodes.size()); ++i) {
        if (m_constant[size_t(i)])
            continue;
        keep[size_t(i)] = 1;
        for (const std::string &o : m_g.nodes[size_t(i)].outputs)
            produced.insert(o);
    }
    // Constant nodes the segment reads.
    std::vector<std::string> reads;
    for (size_t i = 0; i < keep.size(); ++i)
        if (keep[i])
            reads.insert(reads.end(), m_g.nodes[i].inputs.begin(), m_g.nodes[i].inputs.end());
    markNeeded(m_g, reads, {}, keep, &m_constant);
    std::set<std::string> read(reads.begin(), reads.end());
    std::vector<std::string> inputs, outputs;
    for (const std::string &t : liveFrom)
        if (read.count(t))
            inputs.push_back(t);
    for (const std::string &t : liveTo)
        if (produced.count(t))
            outputs.push_back(t);
    return copyNodes(m_g, keep, inputs, outputs);
}

Graph GraphCuts::prefix(const Graph &graph, const std::vector<std::string> &outputs)
{
    std::vector<char> keep(graph.nodes.size(), 0);
    std::set<std::string> inputs;
    for (const ValueInfo &in : graph.inputs)
        inputs.insert(in.name);
    markNeeded(graph, outputs, inputs, keep, nullptr);
    std::vector<std::string> used;
    for (const ValueInfo &in : graph.inputs)
        used.push_back(in.name);
    return copyNodes(graph, keep, used, outputs);
}

} // namespace qs
