#pragma once
// AIMET-compatible quantsim configuration (the JSON schema of AIMET's
// aimet_common/quantsim_config/default_config.json: defaults / params / op_type / supergroups /
// model_input / model_output) and quantizer placement on a Graph.
// Pure C++ (nlohmann::json); values are plain structs.

#include "core/error.h"
#include "graph/graph.h"
#include "quant/analyzer.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs {

// One op type's (or the defaults') settings; unset optionals inherit from the defaults.
struct OpQuantSettings {
    std::optional<bool> isInputQuantized;
    std::optional<bool> isOutputQuantized;
    std::optional<bool> isSymmetric;          // activations
    std::optional<bool> perChannel;           // per_channel_quantization
    std::map<std::string, bool> paramQuantized;  // "weight" / "bias" -> is_quantized
    std::map<std::string, bool> paramSymmetric;  // "weight" / "bias" -> is_symmetric
};

struct QuantsimConfig {
    // defaults
    bool opsOutputQuantized = true;
    bool opsSymmetric = false;      // activations
    bool paramsQuantized = true;
    bool paramsSymmetric = true;
    bool strictSymmetric = false;
    bool unsignedSymmetric = true;
    bool perChannel = false;
    std::map<std::string, bool> paramQuantized;  // defaults of params by name ("bias": false)
    std::map<std::string, bool> paramSymmetric;
    std::map<std::string, OpQuantSettings> opTypes; // ONNX op type -> settings
    std::vector<std::vector<std::string>> supergroups;
    bool modelInputQuantized = true;
    bool modelOutputQuantized = true;
    // model_output.is_output_quantized was given: it then sets the output quantizers of the ops
    // producing model outputs (AIMET's last level); absent, those keep what the levels before set.
    bool modelOutputSpecified = false;
};

// Parses and validates a config; errors name the file (or "config") and the offending key:
// "cfg.json: unknown key 'defualts' at top level", "cfg.json: op_type.Conv.is_output_quantized
// must be True or False" ...  Booleans may be JSON booleans or "True"/"False". supported_kernels,
// encoding_constraints and hw_version are validated and otherwise ignored. An absent
// model_input.is_input_quantized means unquantized model inputs (as in AIMET).
Result<QuantsimConfig> parseQuantsimConfig(const std::string &jsonText, const std::string &displayName);
Result<QuantsimConfig> loadQuantsimConfig(const std::string &path);
QuantsimConfig defaultQuantsimConfig();           // AIMET's default_config.json
QuantsimConfig defaultPerChannelQuantsimConfig(); // default_config_per_channel.json

enum class QuantizerKind { ModelInput, Activation, Param };

struct QuantizerInfo {
    std::string tensor;       // tensor name in the Graph
    QuantizerKind kind = QuantizerKind::Activation;
    std::string node;         // producing node (activations) or consuming node (params)
    std::string paramRole;    // "weight" / "bias" for params, "" otherwise
    bool enabled = true;
    int bitwidth = 8;
    bool symmetric = false;
    bool perChannel = false;
    int channelAxis = 0;      // for per-channel params: 0 for Conv/Gemm(transB=1) weights, 1 for ConvTranspose / Gemm(transB=0) / MatMul
};

struct QuantOptions {
    int paramBitwidth = 8;
    int activationBitwidth = 8;
    std::optional<bool> perChannel; // overrides the config's per_channel_quantization when set
};

// Which tensors get quantizers, and how (ALGORITHMS.md §1 "Where quantizers go" + config):
// params = float initializers consumed as weight/bias by Conv, ConvTranspose, Gemm, MatMul (and
// other float initializers as "weight" role); activations = float outputs of nodes except shape
// ops (Flatten, Gather, Reshape, Shape, Unsqueeze, Squeeze, Split, Compress, Tile, Transpose,
// Identity, ...) and the non-first inputs of Resize; supergroups disable inner output quantizers.
// Disabled quantizers are listed with enabled = false.
// Details: only float32 tensors; activations are tensors computed from the model inputs (Shape
// and Size end that), so Constant outputs and shape arithmetic, even in float, get none, nor do
// outputs nothing reads. Params are float32 initializers read by such a computation, except at
// setting inputs (Clip bounds, Pad values, Resize roi/scales, Dropout ratio); roles "weight",
// "bias" (Conv/ConvTranspose/Gemm input 2, norm shifts, the vector added after a MatMul),
// "running_mean"/"running_var" (BatchNormalization). Order: model inputs, then per node in graph
// order its new params and its outputs. Per-channel applies to the weights and biases of Conv,
// ConvTranspose, Gemm and MatMul; QuantOptions::perChannel replaces the defaults' setting, an op
// type's own per_channel_quantization still wins. A supergroup matches a chain where each op's
// result is read only by the next op (readers of its shape aside) and is no model output.
// op_type settings that disagree on one tensor are an error, as in AIMET.
Result<std::vector<QuantizerInfo>> placeQuantizers(const Graph &graph, const QuantsimConfig &config,
                                                   const QuantOptions &options);

} // namespace qs
