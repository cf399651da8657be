// "percentile": a 2048-bin histogram that grows with the data (as AIMET's torch v2
// PercentileEncodingAnalyzer), the (100-p)-th and p-th percentiles read from its cumulative sum,
// then the usual range adjustments of computeEncoding (0 included, at least 0.01 wide).
// All-zero data (or none) therefore gives [0, 0.01], like "tf".

#include "quant/analyzer_internal.h"

#include <cmath>
#include <vector>

namespace qs {

namespace {

constexpr int kBins = 2048;

class PercentileAnalyzer final : public EncodingAnalyzer {
public:
    explicit PercentileAnalyzer(double percentile)
        : m_percentile(std::isnan(percentile) ? 100.0 : std::clamp(percentile, 50.0, 100.0))
    {}
    void update(const float *data, int64_t count) override;
    bool hasData() const override { return !m_range.empty(); }
    Encoding compute(const EncodingOptions &options) const override;
    void reset() override;
    double observedMin() const override { return m_range.min(); }
    double observedMax() const override { return m_range.max(); }

private:
    double binWidth() const { return (m_hi - m_lo) / kBins; }
    void grow(double lo, double hi);
    int binAtCount(double target) const;

    double m_percentile;
    FiniteRange m_range;
    double m_lo = 0, m_hi = 0;    // histogram edges: bin i is [m_lo + i*w, m_lo + (i+1)*w)
    std::vector<double> m_hist;   // counts (whole numbers; doubles so re-binning can split them)
    std::vector<double> m_scratch;
};

void PercentileAnalyzer::update(const float *data, int64_t count)
{
    FiniteRange batch;
    batch.add(data, count);
    if (batch.empty())
        return;
    m_range.merge(batch);
    if (m_hist.empty()) {
        m_lo = batch.lo;
        m_hi = batch.hi;
        if (m_lo == m_hi) { // torch.histc's rule for a constant input, kept non-empty near FLT_MAX
            const double half = std::max(0.5, std::abs(m_lo) * 1e-6);
            m_lo -= half;
            m_hi += half;
        }
        m_hist.assign(kBins, 0.0);
    } else if (batch.lo < m_lo || batch.hi > m_hi) {
        grow(std::min(m_lo, double(batch.lo)), std::max(m_hi, double(batch.hi)));
    }

    const double lo = m_lo;
    const double scale = kBins / (m_hi - m_lo);
    double *hist = m_hist.data();
    for (int64_t i = 0; i < count; ++i) {
        const float v = data[i];
        if (!(std::abs(v) <= FLT_MAX))
            continue;
        const auto bin = int64_t((double(v) - lo) * scale); // v >= lo, so truncation is floor
        hist[std::min<int64_t>(bin, kBins - 1)] += 1.0;
    }
}

// Re-bins the histogram onto the wider range [lo, hi]. A destination bin is at least as wide as a
// source bin, so each source bin's count goes to one bin or splits, in proportion, over two.
void PercentileAnalyzer::grow(double lo, double hi)
{
    const double srcWidth = binWidth();
    const double dstWidth = (hi - lo) / kBins;
    const auto dstBin = [&](double v) {
        return int(std::clamp(std::floor((v - lo) / dstWidth), 0.0, double(kBins - 1)));
    };
    m_scratch.assign(kBins, 0.0);
    for (int i = 0; i < kBins; ++i) {
        const double c = m_hist[i];
        if (c == 0.0)
            continue;
        const double srcStart = m_lo + srcWidth * i;
        const int d = dstBin(srcStart);
        const double dstEnd = lo + dstWidth * (d + 1);
        const double part = std::clamp(std::round((dstEnd - srcStart) / srcWidth * c), 0.0, c);
        m_scratch[d] += part;
        if (part < c)
            m_scratch[std::min(d + 1, kBins - 1)] += c - part;
    }
    m_hist.swap(m_scratch);
    m_lo = lo;
    m_hi = hi;
}

// First bin whose cumulative count reaches target.
int PercentileAnalyzer::binAtCount(double target) const
{
    double cumulative = 0.0;
    for (int i = 0; i < kBins; ++i) {
        cumulative += m_hist[i];
        if (cumulative >= target)
            return i;
    }
    return kBins - 1;
}

// The low percentile is the left edge of its bin and the high one the right edge, so p = 100 gives
// exactly the observed range; both stay inside the observed range (a constant input gives [c, c]).
Encoding PercentileAnalyzer::compute(const EncodingOptions &options) const
{
    if (m_hist.empty())
        return computeEncoding(0.0, 0.0, options);
    double total = 0.0;
    for (double c : m_hist)
        total += c;
    const double fraction = m_percentile / 100.0;
    const int lowBin = binAtCount(total * (1.0 - fraction));
    const int highBin = binAtCount(total * fraction);
    const double low = std::max(m_lo + binWidth() * lowBin, m_range.min());
    const double high = std::min(m_lo + binWidth() * (highBin + 1), m_range.max());
    return computeEncoding(low, std::max(low, high), options);
}

void PercentileAnalyzer::reset()
{
    m_range = FiniteRange();
    m_hist.clear();
    m_lo = m_hi = 0;
}

} // namespace

std::unique_ptr<EncodingAnalyzer> makePercentileAnalyzer(double percentile)
{
    return std::make_unique<PercentileAnalyzer>(percentile);
}

} // namespace qs
