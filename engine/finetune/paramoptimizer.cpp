#include "finetune/paramoptimizer.h"

#include <cmath>

namespace qs {

ParamOptimizer::ParamOptimizer(FinetuneOptimizer kind, double momentum, double weightDecay)
    : m_kind(kind), m_momentum(momentum), m_weightDecay(weightDecay)
{
}

void ParamOptimizer::addGroup(std::vector<at::Tensor> params, double lr, bool decay)
{
    Group g;
    g.lr = lr;
    g.decay = decay;
    for (const at::Tensor &p : params) {
        g.m.push_back(at::zeros_like(p));
        if (m_kind == FinetuneOptimizer::Adam)
            g.v.push_back(at::zeros_like(p));
    }
    g.params = std::move(params);
    m_groups.push_back(std::move(g));
}

void ParamOptimizer::zeroGrad()
{
    for (Group &g : m_groups)
        for (at::Tensor &p : g.params)
            if (p.grad().defined())
                p.mutable_grad().zero_();
}

void ParamOptimizer::step(double lrFactor)
{
    at::NoGradGuard noGrad;
    ++m_steps;
    constexpr double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    const double bias1 = 1.0 - std::pow(beta1, double(m_steps));
    const double bias2 = 1.0 - std::pow(beta2, double(m_steps));
    for (Group &g : m_groups) {
        const double lr = g.lr * lrFactor;
        for (size_t i = 0; i < g.params.size(); ++i) {
            at::Tensor &p = g.params[i];
            if (!p.grad().defined())
                continue;
            at::Tensor grad = p.grad();
            if (g.decay && m_weightDecay != 0.0)
                grad = grad.add(p, m_weightDecay);
            if (m_kind == FinetuneOptimizer::Sgd) {
                // PyTorch's SGD: buf = momentum * buf + grad; p -= lr * buf.
                at::Tensor &buf = g.m[i];
                buf.mul_(m_momentum).add_(grad);
                p.add_(buf, -lr);
            } else {
                g.m[i].mul_(beta1).add_(grad, 1.0 - beta1);
                g.v[i].mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
                const at::Tensor denom = (g.v[i] / bias2).sqrt_().add_(eps);
                p.addcdiv_(g.m[i], denom, -lr / bias1);
            }
        }
    }
    zeroGrad();
}

} // namespace qs
