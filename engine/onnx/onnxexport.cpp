#include "onnx/onnxexport.h"

#include "core/fileutil.h"
#include "onnx/protoconvert.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <set>

namespace qs {

namespace {

// The IR version of the ONNX release that introduced the opset, so that runtimes of that
// generation accept the file.
int64_t irVersionForOpset(int64_t opset)
{
    if (opset <= 9)
        return 4;
    if (opset == 10)
        return 5;
    if (opset == 11)
        return 6;
    if (opset <= 14)
        return 7;
    return 8;
}

std::string firstLine(const std::string &s)
{
    const auto pos = s.find('\n');
    return pos == std::string::npos ? s : s.substr(0, pos);
}

void attributeToProto(const std::string &name, const Attribute &a, const Node &node, onnx::AttributeProto *p)
{
    using AP = onnx::AttributeProto;
    p->set_name(name);
    switch (a.kind) {
    case Attribute::Kind::Float: p->set_type(AP::FLOAT); p->set_f(a.f); break;
    case Attribute::Kind::Int: p->set_type(AP::INT); p->set_i(a.i); break;
    case Attribute::Kind::String: p->set_type(AP::STRING); p->set_s(a.s); break;
    case Attribute::Kind::Tensor:
        p->set_type(AP::TENSOR);
        onnxio::tensorToProto(a.t, std::string(), p->mutable_t());
        break;
    case Attribute::Kind::Floats:
        p->set_type(AP::FLOATS);
        p->mutable_floats()->Add(a.floats.begin(), a.floats.end());
        break;
    case Attribute::Kind::Ints:
        p->set_type(AP::INTS);
        p->mutable_ints()->Add(a.ints.begin(), a.ints.end());
        break;
    case Attribute::Kind::Strings:
        p->set_type(AP::STRINGS);
        for (const auto &s : a.strings)
            p->add_strings(s);
        break;
    case Attribute::Kind::Graph:
        fail(ErrorCode::Unsupported, node.label() + ": subgraph attribute '" + name + "' cannot be exported");
    }
}

void nodeToProto(const Node &node, onnx::NodeProto *p)
{
    p->set_name(node.name);
    p->set_op_type(node.opType);
    if (!node.domain.empty())
        p->set_domain(node.domain);
    for (const auto &in : node.inputs)
        p->add_input(in);
    for (const auto &out : node.outputs)
        p->add_output(out);
    for (const auto &kv : node.attributes)
        attributeToProto(kv.first, kv.second, node, p->add_attribute());
}

// The checker requires a shape on every graph output; shapes the graph does not carry come from
// shape inference on the exported model.
void completeOutputShapes(onnx::ModelProto &model)
{
    bool missing = false;
    for (const auto &out : model.graph().output())
        missing = missing || !out.type().tensor_type().has_shape();
    if (!missing)
        return;
    try {
        onnx::shape_inference::InferShapes(model);
    } catch (const std::exception &e) {
        fail(ErrorCode::Invalid, "shape inference on the exported model failed: " + firstLine(e.what()));
    }
    model.mutable_graph()->clear_value_info();
    for (const auto &out : model.graph().output())
        if (!out.type().tensor_type().has_shape())
            fail(ErrorCode::Invalid, "graph output '" + out.name() + "' has no known shape");
}

onnx::ModelProto buildModel(const Graph &graph)
{
    onnx::ModelProto model;
    model.set_ir_version(irVersionForOpset(graph.opsetVersion));
    model.set_producer_name(graph.producerName.empty() ? std::string("Quantscope") : graph.producerName);
    auto *opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(graph.opsetVersion);
    std::set<std::string> domains;
    for (const auto &n : graph.nodes)
        if (!n.domain.empty() && n.domain != "ai.onnx")
            domains.insert(n.domain);
    for (const auto &d : domains) {
        auto *extra = model.add_opset_import();
        extra->set_domain(d);
        extra->set_version(1);
    }

    onnx::GraphProto *g = model.mutable_graph();
    g->set_name(graph.name.empty() ? std::string("graph") : graph.name);
    for (const auto &vi : graph.inputs)
        onnxio::valueInfoToProto(vi, g->add_input());
    for (const auto &vi : graph.outputs)
        onnxio::valueInfoToProto(vi, g->add_output());
    for (const auto &kv : graph.initializers)
        onnxio::tensorToProto(kv.second, kv.first, g->add_initializer());
    for (const auto &n : graph.nodes)
        nodeToProto(n, g->add_node());
    completeOutputShapes(model);
    return model;
}

std::string serialize(const Graph &graph)
{
    const onnx::ModelProto model = buildModel(graph);
    if (model.ByteSizeLong() > size_t(INT_MAX))
        fail(ErrorCode::Limit, "the model needs " + std::to_string(model.ByteSizeLong()) +
                                   " bytes, more than protobuf's 2 GB limit");
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception &e) {
        fail(ErrorCode::Internal, "the exported model fails the ONNX checker: " + firstLine(e.what()));
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        fail(ErrorCode::Internal, "protobuf serialization failed");
    return bytes;
}

} // namespace

Result<std::string> serializeOnnx(const Graph &graph)
{
    return capture("", [&]() { return serialize(graph); });
}

Result<void> exportOnnx(const Graph &graph, const std::string &path)
{
    return capture(path, [&]() { writeFileAtomic(path, serialize(graph)); });
}

} // namespace qs
