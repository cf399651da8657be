// ONNX export (round trip through the importer, checker, IR versions, errors) and the cost model
// on tiny models whose parameter and MAC counts are worked out by hand.

#include "onnxbuilder.h"

#include "core/fileutil.h"
#include "graph/costmodel.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <onnx/checker.h>

#include <QTemporaryDir>
#include <QTest>

using namespace qs;
using namespace qs::test;

class TestOnnxExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void irVersionFollowsOpset_data();
    void irVersionFollowsOpset();
    void infersMissingOutputShape();
    void exportErrors();
    void layerCosts_data();
    void layerCosts();

private:
    QTemporaryDir m_dir;
};

static std::string attributeText(const Attribute &a)
{
    std::string s = std::to_string(int(a.kind)) + ":" + std::to_string(a.i) + "," + std::to_string(a.f) + "," + a.s;
    for (auto v : a.ints)
        s += "," + std::to_string(v);
    for (auto v : a.floats)
        s += "," + std::to_string(v);
    for (const auto &v : a.strings)
        s += "," + v;
    if (a.kind == Attribute::Kind::Tensor)
        s += shapeString(a.t.shape()) + std::string(a.t.bytes().begin(), a.t.bytes().end());
    return s;
}

static std::string valueText(const ValueInfo &v)
{
    std::string s = v.name + dtypeName(v.dtype) + (v.hasShape ? shapeString(v.shape) : "?");
    for (const auto &p : v.dimParams)
        s += "," + p;
    return s;
}

// Everything a Graph holds, as text, so that two graphs compare with one QCOMPARE.
static std::string graphText(const Graph &g)
{
    std::string s = g.name + "|" + std::to_string(g.opsetVersion) + "|" + g.producerName + "\n";
    for (const auto &n : g.nodes) {
        s += n.name + " " + n.opType + " " + n.domain + " (";
        for (const auto &i : n.inputs)
            s += i + ",";
        s += ") -> (";
        for (const auto &o : n.outputs)
            s += o + ",";
        s += ")";
        for (const auto &kv : n.attributes)
            s += " " + kv.first + "=" + attributeText(kv.second);
        s += "\n";
    }
    for (const auto &kv : g.initializers)
        s += kv.first + dtypeName(kv.second.dtype()) + shapeString(kv.second.shape()) +
             std::string(kv.second.bytes().begin(), kv.second.bytes().end()) + "\n";
    for (const auto &v : g.inputs)
        s += "in " + valueText(v) + "\n";
    for (const auto &v : g.outputs)
        s += "out " + valueText(v) + "\n";
    for (const auto &kv : g.valueInfo)
        s += "vi " + valueText(kv.second) + "\n";
    return s;
}

void TestOnnxExport::roundTrip()
{
    onnx::ModelProto m = tinyConvModel();
    onnx::GraphProto *g = m.mutable_graph();
    // Attributes of every kind that ONNX operators use, on a Constant feeding an Add.
    g->mutable_node(1)->set_output(0, "R");
    onnx::NodeProto *c = addNode(g, "Constant", "c", {}, {"K"});
    auto *t = c->add_attribute();
    t->set_name("value");
    t->set_type(onnx::AttributeProto::TENSOR);
    t->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    t->mutable_t()->add_int64_data(3);
    onnx::NodeProto *cast = addNode(g, "Cast", "cast", {"K"}, {"Kf"});
    addIntAttr(cast, "to", onnx::TensorProto::FLOAT);
    addNode(g, "Add", "add", {"R", "Kf"}, {"Z"});
    onnx::NodeProto *lrelu = addNode(g, "LeakyRelu", "", {"Z"}, {"Z2"});
    auto *alpha = lrelu->add_attribute();
    alpha->set_name("alpha");
    alpha->set_type(onnx::AttributeProto::FLOAT);
    alpha->set_f(0.25f);
    g->mutable_output(0)->set_name("Z2");

    auto first = importOnnx(writeModel(m_dir, "a.onnx", m));
    QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
    const std::string path = m_dir.path().toStdString() + "/b.onnx";
    auto written = exportOnnx(*first, path);
    QVERIFY2(written.ok(), written.ok() ? "" : written.error().message.c_str());

    onnx::ModelProto back;
    QVERIFY(back.ParseFromString(readFileBytes(path)));
    onnx::checker::check_model(back); // throws on failure
    QCOMPARE(back.ir_version(), int64_t(7));
    QCOMPARE(back.graph().initializer(0).has_raw_data(), true);

    auto second = importOnnx(path);
    QVERIFY2(second.ok(), second.ok() ? "" : second.error().message.c_str());
    QCOMPARE(graphText(*second), graphText(*first));
    QCOMPARE(second->nodes.size(), size_t(6));
    QCOMPARE(second->inputs[0].dimParams[0], std::string("N"));
}

void TestOnnxExport::irVersionFollowsOpset_data()
{
    QTest::addColumn<int>("opset");
    QTest::addColumn<int>("ir");
    QTest::newRow("9") << 9 << 4;
    QTest::newRow("10") << 10 << 5;
    QTest::newRow("11") << 11 << 6;
    QTest::newRow("13") << 13 << 7;
    QTest::newRow("17") << 17 << 8;
}

void TestOnnxExport::irVersionFollowsOpset()
{
    QFETCH(int, opset);
    QFETCH(int, ir);
    auto g = importOnnx(writeModel(m_dir, "ir.onnx", tinyConvModel(opset)));
    QVERIFY(g.ok());
    auto bytes = serializeOnnx(*g);
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().message.c_str());
    onnx::ModelProto back;
    QVERIFY(back.ParseFromString(*bytes));
    QCOMPARE(back.ir_version(), int64_t(ir));
    QCOMPARE(back.opset_import(0).version(), int64_t(opset));
}

void TestOnnxExport::infersMissingOutputShape()
{
    Graph g;
    g.name = "made";
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {-1, 4}, {"batch", ""}, true});
    ValueInfo out;
    out.name = "y";
    g.outputs.push_back(out); // no shape: the checker needs one, inference supplies it
    Node relu;
    relu.opType = "Relu";
    relu.inputs = {"x"};
    relu.outputs = {"y"};
    g.nodes.push_back(relu);
    auto bytes = serializeOnnx(g);
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().message.c_str());
    onnx::ModelProto back;
    QVERIFY(back.ParseFromString(*bytes));
    const auto &shape = back.graph().output(0).type().tensor_type().shape();
    QCOMPARE(shape.dim_size(), 2);
    QCOMPARE(shape.dim(0).dim_param(), std::string("batch"));
    QCOMPARE(shape.dim(1).dim_value(), int64_t(4));
    QCOMPARE(back.graph().value_info_size(), 0);
    QCOMPARE(back.producer_name(), std::string("Quantscope"));
}

void TestOnnxExport::exportErrors()
{
    auto g = importOnnx(writeModel(m_dir, "e.onnx", tinyConvModel()));
    QVERIFY(g.ok());
    const std::string bad = m_dir.path().toStdString() + "/no/such/dir/out.onnx";
    QCOMPARE(exportOnnx(*g, bad).error().message, bad + ": cannot write (No such file or directory)");
    Graph withSubgraph = *g;
    Attribute branch;
    branch.kind = Attribute::Kind::Graph;
    withSubgraph.nodes[1].attributes["body"] = branch;
    QCOMPARE(serializeOnnx(withSubgraph).error().message,
             std::string("Relu 'relu': subgraph attribute 'body' cannot be exported"));
    Graph unknownOp = *g;
    unknownOp.nodes[1].opType = "NoSuchOp";
    QCOMPARE(serializeOnnx(unknownOp).error().message,
             std::string("the exported model fails the ONNX checker: No Op registered for NoSuchOp with "
                         "domain_version of 13"));
}

// Each row: one weighted node; params = weight (+ bias) elements, MACs per sample by hand.
void TestOnnxExport::layerCosts_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<qlonglong>("params");
    QTest::addColumn<qlonglong>("macs");
    QTest::addColumn<QString>("outShape");
    // W [2,3,1,1] + B [2]; 6 MACs per pixel x 4x4 pixels.
    QTest::newRow("conv 1x1") << 0 << 8LL << 96LL << "[2,4,4]";
    // W [4,2,3,3] groups 2 + B [4]; 4*2*9 = 72 MACs per pixel x 6x6 pixels.
    QTest::newRow("conv grouped") << 1 << 76LL << 2592LL << "[4,6,6]";
    // W [2,4,3,3]: each of the 3x3 input pixels scatters through all 72 weights.
    QTest::newRow("conv transpose") << 2 << 72LL << 648LL << "[4,5,5]";
    // W [4,5] (transB) + C [4]: 4 outputs x 5 inputs.
    QTest::newRow("gemm") << 3 << 24LL << 20LL << "[4]";
    // X [N,7,5] x W [5,3]: 7*3 outputs, each a 5-long dot product.
    QTest::newRow("matmul") << 4 << 15LL << 105LL << "[7,3]";
}

static onnx::ModelProto costModel(int kind)
{
    onnx::ModelProto m = emptyModel();
    onnx::GraphProto *g = m.mutable_graph();
    auto floats = [](size_t n) { return std::vector<float>(n, 0.5f); };
    switch (kind) {
    case 0: return tinyConvModel();
    case 1: {
        setValueInfo(g->add_input(), "X", {-1, 4, 6, 6});
        setValueInfo(g->add_output(), "Y", {-1, 4, 6, 6});
        addFloats(g, "W", {4, 2, 3, 3}, floats(72));
        addFloats(g, "B", {4}, floats(4));
        onnx::NodeProto *n = addNode(g, "Conv", "conv", {"X", "W", "B"}, {"Y"});
        addIntAttr(n, "group", 2);
        addIntsAttr(n, "pads", {1, 1, 1, 1});
        break;
    }
    case 2:
        setValueInfo(g->add_input(), "X", {-1, 2, 3, 3});
        setValueInfo(g->add_output(), "Y", {-1, 4, 5, 5});
        addFloats(g, "W", {2, 4, 3, 3}, floats(72));
        addNode(g, "ConvTranspose", "deconv", {"X", "W"}, {"Y"});
        break;
    case 3:
        setValueInfo(g->add_input(), "X", {-1, 5});
        setValueInfo(g->add_output(), "Y", {-1, 4});
        addFloats(g, "W", {4, 5}, floats(20));
        addFloats(g, "C", {4}, floats(4));
        addIntAttr(addNode(g, "Gemm", "fc", {"X", "W", "C"}, {"Y"}), "transB", 1);
        break;
    default:
        setValueInfo(g->add_input(), "X", {-1, 7, 5});
        setValueInfo(g->add_output(), "Y", {-1, 7, 3});
        addFloats(g, "W", {5, 3}, floats(15));
        addNode(g, "MatMul", "mm", {"X", "W"}, {"Y"});
        break;
    }
    return m;
}

void TestOnnxExport::layerCosts()
{
    QFETCH(int, kind);
    QFETCH(qlonglong, params);
    QFETCH(qlonglong, macs);
    QFETCH(QString, outShape);
    auto g = importOnnx(writeModel(m_dir, "cost.onnx", costModel(kind)));
    QVERIFY2(g.ok(), g.ok() ? "" : g.error().message.c_str());
    const ModelCost cost = computeCost(*g);
    QCOMPARE(cost.layers.size(), size_t(1));
    QCOMPARE(cost.layers[0].params, int64_t(params));
    QCOMPARE(cost.layers[0].macs, int64_t(macs));
    QCOMPARE(QString::fromStdString(shapeString(cost.layers[0].outputShape)), outShape);
    QCOMPARE(cost.params, int64_t(params));
    QCOMPARE(cost.macs, int64_t(macs));
}

QTEST_APPLESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
