#pragma once
// ONNX TensorProto files (.pb) as qs::Tensor, e.g. the input_N.pb / output_N.pb files of the
// ONNX backend node tests. Public header: no protobuf or ONNX types.

#include "core/error.h"
#include "core/tensor.h"

#include <string>

namespace qs {

// Reads one serialized TensorProto. Errors name the file in one line, e.g.
// "input_0.pb: not a TensorProto (protobuf parse failed)". External data is not allowed here.
Result<Tensor> readTensorProtoFile(const std::string &path);

} // namespace qs
