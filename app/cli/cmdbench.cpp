#include "cliargs.h"
#include "commands.h"

#include "eval/evaluation.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <thread>

namespace qs::cli {

int applyThreads(int64_t requested)
{
    const int threads = requested > 0 ? int(requested) : int(std::max(1u, std::thread::hardware_concurrency()));
    Executor::setThreads(threads);
    return threads;
}

std::unique_ptr<Executor> createExecutor(const std::string &modelPath, const Graph &graph)
{
    Result<std::unique_ptr<Executor>> executor = Executor::create(graph);
    if (!executor.ok())
        fail(executor.error().code, modelPath + ": " + executor.error().message);
    return std::move(executor.value());
}

int cmdBench(const Argv &argv)
{
    const Args args(argv, {{"batch"}, {"threads"}, {"seconds"}, {"json", false}});
    const std::string path = args.model();
    BenchOptions options;
    options.batch = int(args.intValue("batch", 32, 1, 4096));
    options.seconds = args.doubleValue("seconds", 5.0, 0.0, 3600.0);
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    Graph graph = importOnnx(path).take();
    auto executor = createExecutor(path, graph);
    BenchResult r = benchmark(*executor, options).take();
    r.threads = threads;
    if (args.flag("json")) {
        std::cout << nlohmann::json{{"model", path},       {"images_per_second", r.imagesPerSecond},
                                    {"batch", r.batch},     {"threads", r.threads},
                                    {"median_ms", r.medianMs}, {"mean_ms", r.meanMs},
                                    {"runs", r.runs},       {"input_shape", r.inputShape}}
                         .dump(1)
                  << "\n";
    } else {
        std::printf("%s: %.1f images/s (batch %d, %d threads, median %.2f ms per batch over %d runs)\n",
                    path.c_str(), r.imagesPerSecond, r.batch, r.threads, r.medianMs, r.runs);
    }
    return 0;
}

} // namespace qs::cli
