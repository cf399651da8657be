// The relative-range chart on the offscreen platform with synthetic layers: one box per layer with
// Tukey whiskers, one marker per outlier channel at its relative range, flagged layers outlined,
// comparison boxes matched by name, exact hover texts, SVG structure and golden screenshots.

#include "chartgolden.h"
#include "chartsamples.h"

#include "charts/relativerangechart.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QTest>
#include <QValueAxis>
#include <QXmlStreamReader>

using namespace qs;

class TestRelativeRangeChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void boxValues();
    void plottedValues();
    void comparison();
    void hoverText();
    void linearScale();
    void svgExport();
    void golden_data();
    void golden();
};

static const QSize kGoldenSize(640, 400);

// Three layers: "dw1" with one outlier channel, "pw1" without, "fc" with two.
static QVector<ChartLayer> sampleLayers()
{
    QVector<ChartLayer> layers;
    layers.push_back(test::depthwiseSample());
    layers.push_back(test::sampleLayer(QStringLiteral("pw1"), {{-1, 1}, {-1.5, 1}, {-1, 2}, {-2, 2}, {-1, 1.25}}));
    QVector<std::pair<double, double>> fc;
    for (int i = 0; i < 10; ++i)
        fc.push_back({-0.1 * (i % 3 + 1), 0.1 * (i % 2 + 1)});
    fc[2] = {-1.5, 1.5};
    fc[7] = {-2.0, 2.5};
    layers.push_back(test::sampleLayer(QStringLiteral("fc"), fc));
    layers[2].opType = QStringLiteral("Gemm");
    return layers;
}

void TestRelativeRangeChart::initTestCase()
{
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
}

void TestRelativeRangeChart::boxValues()
{
    // dw1: relative ranges 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.5, 2.75, 3, 3.25, 13 (see chartsamples.h):
    // Q1 1.6875, median 2.375, Q3 2.8125, fence 4.5; whiskers at the last values inside: 1 and 3.25.
    const ChartLayer dw = test::depthwiseSample();
    QCOMPARE(dw.q1, 1.6875);
    QCOMPARE(dw.median, 2.375);
    QCOMPARE(dw.q3, 2.8125);
    QCOMPARE(dw.upperFence, 4.5);
    QCOMPARE(RelativeRangeChart::boxValues(dw), (QVector<double>{1, 1.6875, 2.375, 2.8125, 3.25}));
    QCOMPARE(dw.outlierCount(), 1);
    QVERIFY(dw.channels[9].outlier);
}

void TestRelativeRangeChart::plottedValues()
{
    const QVector<ChartLayer> layers = sampleLayers();
    RelativeRangeChart chart;
    chart.setLayers(layers);
    QVERIFY(chart.logScale());
    QBoxPlotSeries *boxes = chart.boxSeries(0);
    QScatterSeries *outliers = chart.outlierSeries(0);
    QVERIFY(boxes && outliers && !chart.boxSeries(1));
    QCOMPARE(boxes->count(), 3);
    for (int i = 0; i < 3; ++i) {
        const QBoxSet *box = boxes->boxSets()[i];
        QCOMPARE(box->label(), layers[i].name);
        const QVector<double> expected = RelativeRangeChart::boxValues(layers[i]);
        for (int k = 0; k < 5; ++k)
            QCOMPARE(box->at(k), expected[k]);
        const bool flagged = layers[i].outlierCount() > 0;
        QCOMPARE(box->pen().color() == chart.chartPalette().outlier, flagged);
    }
    QCOMPARE(layers[1].outlierCount(), 0);
    QCOMPARE(layers[2].outlierCount(), 2);
    // Outliers: dw1 channel 9, fc channels 2 and 7, at x = layer index.
    QCOMPARE(outliers->count(), 3);
    const QVector<QPair<int, int>> where = {{0, 9}, {2, 2}, {2, 7}};
    for (int k = 0; k < 3; ++k) {
        QCOMPARE(chart.outlierChannel(0, k), where[k]);
        const ChartChannel &c = layers[where[k].first].channels[where[k].second];
        QCOMPARE(outliers->at(k), QPointF(where[k].first, c.relativeRange));
    }
    auto *x = qobject_cast<QBarCategoryAxis *>(chart.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(x);
    QCOMPARE(x->categories(), (QStringList{"dw1", "pw1", "fc"}));
    QVERIFY(qobject_cast<QLogValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0)));
    QCOMPARE(chart.titleText(), QStringLiteral("Relative weight ranges per output channel (range / smallest range in the "
                                               "layer) - 3 layers, 2 with outlier channels beyond Q3 + 1.5 IQR (red)"));
}

void TestRelativeRangeChart::comparison()
{
    QVector<ChartLayer> after = {test::equalizedSample(), sampleLayers()[2]}; // no "pw1"
    RelativeRangeChart chart;
    chart.setLayers(sampleLayers(), QStringLiteral("original"));
    chart.setComparison(after, QStringLiteral("equalized"));
    QBoxPlotSeries *boxes = chart.boxSeries(1);
    QVERIFY(boxes);
    QCOMPARE(boxes->count(), 3);
    const QVector<double> eq = RelativeRangeChart::boxValues(after[0]);
    for (int k = 0; k < 5; ++k)
        QCOMPARE(boxes->boxSets()[0]->at(k), eq[k]);
    QCOMPARE(boxes->boxSets()[1]->pen().style(), Qt::NoPen); // placeholder for the missing layer
    QCOMPARE(boxes->boxSets()[2]->at(2), after[1].median);
    QCOMPARE(chart.setOffset(0), -0.25);
    QCOMPARE(chart.setOffset(1), 0.25);
    QCOMPARE(chart.outlierSeries(0)->at(0).x(), -0.25);
    QCOMPARE(chart.outlierSeries(1)->at(chart.outlierSeries(1)->count() - 1).x(), 2.25);
    QCOMPARE(chart.layerText(1, 1), QString());
    chart.clearComparison();
    QVERIFY(!chart.boxSeries(1));
    QCOMPARE(chart.outlierSeries(0)->at(0).x(), 0.0);
}

void TestRelativeRangeChart::hoverText()
{
    RelativeRangeChart chart;
    chart.setLayers(sampleLayers());
    Q_EMIT chart.boxSeries(0)->hovered(true, chart.boxSeries(0)->boxSets()[0]);
    QCOMPARE(chart.lastToolTip(),
             QStringLiteral("dw1 (Conv, 12 channels)\nrelative range: Q1 1.6875, median 2.375, Q3 2.8125\n"
                            "whiskers 1 to 3.25, fence 4.5\n1 outlier channels, max/min channel range 13x"));
    Q_EMIT chart.outlierSeries(0)->hovered(chart.outlierSeries(0)->at(0), true);
    QCOMPARE(chart.lastToolTip(), QStringLiteral("dw1, channel 9: relative range 13 (range 6.5, min -4, max 2.5)"));
    Q_EMIT chart.outlierSeries(0)->hovered(chart.outlierSeries(0)->at(0), false);
    QCOMPARE(chart.lastToolTip(), QString());
}

void TestRelativeRangeChart::linearScale()
{
    RelativeRangeChart chart;
    chart.setLayers(sampleLayers());
    chart.setLogScale(false);
    auto *y = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    QCOMPARE(y->min(), 0.0);
    QVERIFY(y->max() >= 13.0);
    QCOMPARE(chart.boxSeries(0)->boxSets()[0]->at(0), 1.0);
}

// QSvgGenerator writes each box with its whiskers as one <path> (the median is a <polyline>) and
// each outlier marker as one <circle>.
void TestRelativeRangeChart::svgExport()
{
    RelativeRangeChart chart;
    chart.setLayers(sampleLayers());
    const QByteArray svg = chart.toSvg(QSize(800, 500));
    QXmlStreamReader xml(svg);
    QMap<QString, int> count;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement)
            count[xml.name().toString()]++;
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(count.value(QStringLiteral("svg")), 1);
    QCOMPARE(count.value(QStringLiteral("circle")), 3);
    QCOMPARE(count.value(QStringLiteral("path")), 3);
    QVERIFY(svg.contains("<title>Relative weight ranges per output channel (range / smallest range in the layer) - 3 layers"));
}

void TestRelativeRangeChart::golden_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("light") << QStringLiteral("relativerange_light");
    QTest::newRow("dark compared") << QStringLiteral("relativerange_compared_dark");
}

void TestRelativeRangeChart::golden()
{
    QFETCH(QString, name);
    RelativeRangeChart chart;
    chart.setLayers(sampleLayers(), QStringLiteral("original"));
    if (name.contains(QLatin1String("compared")))
        chart.setComparison({test::equalizedSample(), sampleLayers()[1], sampleLayers()[2]}, QStringLiteral("equalized"));
    if (name.contains(QLatin1String("dark")))
        chart.setTheme(ChartTheme::Dark);
    chart.resize(kGoldenSize);
    const QString mismatch = test::compareWithGolden(chart.toImage(kGoldenSize), name);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

QTEST_MAIN(TestRelativeRangeChart)
#include "tst_relativerangechart.moc"
