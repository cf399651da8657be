// The quantization-sensitivity chart with synthetic layers: bar values equal the inputs, the
// second set appears on request, selection marks the layer's bars, a click reports the layer,
// hover text has the exact figures, and golden screenshots (light, dark) match.

#include "chartgolden.h"

#include "charts/quantsensitivitychart.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QSignalSpy>
#include <QTest>

using namespace qs;

namespace {

QVector<ChartSensitivity> sample()
{
    return {{QStringLiteral("conv1"), QStringLiteral("Conv"), 31.5, 0.871, 24.0, 0.80},
            {QStringLiteral("dw1"), QStringLiteral("Conv"), 12.4, 0.52, 29.0, 0.86},
            {QStringLiteral("pw1"), QStringLiteral("Conv"), 40.0, 0.88, 22.5, 0.79},
            {QStringLiteral("fc"), QStringLiteral("Gemm"), 45.75, 0.885, 21.0, 0.78}};
}

} // namespace

class TestQuantSensitivityChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plottedValues();
    void allButSet();
    void selection();
    void clickReportsLayer();
    void hoverText();
    void empty();
    void golden_data();
    void golden();
};

void TestQuantSensitivityChart::initTestCase()
{
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
}

void TestQuantSensitivityChart::plottedValues()
{
    QuantSensitivityChart chart;
    chart.setLayers(sample(), 0.89);
    QBarSet *alone = chart.barSet(0);
    QVERIFY(alone);
    QVERIFY(!chart.barSet(1));
    QCOMPARE(alone->count(), 4);
    for (int i = 0; i < 4; ++i)
        QCOMPARE(alone->at(i), sample()[i].sqnrAlone);
    QVERIFY(chart.titleText().contains(QStringLiteral("lowest SQNR when quantized alone: dw1 (12.4 dB)")));
}

void TestQuantSensitivityChart::allButSet()
{
    QuantSensitivityChart chart;
    chart.setLayers(sample());
    chart.setShowAllBut(true);
    QVERIFY(chart.barSet(1));
    QCOMPARE(chart.barSet(1)->at(2), 22.5);
}

void TestQuantSensitivityChart::selection()
{
    QuantSensitivityChart chart;
    chart.setLayers(sample());
    chart.setSelectedLayer(QStringLiteral("pw1"));
    QCOMPARE(chart.barSet(0)->selectedBars(), QList<int>{2});
    chart.setShowAllBut(true); // rebuilt sets keep the selection
    QCOMPARE(chart.barSet(1)->selectedBars(), QList<int>{2});
    chart.setSelectedLayer(QStringLiteral("nothing"));
    QVERIFY(chart.barSet(0)->selectedBars().isEmpty());
}

void TestQuantSensitivityChart::clickReportsLayer()
{
    QuantSensitivityChart chart;
    chart.setLayers(sample());
    QSignalSpy clicked(&chart, &QuantSensitivityChart::layerClicked);
    auto *series = qobject_cast<QBarSeries *>(chart.chart()->series().at(0));
    QVERIFY(series);
    Q_EMIT series->clicked(3, chart.barSet(0));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toString(), QStringLiteral("fc"));
}

void TestQuantSensitivityChart::hoverText()
{
    QuantSensitivityChart chart;
    chart.setLayers(sample(), 0.89);
    QCOMPARE(chart.layerText(1), QStringLiteral("dw1 (Conv)\nquantized alone: SQNR 12.40 dB, top-1 52.00%\n"
                                                "all other layers quantized: SQNR 29.00 dB, top-1 86.00%\n"
                                                "FP32 top-1 89.00%"));
    auto *series = qobject_cast<QBarSeries *>(chart.chart()->series().at(0));
    Q_EMIT series->hovered(true, 1, chart.barSet(0));
    QCOMPARE(chart.lastToolTip(), chart.layerText(1));
}

void TestQuantSensitivityChart::empty()
{
    QuantSensitivityChart chart;
    QVERIFY(chart.titleText().startsWith(QStringLiteral("Quantization sensitivity: not computed")));
    QVERIFY(!chart.barSet(0));
}

void TestQuantSensitivityChart::golden_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestQuantSensitivityChart::golden()
{
    QFETCH(bool, dark);
    QuantSensitivityChart chart;
    chart.setTheme(dark ? ChartTheme::Dark : ChartTheme::Light);
    chart.setLayers(sample(), 0.89);
    chart.setShowAllBut(dark);
    chart.setSelectedLayer(QStringLiteral("dw1"));
    const QString failure = test::compareWithGolden(chart.toImage(QSize(640, 400)),
                                                    dark ? QStringLiteral("quantsensitivity_allbut_dark")
                                                         : QStringLiteral("quantsensitivity_light"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

QTEST_MAIN(TestQuantSensitivityChart)
#include "tst_quantsensitivitychart.moc"
