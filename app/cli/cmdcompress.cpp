// quantscope-cli compress: sensitivity table -> greedy selection (with manual overrides) ->
// compression -> optional fine-tuning -> evaluation and export (model + JSON report).
// svd+pruning runs spatial SVD to sqrt(target) of the original cost, then channel pruning of the
// result to the target, each stage with its own table (the pruning cache is "<cache>.pruning").

#include "cmdsensitivity.h"

#include "cliargs.h"

#include "compress/compressor.h"
#include "compress/greedy.h"
#include "core/fileutil.h"
#include "equalize/layerweights.h"
#include "eval/evaluation.h"
#include "finetune/finetune.h"
#include "jobs/job.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

namespace qs::cli {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Stage {
    CompressMethod method;
    double target; // cost ratio against the original model
    std::string cache;
};

std::vector<Stage> stagesFor(const std::string &method, double target, const std::string &cache)
{
    if (method == "svd+pruning")
        return {{CompressMethod::SpatialSvd, std::sqrt(target), cache},
                {CompressMethod::ChannelPruning, target, cache.empty() ? cache : cache + ".pruning"}};
    const std::optional<CompressMethod> m = parseMethod(method);
    if (!m)
        throw UsageError("--method must be spatial-svd, weight-svd, channel-pruning or svd+pruning, got '" + method + "'");
    return {{*m, target, cache}};
}

RatioMap readRatios(const std::string &path)
{
    Json j;
    try {
        j = Json::parse(readFileBytes(path, size_t(16) << 20));
    } catch (const Json::exception &e) {
        fail(ErrorCode::Format, path + ": not JSON (" + std::string(e.what()) + ")");
    }
    if (!j.is_object())
        fail(ErrorCode::Format, path + ": expected an object of layer name -> ratio");
    RatioMap ratios;
    for (const auto &[layer, v] : j.items()) {
        if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 1)
            fail(ErrorCode::Format, path + ": ratio of '" + layer + "' must be a number in (0, 1]");
        ratios[layer] = v.get<double>();
    }
    return ratios;
}

Json layerReportJson(const LayerCompressionReport &l)
{
    Json j = {{"name", l.name},           {"op", l.opType},
              {"method", l.method},       {"ratio", l.ratio},
              {l.method == "channel-pruning" ? "channels_kept" : "rank", l.kept},
              {l.method == "channel-pruning" ? "channels" : "max_rank", l.full},
              {"macs_before", l.macsBefore}, {"macs_after", l.macsAfter},
              {"params_before", l.paramsBefore}, {"params_after", l.paramsAfter},
              {"nodes", l.nodes}};
    j["score"] = std::isnan(l.score) ? Json() : Json(l.score);
    if (l.method == "channel-pruning") {
        j["winnowed"] = l.winnowed;
        j["winnow_skipped"] = l.winnowSkipped.empty() ? Json() : Json(l.winnowSkipped);
    }
    return j;
}

double evaluateTop1(const Graph &graph, const DataSpec &spec, const EvalOptions &eval, const std::string &what)
{
    auto exec = Executor::create(graph);
    if (!exec.ok())
        fail(exec.error().code, what + ": " + exec.error().message);
    return evaluateClassifier(*exec.value(), *spec.data, spec.preprocess, eval).take().top1;
}

struct StageResult {
    Graph graph;
    RatioMap selected;
    Json layers = Json::array();
    Json greedy;
    double achieved = 1;
    CompressionCostModel::Cost predicted; // the cost model's figure for the whole model
};

StageResult runStage(const Graph &graph, const Stage &stage, const Args &args, const DataSpec &spec,
                     const RatioMap &overrides, const ModelCost &original, Job &job, std::set<std::string> &used)
{
    SensitivityOptions so = sensitivityOptionsFromArgs(args, stage.method);
    so.cachePath = stage.cache;
    so.loaderThreads = 0;
    const SensitivityTable table = computeSensitivity(graph, *spec.data, spec.preprocess, so, &job).take();
    const CompressionCostModel costModel(graph, so.settings);
    RatioMap own;
    for (const CompressibleLayer &l : costModel.compressible().layers)
        if (overrides.count(l.name)) {
            own[l.name] = overrides.at(l.name);
            used.insert(l.name);
        }
    const CostMetric metric = so.settings.metric;
    auto costRatio = [&](const RatioMap &r) {
        const CompressionCostModel::Cost c = costModel.cost(r);
        return metric == CostMetric::Mac ? double(c.macs) / double(original.macs) : double(c.params) / double(original.params);
    };
    GreedyOptions go;
    go.target = stage.target;
    go.overrides = own;
    go.fillBudget = !args.flag("no-fill");
    const GreedyResult g = selectRatiosGreedy(table.scores, costRatio, go);
    CompressOptions co;
    co.settings = so.settings;
    co.dataOffset = args.intValue("recon-offset", so.evalOffset, 0, INT64_MAX);
    co.reconstructionImages = int(args.intValue("final-recon-images", 1000, 1, 1000000));
    co.samplesPerImage = int(args.intValue("final-recon-samples", 10, 1, 100000));
    co.batch = so.batch;
    CompressResult cr = compressModel(graph, g.ratios, co, spec.data.get(), &spec.preprocess, &job).take();
    StageResult r;
    r.graph = std::move(cr.graph);
    r.achieved = g.achieved;
    r.greedy = {{"method", methodName(stage.method)},
                {"target", stage.target},
                {"score", g.score},
                {"achieved", g.achieved},
                {"iterations", g.iterations},
                {"fill_steps", g.filled}};
    r.predicted = costModel.cost(g.ratios);
    for (LayerCompressionReport &l : cr.layers) {
        r.selected[l.name] = l.ratio; // layers whose ratio changes them
        const auto row = table.scores.find(l.name);
        if (row != table.scores.end() && row->second.count(l.ratio))
            l.score = row->second.at(l.ratio);
        r.layers.push_back(layerReportJson(l));
    }
    return r;
}

FinetuneOptions finetuneOptions(const Args &args, int epochs)
{
    FinetuneOptions o;
    o.epochs = epochs;
    o.lr = args.doubleValue("finetune-lr", 3e-4, 1e-12, 1e6);
    o.batch = int(args.intValue("finetune-batch", 64, 1, 4096));
    o.trainOffset = args.intValue("train-offset", 0, 0, INT64_MAX);
    o.trainSamples = args.intValue("train-samples", -1, 1, INT64_MAX);
    o.evalLimit = 0; // the command evaluates the result itself on the test range
    o.keepBest = false;
    o.distillWeight = args.doubleValue("finetune-distill-weight", 0.5, 0, 1);
    o.batchNormTraining = !args.flag("no-bn-training");
    o.seed = uint64_t(args.intValue("finetune-seed", 1, 0, INT64_MAX));
    return o;
}

// Writes DIR/<model>_compressed.onnx and DIR/report.json; the report names both.
void exportResult(const Graph &graph, const std::string &model, const std::string &dir, Json &report)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        fail(ErrorCode::Io, dir + ": cannot create folder (" + ec.message() + ")");
    const std::string onnx = (fs::path(dir) / (fs::path(model).stem().string() + "_compressed.onnx")).string();
    exportOnnx(graph, onnx).take();
    report["export"] = {{"onnx", onnx}, {"report", (fs::path(dir) / "report.json").string()}};
    writeFileAtomic((fs::path(dir) / "report.json").string(), report.dump(1) + "\n");
}

void printSummary(const Json &r)
{
    const Json &base = r.at("baseline"), &comp = r.at("compressed");
    std::printf("%s: top-1 %.2f%% -> %.2f%% compressed", r.at("model").get<std::string>().c_str(),
                100 * base.at("top1").get<double>(), 100 * comp.at("top1").get<double>());
    if (!r.at("finetuned").at("top1").is_null())
        std::printf(" -> %.2f%% fine-tuned", 100 * r.at("finetuned").at("top1").get<double>());
    std::printf(", MACs %lld -> %lld (%.3f), params %lld -> %lld, %zu layers compressed\n",
                base.at("macs").get<long long>(), comp.at("macs").get<long long>(),
                comp.at("macs").get<double>() / base.at("macs").get<double>(), base.at("params").get<long long>(),
                comp.at("params").get<long long>(), r.at("selected").size());
}

} // namespace

int cmdCompress(const Argv &argv)
{
    std::vector<OptionSpec> specs = sensitivityOptionSpecs();
    for (const char *name : {"target", "ratios", "test-offset", "test-limit", "finetune-epochs", "train-offset",
                             "train-samples", "finetune-lr", "finetune-batch", "finetune-distill-weight", "finetune-seed", "export"})
        specs.push_back({name});
    specs.push_back({"no-fill", false});
    specs.push_back({"no-bn-training", false});
    specs.push_back({"final-recon-images"});
    specs.push_back({"recon-offset"});
    specs.push_back({"final-recon-samples"});
    const Args args(argv, specs);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    if (!args.value("target"))
        throw UsageError("missing --target R (cost ratio in (0, 1])");
    const double target = args.doubleValue("target", 0.5, 1e-6, 1.0);
    const std::vector<Stage> stages = stagesFor(args.value("method", ""), target, args.value("cache", ""));
    applyThreads(args.intValue("threads", 0, 0, 1024));
    const RatioMap overrides = args.value("ratios") ? readRatios(*args.value("ratios")) : RatioMap();
    const int epochs = int(args.intValue("finetune-epochs", 0, 0, 1000));

    Graph graph = importOnnx(path).take();
    ensureNodeNames(graph);
    const DataSpec spec = openDataSpec(args, *dataPath);
    EvalOptions test;
    test.offset = args.intValue("test-offset", args.intValue("eval-offset", 0, 0, INT64_MAX), 0, INT64_MAX);
    test.limit = args.intValue("test-limit", args.intValue("eval-limit", -1, 1, INT64_MAX), 1, INT64_MAX);
    test.batch = int(args.intValue("batch", 100, 1, 4096));
    const ModelCost original = computeCost(graph);
    const double baseline = evaluateTop1(graph, spec, test, path);
    Job job;
    Graph current = graph;
    RatioMap selected;
    Json layers = Json::array();
    Json greedy = Json::array();
    std::set<std::string> used;
    CompressionCostModel::Cost predicted{original.macs, original.params};
    for (const Stage &stage : stages) {
        StageResult r = runStage(current, stage, args, spec, overrides, original, job, used);
        current = std::move(r.graph);
        predicted = r.predicted;
        selected.insert(r.selected.begin(), r.selected.end());
        greedy.push_back(std::move(r.greedy));
        for (Json &l : r.layers)
            layers.push_back(std::move(l));
    }
    for (const auto &kv : overrides)
        if (!used.count(kv.first))
            throw UsageError("--ratios: '" + kv.first + "' is not a layer " + args.value("method", "") + " can compress");
    const ModelCost after = computeCost(current);
    const double compressedTop1 = evaluateTop1(current, spec, test, path);
    double finetunedTop1 = -1;
    FinetuneOptions fo = finetuneOptions(args, epochs);
    if (epochs > 0) {
        fo.teacher = &graph; // distillation from the uncompressed model
        FinetuneResult ft = finetune(current, *spec.data, spec.preprocess, fo, &job).take();
        current = std::move(ft.graph);
        finetunedTop1 = evaluateTop1(current, spec, test, path);
    }
    Json report = {{"model", path},
                   {"method", args.value("method", "")},
                   {"target", target},
                   {"metric", args.value("metric", "mac")},
                   {"channel_selection", args.value("channel-selection", "l2")},
                   {"test_offset", test.offset},
                   {"baseline", {{"top1", baseline}, {"macs", original.macs}, {"params", original.params}}},
                   {"selected", selected},
                   {"greedy", greedy},
                   {"compressed",
                    {{"top1", compressedTop1},
                     {"macs", after.macs},
                     {"params", after.params},
                     {"predicted_macs", predicted.macs},
                     {"predicted_params", predicted.params}}},
                   {"finetuned",
                    {{"top1", epochs > 0 ? Json(finetunedTop1) : Json()},
                     {"epochs", epochs},
                     {"lr", fo.lr},
                     {"distill_weight", fo.distillWeight},
                     {"bn_training", fo.batchNormTraining},
                     {"seed", fo.seed}}},
                   {"layers", layers}};
    if (const auto dir = args.value("export"))
        exportResult(current, path, *dir, report);
    report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (args.flag("json"))
        std::cout << report.dump(1) << "\n";
    else
        printSummary(report);
    return 0;
}

} // namespace qs::cli
