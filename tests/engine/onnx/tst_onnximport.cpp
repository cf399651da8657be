// ONNX import: every rejected model gives its exact one-line message; good models import with
// the right nodes, initializers and shapes (including shapes behind folded shape computations).

#include "onnxbuilder.h"

#include "onnx/onnximport.h"
#include "onnx/tensorproto.h"

#include <QTemporaryDir>
#include <QTest>

#include <climits>
#include <filesystem>

using namespace qs;
using namespace qs::test;

class TestOnnxImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fileErrors();
    void opsetRange_data();
    void opsetRange();
    void checkerRejects();
    void initializerSizes_data();
    void initializerSizes();
    void sizeLimits();
    void structureErrors_data();
    void structureErrors();
    void unsupportedContent_data();
    void unsupportedContent();
    void externalDataInsideFolder();
    void externalDataRejected_data();
    void externalDataRejected();
    void externalDataSymlinkOutside();
    void importsTinyModel();
    void sortsNodesAndDropsInitializerInputs();
    void keepsConstantNodes();
    void foldsShapeComputations();
    void readsTensorProtoFields();
    void readsOutline();

private:
    std::string importError(const onnx::ModelProto &m, const ImportOptions &options = {});
    QTemporaryDir m_dir;
};

std::string TestOnnxImport::importError(const onnx::ModelProto &m, const ImportOptions &options)
{
    const std::string path = writeModel(m_dir, "model.onnx", m);
    auto r = importOnnx(path, options);
    return r ? std::string("imported") : r.error().message;
}

void TestOnnxImport::fileErrors()
{
    const std::string missing = m_dir.path().toStdString() + "/missing.onnx";
    QCOMPARE(importOnnx(missing).error().message, missing + ": no such file");
    QCOMPARE(importOnnx(missing).error().code, ErrorCode::Io);
    const std::string empty = writeFile(m_dir, "empty.onnx", "");
    QCOMPARE(importOnnx(empty).error().message, empty + ": empty file");
    // A length-delimited field whose length runs past the end of the data.
    const std::string garbage = writeFile(m_dir, "garbage.onnx", std::string("\x0a\xff\xff\xff\x0f", 5) + "abc");
    QCOMPARE(importOnnx(garbage).error().message, garbage + ": not an ONNX model (protobuf parse failed)");
    QCOMPARE(importOnnx(garbage).error().code, ErrorCode::Format);
    auto fromBytes = importOnnxBytes("", "memory.onnx", "");
    QCOMPARE(fromBytes.error().message, std::string("memory.onnx: empty file"));
}

void TestOnnxImport::opsetRange_data()
{
    QTest::addColumn<int>("opset");
    QTest::addColumn<QString>("expected");
    QTest::newRow("8 (upgraded)") << 8 << "imported";
    QTest::newRow("18") << 18 << "opset 18 of domain ai.onnx is not supported (1-17)";
    QTest::newRow("9") << 9 << "imported";
    QTest::newRow("17") << 17 << "imported";
}

void TestOnnxImport::opsetRange()
{
    QFETCH(int, opset);
    QFETCH(QString, expected);
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    const std::string want = expected == "imported" ? "imported" : path + ": " + expected.toStdString();
    QCOMPARE(importError(tinyConvModel(opset)), want);
    if (want == "imported") // older models are upgraded to the oldest opset the executor runs
        QCOMPARE(importOnnx(path).value().opsetVersion, std::max<int64_t>(opset, kMinImportOpset));
}

void TestOnnxImport::checkerRejects()
{
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    onnx::ModelProto m = tinyConvModel();
    m.mutable_graph()->mutable_node(1)->set_op_type("NoSuchOp");
    QCOMPARE(importError(m), path + ": the ONNX checker rejected the model: No Op registered for NoSuchOp with "
                                    "domain_version of 13");
    m = tinyConvModel();
    m.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->clear_shape();
    QCOMPARE(importError(m), path + ": the ONNX checker rejected the model: Field 'shape' of 'type' is required "
                                    "but missing.");
    // Newer ONNX tools stamp IR version 10 on opset-13 models; libonnx 1.12 knows IR 8.
    m = tinyConvModel();
    m.set_ir_version(10);
    QCOMPARE(importError(m), std::string("imported"));
}

void TestOnnxImport::initializerSizes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("raw short") << 0 << "initializer 'W' declares shape [2,3,1,1] (6 elements) but holds 5";
    QTest::newRow("raw ragged") << 1 << "initializer 'W' declares shape [2,3,1,1] (6 elements) but holds 22 bytes";
    QTest::newRow("typed long") << 2 << "initializer 'W' declares shape [2,3,1,1] (6 elements) but holds 7";
    QTest::newRow("no data") << 3 << "initializer 'W' declares shape [2,3,1,1] (6 elements) but holds 0";
    QTest::newRow("negative dim") << 4 << "initializer 'W' has negative dimension -2 in shape [-2,3,1,1]";
    QTest::newRow("overflow") << 5
                              << "initializer 'W' declares shape [4611686018427387904,4] whose element count overflows";
}

void TestOnnxImport::initializerSizes()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    onnx::ModelProto m = tinyConvModel();
    onnx::TensorProto *w = m.mutable_graph()->mutable_initializer(0);
    switch (kind) {
    case 0: w->mutable_raw_data()->resize(20); break;
    case 1: w->mutable_raw_data()->resize(22); break;
    case 2:
        w->clear_raw_data();
        for (int i = 0; i < 7; ++i)
            w->add_float_data(float(i));
        break;
    case 3: w->clear_raw_data(); break;
    case 4: setDims(w, {-2, 3, 1, 1}); break;
    case 5: setDims(w, {int64_t(1) << 62, 4}); break;
    }
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    QCOMPARE(importError(m), path + ": " + expected.toStdString());
}

void TestOnnxImport::sizeLimits()
{
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    ImportOptions options;
    options.maxInitializerBytes = 16;
    QCOMPARE(importError(tinyConvModel(), options),
             path + ": initializer 'W' needs 24 bytes, more than the limit of 16 bytes");
    options.maxInitializerBytes = 30;
    QCOMPARE(importError(tinyConvModel(), options),
             path + ": initializer 'B' needs 8 bytes, which brings the tensors to 32 bytes, more than the limit of "
                    "30 bytes");
    options.maxInitializerBytes = 32;
    QCOMPARE(importError(tinyConvModel(), options), std::string("imported"));
    // A huge declared shape is refused from its dims alone, before any allocation.
    onnx::ModelProto m = tinyConvModel();
    setDims(m.mutable_graph()->mutable_initializer(0), {int64_t(1) << 20, int64_t(1) << 20});
    QCOMPARE(importError(m), path + ": initializer 'W' needs 4398046511104 bytes, more than the limit of "
                                    "4294967296 bytes");
}

void TestOnnxImport::structureErrors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cycle") << 0 << "the graph has a cycle through Relu 'relu'";
    QTest::newRow("dangling") << 1
                              << "input 'ghost' of Relu 'relu' is not produced by any node and is not a graph input "
                                 "or initializer";
    QTest::newRow("duplicate output") << 2 << "tensor 'Y' is produced by two nodes (Conv 'conv' and Relu 'relu')";
    QTest::newRow("duplicate initializer") << 3 << "initializer 'W' is defined twice";
    QTest::newRow("negative input dim") << 4 << "graph input 'X' has negative dimension -3 in its shape";
    QTest::newRow("missing output") << 5 << "graph output 'Q' is not produced by any node";
}

void TestOnnxImport::structureErrors()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    onnx::ModelProto m = tinyConvModel();
    onnx::GraphProto *g = m.mutable_graph();
    switch (kind) {
    case 0: // relu feeds conv's input through Add; conv feeds relu
        g->mutable_node(1)->set_input(0, "Y2");
        addNode(g, "Add", "add", {"Z", "Y"}, {"Y2"});
        break;
    case 1: g->mutable_node(1)->set_input(0, "ghost"); break;
    case 2: g->mutable_node(1)->set_output(0, "Y"); break;
    case 3: addFloats(g, "W", {1}, {1.f}); break;
    case 4: {
        auto *shape = g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
        shape->mutable_dim(1)->set_dim_value(-3);
        break;
    }
    case 5: g->mutable_output(0)->set_name("Q"); break;
    }
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    QCOMPARE(importError(m), path + ": " + expected.toStdString());
}

void TestOnnxImport::unsupportedContent_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("string initializer") << 0 << "initializer 'S' has unsupported element type string";
    QTest::newRow("complex128 initializer") << 1 << "initializer 'S' has unsupported element type complex128";
    QTest::newRow("complex initializer") << 2 << "initializer 'S' has unsupported element type complex64";
    QTest::newRow("string input") << 3 << "graph input 'X' has unsupported element type string";
    QTest::newRow("subgraph") << 4
                              << "If 'branch' has the subgraph attribute 'then_branch'; control flow with subgraphs "
                                 "(If, Loop, Scan) is not supported";
}

void TestOnnxImport::unsupportedContent()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    onnx::ModelProto m = tinyConvModel();
    onnx::GraphProto *g = m.mutable_graph();
    const int32_t types[] = {onnx::TensorProto::STRING, onnx::TensorProto::COMPLEX128, onnx::TensorProto::COMPLEX64};
    if (kind <= 2) {
        onnx::TensorProto *s = g->add_initializer();
        s->set_name("S");
        s->set_data_type(types[kind]);
        s->add_dims(1);
        if (kind == 0)
            s->add_string_data("text");
        else
            s->set_raw_data(std::string(kind == 1 ? 16 : 8, '\0'));
    } else if (kind == 3) {
        // Cast accepts strings, so only the importer objects.
        onnx::ModelProto c = emptyModel();
        setValueInfo(c.mutable_graph()->add_input(), "X", {2}, onnx::TensorProto::STRING);
        setValueInfo(c.mutable_graph()->add_output(), "Y", {2});
        addIntAttr(addNode(c.mutable_graph(), "Cast", "cast", {"X"}, {"Y"}), "to", onnx::TensorProto::FLOAT);
        m = c;
    } else {
        onnx::NodeProto *n = addNode(g, "If", "branch", {"cond"}, {"out"});
        for (const char *branch : {"then_branch", "else_branch"}) {
            auto *a = n->add_attribute();
            a->set_name(branch);
            a->set_type(onnx::AttributeProto::GRAPH);
            a->mutable_g()->set_name(branch);
        }
    }
    const std::string path = m_dir.path().toStdString() + "/model.onnx";
    QCOMPARE(importError(m), path + ": " + expected.toStdString());
    QCOMPARE(importOnnx(path).error().code, ErrorCode::Unsupported);
}

static void makeExternal(onnx::TensorProto *t, const std::string &location, int64_t offset, int64_t length)
{
    t->clear_raw_data();
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    auto add = [&](const std::string &k, const std::string &v) {
        auto *e = t->add_external_data();
        e->set_key(k);
        e->set_value(v);
    };
    add("location", location);
    if (offset >= 0)
        add("offset", std::to_string(offset));
    if (length >= 0)
        add("length", std::to_string(length));
}

void TestOnnxImport::externalDataInsideFolder()
{
    QTemporaryDir dir;
    QDir(dir.path()).mkdir("weights");
    const std::vector<float> w = {1, 2, 3, 4, 5, 6};
    writeFile(dir, "weights/w.bin", "12345678" + std::string(reinterpret_cast<const char *>(w.data()), 24));
    onnx::ModelProto m = tinyConvModel();
    makeExternal(m.mutable_graph()->mutable_initializer(0), "weights/w.bin", 8, 24);
    auto g = importOnnx(writeModel(dir, "ext.onnx", m));
    QVERIFY2(g.ok(), g.ok() ? "" : g.error().message.c_str());
    QCOMPARE(g->initializer("W")->toFloats(), w);
    // From memory, external data has no folder to come from.
    auto mem = importOnnxBytes(m.SerializeAsString(), "ext.onnx", "");
    QCOMPARE(mem.error().message, std::string("ext.onnx: external data 'weights/w.bin' of initializer 'W' cannot be "
                                              "read: the model was not loaded from a file"));
}

void TestOnnxImport::externalDataRejected_data()
{
    QTest::addColumn<QString>("location");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("expected");
    QTest::newRow("parent") << "../w.bin" << -1 << "external data '../w.bin' of initializer 'W' lies outside the model's folder";
    QTest::newRow("inner parent") << "sub/../../w.bin" << -1
                                  << "external data 'sub/../../w.bin' of initializer 'W' lies outside the model's folder";
    QTest::newRow("absolute") << "/etc/passwd" << -1
                              << "external data '/etc/passwd' of initializer 'W' lies outside the model's folder";
    QTest::newRow("missing") << "nope.bin" << -1 << "external data 'nope.bin' of initializer 'W': no such file";
    QTest::newRow("short length") << "w.bin" << 20 << "initializer 'W' declares shape [2,3,1,1] (6 elements) but holds 5";
    QTest::newRow("past end") << "w.bin" << 24
                              << "external data 'w.bin' of initializer 'W' is too short: 24 bytes at offset 8, the "
                                 "file has 24";
}

void TestOnnxImport::externalDataRejected()
{
    QFETCH(QString, location);
    QFETCH(int, length);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeFile(dir, "w.bin", std::string(24, '\0'));
    onnx::ModelProto m = tinyConvModel();
    makeExternal(m.mutable_graph()->mutable_initializer(0), location.toStdString(), length == 24 ? 8 : -1, length);
    const std::string path = writeModel(dir, "ext.onnx", m);
    QCOMPARE(importOnnx(path).error().message, path + ": " + expected.toStdString());
}

void TestOnnxImport::externalDataSymlinkOutside()
{
    QTemporaryDir outside, dir;
    const std::string target = writeFile(outside, "secret.bin", std::string(24, '\0'));
    std::filesystem::create_symlink(target, dir.path().toStdString() + "/w.bin");
    onnx::ModelProto m = tinyConvModel();
    makeExternal(m.mutable_graph()->mutable_initializer(0), "w.bin", -1, -1);
    const std::string path = writeModel(dir, "ext.onnx", m);
    QCOMPARE(importOnnx(path).error().message,
             path + ": external data 'w.bin' of initializer 'W' lies outside the model's folder");
    // A symlink that stays inside the folder is fine.
    writeFile(dir, "real.bin", std::string(24, '\0'));
    std::filesystem::remove(dir.path().toStdString() + "/w.bin");
    std::filesystem::create_symlink("real.bin", dir.path().toStdString() + "/w.bin");
    QVERIFY(importOnnx(path).ok());
}

void TestOnnxImport::importsTinyModel()
{
    auto r = importOnnx(writeModel(m_dir, "tiny.onnx", tinyConvModel()));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const Graph &g = *r;
    QCOMPARE(g.name, std::string("tiny"));
    QCOMPARE(g.opsetVersion, int64_t(13));
    QCOMPARE(g.producerName, std::string("builder"));
    QCOMPARE(g.nodes.size(), size_t(2));
    QCOMPARE(g.nodes[0].opType, std::string("Conv"));
    QCOMPARE(g.nodes[0].inputs, (std::vector<std::string>{"X", "W", "B"}));
    QCOMPARE(g.nodes[0].attrInts("kernel_shape"), (std::vector<int64_t>{1, 1}));
    QCOMPARE(g.nodes[1].label(), std::string("Relu 'relu'"));
    QCOMPARE(g.initializers.size(), size_t(2));
    QCOMPARE(g.initializer("W")->shape(), (std::vector<int64_t>{2, 3, 1, 1}));
    QCOMPARE(g.initializer("W")->toFloats(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(g.initializer("B")->toFloats(), (std::vector<float>{0.5f, -0.5f}));
    QCOMPARE(g.inputs.size(), size_t(1));
    QCOMPARE(g.inputs[0].shape, (std::vector<int64_t>{-1, 3, 4, 4}));
    QCOMPARE(g.inputs[0].dimParams, (std::vector<std::string>{"N", "", "", ""}));
    QCOMPARE(g.outputs[0].shape, (std::vector<int64_t>{-1, 2, 4, 4}));
    const ValueInfo *y = g.info("Y");
    QVERIFY(y && y->hasShape);
    QCOMPARE(y->shape, (std::vector<int64_t>{-1, 2, 4, 4}));
    QCOMPARE(y->dimParams[0], std::string("N"));
    QCOMPARE(y->dtype, DType::Float32);
}

void TestOnnxImport::sortsNodesAndDropsInitializerInputs()
{
    // IR 3 / opset 9 style: initializers are listed among the graph inputs; nodes out of order.
    onnx::ModelProto m = tinyConvModel(9);
    m.set_ir_version(3);
    onnx::GraphProto *g = m.mutable_graph();
    setValueInfo(g->add_input(), "W", {2, 3, 1, 1});
    setValueInfo(g->add_input(), "B", {2});
    g->mutable_node()->SwapElements(0, 1);
    auto r = importOnnx(writeModel(m_dir, "legacy.onnx", m));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->inputs.size(), size_t(1));
    QCOMPARE(r->inputs[0].name, std::string("X"));
    QCOMPARE(r->nodes[0].opType, std::string("Conv"));
    QCOMPARE(r->nodes[1].opType, std::string("Relu"));
    QCOMPARE(r->info("Y")->shape, (std::vector<int64_t>{-1, 2, 4, 4}));
}

void TestOnnxImport::keepsConstantNodes()
{
    onnx::ModelProto m = emptyModel();
    onnx::GraphProto *g = m.mutable_graph();
    setValueInfo(g->add_input(), "X", {2, 3});
    setValueInfo(g->add_output(), "Y", {2, 3});
    onnx::NodeProto *c = addNode(g, "Constant", "c", {}, {"K"});
    auto *a = c->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    setDims(a->mutable_t(), {3});
    for (float v : {1.f, 2.f, 3.f})
        a->mutable_t()->add_float_data(v);
    addNode(g, "Add", "add", {"X", "K"}, {"Y"});
    auto r = importOnnx(writeModel(m_dir, "const.onnx", m));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->nodes.size(), size_t(2));
    QCOMPARE(r->nodes[0].opType, std::string("Constant"));
    QVERIFY(r->initializers.empty());
    const Attribute &value = r->nodes[0].attributes.at("value");
    QCOMPARE(value.kind, Attribute::Kind::Tensor);
    QCOMPARE(value.t.toFloats(), (std::vector<float>{1, 2, 3}));
    QCOMPARE(r->info("K")->shape, std::vector<int64_t>{3});
}

// Pads computed at run time from the input's shape (as PyTorch exports "same" padding):
// pads = Concat([0,0,0,0,0,0], Shape(X)[2:4] - 7). With X [N,3,8,8] the Pad output is [N,3,9,9].
void TestOnnxImport::foldsShapeComputations()
{
    onnx::ModelProto m = emptyModel();
    onnx::GraphProto *g = m.mutable_graph();
    setValueInfo(g->add_input(), "X", {-1, 3, 8, 8});
    setValueInfo(g->add_output(), "Y", {-1, 3, -2, -2});
    addInt64s(g, "zeros", {6}, {0, 0, 0, 0, 0, 0});
    addInt64s(g, "starts", {1}, {2});
    addInt64s(g, "ends", {1}, {4});
    addInt64s(g, "seven", {1}, {7});
    addNode(g, "Shape", "shape", {"X"}, {"s"});
    addNode(g, "Slice", "slice", {"s", "starts", "ends"}, {"hw"});
    addNode(g, "Sub", "sub", {"hw", "seven"}, {"tail"});
    addIntAttr(addNode(g, "Concat", "concat", {"zeros", "tail"}, {"pads"}), "axis", 0);
    addNode(g, "Pad", "pad", {"X", "pads"}, {"Y"});
    auto r = importOnnx(writeModel(m_dir, "fold.onnx", m));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(r->outputs[0].shape, (std::vector<int64_t>{-1, 3, 9, 9}));
    QCOMPARE(r->outputs[0].dimParams[0], std::string("N"));
    QCOMPARE(r->info("pads")->shape, std::vector<int64_t>{8});
    // The graph keeps its nodes: folding only informs the shapes.
    QCOMPARE(r->nodes.size(), size_t(5));
}

void TestOnnxImport::readsTensorProtoFields()
{
    auto write = [&](const onnx::TensorProto &t) { return writeFile(m_dir, "t.pb", t.SerializeAsString()); };
    onnx::TensorProto t;
    t.set_name("h");
    t.set_data_type(onnx::TensorProto::FLOAT16);
    setDims(&t, {2});
    t.add_int32_data(0x3C00); // 1.0
    t.add_int32_data(0xC000); // -2.0
    auto half = readTensorProtoFile(write(t));
    QVERIFY(half.ok());
    QCOMPARE(half->dtype(), DType::Float16);
    QCOMPARE(half->toFloats(), (std::vector<float>{1.f, -2.f}));

    t.Clear();
    t.set_data_type(onnx::TensorProto::BOOL);
    setDims(&t, {3});
    for (int v : {1, 0, 1})
        t.add_int32_data(v);
    QCOMPARE(readTensorProtoFile(write(t))->toInt64s(), (std::vector<int64_t>{1, 0, 1}));

    t.Clear();
    t.set_data_type(onnx::TensorProto::INT8);
    setDims(&t, {2});
    t.add_int32_data(-128);
    t.add_int32_data(127);
    QCOMPARE(readTensorProtoFile(write(t))->toInt64s(), (std::vector<int64_t>{-128, 127}));

    t.Clear();
    t.set_data_type(onnx::TensorProto::DOUBLE);
    t.add_double_data(2.5); // scalar
    auto d = readTensorProtoFile(write(t));
    QCOMPARE(d->shape(), std::vector<int64_t>{});
    QCOMPARE(d->dataAs<double>()[0], 2.5);

    t.Clear();
    t.set_data_type(onnx::TensorProto::INT32);
    setDims(&t, {2});
    const int32_t raw[] = {-7, 9};
    t.set_raw_data(std::string(reinterpret_cast<const char *>(raw), 8));
    QCOMPARE(readTensorProtoFile(write(t))->toInt64s(), (std::vector<int64_t>{-7, 9}));

    t.Clear();
    t.set_name("s");
    t.set_data_type(onnx::TensorProto::STRING);
    t.add_string_data("x");
    const std::string path = write(t);
    QCOMPARE(readTensorProtoFile(path).error().message, path + ": tensor 's' has unsupported element type string");
    const std::string bad = writeFile(m_dir, "bad.pb", std::string("\x0a\xff\xff\xff\x0f", 5));
    QCOMPARE(readTensorProtoFile(bad).error().message, bad + ": not a TensorProto (protobuf parse failed)");
}

void TestOnnxImport::readsOutline()
{
    onnx::ModelProto m = tinyConvModel(11);
    m.mutable_graph()->mutable_node(1)->set_domain("com.example");
    const std::string path = writeModel(m_dir, "outline.onnx", m);
    auto o = readOnnxOutline(path);
    QVERIFY(o.ok());
    QCOMPARE(o->opsetVersion, int64_t(11));
    QCOMPARE(o->opTypes, (std::vector<std::string>{"Conv", "com.example.Relu"}));
    QVERIFY(o->tensorTypesSupported);
}

QTEST_APPLESS_MAIN(TestOnnxImport)
#include "tst_onnximport.moc"
