#pragma once
// QuantSim: simulates integer inference of a model. Places quantizers from an AIMET-style config,
// computes parameter encodings from the weights, calibrates activation encodings on data, and
// runs the model with fake quantization (quantize-dequantize) through the executor's tensor hook.
// Public header: no LibTorch. Not thread-safe: one QuantSim runs one batch at a time.

#include "core/error.h"
#include "graph/graph.h"
#include "quant/analyzer.h"
#include "quant/encodingsfile.h"
#include "quant/quantconfig.h"
#include "runtime/executor.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class Dataset;
struct Preprocess;
class Job;

struct QuantSimOptions {
    CalibrationScheme scheme = CalibrationScheme::SqnrSearch; // AIMET's default (post_training_tf_enhanced)
    double percentile = 99.99;
    QuantOptions quant;
    QuantsimConfig config = defaultQuantsimConfig();
    ExecutorOptions executor;
};

class QuantSimImpl;

class QuantSim {
public:
    static Result<std::unique_ptr<QuantSim>> create(const Graph &graph, const QuantSimOptions &options);
    ~QuantSim();

    const std::vector<QuantizerInfo> &quantizers() const;
    int enabledQuantizerCount() const;

    // Observes the enabled activation quantizers' tensors (weights already quantized, activations
    // passed through) on every batch `next` returns until it returns nullopt, then computes the
    // activation encodings. Batches are NCHW float32 inputs of the model's first input.
    Result<void> calibrate(const std::function<std::optional<Tensor>()> &next, Job *job = nullptr);
    Result<void> calibrate(const Dataset &data, const Preprocess &pre, int64_t offset, int64_t count, int batch,
                           Job *job = nullptr);
    bool isCalibrated() const;

    // The simulated model: every run quantize-dequantizes the enabled quantizers' tensors.
    Executor &executor();

    // Encodings of every enabled quantizer (params: per channel when configured).
    std::vector<TensorEncoding> encodings() const;
    QuantizerArgs quantizerArgs() const;
    // Replaces encodings (e.g. read from an AIMET file); tensors not named keep theirs.
    Result<void> setEncodings(const std::vector<TensorEncoding> &encodings);

    const Graph &graph() const;

private:
    explicit QuantSim(std::unique_ptr<QuantSimImpl> impl);
    std::unique_ptr<QuantSimImpl> m_impl;
};

} // namespace qs
