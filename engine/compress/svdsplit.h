#pragma once
// Spatial SVD, weight SVD and the two-matrix split of Gemm / MatMul (ALGORITHMS.md §5). The
// factors share sqrt(singular values); the second layer keeps the bias and the output tensor name.
// Pure C++ (Eigen inside).

#include "compress/compression.h"
#include "graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

// The two weights of a split, in ONNX layouts:
// - spatial SVD of a Conv: first (r, i, kh, 1), second (o, r, 1, kw);
// - weight SVD of a Conv: first (r, i, 1, 1), second (o, r, kh, kw);
// - Gemm / MatMul (weight as [out, in]): first [r, in], second [out, r].
struct SvdFactors {
    Tensor first, second;
};

// Factors of a Conv weight (o, i, kh, kw) or of a matrix [out, in] at `rank`.
SvdFactors svdFactors(const Tensor &weight, CompressMethod method, int64_t rank);

// Replaces the layer `node` by its split at `rank` (two nodes named "<node>.0" and "<node>.1";
// "<node>.1" writes the original output). Returns the two node names. Throws qs::Exception
// naming the node when its geometry does not allow the split.
std::vector<std::string> applySvdSplit(Graph &graph, const std::string &node, CompressMethod method, int64_t rank);

} // namespace qs
