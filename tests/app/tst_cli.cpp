// quantscope-cli's contract on bad input: one "error:" line on stderr naming the file and the
// cause, exit status 1 (2 for usage errors), and no output file left behind. Bad models are built
// here as ModelProtos, so each case states exactly what is wrong with it.

#include "testutil.h"

#include "core/tensor.h"
#include "data/npy.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"
#include "runtime/executor.h"

#include <onnx/onnx_pb.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <set>

using namespace qs;

namespace {

QString cliPath() { return test::binaryDir() + QStringLiteral("/bin/quantscope-cli"); }

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult runCli(const QStringList &args)
{
    QProcess p;
    p.start(cliPath(), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

onnx::ValueInfoProto floatValue(const std::string &name, std::vector<int64_t> dims)
{
    onnx::ValueInfoProto v;
    v.set_name(name);
    auto *t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
        t->mutable_shape()->add_dim()->set_dim_value(d);
    return v;
}

// x[1,4] -> op -> y[1,4], opset 13, with the node's second input `w` an initializer when given.
onnx::ModelProto oneNodeModel(const std::string &op, std::vector<std::string> inputs)
{
    onnx::ModelProto m;
    m.set_ir_version(8);
    auto *opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    auto *g = m.mutable_graph();
    g->set_name("g");
    *g->add_input() = floatValue("x", {1, 4});
    *g->add_output() = floatValue("y", {1, 4});
    auto *n = g->add_node();
    n->set_name("n1");
    n->set_op_type(op);
    for (const auto &in : inputs)
        n->add_input(in);
    n->add_output("y");
    return m;
}

onnx::TensorProto floatInitializer(const std::string &name, std::vector<int64_t> dims, int count)
{
    onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
        t.add_dims(d);
    for (int i = 0; i < count; ++i)
        t.add_float_data(1.f);
    return t;
}

void writeModel(const QString &path, const onnx::ModelProto &m)
{
    std::string bytes;
    QVERIFY(m.SerializeToString(&bytes));
    writeBytes(path, QByteArray::fromStdString(bytes));
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void badInput_data();
    void badInput();
    void usageErrors_data();
    void usageErrors();
    void runWritesOutputs();
    void quantizeExports();

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath()));
    QVERIFY(m_dir.isValid());
    writeBytes(path("empty.onnx"), {});
    writeBytes(path("text.onnx"), "this is not a model\n");
    QFile demo(test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx"));
    QVERIFY(demo.open(QIODevice::ReadOnly));
    writeBytes(path("truncated.onnx"), demo.read(demo.size() / 3));

    writeModel(path("unsupported.onnx"), oneNodeModel("Det", {"x"}));
    {
        auto m = oneNodeModel("Add", {"x", "z"});
        auto *n = m.mutable_graph()->add_node();
        n->set_name("n2");
        n->set_op_type("Relu");
        n->add_input("y");
        n->add_output("z");
        writeModel(path("cycle.onnx"), m);
    }
    writeModel(path("dangling.onnx"), oneNodeModel("Add", {"x", "nowhere"}));
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatInitializer("w", {1, 4}, 3);
        writeModel(path("shortdata.onnx"), m);
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        auto t = floatInitializer("w", {1, 4}, 0);
        t.set_data_location(onnx::TensorProto::EXTERNAL);
        auto *kv = t.add_external_data();
        kv->set_key("location");
        kv->set_value("../weights.bin");
        *m.mutable_graph()->add_initializer() = t;
        writeModel(path("outside.onnx"), m);
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        auto t = floatInitializer("w", {1, 4}, 0);
        t.clear_dims();
        t.add_dims(1);
        t.add_dims(int64_t(1) << 40);
        t.set_raw_data(std::string(16, '\0'));
        *m.mutable_graph()->add_initializer() = t;
        writeModel(path("huge.onnx"), m);
    }
    QVERIFY(writeNpy(path("wrongshape.npy").toStdString(), Tensor(DType::Float32, {1, 1, 5, 5})).ok());
    QVERIFY(writeNpy(path("wrongdtype.npy").toStdString(), Tensor(DType::Int64, {1, 1, 28, 28})).ok());
    writeBytes(path("bad_cifar.bin"), QByteArray(3074, 'x'));
    writeBytes(path("cifar.bin"), QByteArray(2 * 3073, '\x01'));
    writeBytes(path("bad_config.json"), "{\"defualts\": {}}\n");
    // IDX header for 2 images of 28x28 and no pixel data.
    writeBytes(path("bad-images-idx3-ubyte"),
               QByteArray("\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c", 16));
}

void TestCli::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected"); // the stderr line, %D = the temporary folder
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    const QString out = QStringLiteral("%D/out");
    auto info = [](const QString &file) { return QStringList{"info", "%D/" + file}; };
    QTest::newRow("missing") << info("missing.onnx") << "error: %D/missing.onnx: no such file";
    QTest::newRow("empty") << info("empty.onnx") << "error: %D/empty.onnx: empty file";
    QTest::newRow("truncated") << info("truncated.onnx")
                               << "error: %D/truncated.onnx: not an ONNX model (protobuf parse failed)";
    QTest::newRow("not onnx") << info("text.onnx") << "error: %D/text.onnx: not an ONNX model (protobuf parse failed)";
    QTest::newRow("unsupported op")
        << QStringList{"run", "%D/unsupported.onnx", "--input", "x=%D/wrongshape.npy", "--output-dir", out}
        << "error: %D/unsupported.onnx: unsupported operator 'Det' (node 'n1')";
    QTest::newRow("cycle") << info("cycle.onnx") << "error: %D/cycle.onnx: the graph has a cycle through Add 'n1'";
    QTest::newRow("dangling") << info("dangling.onnx") << "error: %D/dangling.onnx: input 'nowhere' of Add 'n1' is not produced by any node and is "
                                    "not a graph input or initializer";
    QTest::newRow("short data") << info("shortdata.onnx") << "error: %D/shortdata.onnx: initializer 'w' declares shape [1,4] (4 elements) but holds 3";
    QTest::newRow("outside folder") << info("outside.onnx") << "error: %D/outside.onnx: external data '../weights.bin' of initializer 'w' lies outside the "
                                          "model's folder";
    QTest::newRow("huge tensor") << info("huge.onnx") << "error: %D/huge.onnx: initializer 'w' needs 4398046511104 bytes, more than the limit of "
                                       "4294967296 bytes";
    QTest::newRow("npy shape") << QStringList{"run", demo, "--input", "input=%D/wrongshape.npy", "--output-dir", out}
                               << "error: %D/wrongshape.npy: shape [1,1,5,5] does not match input 'input' of shape "
                                  "[-1,1,28,28] (-1 = any)";
    QTest::newRow("npy dtype") << QStringList{"run", demo, "--input", "input=%D/wrongdtype.npy", "--output-dir", out}
                               << "error: %D/wrongdtype.npy: dtype int64 does not match input 'input' of dtype float32";
    QTest::newRow("cifar") << QStringList{"eval", demo, "--data", "%D/bad_cifar.bin"} << "error: %D/bad_cifar.bin: CIFAR-10 file size 3074 is not a multiple of 3073 bytes";
    const QStringList quantize = {"quantize", demo, "--data", "%D/cifar.bin", "--calib-samples", "2", "--export", out};
    QTest::newRow("quantize bad config") << (quantize + QStringList{"--config", "%D/bad_config.json"})
                                         << "error: %D/bad_config.json: unknown key 'defualts' at top level";
    QTest::newRow("quantize bitwidth") << (quantize + QStringList{"--param-bw", "1"})
                                       << "error: --param-bw 1: unsupported bitwidth (2 to 16 bits)";
    QTest::newRow("quantize data shape")
        << quantize << "error: %D/cifar.bin: input 'input' has shape [2,3,32,32], the model expects [N,1,28,28]";
    // --session must reach the command (a Qt application would otherwise take it as its own option).
    QTest::newRow("render session")
        << QStringList{"render", demo, "--chart", "weight-ranges", "--session", "%D/text.onnx", "--out", out + "/w.png"}
        << "error: %D/text.onnx: not valid JSON";
    QTest::newRow("idx") << QStringList{"eval", demo, "--data", "%D/bad-images-idx3-ubyte"}
                         << "error: %D/bad-images-idx3-ubyte: IDX data is truncated (dims [2,28,28] need 1568 "
                            "bytes, file holds 0)";
}

void TestCli::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    for (QString &a : args)
        a.replace(QStringLiteral("%D"), m_dir.path());
    expected.replace(QStringLiteral("%D"), m_dir.path());
    const CliResult r = runCli(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.endsWith(QLatin1Char('\n')) && r.err.count(QLatin1Char('\n')) == 1, qPrintable(r.err));
    const QString line = r.err.trimmed();
    qInfo("%s", qPrintable(line));
    QCOMPARE(line, expected);
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(path("out")));
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no command") << QStringList{} << QString();
    QTest::newRow("unknown command") << QStringList{"frobnicate"}
                                     << "error: unknown command 'frobnicate' (see quantscope-cli --help)";
    QTest::newRow("unknown option") << QStringList{"info", "m.onnx", "--colour"}
                                    << "error: unknown option --colour (see quantscope-cli --help)";
    QTest::newRow("bad number") << QStringList{"bench", "m.onnx", "--batch", "zero"}
                                << "error: option --batch needs a whole number from 1 to 4096, got 'zero' (see "
                                   "quantscope-cli --help)";
    QTest::newRow("missing data") << QStringList{"eval", "m.onnx"} << "error: missing --data PATH (see quantscope-cli --help)";
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const CliResult r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    if (!expected.isEmpty())
        QCOMPARE(r.err.trimmed(), expected);
}

void TestCli::runWritesOutputs()
{
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    Tensor x(DType::Float32, {2, 1, 28, 28});
    QVERIFY(writeNpy(path("x.npy").toStdString(), x).ok());
    const CliResult r = runCli({"run", demo, "--input", "input=" + path("x.npy"), "--output-dir", path("all"),
                                "--all-tensors"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    const QStringList files = QDir(path("all")).entryList(QDir::Files, QDir::Name);
    // Graph input and 24 node outputs (7 x Conv, BatchNormalization, Clip; pool, flatten, logits).
    QCOMPARE(files.size(), 25);
    QVERIFY(files.contains(QStringLiteral("logits.npy")));
    QVERIFY(files.contains(QStringLiteral("dw2_bn_out.npy")));
    const Tensor logits = readNpy(path("all/logits.npy").toStdString()).take();
    QCOMPARE(logits.shape(), (std::vector<int64_t>{2, 10}));
}

void TestCli::quantizeExports()
{
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    Tensor x(DType::Float32, {16, 1, 28, 28});
    for (int64_t i = 0; i < x.numel(); ++i)
        x.dataAs<float>()[i] = float((i * 7919) % 256) / 255.f;
    std::vector<int64_t> labels(16);
    for (int i = 0; i < 16; ++i)
        labels[size_t(i)] = i % 10;
    QVERIFY(writeNpy(path("qx.npy").toStdString(), x).ok());
    QVERIFY(writeNpy(path("qy.npy").toStdString(), Tensor::fromInt64s({16}, labels)).ok());
    const CliResult r = runCli({"quantize", demo, "--data", path("qx.npy"), "--labels", path("qy.npy"),
                                "--calib-samples", "8", "--export", path("qexport"), "--encodings-version", "1.0.0",
                                "--json"});
    QCOMPARE(r.exitCode, 0);
    const std::string dir = path("qexport").toStdString();
    const Graph exported = importOnnx(dir + "/fashion_mnist_cnn.onnx").take();
    const Graph qdq = importOnnx(dir + "/fashion_mnist_cnn_qdq.onnx").take();
    QuantizerArgs args;
    const auto encodings = readEncodingsFile(dir + "/fashion_mnist_cnn.encodings", args).take();
    QCOMPARE(args.paramBitwidth, 8);
    // Default config on the demo (BatchNorm not folded): activations = input, 7 x (conv, bn, clip)
    // outputs, pool, logits; params = 7 conv weights, 7 BN scales (AIMET quantizes them as
    // weights), fc weight.
    QCOMPARE(int(encodings.size()), (1 + 21 + 2) + (7 + 7 + 1));
    std::set<std::string> tensors;
    for (const auto &kv : exported.initializers)
        tensors.insert(kv.first);
    for (const auto &in : exported.inputs)
        tensors.insert(in.name);
    for (const auto &n : exported.nodes)
        for (const auto &o : n.outputs)
            tensors.insert(o);
    for (const auto &e : encodings)
        QVERIFY2(tensors.count(e.tensor), e.tensor.c_str());
    const auto hist = qdq.opHistogram();
    QCOMPARE(hist.at("QuantizeLinear"), 24);
    QCOMPARE(hist.at("DequantizeLinear"), 24 + 15);
    auto exec = Executor::create(qdq).take();
    const TensorMap out = exec->run({{"input", x}}).take();
    QCOMPARE(out.at("logits").shape(), (std::vector<int64_t>{16, 10}));
}

QTEST_APPLESS_MAIN(TestCli)
#include "tst_cli.moc"
