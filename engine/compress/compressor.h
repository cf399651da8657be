#pragma once
// Compressing a model at chosen per-layer ratios, and the cost of such a choice before doing it.
// Public API (pure C++): the GUI's wizard and quantscope-cli compress call these.

#include "compress/compression.h"
#include "core/error.h"
#include "graph/costmodel.h"
#include "graph/graph.h"

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

// Whole-model MACs and parameters after compressing layers at given ratios, computed from the
// layer geometry without building the model (winnowing included: a pruned layer's producers lose
// the same channels when the walk of channelpruning.h reaches them).
class CompressionCostModel {
public:
    // `graph` must have unique node names (ensureNodeNames). Throws qs::Exception when shapes are
    // missing.
    CompressionCostModel(const Graph &graph, const CompressSettings &settings);
    ~CompressionCostModel();

    struct Cost {
        int64_t macs = 0;
        int64_t params = 0;
    };
    Cost original() const;
    Cost cost(const RatioMap &ratios) const;
    // cost / original by the metric.
    double ratio(const RatioMap &ratios, CostMetric metric) const;
    // Kept rank / channels of one layer at a ratio.
    KeptSize kept(const std::string &layer, double ratio) const;
    const CompressibleSet &compressible() const;

private:
    struct Data;
    std::unique_ptr<Data> m_d;
};

struct CompressOptions {
    CompressSettings settings;
    bool winnow = true;
    // Channel pruning's least-squares data: records [dataOffset, dataOffset + reconstructionImages).
    int64_t dataOffset = 0;
    int reconstructionImages = 400;
    int samplesPerImage = 10;
    uint32_t seed = 1;
    int batch = 100;
    int loaderThreads = 0;
};

struct LayerCompressionReport {
    std::string name;
    std::string opType;
    std::string method;
    double ratio = 1;
    int64_t kept = 0;  // rank or input channels kept
    int64_t full = 0;  // max rank or input channels
    int64_t macsBefore = 0, macsAfter = 0;
    int64_t paramsBefore = 0, paramsAfter = 0;
    std::vector<std::string> nodes;    // nodes that now compute the layer
    std::vector<std::string> winnowed; // producers that lost channels (pruning)
    std::string winnowSkipped;         // why the producers were kept (pruning, "" when winnowed)
    double score = std::numeric_limits<double>::quiet_NaN(); // from the sensitivity table
};

struct CompressResult {
    Graph graph; // re-imported through ONNX, so shapes are inferred again
    std::vector<LayerCompressionReport> layers;
    ModelCost before, after;
};

// Compresses the layers in `ratios` (ratio 1 or a kept size equal to the full size: unchanged).
// Channel pruning needs `data` and `pre` for the reconstruction; it prunes the layers in graph
// order, each refit on activations of the model pruned so far against the original model's.
Result<CompressResult> compressModel(const Graph &graph, const RatioMap &ratios, const CompressOptions &options,
                                     const Dataset *data = nullptr, const Preprocess *pre = nullptr,
                                     Job *job = nullptr);

} // namespace qs
