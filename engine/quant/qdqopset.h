#pragma once
// Engine-internal: raises a Graph's ai.onnx opset with ONNX's version converter (through an
// export / re-import), for QDQ models that need per-axis DequantizeLinear (opset 13).

#include "graph/graph.h"

#include <cstdint>

namespace qs {

// Returns the graph converted to `opset` (unchanged when it is already there or newer); throws
// qs::Exception (Unsupported) naming the op the converter cannot upgrade.
Graph upgradeOpset(const Graph &graph, int64_t opset);

} // namespace qs
