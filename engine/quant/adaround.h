#pragma once
// AdaRound (ALGORITHMS.md §4): instead of rounding each weight to the nearest grid point, learn
// per weight whether to round down or up so that the layer's output on real data stays close
// to the FP32 model's. Layers are optimized one by one in execution order; each sees the inputs
// the partly rounded model produces (weights quantized, earlier layers already AdaRounded,
// activations in float as in AIMET) and is fitted to the FP32 model's output of the same layer.
//   W~ = s * (clamp(floor(W/s) + h(a) - o, 0, steps) + o),  h(a) = clamp(sigmoid(a)(z-g) + g, 0, 1)
//   loss = mean over samples and positions of ||W~x - Wx||^2 over channels
//        + reg * sum(1 - |2h - 1|^beta)   (after the warm start; beta cosine-annealed)
// Adam on a only; at the end a >= 0 rounds up. The result is the model with the rounded weights
// (exactly on their grids) and the parameter encodings used, to be frozen in a QuantSim.
// Public header: no LibTorch.

#include "core/error.h"
#include "core/tensor.h"
#include "graph/graph.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

class Job;

struct AdaroundOptions {
    int iterations = 10000;   // per layer (AIMET's default); 0 keeps nearest rounding
    int batchSize = 32;       // samples per optimization step
    double regParam = 0.01;
    double betaStart = 20;
    double betaEnd = 2;
    double warmStart = 0.2;   // fraction of iterations without the rounding term
    double learningRate = 1e-3;
    int passBatch = 64;       // batch size of the passes that collect layer inputs and outputs
    // Memory for the cached FP32 layer outputs of one group of layers; more layers per group
    // means fewer passes over the data.
    int64_t cacheBudgetBytes = int64_t(1) << 30;
    uint64_t seed = 0;
};

struct AdaroundLayerReport {
    std::string layer;
    std::string weight;
    int64_t weights = 0;
    double roundedUpChanged = 0; // fraction of weights rounded differently from nearest
    double mseNearest = 0;       // reconstruction error (per element) with nearest rounding
    double mseAdarounded = 0;    // same with the learned rounding
    double seconds = 0;
};

struct AdaroundSkipped {
    std::string layer;
    std::string reason;
};

struct AdaroundReport {
    std::vector<AdaroundLayerReport> layers;
    std::vector<AdaroundSkipped> skipped;
    int iterations = 0;
    int64_t samples = 0;
    double seconds = 0;
};

struct AdaroundResult {
    Graph graph;                               // FP32 model with the AdaRounded weights
    std::vector<TensorEncoding> paramEncodings; // encodings of the weights (freeze them)
    AdaroundReport report;
};

// `data`: N x ... float32 inputs of the model's first input (the calibration samples).
// `quant`: the quantization the weights are rounded for (bitwidth, per channel, scheme).
Result<AdaroundResult> adaround(const Graph &graph, const Tensor &data, const QuantSimOptions &quant,
                                const AdaroundOptions &options, Job *job = nullptr);

} // namespace qs
