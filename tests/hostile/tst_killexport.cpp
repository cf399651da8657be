// Crash safety of the exports: quantscope-cli quantize --export DIR and compress --export DIR are
// killed (SIGKILL) at 20 seeded random moments each, weighted towards the end of a run where the
// files are written. After every kill DIR may hold only complete files under their final names
// (each one loads), the input model is byte-for-byte unchanged, and at the end a run that is left
// alone succeeds. DIR is kept between kills, so files from an earlier run are overwritten too.

#include "testutil.h"

#include "core/tensor.h"
#include "data/npy.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"

#include <nlohmann/json.hpp>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <random>
#include <thread>

using namespace qs;

namespace {

QString cliPath() { return test::binaryDir() + QStringLiteral("/bin/quantscope-cli"); }

QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestKillExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killAtRandomMoments_data();
    void killAtRandomMoments();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void checkFolder(const QString &dir, const QStringList &allowed, int kill);
    QTemporaryDir m_dir;
    QByteArray m_modelHash;
};

void TestKillExport::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath()));
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::copy(test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx"), path("m.onnx")));
    m_modelHash = sha256(path("m.onnx"));
    Tensor x(DType::Float32, {32, 1, 28, 28});
    for (int64_t i = 0; i < x.numel(); ++i)
        x.dataAs<float>()[i] = float((i * 7919) % 256) / 255.f;
    std::vector<int64_t> labels(32);
    for (int i = 0; i < 32; ++i)
        labels[size_t(i)] = i % 10;
    QVERIFY(writeNpy(path("x.npy").toStdString(), x).ok());
    QVERIFY(writeNpy(path("y.npy").toStdString(), Tensor::fromInt64s({32}, labels)).ok());
}

void TestKillExport::killAtRandomMoments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("files"); // what DIR may hold
    const QStringList data = {"--data", path("x.npy"), "--labels", path("y.npy")};
    QTest::newRow("quantize") << (QStringList{"quantize", path("m.onnx"), "--calib-samples", "8", "--export",
                                              path("quantized")} + data)
                              << QStringList{"m.encodings", "m.onnx", "m_qdq.onnx"};
    QTest::newRow("compress") << (QStringList{"compress", path("m.onnx"), "--method", "spatial-svd", "--target", "0.8",
                                              "--eval-limit", "16", "--test-limit", "16", "--export",
                                              path("compressed")} + data)
                              << QStringList{"m_compressed.onnx", "report.json"};
}

void TestKillExport::checkFolder(const QString &dir, const QStringList &allowed, int kill)
{
    const QString where = QStringLiteral("after kill %1: ").arg(kill);
    const QStringList entries = QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &name : entries) {
        QVERIFY2(allowed.contains(name), qPrintable(where + "unexpected file " + name));
        const std::string file = (dir + QLatin1Char('/') + name).toStdString();
        if (name.endsWith(QStringLiteral(".onnx"))) {
            const auto g = importOnnx(file);
            QVERIFY2(g.ok(), qPrintable(where + QString::fromStdString(g.ok() ? "" : g.error().message)));
        } else if (name.endsWith(QStringLiteral(".encodings"))) {
            QuantizerArgs args;
            const auto e = readEncodingsFile(file, args);
            QVERIFY2(e.ok() && !e.value().empty(),
                     qPrintable(where + QString::fromStdString(e.ok() ? "no encodings" : e.error().message)));
        } else {
            QFile f(QString::fromStdString(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const auto j = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
            QVERIFY2(j.is_object() && j.contains("export"), qPrintable(where + name + " is not a complete report"));
        }
    }
    QCOMPARE(sha256(path("m.onnx")), m_modelHash);
}

void TestKillExport::killAtRandomMoments()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, files);
    const QString dir = args.at(args.indexOf(QStringLiteral("--export")) + 1);
    // One undisturbed run first: it must succeed, and its length sets the range of kill moments.
    QElapsedTimer timer;
    timer.start();
    QProcess reference;
    reference.start(cliPath(), args);
    QVERIFY(reference.waitForFinished(300000));
    QCOMPARE(reference.exitCode(), 0);
    const qint64 runMs = timer.elapsed();
    checkFolder(dir, files, 0);
    QCOMPARE(QDir(dir).entryList(QDir::Files).size(), files.size());

    std::mt19937 rng(20261127);
    int killedWhileRunning = 0, killedWhileExporting = 0;
    for (int kill = 1; kill <= 20; ++kill) {
        // Half the kills anywhere in the run, half in its last fifth, where the files are written.
        const double lo = kill % 2 ? 0.0 : 0.8;
        const qint64 delay = qint64(std::uniform_real_distribution<double>(lo, 1.05)(rng) * double(runMs));
        const QDateTime started = QDateTime::currentDateTime();
        QProcess p;
        p.start(cliPath(), args);
        QVERIFY(p.waitForStarted());
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        const bool running = p.state() == QProcess::Running;
        killedWhileRunning += running;
        p.kill();
        QVERIFY(p.waitForFinished(60000));
        // Killed between writing its first file and finishing: the export itself was interrupted.
        const auto written = QDir(dir).entryInfoList(QDir::Files, QDir::Time);
        killedWhileExporting += running && !written.isEmpty() && written.first().lastModified() >= started;
        checkFolder(dir, files, kill);
    }
    qInfo("%s: run %lld ms; %d of 20 kills hit a running process, %d of them after it had written a file",
          qPrintable(args.first()), runMs, killedWhileRunning, killedWhileExporting);
    QVERIFY(killedWhileRunning >= 10);
    QProcess rerun;
    rerun.start(cliPath(), args);
    QVERIFY(rerun.waitForFinished(300000));
    QCOMPARE(rerun.exitCode(), 0);
    checkFolder(dir, files, 21);
    QCOMPARE(QDir(dir).entryList(QDir::Files).size(), files.size());
}

int main(int argc, char **argv)
{
    // 22 runs of a command per test function outlast QtTest's default 5-minute watchdog on a busy machine.
    if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "1800000");
    TestKillExport test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_killexport.moc"
