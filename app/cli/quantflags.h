#pragma once
// Quantization flags shared by `quantize` and `bench --quantsim`.

#include "cliargs.h"

#include "quant/quantsim.h"

#include <vector>

namespace qs::cli {

std::vector<OptionSpec> quantOptionSpecs();
// --scheme tf|tf_enhanced|percentile, --percentile P, --param-bw B, --act-bw B, --per-channel,
// --config FILE. Unsupported values are errors (exit 1), malformed numbers usage errors.
QuantSimOptions quantSimOptionsFromArgs(const Args &args);

} // namespace qs::cli
