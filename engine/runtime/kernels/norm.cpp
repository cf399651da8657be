// Normalisation kernels: BatchNormalization (inference with running statistics, or ONNX training
// mode with batch statistics and updated running statistics), InstanceNormalization and
// LayerNormalization (opset 17, with the optional Mean / InvStdDev outputs).
#include "runtime/kernels/kernelutil.h"

namespace qs::rt {

namespace {

size_t requestedOutputs(const Node &node)
{
    size_t n = 0;
    for (size_t i = 0; i < node.outputs.size(); ++i)
        if (!node.outputs[i].empty())
            n = i + 1;
    return n;
}

// Per-channel tensor of C values reshaped to broadcast over N x C x D1 ... Dn.
at::Tensor channelView(const at::Tensor &t, int64_t rank)
{
    std::vector<int64_t> shape(size_t(rank), 1);
    shape[1] = t.numel();
    return t.reshape(shape);
}

TensorList batchNormTraining(const TensorList &in, double eps, double momentum, bool legacyOutputs)
{
    const at::Tensor &x = in[0];
    std::vector<int64_t> axes;
    for (int64_t d = 0; d < x.dim(); ++d)
        if (d != 1)
            axes.push_back(d);
    const at::Tensor mean = x.mean(axes);
    const at::Tensor var = x.var(axes, false);
    const int64_t r = x.dim();
    at::Tensor y = (x - channelView(mean, r)) * channelView((var + eps).rsqrt(), r);
    y = y * channelView(in[1], r) + channelView(in[2], r);
    at::Tensor runningMean = in[3] * momentum + mean * (1.0 - momentum);
    at::Tensor runningVar = in[4] * momentum + var * (1.0 - momentum);
    if (legacyOutputs)
        return {y, runningMean, runningVar, mean, var};
    return {y, runningMean, runningVar};
}

Kernel makeBatchNorm(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 5, 5, 5);
    const double eps = node.attrFloat("epsilon", 1e-5f);
    const double momentum = node.attrFloat("momentum", 0.9f);
    const size_t outputs = requestedOutputs(node);
    // Before opset 14 extra outputs imply training; from 14 the training_mode attribute decides.
    const bool legacy = ctx.opset < 14;
    const bool training = legacy ? outputs > 1 : node.attrInt("training_mode", 0) != 0;
    if (outputs > (legacy ? 5u : 3u) || (!legacy && !training && outputs > 1))
        fail(ErrorCode::Invalid, node.label() + ": " + std::to_string(outputs) +
                                     " outputs requested, which this opset and mode do not define");

    return [=, &node](const TensorList &in) -> TensorList {
        for (size_t i = 0; i < 5; ++i)
            requireDefined(in, i, node);
        if (in[0].dim() < 2)
            fail(ErrorCode::Invalid, node.label() + ": input must have rank 2 or more, got " +
                                         std::to_string(in[0].dim()));
        if (training)
            return batchNormTraining(in, eps, momentum, legacy);
        return {at::batch_norm(in[0], in[1], in[2], in[3], in[4], false, 0.0, eps, false)};
    };
}

Kernel makeInstanceNorm(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 3, 3, 3);
    const double eps = node.attrFloat("epsilon", 1e-5f);
    return [=, &node](const TensorList &in) -> TensorList {
        for (size_t i = 0; i < 3; ++i)
            requireDefined(in, i, node);
        if (in[0].dim() < 3)
            fail(ErrorCode::Invalid, node.label() + ": input must have rank 3 or more, got " +
                                         std::to_string(in[0].dim()));
        return {at::instance_norm(in[0], in[1], in[2], at::Tensor(), at::Tensor(), true, 0.0, eps, false)};
    };
}

// Mean and InvStdDev have the input's shape with the normalised axes set to 1.
TensorList layerNorm(const TensorList &in, int64_t axisAttr, double eps, at::ScalarType stash, const Node &node)
{
    const at::Tensor &x = in[0];
    const int64_t axis = normAxis(axisAttr, x.dim(), node);
    const std::vector<int64_t> normShape(x.sizes().begin() + axis, x.sizes().end());
    const at::Tensor &scale = in[1];
    const at::Tensor bias = in.size() > 2 ? in[2] : at::Tensor();
    std::vector<int64_t> statShape(x.sizes().begin(), x.sizes().end());
    for (int64_t d = axis; d < x.dim(); ++d)
        statShape[size_t(d)] = 1;

    const bool exactParams =
        scale.sizes().vec() == normShape && (!bias.defined() || bias.sizes().vec() == normShape);
    if (exactParams && x.scalar_type() == stash) {
        auto r = at::native_layer_norm(x, normShape, scale, bias, eps);
        return {std::get<0>(r), std::get<1>(r).reshape(statShape), std::get<2>(r).reshape(statShape)};
    }
    // Scale / bias merely broadcastable, or statistics in another precision.
    std::vector<int64_t> axes;
    for (int64_t d = axis; d < x.dim(); ++d)
        axes.push_back(d);
    const at::Tensor xs = x.to(stash);
    const at::Tensor mean = xs.mean(axes, true);
    const at::Tensor centered = xs - mean;
    const at::Tensor invStd = (centered.pow(2).mean(axes, true) + eps).rsqrt();
    at::Tensor y = (centered * invStd).to(x.scalar_type()) * scale;
    if (bias.defined())
        y = y + bias;
    return {y, mean, invStd};
}

Kernel makeLayerNorm(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    const int64_t axis = node.attrInt("axis", -1);
    const double eps = node.attrFloat("epsilon", 1e-5f);
    const at::ScalarType stash = onnxTypeToScalar(node.attrInt("stash_type", 1), node);
    if (stash != at::kFloat && stash != at::kDouble && stash != at::kHalf)
        fail(ErrorCode::Invalid, node.label() + ": stash_type must be a floating-point type");
    const size_t outputs = requestedOutputs(node);
    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        TensorList out = layerNorm(in, axis, eps, stash, node);
        out.resize(std::max<size_t>(outputs, 1));
        return out;
    };
}

} // namespace

void registerNormKernels(OpRegistry &r)
{
    r.add("BatchNormalization", makeBatchNorm);
    r.add("InstanceNormalization", makeInstanceNorm);
    r.add("LayerNormalization", makeLayerNorm);
}

} // namespace qs::rt
