#pragma once
// Per-layer cost facts at the model's input shape (per sample, batch dimension = 1):
// parameters (weight + bias elements) and multiply-accumulates, for every weighted layer
// (Conv, ConvTranspose, Gemm, MatMul with a constant operand).

#include "graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct LayerCost {
    std::string name;   // node name (or first output when unnamed)
    std::string opType;
    std::string weight; // initializer name of the weight
    std::vector<int64_t> weightShape;
    std::vector<int64_t> inputShape;  // per sample, -1 where unknown
    std::vector<int64_t> outputShape; // per sample
    int64_t params = 0;
    int64_t macs = 0; // -1 when a shape it depends on is unknown
};

struct ModelCost {
    std::vector<LayerCost> layers;
    int64_t params = 0; // all float initializer elements
    int64_t macs = 0;   // sum over layers with known MACs
};

ModelCost computeCost(const Graph &graph);

} // namespace qs
