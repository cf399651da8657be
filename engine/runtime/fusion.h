#pragma once
// Inference-plan rewriting: returns a copy of the graph in which
//  - zero-constant Pad nodes feeding a 2-D Conv become the Conv's padding,
//  - BatchNormalization after a Conv is folded into the Conv's weight and bias,
//  - a Conv followed by Relu / Clip, or by Add (residual) and optionally Relu, becomes one
//    "FusedConv" node (domain "qs") that runs as a single oneDNN convolution with post-ops.
// Only exact rewrites are made (same function up to float rounding). Tensors that a rewrite
// removes are not visible in the result, so plans that expose every tensor use the original.

#include "graph/graph.h"

#include <map>
#include <set>
#include <string>

namespace qs {

// A simulated activation quantizer: q = clamp(round(x / scale) + zeroPoint, qmin, qmax),
// x' = (q - zeroPoint) * scale, rounding half to even.
struct ActivationQdq {
    float scale = 1.f;
    int64_t zeroPoint = 0;
    int64_t qmin = 0;
    int64_t qmax = 255;
};

struct FusionStats {
    int padsFolded = 0;
    int batchNormsFolded = 0;
    int activationsFused = 0;
    int addsFused = 0;
    int fusedConvs = 0;
    std::set<std::string> quantizedInKernel; // quantizers applied as FusedConv post-ops
};

// Tensors named in `keepVisible` (besides graph outputs) are never fused away, so hooks on them
// (quantizers, observers) still see them.
// Tensors in `quantizers` keep their quantize-dequantize: a FusedConv applies it as a post-op
// (recorded in stats->quantizedInKernel), otherwise the tensor stays visible for the plan to apply.
Graph fuseForInference(const Graph &graph, FusionStats *stats = nullptr,
                       const std::set<std::string> &keepVisible = {},
                       const std::map<std::string, ActivationQdq> &quantizers = {});

} // namespace qs
