#include "quant/adaroundlayer.h"

#include "jobs/job.h"
#include "runtime/kernels/kernelutil.h"

#include <cmath>
#include <random>

namespace qs::ada {

namespace {

constexpr double kZeta = 1.1;
constexpr double kGamma = -0.1;

// Scale and offset as tensors broadcasting against the weight (per channel along the axis).
std::pair<at::Tensor, at::Tensor> gridTensors(const TensorEncoding &e, const at::Tensor &w)
{
    std::vector<double> s, o;
    for (const Encoding &x : e.encodings) {
        s.push_back(std::max(x.scale, 1e-12));
        o.push_back(double(x.offset));
    }
    at::Tensor scale = at::tensor(s, at::kDouble).to(at::kFloat);
    at::Tensor offset = at::tensor(o, at::kDouble).to(at::kFloat);
    std::vector<int64_t> shape;
    if (e.perChannel && e.encodings.size() > 1) {
        shape.assign(size_t(w.dim()), 1);
        shape[size_t(e.channelAxis)] = w.size(e.channelAxis);
    }
    return {scale.reshape(shape), offset.reshape(shape)};
}

// Runs the layer's own kernel on a random batch of samples each iteration.
class SampledRounder : public LayerRounder {
public:
    explicit SampledRounder(const LayerData &layer) : LayerRounder(layer)
    {
        const Graph &g = *layer.graph;
        const Node &node = *layer.node;
        rt::CompileContext ctx{node, g.opsetVersion, {}, {}, {}};
        for (const auto &in : node.inputs) {
            ctx.inputInfo.push_back(in.empty() ? nullptr : g.info(in));
            ctx.constants.push_back(at::Tensor());
        }
        for (const auto &out : node.outputs)
            ctx.outputInfo.push_back(out.empty() ? nullptr : g.info(out));
        m_kernel = (*rt::OpRegistry::builtin().find(node.opType))(ctx);
    }

protected:
    void prepare(const at::Tensor &x, const at::Tensor &y, const AdaroundOptions &o) override
    {
        m_x = x;
        m_y = y;
        m_batch = std::min<int64_t>(o.batchSize, x.size(0));
        m_rng.seed(o.seed);
    }

    at::Tensor reconGradient(const at::Tensor &wq) override
    {
        std::uniform_int_distribution<int64_t> pick(0, m_x.size(0) - 1);
        std::vector<int64_t> idx(static_cast<size_t>(m_batch));
        for (auto &i : idx)
            i = pick(m_rng);
        const at::Tensor sel = at::tensor(idx, at::kLong);
        at::AutoGradMode grad(true);
        const at::Tensor w = wq.detach().requires_grad_(true);
        const at::Tensor d = output(m_x.index_select(0, sel), w) - m_y.index_select(0, sel);
        (d.dim() >= 2 ? d.pow(2).sum(1).mean() : d.pow(2).mean()).backward();
        return w.grad();
    }

    double error(const at::Tensor &wq) override
    {
        const int64_t n = std::min<int64_t>(m_x.size(0), 256);
        return (output(m_x.narrow(0, 0, n), wq) - m_y.narrow(0, 0, n)).pow(2).mean().item<double>();
    }

private:
    at::Tensor output(const at::Tensor &x, const at::Tensor &wq)
    {
        rt::TensorList args = m_layer.constants;
        args[0] = x;
        args[1] = wq;
        return m_kernel(args)[0];
    }

    rt::Kernel m_kernel;
    at::Tensor m_x, m_y;
    int64_t m_batch = 32;
    std::mt19937_64 m_rng;
};

// The layer as out[g] = W[g] . cols[g] with a bias column; see the header.
class QuadraticRounder : public LayerRounder {
public:
    explicit QuadraticRounder(const LayerData &layer) : LayerRounder(layer) {}

    // Conv over 2 spatial axes, Gemm without transA/alpha/beta and a per-output bias, MatMul with a
    // 2-D weight.
    static bool applies(const LayerData &l)
    {
        const Node &n = *l.node;
        const at::Tensor &w = l.constants[1];
        if (n.opType == "Conv")
            return w.dim() == 4;
        if (n.opType == "Gemm") {
            if (n.attrInt("transA", 0) != 0 || n.attrFloat("alpha", 1.f) != 1.f || n.attrFloat("beta", 1.f) != 1.f)
                return false;
            const at::Tensor &c = l.constants.size() > 2 ? l.constants[2] : at::Tensor();
            return !c.defined() || c.numel() == (n.attrInt("transB", 0) ? w.size(0) : w.size(1));
        }
        return n.opType == "MatMul" && w.dim() == 2;
    }

protected:
    void prepare(const at::Tensor &x, const at::Tensor &y, const AdaroundOptions &) override
    {
        const Node &n = *m_layer.node;
        m_groups = n.opType == "Conv" ? n.attrInt("group", 1) : 1;
        m_out = n.opType == "Conv" || (n.opType == "Gemm" && n.attrInt("transB", 0)) ? m_w.size(0) : m_w.size(1);
        const at::Tensor &b = m_layer.constants.size() > 2 ? m_layer.constants[2] : at::Tensor();
        m_bias = b.defined() ? b.reshape({m_groups, m_out / m_groups, 1}).to(at::kFloat)
                             : at::zeros({m_groups, m_out / m_groups, 1});
        if (n.opType == "Conv")
            accumulateConv(x, y);
        else
            accumulate(flatRows(x).t().unsqueeze(0), flatRows(y).t().unsqueeze(0));
        m_gram = (m_gram / double(m_count)).to(at::kFloat);
        m_cross = (m_cross / double(m_count)).to(at::kFloat);
        m_yy /= double(m_count);
    }

    // d/dW of tr(W G W^T) - 2 tr(W C) is 2 (W G - C) (G is symmetric); the bias column is fixed.
    at::Tensor reconGradient(const at::Tensor &wq) override
    {
        const at::Tensor wa = augmented(wq);
        const at::Tensor g = 2 * (wa.bmm(m_gram) - m_cross);
        const at::Tensor gw = g.narrow(2, 0, g.size(2) - 1);
        const Node &n = *m_layer.node;
        if (n.opType == "MatMul" || (n.opType == "Gemm" && !n.attrInt("transB", 0)))
            return gw.reshape({m_out, -1}).t();
        return gw.reshape(wq.sizes());
    }

    double error(const at::Tensor &wq) override
    {
        const at::Tensor wa = augmented(wq).to(at::kDouble);
        const at::Tensor g = m_gram.to(at::kDouble), c = m_cross.to(at::kDouble);
        const double r = ((wa.bmm(g) * wa).sum() - 2 * (wa * c).sum()).item<double>() + m_yy;
        return std::max(0.0, r) / double(m_out);
    }

private:
    static at::Tensor flatRows(const at::Tensor &t) { return t.reshape({-1, t.size(-1)}); }

    // Weights as [groups, outputs per group, inputs per group] plus the bias column.
    at::Tensor augmented(const at::Tensor &wq) const
    {
        const Node &n = *m_layer.node;
        at::Tensor w = wq;
        if (n.opType == "MatMul" || (n.opType == "Gemm" && !n.attrInt("transB", 0)))
            w = w.t();
        w = w.reshape({m_groups, m_out / m_groups, -1});
        return at::cat({w, m_bias}, 2);
    }

    // cols: [G, D, M] inputs (without the ones row), ys: [G, Og, M] targets.
    void accumulate(const at::Tensor &cols, const at::Tensor &ys)
    {
        const at::Tensor ones = at::ones({cols.size(0), 1, cols.size(2)}, cols.options());
        const at::Tensor c = at::cat({cols, ones}, 1);
        const at::Tensor gram = c.bmm(c.transpose(1, 2)).to(at::kDouble);
        const at::Tensor cross = ys.bmm(c.transpose(1, 2)).to(at::kDouble);
        m_gram = m_gram.defined() ? m_gram + gram : gram;
        m_cross = m_cross.defined() ? m_cross + cross : cross;
        m_yy += ys.to(at::kDouble).pow(2).sum().item<double>();
        m_count += cols.size(2);
    }

    void accumulateConv(const at::Tensor &x, const at::Tensor &y)
    {
        const Node &n = *m_layer.node;
        rt::WindowAttrs a = rt::WindowAttrs::parse(n);
        a.resolve(2, n);
        const std::vector<int64_t> k{m_w.size(2), m_w.size(3)};
        const std::vector<int64_t> eff{(k[0] - 1) * a.dilations[0] + 1, (k[1] - 1) * a.dilations[1] + 1};
        const rt::SpatialPads p = rt::forwardPads(a, {x.size(2), x.size(3)}, eff);
        const at::Tensor xp = p.zero() ? x : at::constant_pad_nd(x, p.atPadList(), 0.0);
        const int64_t perSample = x.size(1) * k[0] * k[1] * y.size(2) * y.size(3);
        const int64_t chunk = std::max<int64_t>(1, (int64_t(16) << 20) / std::max<int64_t>(1, perSample));
        const int64_t g = m_groups;
        for (int64_t first = 0; first < x.size(0); first += chunk) {
            const int64_t nn = std::min(chunk, x.size(0) - first);
            const at::Tensor cols = at::im2col(xp.narrow(0, first, nn).contiguous(), k, a.dilations, {0, 0},
                                               a.strides); // [n, C k k, L]
            const int64_t l = cols.size(2);
            if (l != y.size(2) * y.size(3))
                fail(ErrorCode::Internal, n.label() + ": AdaRound's patches do not match the layer output");
            const at::Tensor c = cols.view({nn, g, -1, l}).permute({1, 2, 0, 3}).reshape({g, -1, nn * l});
            const at::Tensor ys =
                y.narrow(0, first, nn).reshape({nn, g, -1, l}).permute({1, 2, 0, 3}).reshape({g, -1, nn * l});
            accumulate(c, ys);
        }
    }

    int64_t m_groups = 1, m_out = 0, m_count = 0;
    at::Tensor m_bias, m_gram, m_cross;
    double m_yy = 0;
};

} // namespace

LayerRounder::LayerRounder(const LayerData &layer) : m_layer(layer)
{
    m_w = rt::toAt(*layer.graph->initializer(layer.weight)).to(at::kFloat);
    std::tie(m_scale, m_offset) = gridTensors(*layer.encoding, m_w);
    const IntegerGrid grid = integerGrid(layer.encoding->encodings[0]);
    m_steps = double(grid.qmax - grid.qmin);
    m_floor = at::floor(m_w / m_scale);
    m_frac = m_w / m_scale - m_floor;
}

std::unique_ptr<LayerRounder> LayerRounder::create(const LayerData &layer)
{
    if (QuadraticRounder::applies(layer))
        return std::make_unique<QuadraticRounder>(layer);
    return std::make_unique<SampledRounder>(layer);
}

at::Tensor LayerRounder::quantized(const at::Tensor &h) const
{
    return m_scale * (at::clamp(m_floor + h - m_offset, 0.0, m_steps) + m_offset);
}

at::Tensor LayerRounder::optimize(const at::Tensor &x, const at::Tensor &y, const AdaroundOptions &o,
                                  AdaroundLayerReport &r, const Job *job)
{
    at::NoGradGuard ng;
    const at::Tensor nearest = (m_frac >= 0.5).to(at::kFloat);
    prepare(x, y, o);
    r.mseNearest = error(quantized(nearest));
    at::Tensor alpha = -at::log((kZeta - kGamma) / (m_frac.clamp(1e-6, 1 - 1e-6) - kGamma) - 1.0);
    at::Tensor m1 = at::zeros_like(alpha), m2 = at::zeros_like(alpha);
    const int total = o.iterations;
    const int warm = int(o.warmStart * total);
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    for (int t = 0; t < total; ++t) {
        if (t % 64 == 0)
            checkCancelled(job);
        // h = clamp(sigmoid(a)(z - g) + g, 0, 1); W~ = s (clamp(floor + h - o, 0, steps) + o).
        const at::Tensor sig = at::sigmoid(alpha);
        const at::Tensor raw = sig * (kZeta - kGamma) + kGamma;
        const at::Tensor h = raw.clamp(0.0, 1.0);
        const at::Tensor level = m_floor + h - m_offset;
        at::Tensor gradH = reconGradient(m_scale * (level.clamp(0.0, m_steps) + m_offset)) * m_scale *
                           ((level >= 0) & (level <= m_steps));
        if (t >= warm) { // reg * sum(1 - |2h - 1|^beta)
            const double rel = double(t - warm) / double(std::max(1, total - warm));
            const double beta = o.betaEnd + 0.5 * (o.betaStart - o.betaEnd) * (1 + std::cos(M_PI * rel));
            const at::Tensor u = 2 * h - 1;
            gradH = gradH - (2 * o.regParam * beta) * u.abs().pow(beta - 1) * u.sign();
        }
        const at::Tensor g = gradH * (kZeta - kGamma) * sig * (1 - sig) * ((raw > 0) & (raw < 1));
        m1.mul_(b1).add_(g, 1 - b1);
        m2.mul_(b2).addcmul_(g, g, 1 - b2);
        const double c1 = 1 - std::pow(b1, t + 1), c2 = 1 - std::pow(b2, t + 1);
        alpha.sub_(m1 / c1 / ((m2 / c2).sqrt() + eps) * o.learningRate);
    }
    const at::Tensor hard = (alpha >= 0).to(at::kFloat);
    const at::Tensor wq = quantized(hard);
    r.mseAdarounded = error(wq);
    r.roundedUpChanged = (hard != nearest).to(at::kFloat).mean().item<double>();
    r.weights = m_w.numel();
    return wq;
}

} // namespace qs::ada
