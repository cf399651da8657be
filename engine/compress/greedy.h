#pragma once
// Greedy per-layer ratio selection (AIMET's GreedyCompRatioSelectAlgo, ALGORITHMS.md §5): a binary
// search over the evaluation score. Public API, pure C++.
//
// For a score s, each layer walks its ratios from the least compressed (largest) down and takes
// the last one before the first whose score is below s (no ratio when even the largest is below s:
// the layer stays uncompressed). The model cost ratio of that choice is compared with the target:
// above it, the upper end of the score window moves down to s; otherwise the lower end moves up.
// The search starts with the window [lowest score, highest score] of the table and stops when the
// cost ratio is within `tolerance` of the target or the window is narrower than 1e-4 of its start.
// When the window closes on a choice above the target, the choice at the window's lower end is
// returned if it meets the target (AIMET keeps the final one, which misses the budget when the
// ratios are coarse, and never reaches the table's lowest score).
// Layers with a manual override keep their ratio and take part in the cost, not in the search.
//
// Budget fill (on by default; off gives AIMET's choice): the score steps of a table measured on a
// few hundred images are coarse, so the search often ends well below the target (many layers share
// one score and move together). The fill then spends what is left of the budget one step at a time:
// of the moves "one layer to its next larger ratio" that keep the cost within the target, it takes
// the one with the best score gain per unit of cost (ties: the cheaper move), until none fits.

#include "compress/compression.h"

#include <functional>
#include <map>
#include <string>

namespace qs {

using ScoreTable = std::map<std::string, std::map<double, double>>; // layer -> ratio -> score
// Model cost of a choice as a fraction of the original model's (the metric is the caller's).
using CostRatioFunction = std::function<double(const RatioMap &ratios)>;

struct GreedyOptions {
    double target = 0.5;      // wanted cost ratio
    double tolerance = 0.001; // AIMET's exit on the ratio
    RatioMap overrides;       // layer -> fixed ratio
    bool fillBudget = true;   // spend the budget left below the target (see above)
};

struct GreedyResult {
    RatioMap ratios;      // every layer of the table (1 = uncompressed), overrides included
    double score = 0;     // the score threshold the search ended on
    double achieved = 1;  // cost ratio of `ratios`
    int iterations = 0;
    int filled = 0;       // steps taken by the budget fill
};

// The ratio of one layer at a score threshold (1 when none qualifies).
double ratioForScore(const std::map<double, double> &row, double score);

GreedyResult selectRatiosGreedy(const ScoreTable &table, const CostRatioFunction &costRatio,
                                const GreedyOptions &options);

} // namespace qs
