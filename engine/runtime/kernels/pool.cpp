// Pooling and reduction kernels: MaxPool (with the optional Indices output), MaxUnpool,
// AveragePool, GlobalAveragePool, GlobalMaxPool and the Reduce* family (Mean, Sum, Max, Min,
// Prod, L1, L2, LogSum, LogSumExp, SumSquare).
// Output sizes follow ONNX's formula exactly. When it differs from ATen's (asymmetric pads, pads
// beyond half the kernel, a ceil_mode window starting in the padding) the input is padded
// explicitly: -inf (max) or zeros counted through a validity mask (average).
#include "runtime/kernels/kernelutil.h"

#include <limits>
#include <tuple>

namespace qs::rt {

namespace {

struct PoolGeometry {
    std::vector<int64_t> kernel, strides, dilations, in, out;
    SpatialPads pads;          // ONNX pads
    std::vector<int64_t> tail; // cells needed past pads.end by the last window (>= 0)
    bool native = false;       // ATen's symmetric padding and ceil_mode give the same windows
};

PoolGeometry poolGeometry(const WindowAttrs &a, bool ceilMode, const at::Tensor &x, const Node &node)
{
    if (x.dim() < 3 || x.dim() > 5)
        fail(ErrorCode::Unsupported, node.label() + ": input rank " + std::to_string(x.dim()) +
                                         " is not supported (1-D to 3-D pooling only)");
    const size_t n = size_t(x.dim() - 2);
    WindowAttrs r = a;
    r.resolve(n, node);
    PoolGeometry g;
    g.kernel = r.kernel;
    g.strides = r.strides;
    g.dilations = r.dilations;
    g.in.assign(x.sizes().begin() + 2, x.sizes().end());
    std::vector<int64_t> eff(n);
    for (size_t i = 0; i < n; ++i)
        eff[i] = (g.kernel[i] - 1) * g.dilations[i] + 1;
    g.pads = forwardPads(r, g.in, eff);
    g.native = g.pads.symmetric();
    for (size_t i = 0; i < n; ++i) {
        const int64_t s = g.strides[i];
        const int64_t span = g.in[i] + g.pads.begin[i] + g.pads.end[i] - eff[i];
        if (span < 0)
            fail(ErrorCode::Invalid, node.label() + ": kernel " + intsString(g.kernel) +
                                         " is larger than the padded input " + intsString(g.in));
        int64_t out = 0;
        if (r.autoPad == AutoPad::SameUpper || r.autoPad == AutoPad::SameLower)
            out = (g.in[i] + s - 1) / s;
        else
            out = (ceilMode && r.autoPad == AutoPad::NotSet ? (span + s - 1) / s : span / s) + 1;
        g.out.push_back(out);
        g.tail.push_back(std::max<int64_t>(0, (out - 1) * s + eff[i] - (g.in[i] + g.pads.begin[i] + g.pads.end[i])));

        // ATen: pads at most half the (undilated) kernel, and its own ceil_mode output size.
        const int64_t p = g.pads.begin[i];
        const int64_t limit = g.kernel[i] / 2;
        int64_t atOut = (ceilMode ? (span + s - 1) / s : span / s) + 1;
        if (ceilMode && (atOut - 1) * s >= g.in[i] + p)
            --atOut;
        if (p > limit || atOut != out)
            g.native = false;
    }
    return g;
}

// Pads begin / end + tail with `value` (ATen order), for the explicit-padding paths.
at::Tensor padForPool(const at::Tensor &x, const PoolGeometry &g, double value)
{
    SpatialPads p = g.pads;
    for (size_t i = 0; i < p.end.size(); ++i)
        p.end[i] += g.tail[i];
    return p.zero() ? x : at::constant_pad_nd(x, p.atPadList(), value);
}

std::tuple<at::Tensor, at::Tensor> maxPoolNd(const at::Tensor &x, const PoolGeometry &g,
                                            const std::vector<int64_t> &padding, bool ceil, bool withIndices)
{
    const size_t n = g.kernel.size();
    if (!withIndices) {
        if (n == 1)
            return {at::max_pool1d(x, g.kernel, g.strides, padding, g.dilations, ceil), {}};
        if (n == 2)
            return {at::max_pool2d(x, g.kernel, g.strides, padding, g.dilations, ceil), {}};
        return {at::max_pool3d(x, g.kernel, g.strides, padding, g.dilations, ceil), {}};
    }
    if (n == 1)
        return at::max_pool1d_with_indices(x, g.kernel, g.strides, padding, g.dilations, ceil);
    if (n == 2)
        return at::max_pool2d_with_indices(x, g.kernel, g.strides, padding, g.dilations, ceil);
    return at::max_pool3d_with_indices(x, g.kernel, g.strides, padding, g.dilations, ceil);
}

// ATen indices count within one (padded) plane; ONNX counts over the whole unpadded tensor,
// row-major (storage_order 0) or with the first spatial axis fastest (storage_order 1).
at::Tensor onnxIndices(const at::Tensor &idx, const std::vector<int64_t> &plane, const std::vector<int64_t> &offset,
                       const PoolGeometry &g, int64_t storageOrder, int64_t channels)
{
    const size_t n = plane.size();
    at::Tensor rest = idx;
    std::vector<at::Tensor> coords(n);
    for (size_t i = n; i-- > 0;) {
        coords[i] = at::remainder(rest, plane[i]) - offset[i];
        rest = at::div(rest, plane[i], "floor");
    }
    at::Tensor flat = at::zeros_like(idx);
    int64_t stride = 1;
    for (size_t k = 0; k < n; ++k) {
        const size_t i = storageOrder == 1 ? k : n - 1 - k;
        flat = flat + coords[i] * stride;
        stride *= g.in[i];
    }
    const int64_t batch = idx.size(0);
    at::Tensor base = at::arange(batch * channels, idx.options()).reshape({batch, channels}) * stride;
    std::vector<int64_t> shape = {batch, channels};
    shape.resize(size_t(idx.dim()), 1);
    return flat + base.reshape(shape);
}

Kernel makeMaxPool(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 1, 1, 1);
    const WindowAttrs attrs = WindowAttrs::parse(node);
    if (attrs.kernel.empty())
        fail(ErrorCode::Invalid, node.label() + ": kernel_shape is required");
    const bool ceilMode = node.attrInt("ceil_mode", 0) != 0;
    const int64_t storageOrder = node.attrInt("storage_order", 0);
    const bool withIndices = node.outputs.size() > 1 && !node.outputs[1].empty();

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const at::Tensor &x = in[0];
        const PoolGeometry g = poolGeometry(attrs, ceilMode, x, node);
        if (storageOrder == 1 && withIndices && g.kernel.size() != 2)
            fail(ErrorCode::Unsupported, node.label() + ": storage_order 1 is defined for 2-D pooling only");
        // ATen's CPU max pooling is floating-point only; integer values up to 8 bits are exact in float.
        const bool integral = !at::isFloatingType(x.scalar_type());
        const at::Tensor xf = integral ? x.to(at::kFloat) : x;
        std::tuple<at::Tensor, at::Tensor> r;
        std::vector<int64_t> plane = g.in, offset(g.in.size(), 0);
        if (g.native) {
            r = maxPoolNd(xf, g, g.pads.begin, ceilMode, withIndices);
        } else {
            const at::Tensor xp = padForPool(xf, g, -std::numeric_limits<double>::infinity());
            plane.assign(xp.sizes().begin() + 2, xp.sizes().end());
            offset = g.pads.begin;
            r = maxPoolNd(xp, g, std::vector<int64_t>(g.kernel.size(), 0), false, withIndices);
        }
        at::Tensor y = std::get<0>(r);
        if (integral)
            y = y.to(x.scalar_type());
        if (!withIndices)
            return {y};
        return {y, onnxIndices(std::get<1>(r), plane, offset, g, storageOrder, x.size(1))};
    };
}

at::Tensor sumPool(const at::Tensor &x, const PoolGeometry &g)
{
    const size_t n = g.kernel.size();
    const std::vector<int64_t> zeros(n, 0);
    if (n == 1) {
        const at::Tensor y = at::avg_pool2d(x.unsqueeze(2), {1, g.kernel[0]}, {1, g.strides[0]}, {0, 0}, false,
                                            true, 1);
        return y.squeeze(2);
    }
    if (n == 2)
        return at::avg_pool2d(x, g.kernel, g.strides, zeros, false, true, 1);
    return at::avg_pool3d(x, g.kernel, g.strides, zeros, false, true, 1);
}

// Average over explicitly padded input: window sums divided by the number of counted cells.
at::Tensor averageExplicit(const at::Tensor &x, const PoolGeometry &g, bool countPads)
{
    const size_t n = g.kernel.size();
    const at::Tensor sums = sumPool(padForPool(x, g, 0.0), g);
    std::vector<int64_t> maskShape = {1, 1};
    maskShape.insert(maskShape.end(), g.in.begin(), g.in.end());
    at::Tensor mask = at::ones(maskShape, x.options());
    if (countPads) {
        mask = at::constant_pad_nd(mask, g.pads.atPadList(), 1.0);
        SpatialPads tail;
        tail.begin.assign(n, 0);
        tail.end = g.tail;
        mask = at::constant_pad_nd(mask, tail.atPadList(), 0.0);
    } else {
        mask = padForPool(mask, g, 0.0);
    }
    return sums / sumPool(mask, g);
}

Kernel makeAveragePool(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 1, 1, 1);
    const WindowAttrs attrs = WindowAttrs::parse(node);
    if (attrs.kernel.empty())
        fail(ErrorCode::Invalid, node.label() + ": kernel_shape is required");
    for (int64_t d : attrs.dilations)
        if (d != 1)
            fail(ErrorCode::Unsupported, node.label() + ": dilated average pooling is not supported");
    const bool ceilMode = node.attrInt("ceil_mode", 0) != 0;
    const bool countPads = node.attrInt("count_include_pad", 0) != 0;

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const at::Tensor &x = in[0];
        const PoolGeometry g = poolGeometry(attrs, ceilMode, x, node);
        if (!g.native)
            return {averageExplicit(x, g, countPads)};
        const size_t n = g.kernel.size();
        if (n == 1)
            return {at::avg_pool1d(x, g.kernel, g.strides, g.pads.begin, ceilMode, countPads)};
        if (n == 2)
            return {at::avg_pool2d(x, g.kernel, g.strides, g.pads.begin, ceilMode, countPads)};
        return {at::avg_pool3d(x, g.kernel, g.strides, g.pads.begin, ceilMode, countPads)};
    };
}

std::vector<int64_t> spatialAxes(const at::Tensor &x, const Node &node)
{
    if (x.dim() < 3)
        fail(ErrorCode::Invalid, node.label() + ": input must have rank 3 or more, got " + std::to_string(x.dim()));
    std::vector<int64_t> axes;
    for (int64_t d = 2; d < x.dim(); ++d)
        axes.push_back(d);
    return axes;
}

Kernel makeGlobalPool(const CompileContext &ctx, bool isMax)
{
    const Node &node = ctx.node;
    checkInputCount(node, 1, 1, 1);
    return [isMax, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const std::vector<int64_t> axes = spatialAxes(in[0], node);
        return {isMax ? at::amax(in[0], axes, true) : at::mean(in[0], axes, true)};
    };
}

// MaxUnpool: scatters X to the flat positions I (as MaxPool's Indices count them) of a zero
// tensor of output_shape, or of the size the pooling attributes imply.
Kernel makeMaxUnpool(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    WindowAttrs attrs = WindowAttrs::parse(node);
    if (attrs.kernel.empty())
        fail(ErrorCode::Invalid, node.label() + ": kernel_shape is required");
    const std::optional<std::vector<int64_t>> constShape =
        node.hasInput(2) ? constantInts(ctx, 2) : std::optional<std::vector<int64_t>>(std::vector<int64_t>());

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        const at::Tensor &x = in[0], &idx = in[1];
        if (x.dim() < 3 || idx.sizes() != x.sizes())
            fail(ErrorCode::Invalid, node.label() + ": X " + intsString(x.sizes().vec()) + " and I " +
                                         intsString(idx.sizes().vec()) + " must have the same shape of rank 3 or more");
        const size_t n = size_t(x.dim() - 2);
        WindowAttrs a = attrs;
        a.resolve(n, node);
        std::vector<int64_t> implied = {x.size(0), x.size(1)};
        for (size_t i = 0; i < n; ++i)
            implied.push_back((x.size(int64_t(i) + 2) - 1) * a.strides[i] + a.kernel[i] - a.pads[i] - a.pads[i + n]);
        std::vector<int64_t> shape = intsOf(constShape, in, 2);
        if (shape.empty())
            shape = implied;
        else if (shape.size() != size_t(x.dim()))
            fail(ErrorCode::Invalid, node.label() + ": output_shape " + intsString(shape) + " does not match rank " +
                                         std::to_string(x.dim()));
        at::Tensor flat = idx.reshape({-1}).to(at::kLong);
        if (shape != implied) {
            // Indices count positions in the implied shape; keep their coordinates in output_shape.
            at::Tensor rest = flat, moved = at::zeros_like(flat);
            int64_t stride = 1;
            for (size_t d = implied.size(); d-- > 0;) {
                moved = moved + at::remainder(rest, implied[d]) * stride;
                rest = at::div(rest, implied[d], "floor");
                stride *= shape[d];
            }
            flat = moved;
        }
        const int64_t total = shapeNumel(shape);
        if (flat.numel() && (flat.min().item<int64_t>() < 0 || flat.max().item<int64_t>() >= total))
            fail(ErrorCode::Invalid, node.label() + ": indices fall outside the output shape " + intsString(shape));
        const at::Tensor y = at::zeros({total}, x.options()).scatter(0, flat, x.reshape({-1}));
        return {y.reshape(shape)};
    };
}

// ---- Reduce* ----

enum class Reduce { Mean, Sum, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

at::Tensor reduceOver(Reduce op, const at::Tensor &x, const std::vector<int64_t> &axes, bool keep)
{
    switch (op) {
    case Reduce::Mean:
        return at::isFloatingType(x.scalar_type()) ? at::mean(x, axes, keep)
                                                   : at::mean(x.to(at::kDouble), axes, keep).to(x.scalar_type());
    case Reduce::Sum: return at::sum(x, axes, keep, x.scalar_type());
    case Reduce::Max: return at::amax(x, axes, keep);
    case Reduce::Min: return at::amin(x, axes, keep);
    case Reduce::Prod: {
        at::Tensor y = x;
        std::vector<int64_t> sorted = axes;
        std::sort(sorted.rbegin(), sorted.rend());
        for (int64_t a : sorted)
            y = at::prod(y, a, keep, x.scalar_type());
        return y;
    }
    case Reduce::L1: return at::sum(at::abs(x), axes, keep, x.scalar_type());
    case Reduce::L2: return at::sqrt(at::sum(x * x, axes, keep, x.scalar_type()));
    case Reduce::LogSum: return at::log(at::sum(x, axes, keep, x.scalar_type()));
    case Reduce::LogSumExp: return at::logsumexp(x, axes, keep);
    case Reduce::SumSquare: return at::sum(x * x, axes, keep, x.scalar_type());
    }
    return x;
}

KernelFactory reduceFactory(Reduce op)
{
    return [op](const CompileContext &ctx) -> Kernel {
        const Node &node = ctx.node;
        // Axes are an input for ReduceSum from opset 13 and for the others from opset 18.
        const bool axesInput = ctx.opset >= 18 || (node.opType == "ReduceSum" && ctx.opset >= 13);
        checkInputCount(node, 1, axesInput ? 2 : 1, 1);
        const bool keep = node.attrInt("keepdims", 1) != 0;
        const bool noopEmpty = node.attrInt("noop_with_empty_axes", 0) != 0;
        const std::vector<int64_t> attrAxes = node.attrInts("axes");
        const std::optional<std::vector<int64_t>> constAxes =
            axesInput && node.hasInput(1) ? constantInts(ctx, 1) : std::optional<std::vector<int64_t>>(attrAxes);

        return [=, &node](const TensorList &in) -> TensorList {
            requireDefined(in, 0, node);
            const at::Tensor &x = in[0];
            std::vector<int64_t> axes = intsOf(constAxes, in, 1);
            if (axes.empty()) {
                if (noopEmpty)
                    return {x};
                for (int64_t d = 0; d < x.dim(); ++d)
                    axes.push_back(d);
            }
            for (int64_t &a : axes)
                a = normAxis(a, x.dim(), node);
            if (x.dim() == 0)
                return {reduceOver(op, x.reshape({1}), {0}, false)};
            return {reduceOver(op, x, axes, keep)};
        };
    };
}

} // namespace

void registerPoolKernels(OpRegistry &r)
{
    r.add("MaxPool", makeMaxPool);
    r.add("AveragePool", makeAveragePool);
    r.add("MaxUnpool", makeMaxUnpool);
    r.add("GlobalAveragePool", [](const CompileContext &ctx) { return makeGlobalPool(ctx, false); });
    r.add("GlobalMaxPool", [](const CompileContext &ctx) { return makeGlobalPool(ctx, true); });
    const std::pair<const char *, Reduce> reduces[] = {
        {"ReduceMean", Reduce::Mean},     {"ReduceSum", Reduce::Sum},           {"ReduceMax", Reduce::Max},
        {"ReduceMin", Reduce::Min},       {"ReduceProd", Reduce::Prod},         {"ReduceL1", Reduce::L1},
        {"ReduceL2", Reduce::L2},         {"ReduceLogSum", Reduce::LogSum},     {"ReduceLogSumExp", Reduce::LogSumExp},
        {"ReduceSumSquare", Reduce::SumSquare}};
    for (const auto &p : reduces)
        r.add(p.first, reduceFactory(p.second));
}

} // namespace qs::rt
