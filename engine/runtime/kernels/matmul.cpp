// Matrix product kernels: Gemm (Y = alpha * A' * B' + beta * C, C unidirectionally broadcast
// to M x N), MatMul (numpy matmul: batch broadcasting, 1-D operands promoted and squeezed) and
// the integer MatMulInteger / QLinearMatMul.
#include "runtime/kernels/kernelutil.h"

namespace qs::rt {

namespace {

Kernel makeGemm(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 3, 2);
    const double alpha = node.attrFloat("alpha", 1.f);
    const double beta = node.attrFloat("beta", 1.f);
    const bool transA = node.attrInt("transA", 0) != 0;
    const bool transB = node.attrInt("transB", 0) != 0;

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        if (in[0].dim() != 2 || in[1].dim() != 2)
            fail(ErrorCode::Invalid, node.label() + ": A and B must be 2-D, got " + intsString(in[0].sizes().vec()) +
                                         " and " + intsString(in[1].sizes().vec()));
        const at::Tensor a = transA ? in[0].t() : in[0];
        const at::Tensor b = transB ? in[1].t() : in[1];
        if (a.size(1) != b.size(0))
            fail(ErrorCode::Invalid, node.label() + ": inner dimensions differ, A' is " +
                                         intsString(a.sizes().vec()) + " and B' is " + intsString(b.sizes().vec()));
        const bool hasC = in.size() > 2 && in[2].defined() && beta != 0.0;
        if (!hasC)
            return {alpha == 1.0 ? at::mm(a, b) : at::mm(a, b) * alpha};
        const at::Tensor &c = in[2];
        // Linear layers (bias of N, B stored N x K) take ATen's fused path.
        if (alpha == 1.0 && beta == 1.0 && transB && c.dim() == 1 && c.size(0) == b.size(1))
            return {at::linear(a, in[1], c)};
        return {at::addmm(c, a, b, beta, alpha)};
    };
}

Kernel makeMatMul(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 2, 2);
    return [&node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        if (in[0].dim() == 0 || in[1].dim() == 0)
            fail(ErrorCode::Invalid, node.label() + ": operands must have rank 1 or more");
        return {at::matmul(in[0], in[1])};
    };
}

// Parameter of A (scalar, per-row vector of M, or already shaped N-D) broadcast against A * B.
at::Tensor rowParam(const at::Tensor &p)
{
    if (!p.defined() || p.numel() == 1)
        return p.defined() ? p.reshape({}) : p;
    return p.dim() == 1 ? p.reshape({p.numel(), 1}) : p;
}

at::Tensor columnParam(const at::Tensor &p)
{
    return p.defined() && p.numel() == 1 ? p.reshape({}) : p;
}

// 8-bit products summed in float64 stay exact; ATen has no integer BLAS.
at::Tensor integerProduct(const TensorList &in, size_t a, size_t aZero, size_t b, size_t bZero)
{
    const at::Tensor za = in.size() > aZero ? rowParam(in[aZero]) : at::Tensor();
    const at::Tensor zb = in.size() > bZero ? columnParam(in[bZero]) : at::Tensor();
    return at::matmul(centered(in[a], za), centered(in[b], zb));
}

Kernel makeMatMulInteger(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 2, 4, 2);
    return [&node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        requireDefined(in, 1, node);
        return {integerProduct(in, 0, 2, 1, 3).round().to(at::kInt)};
    };
}

// QLinearMatMul inputs: a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point.
Kernel makeQLinearMatMul(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    checkInputCount(node, 8, 8, 8);
    return [&node](const TensorList &in) -> TensorList {
        for (size_t i : {0, 1, 3, 4, 6})
            requireDefined(in, i, node);
        const at::Tensor acc = integerProduct(in, 0, 2, 3, 5);
        const at::Tensor multiplier = rowParam(in[1].to(at::kFloat)) * columnParam(in[4].to(at::kFloat)) /
                                      in[6].to(at::kFloat).reshape({});
        return {requantize(acc, multiplier, in[7].defined() ? in[7].reshape({}) : in[7], node)};
    };
}

} // namespace

void registerMatMulKernels(OpRegistry &r)
{
    r.add("Gemm", makeGemm);
    r.add("MatMul", makeMatMul);
    r.add("MatMulInteger", makeMatMulInteger);
    r.add("QLinearMatMul", makeQLinearMatMul);
}

} // namespace qs::rt
