#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0), C order only.
// Readable dtypes: float16/32/64, int8/16/32/64, uint8/16, bool, little- or big-endian (converted to
// native). writeNpy writes format 1.0, little-endian, with the header padded to 64 bytes as NumPy does.

#include "core/error.h"
#include "core/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

// What the header of an .npy file says, and where its data starts.
struct NpyHeader {
    DType dtype = DType::Undefined;
    std::vector<int64_t> shape;
    size_t dataOffset = 0; // bytes from the start of the file
    bool bigEndian = false;
};

// Parses the header from the first bytes of a file (at least the whole header). Throws qs::Exception
// naming `path` on a bad magic, a malformed header, an unsupported dtype or Fortran order.
NpyHeader parseNpyHeader(const std::string &path, const std::string &bytes);
// Reads just the header of a file (for data sets that read rows on demand).
NpyHeader readNpyHeader(const std::string &path);
// Byte-swaps `count` elements of `elementSize` bytes in place (big-endian data to native).
void swapByteOrder(void *data, size_t elementSize, size_t count);

Result<Tensor> readNpy(const std::string &path);
Result<void> writeNpy(const std::string &path, const Tensor &t); // atomic (writeFileAtomic)
std::string encodeNpy(const Tensor &t);                          // the bytes writeNpy writes

} // namespace qs
