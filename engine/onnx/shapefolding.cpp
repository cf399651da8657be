#include "onnx/shapefolding.h"

#include "core/error.h"
#include "onnx/inferenceguard.h"
#include "onnx/intfolding.h"

#include <onnx/shape_inference/implementation.h>

#include <unordered_set>

namespace qs::onnxio {

namespace {

using onnx::TensorProto;

// Initializers larger than this keep only name, type and dims in the copy: inference reads the
// values of small integer tensors (shapes, axes, pads), never of weights.
constexpr int64_t kKeepDataElements = 4096;

int64_t elementCount(const TensorProto &t)
{
    int64_t n = 1;
    for (int64_t d : t.dims())
        n *= d;
    return n;
}

onnx::ModelProto makeSkeleton(const onnx::ModelProto &model)
{
    onnx::ModelProto sk;
    sk.set_ir_version(std::max<int64_t>(model.ir_version(), 4));
    *sk.mutable_opset_import() = model.opset_import();
    *sk.mutable_functions() = model.functions();
    const onnx::GraphProto &g = model.graph();
    onnx::GraphProto *s = sk.mutable_graph();
    s->set_name(g.name());
    *s->mutable_input() = g.input();
    *s->mutable_output() = g.output();
    *s->mutable_value_info() = g.value_info();
    *s->mutable_node() = g.node();
    for (const auto &init : g.initializer()) {
        if (elementCount(init) <= kKeepDataElements) {
            *s->add_initializer() = init;
            continue;
        }
        TensorProto *stub = s->add_initializer();
        stub->set_name(init.name());
        stub->set_data_type(init.data_type());
        *stub->mutable_dims() = init.dims();
    }
    return sk;
}

void inferUnchecked(onnx::ModelProto &sk)
{
    onnx::ShapeInferenceOptions options(false, 0, true);
    onnx::shape_inference::InferShapes(sk, onnx::OpSchemaRegistry::Instance(), options);
}

void runInference(onnx::ModelProto &sk)
{
    checkInferenceInputs(sk, inferUnchecked);
    inferUnchecked(sk);
}

// Shapes of every tensor the copy knows a rank for (-1 for unknown dims).
ShapeMap collectShapes(const onnx::GraphProto &g)
{
    ShapeMap shapes;
    auto add = [&](const onnx::ValueInfoProto &vi) {
        const auto &tt = vi.type().tensor_type();
        if (!vi.type().has_tensor_type() || !tt.has_shape())
            return;
        std::vector<int64_t> dims;
        for (const auto &d : tt.shape().dim())
            dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
        shapes[vi.name()] = std::move(dims);
    };
    for (const auto &vi : g.input())
        add(vi);
    for (const auto &vi : g.value_info())
        add(vi);
    for (const auto &vi : g.output())
        add(vi);
    for (const auto &init : g.initializer())
        shapes[init.name()] = std::vector<int64_t>(init.dims().begin(), init.dims().end());
    return shapes;
}

onnx::ValueInfoProto valueInfoOf(const TensorProto &t)
{
    onnx::ValueInfoProto vi;
    vi.set_name(t.name());
    auto *tt = vi.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(t.data_type());
    auto *shape = tt->mutable_shape();
    for (int64_t d : t.dims())
        shape->add_dim()->set_dim_value(d);
    return vi;
}

// Replaces nodes whose outputs all evaluate to known integers by initializers of the copy.
// Returns the value infos of the tensors folded in this round.
std::vector<onnx::ValueInfoProto> foldRound(onnx::ModelProto &sk)
{
    onnx::GraphProto *g = sk.mutable_graph();
    const IntValues values = evaluateIntegers(*g, collectShapes(*g));
    std::unordered_set<std::string> graphOutputs;
    for (const auto &o : g->output())
        graphOutputs.insert(o.name());
    std::vector<onnx::ValueInfoProto> folded;
    google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
    for (auto &node : *g->mutable_node()) {
        bool foldable = node.op_type() != "Constant" && node.output_size() > 0;
        for (const auto &out : node.output()) {
            auto it = values.find(out);
            foldable = foldable && !out.empty() && !graphOutputs.count(out) && it != values.end() &&
                       it->second.allKnown();
        }
        if (!foldable) {
            *kept.Add() = std::move(node);
            continue;
        }
        for (const auto &out : node.output()) {
            TensorProto *t = g->add_initializer();
            values.at(out).toProto(out, t);
            folded.push_back(valueInfoOf(*t));
        }
    }
    g->mutable_node()->Swap(&kept);
    return folded;
}

} // namespace

onnx::GraphProto inferShapesWithFolding(const onnx::ModelProto &model)
{
    onnx::ModelProto sk = makeSkeleton(model);
    try {
        runInference(sk);
    } catch (const std::exception &e) {
        std::string msg = e.what();
        msg = msg.substr(0, msg.find('\n'));
        fail(ErrorCode::Invalid, "shape inference failed: " + msg);
    }
    std::vector<onnx::ValueInfoProto> foldedInfos;
    for (int round = 0; round < 256; ++round) {
        onnx::ModelProto next = sk;
        std::vector<onnx::ValueInfoProto> folded = foldRound(next);
        if (folded.empty())
            break;
        // Re-infer from the declared types only, so stale symbolic dims do not block merging.
        *next.mutable_graph()->mutable_value_info() = model.graph().value_info();
        *next.mutable_graph()->mutable_output() = model.graph().output();
        try {
            runInference(next);
        } catch (const std::exception &) {
            break; // keep the last consistent round
        }
        sk = std::move(next);
        foldedInfos.insert(foldedInfos.end(), folded.begin(), folded.end());
    }
    onnx::GraphProto result = std::move(*sk.mutable_graph());
    result.clear_node();
    result.clear_initializer();
    std::unordered_set<std::string> known;
    for (const auto &vi : result.value_info())
        known.insert(vi.name());
    for (auto &vi : foldedInfos)
        if (known.insert(vi.name()).second)
            *result.add_value_info() = std::move(vi);
    return result;
}

} // namespace qs::onnxio
