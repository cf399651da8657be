#pragma once
// One post-training quantization run, as `quantscope-cli quantize` does it: FP32 accuracy, then
// BN folding / cross-layer scaling / high-bias absorption / bias correction on a copy of the
// model, QuantSim calibration and the simulated accuracy. The desktop application runs this as a
// job; its figures are the command's for the same settings. Public header: no Qt, no LibTorch.

#include "analysis/quantsensitivity.h"
#include "core/error.h"
#include "equalize/biascorrection.h"
#include "equalize/equalize.h"
#include "eval/evaluation.h"
#include "graph/graph.h"
#include "quant/adaround.h"
#include "quant/quantsim.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

struct QuantRunSettings {
    CalibrationScheme scheme = CalibrationScheme::SqnrSearch;
    double percentile = 99.99;
    int paramBitwidth = 8;
    int activationBitwidth = 8;
    bool perChannel = false;      // false: the config's default (per-tensor)
    bool foldBatchNorms = false;
    bool crossLayerScale = false; // implies foldBatchNorms
    std::optional<bool> absorbHighBias; // exact (true) or approximate; needs crossLayerScale
    std::optional<BiasCorrectionMethod> biasCorrection;
    bool adaround = false;       // excludes biasCorrection, as in the command
    int adaroundIterations = 2000; // the command's default
    int adaroundBatches = 0;     // calibration batches AdaRound uses (0 = all calibration samples)
    int64_t calibOffset = 0;
    int64_t calibSamples = 500;
    int64_t evalOffset = 0;
    int64_t evalLimit = -1;
    int batch = 32;
    int loaderThreads = 0;
    int sensitivitySamples = 0; // > 0: per-layer sensitivity on the first N evaluation records
    std::optional<QuantsimConfig> config; // a quantsim config file's contents (default: the built-in one)
};

// The QuantSim options the settings stand for (the command's quantSimOptionsFromArgs + --cle clamps).
QuantSimOptions quantSimOptions(const QuantRunSettings &settings);
// "W8A8 tf_enhanced, per-channel, CLE, BC empirical" style label of a configuration.
std::string describeSettings(const QuantRunSettings &settings);

struct QuantRunResult {
    EvalResult fp32;
    EvalResult quantized;
    int quantizers = 0;
    bool perChannel = false;
    std::vector<StepTime> steps;
    std::shared_ptr<QuantSim> sim; // calibrated; its graph() is the prepared FP32 model
    std::optional<AdaroundReport> adaround;
    std::vector<LayerQuantSensitivity> sensitivity;
};

// Errors name the model (`modelName`) and the step; a cancelled job gives ErrorCode::Cancelled.
// `graph` is not modified.
Result<QuantRunResult> runQuantization(const Graph &graph, const std::string &modelName, const Dataset &data,
                                       const Preprocess &pre, const QuantRunSettings &settings, Job *job = nullptr);

} // namespace qs
