// Elementwise kernels: arithmetic, math functions, comparisons, logic, Where, Mod, BitShift,
// CumSum and the variadic Sum/Mean/Max/Min. Broadcasting is numpy-style (ATen's), as ONNX requires from opset 7.
#include "runtime/kernel.h"

#include "core/error.h"

namespace qs::rt {

namespace {

using Unary = at::Tensor (*)(const at::Tensor &);
using Binary = at::Tensor (*)(const at::Tensor &, const at::Tensor &);

void requireInputs(const Node &node, size_t minCount, size_t maxCount)
{
    const size_t n = node.inputs.size();
    if (n < minCount || n > maxCount)
        fail(ErrorCode::Invalid, node.label() + ": expects " +
                                     (minCount == maxCount ? std::to_string(minCount)
                                                           : std::to_string(minCount) + " to " + std::to_string(maxCount)) +
                                     " inputs, has " + std::to_string(n));
    for (size_t i = 0; i < n; ++i)
        if (node.inputs[i].empty())
            fail(ErrorCode::Invalid, node.label() + ": input " + std::to_string(i) + " is missing");
}

KernelFactory unary(Unary fn)
{
    return [fn](const CompileContext &ctx) -> Kernel {
        requireInputs(ctx.node, 1, 1);
        return [fn](const TensorList &in) { return TensorList{fn(in[0])}; };
    };
}

KernelFactory binary(Binary fn)
{
    return [fn](const CompileContext &ctx) -> Kernel {
        requireInputs(ctx.node, 2, 2);
        return [fn](const TensorList &in) { return TensorList{fn(in[0], in[1])}; };
    };
}

// Integer division truncates toward zero (C semantics, as ONNX Runtime does).
at::Tensor divide(const at::Tensor &a, const at::Tensor &b)
{
    if (at::isIntegralType(a.scalar_type(), true) && at::isIntegralType(b.scalar_type(), true))
        return at::div(a, b, "trunc");
    return at::div(a, b);
}

// ONNX Pow: the result has the base's type, whatever the exponent's type.
at::Tensor power(const at::Tensor &base, const at::Tensor &exponent)
{
    if (at::isIntegralType(base.scalar_type(), true) && at::isFloatingType(exponent.scalar_type()))
        return at::pow(base.to(at::kDouble), exponent.to(at::kDouble)).to(base.scalar_type());
    at::Tensor out = at::pow(base, exponent);
    return out.scalar_type() == base.scalar_type() ? out : out.to(base.scalar_type());
}

at::Tensor asBool(const at::Tensor &t) { return t.scalar_type() == at::kBool ? t : t.ne(0); }

Kernel makeMod(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2, 2);
    const int64_t fmod = ctx.node.attrInt("fmod", 0);
    if (fmod != 0 && fmod != 1)
        fail(ErrorCode::Invalid, ctx.node.label() + ": fmod must be 0 or 1, got " + std::to_string(fmod));
    // fmod=0: the result takes the divisor's sign (Python %); fmod=1: the dividend's (C fmod).
    if (fmod == 1)
        return [](const TensorList &in) { return TensorList{at::fmod(in[0], in[1])}; };
    return [](const TensorList &in) { return TensorList{at::remainder(in[0], in[1])}; };
}

Kernel makeWhere(const CompileContext &ctx)
{
    requireInputs(ctx.node, 3, 3);
    return [](const TensorList &in) { return TensorList{at::where(asBool(in[0]), in[1], in[2])}; };
}

// Sum, Mean, Max, Min over one or more inputs with multidirectional broadcasting.
KernelFactory variadic(Binary fold, bool mean)
{
    return [fold, mean](const CompileContext &ctx) -> Kernel {
        requireInputs(ctx.node, 1, SIZE_MAX);
        return [fold, mean](const TensorList &in) {
            at::Tensor acc = in[0];
            for (size_t i = 1; i < in.size(); ++i)
                acc = fold(acc, in[i]);
            if (mean && in.size() > 1)
                acc = at::div(acc, double(in.size()));
            return TensorList{acc};
        };
    };
}

at::Tensor addT(const at::Tensor &a, const at::Tensor &b) { return at::add(a, b); }
at::Tensor subT(const at::Tensor &a, const at::Tensor &b) { return at::sub(a, b); }
at::Tensor mulT(const at::Tensor &a, const at::Tensor &b) { return at::mul(a, b); }
at::Tensor maxT(const at::Tensor &a, const at::Tensor &b) { return at::maximum(a, b); }
at::Tensor minT(const at::Tensor &a, const at::Tensor &b) { return at::minimum(a, b); }
at::Tensor eqT(const at::Tensor &a, const at::Tensor &b) { return at::eq(a, b); }
at::Tensor gtT(const at::Tensor &a, const at::Tensor &b) { return at::gt(a, b); }
at::Tensor ltT(const at::Tensor &a, const at::Tensor &b) { return at::lt(a, b); }
at::Tensor geT(const at::Tensor &a, const at::Tensor &b) { return at::ge(a, b); }
at::Tensor leT(const at::Tensor &a, const at::Tensor &b) { return at::le(a, b); }
at::Tensor andT(const at::Tensor &a, const at::Tensor &b) { return at::logical_and(a, b); }
at::Tensor orT(const at::Tensor &a, const at::Tensor &b) { return at::logical_or(a, b); }
at::Tensor xorT(const at::Tensor &a, const at::Tensor &b) { return at::logical_xor(a, b); }

at::Tensor sqrtT(const at::Tensor &x) { return at::sqrt(x); }
at::Tensor expT(const at::Tensor &x) { return at::exp(x); }
at::Tensor logT(const at::Tensor &x) { return at::log(x); }
at::Tensor erfT(const at::Tensor &x) { return at::erf(x); }
at::Tensor negT(const at::Tensor &x) { return at::neg(x); }
at::Tensor absT(const at::Tensor &x) { return at::abs(x); }
at::Tensor floorT(const at::Tensor &x) { return at::floor(x); }
at::Tensor ceilT(const at::Tensor &x) { return at::ceil(x); }
at::Tensor roundT(const at::Tensor &x) { return at::round(x); } // half to even, like ONNX
at::Tensor reciprocalT(const at::Tensor &x) { return at::reciprocal(x); }
at::Tensor signT(const at::Tensor &x) { return at::sign(x); }
at::Tensor sinT(const at::Tensor &x) { return at::sin(x); }
at::Tensor cosT(const at::Tensor &x) { return at::cos(x); }
at::Tensor notT(const at::Tensor &x) { return at::logical_not(x); }
at::Tensor isNanT(const at::Tensor &x) { return at::isnan(x); }
at::Tensor tanT(const at::Tensor &x) { return at::tan(x); }
at::Tensor asinT(const at::Tensor &x) { return at::asin(x); }
at::Tensor acosT(const at::Tensor &x) { return at::acos(x); }
at::Tensor atanT(const at::Tensor &x) { return at::atan(x); }
at::Tensor sinhT(const at::Tensor &x) { return at::sinh(x); }
at::Tensor coshT(const at::Tensor &x) { return at::cosh(x); }
at::Tensor asinhT(const at::Tensor &x) { return at::asinh(x); }
at::Tensor acoshT(const at::Tensor &x) { return at::acosh(x); }
at::Tensor atanhT(const at::Tensor &x) { return at::atanh(x); }

Kernel makeIsInf(const CompileContext &ctx)
{
    requireInputs(ctx.node, 1, 1);
    const bool negative = ctx.node.attrInt("detect_negative", 1) != 0;
    const bool positive = ctx.node.attrInt("detect_positive", 1) != 0;
    return [negative, positive](const TensorList &in) {
        const at::Tensor &x = in[0];
        if (negative && positive)
            return TensorList{at::isinf(x)};
        if (negative)
            return TensorList{at::isneginf(x)};
        return TensorList{positive ? at::isposinf(x) : at::zeros(x.sizes(), at::kBool)};
    };
}

Kernel makeBitShift(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2, 2);
    const std::string direction = ctx.node.attrString("direction", "");
    if (direction != "LEFT" && direction != "RIGHT")
        fail(ErrorCode::Invalid, ctx.node.label() + ": direction must be LEFT or RIGHT, got '" + direction + "'");
    if (direction == "LEFT")
        return [](const TensorList &in) { return TensorList{at::bitwise_left_shift(in[0], in[1])}; };
    return [](const TensorList &in) { return TensorList{at::bitwise_right_shift(in[0], in[1])}; };
}

// CumSum along the axis given as input 1; exclusive shifts by one, reverse runs from the end.
Kernel makeCumSum(const CompileContext &ctx)
{
    requireInputs(ctx.node, 2, 2);
    const bool exclusive = ctx.node.attrInt("exclusive", 0) != 0;
    const bool reverse = ctx.node.attrInt("reverse", 0) != 0;
    return [exclusive, reverse, label = ctx.node.label()](const TensorList &in) {
        const at::Tensor &x = in[0];
        const int64_t rank = x.dim(), axis = in[1].item<int64_t>();
        const int64_t a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            fail(ErrorCode::Invalid, label + ": axis " + std::to_string(axis) + " is out of range for rank " +
                                         std::to_string(rank));
        at::Tensor t = reverse ? x.flip(a) : x;
        at::Tensor sum = at::cumsum(t, a, x.scalar_type());
        if (exclusive)
            sum = sum - t;
        return TensorList{reverse ? sum.flip(a) : sum};
    };
}

} // namespace

void registerElementwiseKernels(OpRegistry &r)
{
    r.add("Add", binary(addT));
    r.add("Sub", binary(subT));
    r.add("Mul", binary(mulT));
    r.add("Div", binary(divide));
    r.add("Pow", binary(power));
    r.add("Mod", makeMod);

    r.add("Sum", variadic(addT, false));
    r.add("Mean", variadic(addT, true));
    r.add("Max", variadic(maxT, false));
    r.add("Min", variadic(minT, false));

    r.add("Equal", binary(eqT));
    r.add("Greater", binary(gtT));
    r.add("Less", binary(ltT));
    r.add("GreaterOrEqual", binary(geT));
    r.add("LessOrEqual", binary(leT));
    r.add("And", binary(andT));
    r.add("Or", binary(orT));
    r.add("Xor", binary(xorT));
    r.add("Not", unary(notT));
    r.add("Where", makeWhere);

    r.add("Sqrt", unary(sqrtT));
    r.add("Exp", unary(expT));
    r.add("Log", unary(logT));
    r.add("Erf", unary(erfT));
    r.add("Neg", unary(negT));
    r.add("Abs", unary(absT));
    r.add("Floor", unary(floorT));
    r.add("Ceil", unary(ceilT));
    r.add("Round", unary(roundT));
    r.add("Reciprocal", unary(reciprocalT));
    r.add("Sign", unary(signT));
    r.add("Sin", unary(sinT));
    r.add("Cos", unary(cosT));
    r.add("IsNaN", unary(isNanT));
    r.add("IsInf", makeIsInf);
    r.add("Tan", unary(tanT));
    r.add("Asin", unary(asinT));
    r.add("Acos", unary(acosT));
    r.add("Atan", unary(atanT));
    r.add("Sinh", unary(sinhT));
    r.add("Cosh", unary(coshT));
    r.add("Asinh", unary(asinhT));
    r.add("Acosh", unary(acoshT));
    r.add("Atanh", unary(atanhT));
    r.add("BitShift", makeBitShift);
    r.add("CumSum", makeCumSum);
}

} // namespace qs::rt
