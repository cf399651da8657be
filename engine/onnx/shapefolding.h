#pragma once
// Engine-internal (ONNX protos): shape inference that sees through shape computations.
// Exporters often compute Pad/Reshape/Slice arguments at run time (Shape -> Gather -> Sub ->
// Concat -> ...), which leaves ONNX's own inference without static shapes downstream. Here
// ONNX shape inference runs on a weight-free copy of the model; between rounds, integer
// tensors whose values are fully known are evaluated and turned into initializers of the copy,
// until nothing new folds. The model itself is not changed.

#include <onnx/onnx_pb.h>

namespace qs::onnxio {

// Returns the copy's graph: inputs, outputs and value_info carry the inferred types (folded
// tensors included). Throws qs::Exception (Invalid) when the first inference round fails.
onnx::GraphProto inferShapesWithFolding(const onnx::ModelProto &model);

} // namespace qs::onnxio
