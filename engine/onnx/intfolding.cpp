#include "onnx/intfoldingutil.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

namespace qs::onnxio {

using onnx::TensorProto;

bool IntTensor::allKnown() const
{
    return std::all_of(known.begin(), known.end(), [](char k) { return k != 0; });
}

void IntTensor::toProto(const std::string &name, TensorProto *t) const
{
    t->set_name(name);
    t->set_data_type(type);
    for (int64_t d : shape)
        t->add_dims(d);
    for (int64_t x : v) {
        if (type == TensorProto::INT32)
            t->add_int32_data(int32_t(x));
        else
            t->add_int64_data(x);
    }
}

namespace fold {

int64_t numelOf(const std::vector<int64_t> &shape)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

static bool validShape(const std::vector<int64_t> &shape)
{
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0 || (d > 0 && n > kMaxElements / d))
            return false;
        n *= d;
    }
    return n <= kMaxElements;
}

Opt makeTensor(int32_t type, std::vector<int64_t> shape)
{
    if (!validShape(shape))
        return std::nullopt;
    IntTensor t;
    t.type = type;
    t.shape = std::move(shape);
    t.v.assign(size_t(numelOf(t.shape)), 0);
    t.known.assign(t.v.size(), 0);
    return t;
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape)
{
    std::vector<int64_t> s(shape.size(), 1);
    for (int i = int(shape.size()) - 2; i >= 0; --i)
        s[size_t(i)] = s[size_t(i) + 1] * shape[size_t(i) + 1];
    return s;
}

void forEachIndex(const std::vector<int64_t> &shape, const std::function<void(const std::vector<int64_t> &, int64_t)> &fn)
{
    const int64_t n = numelOf(shape);
    std::vector<int64_t> idx(shape.size(), 0);
    for (int64_t flat = 0; flat < n; ++flat) {
        fn(idx, flat);
        for (int d = int(shape.size()) - 1; d >= 0; --d) {
            if (++idx[size_t(d)] < shape[size_t(d)])
                break;
            idx[size_t(d)] = 0;
        }
    }
}

Opt fromProto(const TensorProto &p)
{
    if (p.data_type() != TensorProto::INT64 && p.data_type() != TensorProto::INT32)
        return std::nullopt;
    Opt t = makeTensor(p.data_type(), {p.dims().begin(), p.dims().end()});
    if (!t)
        return std::nullopt;
    const size_t n = t->v.size();
    const bool i64 = p.data_type() == TensorProto::INT64;
    if (p.has_raw_data()) {
        if (p.raw_data().size() != n * (i64 ? 8 : 4))
            return std::nullopt;
        for (size_t i = 0; i < n; ++i) {
            if (i64) {
                std::memcpy(&t->v[i], p.raw_data().data() + 8 * i, 8);
            } else {
                int32_t x;
                std::memcpy(&x, p.raw_data().data() + 4 * i, 4);
                t->v[i] = x;
            }
        }
    } else if (size_t(i64 ? p.int64_data_size() : p.int32_data_size()) == n) {
        for (size_t i = 0; i < n; ++i)
            t->v[i] = i64 ? p.int64_data(int(i)) : p.int32_data(int(i));
    } else {
        return std::nullopt;
    }
    t->known.assign(n, 1);
    return t;
}

const onnx::AttributeProto *findAttr(const onnx::NodeProto &node, const std::string &name)
{
    for (const auto &a : node.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

int64_t attrInt(const onnx::NodeProto &node, const std::string &name, int64_t dflt)
{
    const auto *a = findAttr(node, name);
    return a ? a->i() : dflt;
}

std::optional<std::vector<int64_t>> listInput(const Ctx &c, size_t index)
{
    if (index >= size_t(c.node.input_size()) || c.node.input(int(index)).empty())
        return std::vector<int64_t>();
    if (const IntTensor *t = c.knownInput(index))
        return t->v;
    return std::nullopt;
}

std::optional<std::vector<int64_t>> listOf(const Ctx &c, const std::string &attr, size_t index)
{
    if (const auto *a = findAttr(c.node, attr))
        return std::vector<int64_t>(a->ints().begin(), a->ints().end());
    return listInput(c, index);
}

bool normAxis(int64_t &axis, int64_t rank)
{
    if (axis < 0)
        axis += rank;
    return axis >= 0 && axis < rank;
}

static std::optional<std::vector<int64_t>> broadcastShapes(const std::vector<int64_t> &a, const std::vector<int64_t> &b)
{
    const size_t r = std::max(a.size(), b.size());
    std::vector<int64_t> out(r);
    for (size_t i = 0; i < r; ++i) {
        const int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
        const int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
        if (da != db && da != 1 && db != 1)
            return std::nullopt;
        out[i] = da == 1 ? db : da;
    }
    return out;
}

// Flat index into `shape` (right-aligned, broadcast) for an index of the output.
static int64_t broadcastIndex(const std::vector<int64_t> &idx, const std::vector<int64_t> &shape,
                       const std::vector<int64_t> &strides)
{
    int64_t flat = 0;
    const size_t off = idx.size() - shape.size();
    for (size_t i = 0; i < shape.size(); ++i)
        if (shape[i] != 1)
            flat += idx[i + off] * strides[i];
    return flat;
}

Opt binary(const IntTensor &a, const IntTensor &b, const BinaryFn &fn)
{
    auto shape = broadcastShapes(a.shape, b.shape);
    Opt out = shape ? makeTensor(a.type, *shape) : std::nullopt;
    if (!out)
        return std::nullopt;
    const auto sa = stridesOf(a.shape), sb = stridesOf(b.shape);
    forEachIndex(out->shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
        const int64_t ia = broadcastIndex(idx, a.shape, sa), ib = broadcastIndex(idx, b.shape, sb);
        if (!a.known[size_t(ia)] || !b.known[size_t(ib)])
            return;
        if (auto r = fn(a.v[size_t(ia)], b.v[size_t(ib)])) {
            out->v[size_t(flat)] = *r;
            out->known[size_t(flat)] = 1;
        }
    });
    return out;
}
} // namespace fold

namespace {

using namespace fold;

BinaryFn arithmetic(const std::string &op, int64_t fmod)
{
    if (op == "Add")
        return [](int64_t x, int64_t y) { return std::optional<int64_t>(x + y); };
    if (op == "Sub")
        return [](int64_t x, int64_t y) { return std::optional<int64_t>(x - y); };
    if (op == "Mul")
        return [](int64_t x, int64_t y) { return std::optional<int64_t>(x * y); };
    if (op == "Max")
        return [](int64_t x, int64_t y) { return std::optional<int64_t>(std::max(x, y)); };
    if (op == "Min")
        return [](int64_t x, int64_t y) { return std::optional<int64_t>(std::min(x, y)); };
    if (op == "Div")
        return [](int64_t x, int64_t y) { return y == 0 ? std::nullopt : std::optional<int64_t>(x / y); };
    // Mod: fmod=0 takes the divisor's sign (like Python), fmod=1 the dividend's (like C).
    return [fmod](int64_t x, int64_t y) -> std::optional<int64_t> {
        if (y == 0)
            return std::nullopt;
        int64_t r = x % y;
        if (!fmod && r != 0 && ((r < 0) != (y < 0)))
            r += y;
        return r;
    };
}

Opt evalElementwise(const Ctx &c)
{
    const std::string &op = c.node.op_type();
    if (op == "Neg" || op == "Abs" || op == "Identity") {
        if (!c.input(0))
            return std::nullopt;
        IntTensor t = *c.input(0);
        for (auto &x : t.v)
            x = op == "Neg" ? -x : op == "Abs" ? std::abs(x) : x;
        return t;
    }
    if (c.in.empty() || !c.input(0))
        return std::nullopt;
    const BinaryFn fn = arithmetic(op, attrInt(c.node, "fmod", 0));
    Opt acc = *c.input(0);
    for (size_t i = 1; i < c.in.size() && acc; ++i)
        acc = c.input(i) ? binary(*acc, *c.input(i), fn) : std::nullopt;
    return acc;
}

Opt evalShape(const Ctx &c)
{
    auto it = c.shapes.find(c.node.input(0));
    if (it == c.shapes.end())
        return std::nullopt;
    const auto &dims = it->second;
    const int64_t rank = int64_t(dims.size());
    int64_t start = attrInt(c.node, "start", 0), end = attrInt(c.node, "end", rank);
    start = std::clamp(start < 0 ? start + rank : start, int64_t(0), rank);
    end = std::clamp(end < 0 ? end + rank : end, int64_t(0), rank);
    Opt t = makeTensor(TensorProto::INT64, {std::max<int64_t>(0, end - start)});
    for (int64_t i = start; t && i < end; ++i) {
        t->v[size_t(i - start)] = dims[size_t(i)];
        t->known[size_t(i - start)] = dims[size_t(i)] >= 0;
    }
    return t;
}

Opt evalSize(const Ctx &c)
{
    auto it = c.shapes.find(c.node.input(0));
    if (it == c.shapes.end())
        return std::nullopt;
    Opt t = makeTensor(TensorProto::INT64, {});
    t->v[0] = numelOf(it->second);
    t->known[0] = std::all_of(it->second.begin(), it->second.end(), [](int64_t d) { return d >= 0; });
    return t;
}

Opt evalConstant(const Ctx &c)
{
    if (const auto *a = findAttr(c.node, "value"))
        return fromProto(a->t());
    if (const auto *a = findAttr(c.node, "value_int")) {
        Opt t = makeTensor(TensorProto::INT64, {});
        t->v[0] = a->i();
        t->known[0] = 1;
        return t;
    }
    if (const auto *a = findAttr(c.node, "value_ints")) {
        Opt t = makeTensor(TensorProto::INT64, {a->ints_size()});
        for (int i = 0; t && i < a->ints_size(); ++i) {
            t->v[size_t(i)] = a->ints(i);
            t->known[size_t(i)] = 1;
        }
        return t;
    }
    return std::nullopt;
}

Opt evalCast(const Ctx &c)
{
    const int64_t to = attrInt(c.node, "to", 0);
    if (!c.input(0) || (to != TensorProto::INT64 && to != TensorProto::INT32))
        return std::nullopt;
    IntTensor t = *c.input(0);
    t.type = int32_t(to);
    return t;
}
using EvalFn = Opt (*)(const Ctx &);

const std::map<std::string, EvalFn> &evaluators()
{
    static const std::map<std::string, EvalFn> table = {
        {"Add", evalElementwise},   {"Sub", evalElementwise},       {"Mul", evalElementwise},
        {"Div", evalElementwise},   {"Mod", evalElementwise},       {"Max", evalElementwise},
        {"Min", evalElementwise},   {"Neg", evalElementwise},       {"Abs", evalElementwise},
        {"Identity", evalElementwise}, {"Shape", evalShape},        {"Size", evalSize},
        {"Constant", evalConstant}, {"Cast", evalCast},             {"Unsqueeze", evalUnsqueeze},
        {"Squeeze", evalSqueeze},   {"Reshape", evalReshape},       {"Flatten", evalFlatten},
        {"Concat", evalConcat},     {"Gather", evalGather},         {"Slice", evalSlice},
        {"Transpose", evalTranspose}, {"ConstantOfShape", evalConstantOfShape}, {"Range", evalRange},
        {"Expand", evalExpand},
    };
    return table;
}

} // namespace

IntValues evaluateIntegers(const onnx::GraphProto &graph, const ShapeMap &shapes)
{
    IntValues values;
    for (const auto &init : graph.initializer())
        if (Opt t = fromProto(init))
            values.emplace(init.name(), std::move(*t));
    for (const auto &node : graph.node()) {
        if (!node.domain().empty() && node.domain() != "ai.onnx")
            continue;
        auto fn = evaluators().find(node.op_type());
        if (fn == evaluators().end() || node.output_size() != 1 || node.output(0).empty())
            continue;
        Ctx ctx{node, {}, shapes};
        for (const auto &in : node.input()) {
            auto it = in.empty() ? values.end() : values.find(in);
            ctx.in.push_back(it == values.end() ? nullptr : &it->second);
        }
        if (Opt out = fn->second(ctx))
            values[node.output(0)] = std::move(*out);
    }
    return values;
}

} // namespace qs::onnxio
