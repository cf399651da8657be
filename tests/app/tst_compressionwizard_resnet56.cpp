// ResNet-56 to 50% of its MACs by channel pruning, driven through the compression wizard's pages
// and jobs, against `quantscope-cli compress` with the same settings (a small evaluation subset so
// the run fits a CI budget). The command reads the table the wizard left in the cache and selects,
// compresses and evaluates on its own: selection, MACs, parameters and top-1 must be equal.

#include "testutil.h"

#include "compressionwizard.h"
#include "jobrunner.h"
#include "modeldocument.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace qs;

namespace {

const QString kPre = QStringLiteral(R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})");

} // namespace

class TestCompressionWizardResnet56 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void sameAsCommand();
};

void TestCompressionWizardResnet56::sameAsCommand()
{
    QS_NEED_SHARED("models/resnet56_cifar10_akamaster.onnx");
    QS_NEED_SHARED("data/cifar10-test/test_batch.bin");
    const QString model = test::sharedDir() + QStringLiteral("/models/resnet56_cifar10_akamaster.onnx");
    const QString data = test::sharedDir() + QStringLiteral("/data/cifar10-test/test_batch.bin");
    QTemporaryDir dir;
    const QString cache = dir.filePath(QStringLiteral("r56.json"));
    const auto doc = loadModelDocument(model);
    QVERIFY2(doc->error.isEmpty(), qPrintable(doc->error));

    JobRunner runner;
    CompressionWizard w(&runner);
    w.setModel(doc);
    WizardSettings s = w.settings();
    s.data = {data, QString(), kPre};
    s.evalOffset = 5000;
    s.evalLimit = 100;
    s.testOffset = 0;
    s.testLimit = 500;
    s.method = QStringLiteral("channel-pruning");
    s.target = 0.5;
    s.candidates = 10;
    s.reconImages = 50;
    s.cache = cache;
    w.setSettings(s);
    w.next();
    w.next();
    QElapsedTimer timer;
    timer.start();
    QSignalSpy tableDone(&w, &CompressionWizard::sensitivityFinished);
    QString error;
    QVERIFY2(w.runSensitivity(&error), qPrintable(error));
    QVERIFY(tableDone.wait(3000000));
    QVERIFY2(tableDone.at(0).at(0).toBool(), qPrintable(tableDone.at(0).at(2).toString()));
    qInfo("wizard table: %.1f s", timer.elapsed() / 1000.0);
    w.next();
    QCOMPARE(w.currentId(), int(CompressionWizard::SelectionPage));
    w.next();
    timer.restart();
    QSignalSpy compressed(&w, &CompressionWizard::compressionFinished);
    QVERIFY2(w.runCompression(&error), qPrintable(error));
    QVERIFY(compressed.wait(3000000));
    QVERIFY2(compressed.at(0).at(0).toBool(), qPrintable(compressed.at(0).at(2).toString()));
    qInfo("wizard compression: %.1f s", timer.elapsed() / 1000.0);
    const QJsonObject wiz = QJsonDocument::fromJson(QByteArray::fromStdString(w.report().dump())).object();

    QProcess p;
    p.start(test::binaryDir() + QStringLiteral("/bin/quantscope-cli"),
            {QStringLiteral("compress"), model, QStringLiteral("--data"), data, QStringLiteral("--preprocess"), kPre,
             QStringLiteral("--method"), QStringLiteral("channel-pruning"), QStringLiteral("--target"), QStringLiteral("0.5"),
             QStringLiteral("--eval-offset"), QStringLiteral("5000"), QStringLiteral("--eval-limit"), QStringLiteral("100"),
             QStringLiteral("--test-offset"), QStringLiteral("0"), QStringLiteral("--test-limit"), QStringLiteral("500"),
             QStringLiteral("--recon-images"), QStringLiteral("50"), QStringLiteral("--cache"), cache,
             QStringLiteral("--json")});
    QVERIFY(p.waitForFinished(3000000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject cli = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    qInfo("wizard: top-1 %.4f -> %.4f, MACs %lld -> %lld; command: top-1 %.4f -> %.4f, MACs %lld -> %lld",
          wiz["baseline"]["top1"].toDouble(), wiz["compressed"]["top1"].toDouble(),
          qint64(wiz["baseline"]["macs"].toDouble()), qint64(wiz["compressed"]["macs"].toDouble()),
          cli["baseline"]["top1"].toDouble(), cli["compressed"]["top1"].toDouble(),
          qint64(cli["baseline"]["macs"].toDouble()), qint64(cli["compressed"]["macs"].toDouble()));
    const QJsonObject ws = wiz["selected"].toObject(), cs = cli["selected"].toObject();
    for (const QString &layer : ws.keys())
        if (!cs.contains(layer) || cs[layer].toDouble() != ws[layer].toDouble())
            qInfo("selection differs: %s wizard %g, command %g", qPrintable(layer), ws[layer].toDouble(),
                  cs.contains(layer) ? cs[layer].toDouble() : 1.0);
    QCOMPARE(ws.keys(), cs.keys());
    for (const QString &layer : ws.keys())
        QVERIFY2(std::abs(ws[layer].toDouble() - cs[layer].toDouble()) < 1e-9, qPrintable(layer));
    for (const char *key : {"macs", "params", "predicted_macs", "predicted_params", "top1"})
        QCOMPARE(wiz["compressed"][QLatin1String(key)].toDouble(), cli["compressed"][QLatin1String(key)].toDouble());
    QCOMPARE(wiz["baseline"]["top1"].toDouble(), cli["baseline"]["top1"].toDouble());
    QVERIFY(wiz["compressed"]["macs"].toDouble() <= 0.5 * wiz["baseline"]["macs"].toDouble() * 1.001);
}

QTEST_MAIN(TestCompressionWizardResnet56)
#include "tst_compressionwizard_resnet56.moc"
