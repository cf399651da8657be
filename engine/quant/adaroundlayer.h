#pragma once
// Engine-internal (ATen): AdaRound's per-layer optimization (see adaround.h).
// Two ways to evaluate a layer's reconstruction error:
//  - quadratic: Conv2d, Gemm and MatMul outputs are linear in the weights, so the error over all
//    cached samples is a quadratic form, recon(W) = tr(W G W^T) - 2 tr(W C) + const, with the
//    input Gram matrix G and the input/target cross term C accumulated once. Every iteration
//    then uses all samples at the cost of a small matrix product, independent of the data size.
//  - sampled: any other layer runs its kernel on a random batch of samples per iteration (AIMET).

#include "quant/adaround.h"
#include "runtime/kernel.h"

#include <ATen/ATen.h>

#include <memory>

namespace qs::ada {

struct LayerData {
    const Graph *graph = nullptr;
    const Node *node = nullptr;
    std::string weight;
    const TensorEncoding *encoding = nullptr;
    rt::TensorList constants; // per node input: the quantized model's initializer, or undefined
};

class LayerRounder {
public:
    virtual ~LayerRounder() = default;
    // Learns the rounding on inputs x (the partly rounded model's) and FP32 targets y; returns
    // the rounded weights (on their grid) and fills the report's error and change figures.
    at::Tensor optimize(const at::Tensor &x, const at::Tensor &y, const AdaroundOptions &o, AdaroundLayerReport &r,
                        const Job *job);

    // The quadratic form where the layer allows it, else the sampled kernel.
    static std::unique_ptr<LayerRounder> create(const LayerData &layer);

protected:
    explicit LayerRounder(const LayerData &layer);
    at::Tensor quantized(const at::Tensor &h) const; // weights for rounding decisions h in [0, 1]

    // Prepares for the samples; then reconGradient(wq) is the gradient of the reconstruction
    // loss with respect to the quantized weights (the chain rule through the rounding is done
    // here), and error(wq) the mean squared error per output element.
    virtual void prepare(const at::Tensor &x, const at::Tensor &y, const AdaroundOptions &o) = 0;
    virtual at::Tensor reconGradient(const at::Tensor &wq) = 0;
    virtual double error(const at::Tensor &wq) = 0;

    LayerData m_layer;
    at::Tensor m_w, m_scale, m_offset, m_floor, m_frac;
    double m_steps = 255;
};

} // namespace qs::ada
