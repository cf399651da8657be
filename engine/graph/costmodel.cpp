#include "graph/costmodel.h"

#include <limits>

namespace qs {

namespace {

std::vector<int64_t> knownShape(const Graph &graph, const std::string &tensor)
{
    if (const Tensor *t = graph.initializer(tensor))
        return t->shape();
    const ValueInfo *vi = graph.info(tensor);
    return vi && vi->hasShape ? vi->shape : std::vector<int64_t>();
}

// Drops the batch dimension (activations are [N, ...]).
std::vector<int64_t> perSample(std::vector<int64_t> shape)
{
    if (shape.size() > 1)
        shape.erase(shape.begin());
    return shape;
}

// Product of the dims in [from, end), or -1 when one of them is unknown.
int64_t product(const std::vector<int64_t> &shape, size_t from)
{
    if (shape.empty())
        return -1;
    int64_t n = 1;
    for (size_t i = from; i < shape.size(); ++i) {
        if (shape[i] < 0)
            return -1;
        n *= shape[i];
    }
    return n;
}

int64_t mul(int64_t a, int64_t b)
{
    return a < 0 || b < 0 ? -1 : a * b;
}

int64_t biasParams(const Graph &graph, const Node &node, size_t index)
{
    const Tensor *b = node.hasInput(index) ? graph.initializer(node.inputs[index]) : nullptr;
    return b ? b->numel() : 0;
}

// Conv: W [O, I/g, k...], O * I/g * prod(k) = numel(W) MACs per output pixel.
// ConvTranspose: W [I, O/g, k...], every input pixel is scattered through all numel(W) weights.
void convCost(const Graph &graph, const Node &node, const Tensor &w, LayerCost &c)
{
    const std::vector<int64_t> &pixels = node.opType == "Conv" ? c.outputShape : c.inputShape;
    c.macs = mul(w.numel(), product(pixels, 1));
    c.params = w.numel() + biasParams(graph, node, 2);
}

// Gemm and MatMul with a constant operand: every output element is a K-long dot product.
bool matmulCost(const Graph &graph, const Node &node, LayerCost &c)
{
    const Tensor *a = graph.initializer(node.inputs[0]);
    const Tensor *b = graph.initializer(node.inputs[1]);
    const Tensor *w = b ? b : a;
    if (!w || w->rank() == 0)
        return false;
    int64_t k = 0;
    if (node.opType == "Gemm") {
        if (w->rank() != 2)
            return false;
        const bool trans = node.attrInt(b ? "transB" : "transA", 0) != 0;
        k = b ? w->dim(trans ? 1 : 0) : w->dim(trans ? 0 : 1);
        c.params = w->numel() + biasParams(graph, node, 2);
    } else {
        k = b ? (w->rank() == 1 ? w->dim(0) : w->dim(w->rank() - 2)) : w->dim(w->rank() - 1);
        c.params = w->numel();
    }
    c.weight = b ? node.inputs[1] : node.inputs[0];
    c.weightShape = w->shape();
    if (b)
        c.inputShape = perSample(knownShape(graph, node.inputs[0]));
    c.macs = mul(product(c.outputShape, 0), k);
    return true;
}

} // namespace

ModelCost computeCost(const Graph &graph)
{
    ModelCost cost;
    cost.params = graph.parameterCount();
    for (const Node &node : graph.nodes) {
        const bool conv = node.opType == "Conv" || node.opType == "ConvTranspose";
        const bool matmul = node.opType == "Gemm" || node.opType == "MatMul";
        if ((!conv && !matmul) || !node.hasInput(0) || !node.hasInput(1) || node.outputs.empty())
            continue;
        LayerCost c;
        c.name = node.name.empty() ? node.outputs[0] : node.name;
        c.opType = node.opType;
        c.outputShape = perSample(knownShape(graph, node.outputs[0]));
        if (conv) {
            const Tensor *w = graph.initializer(node.inputs[1]);
            if (!w || w->rank() < 3)
                continue;
            c.weight = node.inputs[1];
            c.weightShape = w->shape();
            c.inputShape = perSample(knownShape(graph, node.inputs[0]));
            convCost(graph, node, *w, c);
        } else if (!matmulCost(graph, node, c)) {
            continue;
        }
        if (c.macs > 0)
            cost.macs += c.macs;
        cost.layers.push_back(std::move(c));
    }
    return cost;
}

} // namespace qs
