#include "equalize/equalize.h"

#include "equalize/layerweights.h"

#include <chrono>

namespace qs {

namespace {

class Timer {
public:
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

} // namespace

Result<EqualizeResult> equalize(const Graph &graph, const EqualizeOptions &options)
{
    return capture("", [&] {
        const auto start = std::chrono::steady_clock::now();
        Timer timer;
        EqualizeResult r;
        r.graph = graph;
        ensureNodeNames(r.graph);
        if (options.foldBatchNorms) {
            BatchNormFoldResult f = foldBatchNorms(r.graph).take();
            r.graph = std::move(f.graph);
            r.report.fold = std::move(f.report);
            r.stats = std::move(f.stats);
            r.report.steps.push_back({"fold_batch_norms", timer.lap()});
        }
        if (options.crossLayerScale) {
            ClsResult c = crossLayerScale(r.graph, r.stats, options.cls).take();
            r.graph = std::move(c.graph);
            r.report.cls = std::move(c.report);
            r.stats = std::move(c.stats);
            r.report.steps.push_back({"cross_layer_scaling", timer.lap()});
        }
        if (options.absorbHighBias && options.data) {
            std::vector<std::string> missing;
            for (const Node &n : r.graph.nodes)
                if (LayerWeights::isLayerOp(n) && !r.stats.count(n.name))
                    missing.push_back(n.name);
            if (!missing.empty()) {
                LayerStatsTable measured = measureLayerStats(r.graph, options.data, missing).take();
                r.report.measuredLayers = int(measured.size());
                for (auto &kv : measured)
                    r.stats.emplace(kv.first, std::move(kv.second));
            }
            r.report.steps.push_back({"measure_statistics", timer.lap()});
        }
        if (options.absorbHighBias) {
            HbaResult h = absorbHighBias(r.graph, r.stats, options.hba).take();
            r.graph = std::move(h.graph);
            r.report.hba = std::move(h.report);
            r.stats = std::move(h.stats);
            r.report.steps.push_back({"absorb_high_bias", timer.lap()});
        }
        r.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    });
}

} // namespace qs
