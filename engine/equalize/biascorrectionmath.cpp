// The pure parts of bias correction: normal expectations through clamps, and which statistics
// describe a layer's input.

#include "equalize/biascorrection.h"

#include "equalize/channelchain.h"
#include "equalize/layerweights.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

namespace {

double normalPdf(double x)
{
    return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}

double normalCdf(double x)
{
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

} // namespace

double clampedNormalMean(double mean, double std, double lo, double hi)
{
    if (!(std > 0))
        return std::clamp(mean, lo, std::max(lo, hi));
    // E = lo P(x < lo) + hi P(x > hi) + E[x; lo <= x <= hi], the last being
    // mean (Phi(b) - Phi(a)) + std (phi(a) - phi(b)) with a, b the standardized bounds.
    const double a = (lo - mean) / std, b = (hi - mean) / std;
    const double pa = std::isinf(lo) ? 0.0 : normalCdf(a);
    const double pb = std::isinf(hi) ? 1.0 : normalCdf(b);
    const double da = std::isinf(lo) ? 0.0 : normalPdf(a);
    const double db = std::isinf(hi) ? 0.0 : normalPdf(b);
    double e = mean * (pb - pa) + std * (da - db);
    if (!std::isinf(lo))
        e += lo * pa;
    if (!std::isinf(hi))
        e += hi * (1.0 - pb);
    return e;
}

std::vector<double> layerInputExpectation(const Graph &graph, const LayerStatsTable &stats, const std::string &layer,
                                          std::string *why)
{
    auto reject = [&](const std::string &reason) {
        if (why)
            *why = reason;
        return std::vector<double>{};
    };
    const int li = findNode(graph, layer);
    if (li < 0 || graph.nodes[size_t(li)].inputs.empty())
        return reject("no layer named '" + layer + "'");
    const GraphIndex index(graph);
    std::string t = graph.nodes[size_t(li)].inputs[0];
    std::vector<int> clamps;
    const LayerStats *st = nullptr;
    while (!st) {
        const int p = index.producer(t);
        if (p < 0)
            return reject("its input '" + t + "' is a graph input");
        const Node &n = graph.nodes[size_t(p)];
        if (LayerWeights::isLayerOp(n)) {
            auto it = stats.find(n.name);
            if (it == stats.end())
                return reject("the layer before it, " + n.label() + ", has no statistics");
            st = &it->second;
            break;
        }
        static const char *const kClamps[] = {"Relu", "Clip", "Min", "Max"};
        static const char *const kMeanKeeping[] = {"Pad", "Identity", "Dropout", "AveragePool", "GlobalAveragePool",
                                                   "ReduceMean"};
        if (std::find(std::begin(kClamps), std::end(kClamps), n.opType) != std::end(kClamps))
            clamps.push_back(p);
        else if (std::find(std::begin(kMeanKeeping), std::end(kMeanKeeping), n.opType) == std::end(kMeanKeeping))
            return reject("its input comes through " + n.label());
        t = n.inputs[0];
    }
    const int64_t channels = int64_t(st->mean.size());
    std::vector<double> lo(size_t(channels), -std::numeric_limits<double>::infinity());
    std::vector<double> hi(size_t(channels), std::numeric_limits<double>::infinity());
    for (auto it = clamps.rbegin(); it != clamps.rend(); ++it) {
        auto b = clampBounds(index, *it, channels);
        if (!b)
            return reject("the bounds of " + graph.nodes[size_t(*it)].label() + " are not constant");
        for (size_t c = 0; c < size_t(channels); ++c) {
            lo[c] = std::max(lo[c], b->lo[c]);
            hi[c] = std::min(hi[c], b->hi[c]);
        }
    }
    std::vector<double> e(st->mean.size());
    for (size_t c = 0; c < size_t(channels); ++c)
        e[c] = clampedNormalMean(st->mean[c], st->stddev[c], lo[c], hi[c]);
    return e;
}

} // namespace qs
