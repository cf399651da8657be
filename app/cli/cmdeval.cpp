#include "cliargs.h"
#include "commands.h"

#include "data/dataset.h"
#include "data/preprocess.h"
#include "eval/evaluation.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace qs::cli {

int cmdEval(const Argv &argv)
{
    const Args args(argv, {{"data"}, {"labels"}, {"preprocess"}, {"offset"}, {"limit"}, {"batch"}, {"threads"},
                           {"json", false}});
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    EvalOptions options;
    options.offset = args.intValue("offset", 0, 0, INT64_MAX);
    options.limit = args.intValue("limit", -1, 0, INT64_MAX);
    options.batch = int(args.intValue("batch", 32, 1, 4096));
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    options.loaderThreads = threads;

    Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    auto executor = createExecutor(path, graph);
    const EvalResult r = evaluateClassifier(*executor, *spec.data, spec.preprocess, options).take();
    if (args.flag("json")) {
        std::cout << nlohmann::json{{"model", path},      {"data", *dataPath},  {"top1", r.top1},
                                    {"top5", r.top5},     {"samples", r.samples}, {"seconds", r.seconds},
                                    {"offset", options.offset}, {"batch", options.batch}, {"threads", threads}}
                         .dump(1)
                  << "\n";
    } else {
        std::printf("%s on %s: top-1 %.2f%%, top-5 %.2f%% over %lld samples in %.1f s\n", path.c_str(),
                    dataPath->c_str(), 100.0 * r.top1, 100.0 * r.top5, static_cast<long long>(r.samples), r.seconds);
    }
    return 0;
}

} // namespace qs::cli
