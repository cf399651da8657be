// AIMET encodings files. The writer reproduces aimet_torch's export byte for byte: Python's
// json.dump with sort_keys=True and indent=4. nlohmann's own dump differs from Python in one place
// (its shortest float digits do not break ties to even: 0.9885330200195313 where Python writes
// ...312), so the text is printed here, with std::to_chars giving Python's digits.
#include "quant/encodingsfile.h"

#include "core/fileutil.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace qs {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

const char *kV061 = "0.6.1";
const char *kV100 = "1.0.0";

double finiteNumber(double v, const TensorEncoding &te, const char *field)
{
    if (!std::isfinite(v))
        fail(ErrorCode::Invalid, "tensor '" + te.tensor + "': " + field + " is not a finite number");
    return v;
}

void checkWritable(const TensorEncoding &te)
{
    if (te.encodings.empty())
        fail(ErrorCode::Invalid, "tensor '" + te.tensor + "' has no encoding");
    if (!te.perChannel && te.encodings.size() != 1)
        fail(ErrorCode::Invalid, "tensor '" + te.tensor + "' is per-tensor but has " +
                                     std::to_string(te.encodings.size()) + " encodings");
    for (const auto &e : te.encodings)
        if (e.bitwidth != te.encodings[0].bitwidth || e.symmetric != te.encodings[0].symmetric)
            fail(ErrorCode::Invalid, "tensor '" + te.tensor + "': channels differ in bitwidth or symmetry");
}

Json legacyEntries(const TensorEncoding &te)
{
    Json list = Json::array();
    for (const auto &e : te.encodings) {
        Json j;
        j["bitwidth"] = e.bitwidth;
        j["dtype"] = "int";
        j["is_symmetric"] = e.symmetric ? "True" : "False";
        j["max"] = finiteNumber(e.max, te, "max");
        j["min"] = finiteNumber(e.min, te, "min");
        j["offset"] = e.offset;
        j["scale"] = finiteNumber(e.scale, te, "scale");
        list.push_back(std::move(j));
    }
    return list;
}

// As aimet_torch writes it (integer offsets; aimet_onnx writes them as floats, e.g. -128.0).
Json entry100(const TensorEncoding &te)
{
    Json j;
    j["bw"] = te.encodings[0].bitwidth;
    j["dtype"] = "INT";
    j["enc_type"] = te.perChannel ? "PER_CHANNEL" : "PER_TENSOR";
    j["is_sym"] = te.encodings[0].symmetric;
    j["name"] = te.tensor;
    Json scales = Json::array(), offsets = Json::array();
    for (const auto &e : te.encodings) {
        scales.push_back(finiteNumber(e.scale, te, "scale"));
        offsets.push_back(e.offset);
    }
    j["offset"] = std::move(offsets);
    j["scale"] = std::move(scales);
    return j;
}

Json quantizerArgsJson(const QuantizerArgs &args)
{
    Json j;
    j["activation_bitwidth"] = args.activationBitwidth;
    j["dtype"] = "int";
    j["is_symmetric"] = args.isSymmetric;
    j["param_bitwidth"] = args.paramBitwidth;
    j["per_channel_quantization"] = args.perChannel;
    j["quant_scheme"] = args.quantScheme;
    return j;
}

// Python's float repr: the shortest round-trip digits, fixed notation for exponents -4..15,
// otherwise d.ddde-XX.
std::string pythonFloat(double v)
{
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string s(buf, res.ptr), sign;
    if (s[0] == '-') {
        sign = "-";
        s.erase(0, 1);
    }
    const auto epos = s.find('e');
    const int exp = std::stoi(s.substr(epos + 1));
    std::string digits = s.substr(0, epos);
    if (digits.size() > 1)
        digits.erase(1, 1); // the decimal point
    if (exp < -4 || exp >= 16) {
        char e[16];
        std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
        return sign + digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + e;
    }
    if (exp < 0)
        return sign + "0." + std::string(size_t(-exp - 1), '0') + digits;
    if (digits.size() <= size_t(exp) + 1)
        return sign + digits + std::string(size_t(exp) + 1 - digits.size(), '0') + ".0";
    return sign + digits.substr(0, size_t(exp) + 1) + "." + digits.substr(size_t(exp) + 1);
}

// json.dump(indent=4) layout: one member per line, ", " never used, empty containers as {} / [].
void printJson(const Json &j, int depth, std::string &out)
{
    const std::string pad(size_t(depth + 1) * 4, ' ');
    if ((j.is_object() || j.is_array()) && !j.empty()) {
        out += j.is_object() ? "{\n" : "[\n";
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            out += first ? "" : ",\n";
            first = false;
            out += pad;
            if (j.is_object())
                out += Json(it.key()).dump(-1, ' ', true, Json::error_handler_t::replace) + ": ";
            printJson(*it, depth + 1, out);
        }
        out += "\n" + std::string(size_t(depth) * 4, ' ') + (j.is_object() ? "}" : "]");
    } else if (j.is_number_float()) {
        out += pythonFloat(j.get<double>());
    } else {
        // Strings (escaped to ASCII as Python does by default), integers, booleans, {} and [].
        out += j.dump(-1, ' ', true, Json::error_handler_t::replace);
    }
}

std::string toJson(const std::vector<TensorEncoding> &encodings, const QuantizerArgs &args,
                   const std::string &version)
{
    if (version != kV061 && version != kV100)
        fail(ErrorCode::Usage, "encodings version '" + version + "' is not supported (0.6.1 or 1.0.0)");
    const bool legacy = version == kV061;
    Json activations = legacy ? Json::object() : Json::array();
    Json params = legacy ? Json::object() : Json::array();
    std::set<std::string> seen;
    for (const auto &te : encodings) {
        checkWritable(te);
        if (!seen.insert(te.tensor).second)
            fail(ErrorCode::Invalid, "tensor '" + te.tensor + "' has two encodings");
        Json &section = te.kind == QuantizerKind::Param ? params : activations;
        if (legacy)
            section[te.tensor] = legacyEntries(te);
        else
            section.push_back(entry100(te));
    }
    Json root;
    root["activation_encodings"] = std::move(activations);
    // aimet_torch (which wrote ../shared/reference/aimet-export) lists the layers it left out of
    // quantization here; every enabled quantizer is in the file, so the list is empty.
    root["excluded_layers"] = Json::array();
    root["param_encodings"] = std::move(params);
    root["quantizer_args"] = quantizerArgsJson(args);
    root["version"] = version;
    std::string text;
    printJson(root, 0, text);
    return text;
}

// --- reading ---

// Reads one file's JSON; every message is prefixed by the caller (capture) with the file name.
class Reader {
public:
    explicit Reader(const OrderedJson &root) : m_root(root) {}
    std::vector<TensorEncoding> read(QuantizerArgs *args);

private:
    void readLegacySection(const char *section, QuantizerKind kind);
    void readSection100(const char *section, QuantizerKind kind);
    Encoding legacyEncoding(const OrderedJson &j, const std::string &where) const;
    TensorEncoding entry100(const OrderedJson &j, const std::string &where, QuantizerKind kind) const;
    void add(TensorEncoding te, const std::string &where);
    QuantizerArgs quantizerArgs() const;

    const OrderedJson &m_root;
    std::vector<TensorEncoding> m_out;
    std::set<std::string> m_names;
};

[[noreturn]] void bad(const std::string &where, const std::string &cause)
{
    fail(ErrorCode::Format, where + ": " + cause);
}

double number(const OrderedJson &j, const char *key, const std::string &where)
{
    auto it = j.find(key);
    if (it == j.end())
        bad(where, std::string("'") + key + "' is missing");
    if (!it->is_number())
        bad(where, std::string("'") + key + "' must be a number");
    const double v = it->get<double>();
    if (!std::isfinite(v))
        bad(where, std::string("'") + key + "' is not finite");
    return v;
}

int64_t integral(const OrderedJson &v, const std::string &what, const std::string &where)
{
    if (v.is_number_integer())
        return v.get<int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return int64_t(d);
    }
    bad(where, what + " must be an integer");
}

int bitwidthValue(const OrderedJson &j, const char *key, const std::string &where)
{
    auto it = j.find(key);
    if (it == j.end())
        bad(where, std::string("'") + key + "' is missing");
    const int64_t bw = integral(*it, std::string("'") + key + "'", where);
    if (bw < 1 || bw > 32)
        bad(where, std::string("'") + key + "' " + std::to_string(bw) + " is outside 1..32");
    return int(bw);
}

// Older AIMET releases wrote is_symmetric as a JSON boolean, 0.6.1 as the string "True"/"False".
bool symmetricValue(const OrderedJson &j, const char *key, const std::string &where)
{
    auto it = j.find(key);
    if (it == j.end())
        return false;
    if (it->is_boolean())
        return it->get<bool>();
    if (it->is_string() && (*it == "True" || *it == "False"))
        return *it == "True";
    bad(where, std::string("'") + key + "' must be \"True\" or \"False\"");
}

void checkIntDtype(const OrderedJson &j, const char *intName, const std::string &where)
{
    auto it = j.find("dtype");
    if (it == j.end())
        return;
    if (!it->is_string())
        bad(where, "'dtype' must be a string");
    if (*it != intName)
        fail(ErrorCode::Unsupported, where + ": dtype '" + it->get<std::string>() +
                                         "' is not supported (integer encodings only)");
}

Encoding Reader::legacyEncoding(const OrderedJson &j, const std::string &where) const
{
    if (!j.is_object())
        bad(where, "must be an object");
    checkIntDtype(j, "int", where);
    Encoding e;
    e.bitwidth = bitwidthValue(j, "bitwidth", where);
    e.min = number(j, "min", where);
    e.max = number(j, "max", where);
    e.scale = number(j, "scale", where);
    auto off = j.find("offset");
    if (off == j.end())
        bad(where, "'offset' is missing");
    e.offset = integral(*off, "'offset'", where);
    e.symmetric = symmetricValue(j, "is_symmetric", where);
    if (!(e.scale > 0))
        bad(where, "'scale' must be positive");
    return e;
}

void Reader::add(TensorEncoding te, const std::string &where)
{
    if (!m_names.insert(te.tensor).second)
        bad(where, "tensor '" + te.tensor + "' appears twice");
    m_out.push_back(std::move(te));
}

void Reader::readLegacySection(const char *section, QuantizerKind kind)
{
    auto it = m_root.find(section);
    if (it == m_root.end())
        return;
    if (!it->is_object())
        bad(section, "must be an object of tensor names");
    for (const auto &kv : it->items()) {
        const std::string where = std::string(section) + " '" + kv.key() + "'";
        TensorEncoding te;
        te.tensor = kv.key();
        te.kind = kind;
        // Some older AIMET exports hold a single object rather than a list.
        if (kv.value().is_object()) {
            te.encodings.push_back(legacyEncoding(kv.value(), where));
        } else if (kv.value().is_array() && !kv.value().empty()) {
            for (size_t i = 0; i < kv.value().size(); ++i)
                te.encodings.push_back(legacyEncoding(kv.value()[i], where + " entry " + std::to_string(i)));
        } else {
            bad(where, "must be a non-empty list of encodings");
        }
        te.perChannel = te.encodings.size() > 1;
        add(std::move(te), where);
    }
}

TensorEncoding Reader::entry100(const OrderedJson &j, const std::string &where0, QuantizerKind kind) const
{
    if (!j.is_object())
        bad(where0, "must be an object");
    auto name = j.find("name");
    if (name == j.end() || !name->is_string())
        bad(where0, "'name' must be a string");
    const std::string where = where0 + " '" + name->get<std::string>() + "'";
    checkIntDtype(j, "INT", where);
    TensorEncoding te;
    te.tensor = name->get<std::string>();
    te.kind = kind;
    auto type = j.find("enc_type");
    const std::string encType = type != j.end() && type->is_string() ? type->get<std::string>() : "";
    if (encType == "PER_BLOCK" || encType == "LPBQ" || encType == "VECTOR")
        fail(ErrorCode::Unsupported, where + ": enc_type " + encType + " is not supported (PER_TENSOR or PER_CHANNEL)");
    if (encType != "PER_TENSOR" && encType != "PER_CHANNEL")
        bad(where, "'enc_type' must be \"PER_TENSOR\" or \"PER_CHANNEL\"");
    te.perChannel = encType == "PER_CHANNEL";
    const int bw = bitwidthValue(j, "bw", where);
    auto sym = j.find("is_sym");
    if (sym != j.end() && !sym->is_boolean())
        bad(where, "'is_sym' must be true or false");
    const bool symmetric = sym != j.end() && sym->get<bool>();
    auto scales = j.find("scale"), offsets = j.find("offset");
    if (scales == j.end() || !scales->is_array() || scales->empty())
        bad(where, "'scale' must be a non-empty list of numbers");
    if (offsets == j.end() || !offsets->is_array() || offsets->size() != scales->size())
        bad(where, "'offset' must be a list as long as 'scale'");
    if (!te.perChannel && scales->size() != 1)
        bad(where, "PER_TENSOR needs exactly one scale, got " + std::to_string(scales->size()));
    for (size_t i = 0; i < scales->size(); ++i) {
        const auto &s = (*scales)[i];
        if (!s.is_number() || !std::isfinite(s.get<double>()) || !(s.get<double>() > 0))
            bad(where, "scale " + std::to_string(i) + " must be a positive number");
        Encoding e;
        e.bitwidth = bw;
        e.symmetric = symmetric;
        e.scale = s.get<double>();
        e.offset = integral((*offsets)[i], "offset " + std::to_string(i), where);
        // 1.0.0 stores no range: rebuild it from the grid. Strict symmetric grids start one step
        // higher (offset -2^(bw-1)+1) and have one step fewer.
        const double steps = std::ldexp(1.0, bw) - 1;
        const bool strict = symmetric && e.offset == -(int64_t(1) << (bw - 1)) + 1;
        e.min = e.scale * double(e.offset);
        e.max = e.scale * (double(e.offset) + steps - (strict ? 1 : 0));
        te.encodings.push_back(e);
    }
    return te;
}

void Reader::readSection100(const char *section, QuantizerKind kind)
{
    auto it = m_root.find(section);
    if (it == m_root.end())
        return;
    if (!it->is_array())
        bad(section, "must be a list of encodings");
    for (size_t i = 0; i < it->size(); ++i) {
        const std::string where = std::string(section) + " entry " + std::to_string(i);
        TensorEncoding te = entry100((*it)[i], where, kind);
        add(std::move(te), where);
    }
}

QuantizerArgs Reader::quantizerArgs() const
{
    QuantizerArgs args;
    auto it = m_root.find("quantizer_args");
    if (it == m_root.end())
        return args;
    if (!it->is_object())
        bad("quantizer_args", "must be an object");
    const OrderedJson &q = *it;
    auto boolean = [&](const char *key, bool &out) {
        auto v = q.find(key);
        if (v != q.end()) {
            if (!v->is_boolean())
                bad("quantizer_args", std::string("'") + key + "' must be true or false");
            out = v->get<bool>();
        }
    };
    if (auto v = q.find("quant_scheme"); v != q.end()) {
        if (!v->is_string())
            bad("quantizer_args", "'quant_scheme' must be a string");
        args.quantScheme = v->get<std::string>();
    }
    if (q.contains("param_bitwidth"))
        args.paramBitwidth = bitwidthValue(q, "param_bitwidth", "quantizer_args");
    if (q.contains("activation_bitwidth"))
        args.activationBitwidth = bitwidthValue(q, "activation_bitwidth", "quantizer_args");
    boolean("is_symmetric", args.isSymmetric);
    boolean("per_channel_quantization", args.perChannel);
    return args;
}

std::vector<TensorEncoding> Reader::read(QuantizerArgs *args)
{
    if (!m_root.is_object())
        fail(ErrorCode::Format, "not an encodings file (the top level is not a JSON object)");
    std::string version = kV061; // files from before the version key have the legacy layout
    if (auto v = m_root.find("version"); v != m_root.end()) {
        if (!v->is_string())
            bad("version", "must be a string");
        version = v->get<std::string>();
    }
    if (version == kV100) {
        readSection100("activation_encodings", QuantizerKind::Activation);
        readSection100("param_encodings", QuantizerKind::Param);
    } else if (version.rfind("0.", 0) == 0) {
        readLegacySection("activation_encodings", QuantizerKind::Activation);
        readLegacySection("param_encodings", QuantizerKind::Param);
    } else {
        fail(ErrorCode::Unsupported, "encodings version '" + version + "' is not supported (0.6.1 or 1.0.0)");
    }
    if (!m_root.contains("activation_encodings") && !m_root.contains("param_encodings"))
        fail(ErrorCode::Format, "not an encodings file (no activation_encodings or param_encodings)");
    if (args)
        *args = quantizerArgs();
    return std::move(m_out);
}

std::vector<TensorEncoding> parse(const std::string &text, QuantizerArgs *args)
{
    OrderedJson root;
    try {
        root = OrderedJson::parse(text);
    } catch (const OrderedJson::parse_error &e) {
        // nlohmann's message: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
        std::string what = e.what();
        const auto pos = what.find("parse error");
        fail(ErrorCode::Format, "not valid JSON (" + (pos == std::string::npos ? what : what.substr(pos)) + ")");
    }
    return Reader(root).read(args);
}

} // namespace

Result<std::string> encodingsToJson(const std::vector<TensorEncoding> &encodings, const QuantizerArgs &args,
                                    const std::string &version)
{
    return capture("", [&]() { return toJson(encodings, args, version); });
}

Result<void> writeEncodingsFile(const std::string &path, const std::vector<TensorEncoding> &encodings,
                                const QuantizerArgs &args, const std::string &version)
{
    return capture(path, [&]() { writeFileAtomic(path, toJson(encodings, args, version)); });
}

Result<std::vector<TensorEncoding>> parseEncodingsJson(const std::string &jsonText, const std::string &displayName,
                                                       QuantizerArgs *args)
{
    return capture(displayName, [&]() { return parse(jsonText, args); });
}

Result<std::vector<TensorEncoding>> readEncodingsFile(const std::string &path, QuantizerArgs &args)
{
    return capture(path, [&]() { return parse(readFileBytes(path, size_t(1) << 31), &args); });
}

Result<std::vector<TensorEncoding>> readEncodingsFile(const std::string &path)
{
    QuantizerArgs ignored;
    return readEncodingsFile(path, ignored);
}

void assignChannelAxes(const Graph &graph, std::vector<TensorEncoding> &encodings)
{
    for (auto &te : encodings) {
        if (!te.perChannel)
            continue;
        for (int idx : graph.consumerIndices(te.tensor)) {
            const Node &n = graph.nodes[size_t(idx)];
            if (n.inputs.size() < 2 || n.inputs[1] != te.tensor)
                continue;
            if (n.opType == "Conv")
                te.channelAxis = 0;
            else if (n.opType == "ConvTranspose")
                te.channelAxis = 1;
            else if (n.opType == "MatMul") // [..., K, N]: output channels last
                te.channelAxis = graph.initializer(te.tensor) ? int(graph.initializer(te.tensor)->rank()) - 1 : 1;
            else if (n.opType == "Gemm")
                te.channelAxis = n.attrInt("transB", 0) != 0 ? 0 : 1;
            else
                continue;
            break;
        }
    }
}

} // namespace qs
