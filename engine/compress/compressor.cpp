#include "compress/compressor.h"

#include "compress/channelpruning.h"
#include "compress/layergeometry.h"
#include "compress/subgraph.h"
#include "compress/svdsplit.h"
#include "data/batch.h"
#include "data/dataset.h"
#include "equalize/layerweights.h"
#include "jobs/job.h"
#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <algorithm>

namespace qs {

namespace {

struct LayerPlan {
    std::string name;
    double ratio = 1;
    KeptSize kept;
    LayerGeometry geometry;
};

// Patches of each named conv's input over the reconstruction batches, from `graph`.
std::map<std::string, std::vector<float>> samplePatches(const Graph &graph, const std::vector<LayerPlan> &layers,
                                                         const std::vector<Batch> &batches, const CompressOptions &o)
{
    std::vector<std::string> inputs;
    std::map<std::string, PatchSampler> samplers;
    for (const LayerPlan &l : layers) {
        const Node &n = graph.nodes[size_t(findNode(graph, l.name))];
        inputs.push_back(n.inputs[0]);
        samplers.emplace(l.name, PatchSampler(l.geometry, n.attrInts("pads", {0, 0, 0, 0}), o.samplesPerImage, o.seed));
    }
    const Graph prefix = GraphCuts::prefix(graph, inputs);
    auto exec = Executor::create(prefix, {}).take();
    std::map<std::string, std::vector<float>> patches;
    int64_t first = 0;
    for (const Batch &b : batches) {
        const TensorMap out = exec->run({{prefix.inputs.at(0).name, b.input}}).take();
        for (size_t i = 0; i < layers.size(); ++i)
            samplers.at(layers[i].name).addPatches(out.at(inputs[i]), first, patches[layers[i].name]);
        first += b.input.dim(0);
    }
    return patches;
}

std::vector<Batch> loadReconstructionData(const Dataset *data, const Preprocess *pre, const CompressOptions &o)
{
    if (!data || !pre)
        fail(ErrorCode::Usage, "channel pruning needs data for its least-squares reconstruction");
    std::vector<Batch> batches;
    const int64_t end = std::min<int64_t>(data->size(), o.dataOffset + o.reconstructionImages);
    for (int64_t first = o.dataOffset; first < end; first += o.batch)
        batches.push_back(loadBatch(*data, *pre, first, std::min<int64_t>(o.batch, end - first), o.loaderThreads).take());
    if (batches.empty())
        fail(ErrorCode::Usage, data->path() + ": no records for the reconstruction at offset " + std::to_string(o.dataOffset));
    return batches;
}

void pruneLayers(const Graph &original, Graph &graph, const std::vector<LayerPlan> &plan, const CompressOptions &o,
                 const std::vector<Batch> &batches, std::map<std::string, WinnowResult> &winnow, Job *job)
{
    const std::map<std::string, std::vector<float>> targets = samplePatches(original, plan, batches, o);
    for (size_t i = 0; i < plan.size(); ++i) {
        checkCancelled(job);
        if (job)
            job->setProgress(int64_t(i), int64_t(plan.size()), "pruning " + plan[i].name);
        const LayerPlan &l = plan[i];
        const std::vector<float> patches = samplePatches(graph, {l}, batches, o).at(l.name);
        const Tensor &w = *graph.initializer(graph.nodes[size_t(findNode(graph, l.name))].inputs[1]);
        const std::vector<int64_t> kept =
            o.settings.selection == ChannelSelection::LeastSquares
                ? firstChannels(rankInputChannelsLeastSquares(w, patches, targets.at(l.name)), l.kept.kept)
                : selectInputChannels(w, l.kept.kept);
        const Tensor fitted = reconstructWeight(w, patches, targets.at(l.name), kept);
        winnow[l.name] = applyChannelPruning(graph, l.name, kept, fitted, o.winnow);
    }
}

int64_t sumOver(const ModelCost &cost, const std::vector<std::string> &nodes, bool macs)
{
    int64_t total = 0;
    for (const LayerCost &c : cost.layers)
        if (std::find(nodes.begin(), nodes.end(), c.name) != nodes.end())
            total += macs ? c.macs : c.params;
    return total;
}

Graph reimport(const Graph &graph)
{
    const std::string bytes = serializeOnnx(graph).take();
    return importOnnxBytes(bytes, graph.name.empty() ? "compressed model" : graph.name, "").take();
}

} // namespace

Result<CompressResult> compressModel(const Graph &input, const RatioMap &ratios, const CompressOptions &options,
                                     const Dataset *data, const Preprocess *pre, Job *job)
{
    return capture("compress", [&]() -> CompressResult {
        Graph original = input;
        ensureNodeNames(original);
        const CompressionCostModel costModel(original, options.settings);
        std::vector<LayerPlan> plan;
        for (const CompressibleLayer &l : costModel.compressible().layers) {
            const auto it = ratios.find(l.name);
            if (it == ratios.end())
                continue;
            const KeptSize k = costModel.kept(l.name, it->second);
            if (k.compressed())
                plan.push_back({l.name, it->second, k, *layerGeometry(original, l.nodeIndex)});
        }
        for (const auto &kv : ratios)
            if (std::none_of(costModel.compressible().layers.begin(), costModel.compressible().layers.end(),
                             [&](const CompressibleLayer &l) { return l.name == kv.first; }))
                fail(ErrorCode::Usage, "'" + kv.first + "' is not a layer " + methodName(options.settings.method) + " can compress");
        Graph graph = original;
        std::map<std::string, std::vector<std::string>> newNodes;
        std::map<std::string, WinnowResult> winnow;
        if (options.settings.method == CompressMethod::ChannelPruning) {
            if (!plan.empty())
                pruneLayers(original, graph, plan, options, loadReconstructionData(data, pre, options), winnow, job);
        } else {
            for (const LayerPlan &l : plan) {
                checkCancelled(job);
                newNodes[l.name] = applySvdSplit(graph, l.name, options.settings.method, l.kept.kept);
            }
        }
        CompressResult r;
        r.graph = reimport(graph);
        r.before = computeCost(original);
        r.after = computeCost(r.graph);
        for (const LayerPlan &l : plan) {
            LayerCompressionReport rep;
            rep.name = l.name;
            rep.opType = original.nodes[size_t(findNode(original, l.name))].opType;
            rep.method = methodName(options.settings.method);
            rep.ratio = l.ratio;
            rep.kept = l.kept.kept;
            rep.full = l.kept.full;
            rep.nodes = newNodes.count(l.name) ? newNodes[l.name] : std::vector<std::string>{l.name};
            rep.macsBefore = sumOver(r.before, {l.name}, true);
            rep.paramsBefore = sumOver(r.before, {l.name}, false);
            rep.macsAfter = sumOver(r.after, rep.nodes, true);
            rep.paramsAfter = sumOver(r.after, rep.nodes, false);
            if (winnow.count(l.name)) {
                rep.winnowed = winnow[l.name].shrunk;
                rep.winnowSkipped = winnow[l.name].skipped;
            }
            r.layers.push_back(std::move(rep));
        }
        return r;
    });
}

} // namespace qs
