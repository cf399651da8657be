#include "compress/greedy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace qs {

double ratioForScore(const std::map<double, double> &row, double score)
{
    double chosen = 1.0;
    bool any = false;
    for (auto it = row.rbegin(); it != row.rend(); ++it) {
        if (it->second < score)
            break;
        chosen = it->first;
        any = true;
    }
    return any ? chosen : 1.0;
}

namespace {

RatioMap choiceAt(const ScoreTable &table, const RatioMap &overrides, double score)
{
    RatioMap ratios;
    for (const auto &[layer, row] : table) {
        const auto fixed = overrides.find(layer);
        ratios[layer] = fixed != overrides.end() ? fixed->second : ratioForScore(row, score);
    }
    for (const auto &kv : overrides)
        ratios[kv.first] = kv.second;
    return ratios;
}

// One step up for `layer`: the next larger ratio of its row (none at the row's largest).
std::optional<double> nextRatio(const std::map<double, double> &row, double current)
{
    const auto it = row.upper_bound(current);
    if (it == row.end())
        return std::nullopt;
    return it->first;
}

double scoreAt(const std::map<double, double> &row, double ratio)
{
    const auto it = row.find(ratio);
    return it != row.end() ? it->second : (row.empty() ? 0.0 : row.rbegin()->second);
}

void fillBudget(const ScoreTable &table, const CostRatioFunction &costRatio, const GreedyOptions &options,
                GreedyResult &r)
{
    const double limit = options.target + 1e-12;
    if (r.achieved > limit)
        return;
    for (;;) {
        std::string best;
        double bestRatio = 0, bestCost = 0, bestGain = 0, bestDelta = 0;
        for (const auto &[layer, row] : table) {
            if (options.overrides.count(layer))
                continue;
            const double current = r.ratios.at(layer);
            const std::optional<double> next = nextRatio(row, current);
            if (!next)
                continue;
            RatioMap trial = r.ratios;
            trial[layer] = *next;
            const double cost = costRatio(trial);
            if (cost > limit)
                continue;
            const double delta = std::max(cost - r.achieved, 1e-12);
            const double gain = (scoreAt(row, *next) - scoreAt(row, current)) / delta;
            if (best.empty() || gain > bestGain || (gain == bestGain && delta < bestDelta)) {
                best = layer;
                bestRatio = *next;
                bestCost = cost;
                bestGain = gain;
                bestDelta = delta;
            }
        }
        if (best.empty())
            return;
        r.ratios[best] = bestRatio;
        r.achieved = bestCost;
        ++r.filled;
    }
}

GreedyResult search(const ScoreTable &table, const CostRatioFunction &costRatio, const GreedyOptions &options);

} // namespace

GreedyResult selectRatiosGreedy(const ScoreTable &table, const CostRatioFunction &costRatio,
                                const GreedyOptions &options)
{
    GreedyResult r = search(table, costRatio, options);
    if (options.fillBudget)
        fillBudget(table, costRatio, options, r);
    return r;
}

namespace {

GreedyResult search(const ScoreTable &table, const CostRatioFunction &costRatio,
                                const GreedyOptions &options)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &[layer, row] : table) {
        if (options.overrides.count(layer))
            continue;
        for (const auto &[ratio, score] : row) {
            lo = std::min(lo, score);
            hi = std::max(hi, score);
        }
    }
    GreedyResult r;
    if (!(lo <= hi)) { // nothing to search: overrides only
        r.ratios = choiceAt(table, options.overrides, 0);
        r.achieved = costRatio(r.ratios);
        return r;
    }
    const double window = (hi - lo) * 1e-4;
    for (;;) {
        ++r.iterations;
        r.score = (lo + hi) / 2;
        r.ratios = choiceAt(table, options.overrides, r.score);
        r.achieved = costRatio(r.ratios);
        if (std::abs(r.achieved - options.target) <= options.tolerance || hi - lo <= window || r.iterations > 200)
            break;
        if (r.achieved > options.target)
            hi = r.score; // not compressed enough: accept lower scores
        else
            lo = r.score;
    }
    if (r.achieved > options.target + options.tolerance) {
        // The window closed above the budget: the lower end of the window is the best choice within it.
        GreedyResult low = r;
        low.score = lo;
        low.ratios = choiceAt(table, options.overrides, lo);
        low.achieved = costRatio(low.ratios);
        if (low.achieved <= options.target + options.tolerance)
            return low;
    }
    return r;
}

} // namespace

} // namespace qs
