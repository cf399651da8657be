// Compression on graphs built in code: SVD splits at full rank compute the layer's function, the
// cost formulas of ALGORITHMS.md §5 on hand-computed cases, least-squares reconstruction,
// exact winnowing, greedy selection worked out by hand, and the sensitivity table's prefix reuse
// and resumable cache.

#include "engine/equalize/graphbuilder.h"

#include "compress/channelpruning.h"
#include "compress/compressor.h"
#include "compress/greedy.h"
#include "compress/layergeometry.h"
#include "compress/sensitivity.h"
#include "compress/svdsplit.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "equalize/layerweights.h"
#include "graph/costmodel.h"
#include "jobs/job.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <numeric>
#include <random>

using namespace qs;
using namespace qs::test;

namespace {

// Shapes inferred by ONNX, as the importer gives them for real models.
Graph inferred(const Graph &g)
{
    return importOnnxBytes(serializeOnnx(g).take(), "test", "").take();
}

const LayerGeometry geometryOf(const Graph &g, const std::string &node)
{
    return *layerGeometry(g, findNode(g, node));
}

// x -> Conv(o, i, kh, kw, stride, pads) -> y
Graph singleConv(int64_t o, int64_t i, int64_t kh, int64_t kw, int64_t stride, int64_t pad, int64_t size)
{
    GraphBuilder b({1, i, size, size});
    b.random("W", {o, i, kh, kw}, -1.f, 1.f);
    b.random("B", {o}, -0.5f, 0.5f);
    Node &n = b.conv("x", "W", "B", "y", 1, {pad, pad, pad, pad}, stride);
    n.name = "conv";
    n.attributes["kernel_shape"] = Attribute::ofInts({kh, kw});
    return inferred(b.finish("y"));
}

Graph matrixLayer(const std::string &op, bool transB)
{
    GraphBuilder b({1, 12});
    b.random("W", transB ? std::vector<int64_t>{7, 12} : std::vector<int64_t>{12, 7}, -1.f, 1.f);
    b.random("B", {7}, -0.5f, 0.5f);
    Node &n = b.node(op, op == "Gemm" ? std::vector<std::string>{"x", "W", "B"} : std::vector<std::string>{"x", "W"}, "y");
    n.name = "fc";
    if (op == "Gemm")
        n.attributes["transB"] = Attribute::ofInt(transB ? 1 : 0);
    return inferred(b.finish("y"));
}

class MemoryDataset : public Dataset {
public:
    MemoryDataset(std::vector<int64_t> shape, int64_t count, int classes) : m_shape(std::move(shape))
    {
        for (int64_t i = 0; i < count; ++i) {
            m_records.push_back(randomInput(m_shape, uint32_t(100 + i)));
            m_labels.push_back(i % classes);
        }
    }
    int64_t size() const override { return int64_t(m_records.size()); }
    Record record(int64_t index) const override
    {
        Record r;
        r.tensor = m_records.at(size_t(index));
        r.label = m_labels.at(size_t(index));
        return r;
    }
    std::string path() const override { return "memory"; }
    std::string kind() const override { return "npy"; }

private:
    std::vector<int64_t> m_shape;
    std::vector<Tensor> m_records;
    std::vector<int64_t> m_labels;
};

// x[3,8,8] -> conv a (3->16) -> Relu -> conv b (16->16) -> Relu -> conv c (16->16) -> Add(b's relu)
//  -> GlobalAveragePool -> Flatten -> Gemm (16->4): a residual block in miniature.
Graph residualModel()
{
    GraphBuilder b({1, 3, 8, 8});
    b.random("Wa", {16, 3, 3, 3}, -0.5f, 0.5f);
    b.random("Wb", {16, 16, 3, 3}, -0.2f, 0.2f);
    b.random("Wc", {16, 16, 3, 3}, -0.2f, 0.2f);
    b.random("Wf", {4, 16}, -1.f, 1.f);
    b.random("Bf", {4}, -0.1f, 0.1f);
    b.conv("x", "Wa", "", "a", 1, {1, 1, 1, 1}).name = "a";
    b.node("Relu", {"a"}, "ra");
    b.conv("ra", "Wb", "", "b", 1, {1, 1, 1, 1}).name = "b";
    b.node("Relu", {"b"}, "rb");
    b.conv("rb", "Wc", "", "c", 1, {1, 1, 1, 1}).name = "c";
    b.node("Add", {"c", "ra"}, "s");
    b.node("GlobalAveragePool", {"s"}, "p");
    b.node("Flatten", {"p"}, "f");
    Node &fc = b.node("Gemm", {"f", "Wf", "Bf"}, "y");
    fc.name = "fc";
    fc.attributes["transB"] = Attribute::ofInt(1);
    return inferred(b.finish("y"));
}

} // namespace

class TestCompress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void svdFullRank_data();
    void svdFullRank();
    void spatialSvdCost();
    void weightSvdAndPruningCost();
    void costModelWithWinnowing();
    void reconstructionLowersError();
    void leastSquaresSelection();
    void winnowingKeepsOutput();
    void winnowingSkipsAdd();
    void greedyByHand();
    void greedyOverride();
    void greedyFillsBudget();
    void sensitivityPrefixReuseAndResume();
};

void TestCompress::svdFullRank_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("method");
    QTest::newRow("spatial 3x3 stride 2") << "conv3s2" << int(CompressMethod::SpatialSvd);
    QTest::newRow("spatial 3x3 stride 1") << "conv3s1" << int(CompressMethod::SpatialSvd);
    QTest::newRow("weight 3x3 stride 2") << "conv3s2" << int(CompressMethod::WeightSvd);
    QTest::newRow("weight 1x1 stride 2") << "conv1s2" << int(CompressMethod::WeightSvd);
    QTest::newRow("gemm transB") << "gemmT" << int(CompressMethod::WeightSvd);
    QTest::newRow("gemm") << "gemm" << int(CompressMethod::SpatialSvd);
    QTest::newRow("matmul") << "matmul" << int(CompressMethod::WeightSvd);
}

void TestCompress::svdFullRank()
{
    QFETCH(QString, kind);
    QFETCH(int, method);
    const auto m = CompressMethod(method);
    Graph g;
    std::vector<int64_t> inShape;
    if (kind.startsWith("conv")) {
        const int64_t k = kind == "conv1s2" ? 1 : 3;
        g = singleConv(6, 5, k, k, kind.endsWith("s2") ? 2 : 1, k / 2, 9);
        inShape = {2, 5, 9, 9};
    } else {
        g = matrixLayer(kind == "matmul" ? "MatMul" : "Gemm", kind == "gemmT");
        inShape = {3, 12};
    }
    const std::string node = g.nodes[0].name;
    const LayerGeometry geo = geometryOf(g, node);
    Graph split = g;
    const std::vector<std::string> nodes = applySvdSplit(split, node, m, maxRank(geo, m));
    QCOMPARE(nodes.size(), size_t(2));
    QCOMPARE(split.nodes.size(), g.nodes.size() + 1);
    const Tensor x = randomInput(inShape, 7);
    const double diff = relativeDiff(runGraph(g, x, false), runGraph(inferred(split), x, false));
    QVERIFY2(diff < 1e-5, qPrintable(QString("relative difference %1").arg(diff)));
}

// Spatial SVD of o=8, i=4, 3x3, stride 2, pad 1 on 8x8 (output 4x4), by hand:
// memory = i·r·kh + r·o·kw = 12r + 24r; MACs = i·r·kh·H_out·W_in + r·o·kw·H_out·W_out = 384r + 384r
// (§5's (i·r·kh·stride_w + r·o·kw)·H_out·W_out gives the same); max rank = min(i·kh, o·kw) = 12.
void TestCompress::spatialSvdCost()
{
    const Graph g = singleConv(8, 4, 3, 3, 2, 1, 8);
    const LayerGeometry geo = geometryOf(g, "conv");
    QCOMPARE(geo.macs(), int64_t(8 * 4 * 9 * 16));
    QCOMPARE(maxRank(geo, CompressMethod::SpatialSvd), int64_t(12));
    const SizeCost c = svdCost(geo, CompressMethod::SpatialSvd, 2);
    QCOMPARE(c.macs, int64_t(1536));
    QCOMPARE(c.params, int64_t(72 + 8));
    // The model cost of the split graph agrees with the formula.
    Graph split = g;
    applySvdSplit(split, "conv", CompressMethod::SpatialSvd, 2);
    const ModelCost cost = computeCost(inferred(split));
    QCOMPARE(cost.macs, int64_t(1536));
    QCOMPARE(cost.params, int64_t(72 + 8));
    // Rank for a ratio: 768 r <= 0.5 * 4608 gives r = 3; rounded up to 8 it costs more than the layer.
    CompressSettings s{CompressMethod::SpatialSvd, CostMetric::Mac, 1};
    QCOMPARE(keptSize(geo, s, 0.5).kept, int64_t(3));
    s.roundTo = 4;
    QCOMPARE(keptSize(geo, s, 0.5).kept, int64_t(4));
    s.roundTo = 8;
    QVERIFY(!keptSize(geo, s, 0.5).compressed());
    // By memory: 36 r <= 0.5 * 288 gives r = 4.
    s = {CompressMethod::SpatialSvd, CostMetric::Memory, 1};
    QCOMPARE(keptSize(geo, s, 0.5).kept, int64_t(4));
}

// Weight SVD of o=6, i=5, 3x3, stride 2, pad 1 on 9x9 (output 5x5): (r, 5, 1, 1) at 9x9, then
// (6, r, 3, 3) at 5x5: MACs = 5·81 r + 54·25 r = 1755 r, params = 5r + 54r + 6.
// Channel pruning of o=8, i=16, 3x3 on 8x8 keeping k: MACs = 8·k·9·64.
void TestCompress::weightSvdAndPruningCost()
{
    const Graph g = singleConv(6, 5, 3, 3, 2, 1, 9);
    const LayerGeometry geo = geometryOf(g, "conv");
    QCOMPARE(maxRank(geo, CompressMethod::WeightSvd), int64_t(5));
    const SizeCost c = svdCost(geo, CompressMethod::WeightSvd, 3);
    QCOMPARE(c.macs, int64_t(1755 * 3));
    QCOMPARE(c.params, int64_t(59 * 3 + 6));
    Graph split = g;
    applySvdSplit(split, "conv", CompressMethod::WeightSvd, 3);
    QCOMPARE(computeCost(inferred(split)).macs, int64_t(1755 * 3));

    const Graph p = singleConv(8, 16, 3, 3, 1, 1, 8);
    const LayerGeometry pg = geometryOf(p, "conv");
    QCOMPARE(prunedCost(pg, 5).macs, int64_t(8 * 5 * 9 * 64));
    QCOMPARE(prunedCost(pg, 5).params, int64_t(8 * 5 * 9 + 8));
    // floor(16 * 0.3) = 4 channels, rounded up to a multiple of 8; 0.05 keeps at least one channel.
    QCOMPARE(keptSize(pg, {CompressMethod::ChannelPruning, CostMetric::Mac, 8}, 0.3).kept, int64_t(8));
    QCOMPARE(keptSize(pg, {CompressMethod::ChannelPruning, CostMetric::Mac, 1}, 0.3).kept, int64_t(4));
    QCOMPARE(keptSize(pg, {CompressMethod::ChannelPruning, CostMetric::Mac, 1}, 0.05).kept, int64_t(1));
    QVERIFY(!keptSize(pg, {CompressMethod::ChannelPruning, CostMetric::Mac, 8}, 0.6).compressed());
}

// The cost model's prediction equals computeCost of the pruned and winnowed graph.
void TestCompress::costModelWithWinnowing()
{
    Graph g = residualModel();
    const CompressSettings s{CompressMethod::ChannelPruning, CostMetric::Mac, 4};
    const CompressionCostModel model(g, s);
    QCOMPARE(model.compressible().layers.size(), size_t(2)); // b and c; a reads the model input
    QCOMPARE(model.compressible().skipped.size(), size_t(2));
    QCOMPARE(model.compressible().skipped[0].reason, std::string("its input is the model input"));
    const RatioMap ratios{{"b", 0.5}, {"c", 0.3}};
    QCOMPARE(model.kept("c", 0.3).kept, int64_t(4));
    const CompressionCostModel::Cost predicted = model.cost(ratios);
    // b: 8 of 16 inputs (a's output winnowing stops at the Add), c: 4 inputs and b loses 12 outputs.
    const int64_t pixels = 64;
    const int64_t expectedMacs = 16 * 3 * 9 * pixels + 4 * 8 * 9 * pixels + 16 * 4 * 9 * pixels + 64;
    QCOMPARE(predicted.macs, expectedMacs);
    for (const auto &[layer, ratio] : ratios) {
        const Tensor &w = *g.initializer(g.nodes[size_t(findNode(g, layer))].inputs[1]);
        const std::vector<int64_t> kept = selectInputChannels(w, model.kept(layer, ratio).kept);
        applyChannelPruning(g, layer, kept, sliceInputChannels(w, kept), true);
    }
    const ModelCost actual = computeCost(inferred(g));
    QCOMPARE(actual.macs, predicted.macs);
    QCOMPARE(actual.params, predicted.params);
    QCOMPARE(model.ratio(ratios, CostMetric::Mac), double(predicted.macs) / double(model.original().macs));
}

// Input channels 0..3 of a 1x1 conv carry the signal, channels 4..7 are near copies of them; pruning
// 4 channels by magnitude drops some signal, and the refit moves it onto the kept copies.
void TestCompress::reconstructionLowersError()
{
    GraphBuilder b({1, 8, 6, 6});
    b.random("W", {6, 8, 3, 3}, -1.f, 1.f);
    for (int64_t o = 0; o < 6; ++o) // the copies weigh less, so the magnitude rule keeps channels 0..3
        for (int64_t k = 4 * 9; k < 8 * 9; ++k)
            b.graph().initializers["W"].dataAs<float>()[o * 72 + k] *= 0.5f;
    b.conv("x", "W", "", "y", 1, {1, 1, 1, 1}).name = "conv";
    const Graph g = inferred(b.finish("y"));
    auto correlated = [](uint32_t seed) {
        Tensor x = randomInput({20, 8, 6, 6}, seed);
        const Tensor noise = randomInput({20, 8, 6, 6}, seed + 1, -0.05f, 0.05f);
        float *p = x.dataAs<float>();
        for (int64_t n = 0; n < 20; ++n)
            for (int64_t c = 4; c < 8; ++c)
                for (int64_t k = 0; k < 36; ++k)
                    p[(n * 8 + c) * 36 + k] = p[(n * 8 + c - 4) * 36 + k] + noise.dataAs<float>()[(n * 8 + c) * 36 + k];
        return x;
    };
    const Tensor train = correlated(3), test = correlated(50);
    const LayerGeometry geo = geometryOf(g, "conv");
    const PatchSampler sampler(geo, {1, 1, 1, 1}, 10, 1);
    std::vector<float> patches;
    sampler.addPatches(train, 0, patches);
    QCOMPARE(patches.size(), size_t(20 * 10 * 8 * 9));
    const Tensor &w = *g.initializer("W");
    const std::vector<int64_t> kept = selectInputChannels(w, 4);
    QCOMPARE(kept, (std::vector<int64_t>{0, 1, 2, 3}));
    const std::vector<float> reference = runGraph(g, test, false);
    auto errorOf = [&](const Tensor &weight) {
        Graph pruned = g;
        applyChannelPruning(pruned, "conv", kept, weight, false);
        const std::vector<float> out = runGraph(inferred(pruned), test, false);
        double e = 0;
        for (size_t i = 0; i < out.size(); ++i)
            e += (out[i] - reference[i]) * (out[i] - reference[i]);
        return std::sqrt(e / double(out.size()));
    };
    const double plain = errorOf(sliceInputChannels(w, kept));
    const double refit = errorOf(reconstructWeight(w, patches, patches, kept));
    QVERIFY2(refit < 0.2 * plain, qPrintable(QString("refit %1 vs plain %2").arg(refit).arg(plain)));
}

// 1x1 layer over 5 input channels: 1-3 independent, 4 nearly a copy of 0, channel 1 with the
// smallest weights. L2 drops channel 1 (information nothing else carries); backward elimination
// drops the near-copy first, and its first step is the best single removal found by brute force.
void TestCompress::leastSquaresSelection()
{
    const int64_t rows = 400, c = 5, o = 2;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> x(size_t(rows * c));
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t k = 0; k < 4; ++k)
            x[size_t(r * c + k)] = normal(rng);
        x[size_t(r * c + 4)] = x[size_t(r * c)] + 0.01f * normal(rng);
    }
    Tensor w(DType::Float32, {o, c, 1, 1});
    const float values[] = {1.0f, 0.3f, 0.8f, 0.9f, 1.0f, 0.8f, 0.3f, 0.9f, 0.7f, 1.1f};
    std::copy(std::begin(values), std::end(values), w.dataAs<float>());
    // Sum of squared errors of W·x refitted on `kept`, over the samples.
    auto sse = [&](const std::vector<int64_t> &kept) {
        const Tensor fit = reconstructWeight(w, x, x, kept);
        double e = 0;
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t oo = 0; oo < o; ++oo) {
                double y = 0, f = 0;
                for (int64_t k = 0; k < c; ++k)
                    y += double(w.dataAs<float>()[oo * c + k]) * x[size_t(r * c + k)];
                for (size_t k = 0; k < kept.size(); ++k)
                    f += double(fit.dataAs<float>()[oo * int64_t(kept.size()) + int64_t(k)]) * x[size_t(r * c + kept[k])];
                e += (y - f) * (y - f);
            }
        return e;
    };
    const std::vector<int64_t> ranking = rankInputChannelsLeastSquares(w, x, x);
    std::vector<int64_t> sorted = ranking;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, (std::vector<int64_t>{0, 1, 2, 3, 4}));
    int64_t best = -1;
    double bestError = 1e300;
    for (int64_t drop = 0; drop < c; ++drop) {
        std::vector<int64_t> kept;
        for (int64_t k = 0; k < c; ++k)
            if (k != drop)
                kept.push_back(k);
        const double e = sse(kept);
        if (e < bestError) {
            bestError = e;
            best = drop;
        }
    }
    QCOMPARE(ranking.back(), best);
    QVERIFY(best == 0 || best == 4);
    QCOMPARE(selectInputChannels(w, 4), (std::vector<int64_t>{0, 2, 3, 4}));
    const double l2 = sse(selectInputChannels(w, 4)), lstsq = sse(firstChannels(ranking, 4));
    QVERIFY2(lstsq < 0.01 * l2, qPrintable(QString("least squares %1 vs L2 %2").arg(lstsq).arg(l2)));
    QCOMPARE(firstChannels(ranking, 4).size(), size_t(4));
    QCOMPARE(firstChannels(ranking, 9).size(), size_t(5));

    // 24 independent channels with weights 1.3^m (m a permutation of 0..23): every rise is about |w_c|^2
    // times the channel's variance, so one at a time and six at a time (featuresPerStep 4) both rank by
    // the weights.
    const int64_t wide = 24, samples = 3000;
    std::vector<float> xs(size_t(samples * wide));
    for (float &v : xs)
        v = normal(rng);
    Tensor ww(DType::Float32, {1, wide, 1, 1});
    for (int64_t k = 0; k < wide; ++k)
        ww.dataAs<float>()[k] = std::pow(1.3f, float((k * 7) % wide)); // a permutation of the magnitudes
    std::vector<int64_t> byWeight(static_cast<size_t>(wide));
    std::iota(byWeight.begin(), byWeight.end(), 0);
    std::sort(byWeight.begin(), byWeight.end(), [&](int64_t a, int64_t b) { return ww.dataAs<float>()[a] > ww.dataAs<float>()[b]; });
    QCOMPARE(rankInputChannelsLeastSquares(ww, xs, xs), byWeight);
    QCOMPARE(rankInputChannelsLeastSquares(ww, xs, xs, 4), byWeight);
}

// conv1 -> BN -> Relu -> computed zero Pad -> depthwise -> Relu -> conv2 whose input channels 1, 4, 5 have zero weights:
// pruning them and winnowing through BN, the Pad and the depthwise conv leaves the output unchanged.
void TestCompress::winnowingKeepsOutput()
{
    GraphBuilder b({1, 3, 7, 7});
    b.random("W1", {6, 3, 3, 3}, -1.f, 1.f);
    b.random("B1", {6}, -0.2f, 0.2f);
    b.random("Wd", {6, 1, 3, 3}, -1.f, 1.f);
    b.random("Bd", {6}, -0.2f, 0.2f);
    b.random("W2", {4, 6, 1, 1}, -1.f, 1.f);
    for (int64_t o = 0; o < 4; ++o)
        for (int64_t c : {1, 4, 5})
            b.graph().initializers["W2"].dataAs<float>()[o * 6 + c] = 0.f;
    b.conv("x", "W1", "B1", "c1", 1, {1, 1, 1, 1}).name = "conv1";
    b.batchNorm("c1", "n1", 6).name = "bn";
    b.node("Relu", {"n1"}, "r1");
    b.computedPad("r1", "p1", 1, 1, 1, 1);
    b.conv("p1", "Wd", "Bd", "d", 6).name = "dw";
    b.node("Relu", {"d"}, "r2");
    b.conv("r2", "W2", "", "y").name = "conv2";
    const Graph g = inferred(b.finish("y"));
    Graph pruned = g;
    const std::vector<int64_t> kept = selectInputChannels(*g.initializer("W2"), 3);
    QCOMPARE(kept, (std::vector<int64_t>{0, 2, 3}));
    const WinnowResult r = applyChannelPruning(pruned, "conv2", kept, sliceInputChannels(*g.initializer("W2"), kept), true);
    QCOMPARE(r.skipped, std::string());
    QCOMPARE(r.shrunk, (std::vector<std::string>{"dw", "bn", "conv1"}));
    QCOMPARE(pruned.initializer("W1")->shape(), (std::vector<int64_t>{3, 3, 3, 3}));
    QCOMPARE(pruned.initializer("Wd")->shape(), (std::vector<int64_t>{3, 1, 3, 3}));
    QCOMPARE(countOps(pruned, "Gather"), 0);
    const Tensor x = randomInput({2, 3, 7, 7}, 9);
    const Graph reimported = inferred(pruned);
    for (bool optimize : {false, true}) {
        const double d = relativeDiff(runGraph(g, x, optimize), runGraph(reimported, x, optimize));
        QVERIFY2(d < 1e-6, qPrintable(QString("relative difference %1").arg(d)));
    }
}

void TestCompress::winnowingSkipsAdd()
{
    const Graph g = residualModel();
    Graph pruned = g;
    const Tensor &w = *g.initializer("Wb");
    const std::vector<int64_t> kept = selectInputChannels(w, 8);
    const WinnowResult r = applyChannelPruning(pruned, "b", kept, sliceInputChannels(w, kept), true);
    QCOMPARE(r.skipped, std::string("'ra' also feeds Add 'Add_5'"));
    QVERIFY(r.shrunk.empty());
    QCOMPARE(countOps(pruned, "Gather"), 1);
    QCOMPARE(winnowPath(g, "c").producer, std::string("b"));
}

// Coarse scores: every threshold above 0.9 costs 0.625 or more (> target 0.6), so the search ends on
// its lower end 0.9, which takes A and B to 0.25 (cost 0.25). The fill then moves B up twice
// (gain 0.02 and 0.01 per 0.125 of cost beat A's 0) to cost 0.5; any further step costs 0.625.
void TestCompress::greedyFillsBudget()
{
    const ScoreTable table{{"A", {{0.25, 0.9}, {0.5, 0.9}, {0.75, 0.95}, {1.0, 1.0}}},
                           {"B", {{0.25, 0.9}, {0.5, 0.92}, {0.75, 0.93}, {1.0, 1.0}}}};
    auto cost = [](const RatioMap &r) { return (r.at("A") + r.at("B")) / 2; };
    GreedyOptions o;
    o.target = 0.6;
    o.fillBudget = false;
    const GreedyResult aimet = selectRatiosGreedy(table, cost, o);
    QCOMPARE(aimet.ratios.at("A"), 0.25);
    QCOMPARE(aimet.ratios.at("B"), 0.25);
    QCOMPARE(aimet.achieved, 0.25);
    QCOMPARE(aimet.filled, 0);
    o.fillBudget = true;
    const GreedyResult filled = selectRatiosGreedy(table, cost, o);
    QCOMPARE(filled.ratios.at("A"), 0.25);
    QCOMPARE(filled.ratios.at("B"), 0.75);
    QCOMPARE(filled.achieved, 0.5);
    QCOMPARE(filled.filled, 2);
    QCOMPARE(filled.score, aimet.score);
    // An override is never moved by the fill.
    o.overrides = {{"B", 0.25}};
    const GreedyResult fixed = selectRatiosGreedy(table, cost, o);
    QCOMPARE(fixed.ratios.at("B"), 0.25);
    QVERIFY(fixed.achieved <= 0.6);
}

// Layers A and B cost the same; target 0.375 of the model.
// Window [0.5, 1]: s = 0.75 picks A 0.5 (0.25 scores 0.5 < 0.75), B 0.5 (0.25 scores 0.7): cost 0.5,
// too high -> window [0.5, 0.75]; s = 0.625 picks A 0.5, B 0.25: cost 0.375, done.
void TestCompress::greedyByHand()
{
    const ScoreTable table{{"A", {{0.25, 0.5}, {0.5, 0.8}, {0.75, 0.9}, {1.0, 1.0}}},
                           {"B", {{0.25, 0.7}, {0.5, 0.85}, {0.75, 0.95}, {1.0, 1.0}}}};
    auto cost = [](const RatioMap &r) { return (r.at("A") + r.at("B")) / 2; };
    GreedyOptions o;
    o.target = 0.375;
    const GreedyResult r = selectRatiosGreedy(table, cost, o);
    QCOMPARE(r.ratios.at("A"), 0.5);
    QCOMPARE(r.ratios.at("B"), 0.25);
    QCOMPARE(r.score, 0.625);
    QCOMPARE(r.iterations, 2);
    QCOMPARE(r.achieved, 0.375);
    // The walk stops at the first ratio below the score, even if a smaller ratio scores higher.
    const std::map<double, double> bumpy{{0.25, 0.9}, {0.5, 0.6}, {0.75, 0.95}, {1.0, 1.0}};
    QCOMPARE(ratioForScore(bumpy, 0.8), 0.75);
    QCOMPARE(ratioForScore(bumpy, 0.99), 1.0);
    QCOMPARE(ratioForScore(bumpy, 1.5), 1.0);
    QCOMPARE(ratioForScore(bumpy, 0.5), 0.25);
}

// With A fixed at 1, only B's scores [0.7, 1] span the search: every threshold above 0.7 picks B 0.5
// (cost 0.75 > 0.625), so the window closes on 0.7 from above; its lower end 0.7 picks B 0.25
// (cost 0.625), which meets the target. With target 0.6 nothing does, and the last choice stays.
void TestCompress::greedyOverride()
{
    const ScoreTable table{{"A", {{0.25, 0.5}, {0.5, 0.8}, {0.75, 0.9}, {1.0, 1.0}}},
                           {"B", {{0.25, 0.7}, {0.5, 0.85}, {0.75, 0.95}, {1.0, 1.0}}}};
    auto cost = [](const RatioMap &r) { return (r.at("A") + r.at("B")) / 2; };
    GreedyOptions o;
    o.target = 0.625;
    o.overrides = {{"A", 1.0}};
    const GreedyResult r = selectRatiosGreedy(table, cost, o);
    QCOMPARE(r.ratios.at("A"), 1.0);
    QCOMPARE(r.ratios.at("B"), 0.25);
    QCOMPARE(r.achieved, 0.625);
    QCOMPARE(r.score, 0.7);
    o.target = 0.6;
    const GreedyResult missed = selectRatiosGreedy(table, cost, o);
    QCOMPARE(missed.ratios.at("B"), 0.5);
    QCOMPARE(missed.achieved, 0.75);
    QVERIFY(missed.score > 0.7 && missed.score < 0.7001);
}

void TestCompress::sensitivityPrefixReuseAndResume()
{
    const Graph g = residualModel();
    const MemoryDataset data({3, 8, 8}, 60, 4);
    const Preprocess pre;
    QTemporaryDir dir;
    SensitivityOptions o;
    o.settings = {CompressMethod::ChannelPruning, CostMetric::Mac, 2};
    o.candidates = 4;
    o.evalOffset = 10;
    o.evalLimit = 40;
    o.batch = 16;
    o.reconstructionImages = 20;
    o.workers = 3; // three workers share the 3 batches x cells
    const SensitivityTable reused = computeSensitivity(g, data, pre, o).take();
    o.workers = 1;
    const SensitivityTable sequential = computeSensitivity(g, data, pre, o).take();
    o.reusePrefix = false;
    const SensitivityTable whole = computeSensitivity(g, data, pre, o).take();
    QCOMPARE(reused.order, (std::vector<std::string>{"b", "c"}));
    QCOMPARE(reused.scores, whole.scores);
    QCOMPARE(reused.baseline, whole.baseline);
    QCOMPARE(sequential.scores, whole.scores);
    QCOMPARE(sequential.baseline, whole.baseline);
    o.workers = 0;
    QCOMPARE(reused.scores.at("c").at(1.0), reused.baseline);
    QCOMPARE(reused.samples, int64_t(40));

    // Cancelled after the first layer, the cache holds that layer; the rerun finishes the table.
    o.reusePrefix = true;
    o.cachePath = dir.filePath("table.json").toStdString();
    Job job;
    int cells = 0;
    const Result<SensitivityTable> cut = computeSensitivity(g, data, pre, o, &job, [&](const std::string &, double, double) {
        if (++cells == 4)
            job.cancel();
    });
    QVERIFY(!cut.ok());
    QCOMPARE(cut.error().code, ErrorCode::Cancelled);
    const SensitivityTable partial = loadSensitivityTable(o.cachePath).take();
    QCOMPARE(partial.scores.size(), size_t(1));
    QVERIFY(!partial.complete);
    int replayed = 0;
    const SensitivityTable resumed =
        computeSensitivity(g, data, pre, o, nullptr, [&](const std::string &, double, double) { ++replayed; }).take();
    QCOMPARE(replayed, 8);
    QCOMPARE(resumed.scores, reused.scores);
    QVERIFY(resumed.complete);
    QCOMPARE(loadSensitivityTable(o.cachePath).take().scores, reused.scores);
    // A cache made with other settings is refused.
    o.candidates = 5;
    const Result<SensitivityTable> other = computeSensitivity(g, data, pre, o);
    QVERIFY(!other.ok());
    QCOMPARE(QString::fromStdString(other.error().message),
             QString::fromStdString("sensitivity: " + o.cachePath +
                                    ": the cache was made with another candidate list (delete it or use another cache file)"));
    o.candidates = 4;
    o.settings.selection = ChannelSelection::LeastSquares;
    const Result<SensitivityTable> selection = computeSensitivity(g, data, pre, o);
    QVERIFY(!selection.ok());
    QCOMPARE(QString::fromStdString(selection.error().message),
             QString::fromStdString("sensitivity: " + o.cachePath +
                                    ": the cache was made with another channel selection (delete it or use another cache file)"));
    QCOMPARE(partial.selection, std::string("l2"));
    // Least-squares selection: the table records it, and parallel prefix reuse equals whole-model runs.
    o.cachePath.clear();
    o.workers = 3;
    const SensitivityTable lstsq = computeSensitivity(g, data, pre, o).take();
    o.workers = 1;
    o.reusePrefix = false;
    const SensitivityTable lstsqWhole = computeSensitivity(g, data, pre, o).take();
    QCOMPARE(lstsq.selection, std::string("lstsq"));
    QCOMPARE(lstsq.scores, lstsqWhole.scores);
    QCOMPARE(lstsq.order, reused.order);
}

QTEST_APPLESS_MAIN(TestCompress)
#include "tst_compress.moc"
