#pragma once
// Engine-internal (ATen): the quantizers of quantization-aware training. Each enabled quantizer of
// a calibrated QuantSim becomes a fake-quantize step in the autograd graph: fixed encodings use
// straight-through gradients (inside the range the gradient passes, outside it is zero); learnable
// ones also train the scale (and the zero point of asymmetric grids) with LSQ-style gradients.
// Grids are held in the unsigned form [0, steps] with zero point -offset, as integerGrid() does.

#include "quant/encodingsfile.h"
#include "quant/quantconfig.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace qs {

struct QatQuantizer {
    std::string tensor;
    QuantizerKind kind = QuantizerKind::Activation;
    bool perChannel = false;
    int axis = 0;
    int bitwidth = 8;
    bool symmetric = false;
    int64_t steps = 255;   // grid [0, steps]
    at::Tensor scale;      // float32, [1] or [channels]
    at::Tensor zeroPoint;  // float32, same shape (learned only for asymmetric grids)
    bool learnScale = false, learnZeroPoint = false;
};

class QatQuantizers {
public:
    // `encodings` are the calibrated QuantSim's; `learn` makes every range trainable.
    QatQuantizers(const std::vector<TensorEncoding> &encodings, bool learn);

    // Fake-quantizes x with q (differentiable in x, and in the range when learned).
    static at::Tensor apply(const QatQuantizer &q, const at::Tensor &x);

    const QatQuantizer *find(const std::string &tensor) const;
    // Activation and model-input quantizer tensors, for the executor's hook.
    std::set<std::string> activationTensors() const;
    TensorHook hook() const;
    // Trainable range tensors (scales and learned zero points).
    std::vector<at::Tensor> rangeParameters() const;
    // The same, each with the factor that makes a learning rate act on the encoding's range in
    // tensor units (as AIMET learns encoding min/max): 1/steps for scales, 1/scale for zero points.
    std::vector<std::pair<at::Tensor, double>> rangeParametersInTensorUnits() const;
    // Keeps learned ranges valid after an optimizer step: scale > 0, zero point on the grid.
    void clampRanges();
    // Current encodings, in the order given to the constructor.
    std::vector<TensorEncoding> encodings() const;

private:
    std::vector<QatQuantizer> m_quantizers;
    std::map<std::string, size_t> m_index;
};

} // namespace qs
