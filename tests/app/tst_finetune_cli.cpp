// quantscope-cli finetune on the real ResNet-20 with a small budget: W4A4 quantization-aware
// training (learned ranges) beats its own post-training figure by a real margin and exports the
// model, its encodings and the QDQ model; flag errors are usage errors with exact messages.

#include "testutil.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestFinetuneCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void qatBeatsPostTraining();
    void usageErrors();

private:
    static QString cli() { return qs::test::binaryDir() + QStringLiteral("/bin/quantscope-cli"); }
};

void TestFinetuneCli::qatBeatsPostTraining()
{
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    QS_NEED_SHARED("data/cifar10-test/test_batch.bin");
    const QString shared = qs::test::sharedDir();
    QTemporaryDir out;
    QProcess p;
    p.start(cli(), {QStringLiteral("finetune"), shared + "/models/resnet20_cifar10_akamaster.onnx", QStringLiteral("--data"),
                    shared + "/data/cifar10-test/test_batch.bin", QStringLiteral("--preprocess"),
                    QStringLiteral(R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})"),
                    QStringLiteral("--train-offset"), QStringLiteral("5000"), QStringLiteral("--train-samples"),
                    QStringLiteral("1000"), QStringLiteral("--eval-offset"), QStringLiteral("0"),
                    QStringLiteral("--eval-limit"), QStringLiteral("1000"), QStringLiteral("--epochs"), QStringLiteral("1"),
                    QStringLiteral("--param-bw"), QStringLiteral("4"), QStringLiteral("--act-bw"), QStringLiteral("4"),
                    QStringLiteral("--export"), out.path(), QStringLiteral("--json")});
    QVERIFY(p.waitForFinished(900000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QJsonObject r = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const double fp32 = r.value("fp32").toObject().value("top1").toDouble(-1);
    const double before = r.value("before").toObject().value("top1").toDouble(-1);
    const double after = r.value("after").toObject().value("top1").toDouble(-1);
    const QJsonArray epochs = r.value("epochs").toArray();
    qInfo("ResNet-20 W4A4, 1000 training records, 1 epoch: FP32 %.4f, PTQ %.4f, QAT %.4f (%.1f s training)", fp32,
          before, after, epochs.at(0).toObject().value("seconds").toDouble());
    QCOMPARE(fp32, 0.808); // ONNX Runtime's figure on records 0-999
    QCOMPARE(epochs.size(), 1);
    QVERIFY(epochs.at(0).toObject().value("loss").toDouble(-1) > 0);
    QVERIFY(after >= before + 0.04);
    QCOMPARE(r.value("scheme").toString(), QStringLiteral("training_range_learning_with_tf_enhanced_init"));
    QCOMPARE(r.value("distill_weight").toDouble(-1), 0.5); // QAT's default: labels and the FP32 model's outputs
    QCOMPARE(r.value("bn_training").toBool(true), false);
    QCOMPARE(r.value("seed").toInt(-1), 1);
    const QJsonObject exported = r.value("export").toObject();
    for (const char *key : {"onnx", "encodings", "qdq_onnx"})
        QVERIFY2(QFileInfo(exported.value(QLatin1String(key)).toString()).size() > 1000, key);
}

void TestFinetuneCli::usageErrors()
{
    const struct {
        QStringList args;
        QString message;
    } cases[] = {
        {{QStringLiteral("--optimizer"), QStringLiteral("rmsprop")},
         QStringLiteral("error: --optimizer must be sgd or adam, got 'rmsprop' (see quantscope-cli --help)\n")},
        {{QStringLiteral("--schedule"), QStringLiteral("linear")},
         QStringLiteral("error: --schedule must be cosine, step or constant, got 'linear' (see quantscope-cli --help)\n")},
        {{QStringLiteral("--distill"), QStringLiteral("--distill-weight"), QStringLiteral("0.3")},
         QStringLiteral("error: --distill trains on the FP32 model's outputs only; --distill-weight mixes them with the "
                        "labels (see quantscope-cli --help)\n")},
    };
    for (const auto &c : cases) {
        QProcess p;
        p.start(cli(), QStringList{QStringLiteral("finetune"), QStringLiteral("model.onnx"), QStringLiteral("--data"),
                                   QStringLiteral("data.bin")} + c.args);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QCOMPARE(QString::fromUtf8(p.readAllStandardError()), c.message);
    }
    QProcess p;
    p.start(cli(), {QStringLiteral("finetune"), QStringLiteral("model.onnx")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QCOMPARE(QString::fromUtf8(p.readAllStandardError()),
             QStringLiteral("error: missing --data PATH (see quantscope-cli --help)\n"));
}

int main(int argc, char **argv)
{
    // One training run takes about a minute on a quiet machine, several on a busy one.
    qputenv("QTEST_FUNCTION_TIMEOUT", "900000");
    TestFinetuneCli test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_finetune_cli.moc"
