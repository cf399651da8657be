// AIMET encodings files: exact JSON of both versions for a hand-made case (the expected text is
// what Python's json.dump(sort_keys=True, indent=4) writes, as AIMET does), round trips, error
// messages, and AIMET's own files (shared data).

#include "testutil.h"

#include "core/fileutil.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace qs;

Q_DECLARE_METATYPE(std::string)

static const char *kExpected061 = R"({
    "activation_encodings": {
        "input": [
            {
                "bitwidth": 8,
                "dtype": "int",
                "is_symmetric": "False",
                "max": 0.9921875,
                "min": -1.0,
                "offset": -128,
                "scale": 0.0078125
            }
        ],
        "relu": [
            {
                "bitwidth": 8,
                "dtype": "int",
                "is_symmetric": "False",
                "max": 0.9885330200195312,
                "min": 0.0,
                "offset": 0,
                "scale": 0.0038766000785079658
            }
        ],
        "tiny": [
            {
                "bitwidth": 8,
                "dtype": "int",
                "is_symmetric": "False",
                "max": 3.039836883544922e-05,
                "min": 0.0,
                "offset": 0,
                "scale": 1.1920928955078125e-07
            }
        ]
    },
    "excluded_layers": [],
    "param_encodings": {
        "conv.weight": [
            {
                "bitwidth": 8,
                "dtype": "int",
                "is_symmetric": "True",
                "max": 1.27,
                "min": -1.28,
                "offset": -128,
                "scale": 0.01
            },
            {
                "bitwidth": 8,
                "dtype": "int",
                "is_symmetric": "True",
                "max": 63.5,
                "min": -64.0,
                "offset": -128,
                "scale": 0.5
            }
        ]
    },
    "quantizer_args": {
        "activation_bitwidth": 8,
        "dtype": "int",
        "is_symmetric": true,
        "param_bitwidth": 8,
        "per_channel_quantization": true,
        "quant_scheme": "post_training_tf"
    },
    "version": "0.6.1"
})";

static const char *kExpected100 = R"({
    "activation_encodings": [
        {
            "bw": 8,
            "dtype": "INT",
            "enc_type": "PER_TENSOR",
            "is_sym": false,
            "name": "input",
            "offset": [
                -128
            ],
            "scale": [
                0.0078125
            ]
        },
        {
            "bw": 8,
            "dtype": "INT",
            "enc_type": "PER_TENSOR",
            "is_sym": false,
            "name": "relu",
            "offset": [
                0
            ],
            "scale": [
                0.0038766000785079658
            ]
        },
        {
            "bw": 8,
            "dtype": "INT",
            "enc_type": "PER_TENSOR",
            "is_sym": false,
            "name": "tiny",
            "offset": [
                0
            ],
            "scale": [
                1.1920928955078125e-07
            ]
        }
    ],
    "excluded_layers": [],
    "param_encodings": [
        {
            "bw": 8,
            "dtype": "INT",
            "enc_type": "PER_CHANNEL",
            "is_sym": true,
            "name": "conv.weight",
            "offset": [
                -128,
                -128
            ],
            "scale": [
                0.01,
                0.5
            ]
        }
    ],
    "quantizer_args": {
        "activation_bitwidth": 8,
        "dtype": "int",
        "is_symmetric": true,
        "param_bitwidth": 8,
        "per_channel_quantization": true,
        "quant_scheme": "post_training_tf"
    },
    "version": "1.0.0"
})";

class TestEncodingsFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactJson_data();
    void exactJson();
    void roundTrip_data();
    void roundTrip();
    void quantizerArgsRead();
    void strictSymmetricFrom100();
    void readErrors_data();
    void readErrors();
    void writeErrors();
    void channelAxes();
    void aimetFiles_data();
    void aimetFiles();
    void aimetModelToQdq_data();
    void aimetModelToQdq();

private:
    QTemporaryDir m_dir;
};

static Encoding enc(double min, double max, double scale, int64_t offset, bool symmetric, int bw = 8)
{
    Encoding e;
    e.min = min;
    e.max = max;
    e.scale = scale;
    e.offset = offset;
    e.symmetric = symmetric;
    e.bitwidth = bw;
    return e;
}

static std::vector<TensorEncoding> handMade()
{
    const double eps = 1.1920928955078125e-07;
    TensorEncoding input{"input", QuantizerKind::ModelInput, false, 0, {enc(-1.0, 0.9921875, 0.0078125, -128, false)}};
    TensorEncoding tiny{"tiny", QuantizerKind::Activation, false, 0, {enc(0.0, 255 * eps, eps, 0, false)}};
    // 0.98853302001953125 lies halfway between two 16-digit decimals: Python writes the even one.
    const double r = 0.98853302001953125;
    TensorEncoding relu{"relu", QuantizerKind::Activation, false, 0, {enc(0.0, r, r / 255, 0, false)}};
    TensorEncoding weight{"conv.weight", QuantizerKind::Param, true, 0,
                          {enc(-1.28, 1.27, 0.01, -128, true), enc(-64.0, 63.5, 0.5, -128, true)}};
    return {input, relu, tiny, weight};
}

static QuantizerArgs handMadeArgs()
{
    QuantizerArgs args;
    args.quantScheme = "post_training_tf";
    args.isSymmetric = true;
    args.perChannel = true;
    return args;
}

void TestEncodingsFile::exactJson_data()
{
    QTest::addColumn<std::string>("version");
    QTest::addColumn<std::string>("expected");
    QTest::newRow("0.6.1") << std::string("0.6.1") << std::string(kExpected061);
    QTest::newRow("1.0.0") << std::string("1.0.0") << std::string(kExpected100);
}

void TestEncodingsFile::exactJson()
{
    QFETCH(std::string, version);
    QFETCH(std::string, expected);
    auto json = encodingsToJson(handMade(), handMadeArgs(), version);
    QVERIFY2(json.ok(), json.ok() ? "" : json.error().message.c_str());
    QCOMPARE(*json, expected);

    const std::string path = m_dir.filePath(QString::fromStdString("exact-" + version + ".encodings")).toStdString();
    auto written = writeEncodingsFile(path, handMade(), handMadeArgs(), version);
    QVERIFY(written.ok());
    QCOMPARE(readFileBytes(path), expected);
}

void TestEncodingsFile::roundTrip_data()
{
    QTest::addColumn<std::string>("version");
    QTest::newRow("0.6.1") << std::string("0.6.1");
    QTest::newRow("1.0.0") << std::string("1.0.0");
}

void TestEncodingsFile::roundTrip()
{
    QFETCH(std::string, version);
    std::vector<TensorEncoding> in = handMade();
    // A 4-bit asymmetric weight and a 1-D one, as well as the hand-made set.
    in.push_back({"fc.weight", QuantizerKind::Param, false, 0, {enc(-0.75, 1.5, 0.15, -5, false, 4)}});
    const std::string path = m_dir.filePath(QString::fromStdString("rt-" + version + ".encodings")).toStdString();
    QVERIFY(writeEncodingsFile(path, in, handMadeArgs(), version).ok());
    auto out = readEncodingsFile(path);
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    QCOMPARE(out->size(), in.size());
    for (const auto &want : in) {
        auto it = std::find_if(out->begin(), out->end(), [&](const TensorEncoding &t) { return t.tensor == want.tensor; });
        QVERIFY2(it != out->end(), want.tensor.c_str());
        // Model inputs are activation entries in the file.
        const QuantizerKind kind = want.kind == QuantizerKind::Param ? QuantizerKind::Param : QuantizerKind::Activation;
        QCOMPARE(int(it->kind), int(kind));
        QCOMPARE(it->perChannel, want.perChannel);
        QCOMPARE(it->encodings.size(), want.encodings.size());
        for (size_t c = 0; c < want.encodings.size(); ++c) {
            const Encoding &a = it->encodings[c], &b = want.encodings[c];
            QCOMPARE(a.bitwidth, b.bitwidth);
            QCOMPARE(a.symmetric, b.symmetric);
            QCOMPARE(a.offset, b.offset);
            QCOMPARE(a.scale, b.scale);
            // 1.0.0 rebuilds the range from scale and offset: equal up to double rounding.
            const double tol = version == "0.6.1" ? 0.0 : 1e-12 * std::max(1.0, std::fabs(b.max));
            QVERIFY2(std::fabs(a.min - b.min) <= tol, (want.tensor + " min").c_str());
            QVERIFY2(std::fabs(a.max - b.max) <= tol, (want.tensor + " max").c_str());
        }
    }
    // 0.6.1 lists tensors by name (a JSON object), 1.0.0 keeps the writer's order.
    if (version == "1.0.0") {
        QCOMPARE(out->at(0).tensor, std::string("input"));
        QCOMPARE(out->at(3).tensor, std::string("conv.weight"));
        QCOMPARE(out->at(4).tensor, std::string("fc.weight"));
    }
}

void TestEncodingsFile::quantizerArgsRead()
{
    QuantizerArgs args;
    auto out = parseEncodingsJson(kExpected100, "x.encodings", &args);
    QVERIFY(out.ok());
    QCOMPARE(args.quantScheme, std::string("post_training_tf"));
    QCOMPARE(args.paramBitwidth, 8);
    QCOMPARE(args.activationBitwidth, 8);
    QCOMPARE(args.isSymmetric, true);
    QCOMPARE(args.perChannel, true);

    // A file without quantizer_args gives the defaults; is_symmetric may be a JSON boolean.
    auto plain = parseEncodingsJson(R"({"activation_encodings": {"a": [{"bitwidth": 4, "is_symmetric": true,
        "min": -0.8, "max": 0.7, "scale": 0.1, "offset": -8.0}]}, "param_encodings": {}})", "old.encodings", &args);
    QVERIFY2(plain.ok(), plain.ok() ? "" : plain.error().message.c_str());
    QCOMPARE(args.quantScheme, std::string("post_training_tf_enhanced"));
    QCOMPARE(args.perChannel, false);
    QCOMPARE(plain->size(), size_t(1));
    QCOMPARE(plain->at(0).encodings[0].bitwidth, 4);
    QCOMPARE(plain->at(0).encodings[0].offset, int64_t(-8));
    QCOMPARE(plain->at(0).encodings[0].symmetric, true);
}

// 1.0.0 stores no range; a symmetric offset of -(2^(bw-1)-1) is AIMET's strict grid (min = -max).
// Offsets may be floats, as aimet_onnx writes them.
void TestEncodingsFile::strictSymmetricFrom100()
{
    auto out = parseEncodingsJson(R"({"version": "1.0.0", "activation_encodings": [], "param_encodings": [
        {"name": "w", "enc_type": "PER_TENSOR", "dtype": "INT", "bw": 8, "is_sym": true, "scale": [0.5], "offset": [-127]},
        {"name": "v", "enc_type": "PER_TENSOR", "dtype": "INT", "bw": 8, "is_sym": true, "scale": [0.5], "offset": [-128.0]},
        {"name": "u", "enc_type": "PER_TENSOR", "dtype": "INT", "bw": 4, "is_sym": false, "scale": [0.25], "offset": [-3]}]})",
                                  "s.encodings");
    QVERIFY2(out.ok(), out.ok() ? "" : out.error().message.c_str());
    QCOMPARE(out->at(0).encodings[0].min, -63.5);
    QCOMPARE(out->at(0).encodings[0].max, 63.5);
    QCOMPARE(out->at(1).encodings[0].min, -64.0);
    QCOMPARE(out->at(1).encodings[0].max, 63.5);
    QCOMPARE(out->at(2).encodings[0].min, -0.75);
    QCOMPARE(out->at(2).encodings[0].max, 3.0);
    QCOMPARE(int(out->at(2).kind), int(QuantizerKind::Param));
}

void TestEncodingsFile::readErrors_data()
{
    QTest::addColumn<std::string>("text");
    QTest::addColumn<int>("code");
    QTest::addColumn<std::string>("message");
    const int format = int(ErrorCode::Format), unsupported = int(ErrorCode::Unsupported);
    auto legacy = [](const std::string &entry) {
        return R"({"version": "0.6.1", "activation_encodings": {}, "param_encodings": {"w": [)" + entry + "]}}";
    };
    const std::string good = R"({"bitwidth": 8, "dtype": "int", "is_symmetric": "True", "min": -1.28, "max": 1.27, "scale": 0.01, "offset": -128})";
    QTest::newRow("not json") << std::string("{\"version\": ") << format
        << std::string("bad.encodings: not valid JSON (parse error at line 1, column 13: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal)");
    QTest::newRow("array") << std::string("[1, 2]") << format
        << std::string("bad.encodings: not an encodings file (the top level is not a JSON object)");
    QTest::newRow("no sections") << std::string(R"({"version": "0.6.1"})") << format
        << std::string("bad.encodings: not an encodings file (no activation_encodings or param_encodings)");
    QTest::newRow("version") << std::string(R"({"version": "2.0.0", "param_encodings": []})") << unsupported
        << std::string("bad.encodings: encodings version '2.0.0' is not supported (0.6.1 or 1.0.0)");
    QTest::newRow("missing scale") << legacy(R"({"bitwidth": 8, "min": 0, "max": 1, "offset": 0})") << format
        << std::string("bad.encodings: param_encodings 'w' entry 0: 'scale' is missing");
    QTest::newRow("second channel") << legacy(good + R"(, {"bitwidth": 8, "min": 0, "max": 1, "scale": "0.1", "offset": 0})")
        << format << std::string("bad.encodings: param_encodings 'w' entry 1: 'scale' must be a number");
    QTest::newRow("offset") << legacy(R"({"bitwidth": 8, "min": 0, "max": 1, "scale": 0.1, "offset": 1.5})") << format
        << std::string("bad.encodings: param_encodings 'w' entry 0: 'offset' must be an integer");
    QTest::newRow("is_symmetric") << legacy(R"({"bitwidth": 8, "is_symmetric": "yes", "min": 0, "max": 1, "scale": 0.1, "offset": 0})")
        << format << std::string("bad.encodings: param_encodings 'w' entry 0: 'is_symmetric' must be \"True\" or \"False\"");
    QTest::newRow("bitwidth") << legacy(R"({"bitwidth": 0, "min": 0, "max": 1, "scale": 0.1, "offset": 0})") << format
        << std::string("bad.encodings: param_encodings 'w' entry 0: 'bitwidth' 0 is outside 1..32");
    QTest::newRow("scale zero") << legacy(R"({"bitwidth": 8, "min": 0, "max": 0, "scale": 0, "offset": 0})") << format
        << std::string("bad.encodings: param_encodings 'w' entry 0: 'scale' must be positive");
    QTest::newRow("float dtype") << legacy(R"({"bitwidth": 16, "dtype": "float"})") << unsupported
        << std::string("bad.encodings: param_encodings 'w' entry 0: dtype 'float' is not supported (integer encodings only)");
    QTest::newRow("empty list") << std::string(R"({"activation_encodings": {"a": []}})") << format
        << std::string("bad.encodings: activation_encodings 'a': must be a non-empty list of encodings");
    QTest::newRow("section type") << std::string(R"({"version": "1.0.0", "param_encodings": {}})") << format
        << std::string("bad.encodings: param_encodings: must be a list of encodings");
    QTest::newRow("no name") << std::string(R"({"version": "1.0.0", "param_encodings": [{"bw": 8}]})") << format
        << std::string("bad.encodings: param_encodings entry 0: 'name' must be a string");
    QTest::newRow("offsets short") << std::string(R"({"version": "1.0.0", "param_encodings": [{"name": "w",
        "enc_type": "PER_CHANNEL", "bw": 8, "is_sym": true, "scale": [0.1, 0.2], "offset": [-128]}]})") << format
        << std::string("bad.encodings: param_encodings entry 0 'w': 'offset' must be a list as long as 'scale'");
    QTest::newRow("per block") << std::string(R"({"version": "1.0.0", "param_encodings": [{"name": "w",
        "enc_type": "PER_BLOCK", "bw": 4, "scale": [0.1], "offset": [-8], "block_size": 64}]})") << unsupported
        << std::string("bad.encodings: param_encodings entry 0 'w': enc_type PER_BLOCK is not supported (PER_TENSOR or PER_CHANNEL)");
    QTest::newRow("per tensor count") << std::string(R"({"version": "1.0.0", "activation_encodings": [{"name": "a",
        "enc_type": "PER_TENSOR", "bw": 8, "is_sym": false, "scale": [0.1, 0.2], "offset": [0, 0]}]})") << format
        << std::string("bad.encodings: activation_encodings entry 0 'a': PER_TENSOR needs exactly one scale, got 2");
    QTest::newRow("is_sym string") << std::string(R"({"version": "1.0.0", "activation_encodings": [{"name": "a",
        "enc_type": "PER_TENSOR", "bw": 8, "is_sym": "False", "scale": [0.1], "offset": [0]}]})") << format
        << std::string("bad.encodings: activation_encodings entry 0 'a': 'is_sym' must be true or false");
    QTest::newRow("twice") << std::string(R"({"version": "1.0.0", "activation_encodings": [
        {"name": "a", "enc_type": "PER_TENSOR", "bw": 8, "scale": [0.1], "offset": [0]}], "param_encodings": [
        {"name": "a", "enc_type": "PER_TENSOR", "bw": 8, "scale": [0.1], "offset": [0]}]})") << format
        << std::string("bad.encodings: param_encodings entry 0: tensor 'a' appears twice");
    QTest::newRow("args") << std::string(R"({"param_encodings": {}, "quantizer_args": {"per_channel_quantization": "True"}})")
        << format << std::string("bad.encodings: quantizer_args: 'per_channel_quantization' must be true or false");
}

void TestEncodingsFile::readErrors()
{
    QFETCH(std::string, text);
    QFETCH(int, code);
    QFETCH(std::string, message);
    QuantizerArgs args;
    auto r = parseEncodingsJson(text, "bad.encodings", &args);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, message);
    QCOMPARE(int(r.error().code), code);
    // From a file the message names the path.
    const std::string path = m_dir.filePath("bad.encodings").toStdString();
    writeFileAtomic(path, text);
    auto f = readEncodingsFile(path);
    QVERIFY(!f.ok());
    QCOMPARE(f.error().message, path + message.substr(std::string("bad.encodings").size()));
}

void TestEncodingsFile::writeErrors()
{
    auto v = encodingsToJson(handMade(), handMadeArgs(), "0.7.0");
    QVERIFY(!v.ok());
    QCOMPARE(v.error().message, std::string("encodings version '0.7.0' is not supported (0.6.1 or 1.0.0)"));
    QCOMPARE(int(v.error().code), int(ErrorCode::Usage));

    auto bad = handMade();
    bad[2].encodings[0].scale = std::nan("");
    auto n = encodingsToJson(bad, handMadeArgs(), "0.6.1");
    QVERIFY(!n.ok());
    QCOMPARE(n.error().message, std::string("tensor 'tiny': scale is not a finite number"));

    bad = handMade();
    bad.push_back(bad[0]);
    auto twice = encodingsToJson(bad, handMadeArgs(), "1.0.0");
    QVERIFY(!twice.ok());
    QCOMPARE(twice.error().message, std::string("tensor 'input' has two encodings"));

    bad = handMade();
    bad[3].encodings[1].bitwidth = 4;
    auto mixed = encodingsToJson(bad, handMadeArgs(), "1.0.0");
    QVERIFY(!mixed.ok());
    QCOMPARE(mixed.error().message, std::string("tensor 'conv.weight': channels differ in bitwidth or symmetry"));

    const std::string path = m_dir.filePath("no-such-dir/x.encodings").toStdString();
    auto w = writeEncodingsFile(path, handMade(), handMadeArgs(), "0.6.1");
    QVERIFY(!w.ok());
    QCOMPARE(int(w.error().code), int(ErrorCode::Io));
    QVERIFY2(w.error().message.rfind(path + ": ", 0) == 0, w.error().message.c_str());
    QVERIFY(!fileExists(path));

    auto missing = readEncodingsFile(m_dir.filePath("missing.encodings").toStdString());
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message, m_dir.filePath("missing.encodings").toStdString() + ": no such file");
}

void TestEncodingsFile::channelAxes()
{
    Graph g;
    g.initializers["cw"] = Tensor::fromFloats({4, 3, 1, 1}, std::vector<float>(12, 1.f));
    g.initializers["tw"] = Tensor::fromFloats({3, 5, 1, 1}, std::vector<float>(15, 1.f));
    g.initializers["gw"] = Tensor::fromFloats({6, 7}, std::vector<float>(42, 1.f));
    g.initializers["gt"] = Tensor::fromFloats({7, 6}, std::vector<float>(42, 1.f));
    g.initializers["mw"] = Tensor::fromFloats({2, 6, 7}, std::vector<float>(84, 1.f));
    auto node = [](const std::string &op, const std::string &in, const std::string &w, const std::string &out) {
        Node n;
        n.opType = op;
        n.name = out;
        n.inputs = {in, w};
        n.outputs = {out};
        return n;
    };
    g.nodes = {node("Conv", "x", "cw", "a"), node("ConvTranspose", "a", "tw", "b"), node("Gemm", "f", "gw", "c"),
               node("Gemm", "f", "gt", "d"), node("MatMul", "f", "mw", "e")};
    g.nodes[3].attributes["transB"] = Attribute::ofInt(1);
    std::vector<TensorEncoding> encs;
    for (const char *w : {"cw", "tw", "gw", "gt", "mw"})
        encs.push_back({w, QuantizerKind::Param, true, 7, {}});
    encs.push_back({"x", QuantizerKind::Activation, false, 7, {}});
    assignChannelAxes(g, encs);
    QCOMPARE(encs[0].channelAxis, 0);
    QCOMPARE(encs[1].channelAxis, 1);
    QCOMPARE(encs[2].channelAxis, 1);
    QCOMPARE(encs[3].channelAxis, 0);
    QCOMPARE(encs[4].channelAxis, 2);
    QCOMPARE(encs[5].channelAxis, 7); // per-tensor entries are left alone
}

// The files AIMET (aimet_torch) exported for MobileNet-v1 0.25 with BN folded, W8A8: 35 activation
// and 28 weight quantizers (biases are not quantized); per-channel has one entry per output
// channel. Writing what was read reproduces AIMET's bytes.
void TestEncodingsFile::aimetFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("perChannel");
    QTest::addColumn<int>("channelEntries");
    QTest::addColumn<double>("firstWeightScale");
    QTest::addColumn<int>("firstWeightChannels");
    QTest::newRow("per-tensor") << QStringLiteral("mobilenet_v1_bnfold_w8a8_tf_pertensor.encodings") << false << 28
                                << 0.2904150187969208 << 1;
    QTest::newRow("per-channel") << QStringLiteral("mobilenet_v1_bnfold_w8a8_tf_perchannel.encodings") << true << 3736
                                 << 0.0012027628254145384 << 8;
}

void TestEncodingsFile::aimetFiles()
{
    QFETCH(QString, file);
    QFETCH(bool, perChannel);
    QFETCH(int, channelEntries);
    QFETCH(double, firstWeightScale);
    QFETCH(int, firstWeightChannels);
    const QString rel = QStringLiteral("reference/aimet-export/") + file;
    QS_NEED_SHARED("reference/aimet-export/mobilenet_v1_bnfold_w8a8_tf_pertensor.encodings");
    const std::string path = qs::test::sharedPath(rel);
    QuantizerArgs args;
    auto r = readEncodingsFile(path, args);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    int activations = 0, params = 0, entries = 0;
    for (const auto &te : *r) {
        if (te.kind == QuantizerKind::Param) {
            ++params;
            entries += int(te.encodings.size());
            QCOMPARE(te.perChannel, perChannel && te.encodings.size() > 1);
        } else {
            ++activations;
            QCOMPARE(te.encodings.size(), size_t(1));
        }
    }
    QCOMPARE(activations, 35);
    QCOMPARE(params, 28);
    QCOMPARE(entries, channelEntries);
    QCOMPARE(args.quantScheme, std::string("post_training_tf"));
    QCOMPARE(args.perChannel, perChannel);
    QCOMPARE(args.isSymmetric, true);

    // Values read from the files by hand.
    auto find = [&](const std::string &name) {
        return std::find_if(r->begin(), r->end(), [&](const TensorEncoding &t) { return t.tensor == name; });
    };
    auto pad = find("/0/Pad_output_0");
    QVERIFY(pad != r->end());
    QCOMPARE(pad->encodings[0].offset, int64_t(-127));
    QCOMPARE(pad->encodings[0].scale, 0.007843137718737125);
    QCOMPARE(pad->encodings[0].min, -0.9960784912109375);
    QCOMPARE(pad->encodings[0].max, 1.003921627998352);
    QCOMPARE(pad->encodings[0].symmetric, false);
    auto w1 = find("1.weight");
    QVERIFY(w1 != r->end());
    QCOMPARE(int(w1->encodings.size()), firstWeightChannels);
    QCOMPARE(w1->encodings[0].scale, firstWeightScale);
    QCOMPARE(w1->encodings[0].offset, int64_t(-128));
    QCOMPARE(w1->encodings[0].symmetric, true);
    auto fc = find("87.weight");
    QVERIFY(fc != r->end());
    QCOMPARE(int(fc->encodings.size()), perChannel ? 1000 : 1);

    auto again = encodingsToJson(*r, args, "0.6.1");
    QVERIFY(again.ok());
    QVERIFY2(*again == readFileBytes(path), "rewriting AIMET's file changes its bytes");
}

// AIMET's exported model with its encodings as a QDQ model. The weights in that ONNX file already
// lie on the per-tensor grids (AIMET wrote them quantize-dequantized), so with the per-tensor file
// every DequantizeLinear gives back exactly the weight AIMET stored.
void TestEncodingsFile::aimetModelToQdq_data()
{
    aimetFiles_data();
}

void TestEncodingsFile::aimetModelToQdq()
{
    QFETCH(QString, file);
    QFETCH(bool, perChannel);
    QS_NEED_SHARED("reference/aimet-export/mobilenet_v1_bnfold.onnx");
    auto model = importOnnx(qs::test::sharedPath(QStringLiteral("reference/aimet-export/mobilenet_v1_bnfold.onnx")));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    auto encs = readEncodingsFile(qs::test::sharedPath(QStringLiteral("reference/aimet-export/") + file));
    QVERIFY(encs.ok());
    assignChannelAxes(*model, *encs);
    auto qdq = makeQdqGraph(*model, *encs);
    QVERIFY2(qdq.ok(), qdq.ok() ? "" : qdq.error().message.c_str());
    const std::string path = m_dir.filePath(file + QStringLiteral(".onnx")).toStdString();
    auto exported = exportOnnx(*qdq, path);
    QVERIFY2(exported.ok(), exported.ok() ? "" : exported.error().message.c_str());
    auto back = importOnnx(path);
    QVERIFY(back.ok());
    QCOMPARE(back->opHistogram().at("QuantizeLinear"), 35);
    QCOMPARE(back->opHistogram().at("DequantizeLinear"), 35 + 28);
    QCOMPARE(back->opHistogram().at("Conv"), 28);
    QCOMPARE(back->outputs[0].name, model->outputs[0].name);
    int exact = 0;
    for (const auto &n : back->nodes) {
        if (n.opType != "DequantizeLinear" || !model->initializer(n.outputs[0]))
            continue;
        const std::vector<float> w = model->initializer(n.outputs[0])->toFloats();
        const std::vector<int64_t> q = back->initializer(n.inputs[0])->toInt64s();
        const std::vector<float> scale = back->initializer(n.inputs[1])->toFloats();
        QCOMPARE(int64_t(scale.size()), perChannel ? model->initializer(n.outputs[0])->dim(0) : int64_t(1));
        QCOMPARE(n.has("axis"), perChannel && scale.size() > 1);
        if (perChannel)
            continue;
        bool same = true;
        for (size_t i = 0; i < w.size(); ++i)
            same = same && std::fabs(float(q[i]) * scale[0] - w[i]) <= 1e-6f * std::fabs(w[i]);
        exact += same ? 1 : 0;
    }
    QCOMPARE(exact, perChannel ? 0 : 28);
}

QTEST_APPLESS_MAIN(TestEncodingsFile)
#include "tst_encodingsfile.moc"
