// Bias correction on graphs built in code: AIMET's analytical and empirical vectors
// (ALGORITHMS.md §10), the clamped-normal expectation against numeric integration, and the
// defining property of sequential empirical correction: every corrected layer of the
// weight-quantized model has the FP32 model's mean output per channel.

#include "graphbuilder.h"

#include "equalize/batchnormfold.h"
#include "equalize/biascorrection.h"
#include "equalize/layerweights.h"

#include <QTest>

using namespace qs;
using namespace qs::test;

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// x -> convA (2 channels, statistics given) -> [Relu] -> convB (W [3,2,3,1], bias 5)
Graph analyticalGraph(bool relu)
{
    GraphBuilder b({1, 2, 5, 5});
    b.random("wa", {2, 2, 1, 1}, -1, 1);
    b.conv("x", "wa", "", "a").name = "convA";
    std::string in = "a";
    if (relu) {
        b.node("Relu", {"a"}, "r");
        in = "r";
    }
    b.random("wb", {3, 2, 3, 1}, -1, 1);
    b.init("bb", {3}, {5, 5, 5});
    b.conv(in, "wb", "bb", "y").name = "convB";
    return b.finish("y");
}

std::vector<double> channelMeans(const Tensor &t)
{
    const auto v = t.toFloats();
    const int64_t C = t.dim(1), inner = t.numel() / (t.dim(0) * C);
    std::vector<double> m(size_t(C), 0.0);
    for (int64_t n = 0; n < t.dim(0); ++n)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t k = 0; k < inner; ++k)
                m[size_t(c)] += v[size_t((n * C + c) * inner + k)];
    for (double &x : m)
        x /= double(t.dim(0) * inner);
    return m;
}

QuantSimOptions weightsOnly()
{
    QuantSimOptions o;
    o.scheme = CalibrationScheme::MinMax;
    o.config.opsOutputQuantized = false;
    o.config.modelInputQuantized = false;
    o.config.opTypes.clear();
    return o;
}

} // namespace

class TestBiasCorrection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void analyticalVectors();
    void clampedExpectation();
    void empiricalVector();
    void empiricalMatchesFp32Means();
    void analyticalWithFoldedBatchNorm();
};

void TestBiasCorrection::analyticalVectors()
{
    // AIMET's vector: W_q - W = 1 everywhere (shape {3,2,3,1}), gamma {1,3}, beta {-2,1}, b = 5.
    const LayerStatsTable stats = {{"convA", LayerStats{{-2, 1}, {1, 3}, "batchnorm"}}};
    for (bool relu : {true, false}) {
        const Graph g = analyticalGraph(relu);
        std::string why;
        const std::vector<double> ex = layerInputExpectation(g, stats, "convB", &why);
        QCOMPARE(int(ex.size()), 2);
        const auto L = LayerWeights::load(g, findNode(g, "convB"));
        const std::vector<double> shift = L->dotWith(std::vector<float>(L->weights().size(), 1.f), ex);
        for (double s : shift)
            QVERIFY2(std::fabs(5 - s - (relu ? -0.3135972 : 8.0)) < 1e-6, qPrintable(QString::number(5 - s, 'g', 9)));
    }
    std::string why;
    QVERIFY(layerInputExpectation(analyticalGraph(true), stats, "convA", &why).empty());
    QCOMPARE(str(why), QString("its input 'x' is a graph input"));
}

void TestBiasCorrection::clampedExpectation()
{
    // E[clamp(x, lo, hi)], x ~ N(mean, std^2), against a midpoint sum over +-12 std.
    const double cases[][4] = {{1, 2, 0, 6}, {-2, 1, 0, 6}, {5, 1, 0, 6}, {0.3, 0.5, -0.1, 0.4}, {2, 3, 0, INFINITY}};
    for (const auto &c : cases) {
        const double mean = c[0], sd = c[1], lo = c[2], hi = c[3];
        double sum = 0;
        const int steps = 200000;
        const double a = mean - 12 * sd, h = 24 * sd / steps;
        for (int i = 0; i < steps; ++i) {
            const double x = a + (i + 0.5) * h;
            const double p = std::exp(-0.5 * std::pow((x - mean) / sd, 2)) / (sd * std::sqrt(2 * M_PI));
            sum += std::clamp(x, lo, hi) * p * h;
        }
        QVERIFY2(std::fabs(clampedNormalMean(mean, sd, lo, hi) - sum) < 1e-6,
                 qPrintable(QString("%1 vs %2").arg(clampedNormalMean(mean, sd, lo, hi)).arg(sum)));
    }
    QCOMPARE(clampedNormalMean(7, 0, 0, 6), 6.0);
    // Through a ReLU6 written as Clip(0, 6) with Constant bounds.
    GraphBuilder b({1, 2, 3, 3});
    b.random("w", {2, 2, 1, 1}, -1, 1);
    b.conv("x", "w", "", "a").name = "convA";
    b.clip("a", "r", 0, 6);
    b.random("w2", {1, 2, 1, 1}, -1, 1);
    b.conv("r", "w2", "", "y").name = "convB";
    const LayerStatsTable stats = {{"convA", LayerStats{{1, 5}, {2, 1}, "batchnorm"}}};
    const auto ex = layerInputExpectation(b.finish("y"), stats, "convB");
    QCOMPARE(ex, (std::vector<double>{clampedNormalMean(1, 2, 0, 6), clampedNormalMean(5, 1, 0, 6)}));
}

void TestBiasCorrection::empiricalVector()
{
    // b = 10 and the weight-quantized output exceeds the FP32 output by 1 per position: b -> 9.
    // Weights {1, 0.5}, 8-bit symmetric min-max (step 1/127): 0.5 becomes 64/127, 1/254 too high,
    // so an input of 254 everywhere shifts channel 1 by exactly 1.
    GraphBuilder b({1, 1, 2, 2});
    b.init("w", {2, 1, 1, 1}, {1.f, 0.5f});
    b.init("b", {2}, {10, 10});
    b.conv("x", "w", "b", "y").name = "conv";
    const Graph g = b.finish("y");
    BiasCorrectionOptions o;
    o.quant = weightsOnly();
    const Tensor data = Tensor::fromFloats({4, 1, 2, 2}, std::vector<float>(16, 254.f));
    const BiasCorrectionResult r = correctBias(g, data, o).take();
    QCOMPARE(int(r.report.corrected.size()), 1);
    QCOMPARE(str(r.report.corrected[0].method), QString("empirical"));
    const auto bias = initValues(r.graph, "b");
    QVERIFY2(std::fabs(bias[1] - 9.0f) < 1e-4, qPrintable(QString::number(bias[1], 'g', 9)));
    // Channel 0 from the encoding QuantSim computed: b - (W_q - W) * 254.
    auto sim = QuantSim::create(g, o.quant).take();
    for (const TensorEncoding &e : sim->encodings())
        if (e.tensor == "w") {
            const float q0 = quantizeDequantize(1.f, e.encodings[0]);
            QVERIFY(std::fabs(bias[0] - (10 - (q0 - 1.f) * 254)) < 1e-3);
        }
}

void TestBiasCorrection::empiricalMatchesFp32Means()
{
    GraphBuilder b({1, 3, 8, 8});
    b.random("w0", {6, 3, 3, 3}, -1, 1);
    b.conv("x", "w0", "", "c0", 1, {1, 1, 1, 1}).name = "conv0";
    b.node("Relu", {"c0"}, "r0");
    b.random("w1", {6, 1, 3, 3}, -2, 2);
    b.random("b1", {6}, -0.5f, 0.5f);
    b.conv("r0", "w1", "b1", "c1", 6, {1, 1, 1, 1}).name = "dw1";
    b.clip("c1", "r1", 0, 6);
    b.random("w2", {4, 6, 1, 1}, -1, 1);
    b.conv("r1", "w2", "", "y").name = "conv2";
    const Graph g = b.finish("y");
    const Tensor data = randomInput({16, 3, 8, 8}, 11, -2, 2);
    BiasCorrectionOptions o;
    o.quant = weightsOnly();
    o.quant.quant.paramBitwidth = 4; // large weight errors, so the shifts are large
    o.batch = 5;
    const BiasCorrectionResult r = correctBias(g, data, o).take();
    QCOMPARE(int(r.report.corrected.size()), 3);
    QVERIFY(std::fabs(r.report.corrected[0].shift[0]) > 1e-3);
    // In the corrected, weight-quantized model each layer's mean output equals the FP32 one,
    // though each correction changed what the layers after it see.
    auto fp = Executor::create(g).take();
    const TensorMap ref = fp->run({{"x", data}}, true).take();
    auto sim = QuantSim::create(r.graph, o.quant).take();
    QCOMPARE(sim->enabledQuantizerCount(), 3);
    const TensorMap q = sim->executor().run({{"x", data}}, true).take();
    for (const char *t : {"c0", "c1", "y"}) {
        const auto a = channelMeans(ref.at(t)), bq = channelMeans(q.at(t));
        for (size_t c = 0; c < a.size(); ++c)
            QVERIFY2(std::fabs(a[c] - bq[c]) < 1e-4 * (1 + std::fabs(a[c])),
                     qPrintable(QString("%1[%2]: %3 vs %4").arg(t).arg(c).arg(a[c]).arg(bq[c])));
    }
    // Without the correction the quantized means are off.
    auto raw = QuantSim::create(g, o.quant).take();
    const auto off = channelMeans(raw->executor().run({{"x", data}}, true).take().at("y"));
    const auto want = channelMeans(ref.at("y"));
    double worst = 0;
    for (size_t c = 0; c < off.size(); ++c)
        worst = std::max(worst, std::fabs(off[c] - want[c]));
    QVERIFY(worst > 1e-2);
}

void TestBiasCorrection::analyticalWithFoldedBatchNorm()
{
    GraphBuilder b({1, 3, 6, 6});
    b.random("w0", {4, 3, 1, 1}, -1, 1);
    b.conv("x", "w0", "", "c0").name = "conv0";
    b.batchNorm("c0", "n0", 4, 1.f);
    b.node("Relu", {"n0"}, "a0");
    b.random("w1", {2, 4, 3, 3}, -1, 1);
    b.conv("a0", "w1", "", "y", 1, {1, 1, 1, 1}).name = "conv1";
    const BatchNormFoldResult f = foldBatchNorms(b.finish("y")).take();
    BiasCorrectionOptions o;
    o.method = BiasCorrectionMethod::Analytical;
    o.quant = weightsOnly();
    const BiasCorrectionResult r = correctBias(f.graph, Tensor(), o, f.stats).take();
    QCOMPARE(int(r.report.corrected.size()), 1);
    QCOMPARE(str(r.report.corrected[0].layer), QString("conv1"));
    QCOMPARE(str(r.report.corrected[0].method), QString("analytical"));
    QCOMPARE(int(r.report.skipped.size()), 1);
    QCOMPARE(str(r.report.skipped[0].reason), QString("its input 'x' is a graph input; no calibration data"));
    // shift[o] = sum over inputs and taps of (W_q - W) * E[relu(x)], x ~ N(beta, gamma^2).
    auto sim = QuantSim::create(f.graph, o.quant).take();
    Encoding enc;
    for (const TensorEncoding &e : sim->encodings())
        if (e.tensor == "w1")
            enc = e.encodings[0];
    const auto w1 = initValues(f.graph, "w1");
    const LayerStats &st = f.stats.at("conv0");
    for (size_t out = 0; out < 2; ++out) {
        double expected = 0;
        for (size_t i = 0; i < 4; ++i)
            for (size_t k = 0; k < 9; ++k) {
                const float w = w1[(out * 4 + i) * 9 + k];
                expected += (quantizeDequantize(w, enc) - w) *
                            clampedNormalMean(st.mean[i], st.stddev[i], 0, INFINITY);
            }
        QVERIFY(std::fabs(r.report.corrected[0].shift[out] - expected) < 1e-6);
        QVERIFY(std::fabs(initValues(r.graph, r.graph.nodes[size_t(findNode(r.graph, "conv1"))].inputs.at(2))[out] + expected) < 1e-6);
    }
}

QTEST_APPLESS_MAIN(TestBiasCorrection)
#include "tst_biascorrection.moc"
