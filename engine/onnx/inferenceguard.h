#pragma once
// Engine-internal (ONNX protos): libonnx 1.12's shape-inference functions of some operators index
// input dimensions without checking the rank first, and crash on a model whose ranks disagree
// (found by fuzzing: Conv with a rank-3 input and rank-4 weights, STFT on a rank-1 signal); its
// convolution and pooling inference also divides by the strides (MaxPool with a zero stride).
// checkInferenceInputs refuses such nodes before inference runs, and strides, dilations or kernel
// sizes below 1, with an Invalid error naming the node; where a rank is only known after
// inference, it infers the graph up to that node.

#include <onnx/onnx_pb.h>

#include <functional>

namespace qs::onnxio {

// `infer` runs libonnx's inference on a model (the guard calls it on prefixes of the graph).
void checkInferenceInputs(const onnx::ModelProto &model, const std::function<void(onnx::ModelProto &)> &infer);

} // namespace qs::onnxio
