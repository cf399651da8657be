// "tf_enhanced": the SQNR grid search of AIMET's C++ TfEnhancedEncodingAnalyzer (512-bin PDF whose
// range is fixed by the first non-zero batch). Chosen over the torch v2 SqnrEncodingAnalyzer
// (2048 bins, growing histogram) because aimet_onnx, whose quantsim Quantscope follows, calibrates
// through this C++ analyzer, and because AIMET's numeric test vectors (ALGORITHMS.md §10) were
// produced by it. Known consequence kept on purpose: values of later batches outside the first
// batch's range (widened 3x) are not counted.

#include "quant/analyzer_internal.h"

#include <cmath>
#include <limits>
#include <vector>

namespace qs {

namespace {

constexpr int kBins = 512;        // AIMET's PDF_SIZE
constexpr double kGamma = 3.0;    // weight of saturation error against quantization error
constexpr double kMinRange = 0.01;

struct Candidate {
    double delta;
    int64_t offset;
};

class SqnrSearchAnalyzer final : public EncodingAnalyzer {
public:
    void update(const float *data, int64_t count) override;
    bool hasData() const override { return !m_range.empty(); }
    Encoding compute(const EncodingOptions &options) const override;
    void reset() override;
    double observedMin() const override { return m_range.min(); }
    double observedMax() const override { return m_range.max(); }

private:
    bool initialized() const { return !m_pdf.empty(); }
    void initialize(float batchLo, float batchHi);
    double binLeft(int i) const { return m_start + i * m_step; }
    double binMid(int i) const { return binLeft(i) + m_step / 2; }
    bool histogramRange(double &lo, double &hi) const;
    std::vector<Candidate> asymmetricCandidates(double lo, double hi, double numSteps) const;
    std::vector<Candidate> symmetricCandidates(double lo, double hi, double numSteps, bool unsignedOk) const;
    double cost(const Candidate &c, double numSteps) const;

    FiniteRange m_range;
    // Bin i holds the values nearest to m_start + i*m_step. Kept in double (AIMET uses float) so
    // that bins narrower than a float's spacing, as for a constant near 1e30, stay distinct.
    double m_start = 0;
    double m_step = 0;
    std::vector<double> m_pdf;     // mean over batches of each batch's normalised histogram
    std::vector<int64_t> m_counts; // scratch for one batch
    int64_t m_batches = 0;
};

void SqnrSearchAnalyzer::initialize(float batchLo, float batchHi)
{
    // A constant batch spans kMinRange, or a millionth of its value when that is wider (above
    // 1e4, where AIMET's float lo + 0.01 loses the 0.01).
    double lo = batchLo, hi = batchHi;
    if (lo == hi)
        hi = lo + std::max(kMinRange, std::abs(lo) * 1e-6);
    const double centre = (hi + lo) / 2;
    lo = centre - 3 * (centre - lo);
    hi = centre + 3 * (hi - centre);
    m_start = lo;
    m_step = (hi - lo) / kBins;
    m_pdf.assign(kBins, 0.0);
    m_counts.assign(kBins, 0);
    m_batches = 0;
}

void SqnrSearchAnalyzer::update(const float *data, int64_t count)
{
    FiniteRange batch;
    batch.add(data, count);
    if (batch.empty())
        return;
    m_range.merge(batch);
    if (!initialized()) {
        // An all-zero batch cannot place the histogram, so (as in AIMET) it is not counted.
        if (batch.lo == 0.0f && batch.hi == 0.0f)
            return;
        initialize(batch.lo, batch.hi);
    }

    std::fill(m_counts.begin(), m_counts.end(), 0);
    const double start = m_start - m_step / 2; // bins are centred on their left edge, as in AIMET
    const double perBin = 1.0 / m_step;
    int64_t *counts = m_counts.data();
    for (int64_t i = 0; i < count; ++i) {
        const double t = (double(data[i]) - start) * perBin; // NaN and inf fail the test below
        if (t >= 0.0 && t < double(kBins))
            ++counts[int(t)];
    }
    const double n = double(batch.count);
    const double previous = double(m_batches);
    for (int i = 0; i < kBins; ++i)
        m_pdf[i] = (m_pdf[i] * previous + double(counts[i]) / n) / (previous + 1.0);
    ++m_batches;
}

void SqnrSearchAnalyzer::reset()
{
    m_range = FiniteRange();
    m_pdf.clear();
    m_counts.clear();
    m_batches = 0;
    m_start = m_step = 0;
}

// First and last occupied bins, widened to include 0 and to at least kMinRange.
bool SqnrSearchAnalyzer::histogramRange(double &lo, double &hi) const
{
    int first = 0;
    while (first < kBins && m_pdf[first] <= 0.0)
        ++first;
    if (first == kBins)
        return false;
    int last = kBins - 1;
    while (last > first && m_pdf[last] <= 0.0)
        --last;
    lo = std::min(binLeft(first), 0.0);
    hi = std::max(binLeft(last), 0.0);
    hi = std::max(hi, lo + kMinRange);
    return true;
}

// 17 deltas (1/16 .. 17/16 of the full-range delta) x 21 offsets spread over [-numSteps, 0],
// each clamped into the observed range; candidates wider than the range on both sides are
// dropped. The observed range itself is the last candidate.
std::vector<Candidate> SqnrSearchAnalyzer::asymmetricCandidates(double lo, double hi, double numSteps) const
{
    const double observedDelta = (hi - lo) / numSteps;
    const auto observedOffset = int64_t(std::round(lo / observedDelta));
    const double observedMin = observedDelta * double(observedOffset);
    const double observedMax = observedMin + observedDelta * numSteps;

    std::vector<Candidate> out;
    out.reserve(17 * 21 + 1);
    for (int k = 1; k <= 17; ++k) {
        const double delta = observedDelta * k / 16.0;
        for (int i = 0; i <= 20; ++i) {
            const auto offset = int64_t(-numSteps + numSteps / 20.0 * i); // truncation, as AIMET
            double testMin = delta * double(offset);
            double testMax = testMin + delta * numSteps;
            if (testMin < observedMin && testMax > observedMax)
                continue;
            testMin = std::max(observedMin, testMin);
            testMax = std::min(observedMax, testMax);
            const double clampedDelta = (testMax - testMin) / numSteps;
            if (!(clampedDelta > 0.0))
                continue; // collapsed onto one point (AIMET's cost is NaN there, so never picked)
            out.push_back({clampedDelta, int64_t(std::round(testMin / clampedDelta))});
        }
    }
    out.push_back({observedDelta, observedOffset});
    return out;
}

// 101 deltas (0.01 .. 1.01 of the full-range delta) on the signed grid, or on the unsigned grid
// [0, max] when the data has no negative part and unsigned symmetric is allowed.
std::vector<Candidate> SqnrSearchAnalyzer::symmetricCandidates(double lo, double hi, double numSteps,
                                                               bool unsignedOk) const
{
    double deltaMax;
    int64_t offset;
    if (lo == 0.0 && unsignedOk) {
        deltaMax = hi / numSteps;
        offset = 0;
    } else {
        deltaMax = 2.0 * std::max(std::abs(lo), std::abs(hi)) / numSteps;
        offset = int64_t(std::floor(-numSteps / 2));
    }
    std::vector<Candidate> out;
    out.reserve(101);
    for (int k = 1; k <= 101; ++k)
        out.push_back({deltaMax * k / 100.0, offset});
    return out;
}

// kGamma * saturation + quantization error of the histogram, each bin standing at its midpoint.
// Bins outside the grid saturate to the midpoint of the bin holding the grid's end, as in AIMET.
// Two deliberate departures: a grid wholly above or below the histogram saturates every bin to
// its actual end (AIMET's clamped edge bin makes a grid at 1% of a negative constant's size the
// "cheapest" symmetric one), and the grid's own numSteps is used (AIMET's cost always takes
// 2^bw-1, one step too many for strict symmetric).
double SqnrSearchAnalyzer::cost(const Candidate &c, double numSteps) const
{
    const double gridMin = c.delta * double(c.offset);
    const double gridMax = gridMin + c.delta * numSteps;
    const double minPos = std::floor((gridMin - binLeft(0)) / m_step);
    const double maxPos = std::floor((gridMax - binLeft(0)) / m_step);
    const auto squaredDistance = [this](double to) {
        double sum = 0.0;
        for (int i = 0; i < kBins; ++i)
            sum += m_pdf[i] * (binMid(i) - to) * (binMid(i) - to);
        return sum;
    };
    if (minPos > kBins - 1)
        return kGamma * squaredDistance(gridMin);
    if (maxPos < 0)
        return kGamma * squaredDistance(gridMax);

    const int minBin = int(std::max(minPos, 0.0));
    const int maxBin = int(std::min(maxPos, double(kBins - 1)));
    const double lowEdge = binMid(minBin);
    const double highEdge = binMid(maxBin);
    double saturation = 0.0;
    for (int i = 0; i < minBin; ++i)
        saturation += m_pdf[i] * (binMid(i) - lowEdge) * (binMid(i) - lowEdge);
    for (int i = maxBin; i < kBins; ++i)
        saturation += m_pdf[i] * (binMid(i) - highEdge) * (binMid(i) - highEdge);

    double quantization = 0.0;
    const double offset = double(c.offset);
    for (int i = minBin; i < maxBin; ++i) {
        const double x = binMid(i);
        const double xq = c.delta * (std::round(x / c.delta - offset) + offset);
        quantization += m_pdf[i] * (x - xq) * (x - xq);
    }
    return kGamma * saturation + quantization;
}

Encoding SqnrSearchAnalyzer::compute(const EncodingOptions &options) const
{
    Encoding e;
    e.bitwidth = std::clamp(options.bitwidth, 2, 32);
    e.symmetric = options.symmetric;
    double numSteps = std::ldexp(1.0, e.bitwidth) - 1.0;
    if (options.symmetric && options.strictSymmetric)
        numSteps -= 1.0;

    double lo = 0, hi = 0;
    Candidate best{0.0, 0};
    if (initialized() && histogramRange(lo, hi)) {
        const std::vector<Candidate> candidates = options.symmetric
            ? symmetricCandidates(lo, hi, numSteps, options.unsignedSymmetric)
            : asymmetricCandidates(lo, hi, numSteps);
        double bestCost = std::numeric_limits<double>::infinity();
        for (const Candidate &c : candidates) {
            const double v = cost(c, numSteps);
            if (v < bestCost) {
                bestCost = v;
                best = c;
            }
        }
    }
    if (!(best.delta > 0.0)) {
        // Only zeros (or nothing) seen: AIMET's fallback grid over [-1, 1], on which 0 is exact.
        best.delta = 2.0 / numSteps;
        best.offset = int64_t(std::floor(-1.0 / best.delta));
    }
    e.scale = best.delta;
    e.offset = best.offset;
    e.min = best.delta * double(best.offset);
    e.max = e.min + best.delta * numSteps;
    return e;
}

} // namespace

std::unique_ptr<EncodingAnalyzer> makeSqnrSearchAnalyzer()
{
    return std::make_unique<SqnrSearchAnalyzer>();
}

} // namespace qs
