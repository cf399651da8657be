#include "finetune/batchnormreestimation.h"

#include "equalize/batchnormfold.h"
#include "finetune/qatquantizers.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"

#include <map>
#include <set>

namespace qs {

namespace {

struct BatchStats {
    std::string mean, var;       // initializers to overwrite
    std::string batchMean, batchVar; // tensors the training-mode BN produces
    at::Tensor meanSum, varSum;
};

// A copy of the graph whose BNs compute batch statistics and output them (momentum 0 makes the
// "running" outputs equal to this batch's mean and variance).
Graph withBatchStatistics(const Graph &graph, std::vector<BatchStats> &stats)
{
    Graph g = graph;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        Node &n = g.nodes[i];
        if (n.opType != "BatchNormalization" || n.inputs.size() < 5)
            continue;
        BatchStats s;
        s.mean = n.inputs[3];
        s.var = n.inputs[4];
        s.batchMean = n.outputs[0] + "/qs_batch_mean";
        s.batchVar = n.outputs[0] + "/qs_batch_var";
        n.outputs.resize(1);
        n.outputs.push_back(s.batchMean);
        n.outputs.push_back(s.batchVar);
        n.attributes["momentum"] = Attribute::ofFloat(0.f);
        if (g.opsetVersion >= 14)
            n.attributes["training_mode"] = Attribute::ofInt(1);
        stats.push_back(std::move(s));
    }
    return g;
}

void measure(Graph &graph, const std::vector<TensorEncoding> &encodings, const at::Tensor &images,
             const BatchNormReestimation &o, Job *job)
{
    std::vector<BatchStats> stats;
    const Graph statsGraph = withBatchStatistics(graph, stats);
    ExecutorOptions eo = o.sim.executor;
    eo.optimize = false; // the inference plan would fold the BNs
    auto executor = Executor::create(statsGraph, eo).take();
    ExecutorImpl &impl = executor->impl();
    QatQuantizers fixed(encodings, false);
    for (const TensorEncoding &e : encodings)
        if (e.kind == QuantizerKind::Param)
            impl.parameter(e.tensor) = QatQuantizers::apply(*fixed.find(e.tensor), rt::toAt(*graph.initializer(e.tensor)));
    std::map<std::string, BatchStats *> byTensor;
    std::set<std::string> watched = fixed.activationTensors();
    for (BatchStats &s : stats) {
        byTensor[s.batchMean] = &s;
        byTensor[s.batchVar] = &s;
        watched.insert(s.batchMean);
        watched.insert(s.batchVar);
    }
    impl.setHook(
        [&](const std::string &name, const at::Tensor &x) -> at::Tensor {
            auto it = byTensor.find(name);
            if (it == byTensor.end())
                return fixed.hook()(name, x);
            at::Tensor &sum = name == it->second->batchMean ? it->second->meanSum : it->second->varSum;
            sum = sum.defined() ? sum + x : x.clone();
            return x;
        },
        watched);
    at::NoGradGuard noGrad;
    const int64_t n = std::min<int64_t>(images.size(0), int64_t(o.batches) * o.batch);
    int64_t runs = 0;
    for (int64_t first = 0; first < n; first += o.batch, ++runs) {
        checkCancelled(job);
        impl.forward({images.narrow(0, first, std::min<int64_t>(o.batch, n - first))});
        if (job)
            job->setProgress(first, n, "batch norm");
    }
    for (const BatchStats &s : stats) {
        if (!s.meanSum.defined())
            continue;
        graph.initializers[s.mean] = rt::fromAt(s.meanSum / double(runs));
        graph.initializers[s.var] = rt::fromAt(s.varSum / double(runs));
    }
}

} // namespace

ReestimatedModel reestimateBatchNorms(const Graph &graph, const std::vector<TensorEncoding> &encodings,
                                      const at::Tensor &images, const Dataset &data, const Preprocess &pre,
                                      const BatchNormReestimation &o, Job *job)
{
    Graph measured = graph;
    measure(measured, encodings, images, o, job);
    BatchNormFoldResult folded = foldBatchNorms(measured).take();
    std::set<std::string> refreshed; // weights and biases that changed with the fold
    for (const FoldedBatchNorm &f : folded.report.folded)
        for (const Node &n : folded.graph.nodes)
            if (n.name == f.layer)
                refreshed.insert(n.inputs.begin() + 1, n.inputs.end());
    auto sim = QuantSim::create(folded.graph, o.sim).take();
    sim->calibrate(data, pre, o.calibOffset, std::min<int64_t>(o.calibSamples, data.size() - o.calibOffset), o.batch, job)
        .take();
    std::set<std::string> enabled;
    for (const QuantizerInfo &q : sim->quantizers())
        if (q.enabled)
            enabled.insert(q.tensor);
    std::vector<TensorEncoding> kept;
    for (const TensorEncoding &e : encodings)
        if (enabled.count(e.tensor) && !refreshed.count(e.tensor))
            kept.push_back(e);
    sim->setEncodings(kept).take();
    return {std::move(folded.graph), sim->encodings()};
}

} // namespace qs
