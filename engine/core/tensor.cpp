#include "tensor.h"

#include "error.h"
#include "limits.h"

#include <sstream>

namespace qs {

const char *dtypeName(DType t)
{
    switch (t) {
    case DType::Float32: return "float32";
    case DType::Float64: return "float64";
    case DType::Float16: return "float16";
    case DType::BFloat16: return "bfloat16";
    case DType::UInt32: return "uint32";
    case DType::UInt64: return "uint64";
    case DType::Int8: return "int8";
    case DType::UInt8: return "uint8";
    case DType::Int16: return "int16";
    case DType::UInt16: return "uint16";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
    case DType::Bool: return "bool";
    case DType::Undefined: return "undefined";
    }
    return "undefined";
}

size_t dtypeSize(DType t)
{
    switch (t) {
    case DType::Float64:
    case DType::Int64:
    case DType::UInt64: return 8;
    case DType::Float32:
    case DType::Int32:
    case DType::UInt32: return 4;
    case DType::BFloat16:
    case DType::Float16:
    case DType::Int16:
    case DType::UInt16: return 2;
    case DType::Int8:
    case DType::UInt8:
    case DType::Bool: return 1;
    case DType::Undefined: return 0;
    }
    return 0;
}

int64_t shapeNumel(const std::vector<int64_t> &shape)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::string shapeString(const std::vector<int64_t> &shape)
{
    std::ostringstream os;
    os << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        os << (i ? "," : "") << shape[i];
    os << ']';
    return os.str();
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape) : m_dtype(dtype), m_shape(std::move(shape))
{
    for (int64_t d : m_shape)
        if (d < 0)
            fail(ErrorCode::Invalid, "negative dimension in tensor shape " + shapeString(m_shape));
    const int64_t bytes = checkedByteSize(m_shape, dtypeSize(dtype));
    if (bytes < 0)
        fail(ErrorCode::Limit, "tensor shape " + shapeString(m_shape) + " is too large");
    m_bytes.assign(size_t(bytes), 0);
}

Tensor Tensor::fromFloats(std::vector<int64_t> shape, const std::vector<float> &values)
{
    Tensor t(DType::Float32, std::move(shape));
    if (size_t(t.numel()) != values.size())
        fail(ErrorCode::Invalid, "tensor of shape " + shapeString(t.shape()) + " given " +
                                     std::to_string(values.size()) + " values");
    if (!values.empty()) // empty tensors have no storage: memcpy's pointers must not be null
        std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
    return t;
}

Tensor Tensor::fromInt64s(std::vector<int64_t> shape, const std::vector<int64_t> &values)
{
    Tensor t(DType::Int64, std::move(shape));
    if (size_t(t.numel()) != values.size())
        fail(ErrorCode::Invalid, "tensor of shape " + shapeString(t.shape()) + " given " +
                                     std::to_string(values.size()) + " values");
    if (!values.empty())
        std::memcpy(t.data(), values.data(), values.size() * sizeof(int64_t));
    return t;
}

template <typename Out>
static std::vector<Out> convertAll(const Tensor &t)
{
    const int64_t n = t.numel();
    std::vector<Out> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        switch (t.dtype()) {
        case DType::Float32: out[i] = Out(t.dataAs<float>()[i]); break;
        case DType::Float64: out[i] = Out(t.dataAs<double>()[i]); break;
        case DType::Float16: out[i] = Out(halfToFloat(t.dataAs<uint16_t>()[i])); break;
        case DType::BFloat16: out[i] = Out(bfloat16ToFloat(t.dataAs<uint16_t>()[i])); break;
        case DType::UInt32: out[i] = Out(t.dataAs<uint32_t>()[i]); break;
        case DType::UInt64: out[i] = Out(t.dataAs<uint64_t>()[i]); break;
        case DType::Int8: out[i] = Out(t.dataAs<int8_t>()[i]); break;
        case DType::UInt8: out[i] = Out(t.dataAs<uint8_t>()[i]); break;
        case DType::Int16: out[i] = Out(t.dataAs<int16_t>()[i]); break;
        case DType::UInt16: out[i] = Out(t.dataAs<uint16_t>()[i]); break;
        case DType::Int32: out[i] = Out(t.dataAs<int32_t>()[i]); break;
        case DType::Int64: out[i] = Out(t.dataAs<int64_t>()[i]); break;
        case DType::Bool: out[i] = Out(t.dataAs<uint8_t>()[i] != 0); break;
        case DType::Undefined: break;
        }
    }
    return out;
}

std::vector<float> Tensor::toFloats() const { return convertAll<float>(*this); }
std::vector<int64_t> Tensor::toInt64s() const { return convertAll<int64_t>(*this); }

void Tensor::reshape(std::vector<int64_t> shape)
{
    if (shapeNumel(shape) != numel())
        fail(ErrorCode::Invalid, "cannot reshape " + shapeString(m_shape) + " to " + shapeString(shape));
    m_shape = std::move(shape);
}

float halfToFloat(uint16_t h)
{
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {
            exp = 127 - 15 + 1;
            while (!(mant & 0x400)) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ff;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000 | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bfloat16ToFloat(uint16_t b)
{
    const uint32_t bits = uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

uint16_t floatToHalf(float f)
{
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000);
    const int32_t exp = int32_t((x >> 23) & 0xff) - 127 + 15;
    uint32_t mant = x & 0x7fffff;
    if (((x >> 23) & 0xff) == 0xff)
        return uint16_t(sign | 0x7c00 | (mant ? 0x200 : 0));
    if (exp >= 0x1f)
        return uint16_t(sign | 0x7c00);
    if (exp <= 0) {
        if (exp < -10)
            return sign;
        mant |= 0x800000;
        const uint32_t shift = uint32_t(14 - exp);
        uint32_t half = mant >> shift;
        const uint32_t rem = mant & ((1u << shift) - 1);
        const uint32_t mid = 1u << (shift - 1);
        if (rem > mid || (rem == mid && (half & 1)))
            ++half;
        return uint16_t(sign | half);
    }
    uint32_t half = (uint32_t(exp) << 10) | (mant >> 13);
    const uint32_t rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1)))
        ++half;
    return uint16_t(sign | half);
}

} // namespace qs
