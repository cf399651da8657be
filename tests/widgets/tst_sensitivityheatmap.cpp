// The compression sensitivity heatmap on the offscreen platform: cells fill in one by one, colours
// follow the score relative to the baseline, hover shows the exact value, a click chooses that ratio
// for its layer, the chosen ratio is marked, PNG/SVG export, golden images (light and dark), and
// `quantscope-cli render --chart sensitivity --cache` on ResNet-20's channel-pruning table (shared).

#include "chartgolden.h"

#include "cliargs.h"
#include "cmdrender.h"

#include "charts/sensitivityheatmap.h"
#include "compress/sensitivity.h"
#include "core/error.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "onnx/onnximport.h"

#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <cmath>

using namespace qs;
using namespace qs::cli;

class TestSensitivityHeatmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void colours();
    void fillsCellByCell();
    void hoverAndClick();
    void exportImages();
    void golden();
    void renderResnet20();
    void renderErrors();
};

namespace {

const QStringList kLayers = {QStringLiteral("conv1"), QStringLiteral("block1/conv_a"), QStringLiteral("block1/conv_b"),
                             QStringLiteral("fc")};
const QVector<double> kRatios = {0.25, 0.5, 0.75, 1.0};

// Scores falling with the ratio, the deeper layers more sensitive.
double sampleScore(int row, int column) { return 0.846 - 0.06 * (3 - column) * (row + 1) / 2.0; }

void fillSample(SensitivityHeatmap &h)
{
    h.setGrid(kLayers, kRatios);
    h.setBaseline(0.846);
    h.setTitle(QStringLiteral("Compression sensitivity"), QStringLiteral("channel pruning, MACs, top-1 of 500 records"));
    for (int r = 0; r < kLayers.size(); ++r)
        for (int c = 0; c < kRatios.size(); ++c)
            if (!(r == 3 && c < 2)) // the last layer still pending in two cells
                h.setScore(kLayers[r], kRatios[c], sampleScore(r, c));
    h.setChosenRatio(QStringLiteral("conv1"), 0.5);
    h.setChosenRatio(QStringLiteral("block1/conv_b"), 0.75);
    h.setSelectedLayer(QStringLiteral("block1/conv_a"));
}

} // namespace

void TestSensitivityHeatmap::initTestCase()
{
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
}

void TestSensitivityHeatmap::colours()
{
    QCOMPARE(heatmapColour(1.0), QColor(0x1a, 0x98, 0x50));
    QCOMPARE(heatmapColour(1.3), QColor(0x1a, 0x98, 0x50)); // above the baseline: clamped
    QCOMPARE(heatmapColour(0.0), QColor(0x7f, 0x00, 0x00));
    // 0.9^4 = 0.6561 lies between the stops at 0.5 and 0.75: red rises towards the yellow stop.
    const QColor c = heatmapColour(0.9);
    QVERIFY(c.red() > 0xfc && c.green() > 0x8d && c.green() < 0xe0);
}

void TestSensitivityHeatmap::fillsCellByCell()
{
    SensitivityHeatmap h;
    h.setGrid(kLayers, kRatios);
    QCOMPARE(h.filledCells(), 0);
    QVERIFY(std::isnan(h.score(QStringLiteral("fc"), 0.5)));
    h.setScore(QStringLiteral("fc"), 0.5, 0.5);
    h.setScore(QStringLiteral("nope"), 0.5, 0.5); // unknown layer and ratio: ignored
    h.setScore(QStringLiteral("fc"), 0.3, 0.5);
    QCOMPARE(h.filledCells(), 1);
    QCOMPARE(h.score(QStringLiteral("fc"), 0.5), 0.5);
    fillSample(h);
    QCOMPARE(h.filledCells(), 14);
    QCOMPARE(h.chosenRatio(QStringLiteral("conv1")), 0.5);
    QCOMPARE(h.chosenRatio(QStringLiteral("fc")), -1.0);
    h.clearScores();
    QCOMPARE(h.filledCells(), 0);
    QCOMPARE(h.chosenRatio(QStringLiteral("conv1")), 0.5); // the choice stays
}

void TestSensitivityHeatmap::hoverAndClick()
{
    SensitivityHeatmap h;
    fillSample(h);
    h.resize(800, 400);
    h.show();
    QVERIFY(QTest::qWaitForWindowExposed(&h));
    const QRect cell = h.cellRect(1, 1); // block1/conv_a at 0.5: 0.846 - 0.06 * 2 * 2 / 2 = 0.726
    QVERIFY(!cell.isEmpty());
    QSignalSpy hovered(&h, &SensitivityHeatmap::valueHovered);
    QTest::mouseMove(&h, cell.center());
    QTRY_COMPARE(h.lastToolTip(), QStringLiteral("block1/conv_a at ratio 0.5: top-1 72.60% (-12.00 points against 84.60%)"));
    QCOMPARE(hovered.count(), 1);
    QTest::mouseMove(&h, h.cellRect(3, 0).center()); // pending cell: no value
    QTRY_COMPARE(h.lastToolTip(), QString());
    QSignalSpy clicked(&h, &SensitivityHeatmap::ratioClicked);
    QTest::mouseClick(&h, Qt::LeftButton, {}, h.cellRect(2, 0).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toString(), QStringLiteral("block1/conv_b"));
    QCOMPARE(clicked.at(0).at(1).toDouble(), 0.25);
    QSignalSpy layer(&h, &SensitivityHeatmap::layerClicked);
    QTest::mouseClick(&h, Qt::LeftButton, {}, QPoint(20, h.cellRect(3, 0).center().y()));
    QCOMPARE(layer.count(), 1);
    QCOMPARE(layer.at(0).at(0).toString(), QStringLiteral("fc"));
}

void TestSensitivityHeatmap::exportImages()
{
    SensitivityHeatmap h;
    fillSample(h);
    const QImage image = h.toImage(QSize(640, 360));
    QCOMPARE(image.size(), QSize(640, 360));
    // The centre of conv1's cell at ratio 1 has the baseline's colour (0.846 / 0.846 = 1), away from the text.
    h.resize(640, 360);
    const QRect cell = h.cellRect(0, 3);
    QCOMPARE(image.pixelColor(cell.left() + 4, cell.center().y()), heatmapColour(1.0));
    QTemporaryDir dir;
    QString error;
    QVERIFY2(h.exportTo(dir.filePath(QStringLiteral("h.svg")), QSize(640, 360), &error), qPrintable(error));
    QFile svg(dir.filePath(QStringLiteral("h.svg")));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svg);
    int texts = 0;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            ++texts;
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(texts > 20); // labels, ratios, cell values, legend
    QVERIFY(!h.exportTo(dir.filePath(QStringLiteral("h.gif")), QSize(640, 360), &error));
    QCOMPARE(error, dir.filePath(QStringLiteral("h.gif")) + QStringLiteral(": unknown image type (use .png or .svg)"));
}

void TestSensitivityHeatmap::golden()
{
    SensitivityHeatmap h;
    fillSample(h);
    QString failure = test::compareWithGolden(h.toImage(QSize(760, 360)), QStringLiteral("sensitivityheatmap_light"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    h.setTheme(ChartTheme::Dark);
    failure = test::compareWithGolden(h.toImage(QSize(760, 360)), QStringLiteral("sensitivityheatmap_dark"));
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

// ResNet-20, channel pruning, 10 candidates: the table through the engine with the cache the
// sensitivity command writes, then render to PNG and SVG.
void TestSensitivityHeatmap::renderResnet20()
{
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    QS_NEED_SHARED("data/cifar10-test/test_batch.bin");
    const std::string model = (test::sharedDir() + QStringLiteral("/models/resnet20_cifar10_akamaster.onnx")).toStdString();
    QTemporaryDir dir;
    const std::string cache = dir.filePath(QStringLiteral("r20.json")).toStdString();
    registerBuiltinDatasets(DatasetRegistry::instance());
    const auto data = DatasetRegistry::instance()
                          .open((test::sharedDir() + QStringLiteral("/data/cifar10-test/test_batch.bin")).toStdString(), {})
                          .take();
    const Preprocess pre =
        parsePreprocess(R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})").take();
    SensitivityOptions o;
    o.settings.method = CompressMethod::ChannelPruning;
    o.candidates = 10;
    o.evalOffset = 5000;
    o.evalLimit = 100;
    o.reconstructionImages = 50;
    o.cachePath = cache;
    const SensitivityTable t = computeSensitivity(importOnnx(model).take(), *data, pre, o).take();
    QCOMPARE(int(t.order.size()), 18);
    QCOMPARE(int(t.ratios.size()), 10);
    const std::string png = dir.filePath(QStringLiteral("r20.png")).toStdString();
    const std::string svg = dir.filePath(QStringLiteral("r20.svg")).toStdString();
    QCOMPARE(cmdRender({model, "--chart", "sensitivity", "--cache", cache, "--out", png, "--size", "1000x600"}), 0);
    QCOMPARE(cmdRender({model, "--chart", "sensitivity", "--cache", cache, "--out", svg, "--theme", "dark",
                        "--layer", "/layer3/layer3.0/conv1/Conv"}),
             0);
    const QImage image(QString::fromStdString(png));
    QCOMPARE(image.size(), QSize(1000, 600));
    QFile f(QString::fromStdString(svg));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.contains("viewBox=\"0 0 1200 700\""));
    QVERIFY(bytes.contains("/layer3/layer3.0/conv1/Conv"));
    QVERIFY(bytes.contains(QString::number(100.0 * t.scores.at("/layer3/layer3.2/conv1/Conv").at(0.1), 'f', 1).toUtf8()));
}

void TestSensitivityHeatmap::renderErrors()
{
    QTemporaryDir dir;
    const std::string out = dir.filePath(QStringLiteral("x.png")).toStdString();
    try {
        cmdRender({"m.onnx", "--chart", "sensitivity", "--out", out});
        QFAIL("no error");
    } catch (const UsageError &e) {
        QCOMPARE(QString::fromStdString(e.what()),
                 QStringLiteral("--chart sensitivity needs --cache FILE (the table quantscope-cli sensitivity --cache wrote)"));
    }
    try {
        cmdRender({"m.onnx", "--chart", "weight-ranges", "--cache", "c.json", "--out", out});
        QFAIL("no error");
    } catch (const UsageError &e) {
        QCOMPARE(QString::fromStdString(e.what()), QStringLiteral("--cache applies to --chart sensitivity only"));
    }
    QVERIFY(!QFileInfo::exists(QString::fromStdString(out)));
}

QTEST_MAIN(TestSensitivityHeatmap)
#include "tst_sensitivityheatmap.moc"
