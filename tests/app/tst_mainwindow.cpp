// The main window on the offscreen platform with the bundled demo model: the table lists every
// weighted layer, the filters narrow it, selecting a row updates the weight-range chart with the
// engine's values, a quantization run fills the results table with the CLI's figures, Cancel stops
// a run without changing anything while the GUI keeps processing events, a saved session reopens
// to the same state (unknown sections kept), autosave writes, German strings appear under German,
// and the window matches its golden screenshot.

#include "testutil.h"
#include "widgets/chartgolden.h"

#include "appsettings.h"
#include "chartspanel.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "quantpanel.h"

#include "analysis/weightstats.h"
#include "charts/relativerangechart.h"
#include "charts/weightrangechart.h"
#include "data/dataset.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "panels/layerexplorer.h"
#include "quant/encodingsfile.h"

#include <QApplication>
#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <random>

using namespace qs;

namespace {

QString demoPath() { return test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx"); }

bool openDemo(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QSignalSpy equalized(&w, &MainWindow::equalizedReady);
    w.openModel(demoPath());
    return loaded.wait(30000) && (equalized.count() > 0 || equalized.wait(30000));
}

// Runs the panel's current settings; false when the run failed or timed out.
bool runQuantization(MainWindow &w, QString *message)
{
    QSignalSpy done(w.quantPanel(), &QuantPanel::runFinished);
    if (!w.quantPanel()->run(message))
        return false;
    if (!done.wait(120000))
        return false;
    *message = done.at(0).at(1).toString();
    return done.at(0).at(0).toBool();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opensDemoModel();
    void reportsBadFile();
    void filtersNarrowTable();
    void copiesRows();
    void selectionUpdatesChart();
    void chartClickSelectsRow();
    void quantizationMatchesCli_data();
    void quantizationMatchesCli();
    void cancelKeepsModel();
    void sessionRoundTrip();
    void autosaveWrites();
    void dropOpensModel();
    void germanStrings();
    void translationsComplete();
    void themeFollowsSystem();
    void golden();
    void largeModelOpensFast();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
    QApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
    registerBuiltinDatasets(DatasetRegistry::instance());
    installLanguage(QStringLiteral("en"));
}

void TestMainWindow::opensDemoModel()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    QCOMPARE(w.modelPath(), demoPath());
    QCOMPARE(w.layerCount(), 8); // stem, three depthwise + pointwise pairs, fc
    auto *table = w.layerExplorer()->table();
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("stem"));
    // pw1: 16 -> 32 channels, 1x1, on 14x14: 16 * 32 * 196 MACs.
    QCOMPARE(table->model()->index(2, 0).data().toString(), QStringLiteral("pw1"));
    QCOMPARE(table->model()->index(2, LayerTableModel::Macs).data().toString(), QStringLiteral("100352"));
    QCOMPARE(table->model()->index(7, LayerTableModel::Op).data().toString(), QStringLiteral("Gemm"));
    QVERIFY(w.charts()->hasEqualizedStats());
    QVERIFY(w.overview()->text().contains(QStringLiteral("9612 parameters")));
    QCOMPARE(MainWindow::recentFiles().value(0), QFileInfo(demoPath()).absoluteFilePath()); // File > Open Recent
}

void TestMainWindow::reportsBadFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty.onnx"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    MainWindow w;
    QSignalSpy failed(&w, &MainWindow::modelFailed);
    w.openModel(path);
    QVERIFY(failed.wait(30000));
    QCOMPARE(failed.at(0).at(0).toString(), path + QStringLiteral(": empty file"));
    QCOMPARE(w.layerCount(), 0);
}

void TestMainWindow::filtersNarrowTable()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    LayerExplorer *e = w.layerExplorer();
    QCOMPARE(e->visibleRows(), 8);
    e->setFilterText(QStringLiteral("^pw"));
    QCOMPARE(e->visibleRows(), 3);
    e->setFilterText(QStringLiteral("W[12]"));
    QCOMPARE(e->visibleRows(), 4); // dw1, pw1, dw2, pw2 (case-insensitive)
    e->setFilterText(QStringLiteral("("));
    QCOMPARE(e->visibleRows(), 0); // an invalid pattern matches nothing
    e->setFilterText(QString());
    e->setOpFilter(QStringLiteral("Gemm"));
    QCOMPARE(e->visibleRows(), 1);
    QCOMPARE(e->table()->model()->index(0, 0).data().toString(), QStringLiteral("fc"));
    e->setOpFilter(QStringLiteral("Conv"));
    e->setFilterText(QStringLiteral("^dw"));
    QCOMPARE(e->visibleRows(), 3);
    QCOMPARE(e->opCombo()->count(), 3); // All ops, Conv, Gemm
}

void TestMainWindow::copiesRows()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    LayerExplorer *e = w.layerExplorer();
    QVERIFY(e->selectLayer(QStringLiteral("pw1")));
    e->copySelectedRows();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].startsWith(QStringLiteral("Layer\tOp\tInput shape\tWeight shape\tOutput shape\tParams\tMACs")));
    QVERIFY(lines[1].startsWith(QStringLiteral("pw1\tConv\t[16,14,14]\t[32,16,1,1]\t[32,14,14]\t512\t100352\t")));
}

void TestMainWindow::selectionUpdatesChart()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    const Graph graph = importOnnx(demoPath().toStdString()).take();
    const std::vector<LayerWeightStats> stats = computeWeightStats(graph);
    QVERIFY(w.layerExplorer()->selectLayer(QStringLiteral("pw2")));
    const LayerWeightStats *pw2 = findLayer(stats, "pw2");
    QVERIFY(pw2);
    QCandlestickSeries *ranges = w.charts()->weightChart()->rangeSeries(0);
    QVERIFY(ranges);
    QCOMPARE(ranges->count(), 64);
    for (int c = 0; c < 64; ++c) {
        QCandlestickSet *set = ranges->sets().at(c);
        QCOMPARE(set->low(), pw2->channels[size_t(c)].min);
        QCOMPARE(set->high(), pw2->channels[size_t(c)].max);
    }
    QVERIFY(w.charts()->weightChart()->titleText().contains(QStringLiteral("pw2")));
    QCOMPARE(w.charts()->relativeChart()->selectedLayer(), QStringLiteral("pw2"));
    // The equalized comparison is the engine's equalized model, same layer.
    w.charts()->showEqualizedBox()->setChecked(true);
    QVERIFY(w.charts()->weightChart()->hasComparison());
    QCOMPARE(w.charts()->weightChart()->rangeSeries(1)->count(), 64);
}

void TestMainWindow::chartClickSelectsRow()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    Q_EMIT w.charts()->relativeChart()->layerClicked(QStringLiteral("dw3"));
    QCOMPARE(w.layerExplorer()->currentLayer(), QStringLiteral("dw3"));
    QVERIFY(w.charts()->weightChart()->titleText().contains(QStringLiteral("dw3")));
}

void TestMainWindow::quantizationMatchesCli_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("default") << QStringList();
    QTest::newRow("w4-per-channel-cle-bc") << QStringList{QStringLiteral("--param-bw"), QStringLiteral("4"),
                                                          QStringLiteral("--per-channel"), QStringLiteral("--cle"),
                                                          QStringLiteral("--bias-correction"), QStringLiteral("empirical")};
    QTest::newRow("adaround") << QStringList{QStringLiteral("--param-bw"), QStringLiteral("4"), QStringLiteral("--adaround"),
                                             QStringLiteral("--adaround-iterations"), QStringLiteral("50")};
}

void TestMainWindow::quantizationMatchesCli()
{
    QFETCH(QStringList, flags);
    MainWindow w;
    QVERIFY(openDemo(w));
    QuantPanel *panel = w.quantPanel();
    QuantRunSettings s = panel->settings();
    s.calibSamples = 200;
    s.evalLimit = 1000;
    s.sensitivitySamples = 0;
    s.paramBitwidth = flags.contains(QStringLiteral("4")) ? 4 : 8;
    s.perChannel = flags.contains(QStringLiteral("--per-channel"));
    s.crossLayerScale = s.foldBatchNorms = flags.contains(QStringLiteral("--cle"));
    if (flags.contains(QStringLiteral("empirical")))
        s.biasCorrection = BiasCorrectionMethod::Empirical;
    s.adaround = flags.contains(QStringLiteral("--adaround"));
    s.adaroundIterations = 50;
    panel->setSettings(s);
    QCOMPARE(panel->settings().adaround, s.adaround);
    QString message;
    QVERIFY2(runQuantization(w, &message), qPrintable(message));
    QCOMPARE(panel->results().size(), size_t(1));
    const SessionResult &r = panel->results().front();

    QProcess cli;
    const DataSpecInfo spec = panel->dataSpec();
    cli.start(test::binaryDir() + QStringLiteral("/bin/quantscope-cli"),
              QStringList{QStringLiteral("quantize"), demoPath(), QStringLiteral("--data"), spec.data,
                          QStringLiteral("--preprocess"), spec.preprocess, QStringLiteral("--calib-samples"),
                          QStringLiteral("200"), QStringLiteral("--eval-limit"), QStringLiteral("1000"),
                          QStringLiteral("--json")} + flags);
    QVERIFY(cli.waitForFinished(900000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject j = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QCOMPARE(r.fp32.top1, j.value(QStringLiteral("fp32")).toObject().value(QStringLiteral("top1")).toDouble());
    QCOMPARE(r.quantized.top1, j.value(QStringLiteral("quantized")).toObject().value(QStringLiteral("top1")).toDouble());
    QCOMPARE(r.quantized.top5, j.value(QStringLiteral("quantized")).toObject().value(QStringLiteral("top5")).toDouble());
    QCOMPARE(qint64(r.quantized.samples), qint64(1000));
    QCOMPARE(r.quantizers, j.value(QStringLiteral("quantizers")).toInt());
    QTableWidget *table = panel->resultsTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 2)->text(), QString::asprintf("%.2f%%", 100 * r.fp32.top1));
    QCOMPARE(table->item(0, 3)->text(), QString::asprintf("%.2f%%", 100 * r.quantized.top1));
    qInfo("%s: FP32 %s, quantized %s", qPrintable(table->item(0, 0)->text()), qPrintable(table->item(0, 2)->text()),
          qPrintable(table->item(0, 3)->text()));

    // The panel's exports: an AIMET encodings file and a QDQ model that loads back.
    QTemporaryDir dir;
    QString error;
    const QString enc = dir.filePath(QStringLiteral("demo.encodings"));
    const QString qdq = dir.filePath(QStringLiteral("demo_qdq.onnx"));
    QVERIFY2(panel->exportEncodings(enc, &error), qPrintable(error));
    QVERIFY2(panel->exportQdq(qdq, &error), qPrintable(error));
    Result<std::vector<TensorEncoding>> read = readEncodingsFile(enc.toStdString());
    QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
    QCOMPARE(int(read.value().size()), r.quantizers);
    Result<Graph> qdqGraph = importOnnx(qdq.toStdString());
    QVERIFY2(qdqGraph.ok(), qdqGraph.ok() ? "" : qdqGraph.error().message.c_str());
    QVERIFY(qdqGraph.value().opHistogram().count("DequantizeLinear") == 1);
}

void TestMainWindow::cancelKeepsModel()
{
    MainWindow w;
    QVERIFY(openDemo(w));
    w.show();
    const auto model = w.model();
    QuantPanel *panel = w.quantPanel();
    QuantRunSettings s = panel->settings();
    s.evalLimit = -1; // all 10000 records: long enough to cancel
    s.sensitivitySamples = 256;
    panel->setSettings(s);
    QSignalSpy progress(w.jobs(), &JobRunner::progressChanged);
    QSignalSpy finished(w.jobs(), &JobRunner::finished);
    QElapsedTimer clock;
    qint64 last = 0, maxGap = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&] {
        maxGap = std::max(maxGap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    clock.start();
    ticker.start(10);
    QVERIFY(panel->run());
    QVERIFY(progress.wait(30000));
    auto *cancel = w.findChild<QPushButton *>(QStringLiteral("cancelJob"));
    QVERIFY(cancel && cancel->isVisibleTo(&w));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    ticker.stop();
    QCOMPARE(finished.at(0).at(1).toBool(), true); // cancelled
    QVERIFY(!w.jobs()->isRunning());
    QCOMPARE(panel->resultsTable()->rowCount(), 0);
    QVERIFY(panel->sensitivity().empty());
    QVERIFY(!panel->hasSimulation());
    QCOMPARE(w.model(), model);
    QCOMPARE(w.layerCount(), 8);
    // A GUI thread blocked by the job would stall for the whole run (tens of seconds); the bound
    // only tells that apart from scheduling delays on a busy machine.
    QVERIFY2(maxGap < 5000, qPrintable(QStringLiteral("event loop stalled %1 ms").arg(maxGap)));
    qInfo("longest gap between 10 ms timer ticks during the run: %lld ms", maxGap);
}

void TestMainWindow::sessionRoundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.qss"));
    QByteArray saved;
    {
        MainWindow w;
        QVERIFY(openDemo(w));
        QuantRunSettings s = w.quantPanel()->settings();
        s.calibSamples = 100;
        s.evalLimit = 300;
        s.sensitivitySamples = 64;
        s.perChannel = true;
        w.quantPanel()->setSettings(s);
        QString message;
        QVERIFY2(runQuantization(w, &message), qPrintable(message));
        QCOMPARE(w.quantPanel()->sensitivity().size(), size_t(8));
        w.layerExplorer()->setOpFilter(QStringLiteral("Conv"));
        w.layerExplorer()->setFilterText(QStringLiteral("^[dp]w"));
        QVERIFY(w.layerExplorer()->selectLayer(QStringLiteral("dw2")));
        w.charts()->showEqualizedBox()->setChecked(true);
        w.charts()->tabs()->setCurrentIndex(2);
        QVERIFY(w.saveSession(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        j.insert(QStringLiteral("compression"), QJsonObject{{QStringLiteral("page"), 3}}); // a later section
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(j).toJson());
        f.close();
        saved = QJsonDocument(j).toJson(QJsonDocument::Compact);
    }
    MainWindow w;
    QSignalSpy restored(&w, &MainWindow::sessionRestored);
    QString error;
    QVERIFY2(w.openSession(path, &error), qPrintable(error));
    QVERIFY(restored.wait(30000));
    QCOMPARE(w.layerExplorer()->currentLayer(), QStringLiteral("dw2"));
    QCOMPARE(w.layerExplorer()->visibleRows(), 6);
    QCOMPARE(w.charts()->tabs()->currentIndex(), 2);
    QVERIFY(w.charts()->showEqualizedBox()->isChecked());
    QCOMPARE(w.quantPanel()->resultsTable()->rowCount(), 1);
    QCOMPARE(w.quantPanel()->sensitivity().size(), size_t(8));
    QVERIFY(w.quantPanel()->settings().perChannel);
    QVERIFY(!w.layerExplorer()->table()->model()->index(0, LayerTableModel::Sqnr).data().toString().isEmpty());
    const QString resaved = dir.filePath(QStringLiteral("t.qss"));
    QVERIFY(w.saveSession(resaved));
    QFile f(resaved);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject again = QJsonDocument::fromJson(f.readAll()).object();
    QJsonObject first = QJsonDocument::fromJson(saved).object();
    // The window geometry may differ by the restored state; everything else is identical.
    for (QJsonObject *o : {&again, &first}) {
        QJsonObject view = o->value(QStringLiteral("view")).toObject();
        view.remove(QStringLiteral("window_state"));
        o->insert(QStringLiteral("view"), view);
    }
    QCOMPARE(again, first);
    QCOMPARE(again.value(QStringLiteral("compression")).toObject().value(QStringLiteral("page")).toInt(), 3);
}

void TestMainWindow::autosaveWrites()
{
    QTemporaryDir dir;
    MainWindow w;
    w.setAutosavePath(dir.filePath(QStringLiteral("auto.qss")));
    w.setAutosaveInterval(50);
    QVERIFY(openDemo(w));
    w.quantPanel()->findChild<QSpinBox *>(QStringLiteral("paramBw"))->setValue(6);
    const auto savedBitwidth = [&dir] {
        QFile f(dir.filePath(QStringLiteral("auto.qss")));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
        return j.value(QStringLiteral("quantization")).toObject().value(QStringLiteral("param_bw")).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(savedBitwidth(), 6, 5000);
}

void TestMainWindow::dropOpensModel()
{
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(demoPath())});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(w.layerCount(), 8);
}

void TestMainWindow::germanStrings()
{
    // "system" follows the locale: German under a German locale.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(installLanguage(QStringLiteral("system")), QStringLiteral("de"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    MainWindow w;
    QCOMPARE(w.menuBar()->actions().at(0)->text(), QStringLiteral("&Datei"));
    QCOMPARE(w.layerExplorer()->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Schicht"));
    QCOMPARE(w.charts()->tabs()->tabText(0), QStringLiteral("Gewichtsbereiche"));
    installLanguage(QStringLiteral("en")); // switching back retranslates the open window
    QTRY_COMPARE(w.menuBar()->actions().at(0)->text(), QStringLiteral("&File"));
    QCOMPARE(w.charts()->tabs()->tabText(0), QStringLiteral("Weight ranges"));
}

// Every source text of the German file has a finished translation.
void TestMainWindow::translationsComplete()
{
    QFile f(test::sourceDir() + QStringLiteral("/translations/quantscope_de.ts"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            QVERIFY2(!unfinished && !xml.readElementText().isEmpty(), qPrintable(QStringLiteral("untranslated: ") + source));
            ++messages;
        }
    }
    QVERIFY(!xml.hasError());
    QVERIFY(messages > 150);
}

// "Follow the system" reads the desktop palette; an explicit choice overrides it, and the charts
// switch with it.
void TestMainWindow::themeFollowsSystem()
{
    QCOMPARE(effectiveTheme(ThemeChoice::System), ChartTheme::Light); // the offscreen platform's palette is light
    QCOMPARE(effectiveTheme(ThemeChoice::Dark), ChartTheme::Dark);
    MainWindow w;
    w.applyThemeChoice(ThemeChoice::Dark);
    QCOMPARE(w.chartTheme(), ChartTheme::Dark);
    QCOMPARE(w.charts()->weightChart()->theme(), ChartTheme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
    w.applyThemeChoice(ThemeChoice::System);
    QCOMPARE(w.charts()->relativeChart()->theme(), ChartTheme::Light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() >= 128);
}

void TestMainWindow::golden()
{
    MainWindow w;
    w.applyThemeChoice(ThemeChoice::Light);
    w.resize(1280, 800);
    w.show();
    QVERIFY(openDemo(w));
    w.statusBar()->clearMessage(); // names the checkout's path and the load time
    QTest::qWait(100);
    const QString failure = test::compareWithGolden(w.grab().toImage(), QStringLiteral("mainwindow_light"), 64, 0.01);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

// x [1,16,32,32] -> 100 x (Conv 3x3 16->16, pad 1, bias -> Relu) -> y: 100 weighted layers.
static Graph hundredLayerGraph()
{
    Graph g;
    g.name = "hundred";
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1, 16, 32, 32}, {"", "", "", ""}, true});
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> d(-0.2f, 0.2f);
    std::string in = "x";
    for (int i = 0; i < 100; ++i) {
        const std::string id = std::to_string(i);
        std::vector<float> w(16 * 16 * 9), b(16);
        for (float &v : w)
            v = d(rng);
        for (float &v : b)
            v = d(rng);
        g.initializers["w" + id] = Tensor::fromFloats({16, 16, 3, 3}, w);
        g.initializers["b" + id] = Tensor::fromFloats({16}, b);
        Node conv;
        conv.name = "conv" + id;
        conv.opType = "Conv";
        conv.inputs = {in, "w" + id, "b" + id};
        conv.outputs = {"c" + id};
        conv.attributes["pads"] = Attribute::ofInts({1, 1, 1, 1});
        Node relu;
        relu.name = "relu" + id;
        relu.opType = "Relu";
        relu.inputs = {"c" + id};
        relu.outputs = {i == 99 ? std::string("y") : "r" + id};
        g.nodes.push_back(conv);
        g.nodes.push_back(relu);
        in = relu.outputs[0];
    }
    g.outputs.push_back(ValueInfo{"y", DType::Float32, {1, 16, 32, 32}, {"", "", "", ""}, true});
    return g;
}

// Opening a 100-layer model and drawing its first chart (the first layer's weight ranges).
void TestMainWindow::largeModelOpensFast()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hundred.onnx"));
    QVERIFY(exportOnnx(hundredLayerGraph(), path.toStdString()).ok());
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    QElapsedTimer timer;
    timer.start();
    w.openModel(path);
    QVERIFY(loaded.wait(30000));
    const QPixmap chart = w.charts()->weightChart()->grab(); // lays out and paints the chart
    const qint64 ms = timer.elapsed();
    QCOMPARE(w.layerCount(), 100);
    QVERIFY(w.charts()->weightChart()->titleText().contains(QStringLiteral("conv0 (Conv, 16 channels)")));
    QVERIFY(!chart.isNull());
    // A measurement, printed for the record (speed is never asserted in tests).
    qInfo("100-layer model: opened and first chart drawn in %lld ms", ms);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
