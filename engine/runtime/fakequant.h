#pragma once
// Engine-internal (ATen): simulated activation quantization for inference plans.

#include "runtime/fusion.h"

#include <ATen/ATen.h>

namespace qs::rt {

// Quantize-dequantize with rounding half to even (as at::fake_quantize and ONNX Runtime's
// QuantizeLinear). Written in place when allowed and the tensor solely owns its storage; tensors
// that require grad go through at::fake_quantize_per_tensor_affine (straight-through gradient).
at::Tensor quantizeDequantize(const at::Tensor &x, const ActivationQdq &q, bool mayWriteInPlace);

} // namespace qs::rt
