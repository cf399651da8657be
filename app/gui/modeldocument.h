#pragma once
// A loaded model and the facts the views show, computed off the GUI thread: the graph, its cost,
// per-channel weight statistics, the SHA-256 of the file, and the data spec found beside it
// (MODEL.json with "data", optional "labels" and "preprocess", as the bundled demo ships).

#include "analysis/weightstats.h"
#include "graph/costmodel.h"
#include "graph/graph.h"

#include <QString>

#include <memory>
#include <vector>

namespace qs {

struct DataSpecInfo {
    QString data;
    QString labels;
    QString preprocess; // JSON object text
};

struct ModelDocument {
    QString path;
    QString error;
    QString sha256;
    Graph graph;
    ModelCost cost;
    std::vector<LayerWeightStats> stats;
    DataSpecInfo dataSpec;
    double seconds = 0; // load time
};

// Loads an ONNX file, or a bundled model for ":/..." paths. Never throws: errors go to `error`.
std::shared_ptr<ModelDocument> loadModelDocument(const QString &path);

// Weight statistics of the model after BN folding, cross-layer scaling and high-bias absorption
// (engine defaults, BN statistics only). Empty with *error set when equalization fails.
std::vector<LayerWeightStats> equalizedWeightStats(const Graph &graph, QString *error);

// "[1,3,224,224]" with "?" for unknown dimensions.
QString shapeText(const std::vector<int64_t> &shape);

} // namespace qs
