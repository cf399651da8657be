// Data sources, NPY I/O, preprocessing, batching and top-k accuracy on files generated in a
// temporary folder.

#include "core/error.h"
#include "data/batch.h"
#include "data/dataset.h"
#include "data/evaluator.h"
#include "data/imageresize.h"
#include "data/npy.h"
#include "data/preprocess.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <zlib.h>

using namespace qs;

class TestData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cifarRecords();
    void cifarLookingLikeIdx();
    void cifarBadSize();
    void idxRecords_data();
    void idxRecords();
    void idxErrors();
    void npyRoundTrip_data();
    void npyRoundTrip();
    void npyHeaderLayout();
    void npyErrors_data();
    void npyErrors();
    void npyBigEndian();
    void npyDataset();
    void registryErrors();
    void pilResizeHandComputed();
    void preprocessParse();
    void preprocessErrors_data();
    void preprocessErrors();
    void preprocessValues();
    void batchLoading();
    void batchFailureNamesRecord();
    void topK();

private:
    std::string file(const char *name) const { return (m_dir->path() + "/" + name).toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DatasetRegistry> m_registryPtr;
    DatasetRegistry &registry() { return *m_registryPtr; }
};

static void writeBytes(const std::string &path, const std::string &bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

static void writeGz(const std::string &path, const std::string &bytes)
{
    gzFile f = gzopen(path.c_str(), "wb");
    QVERIFY(f);
    QCOMPARE(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(f);
}

static std::string be32(uint32_t v)
{
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// IDX bytes: uint8 data of the given dims, element i = (i * 7) % 256.
static std::string idxBytes(const std::vector<uint32_t> &dims, size_t dataBytes)
{
    std::string s{0, 0, 0x08, char(dims.size())};
    for (uint32_t d : dims)
        s += be32(d);
    for (size_t i = 0; i < dataBytes; ++i)
        s += char((i * 7) % 256);
    return s;
}

// CIFAR records: label i % 10, pixel p of plane c = (i + c * 50 + p) % 256.
static std::string cifarBytes(int records)
{
    std::string s;
    for (int i = 0; i < records; ++i) {
        s += char(i % 10);
        for (int c = 0; c < 3; ++c)
            for (int p = 0; p < 1024; ++p)
                s += char((i + c * 50 + p) % 256);
    }
    return s;
}

static QString errorOf(const Result<std::unique_ptr<Dataset>> &r)
{
    return r.ok() ? QStringLiteral("<ok>") : QString::fromStdString(r.error().message);
}

void TestData::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_registryPtr = std::make_unique<DatasetRegistry>();
    registerBuiltinDatasets(*m_registryPtr);
}

void TestData::cifarRecords()
{
    writeBytes(file("test_batch.bin"), cifarBytes(3));
    auto ds = registry().open(file("test_batch.bin"), {}).take();
    QCOMPARE(ds->kind(), std::string("cifar"));
    QCOMPARE(ds->size(), int64_t(3));
    const Record r = ds->record(2);
    QCOMPARE(r.label, int64_t(2));
    QCOMPARE(r.image.width, 32);
    QCOMPARE(r.image.channels, 3);
    // Pixel 5 (row 0, column 5): R = 2 + 5, G = 2 + 50 + 5, B = 2 + 100 + 5, interleaved.
    QCOMPARE(int(r.image.pixels[5 * 3 + 0]), 7);
    QCOMPARE(int(r.image.pixels[5 * 3 + 1]), 57);
    QCOMPARE(int(r.image.pixels[5 * 3 + 2]), 107);
    // Pixel 1023 (last): (2 + 100 + 1023) % 256 = 101 for blue.
    QCOMPARE(int(r.image.pixels[1023 * 3 + 2]), 101);
}

void TestData::cifarLookingLikeIdx()
{
    // Label 0 and red pixels 0, 8, 3 read like the IDX magic 0x00000803; the file is still CIFAR-10.
    std::string bytes = cifarBytes(2);
    bytes[0] = 0;
    bytes[1] = 0;
    bytes[2] = 8;
    bytes[3] = 3;
    writeBytes(file("data_batch"), bytes);
    auto ds = registry().open(file("data_batch"), {}).take();
    QCOMPARE(ds->kind(), std::string("cifar"));
    QCOMPARE(ds->size(), int64_t(2));
}

void TestData::cifarBadSize()
{
    writeBytes(file("short.bin"), cifarBytes(2) + "12345");
    const auto r = registry().open(file("short.bin"), {});
    QCOMPARE(errorOf(r), QString::fromStdString(file("short.bin") +
                                                ": CIFAR-10 file size 6151 is not a multiple of 3073 bytes"));
}

void TestData::idxRecords_data()
{
    QTest::addColumn<bool>("gzip");
    QTest::newRow("raw") << false;
    QTest::newRow("gz") << true;
}

void TestData::idxRecords()
{
    QFETCH(bool, gzip);
    const std::string images = file(gzip ? "t10k-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte");
    const std::string labels = file(gzip ? "t10k-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte");
    std::string labelBytes = std::string{0, 0, 0x08, 1} + be32(4) + std::string{3, 1, 4, 1};
    (gzip ? writeGz : writeBytes)(images, idxBytes({4, 2, 3}, 24));
    (gzip ? writeGz : writeBytes)(labels, labelBytes);
    auto ds = registry().open(images, {}).take();
    QCOMPARE(ds->kind(), std::string("idx"));
    QCOMPARE(ds->size(), int64_t(4));
    const Record r = ds->record(2);
    QCOMPARE(r.label, int64_t(4)); // from the sibling labels file
    QCOMPARE(r.image.width, 3);
    QCOMPARE(r.image.height, 2);
    QCOMPARE(r.image.channels, 1);
    QCOMPARE(int(r.image.pixels[1]), (13 * 7) % 256); // element 2 * 6 + 1
    // Explicit labels file wins over the sibling.
    writeBytes(file("other-labels"), std::string{0, 0, 0x08, 1} + be32(4) + std::string{9, 8, 7, 6});
    DatasetOptions o;
    o.labels = file("other-labels");
    QCOMPARE(registry().open(images, o).take()->record(2).label, int64_t(7));
}

void TestData::idxErrors()
{
    writeBytes(file("bad-magic"), std::string{0, 0, 0x0A, 3} + be32(1) + be32(1) + be32(1) + "x");
    auto r = registry().openAs("idx", file("bad-magic"), {});
    QCOMPARE(errorOf(r), QString::fromStdString(file("bad-magic") +
                                                ": not an IDX file (bad magic 0x00000A03, expected 0x000008XX "
                                                "with a known type and 1-8 dimensions)"));

    writeBytes(file("trunc-images-idx3-ubyte"), idxBytes({4, 2, 3}, 20));
    r = registry().open(file("trunc-images-idx3-ubyte"), {});
    QCOMPARE(errorOf(r), QString::fromStdString(file("trunc-images-idx3-ubyte") +
                                                ": IDX data is truncated (dims [4,2,3] need 24 bytes, file holds 20)"));

    writeBytes(file("n-images-idx3-ubyte"), idxBytes({4, 2, 3}, 24));
    writeBytes(file("n-labels-idx1-ubyte"), std::string{0, 0, 0x08, 1} + be32(3) + std::string{1, 2, 3});
    r = registry().open(file("n-images-idx3-ubyte"), {});
    QCOMPARE(errorOf(r), QString::fromStdString(file("n-images-idx3-ubyte") + ": 4 records but " +
                                                file("n-labels-idx1-ubyte") + " holds 3 labels"));

    // A gzip stream cut short.
    writeGz(file("whole.gz"), idxBytes({50, 28, 28}, 50 * 784));
    std::ifstream in(file("whole.gz"), std::ios::binary);
    std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    writeBytes(file("cut-images-idx3-ubyte.gz"), gz.substr(0, gz.size() / 2));
    r = registry().open(file("cut-images-idx3-ubyte.gz"), {});
    QVERIFY2(errorOf(r).startsWith(QString::fromStdString(file("cut-images-idx3-ubyte.gz") +
                                                          ": corrupt or truncated gzip data")),
             qPrintable(errorOf(r)));
}

void TestData::npyRoundTrip_data()
{
    QTest::addColumn<int>("dtype");
    QTest::addColumn<std::vector<int64_t>>("shape");
    for (DType t : {DType::Float32, DType::Float64, DType::Int8, DType::Int16, DType::Int32, DType::Int64, DType::UInt8,
                    DType::Bool})
        QTest::newRow(dtypeName(t)) << int(t) << std::vector<int64_t>{2, 3, 4};
    QTest::newRow("scalar") << int(DType::Float32) << std::vector<int64_t>{};
    QTest::newRow("1-D") << int(DType::Int64) << std::vector<int64_t>{5};
    QTest::newRow("empty") << int(DType::Float32) << std::vector<int64_t>{0, 3};
}

void TestData::npyRoundTrip()
{
    QFETCH(int, dtype);
    QFETCH(std::vector<int64_t>, shape);
    Tensor t(DType(dtype), shape);
    for (size_t i = 0; i < t.byteSize(); ++i)
        t.bytes()[i] = uint8_t(DType(dtype) == DType::Bool ? i % 2 : i * 37 + 11);
    QVERIFY(writeNpy(file("t.npy"), t).ok());
    const Tensor back = readNpy(file("t.npy")).take();
    QCOMPARE(int(back.dtype()), dtype);
    QCOMPARE(back.shape(), shape);
    QVERIFY(back.bytes() == t.bytes());
}

void TestData::npyHeaderLayout()
{
    const std::string bytes = encodeNpy(Tensor::fromFloats({2, 3}, {1, 2, 3, 4, 5, 6}));
    QCOMPARE(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const size_t headerLen = uint8_t(bytes[8]) | size_t(uint8_t(bytes[9])) << 8;
    QCOMPARE((10 + headerLen) % 64, size_t(0));
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    QCOMPARE(bytes.substr(10, dict.size()), dict);
    QCOMPARE(bytes[10 + headerLen - 1], '\n');
    QCOMPARE(bytes.size(), 10 + headerLen + 24);
    const std::string dict1 = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    QCOMPARE(encodeNpy(Tensor::fromInt64s({3}, {1, 2, 3})).substr(10, dict1.size()), dict1);
}

void TestData::npyErrors_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad magic") << QByteArray("NUMPY!") << QString(": not an NPY file (bad magic)");
    QTest::newRow("wrong header") << QByteArray("{'descr': '<f4' 'shape': (2,), }")
                                  << QString(": malformed NPY header (expected ',' or '}' at offset 16)");
    QTest::newRow("no shape") << QByteArray("{'descr': '<f4', 'fortran_order': False, }")
                              << QString(": malformed NPY header (no 'shape')");
    QTest::newRow("complex dtype")
        << QByteArray("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }")
        << QString(": unsupported NPY dtype '<c8' (float16/32/64, int8/16/32/64, uint8/16/32/64 and bool are supported)");
    QTest::newRow("string dtype")
        << QByteArray("{'descr': '<U4', 'fortran_order': False, 'shape': (2,), }")
        << QString(": unsupported NPY dtype '<U4' (float16/32/64, int8/16/32/64, uint8/16/32/64 and bool are supported)");
    QTest::newRow("fortran") << QByteArray("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }")
                             << QString(": Fortran-order NPY arrays are not supported (save in C order)");
    QTest::newRow("truncated") << QByteArray("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")
                               << QString(": NPY data is truncated (shape [2,3] needs 24 bytes, file holds 8)");
}

void TestData::npyErrors()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, message);
    std::string bytes;
    if (header.startsWith('{')) {
        const std::string h = header.toStdString() + "\n";
        bytes = std::string("\x93NUMPY\x01\x00", 8) + char(h.size() & 0xff) + char(h.size() >> 8) + h +
                std::string(8, '\0');
    } else {
        bytes = header.toStdString() + std::string(20, '\0');
    }
    writeBytes(file("bad.npy"), bytes);
    const auto r = readNpy(file("bad.npy"));
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message), QString::fromStdString(file("bad.npy")) + message);
}

void TestData::npyBigEndian()
{
    const std::string h = "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }\n";
    writeBytes(file("be.npy"), std::string("\x93NUMPY\x01\x00", 8) + char(h.size()) + char(0) + h +
                                   std::string("\x00\x00\x01\x02\xff\xff\xff\xfe", 8));
    const Tensor t = readNpy(file("be.npy")).take();
    QCOMPARE(t.dtype(), DType::Int32);
    QCOMPARE(t.toInt64s(), (std::vector<int64_t>{258, -2}));
}

void TestData::npyDataset()
{
    std::vector<float> values(4 * 2 * 2);
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = float(i) * 0.5f;
    QVERIFY(writeNpy(file("x.npy"), Tensor::fromFloats({4, 2, 2}, values)).ok());
    QVERIFY(writeNpy(file("y.npy"), Tensor::fromInt64s({4}, {5, 6, 7, 8})).ok());
    auto plain = registry().open(file("x.npy"), {}).take();
    QCOMPARE(plain->kind(), std::string("npy"));
    QCOMPARE(plain->size(), int64_t(4));
    QCOMPARE(plain->record(0).label, int64_t(-1));
    DatasetOptions o;
    o.labels = file("y.npy");
    auto ds = registry().open(file("x.npy"), o).take();
    const Record r = ds->record(2);
    QCOMPARE(r.label, int64_t(7));
    QCOMPARE(r.tensor.shape(), (std::vector<int64_t>{2, 2}));
    QCOMPARE(r.tensor.toFloats(), (std::vector<float>{4.f, 4.5f, 5.f, 5.5f}));
    // Tensor records pass through preprocessing unchanged.
    QCOMPARE(applyPreprocess(r, Preprocess{}).toFloats(), r.tensor.toFloats());

    QVERIFY(writeNpy(file("y3.npy"), Tensor::fromInt64s({3}, {1, 2, 3})).ok());
    o.labels = file("y3.npy");
    QCOMPARE(errorOf(registry().open(file("x.npy"), o)),
             QString::fromStdString(file("x.npy") + ": 4 records but " + file("y3.npy") + " holds 3 labels"));
    o.labels = file("x.npy");
    QCOMPARE(errorOf(registry().open(file("x.npy"), o)),
             QString::fromStdString(file("x.npy") + ": labels must be integers, found float32"));
}

void TestData::registryErrors()
{
    QCOMPARE(errorOf(registry().open(file("missing.bin"), {})),
             QString::fromStdString(file("missing.bin") + ": no such file or folder"));
    writeBytes(file("notes.txt"), "hello");
    QCOMPARE(errorOf(registry().open(file("notes.txt"), {})),
             QString::fromStdString(file("notes.txt") + ": not a recognised data set (known kinds: npy, idx, cifar)"));
    QCOMPARE(errorOf(registry().openAs("hdf5", file("notes.txt"), {})), QString("unknown data-set kind 'hdf5'"));
}

static Image grayImage(int w, int h, std::vector<uint8_t> pixels)
{
    Image im;
    im.width = w;
    im.height = h;
    im.channels = 1;
    im.pixels = std::move(pixels);
    return im;
}

// Expected values worked out by hand from Pillow's algorithm (and confirmed with Pillow 9.4):
// - [0 100 200 255] -> width 2: scale 2, so the triangle's support is 2 source pixels and its
//   argument is halved. Output 0 has center 1.0, taps x=0..2 with weights tri(-.25), tri(.25),
//   tri(.75) = .75, .75, .25 -> 3/7, 3/7, 1/7; fixed point (22 bits, +0.5 then floor):
//   (0*3 + 100*3 + 200*1) / 7 = 71.4 -> 71. Output 1: center 3.0, taps 1..3 with 1/7, 3/7, 3/7:
//   (100 + 600 + 765) / 7 = 209.3 -> 209. A plain two-tap bilinear would give 50 and 227.
// - [0 201] -> width 4: scale .5 (support 1). Centers .25, .75, 1.25, 1.75 give weights (1), (.75, .25),
//   (.25, .75), (1): 0, 50.25 -> 50, 150.75 -> 151, 201.
// - [[0 2] [0 0]] -> 4x4: the horizontal pass gives rows [0 .5 1.5 2] rounded to [0 1 2 2] and [0 0 0 0];
//   the vertical pass uses the same weights: row 1 = .75 * [0 1 2 2] = [0 .75 1.5 1.5] -> [0 1 2 2].
//   Without Pillow's 8-bit rounding between the passes row 1 would be .75 * [0 .5 1.5 2] -> [0 0 1 2].
// - Nearest [0 100 200 255] -> width 3: source floor((x + .5) * 4 / 3) = 0, 2, 3.
void TestData::pilResizeHandComputed()
{
    QCOMPARE(resizeImage(grayImage(4, 1, {0, 100, 200, 255}), 2, 1, Interpolation::Bilinear).pixels,
             (std::vector<uint8_t>{71, 209}));
    QCOMPARE(resizeImage(grayImage(2, 1, {0, 201}), 4, 1, Interpolation::Bilinear).pixels,
             (std::vector<uint8_t>{0, 50, 151, 201}));
    QCOMPARE(resizeImage(grayImage(2, 2, {0, 2, 0, 0}), 4, 4, Interpolation::Bilinear).pixels,
             (std::vector<uint8_t>{0, 1, 2, 2, 0, 1, 2, 2, 0, 0, 1, 1, 0, 0, 0, 0}));
    QCOMPARE(resizeImage(grayImage(4, 1, {0, 100, 200, 255}), 3, 1, Interpolation::Nearest).pixels,
             (std::vector<uint8_t>{0, 200, 255}));
    // Crop outside the image fills zeros, like PIL's Image.crop.
    QCOMPARE(cropImage(grayImage(2, 2, {1, 2, 3, 4}), -1, 0, 3, 2).pixels, (std::vector<uint8_t>{0, 1, 2, 0, 3, 4}));
}

void TestData::preprocessParse()
{
    const Preprocess p = parsePreprocess(R"({"file": "m.onnx", "preprocess": {"resize_shorter_side": 256,
        "interpolation": "bilinear", "center_crop": 224, "scale": 0.00784313725490196, "offset": -1.0,
        "formula": "x/127.5 - 1"}})")
                             .take();
    QCOMPARE(p.resizeShorterSide, 256);
    QCOMPARE(p.centerCrop, 224);
    QCOMPARE(p.interpolation, std::string("bilinear"));
    QCOMPARE(p.scale, 0.00784313725490196f);
    QCOMPARE(p.offset, -1.f);
    QVERIFY(p.mean.empty());
    writeBytes(file("pre.json"), R"({"scale": 0.5, "mean": [1, 2, 3], "std": [0.5, 0.25, 2]})");
    const Preprocess q = parsePreprocess(file("pre.json")).take();
    QCOMPARE(q.mean, (std::vector<float>{1, 2, 3}));
    QCOMPARE(q.std, (std::vector<float>{0.5f, 0.25f, 2}));
    QCOMPARE(q.resizeShorterSide, 0);
}

void TestData::preprocessErrors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << R"({"scael": 1})"
                                 << "preprocess: unknown key 'scael' (known: resize_shorter_side, interpolation, "
                                    "center_crop, scale, offset, mean, std)";
    QTest::newRow("negative crop") << R"({"center_crop": -3})"
                                   << "preprocess: 'center_crop' must be an integer from 0 to 65536, got -3";
    QTest::newRow("float size") << R"({"resize_shorter_side": 25.5})"
                                << "preprocess: 'resize_shorter_side' must be an integer from 0 to 65536, got 25.5";
    QTest::newRow("interpolation") << R"({"interpolation": "bicubic"})"
                                   << "preprocess: 'interpolation' must be \"bilinear\" or \"nearest\", got \"bicubic\"";
    QTest::newRow("scale string") << R"({"scale": "1/255"})"
                                  << "preprocess: 'scale' must be a finite number, got \"1/255\"";
    QTest::newRow("zero std") << R"({"std": [1, 0, 1]})"
                              << "preprocess: 'std' must be an array of positive numbers, got [1,0,1]";
    QTest::newRow("mean vs std") << R"({"mean": [1, 2], "std": [1, 2, 3]})"
                                 << "preprocess: 'mean' has 2 values but 'std' has 3";
    QTest::newRow("not an object") << R"({"preprocess": 3})" << "preprocess: preprocessing must be a JSON object, got 3";
}

void TestData::preprocessErrors()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    const auto r = parsePreprocess(json.toStdString());
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message), message);
    const auto missing = parsePreprocess(file("none.json"));
    QCOMPARE(QString::fromStdString(missing.error().message), QString::fromStdString(file("none.json") + ": no such file"));
    writeBytes(file("broken.json"), "{\"scale\": ");
    QVERIFY(parsePreprocess(file("broken.json")).error().message.rfind(file("broken.json") + ": invalid JSON (", 0) == 0);
}

void TestData::preprocessValues()
{
    // 4x2 RGB image, resized (shorter side 1 -> 2x1), no crop; then (x / 255 - mean) / std.
    Record r;
    r.image.width = 4;
    r.image.height = 2;
    r.image.channels = 3;
    r.image.pixels.assign(4 * 2 * 3, 0);
    for (size_t i = 0; i < r.image.pixels.size(); ++i)
        r.image.pixels[i] = uint8_t(i * 10);
    Preprocess p = parsePreprocess(R"({"scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406],
                                      "std": [0.229, 0.224, 0.225]})")
                       .take();
    Tensor t = applyPreprocess(r, p);
    QCOMPARE(t.shape(), (std::vector<int64_t>{3, 2, 4}));
    // Channel 1 (G) of pixel (row 1, column 2): byte index (1 * 4 + 2) * 3 + 1 = 19 -> value 190.
    const float expected = (190.f / 255.f - 0.456f) / 0.224f;
    QCOMPARE(t.dataAs<float>()[1 * 8 + 1 * 4 + 2], expected);

    p.resizeShorterSide = 1;
    t = applyPreprocess(r, p);
    QCOMPARE(t.shape(), (std::vector<int64_t>{3, 1, 2}));
    // Center crop larger than the image pads with zeros -> (0 - mean) / std.
    p.resizeShorterSide = 0;
    p.centerCrop = 4;
    t = applyPreprocess(r, p);
    QCOMPARE(t.shape(), (std::vector<int64_t>{3, 4, 4}));
    QCOMPARE(t.dataAs<float>()[0], (0.f - 0.485f) / 0.229f);
    // Row 1, column 1 of the crop is pixel (0, 1) of the image: red 30.
    QCOMPARE(t.dataAs<float>()[5], (30.f / 255.f - 0.485f) / 0.229f);

    Record gray;
    gray.image = grayImage(1, 1, {255});
    QVERIFY_THROWS_EXCEPTION(Exception, applyPreprocess(gray, p));
}

void TestData::batchLoading()
{
    writeBytes(file("c.bin"), cifarBytes(5));
    auto ds = registry().open(file("c.bin"), {}).take();
    const Preprocess p = parsePreprocess(R"({"scale": 0.00392156862745098})").take();
    const Batch b = loadBatch(*ds, p, 1, 10, 2).take();
    QCOMPARE(b.input.shape(), (std::vector<int64_t>{4, 3, 32, 32}));
    QCOMPARE(b.labels, (std::vector<int64_t>{1, 2, 3, 4}));
    // Record 3, green plane, pixel 0: (3 + 50) / 255.
    QCOMPARE(b.input.dataAs<float>()[2 * 3072 + 1024], 53.f / 255.f);
    QCOMPARE(loadBatch(*ds, p, 6, 1).error().message,
             file("c.bin") + ": cannot load 1 records from index 6 of 5");
}

void TestData::batchFailureNamesRecord()
{
    writeBytes(file("c.bin"), cifarBytes(4));
    auto ds = registry().open(file("c.bin"), {}).take();
    std::filesystem::resize_file(file("c.bin"), 3073 * 2 + 100);
    const auto r = loadBatch(*ds, Preprocess{}, 0, 4, 3);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message),
             QString::fromStdString(file("c.bin") + ": record 2: file is truncated (wanted 3073 bytes at offset 6146)"));
}

void TestData::topK()
{
    // 4 samples x 6 classes. Sample 0: label is the max (top-1 and top-5 hit). Sample 1: label ranks 3rd.
    // Sample 2: label ranks 6th (miss). Sample 3: tie with class 0 -> class 0 ranks first, label 2nd.
    const Tensor logits = Tensor::fromFloats({4, 6}, {
                                                         0.1f, 0.9f, 0.2f, 0.3f, 0.0f, 0.5f, //
                                                         5, 4, 3, 2, 1, 0,                  //
                                                         1, 2, 3, 4, 5, 0,                  //
                                                         7, 0, 0, 7, 1, 1,                  //
                                                     });
    TopKAccuracy acc;
    acc.add(logits, {1, 2, 5, 3});
    QCOMPARE(acc.samples(), int64_t(4));
    QCOMPARE(acc.top1Hits(), int64_t(1));
    QCOMPARE(acc.top5Hits(), int64_t(3));
    acc.add(Tensor::fromFloats({2, 6}, {0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}), {5, -1});
    QCOMPARE(acc.samples(), int64_t(5)); // the unlabelled sample is skipped
    QCOMPARE(acc.top1(), 2.0 / 5.0);
    QCOMPARE(acc.top5(), 4.0 / 5.0);
    QVERIFY_THROWS_EXCEPTION(Exception, acc.add(logits, {1, 2, 6, 0}));
    QVERIFY_THROWS_EXCEPTION(Exception, acc.add(logits, {1, 2}));
}

QTEST_APPLESS_MAIN(TestData)
#include "tst_data.moc"
