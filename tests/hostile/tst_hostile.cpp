// Hostile inputs through quantscope-cli, in the spirit of Netron's test corpus: every file is built
// here, and every case states the exact one-line error, exit status 1 and that no output was
// written. Model cases go through info, run, quantize --export and equalize --out alike (the model
// is read first, so each command reports the same line). tests/app/tst_cli.cpp holds the basic
// cases (empty, truncated, cycle, dangling input, short data, '..', huge initializer); this file
// adds the rest of the corpus.

#include "hostilemodels.h"
#include "testutil.h"

#include "core/tensor.h"
#include "data/npy.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace qs;
using namespace qs::hostile;

namespace {

QString cliPath() { return test::binaryDir() + QStringLiteral("/bin/quantscope-cli"); }

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

CliResult runCli(const QStringList &args, const QStringList &env = {})
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    p.start(cliPath(), args);
    if (!p.waitForFinished(120000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QByteArray randomBytes(int n, unsigned seed)
{
    std::mt19937 rng(seed);
    QByteArray b(n, '\0');
    for (char &c : b)
        c = char(rng() & 0xff);
    return b;
}

QByteArray npyBytes(const Tensor &t) { return QByteArray::fromStdString(encodeNpy(t)); }

QStringList command(const QString &which, const QString &model)
{
    if (which == QLatin1String("info"))
        return {"info", model};
    if (which == QLatin1String("run"))
        return {"run", model, "--input", "x=%D/x.npy", "--output-dir", "%D/out"};
    if (which == QLatin1String("quantize"))
        return {"quantize", model, "--data", "%D/data.npy", "--calib-samples", "2", "--export", "%D/out"};
    return {"equalize", model, "--out", "%D/out.onnx"};
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void models_data();
    void models();
    void inputs_data();
    void inputs();
    void nonFiniteWeightsWarn();
    void memoryLimitFromEnvironment();

private:
    void writeModels();
    void writeDataFiles();
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void check(QStringList args, QString expected, const QStringList &env = {});
    QTemporaryDir m_dir;
};

void TestHostile::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath()));
    QVERIFY(m_dir.isValid());
    writeModels();
    writeDataFiles();
}

void TestHostile::writeModels()
{
    const QByteArray png("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00", 33);
    QVERIFY(writeFile(path("random.onnx"), randomBytes(4096, 9)));
    QVERIFY(writeFile(path("image.onnx"), png));
    QVERIFY(writeFile(path("config.onnx"), "{\"defaults\": {}}\n"));
    QVERIFY(writeFile(path("tensor.onnx"), QByteArray::fromStdString(floatTensor("t", {2}, {1, 2}).SerializeAsString())));
    QVERIFY(writeFile(path("nested.onnx"), serialize(deeplyNestedModel(200))));
    QVERIFY(writeFile(path("folder.onnx/keep"), QByteArray()) || QDir(m_dir.path()).mkpath("folder.onnx"));
    {
        auto m = oneNodeModel("Relu", {"x"});
        *m.mutable_graph()->mutable_input(0) = floatValue("x", {1, int64_t(1) << 20, int64_t(1) << 20});
        *m.mutable_graph()->mutable_output(0) = floatValue("y", {1, int64_t(1) << 20, int64_t(1) << 20});
        QVERIFY(writeFile(path("activations.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        auto t = floatTensor("w", {1, 4}, {});
        t.set_raw_data(std::string(20, '\0'));
        *m.mutable_graph()->add_initializer() = t;
        QVERIFY(writeFile(path("longdata.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {-1, 4}, {1, 2, 3, 4});
        QVERIFY(writeFile(path("negdim.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Relu", {"x"});
        *m.mutable_graph()->mutable_input(0) = floatValue("x", {1, -3});
        QVERIFY(writeFile(path("neginput.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {0, 4}, {});
        QVERIFY(writeFile(path("zerodim.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "y"}); // reads its own output
        QVERIFY(writeFile(path("selfloop.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Relu", {"x"});
        m.mutable_graph()->mutable_node(0)->set_output(0, "z"); // nothing produces the output y
        QVERIFY(writeFile(path("nooutput.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {1, 4}, {1, 2, 3, 4});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {1, 4}, {5, 6, 7, 8});
        QVERIFY(writeFile(path("dupinit.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Relu", {"x"});
        auto *n = m.mutable_graph()->add_node();
        n->set_name("n2");
        n->set_op_type("Neg");
        n->add_input("x");
        n->add_output("y");
        QVERIFY(writeFile(path("dupoutput.onnx"), serialize(m)));
    }
    QVERIFY(writeFile(path("absolute.onnx"), serialize(externalModel(path("weights.bin").toStdString()))));
    QVERIFY(writeFile(path("weights.bin"), QByteArray(16, '\0')));
    QVERIFY(QDir(m_dir.path()).mkpath("inner"));
    QVERIFY(writeFile(path("inner/sneaky.onnx"), serialize(externalModel("sub/../../weights.bin"))));
    QVERIFY(QFile::link(path("weights.bin"), path("inner/link.bin")));
    QVERIFY(writeFile(path("inner/symlink.onnx"), serialize(externalModel("link.bin"))));
    QVERIFY(writeFile(path("inner/missing.onnx"), serialize(externalModel("nothere.bin"))));
    QVERIFY(writeFile(path("inner/short.bin"), QByteArray(8, '\0')));
    QVERIFY(writeFile(path("inner/shortext.onnx"), serialize(externalModel("short.bin"))));
    QVERIFY(writeFile(path("opset18.onnx"), serialize(oneNodeModel("Relu", {"x"}, 18))));
    {
        auto m = oneNodeModel("Relu", {"x"});
        m.mutable_opset_import(0)->set_domain("com.example");
        QVERIFY(writeFile(path("noopset.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Frobnicate", {"x"});
        m.mutable_graph()->mutable_node(0)->set_domain("com.example");
        auto *o = m.add_opset_import();
        o->set_domain("com.example");
        o->set_version(1);
        QVERIFY(writeFile(path("customop.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Conv", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {1, 1, 1, 1}, {1});
        *m.mutable_graph()->mutable_input(0) = floatValue("x", {1, 1, 4});
        *m.mutable_graph()->mutable_output(0) = floatValue("y", {1, 1, 4});
        QVERIFY(writeFile(path("convrank.onnx"), serialize(m)));
    }
    {
        auto m = oneNodeModel("Add", {"x", "w"});
        *m.mutable_graph()->add_initializer() = floatTensor("w", {1, 4}, {1, std::nanf(""), INFINITY, -INFINITY});
        QVERIFY(writeFile(path("nan.onnx"), serialize(m)));
    }
}

void TestHostile::writeDataFiles()
{
    QVERIFY(writeFile(path("x.npy"), npyBytes(Tensor(DType::Float32, {1, 4}))));
    QVERIFY(writeFile(path("data.npy"), npyBytes(Tensor(DType::Float32, {4, 1, 28, 28}))));
    QVERIFY(writeFile(path("labels3.npy"), npyBytes(Tensor(DType::Int64, {3}))));
    const QByteArray full = npyBytes(Tensor(DType::Float32, {4, 1, 28, 28}));
    QVERIFY(writeFile(path("truncated.npy"), full.left(full.size() - 100)));
    QByteArray huge = npyBytes(Tensor(DType::Float32, {4, 1, 28, 28}));
    huge.replace("(4, 1, 28, 28)", "(99999999999, 1, 28, 28)");
    QVERIFY(writeFile(path("huge.npy"), huge));
    QByteArray overflow = npyBytes(Tensor(DType::Float32, {4, 1, 28, 28}));
    overflow.replace("(4, 1, 28, 28)", "(999999999999999, 999999999999999, 28, 28)");
    QVERIFY(writeFile(path("overflow.npy"), overflow));
    QVERIFY(writeFile(path("empty.bin"), QByteArray()));
    QVERIFY(writeFile(path("gz-images-idx3-ubyte.gz"), QByteArray("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 17)));
    QVERIFY(writeFile(path("big-images-idx3-ubyte"),
                      QByteArray("\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 16)));
    QVERIFY(writeFile(path("truncated.json"), "{\"defaults\": {\"ops\": {\"is_output_quantized\": \"True\"}"));
    const QByteArray rest = ", \"params\": {}, \"op_type\": {}, \"supergroups\": [], \"model_input\": {}, "
                            "\"model_output\": {}}";
    QVERIFY(writeFile(path("wrongtype.json"), "{\"defaults\": 3" + rest));
    QVERIFY(writeFile(path("hugenumber.json"), "{\"defaults\": 1E999" + rest));
    QVERIFY(writeFile(path("deep.json"), "{\"defaults\": " + QByteArray(100000, '[') + QByteArray(100000, ']') + rest));
    QVERIFY(writeFile(path("notutf8.json"), "{\"defaults\": {\"ops\": {}}, \"op_type\": {\"\xff\xfe\": {}}}"));
}

void TestHostile::check(QStringList args, QString expected, const QStringList &env)
{
    for (QString &a : args)
        a.replace(QStringLiteral("%D"), m_dir.path());
    expected.replace(QStringLiteral("%D"), m_dir.path());
    const CliResult r = runCli(args, env);
    QVERIFY2(r.err.endsWith(QLatin1Char('\n')) && r.err.count(QLatin1Char('\n')) == 1, qPrintable(r.err));
    QCOMPARE(r.err.trimmed(), expected);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(path("out")));
    QVERIFY(!QFile::exists(path("out.onnx")));
}

void TestHostile::models_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expected"); // after "error: %D/<model>: "
    QTest::addColumn<QString>("commands");
    const QString all = QStringLiteral("info run quantize equalize");
    auto row = [&](const char *name, const char *model, const QString &expected, const QString &commands) {
        for (const QString &c : commands.split(QLatin1Char(' ')))
            QTest::newRow(qPrintable(QString::fromLatin1(name) + QLatin1Char('/') + c))
                << QString::fromLatin1(model) << expected << c;
    };
    const QString parse = QStringLiteral("not an ONNX model (protobuf parse failed)");
    row("random bytes", "random.onnx", parse, all);
    row("png", "image.onnx", parse, all);
    row("json", "config.onnx", parse, all);
    row("tensor proto", "tensor.onnx", parse, all);
    row("nested too deep", "nested.onnx", parse, all);
    row("folder", "folder.onnx", "is a directory, not a file", all);
    row("activations beyond memory", "activations.onnx",
        "the initializers (0 bytes) and the activations of one sample (8796093022208 bytes) need 8796093022208 "
        "bytes, more than the limit of 4294967296 bytes", all);
    row("more data than declared", "longdata.onnx", "initializer 'w' declares shape [1,4] (4 elements) but holds 5", all);
    row("negative initializer dim", "negdim.onnx", "initializer 'w' has negative dimension -1 in shape [-1,4]", all);
    row("negative input dim", "neginput.onnx", "graph input 'x' has negative dimension -3 in its shape", all);
    row("zero dim", "zerodim.onnx",
        "shape inference failed: [ShapeInferenceError] (op_type:Add, node name: n1): [ShapeInferenceError] Inferred "
        "shape and existing shape differ in dimension 0: (0) vs (1)", all);
    row("self loop", "selfloop.onnx", "the graph has a cycle through Add 'n1'", all);
    row("output nothing produces", "nooutput.onnx", "graph output 'y' is not produced by any node", all);
    row("initializer twice", "dupinit.onnx", "initializer 'w' is defined twice", all);
    row("output twice", "dupoutput.onnx", "tensor 'y' is produced by two nodes (Relu 'n1' and Neg 'n2')", all);
    row("absolute external path", "absolute.onnx",
        "external data '%D/weights.bin' of initializer 'w' lies outside the model's folder", all);
    row("dot-dot inside path", "inner/sneaky.onnx",
        "external data 'sub/../../weights.bin' of initializer 'w' lies outside the model's folder", all);
    row("symlink outside", "inner/symlink.onnx",
        "external data 'link.bin' of initializer 'w' lies outside the model's folder", all);
    row("missing external file", "inner/missing.onnx", "external data 'nothere.bin' of initializer 'w': no such file",
        all);
    row("short external file", "inner/shortext.onnx",
        "initializer 'w' declares shape [1,4] (4 elements) but holds 2", all);
    row("opset 18", "opset18.onnx", "opset 18 of domain ai.onnx is not supported (1-17)", all);
    row("no ai.onnx opset", "noopset.onnx", "the model imports no opset of domain ai.onnx", all);
    row("custom domain op", "customop.onnx", "unsupported operator 'com.example.Frobnicate' (node 'n1')",
        QStringLiteral("run quantize"));
    row("conv rank mismatch", "convrank.onnx",
        "shape inference failed: Conv 'n1': input 'x' has rank 3 but 'w' has rank 4", all);
}

void TestHostile::models()
{
    QFETCH(QString, model);
    QFETCH(QString, expected);
    QFETCH(QString, commands);
    const QString file = QStringLiteral("%D/") + model;
    check(command(commands, file), QStringLiteral("error: ") + file + QStringLiteral(": ") + expected);
}

void TestHostile::inputs_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    const QStringList quantize = {"quantize", demo, "--calib-samples", "2", "--export", "%D/out"};
    auto data = [&](const QString &file) { return quantize + QStringList{"--data", "%D/" + file}; };
    QTest::newRow("npy truncated") << data("truncated.npy")
                                   << "error: %D/truncated.npy: NPY data is truncated (shape [4,1,28,28] needs 12544 "
                                      "bytes, file holds 12444)";
    QTest::newRow("npy beyond the file") << data("huge.npy")
                                         << "error: %D/huge.npy: NPY data is truncated (shape [99999999999,1,28,28] "
                                            "needs 313599999996864 bytes, file holds 12554)";
    QTest::newRow("npy shape overflows") << data("overflow.npy")
                                         << "error: %D/overflow.npy: NPY shape [999999999999999,999999999999999,28,28] "
                                            "is too large";
    QTest::newRow("labels count") << (data("data.npy") + QStringList{"--labels", "%D/labels3.npy"})
                                  << "error: %D/data.npy: 4 records but %D/labels3.npy holds 3 labels";
    QTest::newRow("empty cifar") << data("empty.bin")
                                 << "error: %D/empty.bin: CIFAR-10 file size 0 is not a multiple of 3073 bytes";
    QTest::newRow("corrupt gzip") << data("gz-images-idx3-ubyte.gz")
                                  << "error: %D/gz-images-idx3-ubyte.gz: not a recognised data set (known kinds: npy, idx, "
                                     "cifar, imagefolder)";
    QTest::newRow("idx beyond memory")
        << data("big-images-idx3-ubyte")
        << "error: %D/big-images-idx3-ubyte: IDX dims [4294967295,4294967295,4294967295] need more than 2^63 bytes, "
           "more than the limit of 4294967296 bytes";
    const QStringList withData = data("data.npy");
    QTest::newRow("config truncated") << (withData + QStringList{"--config", "%D/truncated.json"}) << "error: %D/truncated.json: not valid JSON (line 1, column 53: syntax error while parsing object - "
                                         "unexpected end of input; expected '}')";
    QTest::newRow("config wrong type") << (withData + QStringList{"--config", "%D/wrongtype.json"}) << "error: %D/wrongtype.json: defaults must be an object";
    QTest::newRow("config number overflow") << (withData + QStringList{"--config", "%D/hugenumber.json"})
                                            << "error: %D/hugenumber.json: not valid JSON (number overflow parsing '1E999')";
    QTest::newRow("config nested too deep") << (withData + QStringList{"--config", "%D/deep.json"})
                                            << "error: %D/deep.json: JSON nested deeper than 256 levels";
    QTest::newRow("config not utf-8") << (withData + QStringList{"--config", "%D/notutf8.json"}) << "error: %D/notutf8.json: not valid JSON (line 1, column 40: syntax error while parsing object key - "
                                         "invalid string: ill-formed UTF-8 byte; last read: '\"\uFFFD'; expected string literal)";
}

void TestHostile::inputs()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    check(args, expected);
}

void TestHostile::nonFiniteWeightsWarn()
{
    const QString model = path("nan.onnx");
    const QString warning = QStringLiteral("warning: ") + model +
                            QStringLiteral(": initializer 'w' holds 1 NaN and 2 infinite values\n");
    const CliResult info = runCli({"info", model});
    QCOMPARE(info.exitCode, 0);
    QCOMPARE(info.err, warning);
    QVERIFY(info.out.contains(QStringLiteral("Add")));
    const CliResult run = runCli({"run", model, "--input", "x=" + path("x.npy"), "--output-dir", path("nanout")});
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.err, warning);
    const Tensor y = readNpy(path("nanout/y.npy").toStdString()).take();
    QCOMPARE(y.dataAs<float>()[0], 1.f);
    QVERIFY(std::isnan(y.dataAs<float>()[1]));
    QVERIFY(std::isinf(y.dataAs<float>()[2]));
}

void TestHostile::memoryLimitFromEnvironment()
{
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    check({"info", demo},
          "error: " + demo + ": initializer 'pw2.weight' needs 8192 bytes, which brings the tensors to 19176 bytes, more "
                             "than the limit of 16384 bytes",
          {"QS_MEMORY_LIMIT=16K"});
    const CliResult bad = runCli({"info", demo}, {"QS_MEMORY_LIMIT=lots"});
    QCOMPARE(bad.exitCode, 2);
    QCOMPARE(bad.err, "error: " + demo + ": QS_MEMORY_LIMIT: 'lots' is not a size (a number of bytes, optionally "
                                     "followed by K, M or G)\n");
}

QTEST_APPLESS_MAIN(TestHostile)
#include "tst_hostile.moc"
