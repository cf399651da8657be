#include "graph.h"

#include "core/error.h"

#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace qs {

Attribute Attribute::ofInt(int64_t v) { Attribute a; a.kind = Kind::Int; a.i = v; return a; }
Attribute Attribute::ofFloat(float v) { Attribute a; a.kind = Kind::Float; a.f = v; return a; }
Attribute Attribute::ofString(std::string v) { Attribute a; a.kind = Kind::String; a.s = std::move(v); return a; }
Attribute Attribute::ofInts(std::vector<int64_t> v) { Attribute a; a.kind = Kind::Ints; a.ints = std::move(v); return a; }
Attribute Attribute::ofFloats(std::vector<float> v) { Attribute a; a.kind = Kind::Floats; a.floats = std::move(v); return a; }
Attribute Attribute::ofTensor(qs::Tensor v) { Attribute a; a.kind = Kind::Tensor; a.t = std::move(v); return a; }

int64_t Node::attrInt(const std::string &attr, int64_t dflt) const
{
    auto it = attributes.find(attr);
    return it == attributes.end() ? dflt : it->second.i;
}

float Node::attrFloat(const std::string &attr, float dflt) const
{
    auto it = attributes.find(attr);
    return it == attributes.end() ? dflt : it->second.f;
}

std::string Node::attrString(const std::string &attr, const std::string &dflt) const
{
    auto it = attributes.find(attr);
    return it == attributes.end() ? dflt : it->second.s;
}

std::vector<int64_t> Node::attrInts(const std::string &attr, const std::vector<int64_t> &dflt) const
{
    auto it = attributes.find(attr);
    return it == attributes.end() ? dflt : it->second.ints;
}

std::vector<float> Node::attrFloats(const std::string &attr, const std::vector<float> &dflt) const
{
    auto it = attributes.find(attr);
    return it == attributes.end() ? dflt : it->second.floats;
}

std::string Node::label() const
{
    return opType + " '" + (name.empty() ? (outputs.empty() ? std::string("?") : outputs[0]) : name) + "'";
}

const Tensor *Graph::initializer(const std::string &n) const
{
    auto it = initializers.find(n);
    return it == initializers.end() ? nullptr : &it->second;
}

const ValueInfo *Graph::info(const std::string &n) const
{
    for (const auto &v : inputs)
        if (v.name == n)
            return &v;
    for (const auto &v : outputs)
        if (v.name == n)
            return &v;
    auto it = valueInfo.find(n);
    return it == valueInfo.end() ? nullptr : &it->second;
}

int Graph::producerIndex(const std::string &tensor) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
        for (const auto &o : nodes[i].outputs)
            if (o == tensor)
                return int(i);
    return -1;
}

std::vector<int> Graph::consumerIndices(const std::string &tensor) const
{
    std::vector<int> out;
    for (size_t i = 0; i < nodes.size(); ++i)
        for (const auto &in : nodes[i].inputs)
            if (in == tensor) {
                out.push_back(int(i));
                break;
            }
    return out;
}

std::map<std::string, int> Graph::opHistogram() const
{
    std::map<std::string, int> h;
    for (const auto &n : nodes)
        ++h[n.opType];
    return h;
}

int64_t Graph::parameterCount() const
{
    int64_t n = 0;
    for (const auto &kv : initializers)
        if (kv.second.dtype() == DType::Float32 || kv.second.dtype() == DType::Float16 ||
            kv.second.dtype() == DType::Float64)
            n += kv.second.numel();
    return n;
}

void sortTopologically(Graph &graph)
{
    std::unordered_map<std::string, int> producer;
    for (size_t i = 0; i < graph.nodes.size(); ++i)
        for (const auto &o : graph.nodes[i].outputs) {
            if (o.empty())
                continue;
            if (!producer.emplace(o, int(i)).second)
                fail(ErrorCode::Invalid, "tensor '" + o + "' is produced by two nodes (" +
                                             graph.nodes[producer[o]].label() + " and " +
                                             graph.nodes[i].label() + ")");
        }
    std::unordered_set<std::string> available;
    for (const auto &v : graph.inputs)
        available.insert(v.name);
    for (const auto &kv : graph.initializers)
        available.insert(kv.first);
    for (const auto &kv : producer)
        if (available.count(kv.first) && graph.initializer(kv.first) == nullptr)
            fail(ErrorCode::Invalid, "tensor '" + kv.first + "' is both a graph input and the output of " +
                                         graph.nodes[kv.second].label());

    const size_t n = graph.nodes.size();
    std::vector<int> pending(n, 0);
    std::vector<std::vector<int>> users(n);
    for (size_t i = 0; i < n; ++i) {
        std::set<int> deps;
        for (const auto &in : graph.nodes[i].inputs) {
            if (in.empty())
                continue;
            auto it = producer.find(in);
            if (it != producer.end()) {
                deps.insert(it->second);
            } else if (!available.count(in)) {
                fail(ErrorCode::Invalid, "input '" + in + "' of " + graph.nodes[i].label() +
                                             " is not produced by any node and is not a graph input or initializer");
            }
        }
        pending[i] = int(deps.size());
        for (int d : deps)
            users[d].push_back(int(i));
    }
    std::deque<int> ready;
    for (size_t i = 0; i < n; ++i)
        if (pending[i] == 0)
            ready.push_back(int(i));
    std::vector<Node> sorted;
    sorted.reserve(n);
    std::vector<bool> done(n, false);
    while (!ready.empty()) {
        int i = ready.front();
        ready.pop_front();
        done[i] = true;
        sorted.push_back(graph.nodes[i]);
        for (int u : users[i])
            if (--pending[u] == 0)
                ready.push_back(u);
    }
    if (sorted.size() != n) {
        for (size_t i = 0; i < n; ++i)
            if (!done[i])
                fail(ErrorCode::Invalid, "the graph has a cycle through " + graph.nodes[i].label());
    }
    for (const auto &o : graph.outputs)
        if (!producer.count(o.name) && !available.count(o.name))
            fail(ErrorCode::Invalid, "graph output '" + o.name + "' is not produced by any node");
    graph.nodes = std::move(sorted);
}

} // namespace qs
