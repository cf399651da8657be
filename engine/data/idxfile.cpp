#include "data/idxfile.h"

#include "core/error.h"
#include "core/fileutil.h"
#include "core/limits.h"
#include "data/npy.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <zlib.h>

namespace qs {

namespace {

struct GzCloser {
    void operator()(gzFile_s *f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

GzHandle openGz(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        fail(ErrorCode::Io, path + (std::filesystem::exists(path, ec) ? ": is not a regular file" : ": no such file"));
    GzHandle f(gzopen(path.c_str(), "rb"));
    if (!f)
        fail(ErrorCode::Io, path + ": cannot read");
    return f;
}

// Reads up to `max` bytes; gzip streams are inflated, other files are read as they are.
std::string readGz(const std::string &path, gzFile_s *f, size_t max)
{
    std::string out;
    char buf[1 << 16];
    while (out.size() < max) {
        const unsigned want = unsigned(std::min<size_t>(sizeof buf, max - out.size()));
        const int n = gzread(f, buf, want);
        if (n < 0) {
            int code = 0;
            const char *msg = gzerror(f, &code);
            fail(ErrorCode::Format, path + ": corrupt gzip data (" + std::string(msg ? msg : "unknown error") + ")");
        }
        if (n == 0)
            break;
        out.append(buf, size_t(n));
    }
    int code = 0;
    const char *msg = gzerror(f, &code);
    if (code != Z_OK && code != Z_STREAM_END)
        fail(ErrorCode::Format, path + ": corrupt or truncated gzip data (" + std::string(msg ? msg : "") + ")");
    return out;
}

DType idxType(uint8_t code)
{
    switch (code) {
    case 0x08: return DType::UInt8;
    case 0x09: return DType::Int8;
    case 0x0B: return DType::Int16;
    case 0x0C: return DType::Int32;
    case 0x0D: return DType::Float32;
    case 0x0E: return DType::Float64;
    default: return DType::Undefined;
    }
}

bool validMagic(const std::string &b)
{
    return b.size() >= 4 && b[0] == 0 && b[1] == 0 && idxType(uint8_t(b[2])) != DType::Undefined &&
           uint8_t(b[3]) >= 1 && uint8_t(b[3]) <= 8;
}

std::string hexMagic(const std::string &b)
{
    char text[16];
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i)
        v = v << 8 | (i < b.size() ? uint8_t(b[i]) : 0u);
    std::snprintf(text, sizeof text, "0x%08X", v);
    return text;
}

} // namespace

bool looksLikeIdx(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    GzHandle f(gzopen(path.c_str(), "rb"));
    if (!f)
        return false;
    char head[4 + 8 * 4];
    if (gzread(f.get(), head, 4) != 4 || !validMagic(std::string(head, 4)))
        return false;
    const int ndims = uint8_t(head[3]);
    if (gzread(f.get(), head + 4, unsigned(ndims) * 4) != ndims * 4)
        return false;
    if (!gzdirect(f.get()))
        return true;
    // A CIFAR-10 file whose first record happens to start with 00 00 08 is not IDX: it is too short for
    // the dimensions it would declare. Other short files stay IDX, to be reported as truncated.
    uint64_t elements = 1;
    for (int d = 0; d < ndims; ++d) {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v = v << 8 | uint8_t(head[4 + d * 4 + i]);
        elements *= v;
    }
    const auto size = std::filesystem::file_size(path, ec);
    const uint64_t need = 4 + uint64_t(ndims) * 4 + elements * dtypeSize(idxType(uint8_t(head[2])));
    return !ec && (size >= need || size % 3073 != 0);
}

IdxArray readIdxFile(const std::string &path)
{
    GzHandle f = openGz(path);
    std::string head = readGz(path, f.get(), 4);
    if (!validMagic(head))
        fail(ErrorCode::Format, path + ": not an IDX file (bad magic " + hexMagic(head) +
                                    ", expected 0x000008XX with a known type and 1-8 dimensions)");
    IdxArray a;
    a.dtype = idxType(uint8_t(head[2]));
    const int ndims = uint8_t(head[3]);
    const std::string dimBytes = readGz(path, f.get(), size_t(ndims) * 4);
    if (dimBytes.size() < size_t(ndims) * 4)
        fail(ErrorCode::Format, path + ": IDX header is truncated");
    for (int d = 0; d < ndims; ++d) {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v = v << 8 | uint8_t(dimBytes[size_t(d * 4 + i)]);
        a.dims.push_back(int64_t(v));
    }
    // Checked before reading: a gzip stream can inflate to whatever the header declares.
    const int64_t bytes = checkedByteSize(a.dims, dtypeSize(a.dtype));
    const int64_t limit = memoryLimitFromEnvironment().take();
    if (bytes < 0 || bytes > limit)
        fail(ErrorCode::Limit, path + ": IDX dims " + shapeString(a.dims) + " need " +
                                   (bytes < 0 ? std::string("more than 2^63") : std::to_string(bytes)) +
                                   " bytes, more than the limit of " + std::to_string(limit) + " bytes");
    const size_t need = size_t(bytes);
    a.data = readGz(path, f.get(), need);
    if (a.data.size() < need)
        fail(ErrorCode::Format, path + ": IDX data is truncated (dims " + shapeString(a.dims) + " need " +
                                    std::to_string(need) + " bytes, file holds " + std::to_string(a.data.size()) +
                                    ")");
    if (dtypeSize(a.dtype) > 1)
        swapByteOrder(a.data.data(), dtypeSize(a.dtype), size_t(shapeNumel(a.dims)));
    return a;
}

} // namespace qs
