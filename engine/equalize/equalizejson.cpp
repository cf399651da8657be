#include "equalize/equalizejson.h"

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

using Json = nlohmann::json;

Json summary(const std::vector<double> &v)
{
    if (v.empty())
        return Json::object();
    double lo = v[0], hi = v[0], logSum = 0, absSum = 0;
    int positive = 0;
    for (double x : v) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
        absSum += std::fabs(x);
        if (x > 0) {
            logSum += std::log(x);
            ++positive;
        }
    }
    Json j = {{"channels", v.size()}, {"min", lo}, {"max", hi}, {"mean_abs", absSum / double(v.size())}};
    if (positive == int(v.size()))
        j["geomean"] = std::exp(logSum / double(v.size()));
    return j;
}

Json foldJson(const BatchNormFoldReport &f)
{
    Json folded = Json::array(), skipped = Json::array();
    for (const FoldedBatchNorm &b : f.folded)
        folded.push_back({{"batch_norm", b.batchNorm},
                          {"layer", b.layer},
                          {"into", b.intoPrevious ? "previous" : "next"},
                          {"epsilon", b.epsilon},
                          {"gamma", b.gamma},
                          {"beta", b.beta},
                          {"mean", b.mean},
                          {"var", b.var}});
    for (const SkippedBatchNorm &s : f.skipped)
        skipped.push_back({{"batch_norm", s.batchNorm}, {"reason", s.reason}});
    return {{"folded", folded}, {"skipped", skipped}};
}

} // namespace

Json toJson(const EqualizeReport &r)
{
    Json groups = Json::array(), skipped = Json::array(), absorbed = Json::array(), notAbsorbed = Json::array();
    for (const ClsGroup &g : r.cls.groups) {
        Json scales = Json::array();
        for (const auto &s : g.scales)
            scales.push_back(summary(s));
        groups.push_back({{"layers", g.layers}, {"scales", scales}, {"clamps_rewritten", g.clampsRewritten}});
    }
    for (const ClsSkipped &s : r.cls.skipped)
        skipped.push_back({{"layer", s.layer}, {"reason", s.reason}});
    for (const AbsorbedBias &a : r.hba.absorbed) {
        const auto nonzero = std::count_if(a.amount.begin(), a.amount.end(), [](double c) { return c != 0.0; });
        absorbed.push_back({{"layer", a.layer}, {"into", a.next}, {"channels_shifted", nonzero}, {"amount", summary(a.amount)}});
    }
    for (const HbaSkipped &s : r.hba.skipped)
        notAbsorbed.push_back({{"layer", s.layer}, {"reason", s.reason}});
    Json steps = Json::array();
    for (const StepTime &s : r.steps)
        steps.push_back({{"name", s.name}, {"seconds", s.seconds}});
    const Json fold = foldJson(r.fold);
    return {{"folded_batch_norms", fold["folded"]},
            {"skipped_batch_norms", fold["skipped"]},
            {"groups", groups},
            {"skipped", skipped},
            {"absorbed_biases", absorbed},
            {"skipped_absorptions", notAbsorbed},
            {"measured_layers", r.measuredLayers},
            {"steps", steps},
            {"seconds", r.seconds}};
}

Json toJson(const BiasCorrectionReport &r)
{
    Json corrected = Json::array(), skipped = Json::array();
    for (const CorrectedBias &c : r.corrected)
        corrected.push_back({{"layer", c.layer}, {"method", c.method}, {"shift", summary(c.shift)}});
    for (const SkippedBias &s : r.skipped)
        skipped.push_back({{"layer", s.layer}, {"reason", s.reason}});
    return {{"corrected", corrected}, {"skipped", skipped}, {"seconds", r.seconds}};
}

} // namespace qs
