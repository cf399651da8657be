#include "cliargs.h"
#include "commands.h"
#include "quantexport.h"
#include "quantflags.h"

#include "analysis/quantrun.h"
#include "core/fileutil.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace qs::cli {

namespace {

nlohmann::json stepsJson(const std::vector<StepTime> &steps)
{
    nlohmann::json j = nlohmann::json::array();
    for (const StepTime &s : steps)
        j.push_back({{"name", s.name}, {"seconds", s.seconds}});
    return j;
}

nlohmann::json adaroundJson(const AdaroundReport &r)
{
    nlohmann::json layers = nlohmann::json::array(), skipped = nlohmann::json::array();
    for (const AdaroundLayerReport &l : r.layers)
        layers.push_back({{"layer", l.layer},
                          {"weights", l.weights},
                          {"changed_from_nearest", l.roundedUpChanged},
                          {"mse_nearest", l.mseNearest},
                          {"mse_adaround", l.mseAdarounded},
                          {"seconds", l.seconds}});
    for (const AdaroundSkipped &s : r.skipped)
        skipped.push_back({{"layer", s.layer}, {"reason", s.reason}});
    return {{"iterations", r.iterations}, {"samples", r.samples}, {"seconds", r.seconds},
            {"layers", layers}, {"skipped", skipped}};
}

double stepSeconds(const std::vector<StepTime> &steps, const std::string &name)
{
    for (const StepTime &s : steps)
        if (s.name == name)
            return s.seconds;
    return 0;
}

nlohmann::json resultJson(const std::string &path, const QuantRunSettings &s, const QuantRunResult &r, int threads,
                          const nlohmann::json &exported)
{
    auto eval = [](const EvalResult &e) {
        return nlohmann::json{{"top1", e.top1}, {"top5", e.top5}, {"samples", e.samples}};
    };
    const char *bc = !s.biasCorrection ? nullptr
                     : *s.biasCorrection == BiasCorrectionMethod::Empirical ? "empirical"
                                                                            : "analytical";
    const char *hba = !s.absorbHighBias ? nullptr : *s.absorbHighBias ? "exact" : "approximate";
    return {{"model", path},
            {"scheme", calibrationSchemeName(s.scheme)},
            {"param_bw", s.paramBitwidth},
            {"act_bw", s.activationBitwidth},
            {"per_channel", r.perChannel},
            {"fp32", eval(r.fp32)},
            {"quantized", eval(r.quantized)},
            {"quantizers", r.quantizers},
            {"fold_bn", s.foldBatchNorms},
            {"cle", s.crossLayerScale},
            {"hba", hba ? nlohmann::json(hba) : nlohmann::json(nullptr)},
            {"bias_correction", bc ? nlohmann::json(bc) : nlohmann::json(nullptr)},
            {"adaround", r.adaround ? adaroundJson(*r.adaround) : nlohmann::json(nullptr)},
            {"seconds",
             {{"calibrate", stepSeconds(r.steps, "calibrate")},
              {"evaluate", r.quantized.seconds},
              {"fp32_evaluate", r.fp32.seconds}}},
            {"steps", stepsJson(r.steps)},
            {"threads", threads},
            {"export", exported}};
}

} // namespace

int cmdQuantize(const Argv &argv)
{
    std::vector<OptionSpec> specs = {{"data"},       {"labels"},      {"preprocess"}, {"calib-offset"},
                                     {"calib-samples"}, {"eval-offset"}, {"eval-limit"}, {"batch"},
                                     {"threads"},    {"export"},      {"encodings-version"}, {"json", false}};
    for (const auto &s : quantOptionSpecs())
        specs.push_back(s);
    for (const auto &s : postTrainingOptionSpecs())
        specs.push_back(s);
    const Args args(argv, specs);
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    QuantRunSettings s = quantRunSettingsFromArgs(args);
    s.calibOffset = args.intValue("calib-offset", 0, 0, INT64_MAX);
    s.calibSamples = args.intValue("calib-samples", 500, 1, INT64_MAX);
    s.evalOffset = args.intValue("eval-offset", 0, 0, INT64_MAX);
    s.evalLimit = args.intValue("eval-limit", -1, 0, INT64_MAX);
    s.batch = int(args.intValue("batch", 32, 1, 4096));
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    s.loaderThreads = threads;
    const std::string version = args.value("encodings-version", "0.6.1");
    if (version != "0.6.1" && version != "1.0.0")
        fail(ErrorCode::Invalid, "--encodings-version " + version + ": unsupported (0.6.1 or 1.0.0)");

    const Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    const QuantRunResult r = runQuantization(graph, path, *spec.data, spec.preprocess, s).take();

    nlohmann::json exported = nullptr;
    if (auto dir = args.value("export")) {
        const auto enc = r.sim->encodings();
        exported = exportJson(exportAll(path, *dir, r.sim->graph(), &enc, r.sim->quantizerArgs(), version));
    }
    if (args.flag("json")) {
        std::cout << resultJson(path, s, r, threads, exported).dump(1) << "\n";
    } else {
        std::printf("%s: FP32 top-1 %.2f%%, quantized (%s) top-1 %.2f%% over %lld samples; %d quantizers; "
                    "calibration %.1f s\n",
                    path.c_str(), 100 * r.fp32.top1, describeSettings(s).c_str(), 100 * r.quantized.top1,
                    static_cast<long long>(r.quantized.samples), r.quantizers, stepSeconds(r.steps, "calibrate"));
    }
    return 0;
}

} // namespace qs::cli
