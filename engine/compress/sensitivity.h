#pragma once
// Per-layer sensitivity table: for every compressible layer and candidate ratio, the top-1 score
// of the model with only that layer compressed (AIMET's eval-score dictionary, §5). Public API,
// pure C++.
//
// Speed: the evaluation records are run through the unchanged prefix once; the tensors that
// cross the cut in front of each layer are kept in memory for the whole subset and moved forward
// layer by layer, so every cell re-runs only the suffix from its layer to the output. Ratios that
// round to the same rank / channel count share one evaluation, and a ratio that leaves the layer
// unchanged scores the baseline. Channel-pruning cells include the least-squares reconstruction
// (on the first `reconstructionImages` records of the subset); pruned channels are dropped with a
// Gather in front of the layer, which gives the same outputs as winnowing.
//
// Cache file (JSON, rewritten atomically after every finished layer; a killed run resumes from it):
//   {"format": "quantscope-sensitivity", "version": 1,
//    "model": "<64-bit fingerprint of the graph, hex>", "method": "channel-pruning",
//    "metric": "mac", "round_to": 8, "candidates": [0.1, ..., 1],
//    "eval_offset": 5000, "eval_limit": 1000, "samples": 1000,
//    "reconstruction_images": 200, "samples_per_image": 10, "seed": 1,
//    "channel_selection": "l2",                // "lstsq"; "" for SVD; absent in older files: "l2"
//    "baseline": {"top1": 0.83},
//    "order": ["layer", ...],                  // every layer of the table, in graph order
//    "layers": {"layer": {"0.1": 0.52, ..., "1": 0.83}, ...},   // finished layers only
//    "complete": true, "seconds": 123.4}       // compute seconds summed over runs
// A cache whose settings differ from the run's is refused with an error naming the field.

#include "compress/compression.h"
#include "core/error.h"
#include "graph/graph.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

struct SensitivityOptions {
    CompressSettings settings;
    int candidates = 10;     // ratios k / candidates, k = 1..candidates
    int64_t evalOffset = 0;
    int64_t evalLimit = -1;  // -1: to the end of the data set
    int batch = 100;
    int loaderThreads = 0;
    bool reusePrefix = true; // false: every cell runs the whole model (for comparison)
    int reconstructionImages = 200;
    int samplesPerImage = 10;
    uint32_t seed = 1;
    std::vector<std::string> layers; // empty: every compressible layer
    std::string cachePath;           // empty: no cache
    // Cells (and batches) evaluated in parallel, each worker with one intra-op thread; 0: one per
    // core; 1: one at a time with the process's intra-op threads. The table is the same either way.
    int workers = 0;
};

struct SensitivityTable {
    std::string model; // fingerprint
    std::string method;
    std::string metric;
    int roundTo = 8;
    std::vector<double> ratios;
    int64_t evalOffset = 0, evalLimit = -1, samples = 0;
    int reconstructionImages = 0, samplesPerImage = 0;
    uint32_t seed = 0;
    std::string selection; // channel pruning: "l2" or "lstsq" ("" for SVD)
    double baseline = -1; // top-1 of the unchanged model (-1 before it is measured)
    std::vector<std::string> order;                         // layers in graph order
    std::map<std::string, std::map<double, double>> scores; // finished layers: ratio -> top-1
    bool complete = false;
    double seconds = 0;
};

// Called for every cell as its layer finishes (and for cells read from the cache).
using SensitivityCellCallback = std::function<void(const std::string &layer, double ratio, double score)>;

Result<SensitivityTable> computeSensitivity(const Graph &graph, const Dataset &data, const Preprocess &pre,
                                            const SensitivityOptions &options, Job *job = nullptr,
                                            const SensitivityCellCallback &onCell = {});

// Reads / writes the cache format above. Errors name the file.
Result<SensitivityTable> loadSensitivityTable(const std::string &path);
Result<void> saveSensitivityTable(const SensitivityTable &table, const std::string &path);

// Fingerprint of a graph's structure and weights (the cache's "model").
std::string graphFingerprint(const Graph &graph);

} // namespace qs
