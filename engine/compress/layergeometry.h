#pragma once
// Geometry of one compressible layer (Conv with group 1, Gemm, MatMul with a constant 2-D weight)
// and the cost formulas of ALGORITHMS.md §5 at a kept size. Pure C++.

#include "compress/compression.h"
#include "graph/graph.h"

#include <cstdint>
#include <optional>
#include <string>

namespace qs {

struct LayerGeometry {
    enum class Kind { Conv, Gemm, MatMul };
    Kind kind = Kind::Conv;
    std::string node;
    int nodeIndex = -1;
    int64_t out = 0, in = 0;      // output / input channels (features)
    int64_t kh = 1, kw = 1;       // kernel (1 x 1 for Gemm / MatMul)
    int64_t sh = 1, sw = 1;       // strides
    int64_t inH = 1, inW = 1;     // input spatial size per sample
    int64_t outH = 1, outW = 1;   // output spatial size per sample
    int64_t rows = 1;             // Gemm / MatMul: dot products per output feature and sample
    bool hasBias = false;
    bool transB = false;          // Gemm weight stored [out, in]

    int64_t weightElements() const { return out * in * kh * kw; }
    int64_t pixels() const { return kind == Kind::Conv ? outH * outW : rows; }
    int64_t macs() const { return weightElements() * pixels(); }
    int64_t params() const { return weightElements() + (hasBias ? out : 0); }
};

// The layer's geometry, or nullopt with the reason in *why (grouped or dilated conv, unknown
// shapes, non-float or shared weight, unsupported Gemm attributes, 1-D kernels ...).
std::optional<LayerGeometry> layerGeometry(const Graph &graph, int nodeIndex, std::string *why = nullptr);

struct SizeCost {
    int64_t macs = 0;
    int64_t params = 0; // weights and bias
};

// Highest useful rank of each SVD split (§5: min(i·kh, o·kw) for spatial SVD, min(i, o·kh·kw) for
// weight SVD, min(in, out) for matrices).
int64_t maxRank(const LayerGeometry &g, CompressMethod method);
// Cost of the layer split at rank r (both new layers).
SizeCost svdCost(const LayerGeometry &g, CompressMethod method, int64_t rank);
// Cost of the layer keeping `kept` input channels (its output channels unchanged).
SizeCost prunedCost(const LayerGeometry &g, int64_t kept);

// Rank or channel count for a ratio (see compression.h); kept == full means "unchanged".
KeptSize keptSize(const LayerGeometry &g, const CompressSettings &settings, double ratio);

} // namespace qs
