// The compression wizard on the offscreen platform with the bundled demo model and real jobs: all
// six pages, the heatmap filling in as cells finish, a ratio edited in the table updating the
// projected MACs and the heatmap mark, Cancel during the sensitivity run keeping finished layers in
// the cache and a restart resuming from them, the exported model loading back with the projected
// MACs, the session restoring the wizard where it was (the table from the session alone), and
// golden screenshots of every page.

#include "testutil.h"
#include "widgets/chartgolden.h"

#include "appsettings.h"
#include "compressionwizard.h"
#include "jobrunner.h"
#include "mainwindow.h"

#include "charts/sensitivityheatmap.h"
#include "data/dataset.h"
#include "equalize/layerweights.h"
#include "graph/costmodel.h"
#include "onnx/onnximport.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace qs;

namespace {

QString demoPath() { return test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx"); }
const char *const kFashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";

WizardSettings demoSettings(const QString &cache, int evalLimit)
{
    WizardSettings s;
    s.model = demoPath();
    s.data = {QString::fromLatin1(kFashion), QString(), QStringLiteral(R"({"scale": 0.00392156862745098})")};
    s.evalOffset = 5000;
    s.evalLimit = evalLimit;
    s.testOffset = 0;
    s.testLimit = 1000;
    s.method = QStringLiteral("channel-pruning");
    s.target = 0.6;
    s.candidates = 8;
    s.roundTo = 4;
    s.reconImages = 100;
    s.cache = cache;
    return s;
}

// Paths in fields differ between checkouts: the golden images show fixed texts.
QImage pageImage(CompressionWizard &w)
{
    QLineEdit *fields[] = {w.findChild<QLineEdit *>(QStringLiteral("wizardModel")),
                           w.findChild<QLineEdit *>(QStringLiteral("wizardCache")),
                           w.findChild<QLineEdit *>(QStringLiteral("wizardExportDir"))};
    const QString fixed[] = {QStringLiteral("fashion_mnist_cnn.onnx"), QStringLiteral("sensitivity.json"),
                             QStringLiteral("export")};
    QString saved[3];
    for (int i = 0; i < 3; ++i) {
        saved[i] = fields[i]->text();
        fields[i]->blockSignals(true);
        fields[i]->setText(fixed[i]);
    }
    QApplication::processEvents();
    const QImage image = w.grab().toImage();
    for (int i = 0; i < 3; ++i) {
        fields[i]->setText(saved[i]);
        fields[i]->blockSignals(false);
    }
    return image;
}

bool waitFor(QSignalSpy &spy, int ms) { return spy.count() > 0 || spy.wait(ms); }

} // namespace

class TestCompressionWizard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void walkThrough();
    void cancelAndResume();
    void sessionRestoresWizard();

private:
    std::shared_ptr<const ModelDocument> m_doc;
    QTemporaryDir m_dir;
};

void TestCompressionWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("QuantscopeTest"));
    QApplication::setApplicationName(QStringLiteral("tst_compressionwizard"));
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
    installLanguage(QStringLiteral("en"));
    applyWidgetTheme(ThemeChoice::Light);
    if (!QFile::exists(QString::fromLatin1(kFashion)))
        QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
    m_doc = loadModelDocument(demoPath());
    QVERIFY2(m_doc->error.isEmpty(), qPrintable(m_doc->error));
}

void TestCompressionWizard::walkThrough()
{
    JobRunner runner;
    CompressionWizard w(&runner);
    w.setModel(m_doc);
    w.setSettings(demoSettings(m_dir.filePath(QStringLiteral("walk.json")), 500));
    w.resize(980, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QStringList failures;
    const auto golden = [&](const char *name) {
        const QString f = test::compareWithGolden(pageImage(w), QString::fromLatin1(name), 64, 0.01);
        if (!f.isEmpty())
            failures << f;
    };
    golden("wizard_1_model");
    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::MethodPage));
    golden("wizard_2_method");
    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::SensitivityPage));
    SensitivityHeatmap *heatmap = w.sensitivityHeatmap();
    const int cells = int(heatmap->layers().size() * heatmap->ratios().size());
    QCOMPARE(heatmap->filledCells(), 0);
    QVERIFY(cells > 0);

    // The heatmap fills in while the job runs: every cell signal finds one more cell drawn.
    QList<int> filled;
    connect(&w, &CompressionWizard::cellFinished, this, [&] { filled << heatmap->filledCells(); });
    QSignalSpy tableDone(&w, &CompressionWizard::sensitivityFinished);
    QString error;
    QVERIFY2(w.runSensitivity(&error), qPrintable(error));
    QVERIFY(waitFor(tableDone, 300000));
    QVERIFY2(tableDone.at(0).at(0).toBool(), qPrintable(tableDone.at(0).at(2).toString()));
    QCOMPARE(filled.size(), cells);
    for (int i = 0; i < filled.size(); ++i)
        QCOMPARE(filled[i], i + 1);
    QVERIFY(w.hasCompleteTable());
    const SensitivityTable &t = *w.table();
    for (const auto &[layer, row] : t.scores)
        for (const auto &[ratio, score] : row)
            QCOMPARE(heatmap->score(QString::fromStdString(layer), ratio), score);
    qInfo("demo table: %d layers x %d ratios, baseline %.4f, %.1f s", int(t.order.size()), int(t.ratios.size()),
          t.baseline, t.seconds);
    golden("wizard_3_sensitivity");

    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::SelectionPage));
    Graph named = m_doc->graph;
    ensureNodeNames(named);
    CompressSettings cs;
    cs.roundTo = 4;
    const CompressionCostModel costModel(named, cs);
    RatioMap greedy = w.ratios();
    QCOMPARE(int(greedy.size()), int(t.order.size()));
    QCOMPARE(w.projectedCost().macs, costModel.cost(greedy).macs);
    QVERIFY(double(w.projectedCost().macs) / double(costModel.original().macs) <= 0.6 + 1e-9);
    const QString macsText = QLocale::c().toString(qlonglong(costModel.cost(greedy).macs));
    QVERIFY2(w.projectionLabel()->text().contains(macsText), qPrintable(w.projectionLabel()->text()));
    golden("wizard_4_selection");

    // Edit the first layer's ratio in the table: projection and heatmap mark follow.
    const QString first = QString::fromStdString(t.order.front());
    auto *combo = qobject_cast<QComboBox *>(w.ratioTable()->cellWidget(0, 2));
    QVERIFY(combo);
    const int other = combo->currentIndex() == 0 ? combo->count() - 1 : 0;
    const double edited = combo->itemData(other).toDouble();
    combo->setCurrentIndex(other);
    QCOMPARE(w.ratios().at(first.toStdString()), edited);
    QCOMPARE(w.selectionHeatmap()->chosenRatio(first), edited);
    RatioMap expected = greedy;
    expected[first.toStdString()] = edited;
    QCOMPARE(w.projectedCost().macs, costModel.cost(expected).macs);
    QVERIFY(w.projectionLabel()->text().contains(QLocale::c().toString(qlonglong(costModel.cost(expected).macs))));
    // ... and a click on the heatmap chooses the clicked ratio for that row.
    SensitivityHeatmap *select = w.selectionHeatmap();
    QTest::mouseClick(select, Qt::LeftButton, {}, select->cellRect(0, 1).center());
    QCOMPARE(w.ratios().at(first.toStdString()), t.ratios[1]);
    QCOMPARE(combo->currentData().toDouble(), t.ratios[1]);
    qInfo("projected MACs %lld of %lld", static_cast<long long>(w.projectedCost().macs),
          static_cast<long long>(costModel.original().macs));

    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::CompressPage));
    QSignalSpy compressed(&w, &CompressionWizard::compressionFinished);
    QVERIFY2(w.runCompression(&error), qPrintable(error));
    QVERIFY(waitFor(compressed, 300000));
    QVERIFY2(compressed.at(0).at(0).toBool(), qPrintable(compressed.at(0).at(2).toString()));
    golden("wizard_5_compress");
    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::ResultsPage));
    QVERIFY(w.resultsTable()->rowCount() > 0);
    golden("wizard_6_results");

    const QString out = m_dir.filePath(QStringLiteral("export"));
    QVERIFY2(w.exportResults(out, &error), qPrintable(error));
    for (const char *f : {"fashion_mnist_cnn_compressed.onnx", "report.json", "report.html", "heatmap.png", "heatmap.svg",
                          "layers.csv", "sensitivity.csv"})
        QVERIFY2(QFile::exists(out + QLatin1Char('/') + QLatin1String(f)), f);
    const Graph back = importOnnx((out + QStringLiteral("/fashion_mnist_cnn_compressed.onnx")).toStdString()).take();
    const ModelCost backCost = computeCost(back);
    QCOMPARE(backCost.macs, w.projectedCost().macs);
    QCOMPARE(backCost.params, w.projectedCost().params);
    QCOMPARE(w.report()["compressed"]["macs"].get<int64_t>(), backCost.macs);
    QCOMPARE(w.report()["channel_selection"].get<std::string>(), std::string("l2"));
    qInfo("compressed: top-1 %.4f -> %.4f, MACs %lld -> %lld", w.report()["baseline"]["top1"].get<double>(),
          w.report()["compressed"]["top1"].get<double>(), static_cast<long long>(costModel.original().macs),
          static_cast<long long>(backCost.macs));
    QFile csv(out + QStringLiteral("/sensitivity.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), qsizetype(t.order.size() + 1));
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
}

void TestCompressionWizard::cancelAndResume()
{
    JobRunner runner;
    CompressionWizard w(&runner);
    w.setModel(m_doc);
    const QString cache = m_dir.filePath(QStringLiteral("cancel.json"));
    w.setSettings(demoSettings(cache, 3000));
    w.next();
    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::SensitivityPage));
    QStringList firstRun;
    auto c = connect(&w, &CompressionWizard::cellFinished, this, [&](const QString &layer) {
        if (firstRun.isEmpty())
            runner.cancel(); // after the first finished layer
        firstRun << layer;
    });
    QSignalSpy done(&w, &CompressionWizard::sensitivityFinished);
    QString error;
    QVERIFY2(w.runSensitivity(&error), qPrintable(error));
    QVERIFY(waitFor(done, 300000));
    disconnect(c);
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QCOMPARE(done.at(0).at(1).toBool(), true);
    QVERIFY(!w.hasCompleteTable());
    const SensitivityTable kept = loadSensitivityTable(cache.toStdString()).take();
    QVERIFY(!kept.complete);
    QVERIFY(!kept.scores.empty());
    QVERIFY(kept.scores.size() < kept.order.size());
    QVERIFY(!w.currentPage()->isComplete()); // Next waits for the whole table
    qInfo("cancelled with %d of %d layers in the cache", int(kept.scores.size()), int(kept.order.size()));

    int resumedCells = 0;
    connect(&w, &CompressionWizard::cellFinished, this, [&] { ++resumedCells; });
    done.clear();
    QVERIFY2(w.runSensitivity(&error), qPrintable(error));
    QVERIFY(waitFor(done, 300000));
    QVERIFY2(done.at(0).at(0).toBool(), qPrintable(done.at(0).at(2).toString()));
    QVERIFY(w.hasCompleteTable());
    for (const auto &[layer, row] : kept.scores) // finished layers come back from the cache unchanged
        QCOMPARE(w.table()->scores.at(layer), row);
    QCOMPARE(resumedCells, int(w.table()->order.size() * w.table()->ratios.size()));
    QVERIFY(w.currentPage()->isComplete());
}

void TestCompressionWizard::sessionRestoresWizard()
{
    const QString cache = m_dir.filePath(QStringLiteral("session-table.json"));
    QFile::remove(cache);
    QVERIFY(QFile::copy(m_dir.filePath(QStringLiteral("walk.json")), cache)); // the walk-through's table
    const QString session = m_dir.filePath(QStringLiteral("w.qss"));
    RatioMap ratios;
    {
        MainWindow mw;
        QSignalSpy loaded(&mw, &MainWindow::modelLoaded);
        mw.openModel(demoPath());
        QVERIFY(loaded.wait(30000));
        CompressionWizard *w = mw.compressionWizard();
        w->setSettings(demoSettings(cache, 500));
        w->next();
        w->next();
        QVERIFY(w->hasCompleteTable()); // from the cache, no job
        w->next();
        QCOMPARE(w->currentId(), int(CompressionWizard::SelectionPage));
        w->setLayerRatio(QString::fromStdString(w->table()->order.back()), w->table()->ratios.front());
        ratios = w->ratios();
        QVERIFY(mw.saveSession(session));
    }
    QFile f(session);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject wizard = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("wizard")).toObject();
    QCOMPARE(wizard.value(QStringLiteral("page")).toInt(), int(CompressionWizard::SelectionPage));
    QVERIFY(wizard.value(QStringLiteral("table")).isObject());
    QFile::remove(cache); // the session alone restores the table

    MainWindow mw;
    QSignalSpy restored(&mw, &MainWindow::sessionRestored);
    QString error;
    QVERIFY2(mw.openSession(session, &error), qPrintable(error));
    QVERIFY(restored.wait(30000));
    CompressionWizard *w = mw.compressionWizard();
    QCOMPARE(w->currentId(), int(CompressionWizard::SelectionPage));
    QVERIFY(w->hasCompleteTable());
    QCOMPARE(w->ratios(), ratios);
    QCOMPARE(w->selectionHeatmap()->filledCells(), int(w->table()->order.size() * w->table()->ratios.size()));
    const QString last = QString::fromStdString(w->table()->order.back());
    QCOMPARE(w->selectionHeatmap()->chosenRatio(last), w->table()->ratios.front());
    QVERIFY(QFile::exists(cache));
}

QTEST_MAIN(TestCompressionWizard)
#include "tst_compressionwizard.moc"
