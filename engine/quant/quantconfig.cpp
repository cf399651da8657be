#include "quant/quantconfig.h"

#include "core/fileutil.h"
#include "core/limits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>

namespace qs {

namespace {

using Json = nlohmann::json;

// AIMET's default_config.json (quic/aimet, aimet_common/quantsim_config), the configuration
// AIMET applies when none is given. Kept in AIMET's own schema so it goes through the same
// parser as user files.
const char *const kDefaultConfig = R"({
  "defaults": {
    "ops": {"is_output_quantized": "True"},
    "params": {"is_quantized": "True", "is_symmetric": "True"},
    "strict_symmetric": "False",
    "per_channel_quantization": "False"
  },
  "params": {"bias": {"is_quantized": "False"}},
  "op_type": {
    "BatchNormalization": {
      "params": {"running_mean": {"is_quantized": "False"}, "running_var": {"is_quantized": "False"}}
    },
    "Cast": {"is_output_quantized": "False"},
    "Dropout": {"is_output_quantized": "False"},
    "Expand": {"is_output_quantized": "False"},
    "Squeeze": {"is_output_quantized": "False"},
    "Pad": {"is_output_quantized": "False"},
    "Mean": {"is_output_quantized": "False"},
    "Gather": {"is_output_quantized": "False"}
  },
  "supergroups": [
    {"op_list": ["Conv", "Relu"]},
    {"op_list": ["ConvTranspose", "Relu"]},
    {"op_list": ["Conv", "Clip"]},
    {"op_list": ["Add", "Relu"]},
    {"op_list": ["Gemm", "Relu"]}
  ],
  "model_input": {"is_input_quantized": "True"},
  "model_output": {}
})";

// default_config_per_channel.json: the same with per-channel weights, except for Gemm, MatMul
// and LayerNorm.
const char *const kPerChannelConfig = R"({
  "defaults": {
    "ops": {"is_output_quantized": "True"},
    "params": {"is_quantized": "True", "is_symmetric": "True"},
    "strict_symmetric": "False",
    "per_channel_quantization": "True"
  },
  "params": {"bias": {"is_quantized": "False"}},
  "op_type": {
    "BatchNormalization": {
      "params": {"running_mean": {"is_quantized": "False"}, "running_var": {"is_quantized": "False"}}
    },
    "Cast": {"is_output_quantized": "False"},
    "Dropout": {"is_output_quantized": "False"},
    "Expand": {"is_output_quantized": "False"},
    "Squeeze": {"is_output_quantized": "False"},
    "Pad": {"is_output_quantized": "False"},
    "Mean": {"is_output_quantized": "False"},
    "Gemm": {"per_channel_quantization": "False"},
    "MatMul": {"per_channel_quantization": "False"},
    "LayerNorm": {"per_channel_quantization": "False"},
    "Gather": {"is_output_quantized": "False"}
  },
  "supergroups": [
    {"op_list": ["Conv", "Relu"]},
    {"op_list": ["Conv", "Clip"]},
    {"op_list": ["ConvTranspose", "Relu"]},
    {"op_list": ["Add", "Relu"]},
    {"op_list": ["Gemm", "Relu"]}
  ],
  "model_input": {"is_input_quantized": "True"},
  "model_output": {}
})";

// Validates AIMET's schema (quantsim_config_schema.py) and fills a QuantsimConfig. Every error is
// one line naming the file and the key path ("defaults.ops.is_output_quantized").
class ConfigReader {
public:
    explicit ConfigReader(std::string name) : m_name(std::move(name)) {}

    QuantsimConfig read(const Json &root)
    {
        if (!root.is_object())
            error("the top level must be an object");
        requireKeys(root, "", {"defaults", "params", "op_type", "supergroups", "model_input", "model_output"},
                    {"defaults", "params", "op_type", "supergroups", "model_input", "model_output"});
        QuantsimConfig c;
        readDefaults(root.at("defaults"), c);
        readParamTable(root.at("params"), "params", c.paramQuantized, c.paramSymmetric);
        readOpTypes(root.at("op_type"), c);
        readSupergroups(root.at("supergroups"), c);
        readModelInput(root.at("model_input"), c);
        readModelOutput(root.at("model_output"), c);
        return c;
    }

    [[noreturn]] void error(const std::string &what) const { fail(ErrorCode::Format, m_name + ": " + what); }

private:
    static std::string join(const std::string &path, const std::string &key)
    {
        return path.empty() ? key : path + "." + key;
    }

    static std::string where(const std::string &path) { return path.empty() ? "at top level" : "in " + path; }

    // Unknown keys first (the usual typo), then missing required ones.
    void requireKeys(const Json &obj, const std::string &path, std::initializer_list<const char *> allowed,
                     std::initializer_list<const char *> required) const
    {
        for (const auto &item : obj.items()) {
            const bool known = std::any_of(allowed.begin(), allowed.end(),
                                           [&](const char *k) { return item.key() == k; });
            if (!known)
                error("unknown key '" + item.key() + "' " + where(path));
        }
        for (const char *k : required)
            if (!obj.contains(k))
                error("missing key '" + std::string(k) + "' " + where(path));
    }

    const Json &object(const Json &parent, const std::string &key, const std::string &path) const
    {
        const Json &v = parent.at(key);
        if (!v.is_object())
            error(path + " must be an object");
        return v;
    }

    // AIMET writes "True"/"False"; JSON booleans are accepted as well.
    bool boolean(const Json &v, const std::string &path) const
    {
        if (v.is_boolean())
            return v.get<bool>();
        if (v.is_string() && v.get<std::string>() == "True")
            return true;
        if (v.is_string() && v.get<std::string>() == "False")
            return false;
        error(path + " must be True or False");
    }

    std::optional<bool> optBool(const Json &obj, const char *key, const std::string &path) const
    {
        if (!obj.contains(key))
            return std::nullopt;
        return boolean(obj.at(key), join(path, key));
    }

    void readDefaults(const Json &d, QuantsimConfig &c)
    {
        if (!d.is_object())
            error("defaults must be an object");
        requireKeys(d, "defaults",
                    {"ops", "params", "strict_symmetric", "unsigned_symmetric", "per_channel_quantization",
                     "supported_kernels", "hw_version"},
                    {"ops", "params"});
        const Json &ops = object(d, "ops", "defaults.ops");
        requireKeys(ops, "defaults.ops", {"is_input_quantized", "is_output_quantized", "is_symmetric"}, {});
        if (ops.contains("is_input_quantized")) {
            boolean(ops.at("is_input_quantized"), "defaults.ops.is_input_quantized");
            error("defaults.ops.is_input_quantized is not supported (set is_input_quantized per op type)");
        }
        c.opsOutputQuantized = optBool(ops, "is_output_quantized", "defaults.ops").value_or(true);
        c.opsSymmetric = optBool(ops, "is_symmetric", "defaults.ops").value_or(false);
        const Json &params = object(d, "params", "defaults.params");
        requireKeys(params, "defaults.params", {"is_quantized", "is_symmetric"}, {});
        c.paramsQuantized = optBool(params, "is_quantized", "defaults.params").value_or(true);
        c.paramsSymmetric = optBool(params, "is_symmetric", "defaults.params").value_or(false);
        c.strictSymmetric = optBool(d, "strict_symmetric", "defaults").value_or(false);
        c.unsignedSymmetric = optBool(d, "unsigned_symmetric", "defaults").value_or(true);
        c.perChannel = optBool(d, "per_channel_quantization", "defaults").value_or(false);
        if (d.contains("supported_kernels"))
            checkKernels(d.at("supported_kernels"), "defaults.supported_kernels", true);
        if (d.contains("hw_version") && !d.at("hw_version").is_string())
            error("defaults.hw_version must be a string");
    }

    void readParamTable(const Json &table, const std::string &path, std::map<std::string, bool> &quantized,
                        std::map<std::string, bool> &symmetric)
    {
        if (!table.is_object())
            error(path + " must be an object");
        for (const auto &item : table.items()) {
            const std::string p = join(path, item.key());
            if (!item.value().is_object())
                error(p + " must be an object");
            requireKeys(item.value(), p, {"is_quantized", "is_symmetric"}, {});
            if (auto q = optBool(item.value(), "is_quantized", p))
                quantized[item.key()] = *q;
            if (auto s = optBool(item.value(), "is_symmetric", p))
                symmetric[item.key()] = *s;
        }
    }

    void readOpTypes(const Json &table, QuantsimConfig &c)
    {
        if (!table.is_object())
            error("op_type must be an object");
        for (const auto &item : table.items()) {
            if (item.key().empty())
                error("op_type has an entry with an empty op type name");
            const std::string p = "op_type." + item.key();
            const Json &v = item.value();
            if (!v.is_object())
                error(p + " must be an object");
            requireKeys(v, p,
                        {"is_input_quantized", "is_output_quantized", "is_symmetric", "params",
                         "per_channel_quantization", "supported_kernels", "encoding_constraints"},
                        {});
            OpQuantSettings s;
            s.isInputQuantized = optBool(v, "is_input_quantized", p);
            s.isOutputQuantized = optBool(v, "is_output_quantized", p);
            s.isSymmetric = optBool(v, "is_symmetric", p);
            s.perChannel = optBool(v, "per_channel_quantization", p);
            if (v.contains("params"))
                readParamTable(v.at("params"), p + ".params", s.paramQuantized, s.paramSymmetric);
            if (v.contains("supported_kernels"))
                checkKernels(v.at("supported_kernels"), p + ".supported_kernels", false);
            if (v.contains("encoding_constraints"))
                checkConstraints(v.at("encoding_constraints"), p + ".encoding_constraints");
            c.opTypes[item.key()] = std::move(s);
        }
    }

    void readSupergroups(const Json &list, QuantsimConfig &c)
    {
        if (!list.is_array())
            error("supergroups must be a list");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string p = "supergroups[" + std::to_string(i) + "]";
            const Json &g = list[i];
            if (!g.is_object())
                error(p + " must be an object");
            requireKeys(g, p, {"op_list"}, {"op_list"});
            const Json &ops = g.at("op_list");
            if (!ops.is_array() || ops.size() < 2)
                error(p + ".op_list must be a list of at least 2 op types");
            std::vector<std::string> group;
            for (size_t j = 0; j < ops.size(); ++j) {
                if (!ops[j].is_string() || ops[j].get<std::string>().empty())
                    error(p + ".op_list[" + std::to_string(j) + "] must be an op type name");
                group.push_back(ops[j].get<std::string>());
            }
            c.supergroups.push_back(std::move(group));
        }
    }

    // An absent is_input_quantized leaves the model inputs unquantized, as in AIMET (whose
    // defaults disable them and only model_input turns them on).
    void readModelInput(const Json &v, QuantsimConfig &c)
    {
        if (!v.is_object())
            error("model_input must be an object");
        requireKeys(v, "model_input", {"is_input_quantized"}, {});
        c.modelInputQuantized = optBool(v, "is_input_quantized", "model_input").value_or(false);
    }

    void readModelOutput(const Json &v, QuantsimConfig &c)
    {
        if (!v.is_object())
            error("model_output must be an object");
        requireKeys(v, "model_output", {"is_output_quantized"}, {});
        const std::optional<bool> q = optBool(v, "is_output_quantized", "model_output");
        c.modelOutputSpecified = q.has_value();
        c.modelOutputQuantized = q.value_or(true);
    }

    // supported_kernels is validated (AIMET's schema) but not used: it only steers AIMET's
    // hardware-specific mixed-precision checks.
    void checkKernels(const Json &list, const std::string &path, bool paramRequired) const
    {
        if (!list.is_array() || list.empty())
            error(path + " must be a non-empty list");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string p = path + "[" + std::to_string(i) + "]";
            if (!list[i].is_object())
                error(p + " must be an object");
            if (paramRequired)
                requireKeys(list[i], p, {"activation", "param"}, {"activation", "param"});
            else
                requireKeys(list[i], p, {"activation", "param"}, {"activation"});
            for (const char *side : {"activation", "param"})
                if (list[i].contains(side))
                    checkKernel(list[i].at(side), p + "." + side);
        }
    }

    void checkKernel(const Json &k, const std::string &path) const
    {
        if (!k.is_object())
            error(path + " must be an object");
        requireKeys(k, path, {"bitwidth", "dtype"}, {"bitwidth", "dtype"});
        const Json &bw = k.at("bitwidth");
        const bool bwOk = bw.is_number_integer() &&
                          (bw.get<int64_t>() == 4 || bw.get<int64_t>() == 8 || bw.get<int64_t>() == 16 ||
                           bw.get<int64_t>() == 32);
        if (!bwOk)
            error(path + ".bitwidth must be 4, 8, 16 or 32");
        const Json &dt = k.at("dtype");
        if (!dt.is_string() || (dt.get<std::string>() != "int" && dt.get<std::string>() != "float"))
            error(path + ".dtype must be \"int\" or \"float\"");
    }

    void checkConstraints(const Json &v, const std::string &path) const
    {
        if (!v.is_object())
            error(path + " must be an object");
        requireKeys(v, path, {"min", "max"}, {"min", "max"});
        for (const char *k : {"min", "max"})
            if (!v.at(k).is_number())
                error(path + "." + k + " must be a number");
    }

    std::string m_name;
};

// "line L, column C: <cause>" from nlohmann's byte offset (1-based, the offending character).
// nlohmann's message without its "[json.exception.out_of_range.406] " prefix.
std::string jsonCause(const Json::exception &e)
{
    const std::string what = e.what();
    const size_t end = what.find("] ");
    return what.compare(0, 16, "[json.exception.") == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

std::string parsePosition(const std::string &text, const Json::parse_error &e)
{
    const size_t end = std::min(text.size(), e.byte > 0 ? size_t(e.byte - 1) : size_t(0));
    size_t line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    std::string cause = e.what();
    const size_t colon = cause.find(": ", cause.find("parse error"));
    if (colon != std::string::npos)
        cause = cause.substr(colon + 2);
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + cause;
}

QuantsimConfig builtIn(const char *text, const char *name)
{
    return parseQuantsimConfig(text, name).take();
}

} // namespace

Result<QuantsimConfig> parseQuantsimConfig(const std::string &jsonText, const std::string &displayName)
{
    const std::string name = displayName.empty() ? std::string("config") : displayName;
    if (jsonNestingDepth(jsonText) > kMaxJsonDepth)
        return Error{ErrorCode::Limit, name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    Json root;
    try {
        root = Json::parse(jsonText);
    } catch (const Json::parse_error &e) {
        return Error{ErrorCode::Format, name + ": not valid JSON (" + parsePosition(jsonText, e) + ")"};
    } catch (const Json::exception &e) {
        // Numbers beyond double's range ("1E999") end the parse with out_of_range, not parse_error.
        return Error{ErrorCode::Format, name + ": not valid JSON (" + jsonCause(e) + ")"};
    }
    try {
        return ConfigReader(name).read(root);
    } catch (const Exception &e) {
        return e.error();
    } catch (const Json::exception &e) {
        return Error{ErrorCode::Format, name + ": " + jsonCause(e)};
    }
}

Result<QuantsimConfig> loadQuantsimConfig(const std::string &path)
{
    std::string text;
    try {
        text = readFileBytes(path, size_t(16) << 20);
    } catch (const Exception &e) {
        return e.error();
    }
    return parseQuantsimConfig(text, path);
}

QuantsimConfig defaultQuantsimConfig()
{
    static const QuantsimConfig config = builtIn(kDefaultConfig, "default_config.json");
    return config;
}

QuantsimConfig defaultPerChannelQuantsimConfig()
{
    static const QuantsimConfig config = builtIn(kPerChannelConfig, "default_config_per_channel.json");
    return config;
}

} // namespace qs
