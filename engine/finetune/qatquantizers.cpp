#include "finetune/qatquantizers.h"

#include "core/error.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

namespace qs {

QatQuantizers::QatQuantizers(const std::vector<TensorEncoding> &encodings, bool learn)
{
    for (const TensorEncoding &te : encodings) {
        if (te.encodings.empty())
            fail(ErrorCode::Internal, "quantizer of '" + te.tensor + "' has no encoding");
        QatQuantizer q;
        q.tensor = te.tensor;
        q.kind = te.kind;
        q.perChannel = te.perChannel && te.encodings.size() > 1;
        q.axis = te.channelAxis;
        q.bitwidth = te.encodings[0].bitwidth;
        q.symmetric = te.encodings[0].symmetric;
        const IntegerGrid g0 = integerGrid(te.encodings[0]);
        q.steps = g0.qmax - g0.qmin;
        std::vector<float> scale, zp;
        for (const Encoding &e : te.encodings) {
            const IntegerGrid g = integerGrid(e);
            // A degenerate range (an all-zero tensor) gets a tiny positive scale.
            scale.push_back(e.scale > 0 ? float(e.scale) : 1e-8f);
            zp.push_back(float(-e.offset));
            if (g.qmax - g.qmin != q.steps)
                fail(ErrorCode::Internal, "quantizer of '" + te.tensor + "' mixes grid sizes across channels");
        }
        q.scale = at::tensor(scale, at::kFloat);
        q.zeroPoint = at::tensor(zp, at::kFloat);
        // Symmetric grids keep their zero point (signed grids stay signed, unsigned ones at 0).
        q.learnScale = learn;
        q.learnZeroPoint = learn && !q.symmetric;
        q.scale.set_requires_grad(q.learnScale);
        q.zeroPoint.set_requires_grad(q.learnZeroPoint);
        m_index[q.tensor] = m_quantizers.size();
        m_quantizers.push_back(std::move(q));
    }
}

namespace {

// ATen's learnable per-tensor fake quantize, in two passes instead of its scalar loops: the
// cached-mask kernel gives the output and the input gradient; a gradient hook adds the range
// gradients (the same formulas as ATen's backward) to the scale's and zero point's .grad.
at::Tensor learnablePerTensor(const QatQuantizer &q, const at::Tensor &x, double gradFactor)
{
    const float scale = q.scale.item<float>();
    const int64_t zp = int64_t(std::nearbyint(std::min(std::max(q.zeroPoint.item<float>(), 0.f), float(q.steps))));
    at::Tensor y = at::fake_quantize_per_tensor_affine(x, scale, zp, 0, q.steps);
    at::Tensor scaleT = q.scale, zpT = q.zeroPoint;
    const int64_t qmax = q.steps;
    const bool learnZp = q.learnZeroPoint;
    y.register_hook([x, scaleT, zpT, scale, zp, qmax, gradFactor, learnZp](const at::Tensor &grad) {
        const at::Tensor xc = x.detach().contiguous(), gc = grad.contiguous();
        const float *xs = xc.data_ptr<float>(), *gs = gc.data_ptr<float>();
        const float inv = 1.f / scale, small = float(-zp), big = float(qmax - zp);
        const int64_t n = xc.numel(), chunk = 1 << 16, chunks = (n + chunk - 1) / chunk;
        std::vector<double> ds(size_t(chunks), 0.0), outside(size_t(chunks), 0.0);
        at::parallel_for(0, chunks, 1, [&](int64_t c0, int64_t c1) {
            for (int64_t c = c0; c < c1; ++c) {
                double sumScale = 0, sumOut = 0;
                for (int64_t i = c * chunk; i < std::min(n, (c + 1) * chunk); ++i) {
                    const int64_t xq = int64_t(std::nearbyint(xs[i] * inv)) + zp;
                    if (xq < 0 || xq > qmax) {
                        sumOut += gs[i];
                        sumScale += gs[i] * (xq < 0 ? small : big);
                    } else {
                        sumScale += gs[i] * (float(xq - zp) * scale - xs[i]) * inv;
                    }
                }
                ds[size_t(c)] = sumScale;
                outside[size_t(c)] = sumOut;
            }
        });
        double dScale = 0, dOut = 0;
        for (int64_t c = 0; c < chunks; ++c) {
            dScale += ds[size_t(c)];
            dOut += outside[size_t(c)];
        }
        const auto accumulate = [](const at::Tensor &param, double value) {
            at::Tensor g = at::full({1}, value, param.options().requires_grad(false));
            if (param.grad().defined())
                param.mutable_grad().add_(g);
            else
                param.mutable_grad() = g;
        };
        accumulate(scaleT, dScale * gradFactor);
        if (learnZp)
            accumulate(zpT, -dOut * double(scale) * gradFactor);
    });
    return y;
}

} // namespace

at::Tensor QatQuantizers::apply(const QatQuantizer &q, const at::Tensor &x)
{
    if (x.scalar_type() != at::kFloat)
        return x;
    const int64_t qmax = q.steps;
    if (q.learnScale || q.learnZeroPoint) {
        // LSQ's gradient scale 1/sqrt(elements per scale * qmax) keeps range steps comparable across layers.
        const double perScale = double(x.numel()) / double(q.scale.numel());
        const double gradFactor = 1.0 / std::sqrt(perScale * double(qmax));
        if (!q.perChannel && x.requires_grad() && at::GradMode::is_enabled())
            return learnablePerTensor(q, x, gradFactor);
        if (q.perChannel)
            return at::_fake_quantize_learnable_per_channel_affine(x, q.scale, q.zeroPoint, q.axis, 0, qmax,
                                                                   gradFactor);
        return at::_fake_quantize_learnable_per_tensor_affine(x, q.scale, q.zeroPoint, 0, qmax, gradFactor);
    }
    if (q.perChannel)
        return at::fake_quantize_per_channel_affine(x, q.scale, q.zeroPoint.round().to(at::kInt), q.axis, 0, qmax);
    return at::fake_quantize_per_tensor_affine(x, q.scale.item<float>(), int64_t(std::lround(q.zeroPoint.item<float>())),
                                               0, qmax);
}

const QatQuantizer *QatQuantizers::find(const std::string &tensor) const
{
    auto it = m_index.find(tensor);
    return it == m_index.end() ? nullptr : &m_quantizers[it->second];
}

std::set<std::string> QatQuantizers::activationTensors() const
{
    std::set<std::string> names;
    for (const QatQuantizer &q : m_quantizers)
        if (q.kind != QuantizerKind::Param)
            names.insert(q.tensor);
    return names;
}

TensorHook QatQuantizers::hook() const
{
    return [this](const std::string &name, const at::Tensor &x) -> at::Tensor {
        const QatQuantizer *q = find(name);
        return q && q->kind != QuantizerKind::Param ? apply(*q, x) : x;
    };
}

std::vector<at::Tensor> QatQuantizers::rangeParameters() const
{
    std::vector<at::Tensor> out;
    for (const QatQuantizer &q : m_quantizers) {
        if (q.learnScale)
            out.push_back(q.scale);
        if (q.learnZeroPoint)
            out.push_back(q.zeroPoint);
    }
    return out;
}

std::vector<std::pair<at::Tensor, double>> QatQuantizers::rangeParametersInTensorUnits() const
{
    std::vector<std::pair<at::Tensor, double>> out;
    for (const QatQuantizer &q : m_quantizers) {
        if (q.learnScale)
            out.emplace_back(q.scale, 1.0 / double(q.steps));
        if (q.learnZeroPoint)
            out.emplace_back(q.zeroPoint, 1.0 / std::max(q.scale.max().item<double>(), 1e-8));
    }
    return out;
}

void QatQuantizers::clampRanges()
{
    at::NoGradGuard noGrad;
    for (QatQuantizer &q : m_quantizers) {
        if (q.learnScale)
            q.scale.clamp_min_(1e-8);
        if (q.learnZeroPoint)
            q.zeroPoint.clamp_(0.0, double(q.steps));
    }
}

std::vector<TensorEncoding> QatQuantizers::encodings() const
{
    std::vector<TensorEncoding> out;
    for (const QatQuantizer &q : m_quantizers) {
        TensorEncoding te;
        te.tensor = q.tensor;
        te.kind = q.kind;
        te.perChannel = q.perChannel;
        te.channelAxis = q.axis;
        const at::Tensor s = q.scale.detach().to(at::kDouble).contiguous();
        const at::Tensor z = q.zeroPoint.detach().contiguous();
        for (int64_t c = 0; c < s.numel(); ++c) {
            Encoding e;
            e.bitwidth = q.bitwidth;
            e.symmetric = q.symmetric;
            e.scale = s.data_ptr<double>()[c];
            // The zero point as the forward pass uses it: clamped to the grid, rounded half to even.
            const double zp = std::nearbyint(std::min(std::max(double(z.data_ptr<float>()[c]), 0.0), double(q.steps)));
            e.offset = -int64_t(zp);
            e.min = e.scale * double(e.offset);
            e.max = e.scale * double(e.offset + q.steps);
            te.encodings.push_back(e);
        }
        out.push_back(std::move(te));
    }
    return out;
}

} // namespace qs
