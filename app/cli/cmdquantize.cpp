#include "cliargs.h"
#include "commands.h"
#include "quantflags.h"

#include "core/fileutil.h"
#include "data/batch.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "equalize/biascorrection.h"
#include "equalize/equalize.h"
#include "equalize/equalizedconfig.h"
#include "eval/evaluation.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace qs::cli {

namespace {

namespace fs = std::filesystem;

struct ExportPaths {
    std::string onnx, encodings, qdq;
};

// Writes the three files; on any failure removes what was written (and a folder it created).
ExportPaths exportAll(const std::string &model, const std::string &dir, const QuantSim &sim, const std::string &version)
{
    std::error_code ec;
    const bool created = !fs::exists(dir, ec) && fs::create_directories(dir, ec);
    if (ec)
        fail(ErrorCode::Io, dir + ": cannot create folder (" + ec.message() + ")");
    const std::string stem = fs::path(model).stem().string();
    ExportPaths p{(fs::path(dir) / (stem + ".onnx")).string(), (fs::path(dir) / (stem + ".encodings")).string(),
                  (fs::path(dir) / (stem + "_qdq.onnx")).string()};
    std::vector<std::string> written;
    try {
        const auto enc = sim.encodings();
        Graph qdq = makeQdqGraph(sim.graph(), enc).take();
        exportOnnx(sim.graph(), p.onnx).take();
        written.push_back(p.onnx);
        writeEncodingsFile(p.encodings, enc, sim.quantizerArgs(), version).take();
        written.push_back(p.encodings);
        exportOnnx(qdq, p.qdq).take();
        written.push_back(p.qdq);
    } catch (...) {
        for (const auto &f : written)
            fs::remove(f, ec);
        if (created)
            fs::remove(dir, ec);
        throw;
    }
    return p;
}

Tensor firstRows(const Tensor &t, int64_t rows)
{
    std::vector<int64_t> shape = t.shape();
    const size_t row = t.byteSize() / size_t(shape[0]);
    shape[0] = rows;
    Tensor out(t.dtype(), shape);
    std::memcpy(out.data(), t.data(), size_t(rows) * row);
    return out;
}

double since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The FP32 model after the post-training fixes, with one timed entry per step run.
struct Prepared {
    Graph graph;
    std::vector<StepTime> steps;
    std::vector<TensorEncoding> frozen; // parameter encodings AdaRound rounded for
    std::optional<AdaroundReport> adaround;
};

// Equalization steps under the names the quantize JSON uses.
std::string stepName(const std::string &equalizeStep)
{
    if (equalizeStep == "fold_batch_norms")
        return "fold_bn";
    if (equalizeStep == "cross_layer_scaling")
        return "cle";
    if (equalizeStep == "absorb_high_bias")
        return "high_bias_absorption";
    return equalizeStep;
}

// BN folding, cross-layer scaling, high-bias absorption (statistics of layers without a folded
// BN measured on the calibration data), then bias correction for `qopts`, in that order.
Prepared prepareModel(const std::string &path, const Graph &graph, const PostTrainingFlags &flags,
                      const QuantSimOptions &qopts, const Tensor &calib, int batch)
{
    Prepared p{graph, {}};
    LayerStatsTable stats;
    if (flags.foldBatchNorms) {
        EqualizeOptions eo;
        eo.crossLayerScale = flags.crossLayerScale;
        eo.absorbHighBias = flags.absorbHighBias.has_value();
        eo.hba.exact = flags.absorbHighBias.value_or(true);
        bool given = false;
        if (eo.absorbHighBias)
            eo.data = [&]() -> std::optional<Tensor> {
                if (given)
                    return std::nullopt;
                given = true;
                return calib;
            };
        Result<EqualizeResult> r = equalize(graph, eo);
        if (!r.ok())
            fail(r.error().code, path + ": " + r.error().message);
        for (const StepTime &s : r.value().report.steps)
            p.steps.push_back({stepName(s.name), s.seconds});
        p.graph = std::move(r.value().graph);
        stats = std::move(r.value().stats);
    }
    if (flags.biasCorrection) {
        const auto t0 = std::chrono::steady_clock::now();
        BiasCorrectionOptions bo;
        bo.method = *flags.biasCorrection;
        bo.quant = qopts;
        bo.batch = batch;
        Result<BiasCorrectionResult> r = correctBias(p.graph, calib, bo, stats);
        if (!r.ok())
            fail(r.error().code, path + ": bias correction: " + r.error().message);
        p.graph = std::move(r.value().graph);
        p.steps.push_back({"bias_correction", since(t0)});
    }
    if (flags.adaround) {
        const int64_t n = flags.adaroundBatches > 0 ? std::min<int64_t>(calib.dim(0), int64_t(flags.adaroundBatches) * batch)
                                                    : calib.dim(0);
        Result<AdaroundResult> r = adaround(p.graph, n == calib.dim(0) ? calib : firstRows(calib, n), qopts,
                                            *flags.adaround);
        if (!r.ok())
            fail(r.error().code, path + ": AdaRound: " + r.error().message);
        p.graph = std::move(r.value().graph);
        p.frozen = std::move(r.value().paramEncodings);
        p.adaround = std::move(r.value().report);
        p.steps.push_back({"adaround", p.adaround->seconds});
    }
    return p;
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

nlohmann::json stepsJson(const std::vector<StepTime> &steps)
{
    nlohmann::json j = nlohmann::json::array();
    for (const StepTime &s : steps)
        j.push_back({{"name", s.name}, {"seconds", s.seconds}});
    return j;
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
    const int64_t calibOffset = args.intValue("calib-offset", 0, 0, INT64_MAX);
    const int64_t calibSamples = args.intValue("calib-samples", 500, 1, INT64_MAX);
    EvalOptions eval;
    eval.offset = args.intValue("eval-offset", 0, 0, INT64_MAX);
    eval.limit = args.intValue("eval-limit", -1, 0, INT64_MAX);
    eval.batch = int(args.intValue("batch", 32, 1, 4096));
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    const std::string version = args.value("encodings-version", "0.6.1");
    if (version != "0.6.1" && version != "1.0.0")
        fail(ErrorCode::Invalid, "--encodings-version " + version + ": unsupported (0.6.1 or 1.0.0)");
    QuantSimOptions qopts = quantSimOptionsFromArgs(args);
    const PostTrainingFlags flags = postTrainingFlagsFromArgs(args);
    // Cross-layer scaling turns each Clip into Relu / Max + per-channel Min: quantize those as the Clip.
    if (flags.crossLayerScale)
        qopts.config = withPerChannelClamps(std::move(qopts.config));

    Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    const Dataset &data = *spec.data;
    const Preprocess &pre = spec.preprocess;

    auto fp32 = createExecutor(path, graph);
    const EvalResult before = evaluateClassifier(*fp32, data, pre, eval).take();
    fp32.reset();
    std::vector<StepTime> steps{{"fp32_evaluate", before.seconds}};

    Prepared prepared{graph, {}};
    if (flags.foldBatchNorms || flags.biasCorrection || flags.adaround) {
        Tensor calib; // one batch, for bias correction, AdaRound and high-bias absorption's statistics
        if (flags.biasCorrection || flags.absorbHighBias || flags.adaround) {
            const auto tl = std::chrono::steady_clock::now();
            calib = loadBatch(data, pre, calibOffset, calibSamples, threads).take().input;
            steps.push_back({"load_calibration_data", since(tl)});
        }
        prepared = prepareModel(path, graph, flags, qopts, calib, eval.batch);
        steps.insert(steps.end(), prepared.steps.begin(), prepared.steps.end());
    }

    Result<std::unique_ptr<QuantSim>> created = QuantSim::create(prepared.graph, qopts);
    if (!created.ok())
        fail(created.error().code, path + ": " + created.error().message);
    QuantSim &sim = *created.value();
    if (!prepared.frozen.empty())
        sim.setEncodings(prepared.frozen).take();
    const auto t0 = std::chrono::steady_clock::now();
    sim.calibrate(data, pre, calibOffset, calibSamples, eval.batch).take();
    const double calibSeconds = since(t0);
    steps.push_back({"calibrate", calibSeconds});
    const EvalResult after = evaluateClassifier(sim.executor(), data, pre, eval).take();
    steps.push_back({"evaluate", after.seconds});

    nlohmann::json exported = nullptr;
    if (auto dir = args.value("export")) {
        const ExportPaths p = exportAll(path, *dir, sim, version);
        exported = {{"onnx", p.onnx}, {"encodings", p.encodings}, {"qdq_onnx", p.qdq}};
    }
    if (args.flag("json")) {
        const nlohmann::json j = {
            {"model", path},
            {"scheme", calibrationSchemeName(qopts.scheme)},
            {"param_bw", qopts.quant.paramBitwidth},
            {"act_bw", qopts.quant.activationBitwidth},
            {"per_channel", sim.quantizerArgs().perChannel},
            {"fp32", {{"top1", before.top1}, {"top5", before.top5}, {"samples", before.samples}}},
            {"quantized", {{"top1", after.top1}, {"top5", after.top5}, {"samples", after.samples}}},
            {"quantizers", sim.enabledQuantizerCount()},
            {"fold_bn", flags.foldBatchNorms},
            {"cle", flags.crossLayerScale},
            {"hba", flags.absorbHighBias ? nlohmann::json(*flags.absorbHighBias ? "exact" : "approximate")
                                         : nlohmann::json(nullptr)},
            {"bias_correction", flags.biasCorrection ? nlohmann::json(*flags.biasCorrection == BiasCorrectionMethod::Empirical
                                                                          ? "empirical"
                                                                          : "analytical")
                                                     : nlohmann::json(nullptr)},
            {"adaround", prepared.adaround ? adaroundJson(*prepared.adaround) : nlohmann::json(nullptr)},
            {"seconds", {{"calibrate", calibSeconds}, {"evaluate", after.seconds}, {"fp32_evaluate", before.seconds}}},
            {"steps", stepsJson(steps)},
            {"threads", threads},
            {"export", exported}};
        std::cout << j.dump(1) << "\n";
    } else {
        std::printf("%s: FP32 top-1 %.2f%%, quantized (W%dA%d %s%s) top-1 %.2f%% over %lld samples; %d quantizers; "
                    "calibration %.1f s\n",
                    path.c_str(), 100 * before.top1, qopts.quant.paramBitwidth, qopts.quant.activationBitwidth,
                    calibrationSchemeName(qopts.scheme), sim.quantizerArgs().perChannel ? ", per-channel" : "",
                    100 * after.top1, static_cast<long long>(after.samples), sim.enabledQuantizerCount(), calibSeconds);
    }
    return 0;
}

} // namespace qs::cli
