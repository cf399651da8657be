#pragma once
// Engine-internal (includes ONNX's protobuf classes): conversions between ONNX protos and the
// project's value types, shared by the importer, the exporter and readTensorProtoFile.
// Functions throw qs::Exception whose message starts with the tensor's description
// ("initializer 'w' ..."); callers prefix the file name.

#include "core/tensor.h"
#include "graph/graph.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

namespace qs::onnxio {

// ONNX TensorProto::DataType code -> DType (Undefined when the project has no such dtype).
DType dtypeFromOnnx(int32_t onnxType);
int32_t onnxFromDType(DType t);
// "float", "string", "bfloat16", ... for messages.
std::string onnxTypeName(int32_t onnxType);

// Budget and location rules for tensor data (initializers and tensor attributes).
struct TensorBudget {
    int64_t maxBytes = INT64_MAX; // total over all tensors checked with this budget
    int64_t usedBytes = 0;
    std::string baseDir;          // folder of the model; "" forbids external data
};

// Checks element type, dims (non-negative, overflow-safe product), the byte budget and that the
// stored data matches the declared shape, all before any allocation. External data is validated
// (path stays inside baseDir, file long enough) and read into raw_data, so that the proto is
// self-contained afterwards. `what` describes the tensor: "initializer 'w'".
void validateTensor(onnx::TensorProto &proto, const std::string &what, TensorBudget &budget);

// Converts a validated TensorProto (raw_data or typed fields, little-endian) into a Tensor.
// With `release`, the proto's data fields are cleared as they are consumed, to bound peak memory.
Tensor tensorFromProto(onnx::TensorProto &proto, const std::string &what, bool release = false);
// Tensor -> TensorProto with raw_data.
void tensorToProto(const Tensor &tensor, const std::string &name, onnx::TensorProto *proto);

// Shape/type of a value (graph input/output/value_info). Returns false when the element type is
// not a tensor type the project supports; throws on negative dims, naming `what`.
bool valueInfoFromProto(const onnx::ValueInfoProto &proto, const std::string &what, ValueInfo &out);
void valueInfoToProto(const ValueInfo &info, onnx::ValueInfoProto *proto);

} // namespace qs::onnxio
