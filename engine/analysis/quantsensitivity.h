#pragma once
// Per-layer quantization sensitivity: which weighted layers hurt most when quantized. For every
// layer, the model runs with only that layer's weight quantized ("alone") and with every weight
// but that layer's quantized ("all but"), using the given parameter encodings (a QuantSim's).
// Measured on one batch: SQNR of the first model output against FP32 and top-1 against labels.
// Public header: no Qt, no LibTorch. Pure apart from the executors it creates.

#include "core/error.h"
#include "core/tensor.h"
#include "graph/graph.h"
#include "quant/encodingsfile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

class Job;

struct LayerQuantSensitivity {
    std::string layer;  // node name, as in LayerCost
    std::string opType;
    std::string weight; // initializer name
    double sqnrAlone = 0;   // dB; kMaxSqnr when the output did not change
    double top1Alone = 0;
    double sqnrAllBut = 0;
    double top1AllBut = 0;
};

constexpr double kMaxSqnr = 150.0;

// SQNR in dB of `test` against `reference` (same element count): 10 log10(sum r^2 / sum (r - t)^2),
// capped at kMaxSqnr.
double sqnrDb(const std::vector<float> &reference, const std::vector<float> &test);

// Quantize-dequantize of a weight with its encoding (one, or one per channel along channelAxis).
// Throws qs::Exception naming the tensor when the channel count does not match.
Tensor fakeQuantizeWeight(const Tensor &weight, const TensorEncoding &encoding);

// `input`: N x ... float32 batch of the first graph input; `labels`: N class indices (-1 = none;
// top-1 is then 0). Layers whose weight has no encoding are skipped. Progress: one step per run.
Result<std::vector<LayerQuantSensitivity>> computeQuantSensitivity(const Graph &graph,
                                                                   const std::vector<TensorEncoding> &encodings,
                                                                   const Tensor &input,
                                                                   const std::vector<int64_t> &labels,
                                                                   Job *job = nullptr);

} // namespace qs
