// `quantscope-cli quantize --adaround` on the real ResNet-20, 4-bit per-channel weights, 8-bit
// activations, calibrated on 256 records of the second half of the CIFAR-10 test split and
// evaluated on the first 1000 records: AdaRound recovers most of what nearest rounding loses,
// reports every layer, and the usage errors of its flags.

#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(qs::test::binaryDir() + QStringLiteral("/bin/quantscope-cli"), args);
    Run r;
    if (!p.waitForFinished(1800000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QStringList resnet20Args()
{
    const QString shared = qs::test::sharedDir();
    return {"quantize",       shared + "/models/resnet20_cifar10_akamaster.onnx",
            "--data",         shared + "/data/cifar10-test/test_batch.bin",
            "--preprocess",   R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})",
            "--calib-offset", "5000",
            "--calib-samples", "256",
            "--eval-limit",   "1000",
            "--param-bw",     "4",
            "--per-channel",  "--json"};
}

} // namespace

class TestAdaroundCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resnet20W4PerChannel();
    void usageErrors_data();
    void usageErrors();
};

void TestAdaroundCli::resnet20W4PerChannel()
{
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    QS_NEED_SHARED("data/cifar10-test/test_batch.bin");
    const Run nearest = cli(resnet20Args());
    QVERIFY2(nearest.exitCode == 0, nearest.err.constData());
    const Run learned = cli(resnet20Args() + QStringList{"--adaround", "--adaround-iterations", "500"});
    QVERIFY2(learned.exitCode == 0, learned.err.constData());
    const QJsonObject n = QJsonDocument::fromJson(nearest.out).object();
    const QJsonObject a = QJsonDocument::fromJson(learned.out).object();
    const double fp32 = a["fp32"].toObject()["top1"].toDouble(-1);
    const double before = n["quantized"].toObject()["top1"].toDouble(-1);
    const double after = a["quantized"].toObject()["top1"].toDouble(-1);
    const QJsonObject report = a["adaround"].toObject();
    qInfo("FP32 %.4f, nearest rounding %.4f, AdaRound (500 iterations) %.4f in %.1f s", fp32, before, after,
          report["seconds"].toDouble());
    QVERIFY(n["adaround"].isNull());
    QCOMPARE(report["iterations"].toInt(), 500);
    QCOMPARE(report["samples"].toInt(), 256);
    QCOMPARE(report["layers"].toArray().size(), 20); // 19 convolutions and the classifier
    QVERIFY(report["skipped"].toArray().isEmpty());
    for (const QJsonValue &v : report["layers"].toArray()) {
        const QJsonObject l = v.toObject();
        QVERIFY2(l["mse_adaround"].toDouble() < l["mse_nearest"].toDouble(), qPrintable(l["layer"].toString()));
    }
    QStringList steps;
    for (const QJsonValue &v : a["steps"].toArray())
        steps << v.toObject()["name"].toString();
    QCOMPARE(steps, (QStringList{"fp32_evaluate", "load_calibration_data", "adaround", "calibrate", "evaluate"}));
    QVERIFY(fp32 > 0.80);
    QVERIFY2(after - before >= 0.02, qPrintable(QStringLiteral("gain %1").arg(after - before)));
    QVERIFY2(after >= fp32 - 0.015, qPrintable(QStringLiteral("AdaRound %1 vs FP32 %2").arg(after).arg(fp32)));
}

void TestAdaroundCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("message");
    QTest::newRow("with bias correction")
        << QStringList{"--adaround", "--bias-correction", "empirical"}
        << "error: --adaround and --bias-correction exclude each other (AdaRound's rounding already keeps the "
           "layer outputs unbiased) (see quantscope-cli --help)\n";
    QTest::newRow("iterations without --adaround")
        << QStringList{"--adaround-iterations", "10"}
        << "error: --adaround-iterations and --adaround-batches need --adaround (see quantscope-cli --help)\n";
    QTest::newRow("zero iterations") << QStringList{"--adaround", "--adaround-iterations", "0"}
                                     << "error: option --adaround-iterations needs a whole number from 1 to 1000000, "
                                        "got '0' (see quantscope-cli --help)\n";
}

void TestAdaroundCli::usageErrors()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, message);
    const QString demo = qs::test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    const Run r = cli(QStringList{"quantize", demo, "--data", "unused.npy"} + flags);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(QString::fromUtf8(r.err), message);
    QVERIFY(r.out.isEmpty());
}

QTEST_APPLESS_MAIN(TestAdaroundCli)
#include "tst_adaround_cli.moc"
