// quantscope-cli sensitivity and compress on the shared ResNet-20 with small budgets: a killed
// sensitivity run resumes from its cache to the uninterrupted table, and exported compressed models
// (also after fine-tuning, whose trained batch normalization folds back into the convolutions) give
// ONNX Runtime's logits and the cost model's MACs.

#include "testutil.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "data/npy.h"
#include "data/preprocess.h"
#include "graph/costmodel.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>

using namespace qs;

namespace {

const char *const kModel = "models/resnet20_cifar10_akamaster.onnx";
const char *const kData = "data/cifar10-test/test_batch.bin";
const QString kPre = QStringLiteral(R"({"scale":0.00392156862745098,"mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]})");
// Eight layers of the 18 channel pruning takes, enough to kill a run half-way.
const QString kLayers = QStringLiteral("/layer1/layer1.0/conv2/Conv,/layer1/layer1.1/conv1/Conv,/layer1/layer1.2/conv2/Conv,"
                                       "/layer2/layer2.0/conv2/Conv,/layer2/layer2.1/conv1/Conv,/layer2/layer2.2/conv2/Conv,"
                                       "/layer3/layer3.1/conv2/Conv,/layer3/layer3.2/conv2/Conv");

QString cli() { return test::binaryDir() + QStringLiteral("/bin/quantscope-cli"); }
QString shared(const char *relative) { return test::sharedDir() + QLatin1Char('/') + QLatin1String(relative); }

QStringList sensitivityArgs(const QString &cache)
{
    return {QStringLiteral("sensitivity"), shared(kModel),     QStringLiteral("--data"),    shared(kData),
            QStringLiteral("--preprocess"), kPre,              QStringLiteral("--method"),  QStringLiteral("channel-pruning"),
            QStringLiteral("--eval-offset"), QStringLiteral("5000"), QStringLiteral("--eval-limit"), QStringLiteral("100"),
            QStringLiteral("--recon-images"), QStringLiteral("100"), QStringLiteral("--layers"), kLayers,
            QStringLiteral("--cache"),      cache,             QStringLiteral("--json")};
}

QJsonObject runJson(const QStringList &args, int timeoutMs = 300000)
{
    QProcess p;
    p.start(cli(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        qWarning("timed out: %s", qPrintable(args.join(QLatin1Char(' '))));
        return {};
    }
    if (p.exitCode() != 0)
        qWarning("exit %d: %s", p.exitCode(), p.readAllStandardError().constData());
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

int cachedLayers(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return int(QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("layers")).toObject().size());
}

std::vector<float> runModel(const Graph &g, const Tensor &x)
{
    auto exec = Executor::create(g).take();
    return exec->run({{g.inputs[0].name, x}}).take().at(g.outputs[0].name).toFloats();
}

} // namespace

class TestCompressCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerBuiltinDatasets(DatasetRegistry::instance()); }
    void sensitivityResumesAfterKill();
    void exportMatchesOrtAndCost_data();
    void exportMatchesOrtAndCost();
};

void TestCompressCli::sensitivityResumesAfterKill()
{
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    QTemporaryDir dir;
    const QString whole = dir.filePath(QStringLiteral("whole.json")), cut = dir.filePath(QStringLiteral("cut.json"));
    const QJsonObject reference = runJson(sensitivityArgs(whole));
    QCOMPARE(reference.value(QStringLiteral("layers")).toObject().size(), 8);

    QProcess p;
    p.start(cli(), sensitivityArgs(cut));
    QVERIFY(p.waitForStarted());
    QElapsedTimer timer;
    timer.start();
    while (cachedLayers(cut) < 3 && p.state() == QProcess::Running && timer.elapsed() < 240000)
        QThread::msleep(50);
    p.kill();
    p.waitForFinished();
    const int done = cachedLayers(cut);
    QVERIFY2(done >= 3 && done < 8, qPrintable(QStringLiteral("killed after %1 layers").arg(done)));

    const QJsonObject resumed = runJson(sensitivityArgs(cut));
    QCOMPARE(resumed.value(QStringLiteral("layers")).toObject(), reference.value(QStringLiteral("layers")).toObject());
    QCOMPARE(resumed.value(QStringLiteral("baseline")).toObject(), reference.value(QStringLiteral("baseline")).toObject());
    // A complete cache answers at once.
    const QJsonObject again = runJson(sensitivityArgs(cut));
    QCOMPARE(again.value(QStringLiteral("layers")).toObject(), reference.value(QStringLiteral("layers")).toObject());
    QVERIFY(again.value(QStringLiteral("seconds")).toDouble() < 5.0);
}

void TestCompressCli::exportMatchesOrtAndCost_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("selection");
    QTest::addColumn<int>("epochs");
    QTest::newRow("spatial-svd") << "spatial-svd" << "0.7" << "l2" << 0;
    QTest::newRow("channel-pruning") << "channel-pruning" << "0.6" << "l2" << 0;
    QTest::newRow("channel-pruning lstsq") << "channel-pruning" << "0.6" << "lstsq" << 0;
    QTest::newRow("channel-pruning fine-tuned") << "channel-pruning" << "0.6" << "l2" << 1;
}

void TestCompressCli::exportMatchesOrtAndCost()
{
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    QFETCH(QString, method);
    QFETCH(QString, target);
    QFETCH(QString, selection);
    QFETCH(int, epochs);
    QTemporaryDir dir;
    QStringList finetune;
    if (epochs > 0)
        finetune = QStringList{QStringLiteral("--finetune-epochs"), QString::number(epochs), QStringLiteral("--train-offset"),
                               QStringLiteral("6000"), QStringLiteral("--train-samples"), QStringLiteral("256")};
    const QJsonObject r = runJson(QStringList{QStringLiteral("compress"), shared(kModel), QStringLiteral("--data"), shared(kData),
                                   QStringLiteral("--preprocess"), kPre, QStringLiteral("--method"), method,
                                   QStringLiteral("--target"), target, QStringLiteral("--channel-selection"), selection,
                                   QStringLiteral("--eval-offset"), QStringLiteral("5000"),
                                   QStringLiteral("--eval-limit"), QStringLiteral("100"), QStringLiteral("--recon-images"),
                                   QStringLiteral("100"), QStringLiteral("--layers"), method == QLatin1String("spatial-svd") ? QString() : kLayers,
                                   QStringLiteral("--test-limit"), QStringLiteral("200"), QStringLiteral("--export"), dir.path(),
                                   QStringLiteral("--json")} + finetune);
    const QJsonObject compressed = r.value(QStringLiteral("compressed")).toObject();
    QVERIFY2(!compressed.isEmpty(), "compress failed");
    QCOMPARE(r.value(QStringLiteral("channel_selection")).toString(), selection);
    QVERIFY(!r.value(QStringLiteral("selected")).toObject().isEmpty());
    const std::string onnx = r.value(QStringLiteral("export")).toObject().value(QStringLiteral("onnx")).toString().toStdString();
    const Graph g = importOnnx(onnx).take();
    const ModelCost cost = computeCost(g);
    QCOMPARE(double(cost.macs), compressed.value(QStringLiteral("macs")).toDouble());
    QCOMPARE(double(cost.macs), compressed.value(QStringLiteral("predicted_macs")).toDouble());
    QCOMPARE(double(cost.params), compressed.value(QStringLiteral("predicted_params")).toDouble());
    QVERIFY(double(cost.macs) < 0.75 * r.value(QStringLiteral("baseline")).toObject().value(QStringLiteral("macs")).toDouble());
    const QJsonObject finetuned = r.value(QStringLiteral("finetuned")).toObject();
    QCOMPARE(finetuned.value(QStringLiteral("epochs")).toInt(), epochs);
    const auto data = DatasetRegistry::instance().open(shared(kData).toStdString(), {}).take();
    const Preprocess pre = parsePreprocess(kPre.toStdString()).take();
    if (epochs > 0) {
        QVERIFY(finetuned.value(QStringLiteral("bn_training")).toBool());
        // The exported model is the fine-tuned one: its top-1 on the 200 test records (from the
        // evaluation offset) is the reported one.
        const Batch test = loadBatch(*data, pre, 5000, 200).take();
        const std::vector<float> logits = runModel(g, test.input);
        int hits = 0;
        for (size_t i = 0; i < test.labels.size(); ++i) {
            const float *row = logits.data() + i * 10;
            hits += int(std::max_element(row, row + 10) - row) == test.labels[i];
        }
        qInfo("compressed top-1 %.3f, fine-tuned %.3f (1 epoch of 256 records)",
              compressed.value(QStringLiteral("top1")).toDouble(), finetuned.value(QStringLiteral("top1")).toDouble());
        QCOMPARE(hits / 200.0, finetuned.value(QStringLiteral("top1")).toDouble());
    } else {
        QVERIFY(finetuned.value(QStringLiteral("top1")).isNull());
    }

    const QString ort = shared("peers/ort/ort");
    if (!QFileInfo::exists(ort) || QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        QSKIP("ONNX Runtime peer (peers/ort and node) not available");
    const Batch batch = loadBatch(*data, pre, 0, 16).take();
    const QString x = dir.filePath(QStringLiteral("x.npy"));
    writeNpy(x.toStdString(), batch.input).take();
    QProcess p;
    p.start(QStringLiteral("bash"), {ort, QStringLiteral("run"), QString::fromStdString(onnx), dir.filePath(QStringLiteral("ort")),
                                     QStringLiteral("input=") + x});
    QVERIFY(p.waitForFinished(180000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const std::vector<float> theirs = readNpy(dir.filePath(QStringLiteral("ort/logits.npy")).toStdString()).take().toFloats();
    const std::vector<float> ours = runModel(g, batch.input);
    QCOMPARE(ours.size(), theirs.size());
    double diff = 0, top = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
        diff = std::max(diff, double(std::fabs(ours[i] - theirs[i])));
        top = std::max(top, double(std::fabs(theirs[i])));
    }
    QVERIFY2(diff <= 1e-4 * top, qPrintable(QStringLiteral("max |difference| %1, max |logit| %2").arg(diff).arg(top)));
}

QTEST_GUILESS_MAIN(TestCompressCli)
#include "tst_compress_cli.moc"
