#include "data/imageresize.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace qs {

namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

// Per output pixel: first source index, number of taps, and fixed-point weights (ksize per pixel).
struct Coefficients {
    int ksize = 0;
    std::vector<int> first, count;
    std::vector<int32_t> weights;
};

double triangle(double x)
{
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for the triangle filter (support 1) over the
// whole input range [0, inSize).
Coefficients precompute(int inSize, int outSize)
{
    const double scale = double(float(inSize) - 0.0f) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 1.0 * filterScale;
    Coefficients c;
    c.ksize = int(std::ceil(support)) * 2 + 1;
    c.first.resize(size_t(outSize));
    c.count.resize(size_t(outSize));
    c.weights.assign(size_t(outSize) * size_t(c.ksize), 0);
    std::vector<double> k(size_t(c.ksize));
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = 0.0 + (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        const int xmin = std::max(int(center - support + 0.5), 0);
        const int xmax = std::min(int(center + support + 0.5), inSize) - xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[size_t(x)] = triangle((x + xmin - center + 0.5) * ss);
            ww += k[size_t(x)];
        }
        int32_t *dst = &c.weights[size_t(xx) * size_t(c.ksize)];
        for (int x = 0; x < xmax; ++x) {
            const double w = (ww != 0.0 ? k[size_t(x)] / ww : k[size_t(x)]) * (1 << kPrecisionBits);
            dst[x] = int32_t(w < 0 ? -0.5 + w : 0.5 + w);
        }
        c.first[size_t(xx)] = xmin;
        c.count[size_t(xx)] = xmax;
    }
    return c;
}

inline uint8_t clip8(int32_t v)
{
    return uint8_t(std::clamp(v >> kPrecisionBits, 0, 255));
}

// One separable pass: `horizontal` filters along rows, otherwise along columns. `rowOffset` is the
// first source row used (the horizontal pass only computes the rows the vertical pass needs).
Image resamplePass(const Image &in, const Coefficients &c, bool horizontal, int outW, int outH, int rowOffset)
{
    Image out;
    out.width = outW;
    out.height = outH;
    out.channels = in.channels;
    out.pixels.resize(size_t(outW) * size_t(outH) * size_t(in.channels));
    const int ch = in.channels;
    const size_t stride = size_t(in.width) * size_t(ch);
    for (int y = 0; y < outH; ++y) {
        for (int x = 0; x < outW; ++x) {
            const int o = horizontal ? x : y;
            const int32_t *k = &c.weights[size_t(o) * size_t(c.ksize)];
            const int first = c.first[size_t(o)], n = c.count[size_t(o)];
            for (int cc = 0; cc < ch; ++cc) {
                int32_t ss = 1 << (kPrecisionBits - 1);
                if (horizontal) {
                    const uint8_t *src = &in.pixels[size_t(y + rowOffset) * stride + size_t(cc)];
                    for (int i = 0; i < n; ++i)
                        ss += int32_t(src[size_t(first + i) * size_t(ch)]) * k[i];
                } else {
                    const uint8_t *src = &in.pixels[size_t(x) * size_t(ch) + size_t(cc)];
                    for (int i = 0; i < n; ++i)
                        ss += int32_t(src[size_t(first + i) * stride]) * k[i];
                }
                out.pixels[(size_t(y) * size_t(outW) + size_t(x)) * size_t(ch) + size_t(cc)] = clip8(ss);
            }
        }
    }
    return out;
}

Image resizeBilinear(const Image &in, int width, int height)
{
    const bool needH = width != in.width;
    const bool needV = height != in.height;
    Coefficients vert = precompute(in.height, height);
    const int yFirst = vert.first[0];
    const int yLast = vert.first[size_t(height) - 1] + vert.count[size_t(height) - 1];
    Image cur = in;
    if (needH) {
        for (int &f : vert.first)
            f -= yFirst;
        cur = resamplePass(in, precompute(in.width, width), true, width, yLast - yFirst, yFirst);
    }
    if (needV)
        cur = resamplePass(cur, vert, false, width, height, 0);
    return cur;
}

// Pillow's ImagingScaleAffine: positions accumulate in double and are truncated.
std::vector<int> nearestIndex(int inSize, int outSize)
{
    const double step = double(inSize) / outSize;
    std::vector<int> idx(static_cast<size_t>(outSize));
    double pos = step * 0.5;
    for (int i = 0; i < outSize; ++i, pos += step)
        idx[size_t(i)] = std::min(pos < 0.0 ? 0 : int(pos), inSize - 1);
    return idx;
}

Image resizeNearest(const Image &in, int width, int height)
{
    const std::vector<int> xs = nearestIndex(in.width, width), ys = nearestIndex(in.height, height);
    Image out;
    out.width = width;
    out.height = height;
    out.channels = in.channels;
    out.pixels.resize(size_t(width) * size_t(height) * size_t(in.channels));
    const size_t ch = size_t(in.channels);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            std::copy_n(&in.pixels[(size_t(ys[size_t(y)]) * size_t(in.width) + size_t(xs[size_t(x)])) * ch], ch,
                        &out.pixels[(size_t(y) * size_t(width) + size_t(x)) * ch]);
    return out;
}

} // namespace

Image resizeImage(const Image &in, int width, int height, Interpolation interpolation)
{
    if (in.width <= 0 || in.height <= 0 || in.channels <= 0 ||
        in.pixels.size() != size_t(in.width) * size_t(in.height) * size_t(in.channels))
        fail(ErrorCode::Invalid, "resize: invalid image of " + std::to_string(in.width) + "x" +
                                     std::to_string(in.height) + "x" + std::to_string(in.channels));
    if (width <= 0 || height <= 0)
        fail(ErrorCode::Invalid, "resize: invalid target size " + std::to_string(width) + "x" + std::to_string(height));
    if (width == in.width && height == in.height)
        return in;
    return interpolation == Interpolation::Nearest ? resizeNearest(in, width, height)
                                                   : resizeBilinear(in, width, height);
}

Image cropImage(const Image &in, int left, int top, int width, int height)
{
    Image out;
    out.width = width;
    out.height = height;
    out.channels = in.channels;
    out.pixels.assign(size_t(width) * size_t(height) * size_t(in.channels), 0);
    const size_t ch = size_t(in.channels);
    for (int y = 0; y < height; ++y) {
        const int sy = top + y;
        if (sy < 0 || sy >= in.height)
            continue;
        const int x0 = std::max(0, -left), x1 = std::min(width, in.width - left);
        if (x1 > x0)
            std::copy_n(&in.pixels[(size_t(sy) * size_t(in.width) + size_t(left + x0)) * ch], size_t(x1 - x0) * ch,
                        &out.pixels[(size_t(y) * size_t(width) + size_t(x0)) * ch]);
    }
    return out;
}

} // namespace qs
