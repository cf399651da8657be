#pragma once
// Quantization flags shared by `quantize` and `bench --quantsim`.

#include "cliargs.h"

#include "equalize/biascorrection.h"
#include "quant/adaround.h"
#include "quant/quantsim.h"

#include <optional>
#include <vector>

namespace qs::cli {

std::vector<OptionSpec> quantOptionSpecs();
// --scheme tf|tf_enhanced|percentile, --percentile P, --param-bw B, --act-bw B, --per-channel,
// --config FILE. Unsupported values are errors (exit 1), malformed numbers usage errors.
QuantSimOptions quantSimOptionsFromArgs(const Args &args);

// Post-training fixes run on the FP32 model before the QuantSim is built (`quantize` only).
struct PostTrainingFlags {
    bool foldBatchNorms = false;
    bool crossLayerScale = false; // implies foldBatchNorms
    // High-bias absorption after cross-layer scaling: exact (true) or approximate (false); off by
    // default, since on the real MobileNet it costs bias correction 2 points (56.5% -> 54.5%).
    std::optional<bool> absorbHighBias;
    std::optional<BiasCorrectionMethod> biasCorrection;
    std::optional<AdaroundOptions> adaround;
    int adaroundBatches = 0; // calibration batches AdaRound uses (0 = all calibration samples)
};

std::vector<OptionSpec> postTrainingOptionSpecs();
// --fold-bn, --cle, --hba exact|approximate (needs --cle), --bias-correction empirical|analytical,
// --adaround [--adaround-iterations N] [--adaround-batches N]. Other values, --hba without --cle
// and --adaround with --bias-correction (the learned rounding already removes the bias) are
// usage errors.
PostTrainingFlags postTrainingFlagsFromArgs(const Args &args);

} // namespace qs::cli
