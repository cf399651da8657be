#pragma once
// quantscope-cli equalize: BN folding, cross-layer scaling (ReLU6 kept exact) and high-bias
// absorption on an FP32 model, written as a new ONNX model that computes the same function.

#include "commands.h"

namespace qs::cli {

// equalize MODEL --out OUT.onnx [--hba exact|approximate|off] [--no-fold] [--no-cls]
//   [--cls-iterations N] [--data PATH [--labels FILE] [--preprocess JSON_OR_FILE] [--samples N]]
//   [--threads T] [--json]
int cmdEqualize(const Argv &argv);

} // namespace qs::cli
