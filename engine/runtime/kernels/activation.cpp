// Activation kernels: Relu family, Clip, sigmoids, Softmax/LogSoftmax/Hardmax and the smooth
// exponential units. Attributes are read once in the factories.
#include "runtime/kernel.h"

#include "core/error.h"

#include <limits>

namespace qs::rt {

namespace {

void requireInput(const Node &node, size_t count)
{
    if (node.inputs.size() < count || node.inputs[0].empty())
        fail(ErrorCode::Invalid, node.label() + ": expects " + std::to_string(count) + " input" +
                                     (count == 1 ? "" : "s") + ", has " + std::to_string(node.inputs.size()));
}

// For activations with no attributes: f(x).
template <typename F>
KernelFactory simple(F fn)
{
    return [fn](const CompileContext &ctx) -> Kernel {
        requireInput(ctx.node, 1);
        return [fn](const TensorList &in) { return TensorList{fn(in[0])}; };
    };
}

// For activations with one float attribute (alpha): f(x, alpha).
template <typename F>
KernelFactory withAlpha(float dflt, F fn)
{
    return [dflt, fn](const CompileContext &ctx) -> Kernel {
        requireInput(ctx.node, 1);
        const double alpha = ctx.node.attrFloat("alpha", dflt);
        return [alpha, fn](const TensorList &in) { return TensorList{fn(in[0], alpha)}; };
    };
}

Kernel makePRelu(const CompileContext &ctx)
{
    requireInput(ctx.node, 2);
    // Slope broadcasts unidirectionally to X (e.g. [C,1,1] against [N,C,H,W]).
    return [](const TensorList &in) {
        const at::Tensor &x = in[0];
        return TensorList{at::where(x < 0, x * in[1], x)};
    };
}

c10::optional<at::Scalar> scalarOf(const at::Tensor &t, const std::string &label, const char *what)
{
    if (!t.defined())
        return c10::nullopt;
    if (t.numel() != 1)
        fail(ErrorCode::Invalid, label + ": " + what + " must be a scalar, has " + std::to_string(t.numel()) +
                                     " elements");
    return t.reshape({}).item();
}

Kernel makeClip(const CompileContext &ctx)
{
    requireInput(ctx.node, 1);
    const Node &node = ctx.node;
    if (ctx.opset < 11) {
        const double lo = node.attrFloat("min", std::numeric_limits<float>::lowest());
        const double hi = node.attrFloat("max", std::numeric_limits<float>::max());
        return [lo, hi](const TensorList &in) { return TensorList{at::clamp(in[0], lo, hi)}; };
    }
    const std::string label = node.label();
    const bool hasMin = node.hasInput(1), hasMax = node.hasInput(2);
    const at::Tensor *cmin = ctx.constant(1), *cmax = ctx.constant(2);
    if ((!hasMin || cmin) && (!hasMax || cmax)) {
        auto lo = hasMin ? scalarOf(*cmin, label, "min") : c10::nullopt;
        auto hi = hasMax ? scalarOf(*cmax, label, "max") : c10::nullopt;
        if (!lo && !hi)
            return [](const TensorList &in) { return TensorList{in[0]}; };
        return [lo, hi](const TensorList &in) { return TensorList{at::clamp(in[0], lo, hi)}; };
    }
    return [label](const TensorList &in) {
        auto lo = in.size() > 1 ? scalarOf(in[1], label, "min") : c10::nullopt;
        auto hi = in.size() > 2 ? scalarOf(in[2], label, "max") : c10::nullopt;
        if (!lo && !hi)
            return TensorList{in[0]};
        return TensorList{at::clamp(in[0], lo, hi)};
    };
}

Kernel makeHardSigmoid(const CompileContext &ctx)
{
    requireInput(ctx.node, 1);
    const double alpha = ctx.node.attrFloat("alpha", 0.2f);
    const double beta = ctx.node.attrFloat("beta", 0.5f);
    return [alpha, beta](const TensorList &in) { return TensorList{at::clamp(in[0] * alpha + beta, 0.0, 1.0)}; };
}

Kernel makeSelu(const CompileContext &ctx)
{
    requireInput(ctx.node, 1);
    const double alpha = ctx.node.attrFloat("alpha", 1.67326319217681884765625f);
    const double gamma = ctx.node.attrFloat("gamma", 1.05070102214813232421875f);
    return [alpha, gamma](const TensorList &in) { return TensorList{at::elu(in[0], alpha, gamma, 1.0)}; };
}

Kernel makeShrink(const CompileContext &ctx)
{
    requireInput(ctx.node, 1);
    const double lambd = ctx.node.attrFloat("lambd", 0.5f);
    const double bias = ctx.node.attrFloat("bias", 0.f);
    return [lambd, bias](const TensorList &in) {
        const at::Tensor &x = in[0];
        const at::Tensor zero = at::zeros({}, x.options());
        return TensorList{at::where(x < -lambd, x + bias, at::where(x > lambd, x - bias, zero)).to(x.scalar_type())};
    };
}

at::Tensor hardmax(const at::Tensor &x, int64_t axis)
{
    at::Tensor idx = x.argmax(axis, true);
    return at::zeros_like(x).scatter(axis, idx, 1);
}

enum class SoftKind { Softmax, LogSoftmax, Hardmax };

at::Tensor softApply(SoftKind kind, const at::Tensor &x, int64_t axis)
{
    switch (kind) {
    case SoftKind::Softmax: return at::softmax(x, axis);
    case SoftKind::LogSoftmax: return at::log_softmax(x, axis);
    case SoftKind::Hardmax: break;
    }
    return hardmax(x, axis);
}

// Before opset 13 the input is coerced to 2-D [prod(dims[:axis]), prod(dims[axis:])] and the
// function runs over the second dimension; from 13 on it runs over the single axis.
KernelFactory softFamily(SoftKind kind)
{
    return [kind](const CompileContext &ctx) -> Kernel {
        requireInput(ctx.node, 1);
        const Node &node = ctx.node;
        const bool coerce = ctx.opset < 13;
        const int64_t axisAttr = node.attrInt("axis", coerce ? 1 : -1);
        return [kind, coerce, axisAttr, label = node.label()](const TensorList &in) {
            const at::Tensor &x = in[0];
            const int64_t rank = x.dim();
            if (rank == 0)
                return TensorList{softApply(kind, x.reshape({1}), 0).reshape({})};
            const int64_t axis = axisFor(axisAttr, rank, label);
            if (!coerce || axis == rank - 1)
                return TensorList{softApply(kind, x, axis)};
            int64_t outer = 1, inner = 1;
            for (int64_t d = 0; d < rank; ++d)
                (d < axis ? outer : inner) *= x.size(d);
            return TensorList{softApply(kind, x.reshape({outer, inner}), 1).reshape(x.sizes())};
        };
    };
}

} // namespace

void registerActivationKernels(OpRegistry &r)
{
    r.add("Relu", simple([](const at::Tensor &x) { return at::relu(x); }));
    r.add("Sigmoid", simple([](const at::Tensor &x) { return at::sigmoid(x); }));
    r.add("Tanh", simple([](const at::Tensor &x) { return at::tanh(x); }));
    r.add("HardSwish", simple([](const at::Tensor &x) { return at::hardswish(x); }));
    r.add("Softsign", simple([](const at::Tensor &x) { return x / (at::abs(x) + 1); }));
    r.add("Softplus", simple([](const at::Tensor &x) { return at::softplus(x); }));
    r.add("LeakyRelu", withAlpha(0.01f, [](const at::Tensor &x, double a) { return at::leaky_relu(x, a); }));
    r.add("Elu", withAlpha(1.0f, [](const at::Tensor &x, double a) { return at::elu(x, a); }));
    r.add("Celu", withAlpha(1.0f, [](const at::Tensor &x, double a) { return at::celu(x, a); }));
    r.add("ThresholdedRelu", withAlpha(1.0f, [](const at::Tensor &x, double a) {
              return at::where(x > a, x, at::zeros_like(x));
          }));
    r.add("PRelu", makePRelu);
    r.add("Clip", makeClip);
    r.add("HardSigmoid", makeHardSigmoid);
    r.add("Selu", makeSelu);
    r.add("Shrink", makeShrink);
    r.add("Softmax", softFamily(SoftKind::Softmax));
    r.add("LogSoftmax", softFamily(SoftKind::LogSoftmax));
    r.add("Hardmax", softFamily(SoftKind::Hardmax));
}

} // namespace qs::rt
