#pragma once
// ONNX -> Graph. Parses with Debian's libonnx, runs the checker and shape inference, and builds
// the project's Graph (nodes sorted topologically, initializers as qs::Tensor, shapes of graph
// inputs/outputs and of intermediate tensors in Graph::valueInfo). Opsets 9-17 (ai.onnx).
// External data is read only from files inside the model's own folder.

#include "core/error.h"
#include "core/limits.h"
#include "graph/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

// The ai.onnx opsets the executor runs. Older models (opset 1 and up) are upgraded to
// kMinImportOpset on import with ONNX's version converter, which keeps their meaning.
constexpr int64_t kMinImportOpset = 9;
constexpr int64_t kMaxImportOpset = 17;
constexpr int64_t kOldestUpgradableOpset = 1;

struct ImportOptions {
    // -1 below means memoryLimitFromEnvironment() (core/limits.h): $QS_MEMORY_LIMIT or 4 GiB.
    // Refuse models whose initializers together would exceed this many bytes.
    int64_t maxInitializerBytes = -1;
    // Refuse models whose initializers plus the activations of one sample (every tensor the graph
    // computes, at batch 1 with unknown dims as 1, none reused) would exceed this many bytes.
    // Both are checked before any tensor is allocated.
    int64_t maxMemoryBytes = -1;
};

// Errors name the file and the cause in one line, e.g.
// "model.onnx: not an ONNX model (protobuf parse failed)".
Result<Graph> importOnnx(const std::string &path, const ImportOptions &options = {});
// Same from bytes in memory; `displayName` names the model in messages, `baseDir` is where
// external data files are looked up ("" forbids external data).
Result<Graph> importOnnxBytes(const std::string &bytes, const std::string &displayName,
                              const std::string &baseDir, const ImportOptions &options = {});

// What a model needs, read without validating it: for tools that pick models by operator or
// by scope before importing them.
struct OnnxOutline {
    int64_t opsetVersion = 1;         // ai.onnx opset (1 when the model declares none)
    std::vector<std::string> opTypes; // main-graph nodes in file order ("domain.Op" outside ai.onnx)
    // Every graph input and output is a tensor of an element type qs::DType has.
    bool tensorTypesSupported = true;
};
Result<OnnxOutline> readOnnxOutline(const std::string &path);

} // namespace qs
