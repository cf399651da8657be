#pragma once
// Export of a model, and when it is quantized its AIMET encodings and QDQ model, into a folder,
// shared by the commands that produce quantized models (quantize, finetune).

#include "graph/graph.h"
#include "quant/encodingsfile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace qs::cli {

struct ExportPaths {
    std::string onnx, encodings, qdq; // encodings and qdq empty for an FP32 export
};

// Writes DIR/<stem of model>.onnx and, when `encodings` is given, DIR/<stem>.encodings (AIMET
// format `version`, with `args`) and DIR/<stem>_qdq.onnx. On any failure removes what was written
// (and a folder it created) and rethrows.
ExportPaths exportAll(const std::string &model, const std::string &dir, const Graph &graph,
                      const std::vector<TensorEncoding> *encodings, const QuantizerArgs &args,
                      const std::string &version);

// {"onnx"} or {"onnx", "encodings", "qdq_onnx"}.
nlohmann::json exportJson(const ExportPaths &paths);

} // namespace qs::cli
