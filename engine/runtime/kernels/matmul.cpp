// Matrix product kernels: Gemm (Y = alpha * A' * B' + beta * C, C unidirectionally broadcast
// to M x N) and MatMul (numpy matmul: batch broadcasting, 1-D operands promoted and squeezed).
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

} // namespace

void registerMatMulKernels(OpRegistry &r)
{
    r.add("Gemm", makeGemm);
    r.add("MatMul", makeMatMul);
}

} // namespace qs::rt
