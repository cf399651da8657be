// Weight statistics of the shared MobileNet-v1 0.25 (BN already folded). Figures were checked
// against numpy on the raw weights of /4/Conv (the first depthwise layer, W [8, 1, 3, 3]):
// channel ranges 1.1232 1.5367 0.1418 1.0986 1.6422 0.0710 0.8656 33.1070, so the max/min ratio is
// 33.1070 / 0.0710 = 466.17; relative ranges give Q1 9.6403, Q3 22.0097, fence 40.5637, and only
// channel 7 lies beyond it.

#include "testutil.h"

#include "analysis/weightstats.h"
#include "onnx/onnximport.h"

#include <QTest>

#include <algorithm>

using namespace qs;

class TestWeightStatsShared : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mobilenetFirstDepthwise();
    void mobilenetDepthwiseRatios();
};

static bool closeTo(double a, double b, double rel = 1e-5)
{
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

static std::vector<LayerWeightStats> mobilenetStats()
{
    Graph g = importOnnx(test::sharedPath("models/mobilenet_v1_0.25_224_imagenet.onnx")).take();
    return computeWeightStats(g);
}

static bool isDepthwise(const LayerWeightStats &l)
{
    return l.opType == "Conv" && l.weightShape.size() == 4 && l.weightShape[1] == 1;
}

void TestWeightStatsShared::mobilenetFirstDepthwise()
{
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet.onnx");
    const std::vector<LayerWeightStats> layers = mobilenetStats();
    QCOMPARE(layers.size(), size_t(28)); // stem, 13 depthwise + 13 pointwise, classifier
    auto first = std::find_if(layers.begin(), layers.end(), isDepthwise);
    QVERIFY(first != layers.end());
    const LayerWeightStats &dw = *first;
    QCOMPARE(dw.name, std::string("/4/Conv"));
    QCOMPARE(dw.weightShape, (std::vector<int64_t>{8, 1, 3, 3}));
    QCOMPARE(dw.channels.size(), size_t(8));
    qInfo("%s: max/min channel-range ratio %.4f, outlier channels %zu, fence %.4f", dw.name.c_str(), dw.rangeRatio,
          dw.outlierChannels.size(), dw.summary.upperFence);
    QVERIFY2(closeTo(dw.rangeRatio, 466.16944, 1e-6), qPrintable(QString::number(dw.rangeRatio, 'g', 10)));
    QCOMPARE(dw.outlierChannels, std::vector<int>{7});
    QVERIFY(closeTo(dw.channels[7].min, -26.7290535));
    QVERIFY(closeTo(dw.channels[7].max, 6.37793922));
    QVERIFY(closeTo(dw.channels[7].range, 33.10699272));
    QVERIFY(closeTo(dw.channels[7].mean, -13.6947822));
    QVERIFY(closeTo(dw.channels[7].std, 13.13118889));
    QVERIFY(closeTo(dw.channels[5].range, 0.07101923));
    QCOMPARE(dw.channels[5].relativeRange, 1.0);
    QVERIFY(closeTo(dw.summary.q1, 9.640254910));
    QVERIFY(closeTo(dw.summary.q3, 22.00965265));
    QVERIFY(closeTo(dw.summary.upperFence, 40.56374925));
    QCOMPARE(dw.zeroRangeChannels, 0);
}

// The per-channel range ratio of every depthwise layer (printed for the record). The model notes
// quote 14-468x; with ranges (max - min) this file gives 26.2x (/67/Conv) to 1703x (/80/Conv).
void TestWeightStatsShared::mobilenetDepthwiseRatios()
{
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet.onnx");
    const std::vector<LayerWeightStats> layers = mobilenetStats();
    double lo = 1e300, hi = 0;
    int depthwise = 0;
    for (const LayerWeightStats &l : layers) {
        if (!isDepthwise(l))
            continue;
        ++depthwise;
        qInfo("%-10s %4zu channels  ratio %9.3f  outliers %zu", l.name.c_str(), l.channels.size(), l.rangeRatio,
              l.outlierChannels.size());
        lo = std::min(lo, l.rangeRatio);
        hi = std::max(hi, l.rangeRatio);
    }
    QCOMPARE(depthwise, 13);
    QVERIFY2(closeTo(lo, 26.179, 1e-4), qPrintable(QString::number(lo, 'g', 8)));
    QVERIFY2(closeTo(hi, 1702.895, 1e-4), qPrintable(QString::number(hi, 'g', 8)));
    QCOMPARE(findLayer(layers, "/80/Conv")->rangeRatio, hi);
}

QTEST_APPLESS_MAIN(TestWeightStatsShared)
#include "tst_weightstats_shared.moc"
