// Quantizer placement on small graphs built in code: exactly which tensors get quantizers, which
// are enabled, and with which role, symmetry, bitwidth and channel axis, under AIMET's default and
// per-channel configs and custom ones. Intermediate tensors carry no value_info on purpose, so
// the placement's own dtype inference is exercised.

#include "testgraph.h"
#include "quant/quantconfig.h"

#include <QRegularExpression>
#include <QTest>

using namespace qs;

class TestPlacement : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultConfig();
    void perChannelConfig();
    void customConfig();
    void rolesAndAxes();
    void rolesPerChannel();
    void modelOutputAndInput();
    void supergroupNeedsSoleConsumer();
    void opTypeConflict();
    void valueInfoGivesSameResult();
};


static Tensor floats(std::vector<int64_t> shape)
{
    return Tensor::fromFloats(shape, std::vector<float>(size_t(shapeNumel(shape)), 0.5f));
}

// input -> Conv -> Relu -> Conv -> Clip -> Add (with a Conv branch from the Relu) -> Relu ->
// GlobalAveragePool -> Reshape (shape initializer) -> Gemm -> Reshape -> output. The final
// Reshape's shape is computed from Shape(input) through float arithmetic (Cast, Mul, Cast),
// as exporters do; Clip's max is a Constant node and its min an initializer.
static Graph mainGraph()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1, 3, 8, 8}, {"", "", "", ""}, true});
    g.outputs.push_back(ValueInfo{"logits", DType::Float32, {1, 10}, {"", ""}, true});
    g.initializers["w1"] = floats({4, 3, 3, 3});
    g.initializers["b1"] = floats({4});
    g.initializers["w2"] = floats({4, 4, 1, 1});
    g.initializers["b2"] = floats({4});
    g.initializers["w3"] = floats({4, 4, 1, 1});
    g.initializers["clip_min"] = Tensor::scalarFloat(0.f);
    g.initializers["flat_shape"] = Tensor::fromInt64s({2}, {1, 4});
    g.initializers["wf"] = floats({10, 4});
    g.initializers["bf"] = floats({10});
    g.initializers["idx0"] = Tensor::fromInt64s({}, {0});
    g.initializers["half"] = Tensor::scalarFloat(0.5f);
    g.initializers["axes0"] = Tensor::fromInt64s({1}, {0});
    g.initializers["minus1"] = Tensor::fromInt64s({1}, {-1});
    g.nodes = {
        qs::test::makeNode("six", "Constant", {}, {"six_out"}, {{"value", Attribute::ofTensor(Tensor::scalarFloat(6.f))}}),
        qs::test::makeNode("shape", "Shape", {"x"}, {"s"}),
        qs::test::makeNode("gather", "Gather", {"s", "idx0"}, {"n"}),
        qs::test::makeNode("tofloat", "Cast", {"n"}, {"nf"}, {{"to", Attribute::ofInt(1)}}),
        qs::test::makeNode("halve", "Mul", {"nf", "half"}, {"nh"}),
        qs::test::makeNode("toint", "Cast", {"nh"}, {"ni"}, {{"to", Attribute::ofInt(7)}}),
        qs::test::makeNode("unsq", "Unsqueeze", {"ni", "axes0"}, {"nu"}),
        qs::test::makeNode("cat", "Concat", {"nu", "minus1"}, {"shp"}, {{"axis", Attribute::ofInt(0)}}),
        qs::test::makeNode("conv1", "Conv", {"x", "w1", "b1"}, {"c1"}),
        qs::test::makeNode("relu1", "Relu", {"c1"}, {"r1"}),
        qs::test::makeNode("conv2", "Conv", {"r1", "w2", "b2"}, {"c2"}),
        qs::test::makeNode("clip", "Clip", {"c2", "clip_min", "six_out"}, {"k2"}),
        qs::test::makeNode("conv3", "Conv", {"r1", "w3"}, {"c3"}),
        qs::test::makeNode("add", "Add", {"k2", "c3"}, {"a"}),
        qs::test::makeNode("relu2", "Relu", {"a"}, {"r2"}),
        qs::test::makeNode("gap", "GlobalAveragePool", {"r2"}, {"g"}),
        qs::test::makeNode("flat", "Reshape", {"g", "flat_shape"}, {"f"}),
        qs::test::makeNode("fc", "Gemm", {"f", "wf", "bf"}, {"y"}, {{"transB", Attribute::ofInt(1)}}),
        qs::test::makeNode("out", "Reshape", {"y", "shp"}, {"logits"}),
    };
    return g;
}

// "<tensor> <kind>[:<role>] on|off sym|asym <bits> [pc<axis>]", one line per quantizer in order.
static QStringList describe(const std::vector<QuantizerInfo> &qs)
{
    QStringList out;
    for (const QuantizerInfo &q : qs) {
        std::string s = q.tensor + " ";
        s += q.kind == QuantizerKind::ModelInput ? "input" : q.kind == QuantizerKind::Activation ? "act" : "param";
        if (!q.paramRole.empty())
            s += ":" + q.paramRole;
        s += q.enabled ? " on" : " off";
        s += q.symmetric ? " sym " : " asym ";
        s += std::to_string(q.bitwidth);
        if (q.perChannel)
            s += " pc" + std::to_string(q.channelAxis);
        out << QString::fromStdString(s);
    }
    return out;
}

static QStringList place(const Graph &g, const QuantsimConfig &c, const QuantOptions &o = {})
{
    auto r = placeQuantizers(g, c, o);
    if (!r.ok()) {
        qWarning("%s", r.error().message.c_str());
        return {"error: " + QString::fromStdString(r.error().message)};
    }
    return describe(r.value());
}

static QuantsimConfig parse(const std::string &json)
{
    auto r = parseQuantsimConfig(json, "custom.json");
    if (!r.ok())
        qFatal("%s", r.error().message.c_str());
    return r.value();
}

// Default config: Conv->Relu and Conv->Clip fuse (inner outputs off); conv3's output feeds Add,
// which is no supergroup, so it stays on; Add->Relu fuses. Biases are off. Nothing of the shape
// arithmetic (Shape, Gather, Cast, float Mul, Unsqueeze, Concat), no Constant output, no Clip
// bound and no Reshape output gets a quantizer.
void TestPlacement::defaultConfig()
{
    const QStringList expected = {
        "x input on asym 8",
        "w1 param:weight on sym 8", "b1 param:bias off sym 8", "c1 act off asym 8", "r1 act on asym 8",
        "w2 param:weight on sym 8", "b2 param:bias off sym 8", "c2 act off asym 8", "k2 act on asym 8",
        "w3 param:weight on sym 8", "c3 act on asym 8",
        "a act off asym 8", "r2 act on asym 8", "g act on asym 8",
        "wf param:weight on sym 8", "bf param:bias off sym 8", "y act on asym 8",
    };
    QCOMPARE(place(mainGraph(), defaultQuantsimConfig()), expected);
}

// Per-channel config: Conv params per output channel (bias too, as AIMET marks every param of
// the op), Gemm per tensor.
void TestPlacement::perChannelConfig()
{
    const QStringList expected = {
        "x input on asym 8",
        "w1 param:weight on sym 8 pc0", "b1 param:bias off sym 8 pc0", "c1 act off asym 8", "r1 act on asym 8",
        "w2 param:weight on sym 8 pc0", "b2 param:bias off sym 8 pc0", "c2 act off asym 8", "k2 act on asym 8",
        "w3 param:weight on sym 8 pc0", "c3 act on asym 8",
        "a act off asym 8", "r2 act on asym 8", "g act on asym 8",
        "wf param:weight on sym 8", "bf param:bias off sym 8", "y act on asym 8",
    };
    QCOMPARE(place(mainGraph(), defaultPerChannelQuantsimConfig()), expected);
}

// Only the Add->Relu supergroup; biases quantized; GlobalAveragePool output off; Relu symmetric
// (its input and output quantizers); Conv weights asymmetric; W4A16 with per-channel forced on,
// so the Gemm (no op_type entry here) goes per channel too.
void TestPlacement::customConfig()
{
    const QuantsimConfig c = parse(R"({
      "defaults": {"ops": {"is_output_quantized": "True"}, "params": {"is_quantized": "True", "is_symmetric": "True"}},
      "params": {"bias": {"is_quantized": "True"}},
      "op_type": {"GlobalAveragePool": {"is_output_quantized": "False"}, "Relu": {"is_symmetric": "True"},
                  "Conv": {"params": {"weight": {"is_symmetric": "False"}}}},
      "supergroups": [{"op_list": ["Add", "Relu"]}],
      "model_input": {"is_input_quantized": "True"}, "model_output": {}})");
    QuantOptions o;
    o.paramBitwidth = 4;
    o.activationBitwidth = 16;
    o.perChannel = true;
    const QStringList expected = {
        "x input on asym 16",
        "w1 param:weight on asym 4 pc0", "b1 param:bias on sym 4 pc0", "c1 act on sym 16", "r1 act on sym 16",
        "w2 param:weight on asym 4 pc0", "b2 param:bias on sym 4 pc0", "c2 act on asym 16", "k2 act on asym 16",
        "w3 param:weight on asym 4 pc0", "c3 act on asym 16",
        "a act off sym 16", "r2 act on sym 16", "g act off asym 16",
        "wf param:weight on sym 4 pc0", "bf param:bias on sym 4 pc0", "y act on asym 16",
    };
    QCOMPARE(place(mainGraph(), c, o), expected);
}

// MatMul + Add (a linear layer: the Add's vector is its bias), BatchNormalization's four
// params, Gemm with transB=0 followed by Relu, ConvTranspose, Resize (roi/scales are no params)
// and Dropout (ratio is no param; its output is off in the default config).
static Graph rolesGraph()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {2, 8}, {"", ""}, true});
    g.inputs.push_back(ValueInfo{"ids", DType::Int64, {2}, {""}, true});
    g.outputs.push_back(ValueInfo{"d", DType::Float32, {2, 3, 4, 4}, {"", "", "", ""}, true});
    for (const auto &kv : std::map<std::string, std::vector<int64_t>>{
             {"wm", {8, 6}}, {"bm", {6}}, {"sc", {6}}, {"be", {6}}, {"mu", {6}}, {"var", {6}},
             {"wg", {6, 4}}, {"bg", {4}}, {"wt", {4, 3, 2, 2}}, {"bt", {3}}, {"scales", {4}}})
        g.initializers[kv.first] = floats(kv.second);
    g.initializers["roi"] = floats({0});
    g.initializers["ratio"] = Tensor::scalarFloat(0.1f);
    g.initializers["shape4"] = Tensor::fromInt64s({4}, {2, 4, 1, 1});
    g.nodes = {
        qs::test::makeNode("mm", "MatMul", {"x", "wm"}, {"m"}),
        qs::test::makeNode("bias", "Add", {"m", "bm"}, {"ab"}),
        qs::test::makeNode("bn", "BatchNormalization", {"ab", "sc", "be", "mu", "var"}, {"bno"}),
        qs::test::makeNode("fc", "Gemm", {"bno", "wg", "bg"}, {"gy"}),
        qs::test::makeNode("act", "Relu", {"gy"}, {"gr"}),
        qs::test::makeNode("to4d", "Reshape", {"gr", "shape4"}, {"rr"}),
        qs::test::makeNode("up", "ConvTranspose", {"rr", "wt", "bt"}, {"ct"}),
        qs::test::makeNode("resize", "Resize", {"ct", "roi", "scales"}, {"rs"}),
        qs::test::makeNode("drop", "Dropout", {"rs", "ratio"}, {"d", ""}),
        qs::test::makeNode("isbig", "Greater", {"ids", "ids"}, {"mask"}),
    };
    return g;
}

void TestPlacement::rolesAndAxes()
{
    const QStringList expected = {
        "x input on asym 8",
        "wm param:weight on sym 8", "m act on asym 8",
        "bm param:bias off sym 8", "ab act on asym 8",
        "sc param:weight on sym 8", "be param:bias off sym 8", "mu param:running_mean off sym 8",
        "var param:running_var off sym 8", "bno act on asym 8",
        "wg param:weight on sym 8", "bg param:bias off sym 8", "gy act off asym 8", "gr act on asym 8",
        "wt param:weight on sym 8", "bt param:bias off sym 8", "ct act on asym 8",
        "rs act on asym 8",
        "d act off asym 8",
    };
    QCOMPARE(place(rolesGraph(), defaultQuantsimConfig()), expected);
}

// Channel axes: MatMul weight [K, N] -> 1, Gemm transB=0 weight [K, N] -> 1, ConvTranspose
// weight [Cin, Cout/g, kh, kw] -> 1, biases -> 0. The per-channel config keeps MatMul and Gemm
// per tensor; forcing per-channel on in the options turns them on as well.
void TestPlacement::rolesPerChannel()
{
    auto pcOf = [](const QStringList &lines) {
        QStringList pc;
        for (const QString &l : lines)
            if (l.contains(" pc"))
                pc << l;
        return pc;
    };
    QCOMPARE(pcOf(place(rolesGraph(), defaultPerChannelQuantsimConfig())),
             QStringList({"wt param:weight on sym 8 pc1", "bt param:bias off sym 8 pc0"}));
    QuantOptions on;
    on.perChannel = true;
    QCOMPARE(pcOf(place(rolesGraph(), defaultQuantsimConfig(), on)),
             QStringList({"wm param:weight on sym 8 pc1", "wg param:weight on sym 8 pc1",
                          "bg param:bias off sym 8 pc0", "wt param:weight on sym 8 pc1",
                          "bt param:bias off sym 8 pc0"}));
    QuantOptions off;
    off.perChannel = false;
    QCOMPARE(pcOf(place(rolesGraph(), defaultPerChannelQuantsimConfig(), off)), QStringList());

    Graph g = mainGraph();
    g.nodes[17].attributes["transB"] = Attribute::ofInt(0);
    g.initializers["wf"] = floats({4, 10});
    QCOMPARE(pcOf(place(g, defaultQuantsimConfig(), on)).filter("wf"), QStringList({"wf param:weight on sym 8 pc1"}));
}

// model_output.is_output_quantized applies last, over op_type (Dropout's output); absent model
// input setting leaves the input unquantized.
void TestPlacement::modelOutputAndInput()
{
    const std::string text = R"({"defaults": {"ops": {}, "params": {}}, "params": {},
      "op_type": {"Dropout": {"is_output_quantized": "False"}}, "supergroups": [],
      "model_input": {}, "model_output": {"is_output_quantized": "True"}})";
    const QStringList lines = place(rolesGraph(), parse(text));
    QCOMPARE(lines.first(), QString("x input off asym 8"));
    QCOMPARE(lines.last(), QString("d act on asym 8"));
    QCOMPARE(lines.filter(" off ").size(), 1);

    std::string disable = text;
    disable.replace(disable.rfind("\"True\""), 6, "\"False\"");
    const QStringList lines2 = place(mainGraph(), parse(disable));
    // The model output comes out of a Reshape, which has no quantizer: nothing changes.
    QCOMPARE(lines2.filter(" off ").size(), 1);
    QCOMPARE(lines2.filter(" off ").first(), QString("x input off asym 8"));
}

// A Conv whose output also goes elsewhere (or is a model output) is not fused with its Relu;
// readers of its shape only do not count.
void TestPlacement::supergroupNeedsSoleConsumer()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1, 1, 4, 4}, {"", "", "", ""}, true});
    g.outputs.push_back(ValueInfo{"r1", DType::Float32, {}, {}, false});
    g.outputs.push_back(ValueInfo{"r2", DType::Float32, {}, {}, false});
    g.outputs.push_back(ValueInfo{"c2", DType::Float32, {}, {}, false});
    g.outputs.push_back(ValueInfo{"r3", DType::Float32, {}, {}, false});
    g.outputs.push_back(ValueInfo{"sz", DType::Int64, {}, {}, false});
    g.initializers["w"] = floats({1, 1, 1, 1});
    g.nodes = {
        qs::test::makeNode("conv1", "Conv", {"x", "w"}, {"c1"}),
        qs::test::makeNode("relu1", "Relu", {"c1"}, {"r1"}),
        qs::test::makeNode("sig", "Sigmoid", {"c1"}, {"s1"}),
        qs::test::makeNode("conv2", "Conv", {"s1", "w"}, {"c2"}),
        qs::test::makeNode("relu2", "Relu", {"c2"}, {"r2"}),
        qs::test::makeNode("conv3", "Conv", {"r2", "w"}, {"c3"}),
        qs::test::makeNode("shape", "Shape", {"c3"}, {"sz"}),
        qs::test::makeNode("relu3", "Relu", {"c3"}, {"r3"}),
    };
    const QStringList expected = {
        "x input on asym 8", "w param:weight on sym 8", "c1 act on asym 8", "r1 act on asym 8",
        "s1 act on asym 8", "c2 act on asym 8", "r2 act on asym 8", "c3 act off asym 8", "r3 act on asym 8",
    };
    QCOMPARE(place(g, defaultQuantsimConfig()), expected);
}

// Two op types disagreeing about one tensor: AIMET refuses, and so does the placement.
void TestPlacement::opTypeConflict()
{
    const QuantsimConfig c = parse(R"({"defaults": {"ops": {}, "params": {}}, "params": {},
      "op_type": {"Relu": {"is_output_quantized": "False"}, "Conv": {"is_input_quantized": "True"}},
      "supergroups": [], "model_input": {}, "model_output": {}})");
    auto r = placeQuantizers(mainGraph(), c, {});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, std::string("quantizer placement: op_type settings conflict on tensor 'r1' "
                                            "(Relu 'relu1' is_output_quantized = False, Conv 'conv2' "
                                            "is_input_quantized = True)"));
    QCOMPARE(r.error().code, ErrorCode::Invalid);
}

// With every tensor typed (as the importer leaves it) the result is the same as inferred.
void TestPlacement::valueInfoGivesSameResult()
{
    Graph g = mainGraph();
    for (const char *t : {"s", "n", "ni", "nu", "shp"})
        g.valueInfo[t] = ValueInfo{t, DType::Int64, {}, {}, false};
    for (const char *t : {"six_out", "nf", "nh", "c1", "r1", "c2", "k2", "c3", "a", "r2", "g", "f", "y"})
        g.valueInfo[t] = ValueInfo{t, DType::Float32, {}, {}, false};
    QCOMPARE(place(g, defaultQuantsimConfig()), place(mainGraph(), defaultQuantsimConfig()));
    // A float64 activation is not quantized.
    g.valueInfo["g"].dtype = DType::Float64;
    QVERIFY(place(g, defaultQuantsimConfig()).filter(QRegularExpression("^g ")).isEmpty());
}

QTEST_APPLESS_MAIN(TestPlacement)
#include "tst_placement.moc"
