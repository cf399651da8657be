// FusedConv (domain "qs"): a 2-D convolution with optional residual sum and Relu/Clip, run as one
// oneDNN primitive on channels-last (NHWC) tensors with weights reordered once per input shape.
// Produced only by fuseForInference for the inference plan; never used with autograd.

#include "runtime/kernel.h"

#include "core/error.h"
#include "runtime/fakequant.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>

namespace qs::rt {

namespace {

using dnnl::memory;

dnnl::engine &cpuEngine()
{
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

struct ConvParams {
    std::vector<int64_t> strides, dilations, padL, padR;
    int64_t group = 1;
    bool sum = false;
    std::string activation;
    float lo = 0, hi = 0;
    // The simulated quantizer of the kernel's output (after sum and activation).
    std::optional<ActivationQdq> qdq;
};

// Quantize-dequantize of the output, with the activation folded into the clamp: x / scale, clamp
// to the integer grid intersected with the activation's range, round half to even, times scale
// (the round post-op's output scale). One post-op per algorithm: oneDNN 2.6 mixes up the
// parameters of repeated eltwise kinds in one chain.
void appendQdq(dnnl::post_ops &ops, const ActivationQdq &q, float actLo, float actHi)
{
    const float inv = 1.f / q.scale;
    const float lo = std::max(float(q.qmin - q.zeroPoint), actLo * inv);
    const float hi = std::min(float(q.qmax - q.zeroPoint), actHi * inv);
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_linear, inv, 0.f);
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, lo, std::max(lo, hi));
    ops.append_eltwise(q.scale, dnnl::algorithm::eltwise_round, 0.f, 0.f);
}

std::optional<ActivationQdq> parseQdq(const Node &n, const char *attr)
{
    if (!n.has(attr))
        return std::nullopt;
    const std::vector<float> v = n.attrFloats(attr);
    if (v.size() != 4 || !(v[0] > 0.f))
        fail(ErrorCode::Invalid, n.label() + ": malformed " + attr);
    return ActivationQdq{v[0], int64_t(v[1]), int64_t(v[2]), int64_t(v[3])};
}

// One compiled primitive for one input shape, with the weights in the primitive's preferred layout.
struct Compiled {
    std::vector<int64_t> inputShape;
    std::array<int64_t, 4> extraPads{0, 0, 0, 0};
    bool fuseSum = false;
    std::vector<int64_t> outputShape;
    dnnl::convolution_forward prim;
    memory weights;
    memory bias;
    memory::desc srcDesc, dstDesc;
};

class FusedConv {
public:
    FusedConv(const CompileContext &ctx, ConvParams p) : m_node(ctx.node), m_p(std::move(p))
    {
        const at::Tensor *w = ctx.constant(1);
        if (!w)
            fail(ErrorCode::Internal, m_node.label() + ": fused convolution needs constant weights");
        m_weight = w->contiguous();
        if (const at::Tensor *b = ctx.constant(2))
            m_bias = b->contiguous();
        else
            m_bias = at::zeros({m_weight.size(0)}, m_weight.options());
    }

    TensorList operator()(const TensorList &in)
    {
        at::Tensor x = in[0];
        if (x.dim() != 4 || x.scalar_type() != at::kFloat)
            fail(ErrorCode::Invalid, m_node.label() + ": expects a 4-D float input, got " + shapeString(x.sizes().vec()));
        x = x.contiguous(at::MemoryFormat::ChannelsLast);
        std::array<int64_t, 4> extra{0, 0, 0, 0}; // top, left, bottom, right from a folded Pad
        if (in.size() > 4 && in[4].defined() && !runtimePads(in[4], extra)) {
            // Negative amounts crop: apply them as a real Pad, then convolve without extra padding.
            x = at::constant_pad_nd(x, {extra[1], extra[3], extra[0], extra[2]}).contiguous(at::MemoryFormat::ChannelsLast);
            extra = {0, 0, 0, 0};
        }
        const bool fuseSum = m_p.sum && in.size() > 3 && in[3].defined() &&
                             in[3].sizes().vec() == outputShape(x.sizes().vec(), extra);
        const Compiled &c = compiled(x.sizes().vec(), extra, fuseSum);
        at::Tensor y;
        if (fuseSum) {
            y = in[3].contiguous(at::MemoryFormat::ChannelsLast).clone(at::MemoryFormat::ChannelsLast);
        } else {
            y = at::empty(c.outputShape, x.options().memory_format(at::MemoryFormat::ChannelsLast));
        }
        memory src(c.srcDesc, cpuEngine(), x.data_ptr());
        memory dst(c.dstDesc, cpuEngine(), y.data_ptr());
        dnnl::stream stream(cpuEngine());
        c.prim.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, c.weights}, {DNNL_ARG_BIAS, c.bias},
                                {DNNL_ARG_DST, dst}});
        stream.wait();
        if (m_p.sum && !fuseSum) { // broadcasting residual: the remaining stages run here
            y = applyActivation(y + in[3]);
            if (m_p.qdq)
                y = quantizeDequantize(y, *m_p.qdq, true);
        }
        return {y};
    }

private:
    // Reads ONNX Pad amounts [n0, c0, h0, w0, n1, c1, h1, w1]. Returns false (with `extra` set to
    // the spatial amounts, possibly negative) when they cannot become convolution padding.
    static bool runtimePads(const at::Tensor &padsTensor, std::array<int64_t, 4> &extra)
    {
        const std::vector<int64_t> p = toIntVector(padsTensor);
        if (p.size() != 8 || p[0] || p[1] || p[4] || p[5])
            fail(ErrorCode::Unsupported, "fused Pad: only spatial padding of a 4-D tensor is supported");
        extra = {p[2], p[3], p[6], p[7]};
        for (int64_t v : extra)
            if (v < 0)
                return false;
        return true;
    }

    at::Tensor applyActivation(const at::Tensor &y) const
    {
        if (m_p.activation == "relu")
            return at::relu(y);
        if (m_p.activation == "clip")
            return at::clamp(y, m_p.lo, m_p.hi);
        return y;
    }

    std::vector<int64_t> outputShape(const std::vector<int64_t> &in, const std::array<int64_t, 4> &extra) const
    {
        std::vector<int64_t> out{in[0], m_weight.size(0), 0, 0};
        for (int d = 0; d < 2; ++d) {
            const int64_t eff = m_p.dilations[size_t(d)] * (m_weight.size(2 + d) - 1) + 1;
            const int64_t padded = in[size_t(2 + d)] + m_p.padL[size_t(d)] + m_p.padR[size_t(d)] + extra[size_t(d)] +
                                   extra[size_t(d + 2)];
            out[size_t(2 + d)] = (padded - eff) / m_p.strides[size_t(d)] + 1;
        }
        return out;
    }

    const Compiled &compiled(const std::vector<int64_t> &inShape, const std::array<int64_t, 4> &extra, bool fuseSum)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &c : m_cache)
            if (c->inputShape == inShape && c->extraPads == extra && c->fuseSum == fuseSum)
                return *c;
        if (m_cache.size() >= 4)
            m_cache.erase(m_cache.begin());
        m_cache.push_back(build(inShape, extra, fuseSum));
        return *m_cache.back();
    }

    dnnl::post_ops postOps(bool fuseSum) const
    {
        dnnl::post_ops ops;
        if (m_p.sum && !fuseSum)
            return ops; // a broadcasting residual: sum, activation and quantizer run after the primitive
        if (m_p.sum)
            ops.append_sum(1.f);
        const float inf = std::numeric_limits<float>::infinity();
        float actLo = -inf, actHi = inf;
        if (m_p.activation == "relu")
            actLo = 0.f;
        else if (m_p.activation == "clip")
            actLo = m_p.lo, actHi = m_p.hi;
        if (m_p.qdq) {
            appendQdq(ops, *m_p.qdq, actLo, actHi);
        } else if (m_p.activation == "relu") {
            ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
        } else if (m_p.activation == "clip") {
            ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, m_p.lo, m_p.hi);
        }
        return ops;
    }

    std::unique_ptr<Compiled> build(const std::vector<int64_t> &in, const std::array<int64_t, 4> &extra, bool fuseSum)
    {
        const memory::dims padL{m_p.padL[0] + extra[0], m_p.padL[1] + extra[1]};
        const memory::dims padR{m_p.padR[0] + extra[2], m_p.padR[1] + extra[3]};
        const int64_t O = m_weight.size(0), I = m_weight.size(1), kh = m_weight.size(2), kw = m_weight.size(3);
        const int64_t G = m_p.group;
        if (in[1] != I * G)
            fail(ErrorCode::Invalid, m_node.label() + ": input has " + std::to_string(in[1]) + " channels, weights expect " +
                                         std::to_string(I * G));
        auto outDim = [&](int d, int64_t k) {
            const int64_t eff = m_p.dilations[d] * (k - 1) + 1;
            return (in[2 + d] + padL[size_t(d)] + padR[size_t(d)] - eff) / m_p.strides[d] + 1;
        };
        auto c = std::make_unique<Compiled>();
        c->inputShape = in;
        c->extraPads = extra;
        c->fuseSum = fuseSum;
        c->outputShape = {in[0], O, outDim(0, kh), outDim(1, kw)};
        if (c->outputShape[2] <= 0 || c->outputShape[3] <= 0)
            fail(ErrorCode::Invalid, m_node.label() + ": input " + shapeString(in) + " is too small for the kernel");
        c->srcDesc = memory::desc(in, memory::data_type::f32, memory::format_tag::nhwc);
        c->dstDesc = memory::desc(c->outputShape, memory::data_type::f32, memory::format_tag::nhwc);
        const memory::dims wdims = G > 1 ? memory::dims{G, O / G, I, kh, kw} : memory::dims{O, I, kh, kw};
        const memory::desc wAny(wdims, memory::data_type::f32, memory::format_tag::any);
        const memory::desc bDesc({O}, memory::data_type::f32, memory::format_tag::x);
        const memory::dims dil{m_p.dilations[0] - 1, m_p.dilations[1] - 1};
        dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                             c->srcDesc, wAny, bDesc, c->dstDesc, m_p.strides, dil, padL, padR);
        dnnl::primitive_attr attr;
        attr.set_post_ops(postOps(fuseSum));
        dnnl::convolution_forward::primitive_desc pd(desc, attr, cpuEngine());
        c->prim = dnnl::convolution_forward(pd);
        const memory::desc wPlain(wdims, memory::data_type::f32,
                                  G > 1 ? memory::format_tag::goihw : memory::format_tag::oihw);
        memory plain(wPlain, cpuEngine(), m_weight.data_ptr());
        c->weights = memory(pd.weights_desc(), cpuEngine());
        dnnl::stream stream(cpuEngine());
        dnnl::reorder(plain, c->weights).execute(stream, plain, c->weights);
        c->bias = memory(bDesc, cpuEngine(), m_bias.data_ptr());
        stream.wait();
        return c;
    }

    const Node &m_node;
    ConvParams m_p;
    at::Tensor m_weight, m_bias;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Compiled>> m_cache;
};

ConvParams parseParams(const Node &n)
{
    ConvParams p;
    p.strides = n.attrInts("strides", {1, 1});
    p.dilations = n.attrInts("dilations", {1, 1});
    const auto pads = n.attrInts("pads", {0, 0, 0, 0});
    if (p.strides.size() != 2 || p.dilations.size() != 2 || pads.size() != 4)
        fail(ErrorCode::Invalid, n.label() + ": strides, dilations and pads must describe 2 spatial axes");
    p.padL = {pads[0], pads[1]};
    p.padR = {pads[2], pads[3]};
    p.group = n.attrInt("group", 1);
    p.sum = n.attrInt("sum", 0) != 0;
    p.activation = n.attrString("activation", "");
    p.lo = n.attrFloat("clip_min", -std::numeric_limits<float>::infinity());
    p.hi = n.attrFloat("clip_max", std::numeric_limits<float>::infinity());
    p.qdq = parseQdq(n, "qdq");
    return p;
}

} // namespace

void registerFusedKernels(OpRegistry &r)
{
    r.add("FusedConv", [](const CompileContext &ctx) -> Kernel {
        auto conv = std::make_shared<FusedConv>(ctx, parseParams(ctx.node));
        return [conv](const TensorList &in) { return (*conv)(in); };
    });
}

} // namespace qs::rt
