#pragma once
// IDX files (the MNIST format): magic 0x00 0x00 <type> <ndims>, then ndims big-endian uint32 sizes,
// then the elements big-endian. gzip-compressed files are read transparently.

#include "core/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qs {

struct IdxArray {
    DType dtype = DType::Undefined; // UInt8, Int8, Int16, Int32, Float32 or Float64
    std::vector<int64_t> dims;
    std::string data; // elements converted to native byte order
};

// Whole file, decompressed. Throws qs::Exception naming `path` (bad magic, truncated data, gzip errors).
IdxArray readIdxFile(const std::string &path);
// True when the file (gzip or not) starts with an IDX magic number.
bool looksLikeIdx(const std::string &path);

} // namespace qs
