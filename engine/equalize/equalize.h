#pragma once
// The data-free quantization pipeline for an FP32 model: batch-norm folding, cross-layer
// scaling and high-bias absorption, in that order (AIMET's equalize_model, with ReLU6 kept
// exact). High-bias absorption uses the folded BNs' statistics; layers without them (models
// whose BNs were folded before export) can use statistics measured on data instead.
// Works on a copy of the graph; the report is plain data (see equalizejson.h for JSON).

#include "core/error.h"
#include "equalize/batchnormfold.h"
#include "equalize/crosslayerscaling.h"
#include "equalize/highbiasabsorption.h"
#include "equalize/layerstats.h"
#include "graph/graph.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct EqualizeOptions {
    bool foldBatchNorms = true;
    bool crossLayerScale = true;
    bool absorbHighBias = true;
    ClsOptions cls;
    HbaOptions hba;
    // Batches (NCHW float32, first graph input) for measuring the statistics of layers that
    // have no folded BN; empty: BN statistics only.
    std::function<std::optional<Tensor>()> data;
};

struct StepTime {
    std::string name;
    double seconds = 0;
};

struct EqualizeReport {
    BatchNormFoldReport fold;
    ClsReport cls;
    HbaReport hba;
    int measuredLayers = 0; // layers whose statistics came from data
    std::vector<StepTime> steps;
    double seconds = 0;
};

struct EqualizeResult {
    Graph graph;
    EqualizeReport report;
    LayerStatsTable stats; // current output statistics of the result's layers
};

Result<EqualizeResult> equalize(const Graph &graph, const EqualizeOptions &options = {});

} // namespace qs
