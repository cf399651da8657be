// Simulated quantization accuracy of the real models through `quantscope-cli quantize --json`.
// CIFAR: calibrate on 500 records from 5000, evaluate records 0-4999; MobileNet: calibrate on 256
// images, evaluate all 1000. Bounds: ResNet-20 W8A8 per-tensor tf within 1.0 point of FP32,
// tf_enhanced within 0.7; ResNet-56 tf_enhanced within 1.0; MobileNet per-channel >= 54%.

#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestQuantizeAccuracy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quantized_data();
    void quantized();
};

void TestQuantizeAccuracy::quantized_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<double>("maxDrop");   // FP32 top-1 minus quantized top-1, at most
    QTest::addColumn<double>("minTop1");
    const QString cifarPre = QStringLiteral(
        R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})");
    const QString imagenetPre = QStringLiteral(
        R"({"resize_shorter_side":256,"interpolation":"bilinear","center_crop":224,"scale":0.00784313725490196,"offset":-1.0})");
    const QStringList cifar = {"--data", "%S/data/cifar10-test/test_batch.bin", "--preprocess", cifarPre,
                               "--calib-offset", "5000", "--calib-samples", "500", "--eval-offset", "0",
                               "--eval-limit", "5000"};
    const QStringList imagenet = {"--data", "%S/data/imagenet-sample", "--preprocess", imagenetPre,
                                  "--calib-samples", "256"};
    QTest::newRow("resnet20 w8a8 tf") << "resnet20_cifar10_akamaster" << (cifar + QStringList{"--scheme", "tf"}) << 0.010 << 0.0;
    QTest::newRow("resnet20 w8a8 tf_enhanced") << "resnet20_cifar10_akamaster" << (cifar + QStringList{"--scheme", "tf_enhanced"})
                                               << 0.007 << 0.0;
    QTest::newRow("resnet56 w8a8 tf_enhanced") << "resnet56_cifar10_akamaster" << (cifar + QStringList{"--scheme", "tf_enhanced"})
                                               << 0.010 << 0.0;
    QTest::newRow("mobilenet w8a8 per-channel") << "mobilenet_v1_0.25_224_imagenet"
                                                << (imagenet + QStringList{"--scheme", "tf_enhanced", "--per-channel"})
                                                << 1.0 << 0.54;
}

void TestQuantizeAccuracy::quantized()
{
    QFETCH(QString, model);
    QFETCH(QStringList, flags);
    QFETCH(double, maxDrop);
    QFETCH(double, minTop1);
    QS_NEED_SHARED("data");
    const QString shared = qs::test::sharedDir();
    for (QString &f : flags)
        f.replace(QStringLiteral("%S"), shared);
    QProcess p;
    p.start(qs::test::binaryDir() + QStringLiteral("/bin/quantscope-cli"),
            QStringList{QStringLiteral("quantize"), shared + "/models/" + model + ".onnx"} + flags +
                QStringList{QStringLiteral("--json")});
    QVERIFY(p.waitForFinished(1800000));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 0, err.constData());
    const QJsonObject r = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const double fp32 = r[QStringLiteral("fp32")].toObject()[QStringLiteral("top1")].toDouble(-1);
    const double quant = r[QStringLiteral("quantized")].toObject()[QStringLiteral("top1")].toDouble(-1);
    const QJsonObject sec = r[QStringLiteral("seconds")].toObject();
    qInfo("%s: FP32 %.4f, quantized %.4f (%+.2f points), %d quantizers, calibration %.1f s, evaluation %.1f s",
          qPrintable(QString::fromLatin1(QTest::currentDataTag())), fp32, quant, 100 * (quant - fp32),
          r[QStringLiteral("quantizers")].toInt(), sec[QStringLiteral("calibrate")].toDouble(),
          sec[QStringLiteral("evaluate")].toDouble());
    QVERIFY(fp32 > 0.5);
    QVERIFY2(fp32 - quant <= maxDrop + 1e-9, qPrintable(QStringLiteral("drop %1 > %2").arg(fp32 - quant).arg(maxDrop)));
    QVERIFY2(quant >= minTop1, qPrintable(QStringLiteral("top-1 %1 < %2").arg(quant).arg(minTop1)));
}

QTEST_APPLESS_MAIN(TestQuantizeAccuracy)
#include "tst_quantize_accuracy.moc"
