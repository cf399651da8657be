// QDQ models from encodings: the ONNX form of a quantization simulation that ONNX Runtime and
// other backends turn into integer kernels.
//
// Weights are quantized here exactly as AIMET does (clamp to [min, max], then
// round(x / scale - offset) with std::round, half away from zero, as quantizeDequantize) and
// stored as int8/uint8.
// Activations are quantized at run time by QuantizeLinear, which rounds half to even (ONNX
// Runtime and our executor alike): a value exactly halfway between two steps may land one step
// away from AIMET's simulation. That is the only difference between the two.
//
// Bitwidths below 8 (and strict symmetric grids) are narrower than the 8-bit container: weights
// are stored already clamped to the grid; activations get a Clip to [min, max] before
// QuantizeLinear so that the 8-bit saturation never reaches values outside the grid.
#include "quant/encodingsfile.h"
#include "quant/qdqopset.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace qs {

namespace {

constexpr int64_t kQdqOpset = 13; // per-axis DequantizeLinear

[[noreturn]] void refuse(ErrorCode code, const std::string &tensor, const std::string &cause)
{
    fail(code, "QDQ export: tensor '" + tensor + "': " + cause);
}

struct Container {
    DType dtype;
    int64_t lo, hi;
};

Container containerFor(const IntegerGrid &g)
{
    return g.isSigned ? Container{DType::Int8, -128, 127} : Container{DType::UInt8, 0, 255};
}

void storeInt(Tensor &t, size_t i, int64_t v)
{
    if (t.dtype() == DType::Int8)
        t.dataAs<int8_t>()[i] = int8_t(v);
    else
        t.dataAs<uint8_t>()[i] = uint8_t(v);
}

// Checks what can be checked on the caller's graph, before any upgrade or copy.
void validate(const Graph &graph, const std::vector<TensorEncoding> &encodings)
{
    std::set<std::string> produced, seen;
    for (const auto &n : graph.nodes)
        produced.insert(n.outputs.begin(), n.outputs.end());
    for (const auto &v : graph.inputs)
        produced.insert(v.name);
    for (const auto &te : encodings) {
        if (!seen.insert(te.tensor).second)
            refuse(ErrorCode::Invalid, te.tensor, "has two encodings");
        if (te.encodings.empty())
            refuse(ErrorCode::Invalid, te.tensor, "has no encoding");
        const Tensor *init = graph.initializer(te.tensor);
        if (!init && !produced.count(te.tensor))
            refuse(ErrorCode::Invalid, te.tensor, "no such tensor in the graph");
        const ValueInfo *info = graph.info(te.tensor);
        const DType dtype = init ? init->dtype() : info ? info->dtype : DType::Float32;
        if (dtype != DType::Float32)
            refuse(ErrorCode::Unsupported, te.tensor, std::string("is ") + dtypeName(dtype) + ", not float32");
        for (const auto &e : te.encodings) {
            if (e.bitwidth > 8)
                refuse(ErrorCode::Unsupported, te.tensor, "bitwidth " + std::to_string(e.bitwidth) +
                                                              " does not fit the 8-bit QuantizeLinear/DequantizeLinear");
            if (e.bitwidth < 2)
                refuse(ErrorCode::Invalid, te.tensor, "bitwidth " + std::to_string(e.bitwidth) + " is below 2");
            if (!(e.scale > 0) || !std::isfinite(e.scale))
                refuse(ErrorCode::Invalid, te.tensor, "scale must be a positive number");
        }
        if (te.perChannel && !init)
            refuse(ErrorCode::Unsupported, te.tensor, "per-channel encodings are only supported for weights");
        if (!te.perChannel && te.encodings.size() != 1)
            refuse(ErrorCode::Invalid, te.tensor, "per-tensor but has " + std::to_string(te.encodings.size()) +
                                                      " encodings");
    }
}

class QdqBuilder {
public:
    explicit QdqBuilder(Graph graph);
    Graph build(const std::vector<TensorEncoding> &encodings);

private:
    std::string uniqueTensor(const std::string &base);
    std::string uniqueNode(const std::string &base);
    Node makeNode(const std::string &op, const std::string &base, std::vector<std::string> inputs,
                  std::string output);
    void quantizeWeight(const TensorEncoding &te);
    void quantizeActivation(const TensorEncoding &te);
    void copyInfo(const std::string &from, const std::string &to, std::optional<DType> dtype = {});

    Graph m_g;
    std::set<std::string> m_tensors, m_nodeNames;
    std::vector<Node> m_head;               // weight DequantizeLinear, Q/DQ of graph inputs
    std::map<int, std::vector<Node>> m_after; // producer index -> nodes that follow it
};

QdqBuilder::QdqBuilder(Graph graph) : m_g(std::move(graph))
{
    for (const auto &n : m_g.nodes) {
        m_nodeNames.insert(n.name);
        m_tensors.insert(n.inputs.begin(), n.inputs.end());
        m_tensors.insert(n.outputs.begin(), n.outputs.end());
    }
    for (const auto &kv : m_g.initializers)
        m_tensors.insert(kv.first);
    for (const auto &v : m_g.inputs)
        m_tensors.insert(v.name);
    for (const auto &v : m_g.outputs)
        m_tensors.insert(v.name);
}

std::string QdqBuilder::uniqueTensor(const std::string &base)
{
    std::string name = base;
    for (int i = 1; m_tensors.count(name); ++i)
        name = base + "_" + std::to_string(i);
    m_tensors.insert(name);
    return name;
}

std::string QdqBuilder::uniqueNode(const std::string &base)
{
    std::string name = base;
    for (int i = 1; m_nodeNames.count(name); ++i)
        name = base + "_" + std::to_string(i);
    m_nodeNames.insert(name);
    return name;
}

Node QdqBuilder::makeNode(const std::string &op, const std::string &base, std::vector<std::string> inputs,
                          std::string output)
{
    Node n;
    n.opType = op;
    n.name = uniqueNode(base + "_" + op);
    n.inputs = std::move(inputs);
    n.outputs = {std::move(output)};
    return n;
}

void QdqBuilder::copyInfo(const std::string &from, const std::string &to, std::optional<DType> dtype)
{
    const ValueInfo *info = m_g.info(from);
    if (!info)
        return;
    ValueInfo v = *info;
    v.name = to;
    if (dtype)
        v.dtype = *dtype;
    m_g.valueInfo[to] = v;
}

// The integer behind quantizeDequantize (encoding.h): clamp to [min, max], round(x / scale -
// offset) half away from zero, then shifted from AIMET's [0, 2^bw - 1] grid to the stored integer
// (q + offset + zero point: q itself for unsigned grids, q + offset for signed ones).
int64_t quantizeWeightValue(float x, const Encoding &e, const IntegerGrid &grid)
{
    const double v = std::isnan(x) ? e.min : std::clamp(double(x), e.min, e.max);
    const double q = std::round(v / e.scale - double(e.offset));
    const int64_t stored = int64_t(q) + e.offset + grid.zeroPoint;
    return std::clamp(stored, grid.qmin, grid.qmax);
}

void QdqBuilder::quantizeWeight(const TensorEncoding &te)
{
    const Tensor w = m_g.initializers.at(te.tensor);
    const int64_t rank = int64_t(w.rank());
    const int64_t axis = te.channelAxis < 0 ? te.channelAxis + rank : te.channelAxis;
    int64_t channels = 1, inner = w.numel();
    if (te.perChannel) {
        if (axis < 0 || axis >= rank)
            refuse(ErrorCode::Invalid, te.tensor, "channel axis " + std::to_string(te.channelAxis) +
                                                      " is outside shape " + shapeString(w.shape()));
        channels = w.dim(size_t(axis));
        inner = 1;
        for (int64_t d = axis + 1; d < rank; ++d)
            inner *= w.dim(size_t(d));
        if (channels != int64_t(te.encodings.size()))
            refuse(ErrorCode::Invalid, te.tensor, std::to_string(te.encodings.size()) + " channel encodings, but axis " +
                                                      std::to_string(axis) + " of shape " + shapeString(w.shape()) +
                                                      " has " + std::to_string(channels));
    }
    std::vector<IntegerGrid> grids;
    for (const auto &e : te.encodings) {
        grids.push_back(integerGrid(e));
        if (grids.back().isSigned != grids.front().isSigned)
            refuse(ErrorCode::Unsupported, te.tensor, "channels mix signed and unsigned grids");
    }
    const Container box = containerFor(grids.front());
    Tensor q(box.dtype, w.shape());
    const std::vector<float> values = w.toFloats();
    for (size_t i = 0; i < values.size(); ++i) {
        const size_t c = size_t((int64_t(i) / inner) % channels);
        storeInt(q, i, quantizeWeightValue(values[i], te.encodings[c], grids[c]));
    }
    std::vector<float> scales;
    Tensor zp(box.dtype, te.perChannel ? std::vector<int64_t>{channels} : std::vector<int64_t>{});
    for (size_t c = 0; c < te.encodings.size(); ++c) {
        scales.push_back(float(te.encodings[c].scale));
        if (grids[c].zeroPoint < box.lo || grids[c].zeroPoint > box.hi)
            refuse(ErrorCode::Unsupported, te.tensor, "zero point " + std::to_string(grids[c].zeroPoint) +
                                                          " does not fit " + dtypeName(box.dtype));
        storeInt(zp, c, grids[c].zeroPoint);
    }
    const std::string qName = uniqueTensor(te.tensor + "_quantized");
    const std::string scaleName = uniqueTensor(te.tensor + "_scale");
    const std::string zpName = uniqueTensor(te.tensor + "_zero_point");
    m_g.initializers.erase(te.tensor);
    m_g.initializers[qName] = std::move(q);
    m_g.initializers[scaleName] = te.perChannel ? Tensor::fromFloats({channels}, scales) : Tensor::scalarFloat(scales[0]);
    m_g.initializers[zpName] = std::move(zp);
    // The dequantized weight keeps the initializer's name, so its consumers stay as they are.
    Node dq = makeNode("DequantizeLinear", te.tensor, {qName, scaleName, zpName}, te.tensor);
    if (te.perChannel)
        dq.attributes["axis"] = Attribute::ofInt(axis);
    m_head.push_back(std::move(dq));
}

void QdqBuilder::quantizeActivation(const TensorEncoding &te)
{
    const Encoding &e = te.encodings[0];
    const IntegerGrid grid = integerGrid(e);
    const Container box = containerFor(grid);
    if (grid.zeroPoint < box.lo || grid.zeroPoint > box.hi)
        refuse(ErrorCode::Unsupported, te.tensor, "zero point " + std::to_string(grid.zeroPoint) + " does not fit " +
                                                      dtypeName(box.dtype) + " (the range excludes 0)");
    const std::string &t = te.tensor;
    const int producer = m_g.producerIndex(t);
    std::string source = t, dequantized = t;
    if (producer < 0) {
        // A graph input keeps its name: its consumers read the dequantized copy instead.
        dequantized = uniqueTensor(t + "_dequantized");
        for (auto &n : m_g.nodes)
            for (auto &in : n.inputs)
                if (in == t)
                    in = dequantized;
        copyInfo(t, dequantized);
    } else {
        // The producer writes a new name and the dequantized value takes the original one, so
        // consumers and graph outputs keep their names.
        source = uniqueTensor(t + "_float");
        for (auto &out : m_g.nodes[size_t(producer)].outputs)
            if (out == t)
                out = source;
        copyInfo(t, source);
    }
    std::vector<Node> &dest = producer < 0 ? m_head : m_after[producer];
    const std::string scaleName = uniqueTensor(t + "_scale");
    const std::string zpName = uniqueTensor(t + "_zero_point");
    m_g.initializers[scaleName] = Tensor::scalarFloat(float(e.scale));
    Tensor zp(box.dtype, {});
    storeInt(zp, 0, grid.zeroPoint);
    m_g.initializers[zpName] = std::move(zp);
    std::string qInput = source;
    if (grid.qmin != box.lo || grid.qmax != box.hi) {
        const std::string lo = uniqueTensor(t + "_clip_min"), hi = uniqueTensor(t + "_clip_max");
        m_g.initializers[lo] = Tensor::scalarFloat(float(e.min));
        m_g.initializers[hi] = Tensor::scalarFloat(float(e.max));
        qInput = uniqueTensor(t + "_clipped");
        dest.push_back(makeNode("Clip", t, {source, lo, hi}, qInput));
        copyInfo(source, qInput);
    }
    const std::string quantized = uniqueTensor(t + "_quantized");
    dest.push_back(makeNode("QuantizeLinear", t, {qInput, scaleName, zpName}, quantized));
    copyInfo(source, quantized, box.dtype);
    dest.push_back(makeNode("DequantizeLinear", t, {quantized, scaleName, zpName}, dequantized));
}

Graph QdqBuilder::build(const std::vector<TensorEncoding> &encodings)
{
    for (const auto &te : encodings) {
        const bool isInput = std::any_of(m_g.inputs.begin(), m_g.inputs.end(),
                                         [&](const ValueInfo &v) { return v.name == te.tensor; });
        if (m_g.initializer(te.tensor))
            quantizeWeight(te);
        else if (isInput || m_g.producerIndex(te.tensor) >= 0)
            quantizeActivation(te);
        else
            refuse(ErrorCode::Unsupported, te.tensor, "no longer exists after the upgrade to opset 13");
    }
    std::vector<Node> nodes = std::move(m_head);
    for (size_t i = 0; i < m_g.nodes.size(); ++i) {
        nodes.push_back(std::move(m_g.nodes[i]));
        auto it = m_after.find(int(i));
        if (it != m_after.end())
            for (auto &n : it->second)
                nodes.push_back(std::move(n));
    }
    m_g.nodes = std::move(nodes);
    return std::move(m_g);
}

} // namespace

Result<Graph> makeQdqGraph(const Graph &graph, const std::vector<TensorEncoding> &encodings)
{
    return capture("", [&]() {
        validate(graph, encodings);
        if (encodings.empty())
            return graph;
        Graph upgraded = upgradeOpset(graph, kQdqOpset);
        return QdqBuilder(std::move(upgraded)).build(encodings);
    });
}

} // namespace qs
