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

// A copy of the graph with QuantizeLinear/DequantizeLinear pairs: activations and model inputs
// get per-tensor Q/DQ after their producer (uint8 with zp = -offset, or int8 with zp 0 for
// signed symmetric); weights become DequantizeLinear of a quantized int8/uint8 initializer (per
// axis for per-channel, opset >= 13). Bitwidths other than 8 are refused (ONNX QDQ is 8-bit here).
Result<Graph> makeQdqGraph(const Graph &graph, const std::vector<TensorEncoding> &encodings);

} // namespace qs
