#pragma once
// Small graphs built in code for the equalization tests, and before/after comparison through
// the executor (the shape of ONNX Runtime's graph-transform tests).

#include "graph/graph.h"
#include "runtime/executor.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace qs::test {

class GraphBuilder {
public:
    // The batch dimension of the input is left free.
    explicit GraphBuilder(std::vector<int64_t> inputShape, int64_t opset = 13)
    {
        m_g.opsetVersion = opset;
        inputShape[0] = -1; // any batch
        m_g.inputs.push_back(ValueInfo{"x", DType::Float32, inputShape, {}, true});
    }

    Node &node(const std::string &op, std::vector<std::string> in, const std::string &out)
    {
        Node n;
        n.name = op + "_" + std::to_string(m_g.nodes.size());
        n.opType = op;
        n.inputs = std::move(in);
        n.outputs = {out};
        m_g.nodes.push_back(n);
        return m_g.nodes.back();
    }

    std::string init(const std::string &name, std::vector<int64_t> shape, std::vector<float> values)
    {
        m_g.initializers[name] = Tensor::fromFloats(std::move(shape), values);
        return name;
    }

    // Seeded uniform values in [lo, hi).
    std::string random(const std::string &name, std::vector<int64_t> shape, float lo, float hi)
    {
        std::uniform_real_distribution<float> d(lo, hi);
        std::vector<float> v(size_t(shapeNumel(shape)));
        for (float &x : v)
            x = d(m_rng);
        return init(name, std::move(shape), v);
    }

    Node &conv(const std::string &in, const std::string &w, const std::string &b, const std::string &out,
               int64_t group = 1, std::vector<int64_t> pads = {0, 0, 0, 0}, int64_t stride = 1)
    {
        Node &n = node("Conv", b.empty() ? std::vector<std::string>{in, w} : std::vector<std::string>{in, w, b}, out);
        n.attributes["group"] = Attribute::ofInt(group);
        n.attributes["pads"] = Attribute::ofInts(pads);
        n.attributes["strides"] = Attribute::ofInts({stride, stride});
        return n;
    }

    // BN with per-channel scale, bias, mean, var drawn at random (scale may be negative).
    Node &batchNorm(const std::string &in, const std::string &out, int64_t channels, float betaShift = 0.f)
    {
        const std::string p = out + "_bn";
        random(p + "_gamma", {channels}, -1.5f, 2.0f);
        random(p + "_beta", {channels}, -0.5f + betaShift, 1.0f + betaShift);
        random(p + "_mean", {channels}, -0.5f, 0.5f);
        random(p + "_var", {channels}, 0.2f, 2.0f);
        return node("BatchNormalization", {in, p + "_gamma", p + "_beta", p + "_mean", p + "_var"}, out);
    }

    // Clip(lo, hi) with its bounds from Constant nodes, as exporters write it.
    Node &clip(const std::string &in, const std::string &out, float lo, float hi)
    {
        Node &a = node("Constant", {}, out + "_lo");
        a.attributes["value"] = Attribute::ofTensor(Tensor::scalarFloat(lo));
        Node &b = node("Constant", {}, out + "_hi");
        b.attributes["value"] = Attribute::ofTensor(Tensor::scalarFloat(hi));
        return node("Clip", {in, out + "_lo", out + "_hi"}, out);
    }

    // Zero Pad of H and W whose pads are computed (Concat of Constants), as in exported MobileNets.
    Node &computedPad(const std::string &in, const std::string &out, int64_t top, int64_t left, int64_t bottom,
                      int64_t right)
    {
        Node &a = node("Constant", {}, out + "_p0");
        a.attributes["value"] = Attribute::ofTensor(Tensor::fromInt64s({4}, {0, 0, top, left}));
        Node &b = node("Constant", {}, out + "_p1");
        b.attributes["value"] = Attribute::ofTensor(Tensor::fromInt64s({4}, {0, 0, bottom, right}));
        Node &c = node("Concat", {out + "_p0", out + "_p1"}, out + "_pads");
        c.attributes["axis"] = Attribute::ofInt(0);
        Node &z = node("Constant", {}, out + "_zero");
        z.attributes["value"] = Attribute::ofTensor(Tensor::scalarFloat(0.f));
        Node &p = node("Pad", {in, out + "_pads", out + "_zero"}, out);
        p.attributes["mode"] = Attribute::ofString("constant");
        return p;
    }

    Graph finish(const std::string &output)
    {
        m_g.outputs.push_back(ValueInfo{output, DType::Float32, {}, {}, false});
        return m_g;
    }

    Graph &graph() { return m_g; }

private:
    Graph m_g;
    std::mt19937 m_rng{1234};
};

inline Tensor randomInput(std::vector<int64_t> shape, uint32_t seed, float lo = -1.f, float hi = 1.f)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(size_t(shapeNumel(shape)));
    for (float &x : v)
        x = d(rng);
    return Tensor::fromFloats(std::move(shape), v);
}

inline std::vector<float> runGraph(const Graph &g, const Tensor &input, bool optimize)
{
    ExecutorOptions o;
    o.optimize = optimize;
    auto ex = Executor::create(g, o);
    if (!ex.ok())
        qFatal("%s", ex.error().message.c_str());
    auto r = ex.value()->run({{g.inputs[0].name, input}});
    if (!r.ok())
        qFatal("%s", r.error().message.c_str());
    return r.value().at(g.outputs[0].name).toFloats();
}

// max |a - b| / max |a|
inline double relativeDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    double diff = 0, top = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
        diff = std::max(diff, double(std::fabs(a[i] - b[i])));
        top = std::max(top, double(std::fabs(a[i])));
    }
    return a.size() == b.size() ? diff / std::max(top, 1e-30) : 1e30;
}

inline int countOps(const Graph &g, const std::string &op)
{
    return int(std::count_if(g.nodes.begin(), g.nodes.end(), [&](const Node &n) { return n.opType == op; }));
}

inline std::vector<float> initValues(const Graph &g, const std::string &name)
{
    const Tensor *t = g.initializer(name);
    return t ? t->toFloats() : std::vector<float>{};
}

} // namespace qs::test
