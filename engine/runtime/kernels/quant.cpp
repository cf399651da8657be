// QuantizeLinear / DequantizeLinear (opsets 10 and 13): per-tensor, or per-axis (opset 13) when
// the scale is a 1-D tensor. y = saturate(round_half_even(x / scale) + zero_point); the output
// type is the zero point's (uint8 when it is omitted). x = (q - zero_point) * scale.
// DynamicQuantizeLinear derives a uint8 scale and zero point from the input's range.
#include "runtime/kernels/kernelutil.h"

namespace qs::rt {

namespace {

// Scale / zero point shaped to broadcast against x: per-tensor as is, per-axis along `axis`.
at::Tensor broadcastParam(const at::Tensor &p, const at::Tensor &x, int64_t axisAttr, bool perAxisAllowed,
                          const Node &node, const char *what)
{
    if (p.dim() == 0 || (p.dim() == 1 && p.numel() == 1))
        return p.reshape({});
    if (!perAxisAllowed || p.dim() != 1)
        fail(ErrorCode::Invalid, node.label() + ": " + what + " must be a scalar" +
                                     (perAxisAllowed ? " or a 1-D tensor" : "") + ", got shape " +
                                     intsString(p.sizes().vec()));
    const int64_t axis = normAxis(axisAttr, x.dim(), node);
    if (p.size(0) != x.size(axis))
        fail(ErrorCode::Invalid, node.label() + ": " + what + " has " + std::to_string(p.size(0)) +
                                     " values, input axis " + std::to_string(axis) + " has " +
                                     std::to_string(x.size(axis)));
    std::vector<int64_t> shape(size_t(x.dim()), 1);
    shape[size_t(axis)] = p.size(0);
    return p.reshape(shape);
}

Kernel makeQuantize(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    const int64_t axis = node.attrInt("axis", 1);
    const bool perAxis = ctx.opset >= 13;
    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        const at::Tensor &x = in[0];
        const bool hasZp = in.size() > 2 && in[2].defined();
        const at::ScalarType outType = hasZp ? in[2].scalar_type() : at::kByte;
        double lo = 0, hi = 255;
        if (outType == at::kChar) {
            lo = -128;
            hi = 127;
        } else if (outType != at::kByte) {
            fail(ErrorCode::Unsupported, node.label() + ": zero point type " + c10::toString(outType) +
                                             " is not supported (uint8 or int8)");
        }
        const at::Tensor scale = broadcastParam(in[1], x, axis, perAxis, node, "scale").to(at::kFloat);
        at::Tensor q = at::round(x.to(at::kFloat) / scale);
        if (hasZp)
            q = q + broadcastParam(in[2], x, axis, perAxis, node, "zero point").to(at::kFloat);
        return {at::clamp(q, lo, hi).to(outType)};
    };
}

Kernel makeDequantize(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    const int64_t axis = node.attrInt("axis", 1);
    const bool perAxis = ctx.opset >= 13;
    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        const at::Tensor &x = in[0];
        const at::ScalarType t = x.scalar_type();
        if (t != at::kByte && t != at::kChar && t != at::kInt)
            fail(ErrorCode::Unsupported, node.label() + ": input type " + c10::toString(t) +
                                             " is not supported (uint8, int8 or int32)");
        const at::Tensor scale = broadcastParam(in[1], x, axis, perAxis, node, "scale");
        // Subtract in integers (exact for int32 inputs), then scale in float.
        at::Tensor v = x.to(at::kLong);
        if (in.size() > 2 && in[2].defined())
            v = v - broadcastParam(in[2], x, axis, perAxis, node, "zero point").to(at::kLong);
        return {v.to(scale.scalar_type()) * scale};
    };
}

// DynamicQuantizeLinear (opset 11): uint8 with scale and zero point from the range of x widened to
// include 0, as ONNX defines it; an all-zero input gets scale 0 and quantizes to 0.
Kernel makeDynamicQuantize(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 1, 1, 1);
    return [&node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const at::Tensor x = in[0].to(at::kFloat);
        if (x.numel() == 0)
            fail(ErrorCode::Invalid, node.label() + ": the input is empty");
        const at::Tensor lo = at::clamp_max(x.min(), 0.0), hi = at::clamp_min(x.max(), 0.0);
        const at::Tensor scale = (hi - lo) / 255.0;
        const at::Tensor divisor = at::where(scale == 0, at::ones_like(scale), scale);
        const at::Tensor zp = at::clamp(at::round(-lo / divisor), 0.0, 255.0);
        const at::Tensor y = at::clamp(at::round(x / divisor) + zp, 0.0, 255.0);
        return {y.to(at::kByte), scale, zp.to(at::kByte)};
    };
}

} // namespace

void registerQuantKernels(OpRegistry &r)
{
    r.add("QuantizeLinear", makeQuantize);
    r.add("DequantizeLinear", makeDequantize);
    r.add("DynamicQuantizeLinear", makeDynamicQuantize);
}

} // namespace qs::rt
