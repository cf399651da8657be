#include "cliargs.h"
#include "commands.h"
#include "quantflags.h"

#include "data/dataset.h"
#include "data/preprocess.h"
#include "quant/quantsim.h"

#include "eval/evaluation.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

namespace qs::cli {

int applyThreads(int64_t requested)
{
    const int threads = requested > 0 ? int(requested) : int(std::max(1u, std::thread::hardware_concurrency()));
    Executor::setThreads(threads);
    return threads;
}

DataSpec openDataSpec(const Args &args, const std::string &dataPath)
{
    DataSpec spec;
    if (auto p = args.value("preprocess"))
        spec.preprocess = parsePreprocess(*p).take();
    DatasetOptions options;
    options.labels = args.value("labels", "");
    spec.data = DatasetRegistry::instance().open(dataPath, options).take();
    return spec;
}

std::unique_ptr<Executor> createExecutor(const std::string &modelPath, const Graph &graph)
{
    Result<std::unique_ptr<Executor>> executor = Executor::create(graph);
    if (!executor.ok())
        fail(executor.error().code, modelPath + ": " + executor.error().message);
    return std::move(executor.value());
}

// A QuantSim calibrated on --data (first --calib-samples records) or, without data, on one
// seeded random batch: enough for timing, not for accuracy.
std::unique_ptr<QuantSim> createCalibratedSim(const std::string &path, const Graph &graph, const Args &args, int batch)
{
    Result<std::unique_ptr<QuantSim>> created = QuantSim::create(graph, quantSimOptionsFromArgs(args));
    if (!created.ok())
        fail(created.error().code, path + ": " + created.error().message);
    std::unique_ptr<QuantSim> sim = std::move(created.value());
    if (auto dataPath = args.value("data")) {
        const DataSpec spec = openDataSpec(args, *dataPath);
        const int64_t n = std::min<int64_t>(args.intValue("calib-samples", 64, 1, INT64_MAX), spec.data->size());
        sim->calibrate(*spec.data, spec.preprocess, 0, n, batch).take();
        return sim;
    }
    std::vector<int64_t> shape = graph.inputs.at(0).shape;
    shape.at(0) = batch;
    Tensor x(DType::Float32, shape);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(-1.f, 1.f);
    for (int64_t i = 0; i < x.numel(); ++i)
        x.dataAs<float>()[i] = dist(rng);
    bool given = false;
    sim->calibrate([&]() -> std::optional<Tensor> {
           if (given)
               return std::nullopt;
           given = true;
           return x;
       }).take();
    return sim;
}

int cmdBench(const Argv &argv)
{
    std::vector<OptionSpec> specs = {{"batch"}, {"threads"}, {"seconds"}, {"json", false}, {"quantsim", false},
                                     {"data"}, {"labels"}, {"preprocess"}, {"calib-samples"}};
    for (const auto &s : quantOptionSpecs())
        specs.push_back(s);
    const Args args(argv, specs);
    const std::string path = args.model();
    BenchOptions options;
    options.batch = int(args.intValue("batch", 32, 1, 4096));
    options.seconds = args.doubleValue("seconds", 5.0, 0.0, 3600.0);
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    Graph graph = importOnnx(path).take();
    std::unique_ptr<Executor> executor;
    std::unique_ptr<QuantSim> sim;
    if (args.flag("quantsim")) {
        sim = createCalibratedSim(path, graph, args, options.batch);
    } else {
        executor = createExecutor(path, graph);
    }
    BenchResult r = benchmark(sim ? sim->executor() : *executor, options).take();
    r.threads = threads;
    if (args.flag("json")) {
        std::cout << nlohmann::json{{"model", path},       {"images_per_second", r.imagesPerSecond},
                                    {"batch", r.batch},     {"threads", r.threads},
                                    {"median_ms", r.medianMs}, {"mean_ms", r.meanMs},
                                    {"runs", r.runs},       {"input_shape", r.inputShape},
                                    {"quantsim", sim != nullptr}}
                         .dump(1)
                  << "\n";
    } else {
        std::printf("%s: %.1f images/s (batch %d, %d threads, median %.2f ms per batch over %d runs)\n",
                    path.c_str(), r.imagesPerSecond, r.batch, r.threads, r.medianMs, r.runs);
    }
    return 0;
}

} // namespace qs::cli
