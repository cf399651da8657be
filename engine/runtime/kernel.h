#pragma once
// Engine-internal (includes ATen): the operator kernel interface and registry.
// A KernelFactory is called once per node when the Executor compiles its plan; it reads the
// node's attributes (and constant inputs, when known) and returns the Kernel that runs the node.
// Kernels receive one at::Tensor per node input (undefined for an omitted optional input) and
// return one per node output. They throw qs::Exception naming node.label() on bad input.

#include "graph/graph.h"

#include <ATen/ATen.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace qs::rt {

using TensorList = std::vector<at::Tensor>;
using Kernel = std::function<TensorList(const TensorList &inputs)>;

struct CompileContext {
    const Node &node;
    int64_t opset;
    // Constant inputs (initializers), by input position; undefined when not constant.
    TensorList constants;
    // Static shape of input/output i when shape inference knew it (empty optional otherwise).
    std::vector<const ValueInfo *> inputInfo;
    std::vector<const ValueInfo *> outputInfo;

    const at::Tensor *constant(size_t i) const
    {
        return i < constants.size() && constants[i].defined() ? &constants[i] : nullptr;
    }
};

using KernelFactory = std::function<Kernel(const CompileContext &)>;

class OpRegistry {
public:
    void add(const std::string &opType, KernelFactory factory);
    const KernelFactory *find(const std::string &opType) const;
    std::vector<std::string> opTypes() const;
    static const OpRegistry &builtin(); // all built-in kernels, registered once (thread-safe)

private:
    std::map<std::string, KernelFactory> m_factories;
};

// One registration function per kernel family (kernels/*.cpp).
void registerConvKernels(OpRegistry &r);        // Conv, ConvTranspose
void registerMatMulKernels(OpRegistry &r);      // Gemm, MatMul
void registerElementwiseKernels(OpRegistry &r); // arithmetic, comparisons, Where, Mod, Sum, Mean, Max, Min
void registerActivationKernels(OpRegistry &r);  // Relu, Clip, Sigmoid, Softmax, ...
void registerNormKernels(OpRegistry &r);        // BatchNormalization, InstanceNormalization, LayerNormalization
void registerPoolKernels(OpRegistry &r);        // MaxPool, AveragePool, Global*Pool, ReduceMean, ...
void registerShapeKernels(OpRegistry &r);       // Reshape, Transpose, Concat, Slice, Shape, Cast, ...
void registerIndexingKernels(OpRegistry &r);    // Gather*, Scatter*, NonZero, OneHot, Compress, Trilu, EyeLike
void registerResizeKernels(OpRegistry &r);      // Resize, Upsample, Pad
void registerQuantKernels(OpRegistry &r);       // QuantizeLinear, DequantizeLinear
void registerFusedKernels(OpRegistry &r);       // FusedConv (domain qs, inference plan only)

// Helpers shared by kernels.
at::ScalarType toScalarType(DType t);
DType fromScalarType(at::ScalarType t);
at::Tensor toAt(const Tensor &t);           // copies
Tensor fromAt(const at::Tensor &t);         // copies (makes contiguous)
// Same, back to a declared uint16/32/64 dtype for tensors the executor held widened.
Tensor fromAt(const at::Tensor &t, DType declared);
bool isWidened(DType t);
// ONNX TensorProto data_type code -> at::ScalarType (for Cast 'to', ConstantOfShape, ...).
at::ScalarType onnxTypeToScalar(int64_t onnxType, const Node &node);
// Normalises a possibly negative axis against rank; throws naming the node when out of range.
int64_t normAxis(int64_t axis, int64_t rank, const Node &node);
// Same for kernels that keep only the node's label; the axis must lie in [-rank, rank).
int64_t axisFor(int64_t axis, int64_t rank, const std::string &label);
// Reads a 1-D int64/int32 tensor as a vector.
std::vector<int64_t> toIntVector(const at::Tensor &t);

} // namespace qs::rt
