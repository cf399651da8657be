#pragma once
// qs::Tensor: the plain tensor value that crosses layer boundaries (no LibTorch types).
// Dense, row-major (C order), owning its bytes. Layout of 4-D activations and weights: NCHW / OIHW.
// Copying a Tensor copies its bytes; it is a value type and not thread-safe for concurrent writes.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace qs {

enum class DType {
    Float32, Float64, Float16, BFloat16, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, Bool, Undefined
};

const char *dtypeName(DType t);
size_t dtypeSize(DType t);

int64_t shapeNumel(const std::vector<int64_t> &shape);
std::string shapeString(const std::vector<int64_t> &shape);

class Tensor {
public:
    Tensor() = default;
    Tensor(DType dtype, std::vector<int64_t> shape);
    static Tensor fromFloats(std::vector<int64_t> shape, const std::vector<float> &values);
    static Tensor fromInt64s(std::vector<int64_t> shape, const std::vector<int64_t> &values);
    static Tensor scalarFloat(float v) { return fromFloats({}, {v}); }

    DType dtype() const { return m_dtype; }
    const std::vector<int64_t> &shape() const { return m_shape; }
    int64_t dim(size_t i) const { return m_shape.at(i); }
    size_t rank() const { return m_shape.size(); }
    int64_t numel() const { return shapeNumel(m_shape); }
    size_t byteSize() const { return m_bytes.size(); }
    bool defined() const { return m_dtype != DType::Undefined; }

    void *data() { return m_bytes.data(); }
    const void *data() const { return m_bytes.data(); }
    template <typename T> T *dataAs() { return reinterpret_cast<T *>(m_bytes.data()); }
    template <typename T> const T *dataAs() const { return reinterpret_cast<const T *>(m_bytes.data()); }
    std::vector<uint8_t> &bytes() { return m_bytes; }
    const std::vector<uint8_t> &bytes() const { return m_bytes; }

    // Element values converted to float / int64 whatever the dtype (Float16 included).
    std::vector<float> toFloats() const;
    std::vector<int64_t> toInt64s() const;

    void reshape(std::vector<int64_t> shape); // same numel required

private:
    DType m_dtype = DType::Undefined;
    std::vector<int64_t> m_shape;
    std::vector<uint8_t> m_bytes;
};

float halfToFloat(uint16_t h);
float bfloat16ToFloat(uint16_t b);
uint16_t floatToHalf(float f);

} // namespace qs
