#pragma once
// Engine-internal helpers shared by the kernel families: input-count checks, ONNX auto_pad and
// per-spatial-axis attributes (kernel_shape, strides, dilations, pads), reading shape-like inputs
// that may be constant at compile time, and the requantization of the QLinear* ops.
// Spatial vectors are indexed by spatial axis (axis 2 of an N x C x D1 x ... tensor is spatial
// axis 0); ONNX "pads" hold all begins, then all ends.

#include "runtime/kernel.h"

#include "core/error.h"

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace qs::rt {

inline std::string intsString(const std::vector<int64_t> &v)
{
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
}

// Requires between minCount and maxCount inputs and the first `required` of them to be present.
inline void checkInputCount(const Node &node, size_t minCount, size_t maxCount, size_t required)
{
    const size_t n = node.inputs.size();
    if (n < minCount || n > maxCount)
        fail(ErrorCode::Invalid, node.label() + ": expects " + std::to_string(minCount) +
                                     (maxCount == minCount ? "" : " to " + std::to_string(maxCount)) +
                                     " inputs, has " + std::to_string(n));
    for (size_t i = 0; i < required && i < n; ++i)
        if (node.inputs[i].empty())
            fail(ErrorCode::Invalid, node.label() + ": required input " + std::to_string(i) + " is missing");
}

inline void requireDefined(const TensorList &in, size_t i, const Node &node)
{
    if (i >= in.size() || !in[i].defined())
        fail(ErrorCode::Invalid, node.label() + ": required input " + std::to_string(i) + " is missing");
}

// Rank of input i when shape inference knew it, -1 otherwise.
inline int64_t staticRank(const CompileContext &ctx, size_t i)
{
    if (const at::Tensor *c = ctx.constant(i))
        return c->dim();
    const ValueInfo *vi = i < ctx.inputInfo.size() ? ctx.inputInfo[i] : nullptr;
    return vi && vi->hasShape ? int64_t(vi->shape.size()) : -1;
}

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

inline AutoPad parseAutoPad(const Node &node)
{
    const std::string s = node.attrString("auto_pad", "NOTSET");
    if (s == "NOTSET" || s.empty())
        return AutoPad::NotSet;
    if (s == "SAME_UPPER")
        return AutoPad::SameUpper;
    if (s == "SAME_LOWER")
        return AutoPad::SameLower;
    if (s == "VALID")
        return AutoPad::Valid;
    fail(ErrorCode::Invalid, node.label() + ": unknown auto_pad '" + s + "'");
}

// Spatial attributes of a windowed op (Conv, ConvTranspose, pooling), validated against the
// spatial rank once it is known. Empty vectors mean "attribute absent".
struct WindowAttrs {
    std::vector<int64_t> kernel, strides, dilations, pads;
    AutoPad autoPad = AutoPad::NotSet;

    static WindowAttrs parse(const Node &node)
    {
        WindowAttrs a;
        a.kernel = node.attrInts("kernel_shape");
        a.strides = node.attrInts("strides");
        a.dilations = node.attrInts("dilations");
        a.pads = node.attrInts("pads");
        a.autoPad = parseAutoPad(node);
        for (int64_t v : a.strides)
            if (v < 1)
                fail(ErrorCode::Invalid, node.label() + ": strides must be positive, got " + intsString(a.strides));
        for (int64_t v : a.dilations)
            if (v < 1)
                fail(ErrorCode::Invalid, node.label() + ": dilations must be positive, got " +
                                             intsString(a.dilations));
        for (int64_t v : a.kernel)
            if (v < 1)
                fail(ErrorCode::Invalid, node.label() + ": kernel_shape must be positive, got " +
                                             intsString(a.kernel));
        if (!a.pads.empty() && a.autoPad != AutoPad::NotSet) {
            for (int64_t v : a.pads)
                if (v != 0)
                    fail(ErrorCode::Invalid, node.label() + ": pads and auto_pad cannot both be set");
            a.pads.clear();
        }
        return a;
    }

    // Checks attribute lengths against `spatial` axes (call from the factory when the rank is
    // static, else per call) and fills defaults.
    void resolve(size_t spatial, const Node &node)
    {
        auto fill = [&](std::vector<int64_t> &v, size_t n, int64_t dflt, const char *name) {
            if (v.empty())
                v.assign(n, dflt);
            else if (v.size() != n)
                fail(ErrorCode::Invalid, node.label() + ": " + name + " has " + std::to_string(v.size()) +
                                             " values, expected " + std::to_string(n));
        };
        fill(strides, spatial, 1, "strides");
        fill(dilations, spatial, 1, "dilations");
        fill(pads, 2 * spatial, 0, "pads");
        if (!kernel.empty() && kernel.size() != spatial)
            fail(ErrorCode::Invalid, node.label() + ": kernel_shape has " + std::to_string(kernel.size()) +
                                         " values, expected " + std::to_string(spatial));
    }
};

struct SpatialPads {
    std::vector<int64_t> begin, end;
    bool symmetric() const { return begin == end; }
    bool zero() const
    {
        for (size_t i = 0; i < begin.size(); ++i)
            if (begin[i] || end[i])
                return false;
        return true;
    }
    // at::constant_pad_nd order: last axis first, (begin, end) pairs.
    std::vector<int64_t> atPadList() const
    {
        std::vector<int64_t> p;
        for (size_t i = begin.size(); i-- > 0;) {
            p.push_back(begin[i]);
            p.push_back(end[i]);
        }
        return p;
    }
};

// Padding of a forward window op (Conv, pooling) for input extents `in` and effective kernel
// extents ((k - 1) * dilation + 1). SAME_* aim at ceil(in / stride) outputs, the odd cell going
// to the end (UPPER) or the beginning (LOWER).
inline SpatialPads forwardPads(const WindowAttrs &a, const std::vector<int64_t> &in,
                               const std::vector<int64_t> &effKernel)
{
    const size_t n = in.size();
    SpatialPads p;
    p.begin.assign(n, 0);
    p.end.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        switch (a.autoPad) {
        case AutoPad::NotSet:
            p.begin[i] = a.pads[i];
            p.end[i] = a.pads[i + n];
            break;
        case AutoPad::Valid:
            break;
        case AutoPad::SameUpper:
        case AutoPad::SameLower: {
            const int64_t out = (in[i] + a.strides[i] - 1) / a.strides[i];
            const int64_t total = std::max<int64_t>(0, (out - 1) * a.strides[i] + effKernel[i] - in[i]);
            const int64_t small = total / 2;
            p.begin[i] = a.autoPad == AutoPad::SameUpper ? small : total - small;
            p.end[i] = total - p.begin[i];
            break;
        }
        }
    }
    return p;
}

// Integer values of input i: read once from a constant, else from the runtime tensor.
inline std::vector<int64_t> intsOf(const std::optional<std::vector<int64_t>> &constant, const TensorList &in,
                                   size_t i)
{
    if (constant)
        return *constant;
    return i < in.size() && in[i].defined() ? toIntVector(in[i]) : std::vector<int64_t>();
}

inline std::optional<std::vector<int64_t>> constantInts(const CompileContext &ctx, size_t i)
{
    if (const at::Tensor *c = ctx.constant(i))
        return toIntVector(*c);
    return std::nullopt;
}

// ---- integer (quantized) arithmetic ----

// Value range of the 8-bit quantized types; throws naming the node for anything else.
inline std::pair<double, double> quantRange(at::ScalarType t, const Node &node)
{
    if (t == at::kByte)
        return {0.0, 255.0};
    if (t == at::kChar)
        return {-128.0, 127.0};
    fail(ErrorCode::Unsupported, node.label() + ": quantized type " + std::string(c10::toString(t)) +
                                     " is not supported (uint8 or int8)");
}

// q - zeroPoint as float64 (exact for 8-bit and int32 values), zeroPoint broadcast as given.
inline at::Tensor centered(const at::Tensor &q, const at::Tensor &zeroPoint)
{
    const at::Tensor d = q.to(at::kDouble);
    return zeroPoint.defined() ? d - zeroPoint.to(at::kDouble) : d;
}

// Requantizes integer accumulators as ONNX Runtime does for QLinearConv / QLinearMatMul: the
// accumulator in float times the float multiplier, rounded half to even, plus the output zero
// point, saturated to the zero point's type (uint8 when omitted).
inline at::Tensor requantize(const at::Tensor &acc, const at::Tensor &multiplier, const at::Tensor &zeroPoint,
                             const Node &node)
{
    const at::ScalarType t = zeroPoint.defined() ? zeroPoint.scalar_type() : at::kByte;
    const auto range = quantRange(t, node);
    at::Tensor y = at::round(acc.to(at::kFloat) * multiplier.to(at::kFloat));
    if (zeroPoint.defined())
        y = y + zeroPoint.to(at::kFloat);
    return at::clamp(y, range.first, range.second).to(t);
}

} // namespace qs::rt
