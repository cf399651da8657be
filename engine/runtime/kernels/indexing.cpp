// Indexing kernels: Gather, GatherElements, GatherND, Scatter/ScatterElements, ScatterND,
// NonZero, OneHot, Compress, Trilu and EyeLike. Negative indices count from the end of their
// axis. All kernels are out of place, so they work under autograd.
#include "runtime/kernel.h"

#include "core/error.h"

namespace qs::rt {

namespace {

void requireInputs(const Node &node, size_t count)
{
    for (size_t i = 0; i < count; ++i)
        if (!node.hasInput(i))
            fail(ErrorCode::Invalid, node.label() + ": input " + std::to_string(i) + " is missing");
}

at::Tensor wrapNegative(const at::Tensor &idx, int64_t dim)
{
    at::Tensor l = idx.to(at::kLong);
    return at::where(l < 0, l + dim, l);
}

int64_t product(at::IntArrayRef dims, size_t from, size_t to)
{
    int64_t p = 1;
    for (size_t i = from; i < to; ++i)
        p *= dims[i];
    return p;
}

// Gather along any axis; a scalar index drops the axis.
Kernel makeGather(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2);
    const int64_t axis = ctx.node.attrInt("axis", 0);
    at::Tensor constFlat;
    if (const at::Tensor *c = ctx.constant(1)) {
        at::Tensor flat = c->to(at::kLong).reshape({-1});
        if (flat.numel() == 0 || flat.min().item<int64_t>() >= 0)
            constFlat = flat; // non-negative: no per-call fix-up needed
    }
    return [axis, constFlat, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &data = in[0], &idx = in[1];
        const int64_t a = axisFor(axis, data.dim(), label);
        const at::Tensor flat = constFlat.defined() ? constFlat : wrapNegative(idx.reshape({-1}), data.size(a));
        std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + a);
        shape.insert(shape.end(), idx.sizes().begin(), idx.sizes().end());
        shape.insert(shape.end(), data.sizes().begin() + a + 1, data.sizes().end());
        return TensorList{data.index_select(a, flat).reshape(shape)};
    };
}

Kernel makeGatherElements(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2);
    const int64_t axis = ctx.node.attrInt("axis", 0);
    return [axis, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &data = in[0];
        const int64_t a = axisFor(axis, data.dim(), label);
        return TensorList{at::gather(data, a, wrapNegative(in[1], data.size(a)))};
    };
}

// Row numbers into data viewed as [batch * prod(D[b:b+m]), D[b+m:]...] for index tuples
// idx[..., m] over the axes b..b+m-1, per batch entry (the first b dimensions).
at::Tensor tupleRows(const at::Tensor &data, const at::Tensor &idx, int64_t b, int64_t batch)
{
    const int64_t m = idx.size(-1);
    std::vector<int64_t> dims(data.sizes().begin() + b, data.sizes().begin() + b + m), strides(size_t(m), 1);
    for (int64_t j = m - 2; j >= 0; --j)
        strides[size_t(j)] = strides[size_t(j + 1)] * dims[size_t(j + 1)];
    const int64_t block = m ? strides[0] * dims[0] : 1;
    const int64_t perBatch = batch ? idx.numel() / std::max<int64_t>(1, batch * m) : 0;
    at::Tensor t = idx.to(at::kLong).reshape({batch, perBatch, m});
    const at::Tensor dimT = at::tensor(dims, at::kLong), strideT = at::tensor(strides, at::kLong);
    t = at::where(t < 0, t + dimT, t);
    return ((t * strideT).sum(-1) + at::arange(batch, at::kLong).unsqueeze(1) * block).reshape({-1});
}

Kernel makeGatherND(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2);
    const int64_t b = ctx.node.attrInt("batch_dims", 0);
    return [b, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &data = in[0], &idx = in[1];
        const int64_t m = idx.dim() ? idx.size(-1) : -1;
        if (b < 0 || m < 0 || b >= idx.dim() || b + m > data.dim())
            fail(ErrorCode::Invalid, label + ": indices of shape " + shapeString(idx.sizes().vec()) +
                                         " do not fit data of rank " + std::to_string(data.dim()));
        const int64_t batch = product(data.sizes(), 0, size_t(b));
        std::vector<int64_t> rows{batch * product(data.sizes(), size_t(b), size_t(b + m))};
        rows.insert(rows.end(), data.sizes().begin() + b + m, data.sizes().end());
        std::vector<int64_t> shape(idx.sizes().begin(), idx.sizes().end() - 1);
        shape.insert(shape.end(), data.sizes().begin() + b + m, data.sizes().end());
        return TensorList{data.reshape(rows).index_select(0, tupleRows(data, idx, b, batch)).reshape(shape)};
    };
}

std::string reductionOf(const CompileContext &ctx)
{
    const std::string r = ctx.node.attrString("reduction", "none");
    if (r != "none" && r != "add" && r != "mul")
        fail(ErrorCode::Unsupported, ctx.node.label() + ": reduction '" + r + "' is not supported");
    return r;
}

Kernel makeScatterElements(const CompileContext &ctx)
{
    requireInputs(ctx.node, 3);
    const int64_t axis = ctx.node.attrInt("axis", 0);
    const std::string reduction = reductionOf(ctx);
    return [axis, reduction, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &data = in[0];
        const int64_t a = axisFor(axis, data.dim(), label);
        const at::Tensor idx = wrapNegative(in[1], data.size(a));
        if (reduction == "none")
            return TensorList{at::scatter(data, a, idx, in[2])};
        return TensorList{at::scatter(data, a, idx, in[2], reduction == "add" ? "add" : "multiply")};
    };
}

Kernel makeScatterND(const CompileContext &ctx)
{
    requireInputs(ctx.node, 3);
    const std::string reduction = reductionOf(ctx);
    return [reduction, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &data = in[0], &idx = in[1];
        const int64_t m = idx.dim() ? idx.size(-1) : -1;
        if (m < 0 || m > data.dim())
            fail(ErrorCode::Invalid, label + ": indices of shape " + shapeString(idx.sizes().vec()) +
                                         " do not fit data of rank " + std::to_string(data.dim()));
        std::vector<int64_t> rows{product(data.sizes(), 0, size_t(m))}, upd{-1};
        rows.insert(rows.end(), data.sizes().begin() + m, data.sizes().end());
        upd.insert(upd.end(), data.sizes().begin() + m, data.sizes().end());
        const at::Tensor flat = data.reshape(rows), lin = tupleRows(data, idx, 0, 1);
        const at::Tensor src = in[2].reshape(upd);
        std::vector<int64_t> view(size_t(src.dim()), 1);
        view[0] = -1;
        at::Tensor out = reduction == "add" ? flat.index_add(0, lin, src)
                         : reduction == "mul"
                             ? at::scatter(flat, 0, lin.reshape(view).expand(src.sizes()), src, "multiply")
                             : flat.index_copy(0, lin, src);
        return TensorList{out.reshape(data.sizes())};
    };
}

Kernel makeNonZero(const CompileContext &ctx)
{
    requireInputs(ctx.node, 1);
    return [](const TensorList &in) {
        const at::Tensor &x = in[0];
        if (x.dim() == 0)
            return TensorList{at::zeros({0, x.item<bool>() ? 1 : 0}, at::kLong)};
        return TensorList{at::nonzero(x).t()};
    };
}

// OneHot: indices in [-depth, depth) select `on`, anything else stays `off`.
Kernel makeOneHot(const CompileContext &ctx)
{
    requireInputs(ctx.node, 3);
    const int64_t axis = ctx.node.attrInt("axis", -1);
    return [axis, label = ctx.node.label()](const TensorList &in) {
        const int64_t depth = int64_t(in[1].reshape({-1})[0].item<double>());
        const at::Tensor values = in[2].reshape({-1});
        if (values.numel() != 2 || depth < 1)
            fail(ErrorCode::Invalid, label + ": needs a positive depth and two values (off, on)");
        const int64_t a = axisFor(axis, in[0].dim() + 1, label);
        std::vector<int64_t> shape(size_t(in[0].dim() + 1), 1);
        shape[size_t(a)] = depth;
        at::Tensor idx = in[0].to(at::kLong);
        idx = at::where(idx < 0, idx + depth, idx).unsqueeze(a);
        const at::Tensor hot = idx == at::arange(depth, at::kLong).reshape(shape);
        return TensorList{at::where(hot, values[1], values[0])};
    };
}

Kernel makeCompress(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2);
    const bool hasAxis = ctx.node.has("axis");
    const int64_t axis = ctx.node.attrInt("axis", 0);
    return [hasAxis, axis, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor x = hasAxis ? in[0] : in[0].reshape({-1});
        const int64_t a = hasAxis ? axisFor(axis, x.dim(), label) : 0;
        const at::Tensor keep = at::nonzero(in[1].reshape({-1})).reshape({-1});
        return TensorList{x.index_select(a, keep)};
    };
}

Kernel makeTrilu(const CompileContext &ctx)
{
    requireInputs(ctx.node, 1);
    const bool upper = ctx.node.attrInt("upper", 1) != 0;
    return [upper](const TensorList &in) {
        const int64_t k = in.size() > 1 && in[1].defined() ? in[1].item<int64_t>() : 0;
        return TensorList{upper ? at::triu(in[0], k) : at::tril(in[0], k)};
    };
}

Kernel makeEyeLike(const CompileContext &ctx)
{
    requireInputs(ctx.node, 1);
    const bool hasDtype = ctx.node.has("dtype");
    const at::ScalarType dtype = hasDtype ? onnxTypeToScalar(ctx.node.attrInt("dtype", 1), ctx.node) : at::kFloat;
    const int64_t k = ctx.node.attrInt("k", 0);
    return [hasDtype, dtype, k, label = ctx.node.label()](const TensorList &in) {
        if (in[0].dim() != 2)
            fail(ErrorCode::Invalid, label + ": input must be 2-D, has rank " + std::to_string(in[0].dim()));
        const at::Tensor rows = at::arange(in[0].size(0), at::kLong).unsqueeze(1);
        const at::Tensor cols = at::arange(in[0].size(1), at::kLong).unsqueeze(0);
        return TensorList{(cols - rows == k).to(hasDtype ? dtype : in[0].scalar_type())};
    };
}

} // namespace

void registerIndexingKernels(OpRegistry &r)
{
    r.add("Gather", makeGather);
    r.add("GatherElements", makeGatherElements);
    r.add("GatherND", makeGatherND);
    r.add("Scatter", makeScatterElements);
    r.add("ScatterElements", makeScatterElements);
    r.add("ScatterND", makeScatterND);
    r.add("NonZero", makeNonZero);
    r.add("OneHot", makeOneHot);
    r.add("Compress", makeCompress);
    r.add("Trilu", makeTrilu);
    r.add("EyeLike", makeEyeLike);
}

} // namespace qs::rt
