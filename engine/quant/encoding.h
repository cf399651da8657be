#pragma once
// Quantization encodings: the (min, max, scale, offset, bitwidth) of one quantizer or one
// channel, computed exactly as AIMET's getComputedEncodings (see ALGORITHMS.md §1).
// Convention: offset = -zero_point; q = round(x/scale - offset) clamped to [0, 2^bw - 1];
// x' = scale * (q + offset). Pure C++, no LibTorch; thread-safe (no shared state).

#include <cstdint>
#include <vector>

namespace qs {

struct Encoding {
    double min = 0;     // encMin = scale * offset
    double max = 0;     // encMax
    double scale = 0;   // delta
    int64_t offset = 0; // -zero_point
    int bitwidth = 8;
    bool symmetric = false;
};

struct EncodingOptions {
    int bitwidth = 8;              // 2..16 (and 32 for "not quantized")
    bool symmetric = false;
    bool strictSymmetric = false;  // numSteps = 2^bw - 2, min = -max
    bool unsignedSymmetric = true; // symmetric with min >= 0 uses the unsigned grid [0, max]
};

// From an observed range [min, max] (min <= 0 <= max after the analyzers' adjustments).
Encoding computeEncoding(double min, double max, const EncodingOptions &options);

// Round-to-nearest (half away from zero, as std::round) quantize-dequantize of one value.
float quantizeDequantize(float x, const Encoding &e);

// Zero point and integer range for export: asymmetric/unsigned -> uint8-style [0, 2^bw-1] with
// zp = -offset; signed symmetric -> int8-style [-2^(bw-1), 2^(bw-1)-1] with zp = 0.
struct IntegerGrid {
    bool isSigned = false;
    int64_t zeroPoint = 0;
    int64_t qmin = 0;
    int64_t qmax = 255;
};
IntegerGrid integerGrid(const Encoding &e);

} // namespace qs
