// The equalization pipeline (BN folding, cross-layer scaling, high-bias absorption) on the real
// models: the equalized model, as built and after ONNX export and re-import, gives the
// reference logits of the original (ONNX Runtime) within 1e-3 of their largest magnitude, and
// MobileNet's depthwise layers end with far more even per-channel weight ranges.

#include "testutil.h"

#include "data/npy.h"
#include "equalize/equalize.h"
#include "equalize/layerweights.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace qs;

namespace {

double relativeDiffToReference(const Graph &g, const Tensor &input, const Tensor &reference)
{
    auto ex = Executor::create(g).take();
    const auto out = ex->run({{g.inputs[0].name, input}}).take().at(g.outputs[0].name).toFloats();
    const auto ref = reference.toFloats();
    if (out.size() != ref.size())
        return 1e30;
    double diff = 0, top = 0;
    for (size_t i = 0; i < ref.size(); ++i) {
        diff = std::max(diff, double(std::fabs(out[i] - ref[i])));
        top = std::max(top, double(std::fabs(ref[i])));
    }
    return diff / top;
}

// Per depthwise layer: largest per-channel weight range over the median one.
std::vector<double> depthwiseSpread(const Graph &g)
{
    std::vector<double> spread;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        auto L = LayerWeights::load(g, int(i));
        if (!L || !L->isDepthwise())
            continue;
        auto r = L->outRange();
        std::sort(r.begin(), r.end());
        spread.push_back(r.back() / r[r.size() / 2]);
    }
    return spread;
}

} // namespace

class TestEqualizeShared : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameLogits_data();
    void sameLogits();
    void mobileNetDepthwiseRanges();
};

void TestEqualizeShared::sameLogits_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("foldedBatchNorms");
    QTest::addColumn<int>("groups");
    QTest::newRow("resnet20") << "resnet20_cifar10_akamaster" << 0 << 9;
    QTest::newRow("resnet20_bn") << "resnet20_cifar10_akamaster_bn" << 19 << 9;
    QTest::newRow("mobilenet") << "mobilenet_v1_0.25_224_imagenet" << 0 << 14;
    QTest::newRow("mobilenet_bn") << "mobilenet_v1_0.25_224_imagenet_bn" << 27 << 14;
}

void TestEqualizeShared::sameLogits()
{
    QFETCH(QString, model);
    QFETCH(int, foldedBatchNorms);
    QFETCH(int, groups);
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");
    const Graph g = importOnnx(test::sharedPath("models/" + model + ".onnx")).take();
    const Tensor input = readNpy(test::sharedPath("reference/" + model + "/input.npy")).take();
    const Tensor reference = readNpy(test::sharedPath("reference/" + model + "/output.npy")).take();
    const EqualizeResult r = equalize(g).take();
    QCOMPARE(int(r.report.fold.folded.size()), foldedBatchNorms);
    QCOMPARE(int(r.report.fold.skipped.size()), 0);
    QCOMPARE(int(r.report.cls.groups.size()), groups);
    const double direct = relativeDiffToReference(r.graph, input, reference);
    QTemporaryDir dir;
    const std::string path = (dir.path() + "/equalized.onnx").toStdString();
    exportOnnx(r.graph, path).take();
    const double reloaded = relativeDiffToReference(importOnnx(path).take(), input, reference);
    qInfo("%s: %d groups, %d biases absorbed, %.3f s; max|diff| / max|ref| = %.2e (exported: %.2e)",
          qPrintable(model), int(r.report.cls.groups.size()), int(r.report.hba.absorbed.size()), r.report.seconds,
          direct, reloaded);
    QVERIFY(direct <= 1e-3);
    QVERIFY(reloaded <= 1e-3);
    if (model.startsWith("mobilenet")) {
        QCOMPARE(int(r.report.hba.absorbed.size()), foldedBatchNorms ? 13 : 0); // dw -> pw pairs
        QCOMPARE(r.graph.opHistogram().count("Clip") ? r.graph.opHistogram().at("Clip") : 0, 0);
    }
}

void TestEqualizeShared::mobileNetDepthwiseRanges()
{
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet_bn.onnx");
    const Graph g = importOnnx(test::sharedPath("models/mobilenet_v1_0.25_224_imagenet_bn.onnx")).take();
    const auto before = depthwiseSpread(foldBatchNorms(g).take().graph);
    const auto after = depthwiseSpread(equalize(g).take().graph);
    QCOMPARE(int(before.size()), 13);
    QCOMPARE(int(after.size()), 13);
    QString line;
    for (size_t i = 0; i < before.size(); ++i) {
        line += QString(" %1->%2").arg(before[i], 0, 'f', 1).arg(after[i], 0, 'f', 1);
        QVERIFY2(after[i] < before[i], qPrintable(QString("depthwise layer %1").arg(i)));
    }
    qInfo("depthwise max/median weight range, folded -> equalized:%s", qPrintable(line));
    QVERIFY(*std::max_element(after.begin(), after.end()) < 0.2 * *std::max_element(before.begin(), before.end()));
}

QTEST_APPLESS_MAIN(TestEqualizeShared)
#include "tst_equalize_shared.moc"
