#include "analysis/quantrun.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "equalize/equalizedconfig.h"
#include "jobs/job.h"
#include "quant/adaround.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace qs {

namespace {

double since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Step names as the quantize command's JSON lists them.
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

void report(Job *job, const std::string &stage, int64_t done, int64_t total)
{
    checkCancelled(job);
    if (job)
        job->setProgress(done, total, stage);
}

// The first `n` rows of an N x ... batch.
Tensor firstRows(const Tensor &batch, int64_t n)
{
    std::vector<int64_t> shape = batch.shape();
    const size_t bytes = batch.byteSize() / size_t(shape.at(0)) * size_t(n);
    shape[0] = n;
    Tensor out(batch.dtype(), shape);
    std::memcpy(out.data(), batch.data(), bytes);
    return out;
}

// AdaRound on the first adaroundBatches batches of the calibration data; returns the encodings to freeze.
std::vector<TensorEncoding> runAdaround(Graph &g, const std::string &model, const QuantRunSettings &s,
                                        const QuantSimOptions &qopts, const Tensor &calib, QuantRunResult &run,
                                        Job *job)
{
    const int64_t n = s.adaroundBatches > 0 ? std::min<int64_t>(calib.dim(0), int64_t(s.adaroundBatches) * s.batch)
                                            : calib.dim(0);
    AdaroundOptions options;
    options.iterations = s.adaroundIterations;
    Result<AdaroundResult> r = adaround(g, n == calib.dim(0) ? calib : firstRows(calib, n), qopts, options, job);
    if (!r.ok())
        fail(r.error().code, model + ": AdaRound: " + r.error().message);
    g = std::move(r.value().graph);
    run.steps.push_back({"adaround", r.value().report.seconds});
    run.adaround = std::move(r.value().report);
    return std::move(r.value().paramEncodings);
}

// BN folding, cross-layer scaling, high-bias absorption, bias correction, in the command's order.
Graph prepare(const Graph &graph, const std::string &model, const QuantRunSettings &s, const QuantSimOptions &qopts,
              const Tensor &calib, std::vector<StepTime> &steps)
{
    Graph g = graph;
    LayerStatsTable stats;
    if (s.foldBatchNorms || s.crossLayerScale) {
        EqualizeOptions eo;
        eo.crossLayerScale = s.crossLayerScale;
        eo.absorbHighBias = s.absorbHighBias.has_value();
        eo.hba.exact = s.absorbHighBias.value_or(true);
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
            fail(r.error().code, model + ": " + r.error().message);
        for (const StepTime &st : r.value().report.steps)
            steps.push_back({stepName(st.name), st.seconds});
        g = std::move(r.value().graph);
        stats = std::move(r.value().stats);
    }
    if (s.biasCorrection) {
        const auto t0 = std::chrono::steady_clock::now();
        BiasCorrectionOptions bo;
        bo.method = *s.biasCorrection;
        bo.quant = qopts;
        bo.batch = s.batch;
        Result<BiasCorrectionResult> r = correctBias(g, calib, bo, stats);
        if (!r.ok())
            fail(r.error().code, model + ": bias correction: " + r.error().message);
        g = std::move(r.value().graph);
        steps.push_back({"bias_correction", since(t0)});
    }
    return g;
}

} // namespace

QuantSimOptions quantSimOptions(const QuantRunSettings &s)
{
    QuantSimOptions o;
    if (s.config)
        o.config = *s.config;
    o.scheme = s.scheme;
    o.percentile = s.percentile;
    o.quant.paramBitwidth = s.paramBitwidth;
    o.quant.activationBitwidth = s.activationBitwidth;
    if (s.perChannel)
        o.quant.perChannel = true;
    if (s.crossLayerScale)
        o.config = withPerChannelClamps(std::move(o.config));
    return o;
}

std::string describeSettings(const QuantRunSettings &s)
{
    std::string d = "W" + std::to_string(s.paramBitwidth) + "A" + std::to_string(s.activationBitwidth) + " " +
                    calibrationSchemeName(s.scheme);
    if (s.perChannel)
        d += ", per-channel";
    if (s.crossLayerScale)
        d += ", CLE";
    else if (s.foldBatchNorms)
        d += ", BN fold";
    if (s.absorbHighBias)
        d += *s.absorbHighBias ? ", HBA" : ", HBA approx.";
    if (s.biasCorrection)
        d += *s.biasCorrection == BiasCorrectionMethod::Empirical ? ", BC empirical" : ", BC analytical";
    if (s.adaround)
        d += ", AdaRound " + std::to_string(s.adaroundIterations);
    return d;
}

Result<QuantRunResult> runQuantization(const Graph &graph, const std::string &model, const Dataset &data,
                                       const Preprocess &pre, const QuantRunSettings &s, Job *job)
{
    return capture("", [&] {
        if (s.absorbHighBias && !s.crossLayerScale)
            fail(ErrorCode::Usage, model + ": high-bias absorption needs cross-layer scaling");
        if (s.adaround && s.biasCorrection)
            fail(ErrorCode::Usage, model + ": AdaRound and bias correction exclude each other");
        const int64_t total = 5;
        QuantRunResult r;
        const QuantSimOptions qopts = quantSimOptions(s);
        EvalOptions eval;
        eval.offset = s.evalOffset;
        eval.limit = s.evalLimit;
        eval.batch = s.batch;
        eval.loaderThreads = s.loaderThreads;

        report(job, "fp32", 0, total);
        {
            Result<std::unique_ptr<Executor>> fp32 = Executor::create(graph);
            if (!fp32.ok())
                fail(fp32.error().code, model + ": " + fp32.error().message);
            r.fp32 = evaluateClassifier(*fp32.value(), data, pre, eval, job).take();
        }
        r.steps.push_back({"fp32_evaluate", r.fp32.seconds});
        report(job, "prepare", 1, total);
        Graph prepared = graph;
        std::vector<TensorEncoding> frozen;
        if (s.foldBatchNorms || s.crossLayerScale || s.biasCorrection || s.adaround) {
            Tensor calib;
            if (s.biasCorrection || s.absorbHighBias || s.adaround) {
                const auto tl = std::chrono::steady_clock::now();
                calib = loadBatch(data, pre, s.calibOffset, s.calibSamples, s.loaderThreads).take().input;
                r.steps.push_back({"load_calibration_data", since(tl)});
            }
            prepared = prepare(graph, model, s, qopts, calib, r.steps);
            if (s.adaround)
                frozen = runAdaround(prepared, model, s, qopts, calib, r, job);
        }
        report(job, "calibrate", 2, total);
        Result<std::unique_ptr<QuantSim>> created = QuantSim::create(prepared, qopts);
        if (!created.ok())
            fail(created.error().code, model + ": " + created.error().message);
        r.sim = std::move(created.value());
        if (!frozen.empty())
            r.sim->setEncodings(frozen).take();
        const auto t0 = std::chrono::steady_clock::now();
        r.sim->calibrate(data, pre, s.calibOffset, s.calibSamples, s.batch, job).take();
        r.steps.push_back({"calibrate", since(t0)});
        report(job, "evaluate", 3, total);
        r.quantized = evaluateClassifier(r.sim->executor(), data, pre, eval, job).take();
        r.steps.push_back({"evaluate", r.quantized.seconds});
        r.quantizers = r.sim->enabledQuantizerCount();
        r.perChannel = r.sim->quantizerArgs().perChannel;
        report(job, "sensitivity", 4, total);
        if (s.sensitivitySamples > 0) {
            const Batch b = loadBatch(data, pre, s.evalOffset, s.sensitivitySamples, s.loaderThreads).take();
            r.sensitivity = computeQuantSensitivity(prepared, r.sim->encodings(), b.input, b.labels, job).take();
        }
        report(job, "done", total, total);
        return r;
    });
}

} // namespace qs
