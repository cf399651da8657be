#pragma once
// Graph -> ONNX file (opset kept). The result passes the ONNX checker and loads in ONNX Runtime.
// Written atomically.

#include "core/error.h"
#include "graph/graph.h"

#include <string>

namespace qs {

Result<void> exportOnnx(const Graph &graph, const std::string &path);
Result<std::string> serializeOnnx(const Graph &graph);

} // namespace qs
