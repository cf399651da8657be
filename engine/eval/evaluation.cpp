#include "eval/evaluation.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "data/evaluator.h"
#include "data/preprocess.h"
#include "jobs/job.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <random>
#include <thread>

namespace qs {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

const std::string &firstInputName(const Executor &executor)
{
    const Graph &g = executor.graph();
    if (g.inputs.empty())
        fail(ErrorCode::Invalid, "the model has no inputs");
    return g.inputs.front().name;
}

} // namespace

Result<EvalResult> evaluateClassifier(Executor &executor, const Dataset &data, const Preprocess &pre,
                                      const EvalOptions &options, Job *job)
{
    return capture("", [&]() -> EvalResult {
        const auto t0 = Clock::now();
        if (options.offset < 0 || options.offset > data.size())
            fail(ErrorCode::Usage, data.path() + ": offset " + std::to_string(options.offset) +
                                       " is outside the data set of " + std::to_string(data.size()) + " records");
        const int64_t available = data.size() - options.offset;
        const int64_t count = options.limit < 0 ? available : std::min(options.limit, available);
        const int batch = std::max(1, options.batch);
        const std::string &inputName = firstInputName(executor);
        const std::string &outputName = executor.graph().outputs.at(0).name;

        auto load = [&](int64_t first) {
            const int64_t n = std::min<int64_t>(batch, options.offset + count - first);
            return loadBatch(data, pre, first, n, options.loaderThreads);
        };
        TopKAccuracy acc;
        std::future<Result<Batch>> next;
        if (count > 0)
            next = std::async(std::launch::async, load, options.offset);
        for (int64_t first = options.offset; first < options.offset + count; first += batch) {
            checkCancelled(job);
            Batch b = next.get().take();
            if (first + batch < options.offset + count)
                next = std::async(std::launch::async, load, first + batch);
            Result<TensorMap> run = executor.run({{inputName, b.input}});
            if (!run.ok())
                fail(run.error().code, data.path() + ": " + run.error().message);
            TensorMap out = std::move(run.value());
            acc.add(out.at(outputName), b.labels);
            if (job)
                job->setProgress(acc.samples(), count, "evaluating");
        }
        EvalResult r;
        r.samples = acc.samples();
        r.top1 = acc.top1();
        r.top5 = acc.top5();
        r.seconds = secondsSince(t0);
        return r;
    });
}

Result<BenchResult> benchmark(Executor &executor, const BenchOptions &options, Job *job)
{
    return capture("", [&]() -> BenchResult {
        const ValueInfo &in = executor.graph().inputs.at(0);
        std::vector<int64_t> shape = in.shape;
        if (shape.empty())
            fail(ErrorCode::Invalid, "input '" + in.name + "' has no known shape to benchmark with");
        shape[0] = options.batch;
        for (size_t d = 1; d < shape.size(); ++d)
            if (shape[d] < 0)
                fail(ErrorCode::Invalid, "input '" + in.name + "' has an unknown dimension " + std::to_string(d));
        Tensor x(DType::Float32, shape);
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> dist(-1.f, 1.f);
        float *p = x.dataAs<float>();
        for (int64_t i = 0; i < x.numel(); ++i)
            p[i] = dist(rng);
        const TensorMap feed{{in.name, x}};
        for (int i = 0; i < options.warmupRuns; ++i)
            executor.run(feed).take();
        std::vector<double> ms;
        const auto start = Clock::now();
        while (secondsSince(start) < options.seconds || ms.size() < 3) {
            checkCancelled(job);
            const auto t = Clock::now();
            executor.run(feed).take();
            ms.push_back(secondsSince(t) * 1000.0);
            if (job)
                job->setProgress(int64_t(secondsSince(start) * 1000), int64_t(options.seconds * 1000), "benchmark");
        }
        const double total = secondsSince(start);
        BenchResult r;
        r.runs = int(ms.size());
        r.batch = options.batch;
        r.inputShape = shape;
        r.imagesPerSecond = double(options.batch) * r.runs / total;
        double sum = 0;
        for (double v : ms)
            sum += v;
        r.meanMs = sum / r.runs;
        std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
        r.medianMs = ms[ms.size() / 2];
        return r;
    });
}

} // namespace qs
