#pragma once
// Image resizing and cropping that reproduce Pillow bit for bit on 8-bit images, so that accuracy
// measured with Python/PIL preprocessing is reproduced here.
//  - Bilinear: Pillow's ImagingResample (separable, antialiased: the triangle filter's support grows
//    with the downscale factor; coefficients normalised, then fixed point with 22 fraction bits; the
//    horizontal pass runs first and rounds/clips to 8 bits before the vertical pass).
//  - Nearest: Pillow's Image.resize(NEAREST) (source pixel floor((x + 0.5) * in / out)).

#include "data/dataset.h"

#include <string>

namespace qs {

enum class Interpolation { Bilinear, Nearest };

// Throws qs::Exception (Invalid) for an empty image or a non-positive size.
Image resizeImage(const Image &in, int width, int height, Interpolation interpolation);
// The width x height window whose top-left corner is (left, top); pixels outside `in` are zero,
// as with PIL's Image.crop.
Image cropImage(const Image &in, int left, int top, int width, int height);

} // namespace qs
