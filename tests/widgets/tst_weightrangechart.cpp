// The weight-range chart on the offscreen platform with synthetic layers: plotted values equal the
// inputs (linear, log, overlay and side by side), hover shows the exact values, PNG export has the
// requested size, SVG export is well-formed with one marker per channel, the clipboard gets both,
// the palettes apply, and golden screenshots match.

#include "chartgolden.h"
#include "chartsamples.h"

#include "charts/weightrangechart.h"

#include <QApplication>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QClipboard>
#include <QLogValueAxis>
#include <QMimeData>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXmlStreamReader>

using namespace qs;

class TestWeightRangeChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plottedValues();
    void comparison_data();
    void comparison();
    void logScale();
    void hoverText();
    void hoverByMouse();
    void pngSize_data();
    void pngSize();
    void svgExport_data();
    void svgExport();
    void exportErrors();
    void clipboard();
    void palettes();
    void golden_data();
    void golden();
};

static const QSize kGoldenSize(640, 400);

void TestWeightRangeChart::initTestCase()
{
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
}

void TestWeightRangeChart::plottedValues()
{
    const ChartLayer layer = test::depthwiseSample();
    WeightRangeChart chart;
    chart.setLayer(layer);
    QCandlestickSeries *ranges = chart.rangeSeries(0);
    QScatterSeries *means = chart.meanSeries(0);
    QVERIFY(ranges && means);
    QVERIFY(!chart.rangeSeries(1) && !chart.meanSeries(1) && !chart.logRangeSeries(0));
    QCOMPARE(ranges->count(), 12);
    QCOMPARE(means->count(), 12);
    for (int c = 0; c < 12; ++c) {
        const QCandlestickSet *s = ranges->sets()[c];
        QCOMPARE(s->low(), layer.channels[c].min);
        QCOMPARE(s->open(), layer.channels[c].min);
        QCOMPARE(s->high(), layer.channels[c].max);
        QCOMPARE(s->close(), layer.channels[c].max);
        QCOMPARE(chart.channelAt(0, s->timestamp()), c);
        QCOMPARE(means->at(c), QPointF(c, layer.channels[c].mean));
    }
    QCOMPARE(chart.titleText(),
             QStringLiteral("Weight ranges per output channel: dw1 (Conv, 12 channels) - max/min channel range 13x"));
    auto *x = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Horizontal, means).value(0));
    QVERIFY(x);
    QCOMPARE(x->min(), -0.5);
    QCOMPARE(x->max(), 11.5);
}

void TestWeightRangeChart::comparison_data()
{
    QTest::addColumn<bool>("sideBySide");
    QTest::addColumn<double>("offset0");
    QTest::addColumn<double>("offset1");
    QTest::newRow("overlay") << false << 0.0 << 0.0;
    QTest::newRow("side by side") << true << -0.2 << 0.2;
}

void TestWeightRangeChart::comparison()
{
    QFETCH(bool, sideBySide);
    QFETCH(double, offset0);
    QFETCH(double, offset1);
    const ChartLayer before = test::depthwiseSample();
    const ChartLayer after = test::equalizedSample();
    WeightRangeChart chart;
    chart.setCompareMode(sideBySide ? WeightRangeChart::CompareMode::SideBySide : WeightRangeChart::CompareMode::Overlay);
    chart.setLayer(before, QStringLiteral("original"));
    chart.setComparison(after, QStringLiteral("equalized"));
    QVERIFY(chart.hasComparison());
    for (int c = 0; c < 12; ++c) {
        const QCandlestickSet *a = chart.rangeSeries(0)->sets()[c];
        const QCandlestickSet *b = chart.rangeSeries(1)->sets()[c];
        QCOMPARE(b->low(), after.channels[c].min);
        QCOMPARE(b->high(), after.channels[c].max);
        QCOMPARE(a->high(), before.channels[c].max);
        QCOMPARE(chart.channelAt(0, a->timestamp()), c);
        QCOMPARE(chart.channelAt(1, b->timestamp()), c);
        QCOMPARE(b->timestamp() - a->timestamp(), 10.0 * (offset1 - offset0));
        QCOMPARE(chart.meanSeries(0)->at(c), QPointF(c + offset0, before.channels[c].mean));
        QCOMPARE(chart.meanSeries(1)->at(c), QPointF(c + offset1, after.channels[c].mean));
    }
    QCOMPARE(chart.rangeSeries(1)->name(), QStringLiteral("equalized min to max"));
    QCOMPARE(chart.titleText(), QStringLiteral("Weight ranges per output channel: dw1 (Conv, 12 channels) - "
                                               "max/min channel range: original 13x, equalized %1x")
                                    .arg(after.rangeRatio, 0, 'g', 4));
    chart.clearComparison();
    QVERIFY(!chart.rangeSeries(1));
    QCOMPARE(chart.meanSeries(0)->at(3).x(), 3.0);
}

void TestWeightRangeChart::logScale()
{
    ChartLayer layer = test::depthwiseSample();
    layer.channels[4].min = layer.channels[4].max = 0.5; // a zero range has no place on a log axis
    WeightRangeChart chart;
    chart.setLayer(layer);
    chart.setLogScale(true);
    QVERIFY(!chart.rangeSeries(0) && !chart.meanSeries(0));
    QScatterSeries *ranges = chart.logRangeSeries(0);
    QVERIFY(ranges);
    QCOMPARE(ranges->count(), 11);
    int k = 0;
    for (int c = 0; c < 12; ++c) {
        if (c == 4)
            continue;
        QCOMPARE(ranges->at(k++), QPointF(c, layer.channels[c].range()));
    }
    auto *y = qobject_cast<QLogValueAxis *>(chart.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    QVERIFY(y->min() < 0.5 && y->max() > 6.5);
    chart.setLogScale(false);
    QVERIFY(chart.rangeSeries(0));
}

void TestWeightRangeChart::hoverText()
{
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    QSignalSpy spy(&chart, &ChartView::valueHovered);
    QCandlestickSeries *ranges = chart.rangeSeries(0);
    Q_EMIT ranges->hovered(true, ranges->sets()[9]);
    const QString expected = QStringLiteral("dw1, channel 9\nmin -4, max 2.5\nmean -2.375, std 1.083333\n"
                                            "range 6.5 (13 x the smallest)\noutlier channel (beyond Q3 + 1.5 IQR)");
    QCOMPARE(chart.lastToolTip(), expected);
    QCOMPARE(spy.count(), 1);
    Q_EMIT chart.meanSeries(0)->hovered(QPointF(2, -0.4375), true);
    QCOMPARE(chart.lastToolTip(), QStringLiteral("dw1, channel 2\nmin -0.75, max 0.5\nmean -0.4375, std 0.2083333\n"
                                                 "range 1.25 (2.5 x the smallest)"));
    Q_EMIT ranges->hovered(false, ranges->sets()[9]);
    QCOMPARE(chart.lastToolTip(), QString());
}

// A real pointer move over channel 9's bar reaches the same text through Qt Charts' hover items.
void TestWeightRangeChart::hoverByMouse()
{
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    chart.resize(kGoldenSize);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QPointF inChart = chart.chart()->mapToPosition(QPointF(chart.timestampOf(0, 9), -1.0), chart.rangeSeries(0));
    const QPoint inView = chart.mapFromScene(chart.chart()->mapToScene(inChart));
    QTest::mouseMove(chart.viewport(), inView);
    QTRY_VERIFY(chart.lastToolTip().startsWith(QStringLiteral("dw1, channel 9\n")));
}

void TestWeightRangeChart::pngSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("640x400") << QSize(640, 400);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
    QTest::newRow("300x200") << QSize(300, 200);
}

void TestWeightRangeChart::pngSize()
{
    QFETCH(QSize, size);
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    chart.resize(500, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QRectF before = chart.chart()->geometry();
    QCOMPARE(before.size(), QSizeF(500, 300));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("chart.png"));
    QString error;
    QVERIFY2(chart.exportTo(path, size, &error), qPrintable(error));
    const QImage image(path);
    QCOMPARE(image.size(), size);
    QCOMPARE(chart.size(), QSize(500, 300)); // the widget and its chart keep their own size
    QCOMPARE(chart.chart()->geometry(), before);
    // Laid out at the export size: the plot area reaches close to the image's right edge.
    QCOMPARE(image.pixelColor(2, 2), chart.chartPalette().background);
    chart.chart()->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    const QRectF plot = chart.chart()->plotArea();
    chart.chart()->setGeometry(before);
    QVERIFY2(plot.right() > size.width() - 40, qPrintable(QString::number(plot.right())));
}

// QSvgGenerator writes each bar as a <rect> (plus an empty wick <path>) and each mean marker as a
// <circle>; the other rects are the chart background, its frame, the plot area and one per legend marker.
void TestWeightRangeChart::svgExport_data()
{
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("compare");
    QTest::newRow("12 channels") << 12 << false;
    QTest::newRow("18 channels") << 18 << false;
    QTest::newRow("12 channels compared") << 12 << true;
}

void TestWeightRangeChart::svgExport()
{
    QFETCH(int, channels);
    QFETCH(bool, compare);
    ChartLayer layer = test::depthwiseSample();
    while (layer.channels.size() < channels)
        layer.channels.push_back(layer.channels[layer.channels.size() - 12]);
    WeightRangeChart chart;
    chart.setLayer(layer);
    if (compare)
        chart.setComparison(test::equalizedSample());
    const QByteArray svg = chart.toSvg(QSize(800, 500));
    QXmlStreamReader xml(svg);
    QMap<QString, int> count;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement)
            count[xml.name().toString()]++;
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    const int sets = compare ? 2 : 1;
    QCOMPARE(count.value(QStringLiteral("svg")), 1);
    QCOMPARE(count.value(QStringLiteral("title")), 1);
    QCOMPARE(count.value(QStringLiteral("circle")), sets * channels);
    QCOMPARE(count.value(QStringLiteral("path")), sets * channels);
    QCOMPARE(count.value(QStringLiteral("rect")), sets * channels + 3 + 2 * sets);
    QVERIFY(svg.contains("viewBox=\"0 0 800 500\""));
    QVERIFY(svg.contains("<title>Weight ranges per output channel: dw1"));
}

void TestWeightRangeChart::exportErrors()
{
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    QTemporaryDir dir;
    QString error;
    QVERIFY(!chart.exportTo(dir.filePath(QStringLiteral("chart.jpg")), kGoldenSize, &error));
    QCOMPARE(error, dir.filePath(QStringLiteral("chart.jpg")) + QStringLiteral(": unknown image type (use .png or .svg)"));
    const QString bad = dir.filePath(QStringLiteral("missing/chart.png"));
    QVERIFY(!chart.exportTo(bad, kGoldenSize, &error));
    QVERIFY2(error.startsWith(bad + QStringLiteral(": cannot write (")), qPrintable(error));
    QVERIFY(!QFile::exists(bad));
}

void TestWeightRangeChart::clipboard()
{
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    chart.copyToClipboard(QSize(320, 200));
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    QVERIFY(mime);
    QCOMPARE(qvariant_cast<QImage>(mime->imageData()).size(), QSize(320, 200));
    QVERIFY(mime->data(QStringLiteral("image/svg+xml")).contains("viewBox=\"0 0 320 200\""));
}

void TestWeightRangeChart::palettes()
{
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample());
    for (ChartTheme theme : {ChartTheme::Light, ChartTheme::Dark}) {
        chart.setTheme(theme);
        const ChartPalette p = ChartPalette::forTheme(theme);
        const QImage image = chart.toImage(QSize(400, 300));
        QCOMPARE(image.pixelColor(1, 1), p.background);
        QCOMPARE(image.pixelColor(399, 299), p.background);
        QCOMPARE(chart.chart()->titleBrush().color(), p.text);
        QCOMPARE(chart.rangeSeries(0)->pen().color(), p.primary);
        QCOMPARE(chart.meanSeries(0)->color(), p.primaryMean);
        QCOMPARE(chart.chart()->titleFont().family(), QStringLiteral("DejaVu Sans"));
    }
    QVERIFY(ChartPalette::forTheme(ChartTheme::Light).background != ChartPalette::forTheme(ChartTheme::Dark).background);
}

void TestWeightRangeChart::golden_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("single") << QStringLiteral("weightrange_light");
    QTest::newRow("overlay") << QStringLiteral("weightrange_overlay_light");
    QTest::newRow("side by side dark") << QStringLiteral("weightrange_sidebyside_dark");
    QTest::newRow("log") << QStringLiteral("weightrange_log_light");
}

void TestWeightRangeChart::golden()
{
    QFETCH(QString, name);
    WeightRangeChart chart;
    chart.setLayer(test::depthwiseSample(), QStringLiteral("original"));
    if (name.contains(QLatin1String("overlay")) || name.contains(QLatin1String("sidebyside")))
        chart.setComparison(test::equalizedSample(), QStringLiteral("equalized"));
    if (name.contains(QLatin1String("sidebyside")))
        chart.setCompareMode(WeightRangeChart::CompareMode::SideBySide);
    if (name.contains(QLatin1String("dark")))
        chart.setTheme(ChartTheme::Dark);
    chart.setLogScale(name.contains(QLatin1String("log")));
    chart.resize(kGoldenSize);
    const QString mismatch = test::compareWithGolden(chart.toImage(kGoldenSize), name);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

QTEST_MAIN(TestWeightRangeChart)
#include "tst_weightrangechart.moc"
