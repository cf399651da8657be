#pragma once
// Calibration analyzers: observe tensors batch by batch, then compute an Encoding.
//  - MinMax ("tf"): running min/max, widened to include 0, max >= min + 0.01.
//  - SqnrSearch ("tf_enhanced"): histogram + candidate search with saturation weight 3.0
//    (which of AIMET's two variants, and why, is documented in analyzer.cpp).
//  - Percentile: histogram, the p-th and (100-p)-th percentiles, widened to include 0.
// Pure C++; an analyzer is not thread-safe (one per quantizer / per channel).

#include "quant/encoding.h"

#include <cstdint>
#include <memory>
#include <string>

namespace qs {

enum class CalibrationScheme { MinMax, SqnrSearch, Percentile };

// "tf", "tf_enhanced", "percentile" (AIMET's post_training_* names are accepted too).
bool parseCalibrationScheme(const std::string &name, CalibrationScheme &out);
const char *calibrationSchemeName(CalibrationScheme s); // "tf", "tf_enhanced", "percentile"

class EncodingAnalyzer {
public:
    virtual ~EncodingAnalyzer() = default;
    virtual void update(const float *data, int64_t count) = 0;
    // Whether any finite value was observed.
    virtual bool hasData() const = 0;
    virtual Encoding compute(const EncodingOptions &options) const = 0;
    virtual void reset() = 0;
    // Observed raw range (before the scheme's adjustments); {0, 0} before any data.
    virtual double observedMin() const = 0;
    virtual double observedMax() const = 0;
};

std::unique_ptr<EncodingAnalyzer> makeAnalyzer(CalibrationScheme scheme, double percentile = 99.99);

} // namespace qs
