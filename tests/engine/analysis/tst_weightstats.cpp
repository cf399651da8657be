// Per-channel weight statistics on hand-made tensors: exact min/max/mean/std, the relative range,
// AIMET's outlier rule (relative range > Q3 + 1.5 IQR, quartiles interpolated linearly) and the
// output-channel axis of every weighted op.

#include "testgraph.h"
#include "analysis/weightstats.h"
#include "core/error.h"

#include <QTest>

#include <cmath>
#include <numeric>

using namespace qs;

class TestWeightStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void convChannels();
    void quantiles();
    void outlierRule_data();
    void outlierRule();
    void zeroRangeChannel();
    void channelAxes_data();
    void channelAxes();
    void emptyWeightError();
};

static Tensor iota(std::vector<int64_t> shape)
{
    std::vector<float> v(static_cast<size_t>(shapeNumel(shape)));
    std::iota(v.begin(), v.end(), 0.f);
    return Tensor::fromFloats(std::move(shape), v);
}

static Node node(const std::string &name, const std::string &op, std::vector<std::string> in)
{
    return qs::test::makeNode(name, op, std::move(in), {name + "_out"});
}

// One weight per channel pair {0, r}: channel ranges are exactly `ranges`.
static LayerWeightStats fromRanges(const std::vector<float> &ranges)
{
    std::vector<float> v;
    for (float r : ranges) {
        v.push_back(0.f);
        v.push_back(r);
    }
    return channelStatsAlongAxis(Tensor::fromFloats({int64_t(ranges.size()), 2}, v), 0);
}

void TestWeightStats::convChannels()
{
    // W [3, 1, 2, 2]: channel 0 {1,2,3,4}, channel 1 {0,0,0,2}, channel 2 {-3,-1,-1,5}.
    const Tensor w = Tensor::fromFloats({3, 1, 2, 2}, {1, 2, 3, 4, 0, 0, 0, 2, -3, -1, -1, 5});
    const LayerWeightStats s = channelStatsAlongAxis(w, 0);
    QCOMPARE(s.channels.size(), size_t(3));
    QCOMPARE(s.channels[0].min, 1.0);
    QCOMPARE(s.channels[0].max, 4.0);
    QCOMPARE(s.channels[0].mean, 2.5);
    QCOMPARE(s.channels[0].std, std::sqrt(5.0 / 3.0)); // sample std: (2.25+0.25+0.25+2.25)/3
    QCOMPARE(s.channels[1].mean, 0.5);
    QCOMPARE(s.channels[1].std, 1.0); // (0.25*3 + 2.25)/3
    QCOMPARE(s.channels[2].min, -3.0);
    QCOMPARE(s.channels[2].max, 5.0);
    QCOMPARE(s.channels[2].mean, 0.0);
    QCOMPARE(s.channels[2].std, std::sqrt(12.0)); // (9+1+1+25)/3
    // Ranges 3, 2, 8: relative to the smallest (2).
    QCOMPARE(s.channels[0].relativeRange, 1.5);
    QCOMPARE(s.channels[1].relativeRange, 1.0);
    QCOMPARE(s.channels[2].relativeRange, 4.0);
    QCOMPARE(s.rangeRatio, 4.0);
    QCOMPARE(s.minValue, -3.0);
    QCOMPARE(s.maxValue, 5.0);
    // Sorted relative ranges 1, 1.5, 4: Q1 = 1.25, median 1.5, Q3 = 2.75, fence 2.75 + 2.25 = 5.
    QCOMPARE(s.summary.q1, 1.25);
    QCOMPARE(s.summary.median, 1.5);
    QCOMPARE(s.summary.q3, 2.75);
    QCOMPARE(s.summary.upperFence, 5.0);
    QVERIFY(s.outlierChannels.empty());
}

void TestWeightStats::quantiles()
{
    const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 30};
    QCOMPARE(quantileSorted(v, 0.25), 3.25); // position 2.25
    QCOMPARE(quantileSorted(v, 0.5), 5.5);
    QCOMPARE(quantileSorted(v, 0.75), 7.75); // position 6.75
    QCOMPARE(quantileSorted(v, 1.0), 30.0);
    QCOMPARE(quantileSorted({4.0}, 0.25), 4.0);
    QCOMPARE(quantileSorted({}, 0.5), 0.0);
}

void TestWeightStats::outlierRule_data()
{
    QTest::addColumn<std::vector<float>>("ranges");
    QTest::addColumn<std::vector<int>>("outliers");
    QTest::addColumn<double>("fence");
    // Q1 3.25, Q3 7.75, IQR 4.5: fence 14.5, and a channel exactly on the fence is not an outlier.
    QTest::newRow("one far channel") << std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 30} << std::vector<int>{9} << 14.5;
    QTest::newRow("on the fence") << std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 14.5f} << std::vector<int>{} << 14.5;
    QTest::newRow("just above") << std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 14.75f} << std::vector<int>{9} << 14.5;
    // Relative ranges are range / 2: {1,1,1,1,1,1,1,5,1,1}; IQR 0, fence 1, channel 7 stands out.
    QTest::newRow("flat layer") << std::vector<float>{2, 2, 2, 2, 2, 2, 2, 10, 2, 2} << std::vector<int>{7} << 1.0;
    QTest::newRow("single channel") << std::vector<float>{3} << std::vector<int>{} << 1.0;
}

void TestWeightStats::outlierRule()
{
    QFETCH(std::vector<float>, ranges);
    QFETCH(std::vector<int>, outliers);
    QFETCH(double, fence);
    const LayerWeightStats s = fromRanges(ranges);
    QCOMPARE(s.summary.upperFence, fence);
    QCOMPARE(s.outlierChannels, outliers);
    for (size_t c = 0; c < s.channels.size(); ++c)
        QCOMPARE(s.channels[c].outlier, std::find(outliers.begin(), outliers.end(), int(c)) != outliers.end());
    const float lo = *std::min_element(ranges.begin(), ranges.end());
    const float hi = *std::max_element(ranges.begin(), ranges.end());
    QCOMPARE(s.rangeRatio, double(hi) / double(lo));
    QCOMPARE(s.summary.maxRelative, double(hi) / double(lo));
}

void TestWeightStats::zeroRangeChannel()
{
    // A constant channel has range 0: it is counted, left out of the ratio, and its relative range is 0.
    const LayerWeightStats s = fromRanges({0, 2, 4});
    QCOMPARE(s.zeroRangeChannels, 1);
    QCOMPARE(s.rangeRatio, 2.0);
    QCOMPARE(s.channels[0].relativeRange, 0.0);
    QCOMPARE(s.channels[1].relativeRange, 1.0);
    QCOMPARE(s.channels[2].relativeRange, 2.0);
    const LayerWeightStats flat = fromRanges({0, 0});
    QCOMPARE(flat.rangeRatio, 1.0);
    QCOMPARE(flat.zeroRangeChannels, 2);
}

void TestWeightStats::channelAxes_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<std::vector<int64_t>>("shape");
    QTest::addColumn<int64_t>("attr");          // group (ConvTranspose) or transB / transA (Gemm)
    QTest::addColumn<bool>("weightFirst");      // the constant operand is input 0
    QTest::addColumn<std::vector<double>>("mins"); // weights are 0, 1, 2, ... in memory order
    QTest::addColumn<std::vector<double>>("maxs");
    QTest::newRow("Conv OIHW") << "Conv" << std::vector<int64_t>{2, 2, 1, 2} << int64_t(1) << false
                               << std::vector<double>{0, 4} << std::vector<double>{3, 7};
    // W [I=4, O/g=3, 1, 1], group 2: output channel (i / 2) * 3 + j; channel 0 = {w[0][0], w[1][0]} = {0, 3}.
    QTest::newRow("ConvTranspose grouped") << "ConvTranspose" << std::vector<int64_t>{4, 3, 1, 1} << int64_t(2) << false
                                           << std::vector<double>{0, 1, 2, 6, 7, 8} << std::vector<double>{3, 4, 5, 9, 10, 11};
    QTest::newRow("ConvTranspose") << "ConvTranspose" << std::vector<int64_t>{2, 2, 1, 1} << int64_t(1) << false
                                   << std::vector<double>{0, 1} << std::vector<double>{2, 3};
    QTest::newRow("Gemm B [K,N]") << "Gemm" << std::vector<int64_t>{2, 3} << int64_t(0) << false
                                  << std::vector<double>{0, 1, 2} << std::vector<double>{3, 4, 5};
    QTest::newRow("Gemm B^T [N,K]") << "Gemm" << std::vector<int64_t>{3, 2} << int64_t(1) << false
                                    << std::vector<double>{0, 2, 4} << std::vector<double>{1, 3, 5};
    QTest::newRow("MatMul B [b,K,N]") << "MatMul" << std::vector<int64_t>{2, 2, 3} << int64_t(0) << false
                                      << std::vector<double>{0, 1, 2} << std::vector<double>{9, 10, 11};
    QTest::newRow("MatMul A [M,K]") << "MatMul" << std::vector<int64_t>{3, 2} << int64_t(0) << true
                                    << std::vector<double>{0, 2, 4} << std::vector<double>{1, 3, 5};
}

void TestWeightStats::channelAxes()
{
    QFETCH(QString, op);
    QFETCH(std::vector<int64_t>, shape);
    QFETCH(int64_t, attr);
    QFETCH(bool, weightFirst);
    QFETCH(std::vector<double>, mins);
    QFETCH(std::vector<double>, maxs);
    Graph g;
    g.initializers["w"] = iota(shape);
    Node n = node("layer", op.toStdString(), weightFirst ? std::vector<std::string>{"w", "x"} : std::vector<std::string>{"x", "w"});
    if (op == "ConvTranspose")
        n.attributes["group"] = Attribute::ofInt(attr);
    if (op == "Gemm")
        n.attributes["transB"] = Attribute::ofInt(attr);
    g.nodes.push_back(n);
    const std::vector<LayerWeightStats> layers = computeWeightStats(g);
    QCOMPARE(layers.size(), size_t(1));
    const LayerWeightStats &l = layers[0];
    QCOMPARE(l.name, std::string("layer"));
    QCOMPARE(l.opType, op.toStdString());
    QCOMPARE(l.weight, std::string("w"));
    QCOMPARE(l.weightShape, shape);
    std::vector<double> gotMin, gotMax;
    for (const ChannelStats &c : l.channels) {
        gotMin.push_back(c.min);
        gotMax.push_back(c.max);
    }
    QCOMPARE(gotMin, mins);
    QCOMPARE(gotMax, maxs);
    QVERIFY(findLayer(layers, "layer") == &layers[0]);
    QVERIFY(findLayer(layers, "nope") == nullptr);
}

void TestWeightStats::emptyWeightError()
{
    Graph g;
    g.initializers["w"] = Tensor::fromFloats({0, 1, 1, 1}, {});
    g.nodes.push_back(node("c", "Conv", {"x", "w"}));
    try {
        computeWeightStats(g);
        QFAIL("no error");
    } catch (const Exception &e) {
        QCOMPARE(std::string(e.what()), std::string("Conv 'c': weight 'w' has no elements ") + shapeString({0, 1, 1, 1}));
    }
}

QTEST_APPLESS_MAIN(TestWeightStats)
#include "tst_weightstats.moc"
