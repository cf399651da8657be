#include "session/session.h"

#include "core/fileutil.h"
#include "core/limits.h"

#include <set>

namespace qs {

namespace {

using json = nlohmann::json;

// Where a bad value was found, for the one-line errors.
struct Ctx {
    std::string file;
    [[noreturn]] void bad(const std::string &key, const std::string &what) const
    {
        fail(ErrorCode::Format, file + ": '" + key + "' " + what);
    }
    double num(const json &j, const std::string &key, const std::string &path, double dflt) const
    {
        if (!j.contains(key))
            return dflt;
        if (!j.at(key).is_number())
            bad(path + key, "must be a number");
        return j.at(key).get<double>();
    }
    int64_t integer(const json &j, const std::string &key, const std::string &path, int64_t dflt) const
    {
        if (!j.contains(key))
            return dflt;
        if (!j.at(key).is_number_integer())
            bad(path + key, "must be an integer");
        return j.at(key).get<int64_t>();
    }
    bool boolean(const json &j, const std::string &key, const std::string &path, bool dflt) const
    {
        if (!j.contains(key))
            return dflt;
        if (!j.at(key).is_boolean())
            bad(path + key, "must be true or false");
        return j.at(key).get<bool>();
    }
    std::string str(const json &j, const std::string &key, const std::string &path, const std::string &dflt = {}) const
    {
        if (!j.contains(key) || j.at(key).is_null())
            return dflt;
        if (!j.at(key).is_string())
            bad(path + key, "must be a string");
        return j.at(key).get<std::string>();
    }
    const json &object(const json &j, const std::string &key, const std::string &path) const
    {
        static const json empty = json::object();
        if (!j.contains(key))
            return empty;
        if (!j.at(key).is_object())
            bad(path + key, "must be an object");
        return j.at(key);
    }
    const json &array(const json &j, const std::string &key) const
    {
        static const json empty = json::array();
        if (!j.contains(key))
            return empty;
        if (!j.at(key).is_array())
            bad(key, "must be an array");
        return j.at(key);
    }
};

json evalToJson(const EvalResult &e)
{
    return {{"top1", e.top1}, {"top5", e.top5}, {"samples", e.samples}, {"seconds", e.seconds}};
}

EvalResult evalFromJson(const Ctx &c, const json &j, const std::string &path)
{
    if (!j.is_object())
        c.bad(path, "must be an object");
    EvalResult e;
    e.top1 = c.num(j, "top1", path + ".", 0);
    e.top5 = c.num(j, "top5", path + ".", 0);
    e.samples = c.integer(j, "samples", path + ".", 0);
    e.seconds = c.num(j, "seconds", path + ".", 0);
    return e;
}

json sensitivityToJson(const std::vector<LayerQuantSensitivity> &layers)
{
    json a = json::array();
    for (const LayerQuantSensitivity &l : layers)
        a.push_back({{"layer", l.layer}, {"op", l.opType}, {"weight", l.weight}, {"sqnr_alone", l.sqnrAlone},
                     {"top1_alone", l.top1Alone}, {"sqnr_all_but", l.sqnrAllBut}, {"top1_all_but", l.top1AllBut}});
    return a;
}

std::vector<LayerQuantSensitivity> sensitivityFromJson(const Ctx &c, const json &a)
{
    std::vector<LayerQuantSensitivity> layers;
    for (size_t i = 0; i < a.size(); ++i) {
        const std::string p = "sensitivity[" + std::to_string(i) + "].";
        const json &j = a[i];
        if (!j.is_object())
            c.bad(p.substr(0, p.size() - 1), "must be an object");
        LayerQuantSensitivity l;
        l.layer = c.str(j, "layer", p);
        l.opType = c.str(j, "op", p);
        l.weight = c.str(j, "weight", p);
        l.sqnrAlone = c.num(j, "sqnr_alone", p, 0);
        l.top1Alone = c.num(j, "top1_alone", p, 0);
        l.sqnrAllBut = c.num(j, "sqnr_all_but", p, 0);
        l.top1AllBut = c.num(j, "top1_all_but", p, 0);
        layers.push_back(std::move(l));
    }
    return layers;
}

const std::set<std::string> &knownSections()
{
    static const std::set<std::string> keys = {"quantscope_session", "model",       "data",   "quantization",
                                               "results",            "sensitivity", "ratios", "view"};
    return keys;
}

} // namespace

json settingsToJson(const QuantRunSettings &s)
{
    json j = {{"scheme", calibrationSchemeName(s.scheme)},
              {"percentile", s.percentile},
              {"param_bw", s.paramBitwidth},
              {"act_bw", s.activationBitwidth},
              {"per_channel", s.perChannel},
              {"fold_bn", s.foldBatchNorms},
              {"cle", s.crossLayerScale},
              {"hba", s.absorbHighBias ? json(*s.absorbHighBias ? "exact" : "approximate") : json(nullptr)},
              {"bias_correction", s.biasCorrection ? json(*s.biasCorrection == BiasCorrectionMethod::Empirical
                                                              ? "empirical"
                                                              : "analytical")
                                                   : json(nullptr)},
              {"adaround", s.adaround},
              {"adaround_iterations", s.adaroundIterations},
              {"adaround_batches", s.adaroundBatches},
              {"calib_offset", s.calibOffset},
              {"calib_samples", s.calibSamples},
              {"eval_offset", s.evalOffset},
              {"eval_limit", s.evalLimit},
              {"batch", s.batch},
              {"sensitivity_samples", s.sensitivitySamples}};
    return j;
}

QuantRunSettings settingsFromJson(const json &j, const std::string &where)
{
    const Ctx c{where};
    const std::string p = "quantization.";
    QuantRunSettings s;
    const std::string scheme = c.str(j, "scheme", p, "tf_enhanced");
    if (!parseCalibrationScheme(scheme, s.scheme))
        c.bad(p + "scheme", "must be tf, tf_enhanced or percentile");
    s.percentile = c.num(j, "percentile", p, 99.99);
    s.paramBitwidth = int(c.integer(j, "param_bw", p, 8));
    s.activationBitwidth = int(c.integer(j, "act_bw", p, 8));
    if (s.paramBitwidth < 2 || s.paramBitwidth > 16)
        c.bad(p + "param_bw", "must lie in 2..16");
    if (s.activationBitwidth < 2 || s.activationBitwidth > 16)
        c.bad(p + "act_bw", "must lie in 2..16");
    s.perChannel = c.boolean(j, "per_channel", p, false);
    s.foldBatchNorms = c.boolean(j, "fold_bn", p, false);
    s.crossLayerScale = c.boolean(j, "cle", p, false);
    const std::string hba = c.str(j, "hba", p);
    if (hba == "exact" || hba == "approximate")
        s.absorbHighBias = hba == "exact";
    else if (!hba.empty())
        c.bad(p + "hba", "must be exact, approximate or null");
    const std::string bc = c.str(j, "bias_correction", p);
    if (bc == "empirical")
        s.biasCorrection = BiasCorrectionMethod::Empirical;
    else if (bc == "analytical")
        s.biasCorrection = BiasCorrectionMethod::Analytical;
    else if (!bc.empty())
        c.bad(p + "bias_correction", "must be empirical, analytical or null");
    s.adaround = c.boolean(j, "adaround", p, false);
    s.adaroundIterations = int(c.integer(j, "adaround_iterations", p, 2000));
    s.adaroundBatches = int(c.integer(j, "adaround_batches", p, 0));
    if (s.adaroundIterations < 1)
        c.bad(p + "adaround_iterations", "must be at least 1");
    s.calibOffset = c.integer(j, "calib_offset", p, 0);
    s.calibSamples = c.integer(j, "calib_samples", p, 500);
    s.evalOffset = c.integer(j, "eval_offset", p, 0);
    s.evalLimit = c.integer(j, "eval_limit", p, -1);
    s.batch = int(c.integer(j, "batch", p, 32));
    s.sensitivitySamples = int(c.integer(j, "sensitivity_samples", p, 0));
    return s;
}

json sessionToJson(const Session &s)
{
    json j = s.extra.is_object() ? s.extra : json::object();
    j["quantscope_session"] = Session::kVersion;
    j["model"] = {{"path", s.modelPath}, {"sha256", s.modelSha256}};
    j["data"] = {{"path", s.dataPath}, {"labels", s.labelsPath}, {"preprocess", s.preprocess}};
    j["quantization"] = settingsToJson(s.settings);
    json results = json::array();
    for (const SessionResult &r : s.results)
        results.push_back({{"label", r.label},
                           {"settings", settingsToJson(r.settings)},
                           {"fp32", evalToJson(r.fp32)},
                           {"quantized", evalToJson(r.quantized)},
                           {"quantizers", r.quantizers}});
    j["results"] = results;
    j["sensitivity"] = sensitivityToJson(s.sensitivity);
    j["ratios"] = s.ratios;
    j["view"] = s.view.is_object() ? s.view : json::object();
    return j;
}

Result<Session> sessionFromJson(const json &j, const std::string &file)
{
    return capture("", [&] {
        const Ctx c{file};
        if (!j.is_object())
            fail(ErrorCode::Format, file + ": not a session (the top level must be an object)");
        if (!j.contains("quantscope_session"))
            fail(ErrorCode::Format, file + ": not a session (no 'quantscope_session' version)");
        const int64_t version = c.integer(j, "quantscope_session", "", 0);
        if (version < 1 || version > Session::kVersion)
            fail(ErrorCode::Unsupported, file + ": session version " + std::to_string(version) +
                                             " (this build reads 1.." + std::to_string(Session::kVersion) + ")");
        Session s;
        const json &model = c.object(j, "model", "");
        s.modelPath = c.str(model, "path", "model.");
        s.modelSha256 = c.str(model, "sha256", "model.");
        const json &data = c.object(j, "data", "");
        s.dataPath = c.str(data, "path", "data.");
        s.labelsPath = c.str(data, "labels", "data.");
        s.preprocess = c.str(data, "preprocess", "data.");
        s.settings = settingsFromJson(c.object(j, "quantization", ""), file);
        const json &results = c.array(j, "results");
        for (size_t i = 0; i < results.size(); ++i) {
            const std::string p = "results[" + std::to_string(i) + "]";
            if (!results[i].is_object())
                c.bad(p, "must be an object");
            SessionResult r;
            r.label = c.str(results[i], "label", p + ".");
            r.settings = settingsFromJson(c.object(results[i], "settings", p + "."), file);
            r.fp32 = evalFromJson(c, c.object(results[i], "fp32", p + "."), p + ".fp32");
            r.quantized = evalFromJson(c, c.object(results[i], "quantized", p + "."), p + ".quantized");
            r.quantizers = int(c.integer(results[i], "quantizers", p + ".", 0));
            s.results.push_back(std::move(r));
        }
        s.sensitivity = sensitivityFromJson(c, c.array(j, "sensitivity"));
        for (const auto &kv : c.object(j, "ratios", "").items()) {
            if (!kv.value().is_number())
                c.bad("ratios." + kv.key(), "must be a number");
            s.ratios[kv.key()] = kv.value().get<double>();
        }
        s.view = c.object(j, "view", "");
        for (const auto &kv : j.items())
            if (!knownSections().count(kv.key()))
                s.extra[kv.key()] = kv.value();
        return s;
    });
}

Result<Session> readSession(const std::string &path)
{
    Result<std::string> text = capture("", [&] { return readFileBytes(path); });
    if (!text.ok())
        return text.error();
    // The JSON library copies values recursively: refuse deep nesting before parsing.
    if (jsonNestingDepth(text.value()) > kMaxJsonDepth)
        return Error{ErrorCode::Limit, path + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    json j = json::parse(text.value(), nullptr, false);
    if (j.is_discarded())
        return Error{ErrorCode::Format, path + ": not valid JSON"};
    return sessionFromJson(j, path);
}

Result<void> writeSession(const std::string &path, const Session &session)
{
    return capture("", [&] { writeFileAtomic(path, sessionToJson(session).dump(1) + "\n"); });
}

} // namespace qs
