#pragma once
// AIMET encodings files (format 0.6.1 and 1.0.0) and QDQ ONNX models.
// Pure C++ (nlohmann::json, Graph); ONNX serialisation goes through onnx/onnxexport.h.

#include "core/error.h"
#include "graph/graph.h"
#include "quant/encoding.h"
#include "quant/quantconfig.h"

#include <string>
#include <vector>

namespace qs {

struct TensorEncoding {
    std::string tensor;
    QuantizerKind kind = QuantizerKind::Activation;
    bool perChannel = false;
    int channelAxis = 0;
    std::vector<Encoding> encodings; // one, or one per channel
};

struct QuantizerArgs {
    std::string quantScheme = "post_training_tf_enhanced";
    int paramBitwidth = 8;
    int activationBitwidth = 8;
    bool isSymmetric = false;     // activations
    bool perChannel = false;
};

// version "0.6.1" or "1.0.0"; layout exactly as AIMET writes it (ALGORITHMS.md §1 Export;
// ../shared/reference/aimet-export holds files AIMET wrote).
Result<std::string> encodingsToJson(const std::vector<TensorEncoding> &encodings, const QuantizerArgs &args,
                                    const std::string &version);
Result<void> writeEncodingsFile(const std::string &path, const std::vector<TensorEncoding> &encodings,
                                const QuantizerArgs &args, const std::string &version); // atomic
// Reads either version (AIMET's own files included); errors name the file and the entry.
Result<std::vector<TensorEncoding>> readEncodingsFile(const std::string &path);
// The same, also returning the file's quantizer_args (defaults for keys it lacks).
Result<std::vector<TensorEncoding>> readEncodingsFile(const std::string &path, QuantizerArgs &args);
// The same from JSON text; `displayName` names the source in messages; `args` may be null.
// Files store no channel axis: per-channel entries come back with channelAxis 0 (see below).
// 1.0.0 stores no range: min/max are rebuilt from scale, offset and bitwidth.
Result<std::vector<TensorEncoding>> parseEncodingsJson(const std::string &jsonText, const std::string &displayName,
                                                       QuantizerArgs *args = nullptr);
// Sets channelAxis of per-channel encodings from the weight's consumer in `graph`: 0 for Conv and
// Gemm(transB=1), 1 for ConvTranspose and Gemm(transB=0), the last axis for MatMul.
void assignChannelAxes(const Graph &graph, std::vector<TensorEncoding> &encodings);

// A copy of the graph with QuantizeLinear/DequantizeLinear pairs: activations and model inputs
// get per-tensor Q/DQ after their producer (uint8 with zp = -offset, or int8 with zp 0 for
// signed symmetric); weights become DequantizeLinear of a quantized int8/uint8 initializer (per
// axis for per-channel, opset >= 13; lower opsets are upgraded with ONNX's version converter).
// Bitwidths below 8 use 8-bit containers holding the narrower grid (weights are stored clamped to
// it, activations get a Clip to the encoding's range before QuantizeLinear); above 8 are refused.
Result<Graph> makeQdqGraph(const Graph &graph, const std::vector<TensorEncoding> &encodings);

} // namespace qs
