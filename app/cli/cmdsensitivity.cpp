#include "cmdsensitivity.h"

#include "cliargs.h"

#include "compress/compression.h"
#include "jobs/job.h"
#include "onnx/onnximport.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace qs::cli {

std::vector<OptionSpec> sensitivityOptionSpecs()
{
    return {{"data"},      {"labels"},   {"preprocess"}, {"method"},     {"candidates"},   {"eval-offset"},
            {"eval-limit"}, {"cache"},   {"metric"},     {"round-to"},   {"batch"},        {"threads"},
            {"layers"},    {"recon-images"}, {"no-prefix-reuse", false}, {"workers"}, {"channel-selection"}, {"json", false}};
}

SensitivityOptions sensitivityOptionsFromArgs(const Args &args, CompressMethod method)
{
    SensitivityOptions o;
    o.settings.method = method;
    const std::string metric = args.value("metric", "mac");
    const std::optional<CostMetric> m = parseMetric(metric);
    if (!m)
        throw UsageError("--metric must be mac or memory, got '" + metric + "'");
    o.settings.metric = *m;
    o.settings.roundTo = int(args.intValue("round-to", 8, 1, 4096));
    const std::string selection = args.value("channel-selection", "l2");
    const std::optional<ChannelSelection> sel = parseSelection(selection);
    if (!sel)
        throw UsageError("--channel-selection must be l2 or lstsq, got '" + selection + "'");
    o.settings.selection = *sel;
    o.candidates = int(args.intValue("candidates", 10, 1, 1000));
    o.evalOffset = args.intValue("eval-offset", 0, 0, INT64_MAX);
    o.evalLimit = args.intValue("eval-limit", -1, 1, INT64_MAX);
    o.batch = int(args.intValue("batch", 100, 1, 4096));
    // Parallel cells: one worker per thread of --threads (default all cores), each on one thread.
    o.workers = int(args.intValue("workers", args.intValue("threads", 0, 0, 1024), 0, 1024));
    o.reconstructionImages = int(args.intValue("recon-images", 200, 1, 1000000));
    o.reusePrefix = !args.flag("no-prefix-reuse");
    o.cachePath = args.value("cache", "");
    if (auto layers = args.value("layers")) {
        std::stringstream ss(*layers);
        for (std::string name; std::getline(ss, name, ',');)
            if (!name.empty())
                o.layers.push_back(name);
    }
    return o;
}

nlohmann::json sensitivityLayersJson(const SensitivityTable &table)
{
    nlohmann::json layers = nlohmann::json::object();
    for (const std::string &name : table.order) {
        const auto it = table.scores.find(name);
        if (it == table.scores.end())
            continue;
        nlohmann::json row = nlohmann::json::object();
        for (const auto &[ratio, score] : it->second)
            row[ratioKey(ratio)] = score;
        layers[name] = row;
    }
    return layers;
}

namespace {

void printTable(const SensitivityTable &t)
{
    std::printf("baseline top-1 %.2f%% over %lld records (%s)\n%-40s", 100 * t.baseline,
                static_cast<long long>(t.samples), t.method.c_str(), "layer");
    for (double r : t.ratios)
        std::printf(" %6s", ratioKey(r).c_str());
    std::printf("\n");
    for (const std::string &name : t.order) {
        const auto it = t.scores.find(name);
        if (it == t.scores.end())
            continue;
        std::printf("%-40s", name.c_str());
        for (const auto &cell : it->second)
            std::printf(" %6.2f", 100 * cell.second);
        std::printf("\n");
    }
}

} // namespace

int cmdSensitivity(const Argv &argv)
{
    const Args args(argv, sensitivityOptionSpecs());
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    const std::string methodText = args.value("method", "");
    const std::optional<CompressMethod> method = parseMethod(methodText);
    if (!method)
        throw UsageError("--method must be spatial-svd, weight-svd or channel-pruning, got '" + methodText + "'");
    SensitivityOptions options = sensitivityOptionsFromArgs(args, *method);
    options.loaderThreads = applyThreads(args.intValue("threads", 0, 0, 1024));

    const Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    Job job;
    if (!args.flag("json"))
        job.setListener([](const Progress &p) {
            std::fprintf(stderr, "\r%lld/%lld %s\033[K", static_cast<long long>(p.done),
                         static_cast<long long>(p.total), p.stage.c_str());
        });
    const auto t0 = std::chrono::steady_clock::now();
    Result<SensitivityTable> result = computeSensitivity(graph, *spec.data, spec.preprocess, options, &job);
    if (!result.ok())
        fail(result.error().code, path + ": " + result.error().message);
    const SensitivityTable &t = result.value();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (args.flag("json")) {
        std::cout << nlohmann::json{{"model", path},
                                    {"method", t.method},
                                    {"candidates", t.ratios},
                                    {"samples", t.samples},
                                    {"eval_offset", t.evalOffset},
                                    {"baseline", {{"top1", t.baseline}}},
                                    {"layers", sensitivityLayersJson(t)},
                                    {"seconds", seconds},
                                    {"table_seconds", t.seconds}}
                         .dump(1)
                  << "\n";
    } else {
        std::fprintf(stderr, "\n");
        printTable(t);
        std::printf("%.1f s (table total %.1f s)\n", seconds, t.seconds);
    }
    return 0;
}

} // namespace qs::cli
