#include "quant/encoding.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace qs {

namespace {

constexpr double kMinRange = 0.01; // AIMET's MIN_RANGE: the narrowest range an encoding covers

int clampBitwidth(int bw)
{
    return std::clamp(bw, 2, 32);
}

double finiteOrClamped(double v)
{
    if (std::isnan(v))
        return 0.0;
    return std::clamp(v, -double(FLT_MAX), double(FLT_MAX));
}

} // namespace

// AIMET's getComputedEncodings, preceded by the range adjustments every AIMET analyzer applies
// (0 inside the range, at least kMinRange wide), so any input range yields a usable grid.
// NaN bounds count as 0; bitwidths outside 2..32 are clamped into it.
Encoding computeEncoding(double min, double max, const EncodingOptions &options)
{
    min = std::min(finiteOrClamped(min), 0.0);
    max = std::max(finiteOrClamped(max), 0.0);
    if (max < min + kMinRange)
        max = min + kMinRange;

    Encoding e;
    e.bitwidth = clampBitwidth(options.bitwidth);
    e.symmetric = options.symmetric;
    double numSteps = std::ldexp(1.0, e.bitwidth) - 1.0;
    if (options.symmetric && options.strictSymmetric)
        numSteps -= 1.0;

    if (options.symmetric && (min < 0.0 || !options.unsignedSymmetric)) {
        const double absMax = std::max(std::abs(min), std::abs(max));
        const double positiveSteps = std::floor(numSteps / 2);
        e.scale = absMax / positiveSteps;
        e.offset = -int64_t(std::ceil(numSteps / 2));
        e.min = double(e.offset) * e.scale;
        e.max = e.scale * positiveSteps;
        return e;
    }

    // Asymmetric; unsigned symmetric lands here too, with min == 0.
    e.scale = (max - min) / numSteps;
    if (min < 0.0 && max > 0.0) {
        // Shift the grid so that 0 is exactly representable.
        const double zeroLevel = std::clamp(std::round(-min / e.scale), 0.0, numSteps);
        e.offset = -int64_t(zeroLevel);
    } else {
        e.offset = int64_t(std::round(min / e.scale));
    }
    e.min = e.scale * double(e.offset);
    // max - min + encMin rather than encMin + scale * numSteps, as AIMET does, for the same rounding.
    e.max = max - min + e.min;
    return e;
}

float quantizeDequantize(float x, const Encoding &e)
{
    if (std::isnan(x))
        return x;
    const double clamped = std::clamp(double(x), e.min, e.max);
    if (!(e.scale > 0.0))
        return float(clamped);
    const double levels = std::ldexp(1.0, clampBitwidth(e.bitwidth)) - 1.0;
    const double offset = double(e.offset);
    const double q = std::clamp(std::round(clamped / e.scale - offset), 0.0, levels);
    return float(e.scale * (q + offset));
}

// qmin/qmax span the encoding's own grid: for strict symmetric that is [-(2^(bw-1)-1), 2^(bw-1)-1]
// (and [0, 2^bw-2] unsigned), so a fake-quantize or QDQ clamp built from it matches the simulation.
IntegerGrid integerGrid(const Encoding &e)
{
    const int bw = clampBitwidth(e.bitwidth);
    const int64_t fullSteps = (int64_t(1) << bw) - 1;
    int64_t steps = fullSteps;
    if (e.scale > 0.0 && std::isfinite(e.max - e.min)) {
        const double ratio = std::round((e.max - e.min) / e.scale);
        if (ratio >= 1.0 && ratio < double(fullSteps))
            steps = int64_t(ratio);
    }

    IntegerGrid g;
    g.isSigned = e.symmetric && e.offset < 0;
    if (g.isSigned) {
        g.zeroPoint = 0;
        g.qmin = e.offset;
        g.qmax = e.offset + steps;
    } else {
        g.zeroPoint = -e.offset;
        g.qmin = 0;
        g.qmax = steps;
    }
    return g;
}

} // namespace qs
