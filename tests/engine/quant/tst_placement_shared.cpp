// Quantizer counts on the real models of ../shared/models under AIMET's default and per-channel
// configs, worked out by hand from the graphs:
//  ResNet-20 (BN folded): 19 Conv (with bias) + 19 Relu, 9 Add, 1 Gemm, ReduceMean, and two
//   option-A shortcuts made of Slice, Slice, Pad (pads computed from int64 constants).
//   Params: 19 Conv weights + 19 biases + Gemm weight + bias = 40, enabled 20 (biases off).
//   Activations: 19 Conv + 19 Relu + 9 Add + 4 Slice + 2 Pad + ReduceMean + Gemm = 55. Off: the
//   10 Conv outputs read only by a Relu (stem and each block's conv1; conv2 feeds Add),
//   the 9 Add outputs (Add->Relu) and the 2 Pad outputs -> 34 on. Model input on.
//   Total 1 + 55 + 40 = 96, enabled 1 + 34 + 20 = 55.
//  MobileNet v1 0.25 (BN folded): 28 Conv (the last is the 1x1 classifier), 27 Clip (ReLU6),
//   5 Pad (the first on the model input), ReduceMean, Flatten to the output, and 116 Constant
//   plus Shape/Gather/Sub/Mod/Div/Cast/... computing the pads in int64: none of those gets one,
//   nor the Clip bounds (Constant nodes) or Flatten's output.
//   Params: 28 weights (on) + 28 biases (off) = 56. Activations: 28 Conv + 27 Clip + 5 Pad +
//   ReduceMean = 61; off: 27 Conv outputs (Conv->Clip) and 5 Pad -> 29 on. Total 118, enabled 58.
//  With BN kept, Conv->BatchNormalization->Relu/Clip matches no supergroup, so every Conv and BN
//   output stays on; BN params are weight (on), bias, running_mean, running_var (off):
//   ResNet-20 BN: params 19 + 19*4 + 2 = 97 (39 on); activations 55 + 19 BN = 74, off 9 Add +
//   2 Pad -> 63 on; total 172, 103 on. MobileNet BN: params 28 + 1 classifier bias + 27*4 = 137
//   (55 on); activations 61 + 27 = 88, off the 5 Pad -> 83 on; total 226, 139 on.
//  Per-channel config: every param of a Conv is per channel (weights and biases), Gemm is not:
//   38 / 56 / 19 (no conv biases) / 29 (28 weights + the classifier bias).

#include "testutil.h"

#include "onnx/onnximport.h"
#include "quant/quantconfig.h"

#include <QTest>

using namespace qs;

class TestPlacementShared : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void counts_data();
    void counts();
};

void TestPlacementShared::counts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("perChannelConfig");
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("enabled");
    QTest::addColumn<int>("activations");
    QTest::addColumn<int>("activationsOn");
    QTest::addColumn<int>("params");
    QTest::addColumn<int>("paramsOn");
    QTest::addColumn<int>("perChannel");
    QTest::addColumn<QString>("offByOp");

    const QString resnet = "resnet20_cifar10_akamaster.onnx";
    const QString mobilenet = "mobilenet_v1_0.25_224_imagenet.onnx";
    const QString resnetBn = "resnet20_cifar10_akamaster_bn.onnx";
    const QString mobilenetBn = "mobilenet_v1_0.25_224_imagenet_bn.onnx";
    QTest::newRow("resnet20") << resnet << false << 96 << 55 << 55 << 34 << 40 << 20 << 0 << "Add:9 Conv:10 Pad:2";
    QTest::newRow("resnet20 pc") << resnet << true << 96 << 55 << 55 << 34 << 40 << 20 << 38 << "Add:9 Conv:10 Pad:2";
    QTest::newRow("mobilenet") << mobilenet << false << 118 << 58 << 61 << 29 << 56 << 28 << 0 << "Conv:27 Pad:5";
    QTest::newRow("mobilenet pc") << mobilenet << true << 118 << 58 << 61 << 29 << 56 << 28 << 56 << "Conv:27 Pad:5";
    QTest::newRow("resnet20 bn") << resnetBn << false << 172 << 103 << 74 << 63 << 97 << 39 << 0 << "Add:9 Pad:2";
    QTest::newRow("resnet20 bn pc") << resnetBn << true << 172 << 103 << 74 << 63 << 97 << 39 << 19 << "Add:9 Pad:2";
    QTest::newRow("mobilenet bn") << mobilenetBn << false << 226 << 139 << 88 << 83 << 137 << 55 << 0 << "Pad:5";
    QTest::newRow("mobilenet bn pc") << mobilenetBn << true << 226 << 139 << 88 << 83 << 137 << 55 << 29 << "Pad:5";
}

void TestPlacementShared::counts()
{
    QFETCH(QString, file);
    QFETCH(bool, perChannelConfig);
    QFETCH(int, total);
    QFETCH(int, enabled);
    QFETCH(int, activations);
    QFETCH(int, activationsOn);
    QFETCH(int, params);
    QFETCH(int, paramsOn);
    QFETCH(int, perChannel);
    QFETCH(QString, offByOp);
    QS_NEED_SHARED("models/resnet20_cifar10_akamaster.onnx");

    auto graph = importOnnx(test::sharedPath("models/" + file));
    QVERIFY2(graph.ok(), graph.ok() ? "" : graph.error().message.c_str());
    const Graph &g = graph.value();
    auto placed = placeQuantizers(g, perChannelConfig ? defaultPerChannelQuantsimConfig() : defaultQuantsimConfig(), {});
    QVERIFY2(placed.ok(), placed.ok() ? "" : placed.error().message.c_str());

    std::map<std::string, std::string> opOf;
    for (const Node &n : g.nodes)
        opOf[n.name] = n.opType;
    int on = 0, acts = 0, actsOn = 0, prm = 0, prmOn = 0, pc = 0, inputsOn = 0;
    std::map<std::string, int> off;
    for (const QuantizerInfo &q : placed.value()) {
        on += q.enabled;
        pc += q.perChannel;
        if (q.kind == QuantizerKind::ModelInput) {
            QCOMPARE(q.tensor, std::string("input"));
            inputsOn += q.enabled;
        } else if (q.kind == QuantizerKind::Activation) {
            ++acts;
            actsOn += q.enabled;
            if (!q.enabled)
                ++off[opOf.at(q.node)];
        } else {
            ++prm;
            prmOn += q.enabled;
            QCOMPARE(q.enabled, q.paramRole == "weight");
            QCOMPARE(q.symmetric, true);
        }
    }
    QString offText;
    for (const auto &kv : off)
        offText += (offText.isEmpty() ? "" : " ") + QString::fromStdString(kv.first) + ":" + QString::number(kv.second);
    QCOMPARE(int(placed.value().size()), total);
    QCOMPARE(on, enabled);
    QCOMPARE(inputsOn, 1);
    QCOMPARE(acts, activations);
    QCOMPARE(actsOn, activationsOn);
    QCOMPARE(prm, params);
    QCOMPARE(prmOn, paramsOn);
    QCOMPARE(pc, perChannel);
    QCOMPARE(offText, offByOp);
}

QTEST_APPLESS_MAIN(TestPlacementShared)
#include "tst_placement_shared.moc"
