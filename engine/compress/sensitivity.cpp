#include "compress/sensitivity.h"

#include "compress/channelpruning.h"
#include "compress/layergeometry.h"
#include "compress/subgraph.h"
#include "compress/svdsplit.h"
#include "data/batch.h"
#include "data/dataset.h"
#include "data/evaluator.h"
#include "equalize/layerweights.h"
#include "jobs/job.h"
#include "runtime/executor.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

namespace qs {

namespace {

using Clock = std::chrono::steady_clock;

class SensitivityRun {
public:
    SensitivityRun(const Graph &graph, const Dataset &data, const Preprocess &pre, const SensitivityOptions &options,
                   Job *job, const SensitivityCellCallback &onCell)
        : m_graph(graph), m_cuts(m_graph), m_data(data), m_pre(pre), m_o(options), m_job(job), m_onCell(onCell)
    {
    }

    SensitivityTable run();

private:
    SensitivityTable freshTable(const std::vector<CompressibleLayer> &layers) const;
    void checkCache(const SensitivityTable &cached, const SensitivityTable &fresh) const;
    void loadData();
    void advanceTo(int cut);
    double evaluate(const Graph &model);
    std::vector<double> evaluateMany(const std::vector<Graph> &models);
    // Calls work(worker, item) for items 0..count-1 on the workers (each with one intra-op
    // thread), or in order on the calling thread with one worker; rethrows the first error.
    void parallelFor(size_t count, const std::function<void(int, size_t)> &work);
    int workers() const;
    std::vector<float> layerPatches(const Node &layer, const PatchSampler &sampler);
    std::map<double, double> layerRow(const CompressibleLayer &layer);
    void save();

    const Graph &m_graph;
    GraphCuts m_cuts;
    const Dataset &m_data;
    const Preprocess &m_pre;
    const SensitivityOptions &m_o;
    Job *m_job;
    const SensitivityCellCallback &m_onCell;
    SensitivityTable m_table;
    std::vector<TensorMap> m_live; // per batch: the tensors crossing the current cut
    std::vector<std::vector<int64_t>> m_labels;
    int m_cut = 0;
    int64_t m_cellsDone = 0, m_cellsTotal = 0;
    Clock::time_point m_lastSave;
};

SensitivityTable SensitivityRun::freshTable(const std::vector<CompressibleLayer> &layers) const
{
    SensitivityTable t;
    t.model = graphFingerprint(m_graph);
    t.method = methodName(m_o.settings.method);
    t.metric = metricName(m_o.settings.metric);
    t.roundTo = m_o.settings.roundTo;
    t.ratios = candidateRatios(m_o.candidates);
    t.evalOffset = m_o.evalOffset;
    t.evalLimit = m_o.evalLimit;
    const int64_t available = std::max<int64_t>(0, m_data.size() - m_o.evalOffset);
    t.samples = m_o.evalLimit < 0 ? available : std::min(available, m_o.evalLimit);
    if (m_o.settings.method == CompressMethod::ChannelPruning) {
        t.reconstructionImages = m_o.reconstructionImages;
        t.samplesPerImage = m_o.samplesPerImage;
        t.seed = m_o.seed;
        t.selection = selectionName(m_o.settings.selection);
    }
    for (const CompressibleLayer &l : layers)
        t.order.push_back(l.name);
    return t;
}

void SensitivityRun::checkCache(const SensitivityTable &c, const SensitivityTable &f) const
{
    auto differs = [&](const std::string &field) {
        fail(ErrorCode::Usage, m_o.cachePath + ": the cache was made with another " + field +
                                   " (delete it or use another cache file)");
    };
    if (c.model != f.model)
        differs("model");
    if (c.method != f.method)
        differs("method");
    if (c.metric != f.metric && f.method != "channel-pruning")
        differs("metric");
    if (c.roundTo != f.roundTo)
        differs("rounding multiple");
    if (c.ratios != f.ratios)
        differs("candidate list");
    if (c.evalOffset != f.evalOffset || c.samples != f.samples)
        differs("evaluation subset");
    if (c.reconstructionImages != f.reconstructionImages || c.samplesPerImage != f.samplesPerImage || c.seed != f.seed)
        differs("reconstruction setting");
    if (c.selection != f.selection)
        differs("channel selection");
    if (c.order != f.order)
        differs("layer list");
}

void SensitivityRun::loadData()
{
    const std::string input = m_graph.inputs.at(0).name;
    for (int64_t first = m_o.evalOffset; first < m_o.evalOffset + m_table.samples; first += m_o.batch) {
        checkCancelled(m_job);
        const int64_t n = std::min<int64_t>(m_o.batch, m_o.evalOffset + m_table.samples - first);
        Batch b = loadBatch(m_data, m_pre, first, n, m_o.loaderThreads).take();
        m_live.push_back({{input, std::move(b.input)}});
        m_labels.push_back(std::move(b.labels));
    }
    m_cut = 0;
}

// Runs the nodes between the current cut and `cut` on every cached batch.
void SensitivityRun::advanceTo(int cut)
{
    if (cut <= m_cut)
        return;
    const Graph segment = m_cuts.segment(m_cut, cut);
    const std::vector<std::string> live = m_cuts.liveAt(cut);
    std::vector<std::unique_ptr<Executor>> execs(static_cast<size_t>(workers()));
    parallelFor(m_live.size(), [&](int worker, size_t b) {
        std::unique_ptr<Executor> &exec = execs[size_t(worker)];
        if (!exec)
            exec = Executor::create(segment).take();
        TensorMap &batch = m_live[b];
        TensorMap out = exec->run(batch).take();
        TensorMap next;
        for (const std::string &t : live) {
            auto it = out.find(t);
            if (it != out.end())
                next[t] = std::move(it->second);
            else
                next[t] = std::move(batch.at(t)); // crosses both cuts untouched
        }
        batch = std::move(next);
    });
    m_cut = cut;
}

int SensitivityRun::workers() const
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, m_o.workers > 0 ? m_o.workers : cores);
}

void SensitivityRun::parallelFor(size_t count, const std::function<void(int, size_t)> &work)
{
    const int n = int(std::min<size_t>(size_t(workers()), count));
    if (n <= 1) {
        for (size_t i = 0; i < count; ++i) {
            checkCancelled(m_job);
            work(0, i);
        }
        return;
    }
    const int mainThreads = Executor::threads();
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    std::vector<std::thread> pool;
    for (int w = 0; w < n; ++w)
        pool.emplace_back([&, w] {
            try {
                Executor::setThreads(1); // this thread's intra-op threads
                for (size_t i = next++; i < count && !failed; i = next++) {
                    checkCancelled(m_job);
                    work(w, i);
                }
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error)
                    error = std::current_exception();
                failed = true;
            }
        });
    for (std::thread &t : pool)
        t.join();
    Executor::setThreads(mainThreads); // the workers changed the process default for new threads
    if (error)
        std::rethrow_exception(error);
}

// Top-1 of `model` (a segment from the current cut to the output) over the cached batches.
double SensitivityRun::evaluate(const Graph &model)
{
    return evaluateMany({model}).at(0);
}

// Top-1 of each model over the cached batches: every (model, batch) pair is one work item.
std::vector<double> SensitivityRun::evaluateMany(const std::vector<Graph> &models)
{
    const size_t batches = m_live.size(), n = models.size();
    const int w = workers();
    std::vector<std::vector<std::unique_ptr<Executor>>> execs(static_cast<size_t>(w));
    for (auto &e : execs)
        e.resize(n);
    std::vector<std::vector<TopKAccuracy>> acc(static_cast<size_t>(w), std::vector<TopKAccuracy>(n));
    parallelFor(n * batches, [&](int worker, size_t item) {
        const size_t m = item / batches, b = item % batches;
        std::unique_ptr<Executor> &exec = execs[size_t(worker)][m];
        if (!exec)
            exec = Executor::create(models[m]).take();
        const TensorMap out = exec->run(m_live[b]).take();
        acc[size_t(worker)][m].add(out.at(models[m].outputs.at(0).name), m_labels[b]);
    });
    std::vector<double> top1(n);
    for (size_t m = 0; m < n; ++m) {
        int64_t hits = 0, samples = 0;
        for (const auto &a : acc) {
            hits += a[m].top1Hits();
            samples += a[m].samples();
        }
        top1[m] = samples ? double(hits) / double(samples) : 0.0;
    }
    return top1;
}

std::vector<float> SensitivityRun::layerPatches(const Node &layer, const PatchSampler &sampler)
{
    std::vector<float> rows;
    const std::string &tensor = layer.inputs[0];
    std::unique_ptr<Executor> prefix;
    int64_t first = 0;
    for (size_t b = 0; b < m_live.size() && first < m_o.reconstructionImages; ++b) {
        const auto it = m_live[b].find(tensor);
        if (it != m_live[b].end()) {
            sampler.addPatches(it->second, first, rows);
        } else {
            if (!prefix)
                prefix = Executor::create(m_cuts.segment(m_cut, findNode(m_graph, layer.name))).take();
            const TensorMap out = prefix->run(m_live[b]).take();
            sampler.addPatches(out.at(tensor), first, rows);
        }
        first += m_live[b].begin()->second.dim(0);
    }
    return rows;
}

std::map<double, double> SensitivityRun::layerRow(const CompressibleLayer &layer)
{
    const int index = findNode(m_graph, layer.name);
    if (m_o.reusePrefix)
        advanceTo(index);
    const Graph base = m_cuts.segment(m_cut, int(m_graph.nodes.size()));
    const LayerGeometry g = *layerGeometry(m_graph, index);
    const Node &node = m_graph.nodes[size_t(index)];
    std::vector<float> patches;
    std::vector<int64_t> ranking; // least-squares selection: one elimination serves every ratio
    std::map<int64_t, size_t> variantOf; // kept size -> index in variants
    std::vector<Graph> variants;
    for (double ratio : m_table.ratios) {
        const KeptSize k = keptSize(g, m_o.settings, ratio);
        if (!k.compressed() || variantOf.count(k.kept))
            continue;
        checkCancelled(m_job);
        Graph variant = base;
        if (m_o.settings.method == CompressMethod::ChannelPruning) {
            if (patches.empty())
                patches = layerPatches(node, PatchSampler(g, node.attrInts("pads", {0, 0, 0, 0}),
                                                          m_o.samplesPerImage, m_o.seed));
            const Tensor &w = *m_graph.initializer(node.inputs[1]);
            if (m_o.settings.selection == ChannelSelection::LeastSquares && ranking.empty())
                ranking = rankInputChannelsLeastSquares(w, patches, patches);
            const std::vector<int64_t> kept = m_o.settings.selection == ChannelSelection::LeastSquares
                                                  ? firstChannels(ranking, k.kept)
                                                  : selectInputChannels(w, k.kept);
            applyChannelPruning(variant, layer.name, kept, reconstructWeight(w, patches, patches, kept), false);
        } else {
            applySvdSplit(variant, layer.name, m_o.settings.method, k.kept);
        }
        variantOf[k.kept] = variants.size();
        variants.push_back(std::move(variant));
    }
    const std::vector<double> scores = evaluateMany(variants);
    std::map<double, double> row;
    for (double ratio : m_table.ratios) {
        const KeptSize k = keptSize(g, m_o.settings, ratio);
        row[ratio] = k.compressed() ? scores[variantOf.at(k.kept)] : m_table.baseline;
    }
    if (m_job)
        m_job->setProgress(m_cellsDone + int64_t(row.size()), m_cellsTotal, "sensitivity of " + layer.name);
    return row;
}

void SensitivityRun::save()
{
    const auto now = Clock::now();
    m_table.seconds += std::chrono::duration<double>(now - m_lastSave).count();
    m_lastSave = now;
    if (!m_o.cachePath.empty())
        saveSensitivityTable(m_table, m_o.cachePath).take();
}

SensitivityTable SensitivityRun::run()
{
    m_lastSave = Clock::now();
    CompressibleSet set = compressibleLayers(m_graph, m_o.settings.method);
    if (!m_o.layers.empty()) {
        for (const std::string &name : m_o.layers)
            if (std::none_of(set.layers.begin(), set.layers.end(), [&](const CompressibleLayer &l) { return l.name == name; }))
                fail(ErrorCode::Usage, "'" + name + "' is not a layer " + methodName(m_o.settings.method) + " can compress");
        std::vector<CompressibleLayer> chosen;
        for (const CompressibleLayer &l : set.layers)
            if (std::find(m_o.layers.begin(), m_o.layers.end(), l.name) != m_o.layers.end())
                chosen.push_back(l);
        set.layers = chosen;
    }
    m_table = freshTable(set.layers);
    if (!m_o.cachePath.empty() && std::filesystem::exists(m_o.cachePath)) {
        SensitivityTable cached = loadSensitivityTable(m_o.cachePath).take();
        checkCache(cached, m_table);
        m_table = std::move(cached);
        m_table.evalLimit = m_o.evalLimit;
    }
    m_cellsTotal = int64_t(set.layers.size() * m_table.ratios.size());
    for (const auto &[layer, row] : m_table.scores)
        for (const auto &[ratio, score] : row)
            if (m_onCell)
                m_onCell(layer, ratio, score);
    m_cellsDone = int64_t(m_table.scores.size() * m_table.ratios.size());
    if (m_table.scores.size() == set.layers.size() && m_table.baseline >= 0) {
        m_table.complete = true;
        return m_table;
    }
    loadData();
    if (m_table.baseline < 0) {
        m_table.baseline = evaluate(m_cuts.segment(0, int(m_graph.nodes.size())));
        save();
    }
    for (const CompressibleLayer &layer : set.layers) {
        if (m_table.scores.count(layer.name))
            continue;
        const std::map<double, double> row = layerRow(layer);
        m_table.scores[layer.name] = row;
        m_cellsDone += int64_t(row.size());
        m_table.complete = m_table.scores.size() == set.layers.size();
        save();
        for (const auto &[ratio, score] : row)
            if (m_onCell)
                m_onCell(layer.name, ratio, score);
    }
    return m_table;
}

} // namespace

Result<SensitivityTable> computeSensitivity(const Graph &graph, const Dataset &data, const Preprocess &pre,
                                            const SensitivityOptions &options, Job *job,
                                            const SensitivityCellCallback &onCell)
{
    return capture("sensitivity", [&]() -> SensitivityTable {
        Graph named = graph;
        ensureNodeNames(named);
        if (named.inputs.size() != 1)
            fail(ErrorCode::Unsupported, "sensitivity: models with " + std::to_string(named.inputs.size()) +
                                             " inputs are not supported (one image input expected)");
        if (options.candidates < 1 || options.batch < 1)
            fail(ErrorCode::Usage, "sensitivity: candidates and batch must be at least 1");
        if (options.evalOffset < 0 || options.evalOffset >= data.size())
            fail(ErrorCode::Usage, data.path() + ": offset " + std::to_string(options.evalOffset) +
                                       " is outside the data set of " + std::to_string(data.size()) + " records");
        SensitivityRun run(named, data, pre, options, job, onCell);
        return run.run();
    });
}

} // namespace qs
