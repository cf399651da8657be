// The post-training fixes of `quantscope-cli quantize` (--cle, --bias-correction) on the real
// MobileNet-v1 0.25, W8A8 tf_enhanced, calibrated on 256 images and evaluated on all 1000:
// top-1 bounds, and the JSON `steps` list naming each step run with its time.

#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestQuantizeSteps : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mobilenet_data();
    void mobilenet();
};

void TestQuantizeSteps::mobilenet_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<double>("minTop1");
    QTest::addColumn<QStringList>("steps");
    const QStringList tail = {"bias_correction", "calibrate", "evaluate"};
    QTest::newRow("per-tensor cle + empirical bias correction")
        << QStringList{"--cle", "--bias-correction", "empirical"} << 0.56
        << (QStringList{"fp32_evaluate", "load_calibration_data", "fold_bn", "cle"} + tail);
    QTest::newRow("per-channel + empirical bias correction")
        << QStringList{"--per-channel", "--bias-correction", "empirical"} << 0.58
        << (QStringList{"fp32_evaluate", "load_calibration_data"} + tail);
}

void TestQuantizeSteps::mobilenet()
{
    QFETCH(QStringList, flags);
    QFETCH(double, minTop1);
    QFETCH(QStringList, steps);
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet.onnx");
    QS_NEED_SHARED("data/imagenet-sample");
    const QString shared = qs::test::sharedDir();
    const QString pre = QStringLiteral(
        R"({"resize_shorter_side":256,"interpolation":"bilinear","center_crop":224,"scale":0.00784313725490196,"offset":-1.0})");
    QProcess p;
    p.start(qs::test::binaryDir() + QStringLiteral("/bin/quantscope-cli"),
            QStringList{"quantize", shared + "/models/mobilenet_v1_0.25_224_imagenet.onnx", "--data",
                        shared + "/data/imagenet-sample", "--preprocess", pre, "--calib-samples", "256", "--json"} +
                flags);
    QVERIFY(p.waitForFinished(1800000));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 0, err.constData());
    const QJsonObject r = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const double fp32 = r["fp32"].toObject()["top1"].toDouble(-1);
    const double quant = r["quantized"].toObject()["top1"].toDouble(-1);
    QCOMPARE(r["quantized"].toObject()["samples"].toInt(), 1000);
    QStringList names;
    QString timing;
    for (const QJsonValue &v : r["steps"].toArray()) {
        const QJsonObject s = v.toObject();
        names << s["name"].toString();
        timing += QStringLiteral(" %1 %2 s;").arg(s["name"].toString()).arg(s["seconds"].toDouble(), 0, 'f', 3);
        QVERIFY2(s["seconds"].toDouble(-1) >= 0, qPrintable(s["name"].toString()));
    }
    qInfo("%s: FP32 %.4f, quantized %.4f;%s", QTest::currentDataTag(), fp32, quant, qPrintable(timing));
    QCOMPARE(names, steps);
    QVERIFY(fp32 > 0.59);
    QVERIFY2(quant >= minTop1, qPrintable(QStringLiteral("top-1 %1 < %2").arg(quant).arg(minTop1)));
}

QTEST_APPLESS_MAIN(TestQuantizeSteps)
#include "tst_quantize_steps.moc"
