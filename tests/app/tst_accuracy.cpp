// Accuracy of the real models on the real data through `quantscope-cli eval --json`, against the
// figures ONNX Runtime measured (../shared/models/models.json): CIFAR-10 exactly, MobileNet-v1
// within 1.5 points (image resizing may differ slightly between libraries).

#include "testutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

class TestAccuracy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topOne_data();
    void topOne();
};

void TestAccuracy::topOne_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("preprocess");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");
    const QString cifar = QStringLiteral(
        R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})");
    const QString imagenet = QStringLiteral(
        R"({"resize_shorter_side":256,"interpolation":"bilinear","center_crop":224,"scale":0.00784313725490196,"offset":-1.0})");
    QTest::newRow("resnet20") << "resnet20_cifar10_akamaster" << "cifar10-test/test_batch.bin" << cifar << 0.8103 << 0.00005;
    QTest::newRow("resnet56") << "resnet56_cifar10_akamaster" << "cifar10-test/test_batch.bin" << cifar << 0.8320 << 0.00005;
    QTest::newRow("mobilenet") << "mobilenet_v1_0.25_224_imagenet" << "imagenet-sample" << imagenet << 0.592 << 0.015;
}

void TestAccuracy::topOne()
{
    QFETCH(QString, model);
    QFETCH(QString, data);
    QFETCH(QString, preprocess);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    QS_NEED_SHARED("data");
    const QString shared = qs::test::sharedDir();
    QProcess p;
    p.start(qs::test::binaryDir() + QStringLiteral("/bin/quantscope-cli"),
            {QStringLiteral("eval"), shared + "/models/" + model + ".onnx", QStringLiteral("--data"), shared + "/data/" + data,
             QStringLiteral("--preprocess"), preprocess, QStringLiteral("--json")});
    QVERIFY(p.waitForFinished(900000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject r = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const double top1 = r.value(QStringLiteral("top1")).toDouble(-1);
    qInfo("%s: top-1 %.4f, top-5 %.4f over %d samples in %.1f s", qPrintable(model), top1,
          r.value(QStringLiteral("top5")).toDouble(), r.value(QStringLiteral("samples")).toInt(),
          r.value(QStringLiteral("seconds")).toDouble());
    QCOMPARE(r.value(QStringLiteral("samples")).toInt(), data.startsWith(QStringLiteral("cifar")) ? 10000 : 1000);
    QVERIFY2(std::abs(top1 - expected) <= tolerance, qPrintable(QStringLiteral("top-1 %1, expected %2 +- %3")
                                                                   .arg(top1).arg(expected).arg(tolerance)));
}

QTEST_APPLESS_MAIN(TestAccuracy)
#include "tst_accuracy.moc"
