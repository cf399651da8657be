// quantscope-cli finetune: FP32 fine-tuning, or quantization-aware training when quantization
// flags are given, with JSON before/after figures, per-epoch reports and optional export.
#include "cliargs.h"
#include "commands.h"
#include "quantexport.h"
#include "quantflags.h"

#include "finetune/finetune.h"
#include "onnx/onnximport.h"
#include "quant/encodingsfile.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace qs::cli {

namespace {

bool hasQuantFlags(const Args &args)
{
    for (const OptionSpec &s : quantOptionSpecs())
        if (args.flag(s.name))
            return true;
    return false;
}

FinetuneOptions optionsFromArgs(const Args &args)
{
    FinetuneOptions o;
    o.trainOffset = args.intValue("train-offset", 0, 0, INT64_MAX);
    o.trainSamples = args.intValue("train-samples", -1, 1, INT64_MAX);
    o.evalOffset = args.intValue("eval-offset", 0, 0, INT64_MAX);
    o.evalLimit = args.intValue("eval-limit", -1, 0, INT64_MAX);
    o.epochs = int(args.intValue("epochs", 1, 1, 100000));
    o.batch = int(args.intValue("batch", 64, 1, 4096));
    o.lr = args.doubleValue("lr", 1e-4, 1e-12, 1e6);
    o.momentum = args.doubleValue("momentum", 0.9, 0.0, 1.0);
    o.weightDecay = args.doubleValue("weight-decay", 0.0, 0.0, 1.0);
    o.seed = uint64_t(args.intValue("seed", 1, 0, INT64_MAX));
    o.distill = args.flag("distill");
    o.temperature = args.doubleValue("temperature", 2.0, 1e-3, 1e3);
    o.warmup = args.doubleValue("warmup", 0, 0, 1);
    if (o.distill && args.value("distill-weight"))
        throw UsageError("--distill trains on the FP32 model's outputs only; --distill-weight mixes them with the labels");
    o.augment = !args.flag("no-augment");
    o.keepBest = !args.flag("keep-last");
    o.batchNormTraining = args.flag("bn-training");
    const std::string opt = args.value("optimizer", "adam");
    if (opt != "sgd" && opt != "adam")
        throw UsageError("--optimizer must be sgd or adam, got '" + opt + "'");
    o.optimizer = opt == "sgd" ? FinetuneOptimizer::Sgd : FinetuneOptimizer::Adam;
    const std::string sched = args.value("schedule", "cosine");
    if (sched == "cosine")
        o.schedule = LrSchedule::Cosine;
    else if (sched == "step")
        o.schedule = LrSchedule::Step;
    else if (sched == "constant")
        o.schedule = LrSchedule::Constant;
    else
        throw UsageError("--schedule must be cosine, step or constant, got '" + sched + "'");
    o.stepEpochs = int(args.intValue("step-epochs", 1, 1, 100000));
    o.stepGamma = args.doubleValue("step-gamma", 0.1, 0.0, 1.0);
    if (hasQuantFlags(args)) {
        FinetuneQuantOptions q;
        q.sim = quantSimOptionsFromArgs(args);
        q.calibOffset = args.intValue("calib-offset", -1, 0, INT64_MAX);
        q.calibSamples = args.intValue("calib-samples", 500, 1, INT64_MAX);
        q.learnRanges = !args.flag("fixed-ranges");
        q.rangeLr = args.doubleValue("range-lr", 3e-3, 0.0, 1e6);
        q.reestimateBatchNorm = !args.flag("no-bn-reestimation");
        o.quant = q;
    }
    // Quantization-aware training learns from the labels and from the FP32 model's outputs by default.
    if (!o.distill)
        o.distillWeight = args.doubleValue("distill-weight", o.quant ? 0.5 : 0.0, 0, 1);
    return o;
}

nlohmann::json epochsJson(const std::vector<EpochReport> &epochs)
{
    nlohmann::json j = nlohmann::json::array();
    for (const EpochReport &e : epochs)
        j.push_back({{"epoch", e.epoch},
                     {"loss", e.loss},
                     {"top1", e.top1},
                     {"train_top1", e.trainTop1},
                     {"seconds", e.seconds},
                     {"eval_seconds", e.evalSeconds}});
    return j;
}

} // namespace

int cmdFinetune(const Argv &argv)
{
    std::vector<OptionSpec> specs = {
        {"data"},         {"labels"},      {"preprocess"},  {"train-offset"}, {"train-samples"}, {"eval-offset"},
        {"eval-limit"},   {"epochs"},      {"lr"},          {"batch"},        {"optimizer"},     {"momentum"},
        {"weight-decay"}, {"schedule"},    {"step-epochs"}, {"step-gamma"},   {"no-augment", false},
        {"distill", false}, {"temperature"}, {"warmup"},   {"distill-weight"}, {"seed"},        {"keep-last", false},
        {"calib-offset"}, {"bn-training", false},
        {"calib-samples"}, {"fixed-ranges", false}, {"range-lr"}, {"no-bn-reestimation", false}, {"threads"},
        {"export"},       {"encodings-version"}, {"json", false}};
    for (const auto &s : quantOptionSpecs())
        specs.push_back(s);
    const Args args(argv, specs);
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    const std::string version = args.value("encodings-version", "0.6.1");
    if (version != "0.6.1" && version != "1.0.0")
        fail(ErrorCode::Invalid, "--encodings-version " + version + ": unsupported (0.6.1 or 1.0.0)");
    FinetuneOptions options = optionsFromArgs(args);
    options.threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    options.onProgress = [](const TrainProgress &p) {
        if (p.batch == p.batches)
            std::fprintf(stderr, "epoch %d/%d: loss %.4f, training top-1 %.4f\n", p.epoch, p.epochs, p.loss,
                         p.accuracy);
    };

    const Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    Result<FinetuneResult> run = finetune(graph, *spec.data, spec.preprocess, options);
    if (!run.ok())
        fail(run.error().code, path + ": " + run.error().message);
    const FinetuneResult &r = run.value();

    nlohmann::json exported = nullptr;
    if (auto dir = args.value("export"))
        exported = exportJson(exportAll(path, *dir, r.graph, options.quant ? &r.encodings : nullptr, r.quantizerArgs,
                                        version));
    if (args.flag("json")) {
        nlohmann::json j = {{"model", path},
                            {"quantized", options.quant.has_value()},
                            {"distill", options.distill},
                            {"distill_weight", options.distillWeight},
                            {"lr", options.lr},
                            {"warmup", options.warmup},
                            {"bn_training", options.batchNormTraining},
                            {"seed", options.seed},
                            {"fp32", {{"top1", r.fp32Top1}, {"seconds", r.fp32EvalSeconds}}},
                            {"before", {{"top1", r.before}}},
                            {"after", {{"top1", r.after}}},
                            {"epochs", epochsJson(r.epochs)},
                            {"best_epoch", r.bestEpoch},
                            {"threads", options.threads},
                            {"batch", options.batch},
                            {"export", exported}};
        if (options.quant) {
            j["scheme"] = r.quantizerArgs.quantScheme;
            j["param_bw"] = options.quant->sim.quant.paramBitwidth;
            j["act_bw"] = options.quant->sim.quant.activationBitwidth;
            j["per_channel"] = r.quantizerArgs.perChannel;
        }
        std::cout << j.dump(1) << "\n";
    } else {
        std::printf("%s: FP32 top-1 %.2f%%, before %.2f%%, after %.2f%% (%zu epochs, best %d)\n", path.c_str(),
                    100 * r.fp32Top1, 100 * r.before, 100 * r.after, r.epochs.size(), r.bestEpoch);
    }
    return 0;
}

} // namespace qs::cli
