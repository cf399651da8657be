// The real models of ../shared/models: structure after import, the cost model, and an export ->
// import round trip. Figures were worked out from the weight shapes:
//  CIFAR ResNet-(6n+2), n blocks per stage: MACs = 442,368 (conv1, 16*3*9 x 32*32) + 2*1,179,648
//   (the two stride-2 convs) + (6n-2) * 2,359,296 (3x3 convs at 16ch x 32^2, 32ch x 16^2, 64ch x 8^2)
//   + 640 (fc) -> 40,551,040 for n=3, 68,862,592 for 5, 97,174,144 for 7, 125,485,696 for 9.
//   Params (BN folded, conv biases) = 448 + 2n*2,320 + 4,640 + (2n-1)*9,248 + 18,496 + (2n-1)*36,928
//   + 650 -> 269,034 / 463,018 / 657,002 / 850,986. The _bn variant has no conv biases (-688) and
//   4 BN vectors per conv (+4*688): 271,098.
//  MobileNet v1 0.25 at 224: 41,030,272 MACs (stem 2,709,504; 13 depthwise/pointwise pairs; the
//   1x1 classifier 256,000), 467,336 params; with BN kept: +3 * 2,736 BN channels = 475,544.

#include "testutil.h"

#include "core/tensor.h"
#include "graph/costmodel.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <QTemporaryDir>
#include <QTest>

using namespace qs;

class TestOnnxImportShared : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void models_data();
    void models();
    void mobilenetLayers();
    void roundTrip_data();
    void roundTrip();
};

static std::string histogramText(const Graph &g)
{
    std::string s;
    for (const auto &kv : g.opHistogram())
        s += (s.empty() ? "" : " ") + kv.first + ":" + std::to_string(kv.second);
    return s;
}

static const char *const kMobilenetOps =
    "Cast:10 Clip:27 Concat:7 Constant:116 ConstantOfShape:5 Conv:28 Div:2 Flatten:1 Gather:3 Mod:2 Pad:5 "
    "ReduceMean:1 Reshape:10 Shape:3 Slice:5 Sub:7 Transpose:5 Unsqueeze:8";

// "Add:9 ... Conv:19 ..." for a ResNet with `blocks` blocks per stage.
static QString resnetOps(int blocks, bool bn)
{
    const int convs = 6 * blocks + 1;
    std::map<std::string, int> h;
    for (const char *op : {"Cast:2", "Concat:2", "Constant:32", "ConstantOfShape:2", "Gemm:1", "Pad:2",
                           "ReduceMean:1", "Reshape:4", "Slice:6", "Transpose:2"}) {
        const std::string s(op);
        h[s.substr(0, s.find(':'))] = std::stoi(s.substr(s.find(':') + 1));
    }
    h["Add"] = 3 * blocks;
    h["Conv"] = convs;
    h["Relu"] = convs;
    if (bn)
        h["BatchNormalization"] = convs;
    std::string s;
    for (const auto &kv : h)
        s += (s.empty() ? "" : " ") + kv.first + ":" + std::to_string(kv.second);
    return QString::fromStdString(s);
}

void TestOnnxImportShared::models_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("initializers");
    QTest::addColumn<QString>("ops");
    QTest::addColumn<qlonglong>("params");
    QTest::addColumn<qlonglong>("macs");
    QTest::addColumn<int>("side");
    QTest::addColumn<int>("classes");
    QTest::newRow("mobilenet") << "mobilenet_v1_0.25_224_imagenet.onnx" << 245 << 56 << QString(kMobilenetOps)
                               << 467336LL << 41030272LL << 224 << 1000;
    QTest::newRow("mobilenet bn") << "mobilenet_v1_0.25_224_imagenet_bn.onnx" << 272 << 137
                                  << QString(kMobilenetOps).replace("Cast:10", "BatchNormalization:27 Cast:10")
                                  << 475544LL << 41030272LL << 224 << 1000;
    QTest::newRow("resnet20") << "resnet20_cifar10_akamaster.onnx" << 101 << 40 << resnetOps(3, false) << 269034LL
                              << 40551040LL << 32 << 10;
    QTest::newRow("resnet20 bn") << "resnet20_cifar10_akamaster_bn.onnx" << 120 << 97 << resnetOps(3, true)
                                 << 271098LL << 40551040LL << 32 << 10;
    QTest::newRow("resnet32") << "resnet32_cifar10_akamaster.onnx" << 131 << 64 << resnetOps(5, false) << 463018LL
                              << 68862592LL << 32 << 10;
    QTest::newRow("resnet44") << "resnet44_cifar10_akamaster.onnx" << 161 << 88 << resnetOps(7, false) << 657002LL
                              << 97174144LL << 32 << 10;
    QTest::newRow("resnet56") << "resnet56_cifar10_akamaster.onnx" << 191 << 112 << resnetOps(9, false) << 850986LL
                              << 125485696LL << 32 << 10;
}

void TestOnnxImportShared::models()
{
    QFETCH(QString, file);
    QFETCH(int, nodes);
    QFETCH(int, initializers);
    QFETCH(QString, ops);
    QFETCH(qlonglong, params);
    QFETCH(qlonglong, macs);
    QFETCH(int, side);
    QFETCH(int, classes);
    QS_NEED_SHARED("models");
    auto g = importOnnx(qs::test::sharedPath("models/" + file));
    QVERIFY2(g.ok(), g.ok() ? "" : g.error().message.c_str());
    QCOMPARE(g->opsetVersion, int64_t(13));
    QCOMPARE(int(g->nodes.size()), nodes);
    QCOMPARE(int(g->initializers.size()), initializers);
    QCOMPARE(QString::fromStdString(histogramText(*g)), ops);
    QCOMPARE(g->inputs.size(), size_t(1));
    QCOMPARE(g->inputs[0].name, std::string("input"));
    QCOMPARE(g->inputs[0].shape, (std::vector<int64_t>{-1, 3, side, side}));
    QCOMPARE(g->inputs[0].dimParams[0], std::string("N"));
    QCOMPARE(g->outputs[0].name, std::string("logits"));
    QCOMPARE(g->outputs[0].shape, (std::vector<int64_t>{-1, classes}));

    const ModelCost cost = computeCost(*g);
    QCOMPARE(cost.params, int64_t(params));
    QCOMPARE(cost.macs, int64_t(macs));
    // Every weighted layer has a static per-sample output shape (the batch alone is symbolic).
    for (const LayerCost &layer : cost.layers) {
        QVERIFY2(layer.macs > 0, layer.name.c_str());
        for (int64_t d : layer.outputShape)
            QVERIFY2(d > 0, layer.name.c_str());
    }
}

void TestOnnxImportShared::mobilenetLayers()
{
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet.onnx");
    auto g = importOnnx(qs::test::sharedPath("models/mobilenet_v1_0.25_224_imagenet.onnx"));
    QVERIFY(g.ok());
    const ModelCost cost = computeCost(*g);
    QCOMPARE(cost.layers.size(), size_t(28));
    // Stem: 3x3 stride 2 after an explicit (0,1) pad whose amounts are computed from the input
    // shape at run time: 225 -> 112.
    const LayerCost &stem = cost.layers.front();
    QCOMPARE(stem.name, std::string("/1/Conv"));
    QCOMPARE(stem.weightShape, (std::vector<int64_t>{8, 3, 3, 3}));
    QCOMPARE(stem.inputShape, (std::vector<int64_t>{3, 225, 225}));
    QCOMPARE(stem.outputShape, (std::vector<int64_t>{8, 112, 112}));
    QCOMPARE(stem.params, int64_t(8 * 27 + 8));
    QCOMPARE(stem.macs, int64_t(8 * 27 * 112 * 112));
    // The last depthwise layer (stride 2, 15 -> 7) and the 1x1 classifier on the pooled features.
    const LayerCost &dw = cost.layers[23];
    QCOMPARE(dw.weightShape, (std::vector<int64_t>{128, 1, 3, 3}));
    QCOMPARE(dw.outputShape, (std::vector<int64_t>{128, 7, 7}));
    QCOMPARE(dw.macs, int64_t(128 * 9 * 49));
    const LayerCost &head = cost.layers.back();
    QCOMPARE(head.outputShape, (std::vector<int64_t>{1000, 1, 1}));
    QCOMPARE(head.macs, int64_t(256000));
    QCOMPARE(head.params, int64_t(257000));
}

void TestOnnxImportShared::roundTrip_data()
{
    QTest::addColumn<QString>("file");
    for (const char *f : {"mobilenet_v1_0.25_224_imagenet.onnx", "mobilenet_v1_0.25_224_imagenet_bn.onnx",
                          "resnet20_cifar10_akamaster.onnx", "resnet20_cifar10_akamaster_bn.onnx",
                          "resnet32_cifar10_akamaster.onnx", "resnet44_cifar10_akamaster.onnx",
                          "resnet56_cifar10_akamaster.onnx"})
        QTest::newRow(f) << QString(f);
}

void TestOnnxImportShared::roundTrip()
{
    QFETCH(QString, file);
    QS_NEED_SHARED("models");
    auto a = importOnnx(qs::test::sharedPath("models/" + file));
    QVERIFY(a.ok());
    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/copy.onnx";
    auto written = exportOnnx(*a, path);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());
    auto b = importOnnx(path);
    QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
    QCOMPARE(b->nodes.size(), a->nodes.size());
    QCOMPARE(histogramText(*b), histogramText(*a));
    QCOMPARE(b->initializers.size(), a->initializers.size());
    for (const auto &kv : a->initializers) {
        const Tensor *t = b->initializer(kv.first);
        QVERIFY2(t, kv.first.c_str());
        QCOMPARE(t->shape(), kv.second.shape());
        QVERIFY2(t->bytes() == kv.second.bytes(), kv.first.c_str());
    }
    QCOMPARE(b->valueInfo.size(), a->valueInfo.size());
    QCOMPARE(computeCost(*b).macs, computeCost(*a).macs);
}

QTEST_APPLESS_MAIN(TestOnnxImportShared)
#include "tst_onnximport_shared.moc"
