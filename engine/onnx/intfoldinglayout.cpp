#include "onnx/intfoldingutil.h"

#include <algorithm>

namespace qs::onnxio::fold {

using onnx::TensorProto;

Opt evalUnsqueeze(const Ctx &c)
{
    const auto axes = listOf(c, "axes", 1);
    if (!c.input(0) || !axes)
        return std::nullopt;
    IntTensor t = *c.input(0);
    const int64_t rank = int64_t(t.shape.size() + axes->size());
    std::vector<bool> inserted(size_t(rank), false);
    for (int64_t a : *axes) {
        if (!normAxis(a, rank) || inserted[size_t(a)])
            return std::nullopt;
        inserted[size_t(a)] = true;
    }
    std::vector<int64_t> shape;
    size_t src = 0;
    for (int64_t i = 0; i < rank; ++i)
        shape.push_back(inserted[size_t(i)] ? 1 : t.shape[src++]);
    t.shape = shape;
    return t;
}

Opt evalSqueeze(const Ctx &c)
{
    const auto axes = listOf(c, "axes", 1);
    if (!c.input(0) || !axes)
        return std::nullopt;
    IntTensor t = *c.input(0);
    const int64_t rank = int64_t(t.shape.size());
    std::vector<bool> drop(size_t(rank), axes->empty());
    if (axes->empty())
        for (int64_t i = 0; i < rank; ++i)
            drop[size_t(i)] = t.shape[size_t(i)] == 1;
    for (int64_t a : *axes) {
        if (!normAxis(a, rank) || t.shape[size_t(a)] != 1)
            return std::nullopt;
        drop[size_t(a)] = true;
    }
    std::vector<int64_t> shape;
    for (int64_t i = 0; i < rank; ++i)
        if (!drop[size_t(i)])
            shape.push_back(t.shape[size_t(i)]);
    t.shape = shape;
    return t;
}

Opt evalReshape(const Ctx &c)
{
    const IntTensor *target = c.knownInput(1);
    if (!c.input(0) || !target)
        return std::nullopt;
    IntTensor t = *c.input(0);
    const bool allowZero = attrInt(c.node, "allowzero", 0) != 0;
    std::vector<int64_t> shape = target->v;
    int64_t inferAt = -1, product = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 0 && !allowZero) {
            if (i >= t.shape.size())
                return std::nullopt;
            shape[i] = t.shape[i];
        }
        if (shape[i] == -1) {
            if (inferAt >= 0)
                return std::nullopt;
            inferAt = int64_t(i);
        } else if (shape[i] < 0) {
            return std::nullopt;
        } else {
            product *= shape[i];
        }
    }
    if (inferAt >= 0) {
        if (product == 0 || t.numel() % product != 0)
            return std::nullopt;
        shape[size_t(inferAt)] = t.numel() / product;
    }
    if (numelOf(shape) != t.numel())
        return std::nullopt;
    t.shape = shape;
    return t;
}

Opt evalFlatten(const Ctx &c)
{
    if (!c.input(0))
        return std::nullopt;
    IntTensor t = *c.input(0);
    int64_t axis = attrInt(c.node, "axis", 1);
    const int64_t rank = int64_t(t.shape.size());
    if (axis < 0)
        axis += rank;
    if (axis < 0 || axis > rank)
        return std::nullopt;
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i)
        outer *= t.shape[size_t(i)];
    t.shape = {outer, outer == 0 ? 0 : t.numel() / outer};
    return t;
}

Opt evalConcat(const Ctx &c)
{
    if (c.in.empty())
        return std::nullopt;
    for (const IntTensor *t : c.in)
        if (!t || t->shape.size() != c.in[0]->shape.size())
            return std::nullopt;
    int64_t axis = attrInt(c.node, "axis", 0);
    const int64_t rank = int64_t(c.in[0]->shape.size());
    if (!normAxis(axis, rank))
        return std::nullopt;
    std::vector<int64_t> shape = c.in[0]->shape;
    shape[size_t(axis)] = 0;
    for (const IntTensor *t : c.in)
        shape[size_t(axis)] += t->shape[size_t(axis)];
    Opt out = makeTensor(c.in[0]->type, shape);
    if (!out)
        return std::nullopt;
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i)
        outer *= shape[size_t(i)];
    size_t pos = 0;
    for (int64_t o = 0; o < outer; ++o)
        for (const IntTensor *t : c.in) {
            const int64_t chunk = outer == 0 ? 0 : t->numel() / outer;
            for (int64_t k = 0; k < chunk; ++k, ++pos) {
                out->v[pos] = t->v[size_t(o * chunk + k)];
                out->known[pos] = t->known[size_t(o * chunk + k)];
            }
        }
    return out;
}

Opt evalGather(const Ctx &c)
{
    const IntTensor *data = c.input(0);
    const IntTensor *indices = c.knownInput(1);
    if (!data || !indices)
        return std::nullopt;
    int64_t axis = attrInt(c.node, "axis", 0);
    if (!normAxis(axis, int64_t(data->shape.size())))
        return std::nullopt;
    std::vector<int64_t> shape(data->shape.begin(), data->shape.begin() + axis);
    shape.insert(shape.end(), indices->shape.begin(), indices->shape.end());
    shape.insert(shape.end(), data->shape.begin() + axis + 1, data->shape.end());
    Opt out = makeTensor(data->type, shape);
    if (!out)
        return std::nullopt;
    const int64_t dim = data->shape[size_t(axis)];
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < axis; ++i)
        outer *= data->shape[size_t(i)];
    for (size_t i = size_t(axis) + 1; i < data->shape.size(); ++i)
        inner *= data->shape[i];
    size_t pos = 0;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t idx : indices->v) {
            if (idx < 0)
                idx += dim;
            if (idx < 0 || idx >= dim)
                return std::nullopt;
            for (int64_t k = 0; k < inner; ++k, ++pos) {
                const size_t src = size_t((o * dim + idx) * inner + k);
                out->v[pos] = data->v[src];
                out->known[pos] = data->known[src];
            }
        }
    return out;
}

// Start and step per axis of an ONNX Slice, clamped as the operator specifies.
bool sliceAxis(int64_t dim, int64_t start, int64_t end, int64_t step, int64_t &first, int64_t &count)
{
    if (step == 0)
        return false;
    if (start < 0)
        start += dim;
    if (end < 0)
        end += dim;
    if (step > 0) {
        start = std::clamp(start, int64_t(0), dim);
        end = std::clamp(end, int64_t(0), dim);
        count = end > start ? (end - start + step - 1) / step : 0;
    } else {
        start = std::clamp(start, int64_t(0), dim - 1);
        end = std::clamp(end, int64_t(-1), dim - 1);
        count = start > end ? (start - end - step - 1) / -step : 0;
    }
    first = start;
    return true;
}

Opt evalSlice(const Ctx &c)
{
    const IntTensor *data = c.input(0);
    if (!data)
        return std::nullopt;
    const bool attrForm = findAttr(c.node, "starts") != nullptr; // opset < 10
    const size_t none = size_t(c.node.input_size());
    const auto starts = listOf(c, "starts", attrForm ? none : 1);
    const auto ends = listOf(c, "ends", attrForm ? none : 2);
    auto axes = listOf(c, "axes", attrForm ? none : 3);
    auto steps = listInput(c, attrForm ? none : 4);
    if (!starts || !ends || !axes || !steps || starts->size() != ends->size())
        return std::nullopt;
    const int64_t rank = int64_t(data->shape.size());
    if (axes->empty())
        for (int64_t i = 0; i < int64_t(starts->size()); ++i)
            axes->push_back(i);
    if (steps->empty())
        steps->assign(starts->size(), 1);
    if (axes->size() != starts->size() || steps->size() != starts->size())
        return std::nullopt;
    std::vector<int64_t> first(size_t(rank), 0), step(size_t(rank), 1), shape = data->shape;
    for (size_t i = 0; i < axes->size(); ++i) {
        int64_t a = (*axes)[i];
        if (!normAxis(a, rank) ||
            !sliceAxis(data->shape[size_t(a)], (*starts)[i], (*ends)[i], (*steps)[i], first[size_t(a)], shape[size_t(a)]))
            return std::nullopt;
        step[size_t(a)] = (*steps)[i];
    }
    Opt out = makeTensor(data->type, shape);
    if (!out)
        return std::nullopt;
    const auto strides = stridesOf(data->shape);
    forEachIndex(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
        int64_t src = 0;
        for (size_t d = 0; d < idx.size(); ++d)
            src += (first[d] + idx[d] * step[d]) * strides[d];
        out->v[size_t(flat)] = data->v[size_t(src)];
        out->known[size_t(flat)] = data->known[size_t(src)];
    });
    return out;
}

Opt evalTranspose(const Ctx &c)
{
    const IntTensor *data = c.input(0);
    if (!data)
        return std::nullopt;
    const size_t rank = data->shape.size();
    std::vector<int64_t> perm;
    if (const auto *a = findAttr(c.node, "perm"))
        perm.assign(a->ints().begin(), a->ints().end());
    else
        for (size_t i = 0; i < rank; ++i)
            perm.push_back(int64_t(rank - 1 - i));
    if (perm.size() != rank)
        return std::nullopt;
    std::vector<int64_t> shape(rank);
    for (size_t i = 0; i < rank; ++i) {
        if (perm[i] < 0 || perm[i] >= int64_t(rank))
            return std::nullopt;
        shape[i] = data->shape[size_t(perm[i])];
    }
    Opt out = makeTensor(data->type, shape);
    const auto strides = stridesOf(data->shape);
    forEachIndex(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
        int64_t src = 0;
        for (size_t i = 0; i < rank; ++i)
            src += idx[i] * strides[size_t(perm[i])];
        out->v[size_t(flat)] = data->v[size_t(src)];
        out->known[size_t(flat)] = data->known[size_t(src)];
    });
    return out;
}

Opt evalConstantOfShape(const Ctx &c)
{
    const IntTensor *shape = c.knownInput(0);
    const auto *value = findAttr(c.node, "value");
    Opt fill = value ? fromProto(value->t()) : std::nullopt;
    if (!shape || !fill || fill->numel() != 1)
        return std::nullopt;
    Opt out = makeTensor(fill->type, shape->v);
    if (out) {
        std::fill(out->v.begin(), out->v.end(), fill->v[0]);
        std::fill(out->known.begin(), out->known.end(), 1);
    }
    return out;
}

Opt evalRange(const Ctx &c)
{
    const IntTensor *s = c.knownInput(0), *l = c.knownInput(1), *d = c.knownInput(2);
    if (!s || !l || !d || s->numel() != 1 || l->numel() != 1 || d->numel() != 1 || d->v[0] == 0)
        return std::nullopt;
    const int64_t start = s->v[0], delta = d->v[0], span = l->v[0] - start;
    const int64_t n = std::max<int64_t>(0, (span + delta + (delta > 0 ? -1 : 1)) / delta);
    Opt out = makeTensor(s->type, {n});
    for (int64_t i = 0; out && i < n; ++i) {
        out->v[size_t(i)] = start + i * delta;
        out->known[size_t(i)] = 1;
    }
    return out;
}

Opt evalExpand(const Ctx &c)
{
    const IntTensor *data = c.input(0);
    const IntTensor *shape = c.knownInput(1);
    if (!data || !shape)
        return std::nullopt;
    Opt ones = makeTensor(data->type, shape->v);
    if (!ones)
        return std::nullopt;
    std::fill(ones->known.begin(), ones->known.end(), 1);
    return binary(*data, *ones, [](int64_t x, int64_t) { return std::optional<int64_t>(x); });
}
} // namespace qs::onnxio::fold
