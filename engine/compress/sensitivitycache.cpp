// The sensitivity table's cache file (format in sensitivity.h) and the graph fingerprint.

#include "compress/sensitivity.h"

#include "core/fileutil.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace qs {

namespace {

using Json = nlohmann::json;

constexpr const char *kFormat = "quantscope-sensitivity";
constexpr int kVersion = 1;

Json toJson(const SensitivityTable &t)
{
    Json layers = Json::object();
    for (const auto &[layer, row] : t.scores) {
        Json cells = Json::object();
        for (const auto &[ratio, score] : row)
            cells[ratioKey(ratio)] = score;
        layers[layer] = cells;
    }
    return Json{{"format", kFormat},
                {"version", kVersion},
                {"model", t.model},
                {"method", t.method},
                {"metric", t.metric},
                {"round_to", t.roundTo},
                {"candidates", t.ratios},
                {"eval_offset", t.evalOffset},
                {"eval_limit", t.evalLimit},
                {"samples", t.samples},
                {"reconstruction_images", t.reconstructionImages},
                {"samples_per_image", t.samplesPerImage},
                {"seed", t.seed},
                {"channel_selection", t.selection},
                {"baseline", Json{{"top1", t.baseline}}},
                {"order", t.order},
                {"layers", layers},
                {"complete", t.complete},
                {"seconds", t.seconds}};
}

// The ratio of `key` among the table's candidates (keys are written with ratioKey).
double ratioOf(const SensitivityTable &t, const std::string &key, const std::string &path)
{
    for (double r : t.ratios)
        if (ratioKey(r) == key)
            return r;
    char *end = nullptr;
    const double r = std::strtod(key.c_str(), &end);
    if (!end || *end || !(r > 0 && r <= 1))
        fail(ErrorCode::Format, path + ": '" + key + "' is not a ratio in (0, 1]");
    return r;
}

SensitivityTable fromJson(const Json &j, const std::string &path)
{
    if (!j.is_object() || j.value("format", "") != kFormat)
        fail(ErrorCode::Format, path + ": not a sensitivity table (\"format\" is not \"" + std::string(kFormat) + "\")");
    if (j.value("version", 0) != kVersion)
        fail(ErrorCode::Unsupported, path + ": sensitivity table version " + j.value("version", Json(0)).dump() +
                                         " (this build reads version 1)");
    SensitivityTable t;
    t.model = j.value("model", "");
    t.method = j.at("method").get<std::string>();
    t.metric = j.value("metric", "mac");
    t.roundTo = j.value("round_to", 1);
    t.ratios = j.at("candidates").get<std::vector<double>>();
    t.evalOffset = j.value("eval_offset", int64_t(0));
    t.evalLimit = j.value("eval_limit", int64_t(-1));
    t.samples = j.value("samples", int64_t(0));
    t.reconstructionImages = j.value("reconstruction_images", 0);
    t.samplesPerImage = j.value("samples_per_image", 0);
    t.seed = j.value("seed", 0u);
    // Tables written before the choice existed used L2.
    t.selection = j.value("channel_selection", t.method == "channel-pruning" ? "l2" : "");
    t.baseline = j.contains("baseline") ? j.at("baseline").value("top1", -1.0) : -1.0;
    t.order = j.value("order", std::vector<std::string>());
    for (const auto &[layer, row] : j.at("layers").items()) {
        if (!row.is_object())
            fail(ErrorCode::Format, path + ": layer '" + layer + "' is not an object of ratio -> score");
        for (const auto &[key, score] : row.items())
            t.scores[layer][ratioOf(t, key, path)] = score.get<double>();
        if (std::find(t.order.begin(), t.order.end(), layer) == t.order.end())
            t.order.push_back(layer);
    }
    t.complete = j.value("complete", false);
    t.seconds = j.value("seconds", 0.0);
    return t;
}

} // namespace

Result<SensitivityTable> loadSensitivityTable(const std::string &path)
{
    return capture("", [&]() -> SensitivityTable {
        const std::string text = readFileBytes(path, size_t(256) << 20);
        Json j;
        try {
            j = Json::parse(text);
        } catch (const std::exception &e) {
            fail(ErrorCode::Format, path + ": not JSON (" + std::string(e.what()) + ")");
        }
        try {
            return fromJson(j, path);
        } catch (const Json::exception &e) {
            fail(ErrorCode::Format, path + ": " + e.what());
        }
    });
}

Result<void> saveSensitivityTable(const SensitivityTable &table, const std::string &path)
{
    return capture("", [&] { writeFileAtomic(path, toJson(table).dump(1) + "\n"); });
}

std::string graphFingerprint(const Graph &graph)
{
    uint64_t h = 1469598103934665603ull;
    auto mix = [&](const void *data, size_t n) {
        const auto *p = static_cast<const unsigned char *>(data);
        for (size_t i = 0; i < n; ++i)
            h = (h ^ p[i]) * 1099511628211ull;
    };
    auto mixString = [&](const std::string &s) { mix(s.data(), s.size() + 1); };
    for (const Node &n : graph.nodes) {
        mixString(n.opType);
        for (const std::string &s : n.inputs)
            mixString(s);
        for (const std::string &s : n.outputs)
            mixString(s);
    }
    for (const auto &[name, t] : graph.initializers) {
        mixString(name);
        mix(t.data(), t.byteSize());
    }
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace qs
