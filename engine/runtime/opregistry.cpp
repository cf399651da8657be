#include "runtime/kernel.h"

#include "core/error.h"

namespace qs::rt {

void OpRegistry::add(const std::string &opType, KernelFactory factory)
{
    m_factories[opType] = std::move(factory);
}

const KernelFactory *OpRegistry::find(const std::string &opType) const
{
    auto it = m_factories.find(opType);
    return it == m_factories.end() ? nullptr : &it->second;
}

std::vector<std::string> OpRegistry::opTypes() const
{
    std::vector<std::string> out;
    for (const auto &kv : m_factories)
        out.push_back(kv.first);
    return out;
}

const OpRegistry &OpRegistry::builtin()
{
    static const OpRegistry registry = [] {
        OpRegistry r;
        registerConvKernels(r);
        registerMatMulKernels(r);
        registerElementwiseKernels(r);
        registerActivationKernels(r);
        registerNormKernels(r);
        registerPoolKernels(r);
        registerShapeKernels(r);
        registerIndexingKernels(r);
        registerResizeKernels(r);
        registerQuantKernels(r);
        registerFusedKernels(r);
        return r;
    }();
    return registry;
}

at::ScalarType toScalarType(DType t)
{
    switch (t) {
    case DType::Float32: return at::kFloat;
    case DType::Float64: return at::kDouble;
    case DType::Float16: return at::kHalf;
    case DType::Int8: return at::kChar;
    case DType::UInt8: return at::kByte;
    case DType::Int16: return at::kShort;
    case DType::Int32: return at::kInt;
    case DType::Int64: return at::kLong;
    case DType::Bool: return at::kBool;
    case DType::BFloat16: return at::kBFloat16;
    // LibTorch 1.13 has no unsigned types wider than 8 bits: they run widened (see toAt).
    case DType::UInt16: return at::kInt;
    case DType::UInt32:
    case DType::UInt64: return at::kLong;
    case DType::Undefined: break;
    }
    fail(ErrorCode::Unsupported, std::string("tensor dtype ") + dtypeName(t) + " is not supported by the executor");
}

DType fromScalarType(at::ScalarType t)
{
    switch (t) {
    case at::kFloat: return DType::Float32;
    case at::kDouble: return DType::Float64;
    case at::kHalf: return DType::Float16;
    case at::kChar: return DType::Int8;
    case at::kByte: return DType::UInt8;
    case at::kShort: return DType::Int16;
    case at::kInt: return DType::Int32;
    case at::kLong: return DType::Int64;
    case at::kBool: return DType::Bool;
    case at::kBFloat16: return DType::BFloat16;
    default: break;
    }
    fail(ErrorCode::Unsupported, std::string("tensor type ") + c10::toString(t) + " has no project dtype");
}

bool isWidened(DType t)
{
    return t == DType::UInt16 || t == DType::UInt32 || t == DType::UInt64;
}

at::Tensor toAt(const Tensor &t)
{
    at::Tensor out = at::empty(t.shape(), at::TensorOptions().dtype(toScalarType(t.dtype())));
    if (isWidened(t.dtype())) {
        // Values of uint64 above 2^63 wrap; the node tests and real models stay far below.
        const std::vector<int64_t> v = t.toInt64s();
        at::Tensor wide = at::from_blob(const_cast<int64_t *>(v.data()), t.shape(), at::kLong);
        out.copy_(wide);
    } else if (t.byteSize()) {
        std::memcpy(out.data_ptr(), t.data(), t.byteSize());
    }
    return out;
}

Tensor fromAt(const at::Tensor &src, DType declared)
{
    if (!isWidened(declared) || !(src.scalar_type() == at::kInt || src.scalar_type() == at::kLong))
        return fromAt(src);
    at::Tensor c = src.detach().to(at::kLong).contiguous();
    Tensor out(declared, std::vector<int64_t>(c.sizes().begin(), c.sizes().end()));
    const int64_t *p = c.data_ptr<int64_t>();
    for (int64_t i = 0; i < c.numel(); ++i) {
        switch (declared) {
        case DType::UInt16: out.dataAs<uint16_t>()[i] = uint16_t(p[i]); break;
        case DType::UInt32: out.dataAs<uint32_t>()[i] = uint32_t(p[i]); break;
        default: out.dataAs<uint64_t>()[i] = uint64_t(p[i]); break;
        }
    }
    return out;
}

Tensor fromAt(const at::Tensor &src)
{
    at::Tensor c = src.detach().contiguous();
    if (c.is_mkldnn())
        c = c.to_dense();
    Tensor out(fromScalarType(c.scalar_type()), std::vector<int64_t>(c.sizes().begin(), c.sizes().end()));
    if (out.byteSize())
        std::memcpy(out.data(), c.data_ptr(), out.byteSize());
    return out;
}

at::ScalarType onnxTypeToScalar(int64_t onnxType, const Node &node)
{
    // TensorProto.DataType codes.
    switch (onnxType) {
    case 1: return at::kFloat;
    case 2: return at::kByte;
    case 3: return at::kChar;
    case 5: return at::kShort;
    case 6: return at::kInt;
    case 7: return at::kLong;
    case 9: return at::kBool;
    case 10: return at::kHalf;
    case 11: return at::kDouble;
    case 4: return at::kInt;   // uint16, widened
    case 12:                   // uint32, widened
    case 13: return at::kLong; // uint64, widened
    case 16: return at::kBFloat16;
    default: break;
    }
    fail(ErrorCode::Unsupported, node.label() + ": tensor data type " + std::to_string(onnxType) + " is not supported");
}

int64_t normAxis(int64_t axis, int64_t rank, const Node &node)
{
    const int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= std::max<int64_t>(rank, 1))
        fail(ErrorCode::Invalid, node.label() + ": axis " + std::to_string(axis) + " is out of range for rank " +
                                     std::to_string(rank));
    return a;
}

int64_t axisFor(int64_t axis, int64_t rank, const std::string &label)
{
    const int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
        fail(ErrorCode::Invalid, label + ": axis " + std::to_string(axis) + " is out of range for rank " +
                                     std::to_string(rank));
    return a;
}

std::vector<int64_t> toIntVector(const at::Tensor &t)
{
    at::Tensor c = t.to(at::kLong).contiguous().reshape({-1});
    const int64_t *p = c.data_ptr<int64_t>();
    return std::vector<int64_t>(p, p + c.numel());
}

} // namespace qs::rt
