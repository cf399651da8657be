// Per-layer quantization sensitivity: the SQNR formula, per-tensor and per-channel
// quantize-dequantize of weights, and a two-layer model where the coarsely quantized layer is the
// sensitive one.

#include "testutil.h"

#include "analysis/quantsensitivity.h"
#include "quant/encoding.h"

#include <QTest>

#include <cmath>

using namespace qs;

class TestQuantSensitivity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sqnr();
    void fakeQuantizePerTensor();
    void fakeQuantizePerChannel();
    void channelMismatch();
    void twoLayers();
};

void TestQuantSensitivity::sqnr()
{
    // signal 1 + 4 = 5, noise 0.25 + 0.25 = 0.5: 10 log10(10) = 10 dB.
    QCOMPARE(sqnrDb({1, 2}, {1.5, 1.5}), 10.0);
    QCOMPARE(sqnrDb({1, 2}, {1, 2}), kMaxSqnr);
    QCOMPARE(sqnrDb({0, 0}, {1, 1}), 0.0);
}

void TestQuantSensitivity::fakeQuantizePerTensor()
{
    EncodingOptions o;
    o.bitwidth = 2; // 4 levels over [0, 3]: scale 1
    TensorEncoding e{"w", QuantizerKind::Param, false, 0, {computeEncoding(0.0, 3.0, o)}};
    const Tensor q = fakeQuantizeWeight(Tensor::fromFloats({4}, {0.2f, 1.4f, 1.6f, 7.0f}), e);
    QCOMPARE(q.toFloats(), (std::vector<float>{0, 1, 2, 3}));
}

void TestQuantSensitivity::fakeQuantizePerChannel()
{
    EncodingOptions o;
    o.bitwidth = 2;
    // Channels along axis 1 of a [2, 2] weight: column 0 on [0, 3] (scale 1), column 1 on [0, 0.3].
    TensorEncoding e{"w", QuantizerKind::Param, true, 1, {computeEncoding(0, 3, o), computeEncoding(0, 0.3, o)}};
    const std::vector<float> q = fakeQuantizeWeight(Tensor::fromFloats({2, 2}, {1.2f, 0.12f, 2.7f, 0.5f}), e).toFloats();
    QCOMPARE(q[0], 1.f);
    QVERIFY(std::abs(q[1] - 0.1f) < 1e-6f);
    QCOMPARE(q[2], 3.f);
    QVERIFY(std::abs(q[3] - 0.3f) < 1e-6f);
}

void TestQuantSensitivity::channelMismatch()
{
    TensorEncoding e{"w", QuantizerKind::Param, true, 0, {Encoding{}}};
    try {
        fakeQuantizeWeight(Tensor::fromFloats({2, 2}, {1, 2, 3, 4}), e);
        QFAIL("no error");
    } catch (const Exception &ex) {
        QCOMPARE(QString::fromUtf8(ex.what()), QStringLiteral("w: 1 encodings for 2 channels"));
    }
}

// x [N, 4] -> Gemm a (W 4x4) -> Gemm b (W 4x3) -> y. Layer a's encoding is 2-bit, b's 8-bit:
// a alone loses far more SQNR than b alone, and "all but a" keeps more than "all but b".
void TestQuantSensitivity::twoLayers()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {-1, 4}, {"N", ""}, true});
    g.outputs.push_back(ValueInfo{"y", DType::Float32, {-1, 3}, {"N", ""}, true});
    std::vector<float> wa(16), wb(12), x(8 * 4);
    for (size_t i = 0; i < wa.size(); ++i)
        wa[i] = std::sin(float(i) + 0.3f);
    for (size_t i = 0; i < wb.size(); ++i)
        wb[i] = std::cos(float(i) * 0.7f);
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = std::sin(float(i) * 1.3f);
    g.initializers["wa"] = Tensor::fromFloats({4, 4}, wa);
    g.initializers["wb"] = Tensor::fromFloats({4, 3}, wb);
    Node a{"a", "Gemm", "", {"x", "wa"}, {"h"}, {}};
    Node b{"b", "Gemm", "", {"h", "wb"}, {"y"}, {}};
    g.nodes = {a, b};
    EncodingOptions coarse, fine;
    coarse.bitwidth = 2;
    coarse.symmetric = fine.symmetric = true;
    fine.bitwidth = 8;
    const std::vector<TensorEncoding> enc = {{"wa", QuantizerKind::Param, false, 0, {computeEncoding(-1, 1, coarse)}},
                                             {"wb", QuantizerKind::Param, false, 0, {computeEncoding(-1, 1, fine)}}};
    const std::vector<int64_t> labels = {0, 1, 2, 0, 1, 2, 0, 1};
    Result<std::vector<LayerQuantSensitivity>> r =
        computeQuantSensitivity(g, enc, Tensor::fromFloats({8, 4}, x), labels);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const auto &layers = r.value();
    QCOMPARE(layers.size(), size_t(2));
    QCOMPARE(layers[0].layer, std::string("a"));
    QCOMPARE(layers[1].weight, std::string("wb"));
    QVERIFY(layers[0].sqnrAlone < 15);
    QVERIFY(layers[1].sqnrAlone > 35);
    QVERIFY(layers[0].sqnrAllBut > layers[1].sqnrAllBut);
    // Only-b and all-but-a quantize the same set of weights.
    QCOMPARE(layers[0].sqnrAllBut, layers[1].sqnrAlone);
    QCOMPARE(layers[0].top1AllBut, layers[1].top1Alone);
}

QTEST_APPLESS_MAIN(TestQuantSensitivity)
#include "tst_quantsensitivity.moc"
