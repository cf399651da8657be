// QDQ models from encodings: a Conv -> Relu -> Flatten -> Gemm graph built in code, made QDQ with
// hand-picked encodings (per-channel int8 conv weights, per-tensor uint8 Gemm weights, a uint8
// input, a 4-bit Relu output, the graph output), exported, re-imported and run by the executor
// against a fake-quantized forward written with plain loops. Structure, opset upgrade and errors.

#include "core/fileutil.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"
#include "runtime/executor.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <random>

using namespace qs;

class TestQdq : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void structure();
    void weightIntegers();
    void runsLikeFakeQuantizedForward();
    void fourBitWeights();
    void upgradesOpset();
    void noEncodings();
    void errors_data();
    void errors();

private:
    QTemporaryDir m_dir;
};

static Encoding enc(double scale, int64_t offset, bool symmetric, int bw = 8)
{
    Encoding e;
    e.scale = scale;
    e.offset = offset;
    e.symmetric = symmetric;
    e.bitwidth = bw;
    e.min = scale * double(offset);
    e.max = scale * double(offset + (int64_t(1) << bw) - 1);
    return e;
}

static Node node(const std::string &op, const std::string &name, std::vector<std::string> in,
                 std::vector<std::string> out)
{
    Node n;
    n.opType = op;
    n.name = name;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    return n;
}

static std::vector<float> randomFloats(size_t n, float lo, float hi, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(n);
    for (auto &x : v)
        x = u(rng);
    return v;
}

// x [2,2,4,4] -> Conv(3x3, pad 1, 3 out) -> Relu -> Flatten -> Gemm(transB, 5 out) -> logits [2,5].
static Graph smallGraph(int64_t opset = 13)
{
    Graph g;
    g.name = "small";
    g.opsetVersion = opset;
    g.inputs.push_back({"x", DType::Float32, {2, 2, 4, 4}, {}, true});
    g.outputs.push_back({"logits", DType::Float32, {2, 5}, {}, true});
    g.initializers["conv.w"] = Tensor::fromFloats({3, 2, 3, 3}, randomFloats(54, -0.6f, 0.6f, 1));
    g.initializers["conv.b"] = Tensor::fromFloats({3}, {0.1f, -0.2f, 0.05f});
    g.initializers["fc.w"] = Tensor::fromFloats({5, 48}, randomFloats(240, -0.5f, 0.55f, 2));
    g.initializers["fc.b"] = Tensor::fromFloats({5}, {0.3f, -0.1f, 0.f, 0.2f, -0.4f});
    Node conv = node("Conv", "conv", {"x", "conv.w", "conv.b"}, {"conv_out"});
    conv.attributes["pads"] = Attribute::ofInts({1, 1, 1, 1});
    conv.attributes["kernel_shape"] = Attribute::ofInts({3, 3});
    Node gemm = node("Gemm", "fc", {"flat", "fc.w", "fc.b"}, {"logits"});
    gemm.attributes["transB"] = Attribute::ofInt(1);
    g.nodes = {conv, node("Relu", "relu", {"conv_out"}, {"relu_out"}), node("Flatten", "flatten", {"relu_out"}, {"flat"}),
               gemm};
    return g;
}

static std::vector<TensorEncoding> smallEncodings()
{
    TensorEncoding x{"x", QuantizerKind::ModelInput, false, 0, {enc(1.0 / 128, -128, false)}};
    TensorEncoding w{"conv.w", QuantizerKind::Param, true, 0,
                     {enc(0.005, -128, true), enc(0.004, -128, true), enc(0.0047, -128, true)}};
    TensorEncoding relu{"relu_out", QuantizerKind::Activation, false, 0, {enc(0.2, 0, false, 4)}};
    TensorEncoding fc{"fc.w", QuantizerKind::Param, false, 0, {enc(0.004, -120, false)}};
    TensorEncoding out{"logits", QuantizerKind::Activation, false, 0, {enc(0.05, -100, false)}};
    return {x, w, relu, fc, out};
}

static const Node *findNode(const Graph &g, const std::string &op, const std::string &output)
{
    for (const auto &n : g.nodes)
        if (n.opType == op && n.outputs[0] == output)
            return &n;
    return nullptr;
}

void TestQdq::structure()
{
    auto r = makeQdqGraph(smallGraph(), smallEncodings());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const std::string path = m_dir.filePath("small_qdq.onnx").toStdString();
    QVERIFY(exportOnnx(*r, path).ok());
    auto back = importOnnx(path);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    const Graph &g = *back;

    const std::map<std::string, int> ops = {{"Clip", 1}, {"Conv", 1}, {"DequantizeLinear", 5}, {"Flatten", 1},
                                            {"Gemm", 1}, {"QuantizeLinear", 3}, {"Relu", 1}};
    QCOMPARE(g.opHistogram(), ops);
    QCOMPARE(g.opsetVersion, int64_t(13));
    QCOMPARE(g.inputs.size(), size_t(1));
    QCOMPARE(g.inputs[0].name, std::string("x"));
    QCOMPARE(g.outputs.size(), size_t(1));
    QCOMPARE(g.outputs[0].name, std::string("logits"));

    // Weights: int8 per axis 0 for the conv, uint8 per tensor for the Gemm; float weights are gone.
    QVERIFY(!g.initializer("conv.w") && !g.initializer("fc.w"));
    const Node *dqConv = findNode(g, "DequantizeLinear", "conv.w");
    QVERIFY(dqConv);
    QCOMPARE(dqConv->attrInt("axis", -1), int64_t(0));
    QCOMPARE(int(g.initializer(dqConv->inputs[0])->dtype()), int(DType::Int8));
    QCOMPARE(g.initializer(dqConv->inputs[0])->shape(), (std::vector<int64_t>{3, 2, 3, 3}));
    QCOMPARE(g.initializer(dqConv->inputs[1])->toFloats(), (std::vector<float>{0.005f, 0.004f, 0.0047f}));
    QCOMPARE(int(g.initializer(dqConv->inputs[2])->dtype()), int(DType::Int8));
    QCOMPARE(g.initializer(dqConv->inputs[2])->toInt64s(), (std::vector<int64_t>{0, 0, 0}));
    const Node *dqFc = findNode(g, "DequantizeLinear", "fc.w");
    QVERIFY(dqFc);
    QVERIFY(!dqFc->has("axis"));
    QCOMPARE(int(g.initializer(dqFc->inputs[0])->dtype()), int(DType::UInt8));
    QCOMPARE(g.initializer(dqFc->inputs[1])->rank(), size_t(0));
    QCOMPARE(g.initializer(dqFc->inputs[2])->toInt64s(), (std::vector<int64_t>{120}));

    // The input keeps its name; the conv reads its dequantized copy (uint8, zero point 128).
    const Node *conv = findNode(g, "Conv", "conv_out");
    QVERIFY(conv);
    QCOMPARE(conv->inputs[0], std::string("x_dequantized"));
    const Node *qx = findNode(g, "QuantizeLinear", "x_quantized");
    QVERIFY(qx);
    QCOMPARE(qx->inputs[0], std::string("x"));
    QCOMPARE(int(g.initializer(qx->inputs[2])->dtype()), int(DType::UInt8));
    QCOMPARE(g.initializer(qx->inputs[2])->toInt64s(), (std::vector<int64_t>{128}));

    // The 4-bit Relu output: Clip to [0, 3] before the 8-bit QuantizeLinear; Flatten reads the
    // dequantized value under the original name.
    QVERIFY(findNode(g, "Relu", "relu_out_float"));
    const Node *clip = findNode(g, "Clip", "relu_out_clipped");
    QVERIFY(clip);
    QCOMPARE(g.initializer(clip->inputs[1])->toFloats(), std::vector<float>{0.f});
    QCOMPARE(g.initializer(clip->inputs[2])->toFloats(), std::vector<float>{3.f});
    QVERIFY(findNode(g, "DequantizeLinear", "relu_out"));
    QCOMPARE(findNode(g, "Flatten", "flat")->inputs[0], std::string("relu_out"));

    // The graph output: the Gemm writes logits_float, the last DequantizeLinear writes logits.
    QVERIFY(findNode(g, "Gemm", "logits_float"));
    QVERIFY(findNode(g, "DequantizeLinear", "logits"));
    QVERIFY(g.initializer("conv.b") && g.initializer("fc.b")); // biases stay float
}

// Stored integers: clamp, round half away from zero (as AIMET), shift to the container.
void TestQdq::weightIntegers()
{
    Graph g;
    g.opsetVersion = 13;
    g.inputs.push_back({"x", DType::Float32, {1, 4}, {}, true});
    g.outputs.push_back({"y", DType::Float32, {1, 2}, {}, true});
    g.initializers["w"] = Tensor::fromFloats({4, 2}, {0.25f, -0.25f, 0.75f, -0.75f, 1.0f, -1.0f, 0.05f, 200.f});
    g.nodes = {node("MatMul", "mm", {"x", "w"}, {"y"})};
    const Encoding sym = enc(0.5, -128, true);   // int8, zp 0
    const Encoding asym = enc(0.5, -10, false);  // uint8, zp 10
    for (const Encoding &e : {sym, asym}) {
        auto r = makeQdqGraph(g, {{"w", QuantizerKind::Param, false, 0, {e}}});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        const std::vector<int64_t> stored = r->initializer("w_quantized")->toInt64s();
        // AIMET rounds x / scale - offset, which is never negative: halfway values round up
        // (0.25 -> 1 but -0.25 -> 0). 200 clamps to the grid's top.
        const std::vector<int64_t> expected = e.symmetric ? std::vector<int64_t>{1, 0, 2, -1, 2, -2, 0, 127}
                                                          : std::vector<int64_t>{11, 10, 12, 9, 12, 8, 10, 255};
        QCOMPARE(stored, expected);
        const std::vector<float> w = g.initializer("w")->toFloats();
        const int64_t zp = r->initializer("w_zero_point")->toInt64s()[0];
        for (size_t i = 0; i < w.size(); ++i)
            QCOMPARE(float(0.5) * float(stored[i] - zp), quantizeDequantize(w[i], e));
    }
}

static float fakeQuant(float x, const Encoding &e, bool halfEven)
{
    const float scale = float(e.scale);
    const float lo = float(e.min), hi = float(e.max);
    x = std::min(std::max(x, lo), hi);
    // The QDQ model's QuantizeLinear rounds half to even; AIMET (and the weights) half away from zero.
    const float q = halfEven ? std::nearbyint(x / scale) : std::round(x / scale);
    return q * scale;
}

void TestQdq::runsLikeFakeQuantizedForward()
{
    const Graph g = smallGraph();
    const auto encs = smallEncodings();
    auto r = makeQdqGraph(g, encs);
    QVERIFY(r.ok());
    const std::string path = m_dir.filePath("run_qdq.onnx").toStdString();
    QVERIFY(exportOnnx(*r, path).ok());
    auto back = importOnnx(path);
    QVERIFY(back.ok());
    auto exec = Executor::create(*back);
    QVERIFY2(exec.ok(), exec.ok() ? "" : exec.error().message.c_str());
    const std::vector<float> x = randomFloats(64, -1.2f, 1.2f, 3);
    auto out = (*exec)->run({{"x", Tensor::fromFloats({2, 2, 4, 4}, x)}});
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    const std::vector<float> got = out->at("logits").toFloats();

    // Reference with plain loops on fake-quantized values.
    std::vector<float> xq(x.size());
    for (size_t i = 0; i < x.size(); ++i)
        xq[i] = fakeQuant(x[i], encs[0].encodings[0], true);
    const std::vector<float> cw = g.initializer("conv.w")->toFloats(), cb = g.initializer("conv.b")->toFloats();
    const std::vector<float> fw = g.initializer("fc.w")->toFloats(), fb = g.initializer("fc.b")->toFloats();
    std::vector<float> cwq(cw.size()), fwq(fw.size());
    for (size_t i = 0; i < cw.size(); ++i)
        cwq[i] = quantizeDequantize(cw[i], encs[1].encodings[i / 18]);
    for (size_t i = 0; i < fw.size(); ++i)
        fwq[i] = quantizeDequantize(fw[i], encs[3].encodings[0]);
    std::vector<float> act(2 * 48);
    for (int n = 0; n < 2; ++n)
        for (int o = 0; o < 3; ++o)
            for (int y = 0; y < 4; ++y)
                for (int xx = 0; xx < 4; ++xx) {
                    float s = cb[size_t(o)];
                    for (int c = 0; c < 2; ++c)
                        for (int ky = 0; ky < 3; ++ky)
                            for (int kx = 0; kx < 3; ++kx) {
                                const int iy = y + ky - 1, ix = xx + kx - 1;
                                if (iy < 0 || iy >= 4 || ix < 0 || ix >= 4)
                                    continue;
                                s += xq[size_t(((n * 2 + c) * 4 + iy) * 4 + ix)] * cwq[size_t(((o * 2 + c) * 3 + ky) * 3 + kx)];
                            }
                    act[size_t(n * 48 + (o * 4 + y) * 4 + xx)] = fakeQuant(std::max(s, 0.f), encs[2].encodings[0], true);
                }
    int steps = 0;
    for (int n = 0; n < 2; ++n)
        for (int j = 0; j < 5; ++j) {
            float s = fb[size_t(j)];
            for (int k = 0; k < 48; ++k)
                s += act[size_t(n * 48 + k)] * fwq[size_t(j * 48 + k)];
            const float want = fakeQuant(s, encs[4].encodings[0], true);
            QVERIFY2(std::fabs(got[size_t(n * 5 + j)] - want) <= 1e-5f,
                     qPrintable(QStringLiteral("logit %1: %2 vs %3").arg(n * 5 + j).arg(got[size_t(n * 5 + j)]).arg(want)));
            steps += int(std::lround(want / 0.05f));
        }
    QVERIFY(steps != 0); // the logits are not all zero
    // Quantization is visible: the float model differs by far more than the tolerance.
    auto floatExec = Executor::create(g);
    QVERIFY(floatExec.ok());
    auto floatOut = (*floatExec)->run({{"x", Tensor::fromFloats({2, 2, 4, 4}, x)}});
    QVERIFY(floatOut.ok());
    float floatDiff = 0;
    for (size_t i = 0; i < got.size(); ++i)
        floatDiff = std::max(floatDiff, std::fabs(got[i] - floatOut->at("logits").toFloats()[i]));
    QVERIFY2(floatDiff > 0.05f, qPrintable(QString::number(floatDiff)));
    // The 4-bit activation really uses at most 16 levels: values are multiples of 0.2 in [0, 3].
    auto all = (*exec)->run({{"x", Tensor::fromFloats({2, 2, 4, 4}, x)}}, true);
    QVERIFY(all.ok());
    for (float v : all->at("relu_out").toFloats()) {
        QVERIFY(v >= 0.f && v <= 3.0f + 1e-6f);
        QVERIFY(std::fabs(v / 0.2f - std::round(v / 0.2f)) < 1e-4f);
    }
}

// Signed 4-bit weights live in int8 with values in [-8, 7].
void TestQdq::fourBitWeights()
{
    Graph g = smallGraph();
    auto encs = smallEncodings();
    encs[1].encodings = {enc(0.08, -8, true, 4), enc(0.07, -8, true, 4), enc(0.06, -8, true, 4)};
    auto r = makeQdqGraph(g, encs);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const std::vector<int64_t> q = r->initializer("conv.w_quantized")->toInt64s();
    QCOMPARE(*std::min_element(q.begin(), q.end()), int64_t(-8));
    QCOMPARE(*std::max_element(q.begin(), q.end()), int64_t(7));
}

// Opset 11 graphs are upgraded to 13 (per-axis DequantizeLinear) with ONNX's version converter:
// Squeeze's axes attribute becomes an input, and the model computes the same.
void TestQdq::upgradesOpset()
{
    Graph g;
    g.name = "old";
    g.opsetVersion = 11;
    g.inputs.push_back({"x", DType::Float32, {1, 2, 3, 3}, {}, true});
    g.outputs.push_back({"y", DType::Float32, {1, 3}, {}, true});
    g.initializers["w"] = Tensor::fromFloats({3, 2, 1, 1}, {0.5f, -0.25f, 1.f, 0.75f, -1.f, 0.125f});
    Node squeeze = node("Squeeze", "sq", {"p"}, {"y"});
    squeeze.attributes["axes"] = Attribute::ofInts({2, 3});
    g.nodes = {node("Conv", "conv", {"x", "w"}, {"c"}), node("GlobalAveragePool", "gap", {"c"}, {"p"}), squeeze};
    auto r = makeQdqGraph(g, {{"w", QuantizerKind::Param, true, 0,
                               {enc(0.25, -128, true), enc(0.25, -128, true), enc(0.125, -128, true)}}});
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->opsetVersion, int64_t(13));
    const Node *sq = findNode(*r, "Squeeze", "y");
    QVERIFY(sq);
    QCOMPARE(sq->inputs.size(), size_t(2));
    const std::string path = m_dir.filePath("upgraded.onnx").toStdString();
    QVERIFY(exportOnnx(*r, path).ok());
    auto back = importOnnx(path);
    QVERIFY(back.ok());
    auto exec = Executor::create(*back);
    QVERIFY(exec.ok());
    const std::vector<float> x = randomFloats(18, -1.f, 1.f, 4);
    auto out = (*exec)->run({{"x", Tensor::fromFloats({1, 2, 3, 3}, x)}});
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    // All weights lie on their grids, so the QDQ model computes the float model exactly.
    const std::vector<float> w = g.initializer("w")->toFloats();
    for (int o = 0; o < 3; ++o) {
        float s = 0;
        for (int i = 0; i < 9; ++i)
            s += x[size_t(i)] * w[size_t(o * 2)] + x[size_t(9 + i)] * w[size_t(o * 2 + 1)];
        QVERIFY(std::fabs(out->at("y").toFloats()[size_t(o)] - s / 9) < 1e-6f);
    }
}

void TestQdq::noEncodings()
{
    Graph g = smallGraph(11);
    auto r = makeQdqGraph(g, {});
    QVERIFY(r.ok());
    QCOMPARE(r->opsetVersion, int64_t(11));
    QCOMPARE(r->nodes.size(), g.nodes.size());
}

void TestQdq::errors_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("16 bit") << 0 << int(ErrorCode::Unsupported)
        << QStringLiteral("QDQ export: tensor 'relu_out': bitwidth 16 does not fit the 8-bit QuantizeLinear/DequantizeLinear");
    QTest::newRow("unknown") << 1 << int(ErrorCode::Invalid)
        << QStringLiteral("QDQ export: tensor 'nope': no such tensor in the graph");
    QTest::newRow("channels") << 2 << int(ErrorCode::Invalid)
        << QStringLiteral("QDQ export: tensor 'conv.w': 2 channel encodings, but axis 0 of shape [3,2,3,3] has 3");
    QTest::newRow("per-channel activation") << 3 << int(ErrorCode::Unsupported)
        << QStringLiteral("QDQ export: tensor 'relu_out': per-channel encodings are only supported for weights");
    QTest::newRow("twice") << 4 << int(ErrorCode::Invalid) << QStringLiteral("QDQ export: tensor 'x': has two encodings");
    QTest::newRow("positive offset") << 5 << int(ErrorCode::Unsupported)
        << QStringLiteral("QDQ export: tensor 'relu_out': zero point -3 does not fit uint8 (the range excludes 0)");
}

void TestQdq::errors()
{
    QFETCH(int, which);
    QFETCH(int, code);
    QFETCH(QString, message);
    auto encs = smallEncodings();
    switch (which) {
    case 0: encs[2].encodings[0].bitwidth = 16; break;
    case 1: encs[0].tensor = "nope"; break;
    case 2: encs[1].encodings.pop_back(); break;
    case 3: encs[2].perChannel = true; break;
    case 4: encs.push_back(encs[0]); break;
    case 5: encs[2].encodings[0] = enc(0.2, 3, false); break;
    }
    auto r = makeQdqGraph(smallGraph(), encs);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message), message);
    QCOMPARE(int(r.error().code), code);
}

QTEST_APPLESS_MAIN(TestQdq)
#include "tst_qdq.moc"
