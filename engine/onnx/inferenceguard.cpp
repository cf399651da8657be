#include "onnx/inferenceguard.h"

#include "core/error.h"
#include "onnx/intfoldingutil.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace qs::onnxio {

namespace {

// Input `input` of `op` needs at least `minRank` dimensions and, when `sameAs` >= 0, as many as
// input `sameAs` (both checked only when the ranks are known).
struct RankRule {
    const char *op;
    int input;
    int minRank;
    int sameAs;
};

constexpr RankRule kRules[] = {
    {"Conv", 0, 3, 1},          {"ConvInteger", 0, 3, 1},   {"QLinearConv", 0, 3, 3},
    {"ConvTranspose", 0, 3, 1}, {"MaxPool", 0, 3, -1},      {"AveragePool", 0, 3, -1},
    {"LpPool", 0, 3, -1},       {"MaxUnpool", 0, 3, -1},    {"GlobalAveragePool", 0, 2, -1},
    {"GlobalMaxPool", 0, 2, -1}, {"GlobalLpPool", 0, 2, -1}, {"STFT", 0, 3, -1},
    {"LayerNormalization", 0, 1, -1},
};

using Ranks = std::unordered_map<std::string, int>;

void addRanks(const onnx::GraphProto &g, Ranks &ranks)
{
    auto add = [&](const onnx::ValueInfoProto &vi) {
        if (vi.type().has_tensor_type() && vi.type().tensor_type().has_shape())
            ranks[vi.name()] = vi.type().tensor_type().shape().dim_size();
    };
    for (const auto &vi : g.input())
        add(vi);
    for (const auto &vi : g.value_info())
        add(vi);
    for (const auto &t : g.initializer())
        ranks[t.name()] = t.dims_size();
}

std::string nodeLabel(const onnx::NodeProto &node)
{
    std::string id = node.name();
    if (id.empty())
        id = node.output_size() > 0 ? node.output(0) : std::string("?");
    return node.op_type() + " '" + id + "'";
}

bool hasRule(const onnx::NodeProto &node)
{
    for (const auto &r : kRules)
        if (node.op_type() == r.op && (node.domain().empty() || node.domain() == "ai.onnx"))
            return true;
    return false;
}

const std::string *inputName(const onnx::NodeProto &node, int i)
{
    return i < node.input_size() && !node.input(i).empty() ? &node.input(i) : nullptr;
}

bool ranksKnown(const onnx::NodeProto &node, const Ranks &ranks)
{
    for (const auto &r : kRules) {
        if (node.op_type() != r.op)
            continue;
        for (int i : {r.input, r.sameAs})
            if (const std::string *name = i >= 0 ? inputName(node, i) : nullptr; name && !ranks.count(*name))
                return false;
    }
    return true;
}

// LayerNormalization's inference indexes the input's dimensions from `axis` on without checking it.
void checkAxis(const onnx::NodeProto &node, int rank)
{
    const int64_t axis = fold::attrInt(node, "axis", -1);
    if (axis < -rank || axis >= rank)
        fail(ErrorCode::Invalid, nodeLabel(node) + ": axis " + std::to_string(axis) + " is out of range for rank " +
                                     std::to_string(rank));
}

void checkNode(const onnx::NodeProto &node, const Ranks &ranks)
{
    for (const auto &r : kRules) {
        if (node.op_type() != r.op)
            continue;
        const std::string *x = inputName(node, r.input);
        if (!x || !ranks.count(*x))
            continue;
        const int rank = ranks.at(*x);
        if (rank < r.minRank)
            fail(ErrorCode::Invalid, nodeLabel(node) + ": input '" + *x + "' has rank " + std::to_string(rank) +
                                         ", the operator needs at least " + std::to_string(r.minRank));
        if (node.op_type() == "LayerNormalization")
            checkAxis(node, rank);
        const std::string *w = r.sameAs >= 0 ? inputName(node, r.sameAs) : nullptr;
        if (w && ranks.count(*w) && ranks.at(*w) != rank)
            fail(ErrorCode::Invalid, nodeLabel(node) + ": input '" + *x + "' has rank " + std::to_string(rank) +
                                         " but '" + *w + "' has rank " + std::to_string(ranks.at(*w)));
    }
}

// libonnx's convolution and pooling inference divides by the strides: a zero stride (or dilation,
// or kernel size) is refused here with the attribute named.
void checkWindowAttributes(const onnx::NodeProto &node)
{
    for (const auto &a : node.attribute()) {
        if (a.name() != "strides" && a.name() != "dilations" && a.name() != "kernel_shape")
            continue;
        for (int i = 0; i < a.ints_size(); ++i)
            if (a.ints(i) < 1)
                fail(ErrorCode::Invalid, nodeLabel(node) + ": attribute '" + a.name() + "' has " +
                                             std::to_string(a.ints(i)) + " at position " + std::to_string(i) +
                                             ", it must be at least 1");
    }
}

} // namespace

void checkInferenceInputs(const onnx::ModelProto &model, const std::function<void(onnx::ModelProto &)> &infer)
{
    const onnx::GraphProto &g = model.graph();
    Ranks ranks;
    addRanks(g, ranks);
    for (int i = 0; i < g.node_size(); ++i) {
        const onnx::NodeProto &node = g.node(i);
        if (!hasRule(node))
            continue;
        checkWindowAttributes(node);
        if (!ranksKnown(node, ranks)) {
            // Infer the nodes before this one (all checked already) to learn its input ranks.
            onnx::ModelProto prefix = model;
            auto *nodes = prefix.mutable_graph()->mutable_node();
            nodes->DeleteSubrange(i, nodes->size() - i);
            prefix.mutable_graph()->clear_output();
            try {
                infer(prefix);
            } catch (const std::exception &) {
                return; // the caller's own inference reports the error
            }
            addRanks(prefix.graph(), ranks);
        }
        checkNode(node, ranks);
    }
}

} // namespace qs::onnxio
