#include "onnx/tensorproto.h"

#include "core/fileutil.h"
#include "onnx/protoconvert.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

// raw_data and the typed fields are little-endian; the engine targets little-endian hosts only.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host required");

namespace qs::onnxio {

namespace fs = std::filesystem;
using onnx::TensorProto;

DType dtypeFromOnnx(int32_t onnxType)
{
    switch (onnxType) {
    case TensorProto::FLOAT: return DType::Float32;
    case TensorProto::DOUBLE: return DType::Float64;
    case TensorProto::FLOAT16: return DType::Float16;
    case TensorProto::INT8: return DType::Int8;
    case TensorProto::UINT8: return DType::UInt8;
    case TensorProto::INT16: return DType::Int16;
    case TensorProto::UINT16: return DType::UInt16;
    case TensorProto::UINT32: return DType::UInt32;
    case TensorProto::UINT64: return DType::UInt64;
    case TensorProto::BFLOAT16: return DType::BFloat16;
    case TensorProto::INT32: return DType::Int32;
    case TensorProto::INT64: return DType::Int64;
    case TensorProto::BOOL: return DType::Bool;
    default: return DType::Undefined;
    }
}

int32_t onnxFromDType(DType t)
{
    switch (t) {
    case DType::Float32: return TensorProto::FLOAT;
    case DType::Float64: return TensorProto::DOUBLE;
    case DType::Float16: return TensorProto::FLOAT16;
    case DType::Int8: return TensorProto::INT8;
    case DType::UInt8: return TensorProto::UINT8;
    case DType::Int16: return TensorProto::INT16;
    case DType::UInt16: return TensorProto::UINT16;
    case DType::UInt32: return TensorProto::UINT32;
    case DType::UInt64: return TensorProto::UINT64;
    case DType::BFloat16: return TensorProto::BFLOAT16;
    case DType::Int32: return TensorProto::INT32;
    case DType::Int64: return TensorProto::INT64;
    case DType::Bool: return TensorProto::BOOL;
    case DType::Undefined: break;
    }
    return TensorProto::UNDEFINED;
}

std::string onnxTypeName(int32_t onnxType)
{
    switch (onnxType) {
    case TensorProto::UNDEFINED: return "undefined";
    case TensorProto::STRING: return "string";
    case TensorProto::UINT32: return "uint32";
    case TensorProto::UINT64: return "uint64";
    case TensorProto::COMPLEX64: return "complex64";
    case TensorProto::COMPLEX128: return "complex128";
    case TensorProto::BFLOAT16: return "bfloat16";
    default: break;
    }
    const DType t = dtypeFromOnnx(onnxType);
    return t == DType::Undefined ? "type code " + std::to_string(onnxType) : dtypeName(t);
}

namespace {

std::vector<int64_t> protoDims(const TensorProto &proto)
{
    return std::vector<int64_t>(proto.dims().begin(), proto.dims().end());
}

// Number of values stored in the typed field that holds this data type.
int64_t typedFieldCount(const TensorProto &proto)
{
    switch (proto.data_type()) {
    case TensorProto::FLOAT: return proto.float_data_size();
    case TensorProto::DOUBLE: return proto.double_data_size();
    case TensorProto::INT64: return proto.int64_data_size();
    default: return proto.int32_data_size();
    }
}

std::string heldText(size_t rawBytes, size_t elemSize)
{
    if (rawBytes % elemSize == 0)
        return std::to_string(rawBytes / elemSize);
    return std::to_string(rawBytes) + " bytes";
}

[[noreturn]] void failHeld(const std::string &what, const TensorProto &proto, int64_t numel, const std::string &held)
{
    fail(ErrorCode::Invalid, what + " declares shape " + shapeString(protoDims(proto)) + " (" +
                                 std::to_string(numel) + " elements) but holds " + held);
}

std::string externalValue(const TensorProto &proto, const std::string &key)
{
    for (const auto &entry : proto.external_data())
        if (entry.key() == key)
            return entry.value();
    return {};
}

bool hasParentComponent(const std::string &location)
{
    size_t start = 0;
    while (start <= location.size()) {
        size_t end = location.find_first_of("/\\", start);
        if (end == std::string::npos)
            end = location.size();
        if (location.compare(start, end - start, "..") == 0 && end - start == 2)
            return true;
        start = end + 1;
    }
    return false;
}

int64_t parseExternalNumber(const std::string &text, const std::string &key, const std::string &prefix)
{
    if (text.empty())
        return -1;
    int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || v > (std::numeric_limits<int64_t>::max() - 9) / 10)
            fail(ErrorCode::Invalid, prefix + " has a bad " + key + " '" + text + "'");
        v = v * 10 + (c - '0');
    }
    return v;
}

// Resolves the external file of a tensor, refusing any path that leaves the model's folder.
std::string resolveExternalPath(const std::string &location, const std::string &baseDir, const std::string &prefix)
{
    if (baseDir.empty())
        fail(ErrorCode::Unsupported, prefix + " cannot be read: the model was not loaded from a file");
    const std::string outside = prefix + " lies outside the model's folder";
    if (location.empty() || fs::path(location).is_absolute() || location[0] == '/' || location[0] == '\\' ||
        hasParentComponent(location))
        fail(ErrorCode::Invalid, outside);
    const fs::path full = fs::path(baseDir) / location;
    std::error_code ec;
    if (!fs::exists(full, ec))
        fail(ErrorCode::Io, prefix + ": no such file");
    const fs::path base = fs::canonical(baseDir, ec);
    const fs::path target = ec ? fs::path() : fs::canonical(full, ec);
    if (ec)
        fail(ErrorCode::Io, prefix + ": cannot resolve (" + ec.message() + ")");
    const std::string b = base.string() + "/";
    if (target.string().compare(0, b.size(), b) != 0)
        fail(ErrorCode::Invalid, outside);
    if (!fs::is_regular_file(target, ec))
        fail(ErrorCode::Io, prefix + " is not a regular file");
    return target.string();
}

void loadExternal(TensorProto &proto, const std::string &what, int64_t numel, int64_t bytes, const std::string &baseDir)
{
    const std::string location = externalValue(proto, "location");
    if (location.empty())
        fail(ErrorCode::Invalid, what + " is stored externally but names no location");
    const std::string prefix = "external data '" + location + "' of " + what;
    const std::string path = resolveExternalPath(location, baseDir, prefix);
    const int64_t offset = std::max<int64_t>(0, parseExternalNumber(externalValue(proto, "offset"), "offset", prefix));
    int64_t length = parseExternalNumber(externalValue(proto, "length"), "length", prefix);
    std::error_code ec;
    const int64_t fileSize = int64_t(fs::file_size(path, ec));
    if (ec)
        fail(ErrorCode::Io, prefix + ": cannot read (" + ec.message() + ")");
    if (length < 0)
        length = std::max<int64_t>(0, fileSize - offset);
    const size_t esize = dtypeSize(dtypeFromOnnx(proto.data_type()));
    if (length != bytes)
        failHeld(what, proto, numel, heldText(size_t(length), esize));
    if (offset > fileSize || fileSize - offset < length)
        fail(ErrorCode::Invalid, prefix + " is too short: " + std::to_string(length) + " bytes at offset " +
                                     std::to_string(offset) + ", the file has " + std::to_string(fileSize));
    std::string data(size_t(length), '\0');
    std::ifstream in(path, std::ios::binary);
    in.seekg(offset);
    in.read(data.data(), std::streamsize(length));
    if (!in)
        fail(ErrorCode::Io, prefix + ": cannot read");
    proto.clear_external_data();
    proto.set_data_location(TensorProto::DEFAULT);
    proto.set_raw_data(std::move(data));
}

} // namespace

void validateTensor(TensorProto &proto, const std::string &what, TensorBudget &budget)
{
    const DType dtype = dtypeFromOnnx(proto.data_type());
    if (dtype == DType::Undefined)
        fail(ErrorCode::Unsupported, what + " has unsupported element type " + onnxTypeName(proto.data_type()));
    const int64_t maxI = std::numeric_limits<int64_t>::max();
    int64_t numel = 1;
    for (int64_t d : proto.dims()) {
        if (d < 0)
            fail(ErrorCode::Invalid, what + " has negative dimension " + std::to_string(d) + " in shape " +
                                         shapeString(protoDims(proto)));
        if (d != 0 && numel > maxI / d)
            fail(ErrorCode::Limit, what + " declares shape " + shapeString(protoDims(proto)) +
                                       " whose element count overflows");
        numel *= d;
    }
    const int64_t esize = int64_t(dtypeSize(dtype));
    if (numel > maxI / esize)
        fail(ErrorCode::Limit, what + " declares shape " + shapeString(protoDims(proto)) + " whose size overflows");
    const int64_t bytes = numel * esize;
    if (bytes > budget.maxBytes - budget.usedBytes) {
        if (bytes > budget.maxBytes)
            fail(ErrorCode::Limit, what + " needs " + std::to_string(bytes) + " bytes, more than the limit of " +
                                       std::to_string(budget.maxBytes) + " bytes");
        fail(ErrorCode::Limit, what + " needs " + std::to_string(bytes) + " bytes, which brings the tensors to " +
                                   std::to_string(budget.usedBytes + bytes) + " bytes, more than the limit of " +
                                   std::to_string(budget.maxBytes) + " bytes");
    }
    budget.usedBytes += bytes;

    if (proto.data_location() == TensorProto::EXTERNAL) {
        loadExternal(proto, what, numel, bytes, budget.baseDir);
        return;
    }
    if (proto.has_raw_data()) {
        if (int64_t(proto.raw_data().size()) != bytes)
            failHeld(what, proto, numel, heldText(proto.raw_data().size(), size_t(esize)));
        return;
    }
    const int64_t held = typedFieldCount(proto);
    if (held != numel)
        failHeld(what, proto, numel, std::to_string(held));
}

namespace {

template <typename T, typename Field>
void copyField(const Field &field, Tensor &t)
{
    T *dst = t.dataAs<T>();
    for (int i = 0; i < field.size(); ++i)
        dst[i] = static_cast<T>(field.Get(i));
}

void copyTypedFields(const TensorProto &proto, Tensor &t)
{
    switch (t.dtype()) {
    case DType::Float32: copyField<float>(proto.float_data(), t); break;
    case DType::Float64: copyField<double>(proto.double_data(), t); break;
    case DType::Int64: copyField<int64_t>(proto.int64_data(), t); break;
    case DType::Int32: copyField<int32_t>(proto.int32_data(), t); break;
    case DType::Int16: copyField<int16_t>(proto.int32_data(), t); break;
    case DType::UInt16:
    case DType::BFloat16:
    case DType::Float16: copyField<uint16_t>(proto.int32_data(), t); break; // float16: the bit pattern
    case DType::UInt32: copyField<uint32_t>(proto.uint64_data(), t); break;
    case DType::UInt64: copyField<uint64_t>(proto.uint64_data(), t); break;
    case DType::Int8: copyField<int8_t>(proto.int32_data(), t); break;
    case DType::UInt8: copyField<uint8_t>(proto.int32_data(), t); break;
    case DType::Bool: {
        uint8_t *dst = t.dataAs<uint8_t>();
        for (int i = 0; i < proto.int32_data_size(); ++i)
            dst[i] = proto.int32_data(i) != 0;
        break;
    }
    case DType::Undefined: break;
    }
}

} // namespace

Tensor tensorFromProto(TensorProto &proto, const std::string &what, bool release)
{
    const DType dtype = dtypeFromOnnx(proto.data_type());
    if (dtype == DType::Undefined)
        fail(ErrorCode::Unsupported, what + " has unsupported element type " + onnxTypeName(proto.data_type()));
    if (proto.data_location() == TensorProto::EXTERNAL)
        fail(ErrorCode::Internal, what + " still refers to external data");
    Tensor t(dtype, protoDims(proto));
    if (proto.has_raw_data()) {
        if (proto.raw_data().size() != t.byteSize())
            failHeld(what, proto, t.numel(), heldText(proto.raw_data().size(), dtypeSize(dtype)));
        if (t.byteSize() > 0) // an empty tensor has no storage to copy into
            std::memcpy(t.data(), proto.raw_data().data(), t.byteSize());
        if (release)
            std::string().swap(*proto.mutable_raw_data());
        return t;
    }
    if (typedFieldCount(proto) != t.numel())
        failHeld(what, proto, t.numel(), std::to_string(typedFieldCount(proto)));
    copyTypedFields(proto, t);
    if (release) {
        proto.clear_float_data();
        proto.clear_double_data();
        proto.clear_int32_data();
        proto.clear_int64_data();
    }
    return t;
}

void tensorToProto(const Tensor &tensor, const std::string &name, TensorProto *proto)
{
    proto->Clear();
    proto->set_name(name);
    proto->set_data_type(onnxFromDType(tensor.dtype()));
    for (int64_t d : tensor.shape())
        proto->add_dims(d);
    proto->set_raw_data(tensor.bytes().data(), tensor.byteSize());
}

bool valueInfoFromProto(const onnx::ValueInfoProto &proto, const std::string &what, ValueInfo &out)
{
    out = ValueInfo{};
    out.name = proto.name();
    if (!proto.type().has_tensor_type())
        return false;
    const auto &tt = proto.type().tensor_type();
    out.dtype = dtypeFromOnnx(tt.elem_type());
    if (out.dtype == DType::Undefined)
        return false;
    if (!tt.has_shape())
        return true;
    out.hasShape = true;
    for (const auto &dim : tt.shape().dim()) {
        if (dim.has_dim_value() && dim.dim_value() < 0)
            fail(ErrorCode::Invalid, what + " has negative dimension " + std::to_string(dim.dim_value()) +
                                         " in its shape");
        out.shape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
        out.dimParams.push_back(dim.has_dim_param() ? dim.dim_param() : std::string());
    }
    return true;
}

void valueInfoToProto(const ValueInfo &info, onnx::ValueInfoProto *proto)
{
    proto->set_name(info.name);
    auto *tt = proto->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnxFromDType(info.dtype));
    if (!info.hasShape)
        return;
    auto *shape = tt->mutable_shape();
    for (size_t i = 0; i < info.shape.size(); ++i) {
        auto *dim = shape->add_dim();
        if (info.shape[i] >= 0)
            dim->set_dim_value(info.shape[i]);
        else if (i < info.dimParams.size() && !info.dimParams[i].empty())
            dim->set_dim_param(info.dimParams[i]);
    }
}

} // namespace qs::onnxio

namespace qs {

Result<Tensor> readTensorProtoFile(const std::string &path)
{
    return capture(path, [&]() -> Tensor {
        const std::string bytes = readFileBytes(path, size_t(1) << 31);
        onnx::TensorProto proto;
        if (bytes.empty())
            fail(ErrorCode::Format, path + ": empty file");
        if (!proto.ParseFromString(bytes))
            fail(ErrorCode::Format, path + ": not a TensorProto (protobuf parse failed)");
        const std::string what = "tensor '" + proto.name() + "'";
        onnxio::TensorBudget budget; // no base folder: external data is refused
        onnxio::validateTensor(proto, what, budget);
        return onnxio::tensorFromProto(proto, what, true);
    });
}

} // namespace qs
