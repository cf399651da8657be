#include "cmdequalize.h"

#include "cliargs.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "equalize/equalize.h"
#include "equalize/equalizejson.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace qs::cli {

namespace {

EqualizeOptions optionsFromArgs(const Args &args)
{
    EqualizeOptions o;
    o.foldBatchNorms = !args.flag("no-fold");
    o.crossLayerScale = !args.flag("no-cls");
    o.cls.iterations = int(args.intValue("cls-iterations", 1, 1, 100));
    const std::string hba = args.value("hba", "exact");
    if (hba == "off")
        o.absorbHighBias = false;
    else if (hba == "approximate")
        o.hba.exact = false;
    else if (hba != "exact")
        throw UsageError("--hba must be exact, approximate or off, got '" + hba + "'");
    return o;
}

// Statistics data for layers without a folded BN: the first --samples records, one batch.
std::optional<Tensor> loadStatisticsData(const Args &args, int threads)
{
    const auto dataPath = args.value("data");
    if (!dataPath) {
        for (const char *opt : {"labels", "preprocess", "samples"})
            if (args.value(opt))
                throw UsageError(std::string("--") + opt + " needs --data PATH");
        return std::nullopt;
    }
    Preprocess pre;
    if (auto p = args.value("preprocess"))
        pre = parsePreprocess(*p).take();
    DatasetOptions dopts;
    dopts.labels = args.value("labels", "");
    auto data = DatasetRegistry::instance().open(*dataPath, dopts).take();
    const int64_t samples = args.intValue("samples", 256, 1, INT64_MAX);
    return loadBatch(*data, pre, 0, samples, threads).take().input;
}

} // namespace

int cmdEqualize(const Argv &argv)
{
    const Args args(argv, {{"out"}, {"hba"}, {"no-fold", false}, {"no-cls", false}, {"cls-iterations"}, {"data"},
                           {"labels"}, {"preprocess"}, {"samples"}, {"threads"}, {"json", false}});
    const std::string path = args.model();
    const auto out = args.value("out");
    if (!out)
        throw UsageError("missing --out OUT.onnx");
    EqualizeOptions options = optionsFromArgs(args);
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    const auto start = std::chrono::steady_clock::now();
    const Graph graph = importOnnx(path).take();
    const std::optional<Tensor> data = loadStatisticsData(args, threads);
    bool given = false;
    if (data)
        options.data = [&]() -> std::optional<Tensor> {
            if (given)
                return std::nullopt;
            given = true;
            return *data;
        };
    Result<EqualizeResult> result = equalize(graph, options);
    if (!result.ok())
        fail(result.error().code, path + ": " + result.error().message);
    const EqualizeResult &r = result.value();
    exportOnnx(r.graph, *out).take();
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (args.flag("json")) {
        nlohmann::json j = toJson(r.report);
        j["model"] = path;
        j["out"] = *out;
        j["total_seconds"] = total;
        std::cout << j.dump(1) << "\n";
    } else {
        std::printf("%s -> %s: %zu batch norms folded (%zu skipped), %zu layer groups equalized (%zu layers "
                    "skipped), %zu biases absorbed; %.3f s\n",
                    path.c_str(), out->c_str(), r.report.fold.folded.size(), r.report.fold.skipped.size(),
                    r.report.cls.groups.size(), r.report.cls.skipped.size(), r.report.hba.absorbed.size(),
                    r.report.seconds);
    }
    return 0;
}

} // namespace qs::cli
