#pragma once
// Quantization flags shared by `quantize` and `bench --quantsim`.

#include "cliargs.h"

#include "analysis/quantrun.h"
#include "quant/quantsim.h"

#include <vector>

namespace qs::cli {

std::vector<OptionSpec> quantOptionSpecs();
// --scheme tf|tf_enhanced|percentile, --percentile P, --param-bw B, --act-bw B, --per-channel,
// --config FILE. Unsupported values are errors (exit 1), malformed numbers usage errors.
QuantSimOptions quantSimOptionsFromArgs(const Args &args);

// Post-training fixes run on the FP32 model before the QuantSim is built (`quantize` only).
std::vector<OptionSpec> postTrainingOptionSpecs();
// The quantization flags plus --fold-bn, --cle, --hba exact|approximate (needs --cle),
// --bias-correction empirical|analytical, --adaround [--adaround-iterations N]
// [--adaround-batches N]. Other values, --hba without --cle and --adaround with
// --bias-correction (the learned rounding already keeps layer outputs unbiased) are usage errors.
// High-bias absorption is off unless asked for: on the real MobileNet it costs bias correction
// 2 points (56.5% -> 54.5%).
QuantRunSettings quantRunSettingsFromArgs(const Args &args);

} // namespace qs::cli
