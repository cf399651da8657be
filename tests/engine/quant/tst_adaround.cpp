// AdaRound on small graphs built here: every learned weight is its FP32 value rounded down or up
// on its grid, the learned rounding lowers each layer's reconstruction error below nearest
// rounding, zero iterations give exactly nearest rounding, and the error the optimizer reports
// (a quadratic form for Conv / Gemm / MatMul) equals the layer's measured output error.

#include "testgraph.h"
#include "testutil.h"

#include "jobs/job.h"
#include "quant/adaround.h"
#include "runtime/executor.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace qs;

namespace {

// Gaussian values; with `shift`, |value| + shift, like the output of a ReLU layer: inputs with a
// mean make the rounding errors of a row add up, which is what AdaRound corrects.
Tensor randomTensor(std::vector<int64_t> shape, uint32_t seed, float scale = 1.f, float shift = -1.f)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.f, scale);
    std::vector<float> v(static_cast<size_t>(n));
    for (float &x : v)
        x = shift < 0 ? dist(rng) : std::abs(dist(rng)) + shift;
    return Tensor::fromFloats(shape, v);
}


ValueInfo value(const std::string &name, std::vector<int64_t> shape)
{
    return ValueInfo{name, DType::Float32, shape, std::vector<std::string>(shape.size()), true};
}

// x[N,4,9,9] -> Conv(W1[8,4,3,3], pads 1) -> Relu -> Conv(W2[6,8,3,3], stride 2, no pads) -> y
Graph twoConvGraph()
{
    Graph g;
    g.inputs.push_back(value("x", {-1, 4, 9, 9}));
    g.outputs.push_back(value("y", {-1, 6, 4, 4}));
    g.initializers["W1"] = randomTensor({8, 4, 3, 3}, 1, 0.4f);
    g.initializers["b1"] = randomTensor({8}, 2, 0.1f);
    g.initializers["W2"] = randomTensor({6, 8, 3, 3}, 3, 0.3f);
    g.initializers["b2"] = randomTensor({6}, 4, 0.1f);
    Node c1 = qs::test::makeNode("conv1", "Conv", {"x", "W1", "b1"}, {"h1"});
    c1.attributes["pads"] = Attribute::ofInts({1, 1, 1, 1});
    Node c2 = qs::test::makeNode("conv2", "Conv", {"r1", "W2", "b2"}, {"y"});
    c2.attributes["strides"] = Attribute::ofInts({2, 2});
    g.nodes = {c1, qs::test::makeNode("relu1", "Relu", {"h1"}, {"r1"}), c2};
    g.valueInfo["h1"] = value("h1", {-1, 8, 9, 9});
    g.valueInfo["r1"] = value("r1", {-1, 8, 9, 9});
    return g;
}

QuantSimOptions w4PerChannel()
{
    QuantSimOptions q;
    q.quant.paramBitwidth = 4;
    q.quant.perChannel = true;
    return q;
}

const TensorEncoding *encodingOf(const AdaroundResult &r, const std::string &tensor)
{
    for (const TensorEncoding &e : r.paramEncodings)
        if (e.tensor == tensor)
            return &e;
    return nullptr;
}

const Encoding &channelEncoding(const TensorEncoding &e, int64_t channel)
{
    return e.encodings.size() == 1 ? e.encodings[0] : e.encodings[size_t(channel)];
}

// The grid value at `level` (a multiple of the scale), clamped to the grid.
float gridValue(const Encoding &e, double level)
{
    const double steps = std::pow(2.0, e.bitwidth) - 1;
    const double q = std::clamp(level - double(e.offset), 0.0, steps);
    return float(e.scale * (q + double(e.offset)));
}

// Mean squared error per element between the output of `layerOutput` with `weights` in place of
// the original and the FP32 model's.
double layerError(const Graph &g, const std::string &weight, const Tensor &weights, const std::string &output,
                  const Tensor &x)
{
    Graph probe = g;
    probe.outputs = {value(output, {})};
    auto fp = Executor::create(probe).take();
    const Tensor ref = fp->run({{"x", x}}).take().at(output);
    probe.initializers[weight] = weights;
    auto q = Executor::create(probe).take();
    const Tensor out = q->run({{"x", x}}).take().at(output);
    const float *a = out.dataAs<float>();
    const float *b = ref.dataAs<float>();
    double sum = 0;
    for (int64_t i = 0; i < out.numel(); ++i)
        sum += double(a[i] - b[i]) * double(a[i] - b[i]);
    return sum / double(out.numel());
}

// Nearest rounding of `weight` with the encodings AdaRound used (channel axis 0 or 1).
Tensor nearestWeights(const Graph &g, const std::string &weight, const TensorEncoding &e)
{
    const Tensor &w = *g.initializer(weight);
    std::vector<float> v(w.dataAs<float>(), w.dataAs<float>() + w.numel());
    int64_t stride = 1; // elements between neighbouring channels along the axis
    for (size_t d = size_t(e.channelAxis) + 1; d < w.rank(); ++d)
        stride *= w.dim(d);
    const int64_t channels = w.dim(size_t(e.channelAxis));
    for (size_t i = 0; i < v.size(); ++i) {
        const int64_t c = (int64_t(i) / stride) % channels;
        const Encoding &enc = channelEncoding(e, c);
        v[i] = gridValue(enc, std::floor(double(v[i]) / enc.scale + 0.5));
    }
    return Tensor::fromFloats(w.shape(), v);
}

} // namespace

class TestAdaround : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundsEachWeightDownOrUp();
    void zeroIterationsIsNearestRounding();
    void reportedErrorMatchesTheLayer_data();
    void reportedErrorMatchesTheLayer();
    void cancelStops();
};

void TestAdaround::roundsEachWeightDownOrUp()
{
    const Graph g = twoConvGraph();
    const Tensor x = randomTensor({48, 4, 9, 9}, 7, 1.f, 0.2f);
    AdaroundOptions o;
    o.iterations = 2000;
    const AdaroundResult r = adaround(g, x, w4PerChannel(), o).take();
    QCOMPARE(int(r.report.layers.size()), 2);
    QCOMPARE(r.report.layers[0].layer, std::string("conv1"));
    QCOMPARE(r.report.samples, int64_t(48));
    for (const char *name : {"W1", "W2"}) {
        const TensorEncoding *e = encodingOf(r, name);
        QVERIFY(e);
        QCOMPARE(int(e->encodings.size()), int(g.initializer(name)->dim(0)));
        const Tensor &before = *g.initializer(name);
        const Tensor &after = *r.graph.initializer(name);
        const int64_t inner = before.numel() / before.dim(0);
        for (int64_t i = 0; i < before.numel(); ++i) {
            const Encoding &enc = channelEncoding(*e, i / inner);
            const double level = double(before.dataAs<float>()[i]) / enc.scale;
            const float down = gridValue(enc, std::floor(level));
            const float up = gridValue(enc, std::floor(level) + 1);
            const float got = after.dataAs<float>()[i];
            QVERIFY2(std::abs(got - down) < 1e-6f || std::abs(got - up) < 1e-6f,
                     qPrintable(QStringLiteral("%1[%2] = %3, not %4 or %5").arg(name).arg(i).arg(got).arg(down).arg(up)));
        }
    }
    for (const AdaroundLayerReport &l : r.report.layers) {
        qInfo("%s: error %.6g nearest, %.6g learned; %.1f%% of the weights changed", l.layer.c_str(), l.mseNearest,
              l.mseAdarounded, 100 * l.roundedUpChanged);
        QVERIFY(l.mseAdarounded < 0.9 * l.mseNearest);
        QVERIFY(l.roundedUpChanged > 0);
    }
    // The first layer sees the model input, so its reported error is the measured one.
    QVERIFY(std::abs(layerError(g, "W1", *r.graph.initializer("W1"), "h1", x) - r.report.layers[0].mseAdarounded) <
            1e-4 * r.report.layers[0].mseAdarounded + 1e-9);
}

void TestAdaround::zeroIterationsIsNearestRounding()
{
    const Graph g = twoConvGraph();
    const Tensor x = randomTensor({16, 4, 9, 9}, 8);
    AdaroundOptions o;
    o.iterations = 0;
    const AdaroundResult r = adaround(g, x, w4PerChannel(), o).take();
    for (const char *name : {"W1", "W2"}) {
        const Tensor expected = nearestWeights(g, name, *encodingOf(r, name));
        const Tensor &got = *r.graph.initializer(name);
        for (int64_t i = 0; i < got.numel(); ++i)
            QCOMPARE(got.dataAs<float>()[i], expected.dataAs<float>()[i]);
    }
    for (const AdaroundLayerReport &l : r.report.layers) {
        QCOMPARE(l.roundedUpChanged, 0.0);
        QCOMPARE(l.mseAdarounded, l.mseNearest);
    }
}

// One layer on the model input, in the layouts the quadratic form handles (grouped and
// depthwise convolutions, asymmetric pads, stride, dilation, Gemm both ways, MatMul) and one it
// does not (ConvTranspose runs its kernel on sampled batches).
void TestAdaround::reportedErrorMatchesTheLayer_data()
{
    QTest::addColumn<QString>("op");
    QTest::newRow("conv asymmetric pads, stride 2, groups 2") << "conv-grouped";
    QTest::newRow("depthwise conv, dilation 2") << "conv-depthwise";
    QTest::newRow("gemm transB=1") << "gemm-transb";
    QTest::newRow("gemm transB=0") << "gemm";
    QTest::newRow("matmul") << "matmul";
    QTest::newRow("conv transpose (sampled)") << "convtranspose";
}

void TestAdaround::reportedErrorMatchesTheLayer()
{
    QFETCH(QString, op);
    Graph g;
    Tensor x;
    if (op.startsWith("conv")) {
        x = randomTensor({24, 4, 10, 10}, 11, 1.f, 0.2f);
        g.inputs.push_back(value("x", {-1, 4, 10, 10}));
        Node n = qs::test::makeNode("layer", op == "convtranspose" ? "ConvTranspose" : "Conv", {"x", "W", "b"}, {"y"});
        if (op == "conv-grouped") {
            g.initializers["W"] = randomTensor({6, 2, 3, 3}, 12, 0.5f);
            g.initializers["b"] = randomTensor({6}, 13, 0.2f);
            n.attributes["group"] = Attribute::ofInt(2);
            n.attributes["pads"] = Attribute::ofInts({0, 1, 2, 1});
            n.attributes["strides"] = Attribute::ofInts({2, 2});
        } else if (op == "conv-depthwise") {
            g.initializers["W"] = randomTensor({4, 1, 3, 3}, 14, 0.5f);
            g.initializers["b"] = randomTensor({4}, 15, 0.2f);
            n.attributes["group"] = Attribute::ofInt(4);
            n.attributes["dilations"] = Attribute::ofInts({2, 2});
            n.attributes["pads"] = Attribute::ofInts({2, 2, 2, 2});
        } else {
            g.initializers["W"] = randomTensor({4, 3, 2, 2}, 16, 0.5f);
            g.initializers["b"] = randomTensor({3}, 17, 0.2f);
            n.attributes["strides"] = Attribute::ofInts({2, 2});
        }
        g.nodes.push_back(n);
    } else {
        x = randomTensor({40, 12}, 21, 1.f, 0.2f);
        g.inputs.push_back(value("x", {-1, 12}));
        const bool transB = op == "gemm-transb";
        g.initializers["W"] = randomTensor(transB ? std::vector<int64_t>{5, 12} : std::vector<int64_t>{12, 5}, 22, 0.5f);
        Node n = qs::test::makeNode("layer", op == "matmul" ? "MatMul" : "Gemm", {"x", "W"}, {"y"});
        if (op != "matmul") {
            g.initializers["b"] = randomTensor({5}, 23, 0.2f);
            n.inputs.push_back("b");
            n.attributes["transB"] = Attribute::ofInt(transB ? 1 : 0);
        }
        g.nodes.push_back(n);
    }
    g.outputs.push_back(value("y", {}));
    AdaroundOptions o;
    o.iterations = 2000;
    o.batchSize = 24;
    const AdaroundResult r = adaround(g, x, w4PerChannel(), o).take();
    QCOMPARE(int(r.report.layers.size()), 1);
    const AdaroundLayerReport &l = r.report.layers[0];
    const double nearest = layerError(g, "W", nearestWeights(g, "W", *encodingOf(r, "W")), "y", x);
    const double learned = layerError(g, "W", *r.graph.initializer("W"), "y", x);
    qInfo("%s: error %.6g nearest (reported %.6g), %.6g learned (reported %.6g)", qPrintable(op), nearest,
          l.mseNearest, learned, l.mseAdarounded);
    QVERIFY(std::abs(l.mseNearest - nearest) <= 1e-4 * nearest);
    QVERIFY(std::abs(l.mseAdarounded - learned) <= 1e-4 * learned);
    QVERIFY(learned < nearest);
}

void TestAdaround::cancelStops()
{
    Job job;
    job.cancel();
    AdaroundOptions o;
    o.iterations = 100;
    const Result<AdaroundResult> r = adaround(twoConvGraph(), randomTensor({8, 4, 9, 9}, 9), w4PerChannel(), o, &job);
    QVERIFY(!r.ok());
    QCOMPARE(int(r.error().code), int(ErrorCode::Cancelled));
}

QTEST_APPLESS_MAIN(TestAdaround)
#include "tst_adaround.moc"
