// The real models of ../shared/models against ONNX Runtime's outputs in ../shared/reference:
// max |diff| <= 1e-4 * max(1, max |ref|), through the fused inference plan and the plain plan.

#include "testutil.h"

#include "data/npy.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace qs;

class TestRealModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
};

void TestRealModels::matchesReference_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("optimize");
    const char *models[] = {"resnet20_cifar10_akamaster", "resnet20_cifar10_akamaster_bn",
                            "resnet32_cifar10_akamaster", "resnet44_cifar10_akamaster",
                            "resnet56_cifar10_akamaster", "mobilenet_v1_0.25_224_imagenet",
                            "mobilenet_v1_0.25_224_imagenet_bn"};
    for (const char *m : models) {
        QTest::addRow("%s/fused", m) << QString::fromLatin1(m) << true;
        QTest::addRow("%s/plain", m) << QString::fromLatin1(m) << false;
    }
}

void TestRealModels::matchesReference()
{
    QFETCH(QString, model);
    QFETCH(bool, optimize);
    QS_NEED_SHARED("models");
    const std::string modelPath = test::sharedPath(QStringLiteral("models/") + model + QStringLiteral(".onnx"));
    const std::string ref = test::sharedPath(QStringLiteral("reference/") + model);
    Result<Graph> graph = importOnnx(modelPath);
    QVERIFY2(graph.ok(), graph.ok() ? "" : graph.error().message.c_str());
    Tensor input = readNpy(ref + "/input.npy").take();
    Tensor expected = readNpy(ref + "/output.npy").take();
    ExecutorOptions options;
    options.optimize = optimize;
    auto executor = Executor::create(graph.value(), options).take();
    Result<TensorMap> out = executor->run({{graph.value().inputs[0].name, input}});
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    const Tensor &got = out.value().at(graph.value().outputs[0].name);
    QCOMPARE(got.shape(), expected.shape());
    const auto a = got.toFloats(), b = expected.toFloats();
    double maxDiff = 0, maxRef = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        maxDiff = std::max(maxDiff, double(std::fabs(a[i] - b[i])));
        maxRef = std::max(maxRef, double(std::fabs(b[i])));
    }
    const double tol = 1e-4 * std::max(1.0, maxRef);
    qInfo("%s (%s): max |diff| %.3g, tolerance %.3g", qPrintable(model), optimize ? "fused" : "plain", maxDiff, tol);
    QVERIFY2(maxDiff <= tol, qPrintable(QStringLiteral("max |diff| %1 > %2").arg(maxDiff).arg(tol)));
}

QTEST_APPLESS_MAIN(TestRealModels)
#include "tst_realmodels.moc"
