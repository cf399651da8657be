// Convolution kernels: Conv, ConvTranspose and the integer ConvInteger / QLinearConv, for 1-D,
// 2-D and 3-D inputs (N x C x D1 ... Dn), weights OIHW (Conv) or IOHW (ConvTranspose).
// ONNX allows asymmetric pads, which ATen does not: those are applied as an explicit zero pad
// (Conv) or crop (ConvTranspose) around the ATen call.
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

struct ConvAttrs {
    WindowAttrs window;
    int64_t group = 1;

    static ConvAttrs parse(const CompileContext &ctx)
    {
        ConvAttrs a;
        a.window = WindowAttrs::parse(ctx.node);
        a.group = ctx.node.attrInt("group", 1);
        if (a.group < 1)
            fail(ErrorCode::Invalid, ctx.node.label() + ": group must be positive, got " + std::to_string(a.group));
        const int64_t rank = staticRank(ctx, 0);
        if (rank >= 3)
            a.window.resolve(size_t(rank - 2), ctx.node);
        return a;
    }
};

// ONNX Conv on ATen: asymmetric or SAME pads become an explicit zero pad of x.
at::Tensor convForward(const ConvAttrs &attrs, at::Tensor x, const at::Tensor &w, const at::Tensor &b, const Node &node)
{
    checkConvRanks(x, w, node);
    const size_t n = size_t(x.dim() - 2);
    WindowAttrs a = attrs.window;
    a.resolve(n, node);
    if (!a.kernel.empty() && a.kernel != spatialSizes(w))
        fail(ErrorCode::Invalid, node.label() + ": kernel_shape " + intsString(a.kernel) +
                                     " does not match weight shape " + intsString(w.sizes().vec()));
    if (x.size(1) != w.size(1) * attrs.group)
        fail(ErrorCode::Invalid, node.label() + ": input has " + std::to_string(x.size(1)) +
                                     " channels, weight expects " + std::to_string(w.size(1) * attrs.group));
    std::vector<int64_t> eff(n);
    for (size_t i = 0; i < n; ++i)
        eff[i] = (w.size(int64_t(i) + 2) - 1) * a.dilations[i] + 1;
    const SpatialPads pads = forwardPads(a, spatialSizes(x), eff);
    std::vector<int64_t> padding = pads.begin;
    if (!pads.symmetric()) {
        x = at::constant_pad_nd(x, pads.atPadList(), 0);
        padding.assign(n, 0);
    }
    return at::convolution(x, w, b, a.strides, padding, a.dilations, false, std::vector<int64_t>(n, 0), attrs.group);
}

Kernel makeConv(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    const ConvAttrs attrs = ConvAttrs::parse(ctx);
    return [attrs, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        return {convForward(attrs, in[0], in[1], in.size() > 2 ? in[2] : at::Tensor(), node)};
    };
}

// Per-output-channel parameter (scalar or 1-D of M) shaped to broadcast over N x M x D1 ... Dn.
at::Tensor perChannel(const at::Tensor &p, int64_t rank)
{
    if (!p.defined() || p.numel() == 1)
        return p.defined() ? p.reshape({}) : p;
    std::vector<int64_t> shape(size_t(rank), 1);
    shape[1] = p.numel();
    return p.reshape(shape);
}

// Zero point of the weights, per output channel, broadcast over M x C/group x k1 ... kn.
at::Tensor weightZeroPoint(const at::Tensor &zp, int64_t rank)
{
    if (!zp.defined() || zp.numel() == 1)
        return zp.defined() ? zp.reshape({}) : zp;
    std::vector<int64_t> shape(size_t(rank), 1);
    shape[0] = zp.numel();
    return zp.reshape(shape);
}

// Integer convolutions run in float64, where 8-bit products and their sums stay exact.
Kernel makeConvInteger(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 4, 2);
    const ConvAttrs attrs = ConvAttrs::parse(ctx);
    return [attrs, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        const at::Tensor xzp = in.size() > 2 ? in[2] : at::Tensor();
        const at::Tensor wzp = in.size() > 3 ? in[3] : at::Tensor();
        const at::Tensor acc = convForward(attrs, centered(in[0], xzp.defined() ? xzp.reshape({}) : xzp),
                                           centered(in[1], weightZeroPoint(wzp, in[1].dim())), {}, node);
        return {acc.round().to(at::kInt)};
    };
}

// QLinearConv inputs: x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B.
Kernel makeQLinearConv(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 8, 9, 8);
    const ConvAttrs attrs = ConvAttrs::parse(ctx);
    return [attrs, &node](const TensorList &in) -> TensorList {
        for (size_t i : {0, 1, 3, 4, 6})
            requireDefined(in, i, node);
        const at::Tensor &x = in[0], &w = in[3];
        at::Tensor acc = convForward(attrs, centered(x, in[2].defined() ? in[2].reshape({}) : in[2]),
                                     centered(w, weightZeroPoint(in[5], w.dim())), {}, node);
        if (in.size() > 8 && in[8].defined())
            acc = acc + perChannel(in[8].to(at::kDouble), acc.dim());
        const at::Tensor multiplier = in[1].to(at::kFloat).reshape({}) * perChannel(in[4].to(at::kFloat), acc.dim()) /
                                      in[6].to(at::kFloat).reshape({});
        return {requantize(acc, multiplier, in[7].defined() ? in[7].reshape({}) : in[7], node)};
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
    const ConvAttrs conv = ConvAttrs::parse(ctx);
    const WindowAttrs attrs = conv.window;
    const int64_t group = conv.group;
    const std::vector<int64_t> outputPadding = node.attrInts("output_padding");
    const std::vector<int64_t> outputShape = node.attrInts("output_shape");

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
    r.add("ConvInteger", makeConvInteger);
    r.add("QLinearConv", makeQLinearConv);
}

} // namespace qs::rt
