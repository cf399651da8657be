#pragma once
// Image preprocessing as described by a models.json "preprocess" object:
//   1. resize so the shorter side is resizeShorterSide (> 0; aspect kept; the longer side is
//      round(S * long / short), half to even), with Pillow-exact bilinear or nearest interpolation;
//   2. center crop to centerCrop x centerCrop (> 0), top-left corner floor((H - c) / 2),
//      floor((W - c) / 2); pixels outside the image are zero;
//   3. x = pixel * scale + offset, then (x - mean[c]) / std[c] when mean/std are given.
// The rounding in steps 1-2 and 3 is the one the shared reference inputs were made with (float32
// arithmetic, scale applied as a division by 1/scale when that is an exact multiple of 0.5, as in
// x / 255 or x / 127.5).

#include "core/error.h"
#include "core/tensor.h"
#include "data/dataset.h"

#include <string>
#include <utility>
#include <vector>

namespace qs {

struct Preprocess {
    int resizeShorterSide = 0;              // 0: no resize
    std::string interpolation = "bilinear"; // "bilinear" or "nearest"
    int centerCrop = 0;                     // 0: no crop
    float scale = 1.f;
    float offset = 0.f;
    std::vector<float> mean, std; // empty, one value, or one per channel
};

// JSON object text, or the path of a file holding one. Keys: resize_shorter_side, interpolation,
// center_crop, scale, offset, mean, std ("formula" is ignored). An object with a "preprocess" key
// (a models.json entry) uses that object. Unknown keys or bad values give a one-line error.
Result<Preprocess> parsePreprocess(const std::string &jsonTextOrFile);

// Image records -> float32 CHW (C = image channels). Tensor records (NPY) pass through, converted to
// float32. Throws qs::Exception for an empty record or mean/std that do not match the channels.
Tensor applyPreprocess(const Record &record, const Preprocess &p);

// Output {width, height} of steps 1-2 for an image of width x height.
std::pair<int, int> preprocessedSize(int width, int height, const Preprocess &p);

} // namespace qs
