// Convolution kernels: Conv and ConvTranspose for 1-D, 2-D and 3-D inputs (N x C x D1 ... Dn),
// weights OIHW (Conv) or IOHW (ConvTranspose). ONNX allows asymmetric pads, which ATen does not:
// those are applied as an explicit zero pad (Conv) or crop (ConvTranspose) around the ATen call.
#include "runtime/kernels/kernelutil.h"

namespace qs::rt {

namespace {

std::vector<int64_t> spatialSizes(const at::Tensor &t)
{
    return std::vector<int64_t>(t.sizes().begin() + 2, t.sizes().end());
}

void checkConvRanks(const at::Tensor &x, const at::Tensor &w, const Node &node)
{
    if (x.dim() < 3 || x.dim() > 5)
        fail(ErrorCode::Unsupported, node.label() + ": input rank " + std::to_string(x.dim()) +
                                         " is not supported (1-D to 3-D convolutions only)");
    if (w.dim() != x.dim())
        fail(ErrorCode::Invalid, node.label() + ": weight rank " + std::to_string(w.dim()) +
                                     " does not match input rank " + std::to_string(x.dim()));
}

Kernel makeConv(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    WindowAttrs attrs = WindowAttrs::parse(node);
    const int64_t group = node.attrInt("group", 1);
    if (group < 1)
        fail(ErrorCode::Invalid, node.label() + ": group must be positive, got " + std::to_string(group));
    const int64_t rank = staticRank(ctx, 0);
    if (rank >= 3)
        attrs.resolve(size_t(rank - 2), node);

    return [attrs, group, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        at::Tensor x = in[0];
        const at::Tensor &w = in[1];
        checkConvRanks(x, w, node);
        const size_t n = size_t(x.dim() - 2);
        WindowAttrs a = attrs;
        a.resolve(n, node);
        if (!a.kernel.empty() && a.kernel != spatialSizes(w))
            fail(ErrorCode::Invalid, node.label() + ": kernel_shape " + intsString(a.kernel) +
                                         " does not match weight shape " + intsString(w.sizes().vec()));
        if (x.size(1) != w.size(1) * group)
            fail(ErrorCode::Invalid, node.label() + ": input has " + std::to_string(x.size(1)) +
                                         " channels, weight expects " + std::to_string(w.size(1) * group));
        std::vector<int64_t> eff(n);
        for (size_t i = 0; i < n; ++i)
            eff[i] = (w.size(int64_t(i) + 2) - 1) * a.dilations[i] + 1;
        const SpatialPads pads = forwardPads(a, spatialSizes(x), eff);
        std::vector<int64_t> padding = pads.begin;
        if (!pads.symmetric()) {
            x = at::constant_pad_nd(x, pads.atPadList(), 0);
            padding.assign(n, 0);
        }
        at::Tensor b = in.size() > 2 ? in[2] : at::Tensor();
        return {at::convolution(x, w, b, a.strides, padding, a.dilations, false, std::vector<int64_t>(n, 0), group)};
    };
}

struct TransposeGeometry {
    std::vector<int64_t> padBegin, padEnd, outputPadding;
};

// ONNX ConvTranspose output size: stride * (in - 1) + output_padding + eff_kernel - pad_begin - pad_end.
// With output_shape (or SAME_*), the total padding follows from the requested size.
TransposeGeometry transposeGeometry(const WindowAttrs &a, const std::vector<int64_t> &outputPadding,
                                    const std::vector<int64_t> &outputShape, const std::vector<int64_t> &in,
                                    const std::vector<int64_t> &eff, const Node &node)
{
    const size_t n = in.size();
    TransposeGeometry g;
    g.outputPadding = outputPadding.empty() ? std::vector<int64_t>(n, 0) : outputPadding;
    if (g.outputPadding.size() != n)
        fail(ErrorCode::Invalid, node.label() + ": output_padding has " + std::to_string(g.outputPadding.size()) +
                                     " values, expected " + std::to_string(n));
    std::vector<int64_t> target = outputShape;
    if (target.size() == n + 2)
        target.erase(target.begin(), target.begin() + 2);
    if (!target.empty() && target.size() != n)
        fail(ErrorCode::Invalid, node.label() + ": output_shape " + intsString(outputShape) +
                                     " does not match the spatial rank " + std::to_string(n));
    if (target.empty() && (a.autoPad == AutoPad::SameUpper || a.autoPad == AutoPad::SameLower))
        for (size_t i = 0; i < n; ++i)
            target.push_back(in[i] * a.strides[i]);
    g.padBegin.assign(n, 0);
    g.padEnd.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        if (target.empty()) {
            if (a.autoPad == AutoPad::NotSet) {
                g.padBegin[i] = a.pads[i];
                g.padEnd[i] = a.pads[i + n];
            }
            continue;
        }
        const int64_t total = a.strides[i] * (in[i] - 1) + g.outputPadding[i] + eff[i] - target[i];
        // Floor division, as in ONNX's definition: a negative total (output_shape larger than the
        // natural size) extends the end for NOTSET.
        const int64_t half = total >= 0 ? total / 2 : -((1 - total) / 2);
        g.padBegin[i] = a.autoPad == AutoPad::SameUpper ? half : total - half;
        g.padEnd[i] = total - g.padBegin[i];
    }
    return g;
}

Kernel makeConvTranspose(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    WindowAttrs attrs = WindowAttrs::parse(node);
    const int64_t group = node.attrInt("group", 1);
    if (group < 1)
        fail(ErrorCode::Invalid, node.label() + ": group must be positive, got " + std::to_string(group));
    const std::vector<int64_t> outputPadding = node.attrInts("output_padding");
    const std::vector<int64_t> outputShape = node.attrInts("output_shape");
    const int64_t rank = staticRank(ctx, 0);
    if (rank >= 3)
        attrs.resolve(size_t(rank - 2), node);

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        const at::Tensor &x = in[0];
        const at::Tensor &w = in[1];
        checkConvRanks(x, w, node);
        const size_t n = size_t(x.dim() - 2);
        WindowAttrs a = attrs;
        a.resolve(n, node);
        if (x.size(1) != w.size(0))
            fail(ErrorCode::Invalid, node.label() + ": input has " + std::to_string(x.size(1)) +
                                         " channels, weight expects " + std::to_string(w.size(0)));
        std::vector<int64_t> eff(n);
        for (size_t i = 0; i < n; ++i)
            eff[i] = (w.size(int64_t(i) + 2) - 1) * a.dilations[i] + 1;
        const TransposeGeometry g = transposeGeometry(a, outputPadding, outputShape, spatialSizes(x), eff, node);
        at::Tensor b = in.size() > 2 ? in[2] : at::Tensor();

        // ATen takes symmetric, non-negative pads and output_padding below stride or dilation.
        bool direct = g.padBegin == g.padEnd;
        for (size_t i = 0; direct && i < n; ++i)
            direct = g.padBegin[i] >= 0 && g.outputPadding[i] >= 0 &&
                     (g.outputPadding[i] < a.strides[i] || g.outputPadding[i] < a.dilations[i]);
        if (direct)
            return {at::convolution(x, w, b, a.strides, g.padBegin, a.dilations, true, g.outputPadding, group)};

        // General case: full output, then crop (negative pad) or extend by the pads, then bias.
        at::Tensor y = at::convolution(x, w, at::Tensor(), a.strides, std::vector<int64_t>(n, 0), a.dilations, true,
                                       std::vector<int64_t>(n, 0), group);
        SpatialPads crop;
        for (size_t i = 0; i < n; ++i) {
            crop.begin.push_back(-g.padBegin[i]);
            crop.end.push_back(g.outputPadding[i] - g.padEnd[i]);
            if (y.size(int64_t(i) + 2) + crop.begin[i] + crop.end[i] < 1)
                fail(ErrorCode::Invalid, node.label() + ": pads leave an empty output");
        }
        y = at::constant_pad_nd(y, crop.atPadList(), 0);
        if (b.defined()) {
            std::vector<int64_t> shape(size_t(y.dim()), 1);
            shape[1] = b.numel();
            y = y + b.reshape(shape);
        }
        return {y};
    };
}

} // namespace

void registerConvKernels(OpRegistry &r)
{
    r.add("Conv", makeConv);
    r.add("ConvTranspose", makeConvTranspose);
}

} // namespace qs::rt
