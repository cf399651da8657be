// Pad, Resize and Upsample kernels.
// Resize is computed per axis as a gather with index and weight tables built from ONNX's
// coordinate transformation (not ATen's upsample_*, whose conventions differ): the reference
// interpolates one axis at a time, so any mode, axis and coordinate mode composes the same way.
#include "runtime/kernels/kernelutil.h"

#include <cmath>

namespace qs::rt {

namespace {

// ---- Pad ----

enum class PadMode { Constant, Reflect, Edge };

// Source index of output position p (p counted from -padBegin) on an axis of n cells.
int64_t padSource(PadMode mode, int64_t p, int64_t n)
{
    if (mode == PadMode::Edge || n == 1)
        return std::min(std::max<int64_t>(p, 0), n - 1);
    const int64_t period = 2 * (n - 1);
    int64_t j = ((p % period) + period) % period;
    return j >= n ? period - j : j;
}

at::Tensor padTensor(const at::Tensor &x, const std::vector<int64_t> &pads, PadMode mode, const at::Scalar &value)
{
    const int64_t r = x.dim();
    if (mode == PadMode::Constant) {
        SpatialPads p;
        p.begin.assign(pads.begin(), pads.begin() + r);
        p.end.assign(pads.begin() + r, pads.end());
        return at::constant_pad_nd(x, p.atPadList(), value);
    }
    at::Tensor y = x;
    for (int64_t d = 0; d < r; ++d) {
        const int64_t b = pads[size_t(d)], e = pads[size_t(d + r)];
        if (b < 0 || e < 0)
            y = y.narrow(d, std::max<int64_t>(-b, 0), y.size(d) + std::min<int64_t>(b, 0) + std::min<int64_t>(e, 0));
        const int64_t n = y.size(d), pb = std::max<int64_t>(b, 0), pe = std::max<int64_t>(e, 0);
        if (pb == 0 && pe == 0)
            continue;
        std::vector<int64_t> idx;
        for (int64_t p = -pb; p < n + pe; ++p)
            idx.push_back(padSource(mode, p, n));
        y = at::index_select(y, d, at::tensor(idx, at::kLong));
    }
    return y;
}

Kernel makePad(const CompileContext &ctx)
{
    const Node &node = ctx.node;
    const bool padsInput = ctx.opset >= 11;
    checkInputCount(node, padsInput ? 2 : 1, padsInput ? 4 : 1, padsInput ? 2 : 1);
    const std::string modeName = node.attrString("mode", "constant");
    PadMode mode = PadMode::Constant;
    if (modeName == "reflect")
        mode = PadMode::Reflect;
    else if (modeName == "edge")
        mode = PadMode::Edge;
    else if (modeName != "constant")
        fail(ErrorCode::Unsupported, node.label() + ": pad mode '" + modeName + "' is not supported");
    const std::optional<std::vector<int64_t>> constPads =
        padsInput ? constantInts(ctx, 1) : std::optional<std::vector<int64_t>>(node.attrInts("pads"));
    const std::optional<std::vector<int64_t>> constAxes =
        node.hasInput(3) ? constantInts(ctx, 3) : std::optional<std::vector<int64_t>>();
    const double attrValue = node.attrFloat("value", 0.f);

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const at::Tensor &x = in[0];
        const int64_t r = x.dim();
        std::vector<int64_t> pads = intsOf(constPads, in, 1);
        if (node.hasInput(3)) {
            // Opset 18 axes: pads name only the listed axes.
            const std::vector<int64_t> axes = intsOf(constAxes, in, 3);
            if (pads.size() != 2 * axes.size())
                fail(ErrorCode::Invalid, node.label() + ": pads has " + std::to_string(pads.size()) +
                                             " values for " + std::to_string(axes.size()) + " axes");
            std::vector<int64_t> full(size_t(2 * r), 0);
            for (size_t i = 0; i < axes.size(); ++i) {
                const int64_t a = normAxis(axes[i], r, node);
                full[size_t(a)] = pads[i];
                full[size_t(a + r)] = pads[i + axes.size()];
            }
            pads = full;
        }
        if (int64_t(pads.size()) != 2 * r)
            fail(ErrorCode::Invalid, node.label() + ": pads has " + std::to_string(pads.size()) +
                                         " values, the input has rank " + std::to_string(r));
        for (int64_t d = 0; d < r; ++d)
            if (x.size(d) + pads[size_t(d)] + pads[size_t(d + r)] < 0 ||
                (mode != PadMode::Constant && x.size(d) == 0 && (pads[size_t(d)] > 0 || pads[size_t(d + r)] > 0)))
                fail(ErrorCode::Invalid, node.label() + ": pads " + intsString(pads) + " do not fit input shape " +
                                             intsString(x.sizes().vec()));
        at::Scalar value = attrValue;
        if (padsInput && in.size() > 2 && in[2].defined() && in[2].numel() > 0)
            value = in[2].reshape({-1})[0].item();
        return {padTensor(x, pads, mode, value)};
    };
}

// ---- Resize / Upsample ----

enum class Interp { Nearest, Linear, Cubic };
enum class Coord { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric, TfHalfPixelForNn, TfCropAndResize };
// Simple: Resize-10 / Upsample rounding (floor, or ceil when the axis shrinks).
enum class NearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple };

struct ResizeConfig {
    Interp interp = Interp::Nearest;
    Coord coord = Coord::HalfPixel;
    NearestMode nearest = NearestMode::RoundPreferFloor;
    double cubicA = -0.75;
    bool excludeOutside = false;
    double extrapolation = 0.0;
};

// Gather taps for one axis: output o reads index[t][o] with weight[t][o].
struct AxisTable {
    int64_t axis = 0;
    std::vector<std::vector<int64_t>> index;
    std::vector<std::vector<double>> weight;
    std::vector<uint8_t> outside; // tf_crop_and_resize: positions that take the extrapolation value
    bool anyOutside = false;
};

double sourceCoordinate(const ResizeConfig &c, int64_t o, double scale, int64_t in, double roiStart, double roiEnd)
{
    // ONNX's reference uses the unrounded output length scale * in for these modes.
    const double outLen = scale * double(in);
    switch (c.coord) {
    case Coord::HalfPixel: return (o + 0.5) / scale - 0.5;
    case Coord::PytorchHalfPixel: return outLen == 1.0 ? -0.5 : (o + 0.5) / scale - 0.5;
    case Coord::AlignCorners: return outLen == 1.0 ? 0.0 : o * double(in - 1) / (outLen - 1.0);
    case Coord::Asymmetric: return o / scale;
    case Coord::TfHalfPixelForNn: return (o + 0.5) / scale;
    case Coord::TfCropAndResize: {
        const double span = (roiEnd - roiStart) * double(in - 1);
        return roiStart * double(in - 1) + (outLen == 1.0 ? span / 2.0 : o * span / (outLen - 1.0));
    }
    }
    return 0.0;
}

int64_t nearestIndex(NearestMode m, double x, double scale)
{
    const double fl = std::floor(x);
    const double r = x - fl;
    if (r == 0.0)
        return int64_t(fl);
    bool up = false;
    switch (m) {
    case NearestMode::RoundPreferFloor: up = r > 0.5; break;
    case NearestMode::RoundPreferCeil: up = r >= 0.5; break;
    case NearestMode::Floor: up = false; break;
    case NearestMode::Ceil: up = true; break;
    case NearestMode::Simple: up = scale < 1.0; break;
    }
    return int64_t(fl) + (up ? 1 : 0);
}

void cubicCoefficients(double r, double a, double *c)
{
    const double s = 1.0 - r;
    c[0] = ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a;
    c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
    c[2] = ((a + 2) * s - (a + 3)) * s * s + 1;
    c[3] = ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a;
}

AxisTable axisTable(const ResizeConfig &c, int64_t axis, int64_t in, int64_t out, double scale, double roiStart,
                    double roiEnd)
{
    AxisTable t;
    t.axis = axis;
    const int taps = c.interp == Interp::Nearest ? 1 : c.interp == Interp::Linear ? 2 : 4;
    t.index.assign(size_t(taps), std::vector<int64_t>(size_t(out)));
    t.weight.assign(size_t(taps), std::vector<double>(size_t(out)));
    t.outside.assign(size_t(out), 0);
    auto clampIndex = [in](int64_t i) { return std::min(std::max<int64_t>(i, 0), in - 1); };
    for (int64_t o = 0; o < out; ++o) {
        const double x = sourceCoordinate(c, o, scale, in, roiStart, roiEnd);
        if (c.coord == Coord::TfCropAndResize && (x < 0.0 || x > double(in - 1))) {
            t.outside[size_t(o)] = 1;
            t.anyOutside = true;
        }
        if (c.interp == Interp::Nearest) {
            t.index[0][size_t(o)] = clampIndex(nearestIndex(c.nearest, x, scale));
            t.weight[0][size_t(o)] = 1.0;
            continue;
        }
        const double fl = std::floor(x);
        const double r = x - fl;
        double w[4] = {1.0 - r, r, 0.0, 0.0};
        int64_t first = int64_t(fl);
        if (c.interp == Interp::Cubic) {
            cubicCoefficients(r, c.cubicA, w);
            first -= 1;
        }
        double sum = 0.0;
        for (int k = 0; k < taps; ++k) {
            const int64_t i = first + k;
            if (c.excludeOutside && (i < 0 || i >= in))
                w[k] = 0.0;
            sum += w[k];
        }
        for (int k = 0; k < taps; ++k) {
            t.index[size_t(k)][size_t(o)] = clampIndex(first + k);
            t.weight[size_t(k)][size_t(o)] = c.excludeOutside && sum != 0.0 ? w[k] / sum : w[k];
        }
    }
    return t;
}

at::Tensor applyTable(const at::Tensor &x, const AxisTable &t)
{
    std::vector<int64_t> shape(size_t(x.dim()), 1);
    shape[size_t(t.axis)] = int64_t(t.index[0].size());
    at::Tensor y;
    for (size_t k = 0; k < t.index.size(); ++k) {
        at::Tensor g = at::index_select(x, t.axis, at::tensor(t.index[k], at::kLong));
        if (t.index.size() == 1)
            return g;
        const at::Tensor w = at::tensor(t.weight[k], at::kDouble).to(x.scalar_type()).reshape(shape);
        y = k == 0 ? g * w : y + g * w;
    }
    return y;
}

at::Tensor axisMask(const AxisTable &t, int64_t rank)
{
    std::vector<int64_t> shape(size_t(rank), 1);
    shape[size_t(t.axis)] = int64_t(t.outside.size());
    std::vector<int64_t> m(t.outside.begin(), t.outside.end());
    return at::tensor(m, at::kLong).to(at::kBool).reshape(shape);
}

// Resizes x to `outSizes` with per-axis `scales` (scale 1 and the same size leave an axis alone).
at::Tensor resizeTensor(const at::Tensor &x, const ResizeConfig &c, const std::vector<int64_t> &outSizes,
                        const std::vector<double> &scales, const std::vector<double> &roi)
{
    const int64_t r = x.dim();
    const bool integral = !at::isFloatingType(x.scalar_type());
    const bool weighted = c.interp != Interp::Nearest;
    at::Tensor y = integral && weighted ? x.to(at::kFloat) : x;
    at::Tensor outside;
    for (int64_t d = 0; d < r; ++d) {
        const int64_t in = x.size(d), out = outSizes[size_t(d)];
        if (out == in && scales[size_t(d)] == 1.0 && c.coord != Coord::TfCropAndResize)
            continue;
        const double roiStart = roi.size() == size_t(2 * r) ? roi[size_t(d)] : 0.0;
        const double roiEnd = roi.size() == size_t(2 * r) ? roi[size_t(d + r)] : 1.0;
        const AxisTable t = axisTable(c, d, in, out, scales[size_t(d)], roiStart, roiEnd);
        y = applyTable(y, t);
        if (t.anyOutside) {
            const at::Tensor m = axisMask(t, r);
            outside = outside.defined() ? at::logical_or(outside, m) : m;
        }
    }
    if (outside.defined())
        y = at::where(outside, at::scalar_tensor(c.extrapolation, y.options()), y);
    if (integral && weighted)
        y = y.round().to(x.scalar_type());
    return y;
}

std::vector<double> doublesOf(const at::Tensor &t)
{
    const at::Tensor c = t.detach().to(at::kDouble).contiguous().reshape({-1});
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// Output sizes and per-axis scales from either a scales or a sizes vector.
void resolveTarget(const at::Tensor &x, const std::vector<double> &scalesIn, const std::vector<int64_t> &sizes,
                   std::vector<int64_t> &outSizes, std::vector<double> &scales, const Node &node)
{
    const int64_t r = x.dim();
    outSizes.clear();
    scales.clear();
    if (!sizes.empty()) {
        if (int64_t(sizes.size()) != r)
            fail(ErrorCode::Invalid, node.label() + ": sizes " + intsString(sizes) + " do not match input rank " +
                                         std::to_string(r));
        for (int64_t d = 0; d < r; ++d) {
            outSizes.push_back(sizes[size_t(d)]);
            scales.push_back(x.size(d) ? double(sizes[size_t(d)]) / double(x.size(d)) : 1.0);
        }
        return;
    }
    if (int64_t(scalesIn.size()) != r)
        fail(ErrorCode::Invalid, node.label() + ": " + std::to_string(scalesIn.size()) +
                                     " scales given for input rank " + std::to_string(r));
    for (int64_t d = 0; d < r; ++d) {
        const double s = scalesIn[size_t(d)];
        if (!(s > 0.0))
            fail(ErrorCode::Invalid, node.label() + ": scales must be positive, got " + std::to_string(s));
        scales.push_back(s);
        outSizes.push_back(int64_t(std::floor(s * double(x.size(d)))));
    }
}

ResizeConfig parseResizeConfig(const Node &node, int64_t opset, bool upsample)
{
    ResizeConfig c;
    const std::string mode = node.attrString("mode", "nearest");
    if (mode == "nearest")
        c.interp = Interp::Nearest;
    else if (mode == "linear" || (upsample && mode == "bilinear"))
        c.interp = Interp::Linear;
    else if (mode == "cubic" && !upsample && opset >= 11)
        c.interp = Interp::Cubic;
    else
        fail(ErrorCode::Unsupported, node.label() + ": mode '" + mode + "' is not supported");
    if (upsample || opset < 11) {
        c.coord = Coord::Asymmetric;
        c.nearest = upsample ? NearestMode::Floor : NearestMode::Simple;
        return c;
    }
    static const std::map<std::string, Coord> coords = {
        {"half_pixel", Coord::HalfPixel},       {"pytorch_half_pixel", Coord::PytorchHalfPixel},
        {"align_corners", Coord::AlignCorners}, {"asymmetric", Coord::Asymmetric},
        {"tf_half_pixel_for_nn", Coord::TfHalfPixelForNn}, {"tf_crop_and_resize", Coord::TfCropAndResize}};
    static const std::map<std::string, NearestMode> nearest = {{"round_prefer_floor", NearestMode::RoundPreferFloor},
                                                               {"round_prefer_ceil", NearestMode::RoundPreferCeil},
                                                               {"floor", NearestMode::Floor},
                                                               {"ceil", NearestMode::Ceil}};
    const std::string coord = node.attrString("coordinate_transformation_mode", "half_pixel");
    const std::string nm = node.attrString("nearest_mode", "round_prefer_floor");
    if (!coords.count(coord))
        fail(ErrorCode::Unsupported,
             node.label() + ": coordinate_transformation_mode '" + coord + "' is not supported");
    if (!nearest.count(nm))
        fail(ErrorCode::Unsupported, node.label() + ": nearest_mode '" + nm + "' is not supported");
    c.coord = coords.at(coord);
    c.nearest = nearest.at(nm);
    c.cubicA = node.attrFloat("cubic_coeff_a", -0.75f);
    c.excludeOutside = node.attrInt("exclude_outside", 0) != 0;
    c.extrapolation = node.attrFloat("extrapolation_value", 0.f);
    if (node.attrInt("antialias", 0) != 0 || node.has("axes"))
        fail(ErrorCode::Unsupported, node.label() + ": antialias and axes (opset 18) are not supported");
    return c;
}

std::optional<std::vector<double>> constantDoubles(const CompileContext &ctx, size_t i)
{
    if (const at::Tensor *t = ctx.constant(i))
        return doublesOf(*t);
    return std::nullopt;
}

// Resize: opset 10 (X, scales), opset 11+ (X, roi, scales, sizes); Upsample: opset 7 (scales
// attribute), 9 (X, scales).
Kernel makeResizeLike(const CompileContext &ctx, bool upsample)
{
    const Node &node = ctx.node;
    const ResizeConfig config = parseResizeConfig(node, ctx.opset, upsample);
    const bool scalesAttr = upsample && ctx.opset < 9;
    const bool full = !upsample && ctx.opset >= 11;
    if (scalesAttr)
        checkInputCount(node, 1, 1, 1);
    else if (full)
        checkInputCount(node, 1, 4, 1);
    else
        checkInputCount(node, 2, 2, 2);
    const size_t scalesAt = full ? 2 : 1;
    std::optional<std::vector<double>> constScales, constRoi;
    if (scalesAttr) {
        const std::vector<float> f = node.attrFloats("scales");
        constScales = std::vector<double>(f.begin(), f.end());
    } else if (node.hasInput(scalesAt)) {
        constScales = constantDoubles(ctx, scalesAt);
    } else {
        constScales = std::vector<double>();
    }
    constRoi = full && node.hasInput(1) ? constantDoubles(ctx, 1) : std::vector<double>();
    const std::optional<std::vector<int64_t>> constSizes =
        full && node.hasInput(3) ? constantInts(ctx, 3) : std::optional<std::vector<int64_t>>(std::vector<int64_t>());

    return [=, &node](const TensorList &in) -> TensorList {
        requireDefined(in, 0, node);
        const at::Tensor &x = in[0];
        const std::vector<double> scales =
            constScales ? *constScales : (in[scalesAt].defined() ? doublesOf(in[scalesAt]) : std::vector<double>());
        const std::vector<int64_t> sizes = intsOf(constSizes, in, 3);
        const std::vector<double> roi =
            constRoi ? *constRoi : (in[1].defined() ? doublesOf(in[1]) : std::vector<double>());
        if (scales.empty() && sizes.empty())
            fail(ErrorCode::Invalid, node.label() + ": neither scales nor sizes is given");
        if (config.coord == Coord::TfCropAndResize && int64_t(roi.size()) != 2 * x.dim())
            fail(ErrorCode::Invalid, node.label() + ": tf_crop_and_resize needs a roi of " +
                                         std::to_string(2 * x.dim()) + " values");
        std::vector<int64_t> outSizes;
        std::vector<double> axisScales;
        resolveTarget(x, scales, sizes, outSizes, axisScales, node);
        return {resizeTensor(x, config, outSizes, axisScales, roi)};
    };
}

} // namespace

void registerResizeKernels(OpRegistry &r)
{
    r.add("Pad", makePad);
    r.add("Resize", [](const CompileContext &ctx) { return makeResizeLike(ctx, false); });
    r.add("Upsample", [](const CompileContext &ctx) { return makeResizeLike(ctx, true); });
}

} // namespace qs::rt
