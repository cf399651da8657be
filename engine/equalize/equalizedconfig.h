#pragma once
// Quantizer placement for graphs that cross-layer scaling or exact high-bias absorption
// rewrote: a clamp made per-channel (Relu or Max, then Min, with constant bounds) stands for
// the Clip it replaced, so it is quantized like that Clip: only its last output gets a
// quantizer (the layer's output and the Relu / Max output in between do not), and its bounds
// are settings, not quantized parameters. Pure C++.

#include "quant/quantconfig.h"

namespace qs {

// `config` plus the supergroups Conv/ConvTranspose/Gemm + Max, Relu + Min and Max + Min, and
// unquantized constant operands of Min and Max.
QuantsimConfig withPerChannelClamps(QuantsimConfig config);

} // namespace qs
