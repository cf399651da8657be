#pragma once
// Bias correction (ALGORITHMS.md §3): quantizing weights shifts each layer's mean output; the
// bias absorbs the shift so the quantized model's outputs stay unbiased.
//  - Empirical: per layer, in execution order, b -= mean over batch and positions of
//    (y_q - y_fp) per output channel, measured on calibration data with the quantized model's
//    earlier corrections already in place (AIMET's correct_bias). Done in a single pass: the
//    quantized model runs the whole calibration set as one batch and each layer's output is
//    corrected as it is produced, which equals correcting layer by layer.
//  - Analytical: b -= (sum over kernel positions of W_q - W) . E[x], with E[x] per input channel
//    from the statistics of the layer feeding it (a folded BN or measured, layerstats.h) through
//    its activation: none, ReLU or any clamp (ReLU6 and per-channel clamps), x ~ N(mean, std^2).
//    Layers without input statistics fall back to empirical when data is given.
// W_q comes from a QuantSim built with the given options (its parameter encodings). Works on a
// copy; the result is the FP32 graph with corrected biases (layers without one get one).

#include "core/error.h"
#include "core/tensor.h"
#include "equalize/layerstats.h"
#include "graph/graph.h"
#include "quant/quantsim.h"

#include <string>
#include <vector>

namespace qs {

enum class BiasCorrectionMethod { Empirical, Analytical };

struct BiasCorrectionOptions {
    BiasCorrectionMethod method = BiasCorrectionMethod::Empirical;
    QuantSimOptions quant; // the quantization the model is corrected for
    // Quantize activations too while measuring (the calibration data then also calibrates the
    // activation encodings). AIMET turns every output quantizer off: weights only.
    bool quantizeActivations = false;
    int batch = 32; // batch size of the FP32 and calibration passes
};

struct CorrectedBias {
    std::string layer;
    std::string method;         // "empirical" or "analytical"
    std::vector<double> shift;  // subtracted from the bias, per output channel
};

struct SkippedBias {
    std::string layer;
    std::string reason;
};

struct BiasCorrectionReport {
    std::vector<CorrectedBias> corrected;
    std::vector<SkippedBias> skipped;
    double seconds = 0;
};

struct BiasCorrectionResult {
    Graph graph;
    BiasCorrectionReport report;
};

// `data`: calibration inputs for the first graph input, one N x ... float32 tensor (not needed
// by the analytical method when every layer has input statistics). `stats`: layer output
// statistics for the analytical method.
Result<BiasCorrectionResult> correctBias(const Graph &graph, const Tensor &data, const BiasCorrectionOptions &options,
                                         const LayerStatsTable &stats = {});

// --- the formulas, for tests and tools -------------------------------------------------------

// E[clamp(x, lo, hi)] for x ~ N(mean, std^2); lo / hi may be -inf / +inf.
double clampedNormalMean(double mean, double std, double lo, double hi);

// Expected input per channel of the layer node `layer`: walks back from its data input through
// clamps (Relu, Clip, Min, Max), zero Pads and average pooling to a layer with statistics.
// Empty with *why set when there is none.
std::vector<double> layerInputExpectation(const Graph &graph, const LayerStatsTable &stats,
                                          const std::string &layer, std::string *why = nullptr);

} // namespace qs
