// Shape and data-movement kernels: Reshape, Flatten, Transpose, Squeeze/Unsqueeze, Concat, Split,
// Slice, Shape, Cast, Constant, ConstantOfShape, Expand, Tile, Range, Identity, Dropout,
// DepthToSpace, SpaceToDepth.
// Integer lists that arrive as inputs (opset 10+/13+) are read once at compile time when they are
// initializers, otherwise on every call. Kernels return views where ATen allows it.
#include "runtime/kernel.h"

#include "core/error.h"

#include <ATen/ExpandUtils.h>

#include <algorithm>
#include <cmath>

namespace qs::rt {

namespace {

std::string listString(const std::vector<int64_t> &v) { return shapeString(v); }
std::vector<int64_t> sizesOf(const at::Tensor &t) { return std::vector<int64_t>(t.sizes().begin(), t.sizes().end()); }

at::Tensor longTensor(const std::vector<int64_t> &v)
{
    at::Tensor t = at::empty({int64_t(v.size())}, at::kLong);
    std::copy(v.begin(), v.end(), t.data_ptr<int64_t>());
    return t;
}

void requireInput(const Node &node, size_t i)
{
    if (!node.hasInput(i))
        fail(ErrorCode::Invalid, node.label() + ": input " + std::to_string(i) + " is missing");
}

// An integer list given by an attribute (older opsets) or an input (newer ones).
class IntList {
public:
    static IntList absent() { return IntList(); }
    static IntList ofValues(std::vector<int64_t> v)
    {
        IntList l;
        l.m_present = true;
        l.m_values = std::move(v);
        return l;
    }
    static IntList ofAttr(const Node &node, const char *name)
    {
        return node.has(name) ? ofValues(node.attrInts(name)) : absent();
    }
    static IntList ofInput(const CompileContext &ctx, size_t i)
    {
        if (!ctx.node.hasInput(i))
            return absent();
        if (const at::Tensor *c = ctx.constant(i))
            return ofValues(toIntVector(*c));
        IntList l;
        l.m_present = true;
        l.m_input = int(i);
        return l;
    }
    bool present() const { return m_present; }
    std::vector<int64_t> get(const TensorList &in) const
    {
        return m_input >= 0 ? toIntVector(in[size_t(m_input)]) : m_values;
    }

private:
    bool m_present = false;
    int m_input = -1;
    std::vector<int64_t> m_values;
};

Kernel makeIdentity(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    return [](const TensorList &in) { return TensorList{in[0]}; };
}

// Without training_mode (or with it false) Dropout is the identity and the optional mask is all
// true (all ones before opset 10, where the mask had the input's type). With training_mode true
// it drops each element with probability `ratio` and scales the rest by 1 / (1 - ratio).
Kernel makeDropout(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const bool wantMask = ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty();
    const bool boolMask = ctx.opset >= 10;
    const double ratioAttr = ctx.node.attrFloat("ratio", 0.5f);
    return [wantMask, boolMask, ratioAttr, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const bool training = in.size() > 2 && in[2].defined() && in[2].item<bool>();
        if (!training)
            return wantMask ? TensorList{x, at::ones(x.sizes(), boolMask ? at::kBool : x.scalar_type())}
                            : TensorList{x};
        const double ratio = in.size() > 1 && in[1].defined() ? in[1].item<double>() : ratioAttr;
        if (ratio < 0 || ratio >= 1) {
            if (ratio != 1)
                fail(ErrorCode::Invalid, label + ": ratio " + std::to_string(ratio) + " is outside [0, 1]");
            return TensorList{at::zeros_like(x), at::zeros(x.sizes(), at::kBool)};
        }
        const at::Tensor mask = at::rand(x.sizes(), x.options()) >= ratio;
        return TensorList{x * mask / (1 - ratio), mask};
    };
}

Kernel makeFlatten(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const int64_t axis = ctx.node.attrInt("axis", 1);
    return [axis, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t rank = x.dim();
        const int64_t a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank)
            fail(ErrorCode::Invalid, label + ": axis " + std::to_string(axis) + " is out of range for rank " +
                                         std::to_string(rank));
        int64_t outer = 1, inner = 1;
        for (int64_t d = 0; d < rank; ++d)
            (d < a ? outer : inner) *= x.size(d);
        return TensorList{x.reshape({outer, inner})};
    };
}

// ONNX Reshape target: 0 copies the input dimension (unless allowzero), one -1 is inferred.
std::vector<int64_t> reshapeTarget(const std::vector<int64_t> &in, std::vector<int64_t> out, bool allowZero,
                                   const std::string &label)
{
    int64_t inferAt = -1, known = 1, numel = 1;
    for (int64_t s : in)
        numel *= s;
    for (size_t i = 0; i < out.size(); ++i) {
        if (out[i] == 0 && !allowZero) {
            if (i >= in.size())
                fail(ErrorCode::Invalid, label + ": shape " + listString(out) + " copies dimension " +
                                             std::to_string(i) + " of an input of shape " + listString(in));
            out[i] = in[i];
        } else if (out[i] == -1) {
            if (inferAt >= 0)
                fail(ErrorCode::Invalid, label + ": shape " + listString(out) + " has more than one -1");
            inferAt = int64_t(i);
            continue;
        } else if (out[i] < 0) {
            fail(ErrorCode::Invalid, label + ": shape " + listString(out) + " has a negative dimension");
        }
        known *= out[i];
    }
    if (inferAt >= 0 && known != 0 && numel % known == 0)
        out[size_t(inferAt)] = numel / known;
    else if (inferAt >= 0 || known != numel)
        fail(ErrorCode::Invalid, label + ": cannot reshape " + listString(in) + " to " + listString(out));
    return out;
}

Kernel makeReshape(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    requireInput(ctx.node, 1);
    const bool allowZero = ctx.node.attrInt("allowzero", 0) != 0;
    IntList shape = IntList::ofInput(ctx, 1);
    return [allowZero, shape, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        return TensorList{x.reshape(reshapeTarget(sizesOf(x), shape.get(in), allowZero, label))};
    };
}

Kernel makeTranspose(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const bool hasPerm = ctx.node.has("perm");
    const std::vector<int64_t> perm = ctx.node.attrInts("perm");
    return [hasPerm, perm, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t rank = x.dim();
        std::vector<int64_t> p = perm;
        if (!hasPerm)
            for (int64_t d = rank - 1; d >= 0; --d)
                p.push_back(d);
        std::vector<bool> seen(size_t(rank), false);
        bool ok = int64_t(p.size()) == rank;
        for (size_t i = 0; ok && i < p.size(); ++i) {
            ok = p[i] >= -rank && p[i] < rank && !seen[size_t(p[i] < 0 ? p[i] + rank : p[i])];
            if (ok)
                seen[size_t(p[i] < 0 ? p[i] + rank : p[i])] = true;
        }
        if (!ok)
            fail(ErrorCode::Invalid, label + ": perm " + listString(p) + " does not fit an input of rank " +
                                         std::to_string(rank));
        return TensorList{x.permute(p)};
    };
}

Kernel makeSqueeze(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    IntList axes = ctx.opset < 13 ? IntList::ofAttr(ctx.node, "axes") : IntList::ofInput(ctx, 1);
    return [axes, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t rank = x.dim();
        std::vector<bool> drop(size_t(rank), false);
        const std::vector<int64_t> list = axes.present() ? axes.get(in) : std::vector<int64_t>();
        for (int64_t a : list) {
            const int64_t d = axisFor(a, rank, label);
            if (x.size(d) != 1)
                fail(ErrorCode::Invalid, label + ": cannot squeeze axis " + std::to_string(a) + " of size " +
                                             std::to_string(x.size(d)));
            drop[size_t(d)] = true;
        }
        std::vector<int64_t> shape;
        for (int64_t d = 0; d < rank; ++d)
            if (!(list.empty() ? x.size(d) == 1 : drop[size_t(d)]))
                shape.push_back(x.size(d));
        return TensorList{x.reshape(shape)};
    };
}

Kernel makeUnsqueeze(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    IntList axes = ctx.opset < 13 ? IntList::ofAttr(ctx.node, "axes") : IntList::ofInput(ctx, 1);
    if (!axes.present())
        fail(ErrorCode::Invalid, ctx.node.label() + ": axes are missing");
    return [axes, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const std::vector<int64_t> list = axes.get(in);
        const int64_t outRank = x.dim() + int64_t(list.size());
        std::vector<bool> inserted(size_t(outRank), false);
        for (int64_t a : list) {
            const int64_t d = axisFor(a, outRank, label);
            if (inserted[size_t(d)])
                fail(ErrorCode::Invalid, label + ": axes " + listString(list) + " repeat an axis");
            inserted[size_t(d)] = true;
        }
        std::vector<int64_t> shape;
        for (int64_t d = 0, j = 0; d < outRank; ++d)
            shape.push_back(inserted[size_t(d)] ? 1 : x.size(j++));
        return TensorList{x.reshape(shape)};
    };
}

// DepthToSpace (DCR or CRD channel order) and SpaceToDepth on NCHW tensors.
Kernel makeDepthSpace(const CompileContext &ctx, bool toSpace)
{
    requireInput(ctx.node, 0);
    const int64_t b = ctx.node.attrInt("blocksize", 0);
    const std::string mode = ctx.node.attrString("mode", "DCR");
    if (b < 1 || (mode != "DCR" && mode != "CRD"))
        fail(ErrorCode::Invalid, ctx.node.label() + ": needs a positive blocksize and mode DCR or CRD");
    const bool crd = mode == "CRD";
    return [b, crd, toSpace, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        if (x.dim() != 4 || (toSpace ? x.size(1) % (b * b) : x.size(2) % b + x.size(3) % b) != 0)
            fail(ErrorCode::Invalid, label + ": cannot rearrange an input of shape " + listString(sizesOf(x)) +
                                         " with blocksize " + std::to_string(b));
        const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (!toSpace)
            return TensorList{x.reshape({n, c, h / b, b, w / b, b})
                                  .permute({0, 3, 5, 1, 2, 4})
                                  .reshape({n, c * b * b, h / b, w / b})};
        const int64_t oc = c / (b * b);
        const at::Tensor t = crd ? x.reshape({n, oc, b, b, h, w}).permute({0, 1, 4, 2, 5, 3})
                                 : x.reshape({n, b, b, oc, h, w}).permute({0, 3, 4, 1, 5, 2});
        return TensorList{t.reshape({n, oc, h * b, w * b})};
    };
}

Kernel makeConcat(const CompileContext &ctx)
{
    if (ctx.node.inputs.empty())
        fail(ErrorCode::Invalid, ctx.node.label() + ": has no inputs");
    if (!ctx.node.has("axis"))
        fail(ErrorCode::Invalid, ctx.node.label() + ": attribute 'axis' is missing");
    const int64_t axis = ctx.node.attrInt("axis", 0);
    return [axis, label = ctx.node.label()](const TensorList &in) {
        if (in.size() == 1)
            return TensorList{in[0]};
        return TensorList{at::cat(in, axisFor(axis, in[0].dim(), label))};
    };
}

Kernel makeSplit(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const int64_t axis = ctx.node.attrInt("axis", 0);
    const int64_t parts = int64_t(ctx.node.outputs.size());
    IntList split = ctx.opset < 13 ? IntList::ofAttr(ctx.node, "split") : IntList::ofInput(ctx, 1);
    return [axis, parts, split, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t a = axisFor(axis, x.dim(), label);
        const int64_t dim = x.size(a);
        std::vector<int64_t> sizes;
        if (split.present() && !(sizes = split.get(in)).empty()) {
            int64_t total = 0;
            for (int64_t s : sizes)
                total += s;
            if (int64_t(sizes.size()) != parts || total != dim)
                fail(ErrorCode::Invalid, label + ": split " + listString(sizes) + " does not divide dimension " +
                                             std::to_string(dim) + " into " + std::to_string(parts) + " outputs");
        } else {
            // Equal parts; a remainder goes to the last part (the opset 18 rule, a superset).
            const int64_t chunk = (dim + parts - 1) / parts;
            for (int64_t i = 0, left = dim; i < parts; ++i, left -= chunk)
                sizes.push_back(std::max<int64_t>(0, std::min(chunk, left)));
        }
        std::vector<at::Tensor> outs = at::split_with_sizes(x, sizes, a);
        return TensorList(outs.begin(), outs.end());
    };
}

// One axis of ONNX Slice, with its clamping rules; negative steps walk backwards.
at::Tensor sliceAxis(const at::Tensor &x, int64_t axis, int64_t start, int64_t end, int64_t step)
{
    const int64_t dim = x.size(axis);
    if (start < 0)
        start += dim;
    if (end < 0)
        end += dim;
    if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, start, dim);
        if (start == 0 && end == dim && step == 1)
            return x;
        return x.slice(axis, start, end, step);
    }
    if (dim == 0)
        return x;
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
    if (start <= end)
        return x.slice(axis, 0, 0);
    const int64_t stride = -step;
    const int64_t count = (start - end + stride - 1) / stride;
    const int64_t low = start - (count - 1) * stride;
    return x.slice(axis, low, start + 1, stride).flip(axis);
}

Kernel makeSlice(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const Node &node = ctx.node;
    IntList starts, ends, axes, steps;
    if (ctx.opset < 10) {
        starts = IntList::ofAttr(node, "starts");
        ends = IntList::ofAttr(node, "ends");
        axes = IntList::ofAttr(node, "axes");
    } else {
        starts = IntList::ofInput(ctx, 1);
        ends = IntList::ofInput(ctx, 2);
        axes = IntList::ofInput(ctx, 3);
        steps = IntList::ofInput(ctx, 4);
    }
    if (!starts.present() || !ends.present())
        fail(ErrorCode::Invalid, node.label() + ": starts or ends are missing");
    return [starts, ends, axes, steps, label = node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t rank = x.dim();
        const std::vector<int64_t> st = starts.get(in), en = ends.get(in);
        std::vector<int64_t> ax = axes.present() ? axes.get(in) : std::vector<int64_t>();
        std::vector<int64_t> sp = steps.present() ? steps.get(in) : std::vector<int64_t>(st.size(), 1);
        if (!axes.present())
            for (size_t i = 0; i < st.size(); ++i)
                ax.push_back(int64_t(i));
        if (en.size() != st.size() || ax.size() != st.size() || sp.size() != st.size())
            fail(ErrorCode::Invalid, label + ": starts, ends, axes and steps differ in length");
        std::vector<bool> seen(size_t(rank), false);
        at::Tensor out = x;
        for (size_t k = 0; k < st.size(); ++k) {
            const int64_t a = axisFor(ax[k], rank, label);
            if (seen[size_t(a)])
                fail(ErrorCode::Invalid, label + ": axis " + std::to_string(ax[k]) + " is repeated");
            if (sp[k] == 0)
                fail(ErrorCode::Invalid, label + ": step is 0");
            seen[size_t(a)] = true;
            out = sliceAxis(out, a, st[k], en[k], sp[k]);
        }
        return TensorList{out};
    };
}

Kernel makeShape(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    const int64_t start = ctx.node.attrInt("start", 0);
    const bool hasEnd = ctx.node.has("end");
    const int64_t end = ctx.node.attrInt("end", 0);
    return [start, hasEnd, end](const TensorList &in) {
        const int64_t rank = in[0].dim();
        auto clampDim = [rank](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
        const int64_t s = clampDim(start), e = std::max(s, hasEnd ? clampDim(end) : rank);
        return TensorList{longTensor(std::vector<int64_t>(in[0].sizes().begin() + s, in[0].sizes().begin() + e))};
    };
}

Kernel makeSize(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    return [](const TensorList &in) { return TensorList{at::scalar_tensor(in[0].numel(), at::kLong)}; };
}

// Float to integer conversion truncates toward zero, as a C cast does; to bool tests != 0.
Kernel makeCast(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    if (!ctx.node.has("to"))
        fail(ErrorCode::Invalid, ctx.node.label() + ": attribute 'to' is missing");
    const at::ScalarType to = onnxTypeToScalar(ctx.node.attrInt("to", 0), ctx.node);
    return [to](const TensorList &in) { return TensorList{in[0].scalar_type() == to ? in[0] : in[0].to(to)}; };
}

Kernel makeCastLike(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    requireInput(ctx.node, 1);
    return [](const TensorList &in) { return TensorList{in[0].to(in[1].scalar_type())}; };
}

at::Tensor attrTensor(const Node &node, const std::string &name)
{
    try {
        return toAt(node.attributes.at(name).t);
    } catch (const Exception &e) {
        fail(e.error().code, node.label() + ": attribute '" + name + "': " + e.error().message);
    }
}

Kernel makeConstant(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    at::Tensor value;
    if (node.has("value")) {
        value = attrTensor(node, "value");
    } else if (node.has("value_float")) {
        value = at::scalar_tensor(double(node.attrFloat("value_float", 0.f)), at::kFloat);
    } else if (node.has("value_floats")) {
        const std::vector<float> f = node.attrFloats("value_floats");
        value = at::empty({int64_t(f.size())}, at::kFloat);
        std::copy(f.begin(), f.end(), value.data_ptr<float>());
    } else if (node.has("value_int")) {
        value = at::scalar_tensor(node.attrInt("value_int", 0), at::kLong);
    } else if (node.has("value_ints")) {
        value = longTensor(node.attrInts("value_ints"));
    } else if (node.has("value_string") || node.has("value_strings") || node.has("sparse_value")) {
        fail(ErrorCode::Unsupported, node.label() + ": string and sparse constants are not supported");
    } else {
        fail(ErrorCode::Invalid, node.label() + ": has no value attribute");
    }
    return [value](const TensorList &) { return TensorList{value}; };
}

Kernel makeConstantOfShape(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    at::Tensor fill = at::scalar_tensor(0.0, at::kFloat);
    if (ctx.node.has("value")) {
        fill = attrTensor(ctx.node, "value");
        if (fill.numel() != 1)
            fail(ErrorCode::Invalid, ctx.node.label() + ": value must hold one element, holds " +
                                         std::to_string(fill.numel()));
    }
    const at::Scalar v = fill.reshape({}).item();
    const at::ScalarType type = fill.scalar_type();
    IntList shape = IntList::ofInput(ctx, 0);
    auto make = [v, type, label = ctx.node.label()](const std::vector<int64_t> &dims) {
        for (int64_t d : dims)
            if (d < 0)
                fail(ErrorCode::Invalid, label + ": shape " + listString(dims) + " has a negative dimension");
        return at::full(dims, v, at::TensorOptions().dtype(type));
    };
    if (ctx.constant(0)) {
        const at::Tensor out = make(shape.get({}));
        return [out](const TensorList &) { return TensorList{out}; };
    }
    return [shape, make](const TensorList &in) { return TensorList{make(shape.get(in))}; };
}

// Expand broadcasts both ways: a target dimension of 1 keeps the input's dimension.
Kernel makeExpand(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    requireInput(ctx.node, 1);
    IntList shape = IntList::ofInput(ctx, 1);
    return [shape, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const std::vector<int64_t> target = shape.get(in);
        std::vector<int64_t> out;
        try {
            out = at::infer_size(x.sizes(), target);
        } catch (const std::exception &) {
            fail(ErrorCode::Invalid, label + ": cannot expand " + listString(sizesOf(x)) + " to " + listString(target));
        }
        return TensorList{x.expand(out)};
    };
}

Kernel makeTile(const CompileContext &ctx)
{
    requireInput(ctx.node, 0);
    requireInput(ctx.node, 1);
    IntList repeats = IntList::ofInput(ctx, 1);
    return [repeats, label = ctx.node.label()](const TensorList &in) {
        const std::vector<int64_t> r = repeats.get(in);
        if (int64_t(r.size()) != in[0].dim())
            fail(ErrorCode::Invalid, label + ": repeats " + listString(r) + " do not match rank " +
                                         std::to_string(in[0].dim()));
        return TensorList{in[0].repeat(r)};
    };
}

// Range: start + i*delta for i < max(ceil((limit-start)/delta), 0), in the type of start.
Kernel makeRange(const CompileContext &ctx)
{
    for (size_t i = 0; i < 3; ++i)
        requireInput(ctx.node, i);
    return [label = ctx.node.label()](const TensorList &in) {
        const at::ScalarType type = in[0].scalar_type();
        for (size_t i = 0; i < 3; ++i)
            if (in[i].numel() != 1)
                fail(ErrorCode::Invalid, label + ": start, limit and delta must be scalars");
        if (at::isIntegralType(type, false)) {
            const int64_t start = in[0].item<int64_t>(), limit = in[1].item<int64_t>(), delta = in[2].item<int64_t>();
            if (delta == 0)
                fail(ErrorCode::Invalid, label + ": delta is 0");
            const int64_t span = limit - start;
            const int64_t n = std::max<int64_t>(0, span / delta + ((span % delta) != 0 && (span > 0) == (delta > 0)));
            return TensorList{(at::arange(n, at::kLong) * delta + start).to(type)};
        }
        const double start = in[0].item<double>(), limit = in[1].item<double>(), delta = in[2].item<double>();
        if (delta == 0)
            fail(ErrorCode::Invalid, label + ": delta is 0");
        const int64_t n = std::max<int64_t>(0, int64_t(std::ceil((limit - start) / delta)));
        return TensorList{(at::arange(n, at::kDouble) * delta + start).to(type)};
    };
}

} // namespace

void registerShapeKernels(OpRegistry &r)
{
    r.add("Identity", makeIdentity);
    r.add("Dropout", makeDropout);
    r.add("Flatten", makeFlatten);
    r.add("Reshape", makeReshape);
    r.add("Transpose", makeTranspose);
    r.add("Squeeze", makeSqueeze);
    r.add("Unsqueeze", makeUnsqueeze);
    r.add("Concat", makeConcat);
    r.add("Split", makeSplit);
    r.add("Slice", makeSlice);
    r.add("Shape", makeShape);
    r.add("Size", makeSize);
    r.add("Cast", makeCast);
    r.add("CastLike", makeCastLike);
    r.add("Constant", makeConstant);
    r.add("ConstantOfShape", makeConstantOfShape);
    r.add("Expand", makeExpand);
    r.add("Tile", makeTile);
    r.add("Range", makeRange);
    r.add("DepthToSpace", [](const CompileContext &ctx) { return makeDepthSpace(ctx, true); });
    r.add("SpaceToDepth", [](const CompileContext &ctx) { return makeDepthSpace(ctx, false); });
}

} // namespace qs::rt
