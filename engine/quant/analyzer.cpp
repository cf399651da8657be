// Scheme names, the factory and the "tf" analyzer. "tf_enhanced" is in analyzer_sqnr.cpp (AIMET's
// C++ 512-bin variant; the choice is explained there), "percentile" in analyzer_percentile.cpp.

#include "quant/analyzer.h"

#include "quant/analyzer_internal.h"

namespace qs {

namespace {

// AIMET's TfEncodingAnalyzer: a running min/max of all batches. computeEncoding() widens the
// range to include 0 and to at least 0.01, so all-zero data (or none) gives [0, 0.01], scale
// 0.01/(2^bw-1), offset 0; constant data c > 0 gives [0, c], on which c is exactly a grid point.
class MinMaxAnalyzer final : public EncodingAnalyzer {
public:
    void update(const float *data, int64_t count) override { m_range.add(data, count); }
    bool hasData() const override { return !m_range.empty(); }
    Encoding compute(const EncodingOptions &options) const override
    {
        return computeEncoding(m_range.min(), m_range.max(), options);
    }
    void reset() override { m_range = FiniteRange(); }
    double observedMin() const override { return m_range.min(); }
    double observedMax() const override { return m_range.max(); }

private:
    FiniteRange m_range;
};

} // namespace

bool parseCalibrationScheme(const std::string &name, CalibrationScheme &out)
{
    std::string n = name;
    const std::string prefix = "post_training_";
    if (n.compare(0, prefix.size(), prefix) == 0)
        n = n.substr(prefix.size());
    if (n == "tf")
        out = CalibrationScheme::MinMax;
    else if (n == "tf_enhanced")
        out = CalibrationScheme::SqnrSearch;
    else if (n == "percentile")
        out = CalibrationScheme::Percentile;
    else
        return false;
    return true;
}

const char *calibrationSchemeName(CalibrationScheme s)
{
    switch (s) {
    case CalibrationScheme::MinMax:
        return "tf";
    case CalibrationScheme::SqnrSearch:
        return "tf_enhanced";
    case CalibrationScheme::Percentile:
        return "percentile";
    }
    return "tf";
}

std::unique_ptr<EncodingAnalyzer> makeAnalyzer(CalibrationScheme scheme, double percentile)
{
    switch (scheme) {
    case CalibrationScheme::SqnrSearch:
        return makeSqnrSearchAnalyzer();
    case CalibrationScheme::Percentile:
        return makePercentileAnalyzer(percentile);
    case CalibrationScheme::MinMax:
        break;
    }
    return std::make_unique<MinMaxAnalyzer>();
}

} // namespace qs
