// Batch-norm folding, cross-layer scaling and high-bias absorption on graphs built in code:
// AIMET's test vectors (ALGORITHMS.md §10), the exact function of the rewritten graph (run
// before and after through the executor, unoptimized and fused plans), and its structure.

#include "graphbuilder.h"

#include "equalize/equalize.h"
#include "equalize/equalizejson.h"
#include "equalize/layerweights.h"

#include <QTest>

#include <numeric>

using namespace qs;
using namespace qs::test;

namespace {

std::vector<float> iota(int n, float start, float step)
{
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[size_t(i)] = start + step * float(i);
    return v;
}

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string weightOf(const Graph &g, const std::string &node, size_t input = 1)
{
    return g.nodes[size_t(findNode(g, node))].inputs.at(input);
}

void checkSameFunction(const Graph &before, const Graph &after, const Tensor &x, double tolerance)
{
    for (bool optimize : {false, true}) {
        const double d = relativeDiff(runGraph(before, x, optimize), runGraph(after, x, optimize));
        if (d > tolerance)
            QFAIL(qPrintable(QString("optimize=%1: relative difference %2 > %3").arg(optimize).arg(d).arg(tolerance)));
    }
}

// x[1,2,6,6] -> Conv(W1 2x2x3x1, b1) -> Relu -> depthwise Conv(2x1x2x3) -> Relu -> Conv(W3 2x2x3x1)
Graph tripletGraph()
{
    GraphBuilder b({1, 2, 6, 6});
    b.init("W1", {2, 2, 3, 1}, iota(12, 1, 1));
    b.init("b1", {2}, {1, 2});
    b.init("W2", {2, 1, 2, 3}, iota(12, 1, 2));
    b.init("b2", {2}, {0.5f, -0.5f});
    b.init("W3", {2, 2, 3, 1}, iota(12, 1, 1));
    b.conv("x", "W1", "b1", "c1").name = "conv1";
    b.node("Relu", {"c1"}, "r1");
    b.conv("r1", "W2", "b2", "c2", 2).name = "dw";
    b.node("Relu", {"c2"}, "r2");
    b.conv("r2", "W3", "", "y").name = "conv3";
    return b.finish("y");
}

// A MobileNet-like block: Conv -> BN -> Clip(0,6) -> computed zero Pad -> depthwise Conv (stride 2)
// -> BN -> Clip(0,6) -> Conv 1x1 -> BN -> Relu -> GlobalAveragePool -> Flatten -> Gemm.
Graph mobileBlock(float betaShift)
{
    GraphBuilder b({2, 3, 12, 12});
    b.random("w0", {8, 3, 3, 3}, -1, 1);
    b.conv("x", "w0", "", "c0", 1, {1, 1, 1, 1}).name = "conv0";
    b.batchNorm("c0", "n0", 8, betaShift);
    b.clip("n0", "a0", 0, 6);
    b.computedPad("a0", "p0", 0, 0, 1, 1).name = "pad0";
    b.random("w1", {8, 1, 3, 3}, -3, 3);
    b.conv("p0", "w1", "", "c1", 8, {0, 0, 0, 0}, 2).name = "dw1";
    b.batchNorm("c1", "n1", 8, betaShift);
    b.clip("n1", "a1", 0, 6);
    b.random("w2", {4, 8, 1, 1}, -1, 1);
    b.random("b2", {4}, -0.1f, 0.1f);
    b.conv("a1", "w2", "b2", "c2").name = "pw2";
    b.batchNorm("c2", "n2", 4, betaShift);
    b.node("Relu", {"n2"}, "a2");
    b.node("GlobalAveragePool", {"a2"}, "g");
    Node &flatten = b.node("Flatten", {"g"}, "f");
    flatten.name = "flatten";
    flatten.attributes["axis"] = Attribute::ofInt(1);
    b.random("wf", {5, 4}, -1, 1);
    b.random("bf", {5}, -1, 1);
    b.node("Gemm", {"f", "wf", "bf"}, "y").attributes["transB"] = Attribute::ofInt(1);
    return b.finish("y");
}

} // namespace

class TestEqualize : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void foldIntoPreviousLayer();
    void foldIntoNextLayerAndSkips();
    void depthwiseTripletScales();
    void twoLayerScales();
    void deadChannelsAreNotScaledUp();
    void relu6StaysExact();
    void equalizeKeepsTheFunction_data();
    void equalizeKeepsTheFunction();
    void highBiasAbsorption();
    void measuredStatistics();
    void reportJson();
};

void TestEqualize::foldIntoPreviousLayer()
{
    GraphBuilder b({1, 2, 4, 4});
    b.init("W", {2, 2, 1, 1}, {1, 2, 3, 4});
    b.init("b", {2}, {0.5f, -1.5f});
    b.conv("x", "W", "b", "c").name = "conv";
    b.init("g", {2}, {1, 2});
    b.init("be", {2}, {1, 0});
    b.init("m", {2}, {0, 1});
    b.init("v", {2}, {1, 4});
    Node &bn = b.node("BatchNormalization", {"c", "g", "be", "m", "v"}, "y");
    bn.name = "bn";
    bn.attributes["epsilon"] = Attribute::ofFloat(0.f);
    const Graph g = b.finish("y");
    const BatchNormFoldResult r = foldBatchNorms(g).take();
    QCOMPARE(countOps(r.graph, "BatchNormalization"), 0);
    QCOMPARE(int(r.report.folded.size()), 1);
    QCOMPARE(str(r.report.folded[0].layer), QString("conv"));
    QVERIFY(r.report.folded[0].intoPrevious);
    // AIMET's vector: gamma 1, beta 1, mean 0, var 1 gives bias[0] = b[0] + 1.
    const auto bias = initValues(r.graph, weightOf(r.graph, "conv", 2));
    QCOMPARE(bias[0], 1.5f);
    QCOMPARE(bias[1], 0.f + (-1.5f - 1.f) * 1.f); // beta + (b - mean) * gamma / sqrt(var)
    QCOMPARE(r.stats.at("conv").mean, (std::vector<double>{1, 0}));
    QCOMPARE(r.stats.at("conv").stddev, (std::vector<double>{1, 2}));
    QCOMPARE(str(r.graph.nodes[size_t(findNode(r.graph, "conv"))].outputs[0]), QString("y"));
    checkSameFunction(g, r.graph, randomInput({1, 2, 4, 4}, 1), 1e-6);
}

void TestEqualize::foldIntoNextLayerAndSkips()
{
    // BN on the graph input folds into the unpadded Conv after it.
    GraphBuilder b({1, 3, 5, 5});
    b.batchNorm("x", "n", 3).name = "bn_in";
    b.random("w", {4, 3, 1, 1}, -1, 1);
    b.conv("n", "w", "", "c").name = "conv";
    // A Conv output read by a BN and by an Add cannot take the BN, nor can the padded Conv after it.
    b.batchNorm("c", "n2", 4).name = "bn_shared";
    b.node("Add", {"c", "n2"}, "s");
    b.random("w2", {2, 4, 3, 3}, -1, 1);
    b.conv("s", "w2", "", "y", 1, {1, 1, 1, 1}).name = "conv2";
    const Graph g = b.finish("y");
    const BatchNormFoldResult r = foldBatchNorms(g).take();
    QCOMPARE(int(r.report.folded.size()), 1);
    QCOMPARE(str(r.report.folded[0].batchNorm), QString("bn_in"));
    QCOMPARE(str(r.report.folded[0].layer), QString("conv"));
    QVERIFY(!r.report.folded[0].intoPrevious);
    QVERIFY(r.stats.empty());
    QCOMPARE(int(r.report.skipped.size()), 1);
    QCOMPARE(str(r.report.skipped[0].reason), QString("the output of Conv 'conv' is also used elsewhere; its output goes to Add 'Add_3', not a Conv or Gemm"));
    checkSameFunction(g, r.graph, randomInput({1, 3, 5, 5}, 2), 1e-5);

    GraphBuilder p({1, 3, 5, 5});
    p.batchNorm("x", "n", 3).name = "bn";
    p.random("w", {4, 3, 3, 3}, -1, 1);
    p.conv("n", "w", "", "y", 1, {1, 1, 1, 1}).name = "conv";
    const BatchNormFoldResult skipped = foldBatchNorms(p.finish("y")).take();
    QCOMPARE(int(skipped.report.skipped.size()), 1);
    QCOMPARE(str(skipped.report.skipped[0].reason), QString("its input 'x' is a graph input; Conv 'conv' pads its input (the padded zeros would not be "
                         "normalized)"));
}

void TestEqualize::depthwiseTripletScales()
{
    const Graph g = tripletGraph();
    const ClsResult r = crossLayerScale(g).take();
    QCOMPARE(int(r.report.groups.size()), 1);
    QCOMPARE(r.report.groups[0].layers, (std::vector<std::string>{"conv1", "dw", "conv3"}));
    const auto w1 = initValues(r.graph, "W1"), w3 = initValues(r.graph, "W3"), b1 = initValues(r.graph, "b1");
    // s12[0] = 6 / (6 * 11 * 9)^(1/3); W3'[0] = W3[0] * s23[0].
    QVERIFY(std::fabs(1.0 / w1[0] - 0.7137658) < 1e-6);
    QVERIFY(std::fabs(w3[0] - 0.93401319) < 1e-6);
    QCOMPARE(b1[0], w1[0]);
    QVERIFY(std::fabs(r.report.groups[0].scales[0][0] - 0.7137658) < 1e-6);
    // All three layers end with the same range per channel: c = (r0 r1 r2)^(1/3).
    const auto L1 = LayerWeights::load(r.graph, findNode(r.graph, "conv1"))->outRange();
    const auto L2 = LayerWeights::load(r.graph, findNode(r.graph, "dw"))->outRange();
    const auto L3 = LayerWeights::load(r.graph, findNode(r.graph, "conv3"))->inRange();
    for (size_t c = 0; c < 2; ++c) {
        QVERIFY(std::fabs(L1[c] - L2[c]) < 1e-5 * L1[c]);
        QVERIFY(std::fabs(L2[c] - L3[c]) < 1e-5 * L1[c]);
    }
    checkSameFunction(g, r.graph, randomInput({1, 2, 6, 6}, 3), 1e-6);
}

void TestEqualize::twoLayerScales()
{
    GraphBuilder b({1, 2, 6, 6});
    b.init("W1", {2, 2, 3, 1}, iota(12, 1, 1));
    b.init("b1", {2}, {1, 2});
    b.init("W2", {2, 2, 3, 1}, iota(12, 1, 1));
    b.conv("x", "W1", "b1", "c1").name = "conv1";
    b.node("Relu", {"c1"}, "r1");
    b.conv("r1", "W2", "", "y").name = "conv2";
    const Graph g = b.finish("y");
    const ClsResult r = crossLayerScale(g).take();
    QCOMPARE(int(r.report.groups.size()), 1);
    const auto w1 = initValues(r.graph, "W1"), w2 = initValues(r.graph, "W2"), b1 = initValues(r.graph, "b1");
    // AIMET's vector: W1'[0] = 1 / W2'[0] = b1'[0]; here s[0] = sqrt(6 / 9).
    QVERIFY(std::fabs(w1[0] - 1.0f / w2[0]) < 1e-6);
    QCOMPARE(w1[0], b1[0]);
    QVERIFY(std::fabs(w1[0] - 1.0 / std::sqrt(6.0 / 9.0)) < 1e-6);
    checkSameFunction(g, r.graph, randomInput({1, 2, 6, 6}, 4), 1e-6);
}

void TestEqualize::deadChannelsAreNotScaledUp()
{
    // Channel 1 of conv1 has weights ~0 (a BN with gamma ~0 folded in): its output is its bias,
    // which the weight-range formula would multiply by sqrt(r2 / r1) ~ 1e5.
    GraphBuilder b({1, 2, 4, 4});
    b.init("W1", {2, 2, 1, 1}, {2, -1, 1e-10f, 1e-10f});
    b.init("b1", {2}, {0.5f, 3});
    b.init("W2", {2, 2, 1, 1}, {0.5f, 1, -0.25f, 2});
    b.conv("x", "W1", "b1", "c1").name = "conv1";
    b.clip("c1", "r1", 0, 6);
    b.conv("r1", "W2", "", "y").name = "conv2";
    const Graph g = b.finish("y");
    const ClsResult r = crossLayerScale(g).take();
    const auto &s = r.report.groups.at(0).scales[0];
    QVERIFY(std::fabs(s[0] - std::sqrt(2.0 / 0.5)) < 1e-6);
    QCOMPARE(s[1], 1.0);
    QCOMPARE(initValues(r.graph, "b1")[1], 3.f);
    ClsOptions loose;
    loose.deadRange = 0;
    QVERIFY(crossLayerScale(g, {}, loose).take().report.groups.at(0).scales[0][1] < 1e-4);
    checkSameFunction(g, r.graph, randomInput({1, 2, 4, 4}, 12), 1e-6);
}

void TestEqualize::relu6StaysExact()
{
    GraphBuilder b({1, 2, 6, 6});
    b.init("W1", {3, 2, 1, 1}, {4, 0.5f, 8, -6, 0.1f, 0.2f});
    b.init("b1", {3}, {1, 2, -1});
    b.init("W2", {2, 3, 1, 1}, {0.1f, 1, 3, -0.2f, 2, 0.5f});
    b.conv("x", "W1", "b1", "c1").name = "conv1";
    b.clip("c1", "r1", 0, 6).name = "relu6";
    b.conv("r1", "W2", "", "y").name = "conv2";
    const Graph g = b.finish("y");
    const ClsResult r = crossLayerScale(g).take();
    QCOMPARE(countOps(r.graph, "Clip"), 0);
    QCOMPARE(countOps(r.graph, "Relu"), 1);
    QCOMPARE(countOps(r.graph, "Min"), 1);
    QCOMPARE(countOps(r.graph, "Constant"), 0); // the Clip's bounds went with it
    QCOMPARE(r.report.groups[0].clampsRewritten, 1);
    const Node &min = r.graph.nodes[size_t(findNode(r.graph, "relu6/upper"))];
    QCOMPARE(str(min.outputs[0]), QString("r1"));
    const Tensor *bound = r.graph.initializer(min.inputs[1]);
    QVERIFY(bound);
    QCOMPARE(bound->shape(), (std::vector<int64_t>{1, 3, 1, 1}));
    const auto s = r.report.groups[0].scales[0];
    const auto v = bound->toFloats();
    for (size_t c = 0; c < 3; ++c)
        QVERIFY(std::fabs(v[c] - 6.0 / s[c]) < 1e-5 * v[c]);
    // Inputs large enough that every channel saturates somewhere.
    checkSameFunction(g, r.graph, randomInput({1, 2, 6, 6}, 5, -3, 3), 1e-6);
}

void TestEqualize::equalizeKeepsTheFunction_data()
{
    QTest::addColumn<float>("betaShift");
    QTest::newRow("plain BN") << 0.f;
    QTest::newRow("high-bias BN") << 3.f;
}

void TestEqualize::equalizeKeepsTheFunction()
{
    QFETCH(float, betaShift);
    const Graph g = mobileBlock(betaShift);
    const EqualizeResult r = equalize(g).take();
    QCOMPARE(int(r.report.fold.folded.size()), 3);
    QCOMPARE(countOps(r.graph, "BatchNormalization"), 0);
    QCOMPARE(countOps(r.graph, "Clip"), 0);
    QCOMPARE(countOps(r.graph, "Pad"), 1);
    QCOMPARE(int(r.report.cls.groups.size()), 1);
    QCOMPARE(r.report.cls.groups[0].layers, (std::vector<std::string>{"conv0", "dw1", "pw2"}));
    QCOMPARE(int(r.report.cls.skipped.size()), 2);
    QCOMPARE(str(r.report.cls.skipped[0].layer), QString("pw2"));
    QCOMPARE(str(r.report.cls.skipped[0].reason), QString("chain stops at Flatten 'flatten' (not a per-channel op)"));
    // Absorption: conv0 -> dw1 passes a zero Pad (skipped, exact mode); dw1 -> pw2 is free.
    QCOMPARE(str(r.report.hba.skipped[0].layer), QString("conv0"));
    QCOMPARE(str(r.report.hba.skipped[0].reason), QString("Pad 'pad0' pads with zeros (absorbing would change border outputs)"));
    if (betaShift > 0) {
        QCOMPARE(int(r.report.hba.absorbed.size()), 1);
        QCOMPARE(str(r.report.hba.absorbed[0].layer), QString("dw1"));
        QCOMPARE(countOps(r.graph, "Max"), 1); // the ReLU moved to -c
    }
    checkSameFunction(g, r.graph, randomInput({2, 3, 12, 12}, 6, -2, 2), 1e-5);
}

void TestEqualize::highBiasAbsorption()
{
    GraphBuilder b({2, 3, 6, 6});
    b.random("w0", {4, 3, 1, 1}, -1, 1);
    b.conv("x", "w0", "", "c0").name = "conv0";
    b.batchNorm("c0", "n0", 4, 4.f);
    b.node("Relu", {"n0"}, "a0");
    b.random("w1", {2, 4, 3, 3}, -1, 1);
    b.conv("a0", "w1", "", "y", 1, {1, 1, 1, 1}).name = "conv1";
    const Graph g = b.finish("y");
    const BatchNormFoldResult f = foldBatchNorms(g).take();
    const LayerStats st = f.stats.at("conv0");
    // Exact mode leaves the padded conv1 alone; AIMET's mode absorbs into it.
    const HbaResult exact = absorbHighBias(f.graph, f.stats).take();
    QCOMPARE(int(exact.report.absorbed.size()), 0);
    QCOMPARE(str(exact.report.skipped[0].reason), QString("layer 'conv1' pads its input with zeros (absorbing would change border outputs)"));
    HbaOptions approx;
    approx.exact = false;
    const HbaResult r = absorbHighBias(f.graph, f.stats, approx).take();
    QCOMPARE(int(r.report.absorbed.size()), 1);
    const auto &c = r.report.absorbed[0].amount;
    const auto b0 = initValues(f.graph, weightOf(f.graph, "conv0", 2));
    const auto b0a = initValues(r.graph, weightOf(r.graph, "conv0", 2));
    const auto b1a = initValues(r.graph, weightOf(r.graph, "conv1", 2));
    const auto w1 = initValues(r.graph, "w1");
    for (size_t ch = 0; ch < 4; ++ch) {
        QCOMPARE(c[ch], std::max(0.0, st.mean[ch] - 3 * st.stddev[ch]));
        QVERIFY(std::fabs(b0a[ch] - (b0[ch] - c[ch])) < 1e-5);
        QCOMPARE(r.stats.at("conv0").mean[ch], st.mean[ch] - c[ch]);
    }
    for (size_t o = 0; o < 2; ++o) {
        double expected = 0;
        for (size_t i = 0; i < 4; ++i)
            for (size_t k = 0; k < 9; ++k)
                expected += w1[(o * 4 + i) * 9 + k] * c[i];
        QVERIFY(std::fabs(b1a[o] - expected) < 1e-4);
    }
    QVERIFY(std::accumulate(c.begin(), c.end(), 0.0) > 0);
    // Interior outputs are unchanged where the pre-activation stays above c; the borders are not.
    const Tensor x = randomInput({2, 3, 6, 6}, 7);
    const auto before = runGraph(f.graph, x, false), after = runGraph(r.graph, x, false);
    double interior = 0;
    for (int64_t n = 0; n < 2 * 2; ++n)
        for (int64_t h = 1; h < 5; ++h)
            for (int64_t w = 1; w < 5; ++w)
                interior = std::max(interior, double(std::fabs(before[size_t(n * 36 + h * 6 + w)] -
                                                               after[size_t(n * 36 + h * 6 + w)])));
    QVERIFY2(interior < 1e-4, qPrintable(QString::number(interior)));
    QVERIFY(relativeDiff(before, after) > 1e-3);
}

void TestEqualize::measuredStatistics()
{
    const Graph g = mobileBlock(2.f);
    const Graph folded = foldBatchNorms(g).take().graph;
    const Tensor x = randomInput({4, 3, 12, 12}, 8, -2, 2);
    int calls = 0;
    const LayerStatsTable st =
        measureLayerStats(folded, [&]() -> std::optional<Tensor> { return calls++ < 2 ? std::optional(x) : std::nullopt; })
            .take();
    QCOMPARE(int(st.size()), 4); // conv0, dw1, pw2 and the Gemm
    // Against the executor's own tensors: mean and std over N, H, W of dw1's output channel 0..7.
    auto ex = Executor::create(folded).take();
    const TensorMap all = ex->run({{"x", x}}, true).take();
    const std::string out = folded.nodes[size_t(findNode(folded, "dw1"))].outputs[0];
    const Tensor &t = all.at(out);
    const auto v = t.toFloats();
    const int64_t C = t.dim(1), HW = t.dim(2) * t.dim(3);
    for (int64_t c = 0; c < C; ++c) {
        double s = 0, q = 0;
        for (int64_t n = 0; n < t.dim(0); ++n)
            for (int64_t k = 0; k < HW; ++k) {
                const double e = v[size_t((n * C + c) * HW + k)];
                s += e;
                q += e * e;
            }
        const double count = double(t.dim(0) * HW), mean = s / count;
        QVERIFY(std::fabs(st.at("dw1").mean[size_t(c)] - mean) < 1e-4 * (1 + std::fabs(mean)));
        QVERIFY(std::fabs(st.at("dw1").stddev[size_t(c)] - std::sqrt(q / count - mean * mean)) < 1e-3);
    }
    QCOMPARE(str(st.at("dw1").source), QString("measured"));
    // The pipeline measures them itself for a model without BNs, and absorbs the high bias.
    GraphBuilder b({1, 3, 6, 6});
    b.random("w0", {4, 3, 1, 1}, -0.2f, 0.2f);
    b.init("b0", {4}, {3, 2, -1, 4});
    b.conv("x", "w0", "b0", "c0").name = "conv0";
    b.clip("c0", "a0", 0, 6);
    b.random("w1", {2, 4, 1, 1}, -1, 1);
    b.conv("a0", "w1", "", "y").name = "conv1";
    const Graph plain = b.finish("y");
    const Tensor x2 = randomInput({4, 3, 6, 6}, 9);
    EqualizeOptions o;
    o.crossLayerScale = false;
    calls = 0;
    o.data = [&]() -> std::optional<Tensor> { return calls++ < 1 ? std::optional(x2) : std::nullopt; };
    const EqualizeResult r = equalize(plain, o).take();
    QCOMPARE(r.report.measuredLayers, 2);
    QCOMPARE(int(r.report.hba.absorbed.size()), 1);
    const auto &c = r.report.hba.absorbed[0].amount;
    QVERIFY(c[0] > 2 && c[0] < 3 && c[1] > 1 && c[1] < 2 && c[2] == 0 && c[3] > 3 && c[3] < 4);
    QCOMPARE(countOps(r.graph, "Max"), 1); // Clip(0, 6) became Max(x, -c), Min(x, 6 - c)
    QCOMPARE(countOps(r.graph, "Min"), 1);
    checkSameFunction(plain, r.graph, x2, 1e-5);
}

void TestEqualize::reportJson()
{
    const EqualizeResult r = equalize(mobileBlock(3.f)).take();
    const nlohmann::json j = toJson(r.report);
    QCOMPARE(j["folded_batch_norms"].size(), size_t(3));
    QCOMPARE(str(j["folded_batch_norms"][0]["into"].get<std::string>()), QString("previous"));
    QCOMPARE(j["folded_batch_norms"][0]["gamma"].size(), size_t(8));
    QCOMPARE(j["groups"][0]["layers"].size(), size_t(3));
    QCOMPARE(j["groups"][0]["scales"].size(), size_t(2));
    QCOMPARE(j["groups"][0]["scales"][0]["channels"].get<int>(), 8);
    QVERIFY(j["groups"][0]["scales"][0]["min"].get<double>() > 0);
    QCOMPARE(str(j["absorbed_biases"][0]["layer"].get<std::string>()), QString("dw1"));
    QCOMPARE(str(j["skipped"][0]["layer"].get<std::string>()), QString("pw2"));
    QCOMPARE(j["steps"].size(), size_t(3));
    QVERIFY(j["seconds"].get<double>() >= 0);
}

QTEST_APPLESS_MAIN(TestEqualize)
#include "tst_equalize.moc"
