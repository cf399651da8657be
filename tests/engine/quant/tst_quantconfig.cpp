// AIMET-schema quantsim configs: the built-in defaults (AIMET's default_config.json and
// default_config_per_channel.json), the files shipped in resources/quantsim, booleans written as
// "True"/"False" or JSON booleans, and every validation message, exactly.

#include "testutil.h"

#include "quant/quantconfig.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace qs;

class TestQuantConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void perChannelDefaults();
    void shippedFilesMatchBuiltIns_data();
    void shippedFilesMatchBuiltIns();
    void trueFalseStrings();
    void optionalSections();
    void toleratedKeys();
    void errors_data();
    void errors();
    void files();
};

static std::string flags(const std::optional<bool> &v)
{
    return v ? (*v ? "True" : "False") : "-";
}

static std::string mapText(const std::map<std::string, bool> &m)
{
    std::string s;
    for (const auto &kv : m)
        s += (s.empty() ? "" : ",") + kv.first + "=" + (kv.second ? "True" : "False");
    return "{" + s + "}";
}

// Every field, one line each, so two configs compare with a readable diff.
static QStringList describe(const QuantsimConfig &c)
{
    auto b = [](bool v) { return std::string(v ? "True" : "False"); };
    QStringList out;
    auto add = [&](const std::string &s) { out << QString::fromStdString(s); };
    add("ops out=" + b(c.opsOutputQuantized) + " sym=" + b(c.opsSymmetric));
    add("params q=" + b(c.paramsQuantized) + " sym=" + b(c.paramsSymmetric));
    add("strict=" + b(c.strictSymmetric) + " unsigned=" + b(c.unsignedSymmetric) + " pc=" + b(c.perChannel));
    add("param q" + mapText(c.paramQuantized) + " sym" + mapText(c.paramSymmetric));
    for (const auto &kv : c.opTypes) {
        const OpQuantSettings &s = kv.second;
        add("op " + kv.first + " in=" + flags(s.isInputQuantized) + " out=" + flags(s.isOutputQuantized) +
            " sym=" + flags(s.isSymmetric) + " pc=" + flags(s.perChannel) + " q" + mapText(s.paramQuantized) +
            " sym" + mapText(s.paramSymmetric));
    }
    for (const auto &g : c.supergroups) {
        std::string s;
        for (const auto &op : g)
            s += (s.empty() ? "" : ",") + op;
        add("group " + s);
    }
    add("input=" + b(c.modelInputQuantized) + " output=" + b(c.modelOutputQuantized) +
        " outputGiven=" + b(c.modelOutputSpecified));
    return out;
}

static const char *const kNoOutput = " in=- out=False sym=- pc=- q{} sym{}";

void TestQuantConfig::defaults()
{
    const QStringList expected = {
        "ops out=True sym=False",
        "params q=True sym=True",
        "strict=False unsigned=True pc=False",
        "param q{bias=False} sym{}",
        "op BatchNormalization in=- out=- sym=- pc=- q{running_mean=False,running_var=False} sym{}",
        QString("op Cast") + kNoOutput,
        QString("op Dropout") + kNoOutput,
        QString("op Expand") + kNoOutput,
        QString("op Gather") + kNoOutput,
        QString("op Mean") + kNoOutput,
        QString("op Pad") + kNoOutput,
        QString("op Squeeze") + kNoOutput,
        "group Conv,Relu",
        "group ConvTranspose,Relu",
        "group Conv,Clip",
        "group Add,Relu",
        "group Gemm,Relu",
        "input=True output=True outputGiven=False",
    };
    QCOMPARE(describe(defaultQuantsimConfig()), expected);
}

void TestQuantConfig::perChannelDefaults()
{
    const QStringList expected = {
        "ops out=True sym=False",
        "params q=True sym=True",
        "strict=False unsigned=True pc=True",
        "param q{bias=False} sym{}",
        "op BatchNormalization in=- out=- sym=- pc=- q{running_mean=False,running_var=False} sym{}",
        QString("op Cast") + kNoOutput,
        QString("op Dropout") + kNoOutput,
        QString("op Expand") + kNoOutput,
        QString("op Gather") + kNoOutput,
        "op Gemm in=- out=- sym=- pc=False q{} sym{}",
        "op LayerNorm in=- out=- sym=- pc=False q{} sym{}",
        "op MatMul in=- out=- sym=- pc=False q{} sym{}",
        QString("op Mean") + kNoOutput,
        QString("op Pad") + kNoOutput,
        QString("op Squeeze") + kNoOutput,
        "group Conv,Relu",
        "group Conv,Clip",
        "group ConvTranspose,Relu",
        "group Add,Relu",
        "group Gemm,Relu",
        "input=True output=True outputGiven=False",
    };
    QCOMPARE(describe(defaultPerChannelQuantsimConfig()), expected);
}

void TestQuantConfig::shippedFilesMatchBuiltIns_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("perChannel");
    QTest::newRow("default") << "default_config.json" << false;
    QTest::newRow("per channel") << "default_config_per_channel.json" << true;
}

void TestQuantConfig::shippedFilesMatchBuiltIns()
{
    QFETCH(QString, file);
    QFETCH(bool, perChannel);
    const std::string path = (test::sourceDir() + "/resources/quantsim/" + file).toStdString();
    auto loaded = loadQuantsimConfig(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message.c_str());
    QCOMPARE(describe(loaded.value()),
             describe(perChannel ? defaultPerChannelQuantsimConfig() : defaultQuantsimConfig()));
}

// A minimal valid config with section `key` set to `value` (JSON text).
static std::string withSection(const std::string &key, const std::string &value)
{
    const std::vector<std::pair<std::string, std::string>> sections = {
        {"defaults", R"({"ops": {}, "params": {}})"}, {"params", "{}"},      {"op_type", "{}"},
        {"supergroups", "[]"},                         {"model_input", "{}"}, {"model_output", "{}"}};
    std::string s;
    for (const auto &kv : sections)
        s += (s.empty() ? "{" : ", ") + ("\"" + kv.first + "\": ") + (kv.first == key ? value : kv.second);
    return s + "}";
}

static const std::string kSkeleton = withSection("", "");

void TestQuantConfig::trueFalseStrings()
{
    const std::string strings = R"({"defaults": {"ops": {"is_output_quantized": "True", "is_symmetric": "True"},
        "params": {"is_quantized": "False", "is_symmetric": "False"}, "strict_symmetric": "True",
        "unsigned_symmetric": "False", "per_channel_quantization": "True"},
      "params": {"weight": {"is_quantized": "True", "is_symmetric": "False"}},
      "op_type": {"Conv": {"is_input_quantized": "True", "is_output_quantized": "False", "is_symmetric": "False",
        "per_channel_quantization": "False", "params": {"bias": {"is_quantized": "True"}}}},
      "supergroups": [{"op_list": ["Conv", "BatchNormalization", "Relu"]}],
      "model_input": {"is_input_quantized": "False"}, "model_output": {"is_output_quantized": "False"}})";
    std::string booleans = strings;
    for (const char *word : {"True", "False"}) {
        const std::string quoted = std::string("\"") + word + "\"";
        const std::string bare = word == std::string("True") ? "true" : "false";
        for (size_t at; (at = booleans.find(quoted)) != std::string::npos;)
            booleans.replace(at, quoted.size(), bare);
    }
    const QStringList expected = {
        "ops out=True sym=True",
        "params q=False sym=False",
        "strict=True unsigned=False pc=True",
        "param q{weight=True} sym{weight=False}",
        "op Conv in=True out=False sym=False pc=False q{bias=True} sym{}",
        "group Conv,BatchNormalization,Relu",
        "input=False output=False outputGiven=True",
    };
    auto a = parseQuantsimConfig(strings, "a.json");
    auto b = parseQuantsimConfig(booleans, "b.json");
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
    QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
    QCOMPARE(describe(a.value()), expected);
    QCOMPARE(describe(b.value()), expected);
}

// Absent keys take AIMET's meaning: activations asymmetric, params asymmetric unless
// is_symmetric says so, no per-channel, model inputs unquantized, model outputs untouched.
void TestQuantConfig::optionalSections()
{
    auto c = parseQuantsimConfig(kSkeleton, "min.json");
    QVERIFY(c.ok());
    const QStringList expected = {
        "ops out=True sym=False",
        "params q=True sym=False",
        "strict=False unsigned=True pc=False",
        "param q{} sym{}",
        "input=False output=True outputGiven=False",
    };
    QCOMPARE(describe(c.value()), expected);
}

void TestQuantConfig::toleratedKeys()
{
    const std::string text = R"({"defaults": {"hw_version": "V73", "ops": {}, "params": {},
        "supported_kernels": [{"activation": {"bitwidth": 16, "dtype": "int"},
                               "param": {"bitwidth": 8, "dtype": "int"}}]},
      "params": {}, "op_type": {"Softmax": {"encoding_constraints": {"min": 0.0, "max": 1.0},
        "supported_kernels": [{"activation": {"bitwidth": 16, "dtype": "float"}}]}},
      "supergroups": [], "model_input": {"is_input_quantized": true}, "model_output": {}})";
    auto c = parseQuantsimConfig(text, "htp.json");
    QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
    QCOMPARE(c.value().opTypes.count("Softmax"), size_t(1));
    QVERIFY(c.value().modelInputQuantized);
}

void TestQuantConfig::errors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    auto row = [](const char *name, const std::string &json, const char *message) {
        QTest::newRow(name) << QString::fromStdString(json) << QString(message);
    };
    std::string typo = kSkeleton;
    typo.replace(typo.find("defaults"), 8, "defualts");
    row("top-level typo", typo, "cfg.json: unknown key 'defualts' at top level");
    row("missing section", R"({"defaults": {"ops": {}, "params": {}}, "params": {}, "supergroups": [],
        "model_input": {}, "model_output": {}})", "cfg.json: missing key 'op_type' at top level");
    row("not an object", "[1, 2]", "cfg.json: the top level must be an object");
    row("empty text", "", "cfg.json: not valid JSON (line 1, column 1: syntax error while parsing value - "
                          "unexpected end of input; expected '[', '{', or a literal)");
    row("trailing comma", "{\n  \"defaults\": {\"ops\": {}, \"params\": {}},\n  \"params\": {,}\n}",
        "cfg.json: not valid JSON (line 3, column 14: syntax error while parsing object key - unexpected ','; "
        "expected string literal)");
    row("defaults not object", withSection("defaults", "\"True\""), "cfg.json: defaults must be an object");
    row("defaults missing ops", withSection("defaults", R"({"params": {}})"), "cfg.json: missing key 'ops' in defaults");
    row("defaults typo", withSection("defaults", R"({"ops": {}, "params": {}, "strict_symetric": "True"})"),
        "cfg.json: unknown key 'strict_symetric' in defaults");
    row("ops not object", withSection("defaults", R"({"ops": [], "params": {}})"),
        "cfg.json: defaults.ops must be an object");
    row("ops typo", withSection("defaults", R"({"ops": {"is_output_quantised": "True"}, "params": {}})"),
        "cfg.json: unknown key 'is_output_quantised' in defaults.ops");
    row("ops lowercase bool", withSection("defaults", R"({"ops": {"is_output_quantized": "true"}, "params": {}})"),
        "cfg.json: defaults.ops.is_output_quantized must be True or False");
    row("ops input", withSection("defaults", R"({"ops": {"is_input_quantized": "True"}, "params": {}})"),
        "cfg.json: defaults.ops.is_input_quantized is not supported (set is_input_quantized per op type)");
    row("params number", withSection("defaults", R"({"ops": {}, "params": {"is_quantized": 1}})"),
        "cfg.json: defaults.params.is_quantized must be True or False");
    row("params typo", withSection("defaults", R"({"ops": {}, "params": {"bitwidth": 8}})"),
        "cfg.json: unknown key 'bitwidth' in defaults.params");
    row("strict", withSection("defaults", R"({"ops": {}, "params": {}, "strict_symmetric": "yes"})"),
        "cfg.json: defaults.strict_symmetric must be True or False");
    row("unsigned", withSection("defaults", R"({"ops": {}, "params": {}, "unsigned_symmetric": null})"),
        "cfg.json: defaults.unsigned_symmetric must be True or False");
    row("per channel", withSection("defaults", R"({"ops": {}, "params": {}, "per_channel_quantization": 0})"),
        "cfg.json: defaults.per_channel_quantization must be True or False");
    row("hw_version", withSection("defaults", R"({"ops": {}, "params": {}, "hw_version": 73})"),
        "cfg.json: defaults.hw_version must be a string");
    row("kernels empty", withSection("defaults", R"({"ops": {}, "params": {}, "supported_kernels": []})"),
        "cfg.json: defaults.supported_kernels must be a non-empty list");
    row("kernels param missing",
        withSection("defaults", R"({"ops": {}, "params": {}, "supported_kernels": [{"activation": {"bitwidth": 8, "dtype": "int"}}]})"),
        "cfg.json: missing key 'param' in defaults.supported_kernels[0]");
    row("kernels bitwidth",
        withSection("defaults", R"({"ops": {}, "params": {}, "supported_kernels": [{"activation": {"bitwidth": 12, "dtype": "int"}, "param": {"bitwidth": 8, "dtype": "int"}}]})"),
        "cfg.json: defaults.supported_kernels[0].activation.bitwidth must be 4, 8, 16 or 32");
    row("kernels dtype",
        withSection("defaults", R"({"ops": {}, "params": {}, "supported_kernels": [{"activation": {"bitwidth": 8, "dtype": "int"}, "param": {"bitwidth": 8, "dtype": "fp"}}]})"),
        "cfg.json: defaults.supported_kernels[0].param.dtype must be \"int\" or \"float\"");
    row("param entry not object", withSection("params", R"({"bias": "False"})"), "cfg.json: params.bias must be an object");
    row("param entry typo", withSection("params", R"({"bias": {"quantized": "False"}})"),
        "cfg.json: unknown key 'quantized' in params.bias");
    row("param entry bool", withSection("params", R"({"weight": {"is_symmetric": "TRUE"}})"),
        "cfg.json: params.weight.is_symmetric must be True or False");
    row("op_type not object", withSection("op_type", "[]"), "cfg.json: op_type must be an object");
    row("op_type empty name", withSection("op_type", R"({"": {}})"),
        "cfg.json: op_type has an entry with an empty op type name");
    row("op_type entry", withSection("op_type", R"({"Conv": "False"})"), "cfg.json: op_type.Conv must be an object");
    row("op_type typo", withSection("op_type", R"({"Conv": {"is_output_quantize": "False"}})"),
        "cfg.json: unknown key 'is_output_quantize' in op_type.Conv");
    row("op_type output", withSection("op_type", R"({"Conv": {"is_output_quantized": "no"}})"),
        "cfg.json: op_type.Conv.is_output_quantized must be True or False");
    row("op_type input", withSection("op_type", R"({"Add": {"is_input_quantized": 1}})"),
        "cfg.json: op_type.Add.is_input_quantized must be True or False");
    row("op_type per channel", withSection("op_type", R"({"Gemm": {"per_channel_quantization": "Off"}})"),
        "cfg.json: op_type.Gemm.per_channel_quantization must be True or False");
    row("op_type params", withSection("op_type", R"({"Conv": {"params": []}})"),
        "cfg.json: op_type.Conv.params must be an object");
    row("op_type param bool", withSection("op_type", R"({"Conv": {"params": {"weight": {"is_quantized": "1"}}}})"),
        "cfg.json: op_type.Conv.params.weight.is_quantized must be True or False");
    row("op_type kernels", withSection("op_type", R"({"Softmax": {"supported_kernels": [{"param": {"bitwidth": 8, "dtype": "int"}}]}})"),
        "cfg.json: missing key 'activation' in op_type.Softmax.supported_kernels[0]");
    row("constraints", withSection("op_type", R"({"Softmax": {"encoding_constraints": {"min": "0", "max": 1}}})"),
        "cfg.json: op_type.Softmax.encoding_constraints.min must be a number");
    row("constraints missing", withSection("op_type", R"({"Softmax": {"encoding_constraints": {"min": 0}}})"),
        "cfg.json: missing key 'max' in op_type.Softmax.encoding_constraints");
    row("supergroups object", withSection("supergroups", R"({"op_list": ["Conv", "Relu"]})"),
        "cfg.json: supergroups must be a list");
    row("supergroup string", withSection("supergroups", R"(["Conv"])"), "cfg.json: supergroups[0] must be an object");
    row("supergroup typo", withSection("supergroups", R"([{"ops": ["Conv", "Relu"]}])"),
        "cfg.json: unknown key 'ops' in supergroups[0]");
    row("supergroup missing", withSection("supergroups", R"([{}])"), "cfg.json: missing key 'op_list' in supergroups[0]");
    row("supergroup short", withSection("supergroups", R"([{"op_list": ["Conv", "Relu"]}, {"op_list": ["Conv"]}])"),
        "cfg.json: supergroups[1].op_list must be a list of at least 2 op types");
    row("supergroup op", withSection("supergroups", R"([{"op_list": ["Conv", 7]}])"),
        "cfg.json: supergroups[0].op_list[1] must be an op type name");
    row("model_input list", withSection("model_input", "[]"), "cfg.json: model_input must be an object");
    row("model_input typo", withSection("model_input", R"({"is_quantized": "True"})"),
        "cfg.json: unknown key 'is_quantized' in model_input");
    row("model_input bool", withSection("model_input", R"({"is_input_quantized": "1"})"),
        "cfg.json: model_input.is_input_quantized must be True or False");
    row("model_output typo", withSection("model_output", R"({"is_input_quantized": "True"})"),
        "cfg.json: unknown key 'is_input_quantized' in model_output");
    row("model_output bool", withSection("model_output", R"({"is_output_quantized": 0})"),
        "cfg.json: model_output.is_output_quantized must be True or False");
}

void TestQuantConfig::errors()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    auto c = parseQuantsimConfig(json.toStdString(), "cfg.json");
    QVERIFY(!c.ok());
    QCOMPARE(QString::fromStdString(c.error().message), message);
    QCOMPARE(c.error().code, ErrorCode::Format);
}

void TestQuantConfig::files()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string base = dir.path().toStdString();

    auto missing = loadQuantsimConfig(base + "/cfg.json");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message, base + "/cfg.json: no such file");
    QCOMPARE(missing.error().code, ErrorCode::Io);

    auto directory = loadQuantsimConfig(base);
    QVERIFY(!directory.ok());
    QCOMPARE(directory.error().message, base + ": is a directory, not a file");

    std::ofstream(base + "/broken.json") << "{\"defaults\": {\"ops\": {}, \"params\": {}},\n \"params\": True}";
    auto broken = loadQuantsimConfig(base + "/broken.json");
    QVERIFY(!broken.ok());
    QCOMPARE(broken.error().message,
             base + "/broken.json: not valid JSON (line 2, column 12: syntax error while parsing value - invalid "
                    "literal; last read: '\"params\": T')");

    std::ofstream(base + "/ok.json") << withSection("op_type", R"({"Relu": {"is_output_quantized": "False"}})");
    auto ok = loadQuantsimConfig(base + "/ok.json");
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    QCOMPARE(ok.value().opTypes.at("Relu").isOutputQuantized, std::optional<bool>(false));
}

QTEST_APPLESS_MAIN(TestQuantConfig)
#include "tst_quantconfig.moc"
