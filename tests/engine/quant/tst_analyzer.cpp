// Calibration analyzers: "tf" (min/max), "tf_enhanced" (AIMET's C++ 512-bin SQNR search) and
// "percentile", on AIMET's unit-test vectors (ALGORITHMS.md §10) and hand-computed distributions.

#include "quant/analyzer.h"

#include <QTest>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace qs;

class TestAnalyzer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseSchemes_data();
    void parseSchemes();
    void minMaxRunningRange();
    void minMaxConstantAndZero();
    void nonFiniteValuesSkipped_data();
    void nonFiniteValuesSkipped();
    void extremeValues_data();
    void extremeValues();
    void resetForgetsEverything_data();
    void resetForgetsEverything();
    void tfEnhancedTensorQuantizerVector();
    void tfEnhancedGaussianRange();
    void tfEnhancedAllZeros();
    void tfEnhancedInitialZeroBatch();
    void tfEnhancedConstants();
    void tfEnhancedSymmetric();
    void tfEnhancedStrictSymmetric();
    void tfEnhancedUnsignedSymmetric();
    void tfEnhancedOutliers();
    void tfEnhancedKeepsFirstRange();
    void percentileOfIntegers();
    void percentileSigned();
    void percentileGrowingRange();
    void percentileConstantAndZero();
};

static EncodingOptions options(int bw, bool symmetric = false, bool strict = false, bool unsignedOk = true)
{
    EncodingOptions o;
    o.bitwidth = bw;
    o.symmetric = symmetric;
    o.strictSymmetric = strict;
    o.unsignedSymmetric = unsignedOk;
    return o;
}

#define QCOMPARE_NEAR(actual, expected, tol)                                                        \
    QVERIFY2(std::abs(double(actual) - double(expected)) <= double(tol),                           \
             qPrintable(QStringLiteral("%1 = %2, expected %3 +- %4")                                \
                            .arg(#actual)                                                           \
                            .arg(double(actual), 0, 'g', 10)                                        \
                            .arg(double(expected), 0, 'g', 10)                                      \
                            .arg(double(tol))))

// AIMET's test data: std::normal_distribution<float> driven by std::mt19937(seed).
static std::vector<float> normalSamples(float mean, float stddev, int count, unsigned seed = 1)
{
    std::normal_distribution<float> distribution(mean, stddev);
    std::mt19937 generator(seed);
    std::vector<float> v(count);
    for (float &x : v)
        x = distribution(generator);
    return v;
}

static Encoding analyze(CalibrationScheme scheme, const std::vector<float> &data, const EncodingOptions &o,
                        double percentile = 99.99)
{
    auto a = makeAnalyzer(scheme, percentile);
    a->update(data.data(), int64_t(data.size()));
    return a->compute(o);
}

static double sqnrDb(const std::vector<float> &data, const Encoding &e)
{
    double signal = 0, noise = 0;
    for (float x : data) {
        signal += double(x) * x;
        const double d = double(quantizeDequantize(x, e)) - x;
        noise += d * d;
    }
    return 10 * std::log10(signal / noise);
}

void TestAnalyzer::parseSchemes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("scheme");
    QTest::newRow("tf") << "tf" << true << int(CalibrationScheme::MinMax);
    QTest::newRow("tf_enhanced") << "tf_enhanced" << true << int(CalibrationScheme::SqnrSearch);
    QTest::newRow("percentile") << "percentile" << true << int(CalibrationScheme::Percentile);
    QTest::newRow("post_training_tf") << "post_training_tf" << true << int(CalibrationScheme::MinMax);
    QTest::newRow("post_training_tf_enhanced") << "post_training_tf_enhanced" << true
                                               << int(CalibrationScheme::SqnrSearch);
    QTest::newRow("post_training_percentile") << "post_training_percentile" << true
                                              << int(CalibrationScheme::Percentile);
    QTest::newRow("TF") << "TF" << false << 0;
    QTest::newRow("minmax") << "minmax" << false << 0;
    QTest::newRow("post_training_") << "post_training_" << false << 0;
    QTest::newRow("empty") << "" << false << 0;
}

void TestAnalyzer::parseSchemes()
{
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QFETCH(int, scheme);
    CalibrationScheme s = CalibrationScheme::Percentile;
    QCOMPARE(parseCalibrationScheme(name.toStdString(), s), ok);
    if (!ok)
        return;
    QCOMPARE(int(s), scheme);
    CalibrationScheme back = CalibrationScheme::MinMax;
    QVERIFY(parseCalibrationScheme(calibrationSchemeName(s), back));
    QCOMPARE(back, s);
    QVERIFY(name.endsWith(QLatin1String(calibrationSchemeName(s))));
}

void TestAnalyzer::minMaxRunningRange()
{
    auto a = makeAnalyzer(CalibrationScheme::MinMax);
    QVERIFY(!a->hasData());
    const std::vector<float> b1 = {1.0f, 3.0f, 2.0f};
    const std::vector<float> b2 = {4.0f, 5.0f};
    a->update(b1.data(), 3);
    a->update(b2.data(), 2);
    QVERIFY(a->hasData());
    QCOMPARE(a->observedMin(), 1.0);
    QCOMPARE(a->observedMax(), 5.0);
    const Encoding e = a->compute(options(8));
    QCOMPARE(e.min, 0.0); // widened to include 0
    QCOMPARE(e.max, 5.0);

    const std::vector<float> b3 = {-40.0f, 80.0f};
    a->update(b3.data(), 2);
    const Encoding f = a->compute(options(8));
    QCOMPARE(f.offset, int64_t(-85));
    QCOMPARE_NEAR(f.scale, 120.0 / 255, 1e-12);
}

// test_quantization_lib_tf_cpu.cpp SANITY_SpecialInputV0: an empty batch, then {5, 5, 5, 5}.
void TestAnalyzer::minMaxConstantAndZero()
{
    auto a = makeAnalyzer(CalibrationScheme::MinMax);
    a->update(nullptr, 0);
    QVERIFY(!a->hasData());
    const std::vector<float> fives(4, 5.0f);
    a->update(fives.data(), 4);
    const Encoding e = a->compute(options(8));
    QCOMPARE(quantizeDequantize(5.0f, e), 5.0f);

    const Encoding z = analyze(CalibrationScheme::MinMax, std::vector<float>(100, 0.0f), options(8));
    QCOMPARE(z.min, 0.0);
    QCOMPARE(z.max, 0.01);
    QCOMPARE_NEAR(z.scale, 0.01 / 255, 1e-15);
    QCOMPARE(z.offset, int64_t(0));
}

void TestAnalyzer::nonFiniteValuesSkipped_data()
{
    QTest::addColumn<int>("scheme");
    QTest::newRow("tf") << int(CalibrationScheme::MinMax);
    QTest::newRow("tf_enhanced") << int(CalibrationScheme::SqnrSearch);
    QTest::newRow("percentile") << int(CalibrationScheme::Percentile);
}

void TestAnalyzer::nonFiniteValuesSkipped()
{
    QFETCH(int, scheme);
    const float inf = std::numeric_limits<float>::infinity();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    auto a = makeAnalyzer(CalibrationScheme(scheme), 100.0);
    const std::vector<float> junk = {nan, inf, -inf};
    a->update(junk.data(), 3);
    QVERIFY(!a->hasData());
    QCOMPARE(a->observedMin(), 0.0);
    QCOMPARE(a->observedMax(), 0.0);

    const std::vector<float> mixed = {-inf, -1.0f, nan, 0.5f, 2.0f, inf};
    a->update(mixed.data(), 6);
    QVERIFY(a->hasData());
    QCOMPARE(a->observedMin(), -1.0);
    QCOMPARE(a->observedMax(), 2.0);
    const Encoding e = a->compute(options(8));
    QVERIFY(std::isfinite(e.min) && std::isfinite(e.max) && e.scale > 0);
    QVERIFY(e.min > -1.5 && e.max < 2.5);
}

void TestAnalyzer::extremeValues_data()
{
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QVector<float>>("data");
    const QList<QPair<const char *, int>> schemes = {{"tf", int(CalibrationScheme::MinMax)},
                                                     {"tf_enhanced", int(CalibrationScheme::SqnrSearch)},
                                                     {"percentile", int(CalibrationScheme::Percentile)}};
    for (const auto &[name, scheme] : schemes) {
        QTest::addRow("%s +-FLT_MAX", name) << scheme << QVector<float>{FLT_MAX, -FLT_MAX, 1.0f};
        QTest::addRow("%s constant 1e8", name) << scheme << QVector<float>(16, 1e8f);
        QTest::addRow("%s constant -3e30", name) << scheme << QVector<float>(16, -3e30f);
        QTest::addRow("%s denormal", name) << scheme << QVector<float>{1e-40f, 0.0f, 2e-40f};
    }
}

// Whatever the data, the grid is finite, has a positive scale, and holds 0; a constant comes back
// within one step.
void TestAnalyzer::extremeValues()
{
    QFETCH(int, scheme);
    QFETCH(QVector<float>, data);
    auto a = makeAnalyzer(CalibrationScheme(scheme), 100.0);
    a->update(data.data(), data.size());
    for (bool symmetric : {false, true}) {
        const Encoding e = a->compute(options(8, symmetric));
        QVERIFY(std::isfinite(e.min) && std::isfinite(e.max) && std::isfinite(e.scale));
        QVERIFY(e.scale > 0);
        QVERIFY(e.min <= 0 && e.max >= 0);
        QCOMPARE(quantizeDequantize(0.0f, e), 0.0f);
        if (data.size() == 16)
            QCOMPARE_NEAR(quantizeDequantize(data[0], e), data[0], e.scale);
    }
}

void TestAnalyzer::resetForgetsEverything_data()
{
    nonFiniteValuesSkipped_data();
}

void TestAnalyzer::resetForgetsEverything()
{
    QFETCH(int, scheme);
    auto a = makeAnalyzer(CalibrationScheme(scheme));
    const Encoding fresh = a->compute(options(8));
    QVERIFY(fresh.scale > 0);
    const std::vector<float> data = normalSamples(2, 2, 1000);
    a->update(data.data(), int64_t(data.size()));
    QVERIFY(a->hasData());
    a->reset();
    QVERIFY(!a->hasData());
    QCOMPARE(a->observedMin(), 0.0);
    QCOMPARE(a->observedMax(), 0.0);
    const Encoding after = a->compute(options(8));
    QCOMPARE(after.min, fresh.min);
    QCOMPARE(after.max, fresh.max);
    QCOMPARE(after.offset, fresh.offset);

    // And it calibrates again as new.
    const std::vector<float> other = {-1.0f, 3.0f};
    a->update(other.data(), 2);
    QCOMPARE(a->observedMin(), -1.0);
    QCOMPARE(a->observedMax(), 3.0);
}

// TestTensorQuantizer.cpp SanityTestCpu: N(2, 2), 6000 samples from std::mt19937(1), TF-enhanced
// 8-bit asymmetric -> min -6.52711, max 8.88412 (+-0.001); QDQ(5.0) = 5.0162 (+-0.001).
void TestAnalyzer::tfEnhancedTensorQuantizerVector()
{
#ifndef __GLIBCXX__
    QSKIP("AIMET's vector depends on libstdc++'s std::normal_distribution");
#endif
    const Encoding e = analyze(CalibrationScheme::SqnrSearch, normalSamples(2, 2, 6000), options(8));
    QCOMPARE_NEAR(e.min, -6.52711, 1e-3);
    QCOMPARE_NEAR(e.max, 8.88412, 1e-3);
    QCOMPARE(e.offset, int64_t(-108));
    QCOMPARE_NEAR(e.scale, (e.max - e.min) / 255, 1e-12);
    QCOMPARE_NEAR(quantizeDequantize(5.0f, e), 5.0162, 1e-3);
}

// TestTfEnhancedEncodingAnalyzer.cpp Asymmetric: the range covers 2 to 6 standard deviations.
void TestAnalyzer::tfEnhancedGaussianRange()
{
    auto a = makeAnalyzer(CalibrationScheme::SqnrSearch);
    const std::vector<float> data = normalSamples(2, 2, 6000);
    a->update(data.data(), int64_t(data.size()));
    const Encoding e = a->compute(options(8));
    QVERIFY(e.min > 2 - 6 * 2 && e.min < 2 - 2 * 2);
    QVERIFY(e.max > 2 + 2 * 2 && e.max < 2 + 6 * 2);
    // The observed range is the raw one.
    QCOMPARE(a->observedMin(), double(*std::min_element(data.begin(), data.end())));
    QCOMPARE(a->observedMax(), double(*std::max_element(data.begin(), data.end())));
}

// TestTfEnhancedEncodingAnalyzer.cpp AllZeroesAsymmetric: the [-1, 1] fallback grid,
// min -1.00392, max 0.996078 (+-1e-4), offset -128. No data at all gives the same grid.
void TestAnalyzer::tfEnhancedAllZeros()
{
    auto a = makeAnalyzer(CalibrationScheme::SqnrSearch);
    const Encoding none = a->compute(options(8));
    const std::vector<float> zeros(6000, 0.0f);
    a->update(zeros.data(), int64_t(zeros.size()));
    QVERIFY(a->hasData());
    const Encoding e = a->compute(options(8));
    QCOMPARE_NEAR(e.min, -1.00392, 1e-4);
    QCOMPARE_NEAR(e.max, 0.996078, 1e-4);
    QCOMPARE(e.offset, int64_t(-128));
    QCOMPARE(e.bitwidth, 8);
    QCOMPARE_NEAR(e.scale, 2.0 / 255, 1e-15);
    QCOMPARE(quantizeDequantize(0.0f, e), 0.0f);
    QCOMPARE(none.min, e.min);
    QCOMPARE(none.max, e.max);
}

// TestTfEnhancedEncodingAnalyzer.cpp InitialZeroTensor: a zero batch first does not fix the
// histogram; the N(-2, 1) batch after it does.
void TestAnalyzer::tfEnhancedInitialZeroBatch()
{
    auto a = makeAnalyzer(CalibrationScheme::SqnrSearch);
    const std::vector<float> zeros(6000, 0.0f);
    a->update(zeros.data(), int64_t(zeros.size()));
    const std::vector<float> data = normalSamples(-2, 1, 6000);
    a->update(data.data(), int64_t(data.size()));
    const Encoding e = a->compute(options(8));
    QVERIFY(e.min > -2 - 6 && e.min < -2 - 2);
    QVERIFY(e.max > -2 + 2 && e.max < -2 + 6);
}

// TestTfEnhancedEncodingAnalyzer.cpp AllSameValuesAsymmetric and
// test_quantization_lib_tf_enhanced_cpugpu.cpp SANITY_AllSameValue (QDQ within 1e-3).
void TestAnalyzer::tfEnhancedConstants()
{
    Encoding e = analyze(CalibrationScheme::SqnrSearch, std::vector<float>(6000, 4.0f), options(8));
    QVERIFY(e.min <= 0.0);
    QVERIFY(e.max >= 3.5);
    e = analyze(CalibrationScheme::SqnrSearch, std::vector<float>(6000, -5.0f), options(8));
    QVERIFY(e.min <= -4.5);
    QVERIFY(e.max >= 0.0);

    e = analyze(CalibrationScheme::SqnrSearch, std::vector<float>(8, 0.0f), options(8));
    QCOMPARE(quantizeDequantize(0.0f, e), 0.0f);
    e = analyze(CalibrationScheme::SqnrSearch, std::vector<float>(8, 10.0f), options(8));
    QVERIFY(e.min <= 0.0);
    QCOMPARE_NEAR(quantizeDequantize(10.0f, e), 10.0, 1e-3);
    e = analyze(CalibrationScheme::SqnrSearch, std::vector<float>(8, -7.0f), options(8));
    QVERIFY(e.max >= 0.0);
    QCOMPARE_NEAR(quantizeDequantize(-7.0f, e), -7.0, 1e-3);
}

// TestTfEnhancedEncodingAnalyzer.cpp Symmetric: N(-2, 1); offset -128, scale = (max-min)/255,
// and the grid stays inside [-absmax, absmax].
void TestAnalyzer::tfEnhancedSymmetric()
{
    const std::vector<float> data = normalSamples(-2, 1, 6000);
    const Encoding e = analyze(CalibrationScheme::SqnrSearch, data, options(8, true));
    const auto [lo, hi] = std::minmax_element(data.begin(), data.end());
    const double absMax = std::max(std::abs(*lo), std::abs(*hi));
    QVERIFY(e.symmetric);
    QCOMPARE(e.offset, int64_t(-128));
    QCOMPARE_NEAR(e.scale, (e.max - e.min) / 255, 1e-12);
    QCOMPARE_NEAR(double(e.offset), e.min / e.scale, 1e-9);
    QVERIFY(e.min > -absMax);
    QVERIFY(e.max < absMax);
}

// TestTfEnhancedEncodingAnalyzer.cpp StrictSymmetric: offset -127, scale = range/254, min = -max.
void TestAnalyzer::tfEnhancedStrictSymmetric()
{
    const std::vector<float> data = normalSamples(-2, 1, 6000);
    const Encoding e = analyze(CalibrationScheme::SqnrSearch, data, options(8, true, true, false));
    const auto [lo, hi] = std::minmax_element(data.begin(), data.end());
    const double absMax = std::max(std::abs(*lo), std::abs(*hi));
    QCOMPARE(e.offset, int64_t(-127));
    QCOMPARE_NEAR(e.scale, (e.max - e.min) / 254, 1e-12);
    QCOMPARE(e.min, -e.max);
    QVERIFY(e.min > -absMax);
    QVERIFY(e.max < absMax);
}

// TestTfEnhancedEncodingAnalyzer.cpp SymmetricUnsigned: max(N(-2, 1), 0); min 0, max within
// 0.015 of the data's max, scale = (max-min)/255.
void TestAnalyzer::tfEnhancedUnsignedSymmetric()
{
    std::vector<float> data = normalSamples(-2, 1, 6000);
    for (float &x : data)
        x = std::max(x, 0.0f);
    const Encoding e = analyze(CalibrationScheme::SqnrSearch, data, options(8, true, false, true));
    const double absMax = *std::max_element(data.begin(), data.end());
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.offset, int64_t(0));
    QCOMPARE_NEAR(e.max, absMax, 0.015);
    QCOMPARE_NEAR(e.scale, (e.max - e.min) / 255, 1e-12);
}

// test_quantization_lib_tf_enhanced_cpugpu.cpp SANITY_CompareToOtherQuantizers: N(20, 5) with two
// outliers at +-10 sigma, 6-bit: TF-enhanced clips them (min above and max below the min/max
// grid's) and reaches a higher SQNR. AIMET seeds with the clock; here the seed is fixed.
void TestAnalyzer::tfEnhancedOutliers()
{
    std::normal_distribution<double> distribution(20, 5);
    std::mt19937 generator(1);
    std::vector<float> data(10000);
    for (size_t i = 0; i + 2 < data.size(); ++i)
        data[i] = float(distribution(generator));
    data[data.size() - 2] = 20 + 10 * 5;
    data[data.size() - 1] = 20 - 10 * 5;

    const Encoding enhanced = analyze(CalibrationScheme::SqnrSearch, data, options(6));
    const Encoding tf = analyze(CalibrationScheme::MinMax, data, options(6));
    QCOMPARE_NEAR(tf.min, -30.0, 0.5);
    QCOMPARE_NEAR(tf.max, 70.0, 0.5);
    QVERIFY(enhanced.min > tf.min);
    QVERIFY(enhanced.max < tf.max);
    QVERIFY2(sqnrDb(data, enhanced) > sqnrDb(data, tf),
             qPrintable(QStringLiteral("SQNR %1 dB vs %2 dB").arg(sqnrDb(data, enhanced)).arg(sqnrDb(data, tf))));
}

// The first batch fixes the histogram at its range widened 3x about its centre ([-1, 2] for
// [0, 1]); later values outside it are not counted, though observedMax() reports them.
void TestAnalyzer::tfEnhancedKeepsFirstRange()
{
    auto a = makeAnalyzer(CalibrationScheme::SqnrSearch);
    std::vector<float> first(1001);
    for (size_t i = 0; i < first.size(); ++i)
        first[i] = float(i) / 1000;
    a->update(first.data(), int64_t(first.size()));
    const std::vector<float> far(1000, 100.0f);
    a->update(far.data(), int64_t(far.size()));
    QCOMPARE(a->observedMax(), 100.0);
    const Encoding e = a->compute(options(8));
    QVERIFY(e.max < 1.1);
    QVERIFY(e.max > 0.9);
}

// 0..9999 in one batch: 2048 bins of 9999/2048 = 4.8823. The 99th percentile (the 9900th value,
// 9899) lies in bin 2027 = [9896.47, 9901.35), whose right edge is the upper bound; the 1st
// percentile (the 100th value, 99) lies in bin 20, which the inclusion of 0 then overrides.
void TestAnalyzer::percentileOfIntegers()
{
    std::vector<float> data(10000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = float(i);
    const double width = 9999.0 / 2048;
    Encoding e = analyze(CalibrationScheme::Percentile, data, options(8), 99.0);
    QCOMPARE(e.min, 0.0);
    QCOMPARE_NEAR(e.max, 2028 * width, 1e-9); // 9901.3535
    QCOMPARE_NEAR(e.scale, 2028 * width / 255, 1e-12);

    e = analyze(CalibrationScheme::Percentile, data, options(8), 100.0);
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.max, 9999.0);

    // Percentiles below 50 are read as 50: both bounds then meet at the median's bin.
    e = analyze(CalibrationScheme::Percentile, data, options(8), 10.0);
    const Encoding median = analyze(CalibrationScheme::Percentile, data, options(8), 50.0);
    QCOMPARE(e.max, median.max);
    QCOMPARE_NEAR(median.max, 1024 * width, 1e-9); // the 5000th value, 4999, is in bin 1023
}

// -5000..4999: the 1st percentile (the 100th value, -4901) is in bin 20, left edge
// -5000 + 20 * 4.8823 = -4902.3535; the 99th (the 9900th, 4899) in bin 2027, right edge 4901.3535.
void TestAnalyzer::percentileSigned()
{
    std::vector<float> data(10000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = float(int(i) - 5000);
    const double width = 9999.0 / 2048;
    const double low = -5000 + 20 * width;
    const double high = -5000 + 2028 * width;
    QCOMPARE_NEAR(low, -4902.3535, 1e-4);
    QCOMPARE_NEAR(high, 4901.3535, 1e-4);
    for (bool symmetric : {false, true}) {
        const Encoding e = analyze(CalibrationScheme::Percentile, data, options(8, symmetric), 99.0);
        const Encoding expected = computeEncoding(low, high, options(8, symmetric));
        QCOMPARE_NEAR(e.min, expected.min, 1e-9);
        QCOMPARE_NEAR(e.max, expected.max, 1e-9);
        QCOMPARE(e.offset, expected.offset);
    }
}

// Two batches, the second doubling the range: the histogram is re-binned and the 99th percentile
// stays within a bin or two of the one-batch answer (9901.35).
void TestAnalyzer::percentileGrowingRange()
{
    auto a = makeAnalyzer(CalibrationScheme::Percentile, 99.0);
    std::vector<float> half(5000);
    for (size_t i = 0; i < half.size(); ++i)
        half[i] = float(i);
    a->update(half.data(), int64_t(half.size()));
    for (size_t i = 0; i < half.size(); ++i)
        half[i] = float(i + 5000);
    a->update(half.data(), int64_t(half.size()));
    QCOMPARE(a->observedMin(), 0.0);
    QCOMPARE(a->observedMax(), 9999.0);
    const Encoding e = a->compute(options(8));
    QCOMPARE(e.min, 0.0);
    QCOMPARE_NEAR(e.max, 9901.35, 2 * 9999.0 / 2048);
}

void TestAnalyzer::percentileConstantAndZero()
{
    Encoding e = analyze(CalibrationScheme::Percentile, std::vector<float>(4, 5.0f), options(8));
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.max, 5.0);
    QCOMPARE(quantizeDequantize(5.0f, e), 5.0f);

    e = analyze(CalibrationScheme::Percentile, std::vector<float>(4, -3.0f), options(8));
    QCOMPARE(e.min, -3.0);
    QCOMPARE(e.max, 0.0);
    QCOMPARE(quantizeDequantize(-3.0f, e), -3.0f);

    e = analyze(CalibrationScheme::Percentile, std::vector<float>(100, 0.0f), options(8));
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.max, 0.01);
    QCOMPARE(e.offset, int64_t(0));
}

QTEST_APPLESS_MAIN(TestAnalyzer)
#include "tst_analyzer.moc"
