#pragma once
// Engine-internal: helpers shared by the integer evaluators of intfolding.cpp (arithmetic,
// Shape, Constant, Cast and the dispatch) and intfoldinglayout.cpp (ops that move elements).

#include "onnx/intfolding.h"

#include <functional>
#include <optional>

namespace qs::onnxio::fold {

// Larger tensors are not shape computations; they are left unevaluated.
constexpr int64_t kMaxElements = int64_t(1) << 16;

using Opt = std::optional<IntTensor>;
using BinaryFn = std::function<std::optional<int64_t>(int64_t, int64_t)>;

struct Ctx {
    const onnx::NodeProto &node;
    std::vector<const IntTensor *> in; // nullptr when not evaluated or omitted
    const ShapeMap &shapes;

    const IntTensor *input(size_t i) const { return i < in.size() ? in[i] : nullptr; }
    const IntTensor *knownInput(size_t i) const
    {
        const IntTensor *t = input(i);
        return t && t->allKnown() ? t : nullptr;
    }
};

int64_t numelOf(const std::vector<int64_t> &shape);
// A tensor of zeros, all unknown; nullopt when the shape is invalid or too large.
Opt makeTensor(int32_t type, std::vector<int64_t> shape);
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape);
// Calls fn(index, flat) for every element of a row-major tensor of `shape`.
void forEachIndex(const std::vector<int64_t> &shape,
                  const std::function<void(const std::vector<int64_t> &, int64_t)> &fn);
Opt fromProto(const onnx::TensorProto &p);
const onnx::AttributeProto *findAttr(const onnx::NodeProto &node, const std::string &name);
int64_t attrInt(const onnx::NodeProto &node, const std::string &name, int64_t dflt);
// A list of integers from input `index` (newer opsets); nullopt while it is unknown, empty
// when the input is omitted.
std::optional<std::vector<int64_t>> listInput(const Ctx &c, size_t index);
// The same list from an attribute (older opsets) when the node has it.
std::optional<std::vector<int64_t>> listOf(const Ctx &c, const std::string &attr, size_t index);
bool normAxis(int64_t &axis, int64_t rank);
// Elementwise with NumPy broadcasting; an element is known when both operands are and fn
// gives a value.
Opt binary(const IntTensor &a, const IntTensor &b, const BinaryFn &fn);

Opt evalUnsqueeze(const Ctx &c);
Opt evalSqueeze(const Ctx &c);
Opt evalReshape(const Ctx &c);
Opt evalFlatten(const Ctx &c);
Opt evalConcat(const Ctx &c);
Opt evalGather(const Ctx &c);
Opt evalSlice(const Ctx &c);
Opt evalTranspose(const Ctx &c);
Opt evalConstantOfShape(const Ctx &c);
Opt evalRange(const Ctx &c);
Opt evalExpand(const Ctx &c);

} // namespace qs::onnxio::fold
