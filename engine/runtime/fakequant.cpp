#include "runtime/fakequant.h"

#include <ATen/Parallel.h>

namespace qs::rt {

at::Tensor quantizeDequantize(const at::Tensor &x, const ActivationQdq &q, bool mayWriteInPlace)
{
    const bool dense = x.is_contiguous() || x.is_contiguous(at::MemoryFormat::ChannelsLast);
    if (x.requires_grad() || !dense || x.scalar_type() != at::kFloat)
        return at::fake_quantize_per_tensor_affine(x, q.scale, q.zeroPoint, q.qmin, q.qmax);
    const float scale = q.scale, inv = 1.f / q.scale;
    const float lo = float(q.qmin - q.zeroPoint), hi = float(q.qmax - q.zeroPoint);
    // In place only for a tensor nothing else refers to (not an alias of an input or a view).
    const bool inPlace = mayWriteInPlace && x.use_count() == 1 && x.storage().use_count() == 1;
    at::Tensor y = inPlace ? x : at::empty_like(x);
    const float *src = x.data_ptr<float>();
    float *dst = y.data_ptr<float>();
    // Adding and subtracting 1.5 * 2^23 rounds a float of magnitude < 2^22 to the nearest integer,
    // ties to even; the clamp keeps values well inside that.
    constexpr float kMagic = 12582912.f;
    at::parallel_for(0, x.numel(), 1 << 15, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            float t = src[i] * inv;
            t = t < lo ? lo : (t > hi ? hi : t);
            t = (t + kMagic) - kMagic;
            dst[i] = t * scale;
        }
    });
    return y;
}

} // namespace qs::rt
