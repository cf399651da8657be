// QuantSim end to end on tiny graphs: placement drives the hooks, MinMax calibration gives the
// encodings computeEncoding gives for the observed ranges, and the simulated output equals a
// hand-written quantize-dequantize forward pass.

#include "testgraph.h"
#include "testutil.h"

#include "quant/quantsim.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace qs;

namespace {


// x[N,2] -> Gemm(W[3,2], b[3], transB) -> Relu -> y[N,3]
Graph gemmReluGraph()
{
    Graph g;
    g.opsetVersion = 13;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {-1, 2}, {"N", ""}, true});
    g.outputs.push_back(ValueInfo{"y", DType::Float32, {-1, 3}, {"N", ""}, true});
    g.initializers["W"] = Tensor::fromFloats({3, 2}, {0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 0.1f});
    g.initializers["b"] = Tensor::fromFloats({3}, {0.1f, -0.2f, 0.3f});
    Node gemm = qs::test::makeNode("fc", "Gemm", {"x", "W", "b"}, {"h"});
    gemm.attributes["transB"] = Attribute::ofInt(1);
    g.nodes.push_back(gemm);
    g.nodes.push_back(qs::test::makeNode("relu", "Relu", {"h"}, {"y"}));
    g.valueInfo["h"] = ValueInfo{"h", DType::Float32, {-1, 3}, {"N", ""}, true};
    return g;
}

float qdq(float v, const Encoding &e) { return quantizeDequantize(v, e); }

} // namespace

class TestQuantSim : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void minMaxSimulationMatchesHandComputation();
    void needsCalibrationData();
};

void TestQuantSim::minMaxSimulationMatchesHandComputation()
{
    const Graph g = gemmReluGraph();
    QuantSimOptions o;
    o.scheme = CalibrationScheme::MinMax;
    o.executor.threads = 1;
    auto sim = QuantSim::create(g, o).take();
    // Default config: input x, weight W (bias not quantized), Gemm+Relu supergroup: only y.
    std::vector<std::string> enabled;
    for (const auto &q : sim->quantizers())
        if (q.enabled)
            enabled.push_back(q.tensor);
    std::sort(enabled.begin(), enabled.end());
    QCOMPARE(enabled, (std::vector<std::string>{"W", "x", "y"}));

    const Tensor x = Tensor::fromFloats({4, 2}, {1.0f, -2.0f, 0.5f, 0.25f, -1.5f, 3.0f, 2.0f, 1.0f});
    bool given = false;
    QVERIFY(sim->calibrate([&]() -> std::optional<Tensor> {
                   if (given)
                       return std::nullopt;
                   given = true;
                   return x;
               }).ok());
    QVERIFY(sim->isCalibrated());

    std::map<std::string, Encoding> enc;
    for (const auto &e : sim->encodings())
        enc[e.tensor] = e.encodings.at(0);
    // Input range [-2, 3] asymmetric 8-bit; weights symmetric over |max| = 2.
    const Encoding ex = computeEncoding(-2.0, 3.0, EncodingOptions{8, false, false, true});
    QCOMPARE(enc.at("x").scale, ex.scale);
    QCOMPARE(enc.at("x").offset, ex.offset);
    const Encoding ew = computeEncoding(-2.0, 2.0, EncodingOptions{8, true, false, true});
    QCOMPARE(enc.at("W").scale, ew.scale);

    // Reference: y = QDQ(relu(QDQ(x) . QDQ(W)^T + b)) with y's range from the calibration run on
    // QDQ'd weights and FP inputs.
    const auto xv = x.toFloats();
    const auto wv = g.initializers.at("W").toFloats();
    const auto bv = g.initializers.at("b").toFloats();
    auto forward = [&](bool quantInput, int n, int o) {
        float acc = bv[o];
        for (int k = 0; k < 2; ++k) {
            const float xi = quantInput ? qdq(xv[n * 2 + k], enc.at("x")) : xv[n * 2 + k];
            acc += xi * qdq(wv[o * 2 + k], enc.at("W"));
        }
        return std::max(acc, 0.f);
    };
    float ymax = 0;
    for (int n = 0; n < 4; ++n)
        for (int o = 0; o < 3; ++o)
            ymax = std::max(ymax, forward(false, n, o));
    const Encoding ey = computeEncoding(0.0, ymax, EncodingOptions{8, false, false, true});
    QCOMPARE(float(enc.at("y").max), float(ey.max));

    const TensorMap out = sim->executor().run({{"x", x}}).take();
    const auto yv = out.at("y").toFloats();
    for (int n = 0; n < 4; ++n)
        for (int o = 0; o < 3; ++o) {
            const float want = qdq(forward(true, n, o), enc.at("y"));
            QVERIFY2(std::fabs(yv[size_t(n * 3 + o)] - want) <= 1e-6f,
                     qPrintable(QStringLiteral("y[%1,%2] = %3, expected %4").arg(n).arg(o).arg(yv[size_t(n * 3 + o)]).arg(want)));
        }
}

void TestQuantSim::needsCalibrationData()
{
    auto sim = QuantSim::create(gemmReluGraph(), QuantSimOptions()).take();
    Result<void> r = sim->calibrate([]() -> std::optional<Tensor> { return std::nullopt; });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, std::string("calibration needs at least one batch of data"));
}

QTEST_APPLESS_MAIN(TestQuantSim)
#include "tst_quantsim.moc"
