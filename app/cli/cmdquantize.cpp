#include "cliargs.h"
#include "commands.h"
#include "quantflags.h"

#include "core/fileutil.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "eval/evaluation.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
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

double since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int cmdQuantize(const Argv &argv)
{
    std::vector<OptionSpec> specs = {{"data"},       {"labels"},      {"preprocess"}, {"calib-offset"},
                                     {"calib-samples"}, {"eval-offset"}, {"eval-limit"}, {"batch"},
                                     {"threads"},    {"export"},      {"encodings-version"}, {"json", false}};
    for (const auto &s : quantOptionSpecs())
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

    Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    const Dataset &data = *spec.data;
    const Preprocess &pre = spec.preprocess;

    auto fp32 = createExecutor(path, graph);
    const EvalResult before = evaluateClassifier(*fp32, data, pre, eval).take();
    fp32.reset();

    Result<std::unique_ptr<QuantSim>> created = QuantSim::create(graph, qopts);
    if (!created.ok())
        fail(created.error().code, path + ": " + created.error().message);
    QuantSim &sim = *created.value();
    const auto t0 = std::chrono::steady_clock::now();
    sim.calibrate(data, pre, calibOffset, calibSamples, eval.batch).take();
    const double calibSeconds = since(t0);
    const EvalResult after = evaluateClassifier(sim.executor(), data, pre, eval).take();

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
            {"seconds", {{"calibrate", calibSeconds}, {"evaluate", after.seconds}, {"fp32_evaluate", before.seconds}}},
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
