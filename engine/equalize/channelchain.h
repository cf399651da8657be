#pragma once
// Channel chains: what lies between two layers that the equalization passes may look through.
// A chain starts at a layer's output and passes ops that act on each channel on its own
// (activations, clamps with constant bounds, zero-constant Pad, pooling); it ends at the next
// layer's data input, or stops with a reason. Every tensor on a chain must have exactly one
// consumer and must not be a graph output. Pure C++ (computed constants such as Pad amounts
// built from shape arithmetic are evaluated with the public Executor).

#include "graph/graph.h"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs {

// Producer / consumer lookup and constant evaluation over one Graph. Rebuild after the graph's
// structure changes (constants are cached by tensor name).
class GraphIndex {
public:
    explicit GraphIndex(const Graph &graph);
    const Graph &graph() const { return m_g; }
    int producer(const std::string &tensor) const;
    const std::vector<int> &consumers(const std::string &tensor) const;
    bool isGraphOutput(const std::string &tensor) const;
    // Value of a tensor that does not depend on graph inputs: an initializer, a Constant node's
    // output, or computed from those (evaluated once and cached); nullopt otherwise.
    std::optional<Tensor> constant(const std::string &tensor) const;
    // Rank of a tensor from shape inference, or `fallback`.
    size_t rank(const std::string &tensor, size_t fallback) const;

private:
    const Graph &m_g;
    std::unordered_map<std::string, int> m_producer;
    std::unordered_map<std::string, std::vector<int>> m_consumers;
    std::vector<int> m_none;
    mutable std::map<std::string, std::optional<Tensor>> m_constants;
};

enum class ChainOpKind {
    Activation, // Relu, LeakyRelu, PRelu, Identity, Dropout: f(x / s) = f(x) / s for s > 0
    Clamp,      // Clip, or Min / Max with a constant operand (scalar or per channel)
    ZeroPad,    // Pad with constant 0 that leaves the batch and channel axes alone
    Pool        // MaxPool, AveragePool, Global*Pool, ReduceMean / ReduceMax over non-channel axes
};

struct ChainOp {
    int node = -1;
    ChainOpKind kind = ChainOpKind::Activation;
};

struct Chain {
    std::vector<ChainOp> ops;
    int next = -1;          // the layer reached (its data input is the chain's end), or -1
    std::string stopReason; // why the chain ended without reaching a layer
};

// Follows the chain from `tensor` (a layer's output) through the ops above.
Chain followChain(const GraphIndex &index, const std::string &tensor);

// Per-channel bounds of a clamp-like op (Relu: [0, inf); Clip; Min: (-inf, k]; Max: [k, inf)).
struct ClampBounds {
    std::vector<double> lo, hi; // one per channel; -inf / +inf where unbounded
};
std::optional<ClampBounds> clampBounds(const GraphIndex &index, int node, int64_t channels);

// Rewrites every Clip on the chain into an equivalent Relu / Max (lower bound) followed by Min
// (upper bound) with per-channel constants of shape [1, C, 1, ...], so that per-channel scaling
// and shifting can change each channel's bounds. Keeps the Clip's output tensor name. Returns
// the number of Clips rewritten; node indices after the first rewritten Clip change.
int expandClips(Graph &graph, const std::vector<std::string> &clipNodes, int64_t channels);

// Sets a Min / Max node's constant operand to per-channel `values` (shape [1, C, 1, ...] of the
// given rank), in a new initializer.
void setChannelConstant(Graph &graph, const GraphIndex &index, int node, const std::vector<double> &values,
                        size_t rank);
// Removes an initializer (and, with constantNodes, a Constant node) whose output nothing reads
// any more.
void removeIfUnused(Graph &graph, const std::string &tensor, bool constantNodes = true);
// Index of a binary Min / Max node's constant operand (0 or 1), or -1.
int constantOperand(const GraphIndex &index, int node);

} // namespace qs
