// Preprocessing of the shared data against the reference inputs that ONNX Runtime's reference outputs
// were computed from (made with Python/PIL): the first 8 CIFAR-10 records for ResNet-20 and the first 8
// ImageNet sample images (sorted by file name) for MobileNet. The reference sizes the longer side as
// round(256 * long / short) and crops at floor((size - 224) / 2); torchvision's int(256 * long / short)
// would resize 4 of these 8 images one pixel smaller (max |diff| 0.86 against the reference).

#include "core/fileutil.h"
#include "data/batch.h"
#include "data/dataset.h"
#include "data/npy.h"
#include "data/preprocess.h"
#include "plugins.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>

using namespace qs;

class TestDataShared : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cifarMatchesReference();
    void imagenetMatchesReference();
    void mnistIdxGz();

private:
    DatasetRegistry m_registry;
};

static Preprocess modelPreprocess(const std::string &modelFile)
{
    const auto doc = nlohmann::json::parse(readFileBytes(test::sharedPath("models/models.json")));
    for (const auto &entry : doc.at("models"))
        if (entry.at("file") == modelFile)
            return parsePreprocess(entry.dump()).take();
    throw Exception(ErrorCode::Invalid, modelFile + " not in models.json");
}

struct Diff {
    double max = 0, mean = 0;
};

// Differences between sample i of `a` and sample j of `b` (both N x ...).
static Diff sampleDiff(const Tensor &a, int64_t i, const Tensor &b, int64_t j)
{
    const int64_t n = a.numel() / a.dim(0);
    const float *pa = a.dataAs<float>() + i * n, *pb = b.dataAs<float>() + j * n;
    Diff d;
    for (int64_t k = 0; k < n; ++k) {
        const double e = std::fabs(double(pa[k]) - double(pb[k]));
        d.max = std::max(d.max, e);
        d.mean += e;
    }
    d.mean /= double(n);
    return d;
}

// Checks that record i of the batch is reference sample i, and that it is not sample i + 1 (so the
// comparison would notice a shifted or reordered selection).
static void compareSamples(const Tensor &mine, const Tensor &ref, double maxBound, double meanBound)
{
    QCOMPARE(mine.shape(), ref.shape());
    Diff all;
    for (int64_t i = 0; i < ref.dim(0); ++i) {
        const Diff d = sampleDiff(mine, i, ref, i);
        qInfo("sample %lld: max |diff| %.3g, mean |diff| %.3g", static_cast<long long>(i), d.max, d.mean);
        all.max = std::max(all.max, d.max);
        all.mean += d.mean / double(ref.dim(0));
        if (i + 1 < ref.dim(0))
            QVERIFY(sampleDiff(mine, i, ref, i + 1).mean > 0.05);
    }
    qInfo("all %lld samples: max |diff| %.3g, mean |diff| %.3g", static_cast<long long>(ref.dim(0)), all.max, all.mean);
    QVERIFY2(all.max <= maxBound, qPrintable(QString("max |diff| %1 > %2").arg(all.max).arg(maxBound)));
    QVERIFY2(all.mean <= meanBound, qPrintable(QString("mean |diff| %1 > %2").arg(all.mean).arg(meanBound)));
}

void TestDataShared::initTestCase()
{
    registerBuiltinDatasets(m_registry);
    registerBuiltinPlugins(m_registry);
}

void TestDataShared::cifarMatchesReference()
{
    QS_NEED_SHARED("data/cifar10-test/test_batch.bin");
    QS_NEED_SHARED("reference/resnet20_cifar10_akamaster/input.npy");
    const Preprocess p = modelPreprocess("resnet20_cifar10_akamaster.onnx");
    auto ds = m_registry.open(test::sharedPath("data/cifar10-test/test_batch.bin"), {}).take();
    QCOMPARE(ds->kind(), std::string("cifar"));
    QCOMPARE(ds->size(), int64_t(10000));
    const Batch b = loadBatch(*ds, p, 0, 8).take();
    QCOMPARE(b.labels, (std::vector<int64_t>{6, 6, 0, 2, 2, 6, 1, 2}));
    const Tensor ref = readNpy(test::sharedPath("reference/resnet20_cifar10_akamaster/input.npy")).take();
    compareSamples(b.input, ref, 1e-5, 1e-6);
}

void TestDataShared::imagenetMatchesReference()
{
    QS_NEED_SHARED("data/imagenet-sample/wnids.txt");
    QS_NEED_SHARED("reference/mobilenet_v1_0.25_224_imagenet/input.npy");
    const Preprocess p = modelPreprocess("mobilenet_v1_0.25_224_imagenet.onnx");
    QCOMPARE(p.resizeShorterSide, 256);
    QCOMPARE(p.centerCrop, 224);
    auto ds = m_registry.open(test::sharedPath("data/imagenet-sample"), {}).take();
    QCOMPARE(ds->kind(), std::string("imagefolder"));
    QCOMPARE(ds->size(), int64_t(1000));
    const Batch b = loadBatch(*ds, p, 0, 8).take();
    // The first 8 files sorted by name are the first 8 wnids: labels 0-7.
    QCOMPARE(b.labels, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
    const Tensor ref = readNpy(test::sharedPath("reference/mobilenet_v1_0.25_224_imagenet/input.npy")).take();
    // Measured: identical (max |diff| 0). JPEG decoding (libjpeg-turbo through QImage), the Pillow
    // resize and the float32 arithmetic all match the reference pipeline bit for bit.
    compareSamples(b.input, ref, 1e-6, 1e-7);
}

void TestDataShared::mnistIdxGz()
{
    QS_NEED_SHARED("data/mnist/t10k-images-idx3-ubyte.gz");
    const std::string images = test::sharedPath("data/mnist/t10k-images-idx3-ubyte.gz");
    auto ds = m_registry.open(images, {}).take();
    QCOMPARE(ds->kind(), std::string("idx"));
    QCOMPARE(ds->size(), int64_t(10000));
    const Record r = ds->record(0);
    QCOMPARE(r.image.width, 28);
    QCOMPARE(r.image.height, 28);
    QCOMPARE(r.label, int64_t(7)); // the first MNIST test digit, from the sibling labels file
    DatasetOptions o;
    o.labels = test::sharedPath("data/mnist/train-labels-idx1-ubyte.gz");
    QCOMPARE(QString::fromStdString(m_registry.open(images, o).error().message),
             QString::fromStdString(images + ": 10000 records but " + o.labels + " holds 60000 labels"));
}

QTEST_GUILESS_MAIN(TestDataShared)
#include "tst_data_shared.moc"
