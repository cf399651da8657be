#include "compress/greedy.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

} // namespace

GreedyResult selectRatiosGreedy(const ScoreTable &table, const CostRatioFunction &costRatio,
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

} // namespace qs
