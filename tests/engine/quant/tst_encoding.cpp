// Encoding math (AIMET's getComputedEncodings and the TF range adjustments), quantize-dequantize
// and the integer grid for export, on AIMET's unit-test vectors and hand-computed cases.

#include "quant/encoding.h"

#include <QTest>

#include <cfloat>
#include <cmath>
#include <limits>

using namespace qs;

class TestEncoding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void computeDeltaOffset_data();
    void computeDeltaOffset();
    void constantRoundTrip();
    void signedSymmetric();
    void strictSymmetric();
    void unsignedSymmetric();
    void bitwidth4();
    void bitwidth16();
    void infinityAndNan();
    void quantizeDequantizeRounding();
    void integerGridAsymmetric();
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

static bool near(double a, double b, double tol)
{
    return std::abs(a - b) <= tol;
}

#define QCOMPARE_NEAR(actual, expected, tol)                                                        \
    QVERIFY2(near((actual), (expected), (tol)),                                                     \
             qPrintable(QStringLiteral("%1 = %2, expected %3 +- %4")                                \
                            .arg(#actual)                                                           \
                            .arg(double(actual), 0, 'g', 10)                                        \
                            .arg(double(expected), 0, 'g', 10)                                      \
                            .arg(double(tol))))

// test_quantization_lib_tf_cpu.cpp SANITY_ComputeDeltaOffset (8-bit) and
// test_quantization_lib_tf_enhanced_cpugpu.cpp SANITY_ComputeDeltaOffset (6-bit).
void TestEncoding::computeDeltaOffset_data()
{
    QTest::addColumn<int>("bw");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("encMin");
    QTest::addColumn<double>("encMax");
    QTest::addColumn<double>("delta");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("-40/80") << 8 << -40.0 << 80.0 << -40.0 << 80.0 << 0.4706 << qint64(-85);
    QTest::newRow("10/10 min to 0") << 8 << 10.0 << 10.0 << 0.0 << 10.0 << 0.0392 << qint64(0);
    QTest::newRow("0/0 max to 0.01") << 8 << 0.0 << 0.0 << 0.0 << 0.01 << 0.01 / 255 << qint64(0);
    QTest::newRow("1000/1200 min to 0") << 8 << 1000.0 << 1200.0 << 0.0 << 1200.0 << 4.7059 << qint64(0);
    QTest::newRow("-8/-5 max to 0") << 8 << -8.0 << -5.0 << -8.0 << 0.0 << 0.0314 << qint64(-255);
    QTest::newRow("6-bit -18/10") << 6 << -18.0 << 10.0 << -18.2222 << 9.7778 << 0.4444 << qint64(-41);
}

void TestEncoding::computeDeltaOffset()
{
    QFETCH(int, bw);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, encMin);
    QFETCH(double, encMax);
    QFETCH(double, delta);
    QFETCH(qint64, offset);
    const Encoding e = computeEncoding(min, max, options(bw));
    QCOMPARE(e.bitwidth, bw);
    QCOMPARE(e.symmetric, false);
    QCOMPARE(qint64(e.offset), offset);
    QCOMPARE_NEAR(e.scale, delta, 1e-4);
    QCOMPARE_NEAR(e.min, encMin, 1e-4);
    QCOMPARE_NEAR(e.max, encMax, 1e-4);
    // The grid spans exactly 2^bw - 1 steps and holds 0 exactly.
    QCOMPARE_NEAR(e.max - e.min, e.scale * (std::ldexp(1.0, bw) - 1), 1e-9);
    QCOMPARE(quantizeDequantize(0.0f, e), 0.0f);
}

// test_quantization_lib_tf_cpu.cpp SANITY_SpecialInputV0: the range of {5, 5, 5, 5} is [0, 5]
// after the adjustments, and 5 comes back exactly.
void TestEncoding::constantRoundTrip()
{
    const Encoding e = computeEncoding(5.0, 5.0, options(8));
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.max, 5.0);
    QCOMPARE(e.offset, int64_t(0));
    QCOMPARE(quantizeDequantize(5.0f, e), 5.0f);
}

// absmax 2 over floor(255/2) = 127 positive steps; offset -ceil(255/2) = -128.
void TestEncoding::signedSymmetric()
{
    const Encoding e = computeEncoding(-2.0, 1.0, options(8, true));
    QVERIFY(e.symmetric);
    QCOMPARE(e.offset, int64_t(-128));
    QCOMPARE_NEAR(e.scale, 2.0 / 127, 1e-15);
    QCOMPARE_NEAR(e.min, -256.0 / 127, 1e-12); // -2.015748
    QCOMPARE_NEAR(e.max, 2.0, 1e-12);
    // 0.5 / (2/127) = 31.75 -> 32 steps = 0.503937
    QCOMPARE_NEAR(quantizeDequantize(0.5f, e), 64.0 / 127, 1e-6);
    QCOMPARE_NEAR(quantizeDequantize(-3.0f, e), -256.0 / 127, 1e-6);
    QCOMPARE_NEAR(quantizeDequantize(5.0f, e), 2.0, 1e-6);

    const IntegerGrid g = integerGrid(e);
    QVERIFY(g.isSigned);
    QCOMPARE(g.zeroPoint, int64_t(0));
    QCOMPARE(g.qmin, int64_t(-128));
    QCOMPARE(g.qmax, int64_t(127));

    // Symmetric with min = 0 but unsigned symmetric off: still the signed grid.
    const Encoding s = computeEncoding(0.0, 6.0, options(8, true, false, false));
    QCOMPARE(s.offset, int64_t(-128));
    QCOMPARE_NEAR(s.scale, 6.0 / 127, 1e-15);
    QCOMPARE_NEAR(s.min, -768.0 / 127, 1e-12);
    QCOMPARE_NEAR(s.max, 6.0, 1e-12);
}

// numSteps = 254: scale = absmax / 127, offset -127, min = -max.
void TestEncoding::strictSymmetric()
{
    const Encoding e = computeEncoding(-2.0, 1.0, options(8, true, true));
    QCOMPARE(e.offset, int64_t(-127));
    QCOMPARE_NEAR(e.scale, 2.0 / 127, 1e-15);
    QCOMPARE_NEAR(e.min, -2.0, 1e-12);
    QCOMPARE_NEAR(e.max, 2.0, 1e-12);
    QCOMPARE(e.min, -e.max);
    QCOMPARE_NEAR(quantizeDequantize(-5.0f, e), -2.0, 1e-6);

    const IntegerGrid g = integerGrid(e);
    QVERIFY(g.isSigned);
    QCOMPARE(g.zeroPoint, int64_t(0));
    QCOMPARE(g.qmin, int64_t(-127));
    QCOMPARE(g.qmax, int64_t(127));
}

// Symmetric with min >= 0 falls through to the asymmetric path with min = 0.
void TestEncoding::unsignedSymmetric()
{
    const Encoding e = computeEncoding(0.5, 6.0, options(8, true));
    QVERIFY(e.symmetric);
    QCOMPARE(e.offset, int64_t(0));
    QCOMPARE_NEAR(e.scale, 6.0 / 255, 1e-15);
    QCOMPARE(e.min, 0.0);
    QCOMPARE(e.max, 6.0);
    IntegerGrid g = integerGrid(e);
    QVERIFY(!g.isSigned);
    QCOMPARE(g.zeroPoint, int64_t(0));
    QCOMPARE(g.qmin, int64_t(0));
    QCOMPARE(g.qmax, int64_t(255));

    // Strict and unsigned: 254 steps over [0, max].
    const Encoding s = computeEncoding(0.0, 6.0, options(8, true, true));
    QCOMPARE(s.offset, int64_t(0));
    QCOMPARE_NEAR(s.scale, 6.0 / 254, 1e-15);
    QCOMPARE(s.max, 6.0);
    g = integerGrid(s);
    QVERIFY(!g.isSigned);
    QCOMPARE(g.qmax, int64_t(254));

    // A negative min makes unsigned symmetric immaterial.
    const Encoding n = computeEncoding(-0.1, 6.0, options(8, true));
    QCOMPARE(n.offset, int64_t(-128));
    QCOMPARE_NEAR(n.scale, 6.0 / 127, 1e-15);
}

void TestEncoding::bitwidth4()
{
    // Asymmetric: 15 steps of 0.2, 0 at level 5.
    const Encoding a = computeEncoding(-1.0, 2.0, options(4));
    QCOMPARE(a.bitwidth, 4);
    QCOMPARE_NEAR(a.scale, 0.2, 1e-15);
    QCOMPARE(a.offset, int64_t(-5));
    QCOMPARE_NEAR(a.min, -1.0, 1e-12);
    QCOMPARE_NEAR(a.max, 2.0, 1e-12);
    QCOMPARE_NEAR(quantizeDequantize(0.33f, a), 0.4, 1e-6);  // 1.65 + 5 -> 7
    QCOMPARE_NEAR(quantizeDequantize(9.0f, a), 2.0, 1e-6);
    IntegerGrid g = integerGrid(a);
    QCOMPARE(g.zeroPoint, int64_t(5));
    QCOMPARE(g.qmin, int64_t(0));
    QCOMPARE(g.qmax, int64_t(15));

    // Symmetric: absmax 2 over 7 positive steps, offset -8.
    const Encoding s = computeEncoding(-1.0, 2.0, options(4, true));
    QCOMPARE(s.offset, int64_t(-8));
    QCOMPARE_NEAR(s.scale, 2.0 / 7, 1e-15);
    QCOMPARE_NEAR(s.min, -16.0 / 7, 1e-12);
    QCOMPARE_NEAR(s.max, 2.0, 1e-12);
    g = integerGrid(s);
    QCOMPARE(g.qmin, int64_t(-8));
    QCOMPARE(g.qmax, int64_t(7));
}

void TestEncoding::bitwidth16()
{
    // 65535 steps of 4/65535; 1/scale = 16383.75 -> offset -16384.
    const Encoding a = computeEncoding(-1.0, 3.0, options(16));
    QCOMPARE_NEAR(a.scale, 4.0 / 65535, 1e-18);
    QCOMPARE(a.offset, int64_t(-16384));
    QCOMPARE_NEAR(a.min, -16384 * 4.0 / 65535, 1e-12);
    QCOMPARE_NEAR(a.max, 4.0 - 16384 * 4.0 / 65535, 1e-12);
    QCOMPARE_NEAR(quantizeDequantize(1.0f, a), 1.0, 4.0 / 65535 / 2);
    IntegerGrid g = integerGrid(a);
    QCOMPARE(g.zeroPoint, int64_t(16384));
    QCOMPARE(g.qmax, int64_t(65535));

    const Encoding s = computeEncoding(-1.0, 3.0, options(16, true));
    QCOMPARE(s.offset, int64_t(-32768));
    QCOMPARE_NEAR(s.scale, 3.0 / 32767, 1e-18);
    g = integerGrid(s);
    QVERIFY(g.isSigned);
    QCOMPARE(g.qmin, int64_t(-32768));
    QCOMPARE(g.qmax, int64_t(32767));
}

void TestEncoding::infinityAndNan()
{
    const double inf = std::numeric_limits<double>::infinity();
    const Encoding e = computeEncoding(-inf, inf, options(8));
    QCOMPARE_NEAR(e.scale / (2.0 * double(FLT_MAX) / 255), 1.0, 1e-12);
    QCOMPARE(e.offset, int64_t(-128)); // FLT_MAX / scale = 127.5 rounds away from zero
    QVERIFY(std::isfinite(e.min) && std::isfinite(e.max));

    const Encoding s = computeEncoding(-inf, 1.0, options(8, true));
    QCOMPARE_NEAR(s.scale / (double(FLT_MAX) / 127), 1.0, 1e-12);

    const Encoding n = computeEncoding(std::nan(""), std::nan(""), options(8));
    QCOMPARE(n.min, 0.0);
    QCOMPARE(n.max, 0.01);
    QVERIFY(std::isnan(quantizeDequantize(std::numeric_limits<float>::quiet_NaN(), n)));
    QCOMPARE(quantizeDequantize(std::numeric_limits<float>::infinity(), n), 0.01f);
}

// q = round(x/scale - offset) rounds halves away from zero, as std::round.
void TestEncoding::quantizeDequantizeRounding()
{
    Encoding e;
    e.bitwidth = 2;
    e.scale = 1.0;
    e.offset = -2;
    e.min = -2.0;
    e.max = 1.0;
    QCOMPARE(quantizeDequantize(0.5f, e), 1.0f);   // 2.5 -> 3
    QCOMPARE(quantizeDequantize(-0.5f, e), 0.0f);  // 1.5 -> 2
    QCOMPARE(quantizeDequantize(-1.5f, e), -1.0f); // 0.5 -> 1
    QCOMPARE(quantizeDequantize(7.0f, e), 1.0f);
    QCOMPARE(quantizeDequantize(-7.0f, e), -2.0f);

    // A default (never computed) encoding maps everything to 0 instead of dividing by 0.
    QCOMPARE(quantizeDequantize(3.0f, Encoding()), 0.0f);
}

void TestEncoding::integerGridAsymmetric()
{
    const Encoding e = computeEncoding(-40.0, 80.0, options(8));
    const IntegerGrid g = integerGrid(e);
    QVERIFY(!g.isSigned);
    QCOMPARE(g.zeroPoint, int64_t(85));
    QCOMPARE(g.qmin, int64_t(0));
    QCOMPARE(g.qmax, int64_t(255));
    // x = scale * (q - zp): 80 is level 255.
    QCOMPARE_NEAR(e.scale * double(g.qmax - g.zeroPoint), 80.0, 1e-9);
}

QTEST_APPLESS_MAIN(TestEncoding)
#include "tst_encoding.moc"
