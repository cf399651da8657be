#include "data/npy.h"

#include "core/fileutil.h"
#include "core/limits.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

namespace qs {

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

struct DescrEntry {
    const char *code; // type code without the byte-order character
    DType dtype;
};

const DescrEntry kDescrs[] = {
    {"f4", DType::Float32}, {"f8", DType::Float64}, {"f2", DType::Float16}, {"i1", DType::Int8},
    {"u1", DType::UInt8},   {"i2", DType::Int16},   {"u2", DType::UInt16},  {"i4", DType::Int32},
    {"i8", DType::Int64},   {"b1", DType::Bool},    {"u4", DType::UInt32},  {"u8", DType::UInt64},
};

[[noreturn]] void malformed(const std::string &path, const std::string &why)
{
    fail(ErrorCode::Format, path + ": malformed NPY header (" + why + ")");
}

// A tiny reader for the Python dict literal of the header: {'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }. Values are strings, True/False or tuples of integers.
class HeaderDict {
public:
    HeaderDict(std::string path, std::string text) : m_path(std::move(path)), m_text(std::move(text)) {}

    void parse()
    {
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}')
                return;
            const std::string key = parseString();
            expect(':');
            skipSpace();
            if (peek() == '\'' || peek() == '"')
                m_strings[key] = parseString();
            else if (peek() == '(')
                m_tuples[key] = parseTuple();
            else
                m_words[key] = parseWord();
            skipSpace();
            if (peek() == ',')
                ++m_pos;
            else if (peek() != '}')
                malformed(m_path, "expected ',' or '}' at offset " + std::to_string(m_pos));
        }
    }

    std::map<std::string, std::string> m_strings, m_words;
    std::map<std::string, std::vector<int64_t>> m_tuples;

private:
    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    void expect(char c)
    {
        skipSpace();
        if (peek() != c)
            malformed(m_path, std::string("expected '") + c + "' at offset " + std::to_string(m_pos));
        ++m_pos;
    }
    std::string parseString()
    {
        skipSpace();
        const char quote = peek();
        if (quote != '\'' && quote != '"')
            malformed(m_path, "expected a quoted key at offset " + std::to_string(m_pos));
        const size_t end = m_text.find(quote, m_pos + 1);
        if (end == std::string::npos)
            malformed(m_path, "unterminated string");
        std::string s = m_text.substr(m_pos + 1, end - m_pos - 1);
        m_pos = end + 1;
        return s;
    }
    std::string parseWord()
    {
        const size_t start = m_pos;
        while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')
            ++m_pos;
        if (start == m_pos)
            malformed(m_path, "unexpected character at offset " + std::to_string(m_pos));
        return m_text.substr(start, m_pos - start);
    }
    std::vector<int64_t> parseTuple()
    {
        expect('(');
        std::vector<int64_t> dims;
        while (true) {
            skipSpace();
            if (peek() == ')') {
                ++m_pos;
                return dims;
            }
            const std::string word = parseWord();
            if (!std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
                word.size() > 15)
                malformed(m_path, "bad dimension '" + word + "' in shape");
            dims.push_back(std::stoll(word));
            skipSpace();
            if (peek() == ',')
                ++m_pos;
        }
    }

    std::string m_path;
    std::string m_text;
    size_t m_pos = 0;
};

DType dtypeFromDescr(const std::string &path, const std::string &descr, bool *bigEndian)
{
    if (descr.size() >= 2 && (descr[0] == '<' || descr[0] == '>' || descr[0] == '|' || descr[0] == '=')) {
        const std::string code = descr.substr(1);
        for (const auto &entry : kDescrs) {
            if (code == entry.code) {
                *bigEndian = descr[0] == '>' && dtypeSize(entry.dtype) > 1;
                return entry.dtype;
            }
        }
    }
    fail(ErrorCode::Unsupported, path + ": unsupported NPY dtype '" + descr +
                                     "' (float16/32/64, int8/16/32/64, uint8/16/32/64 and bool are supported)");
}

const char *descrFor(DType dtype)
{
    switch (dtype) {
    case DType::Float32: return "<f4";
    case DType::Float64: return "<f8";
    case DType::Float16: return "<f2";
    case DType::Int8: return "|i1";
    case DType::UInt8: return "|u1";
    case DType::Int16: return "<i2";
    case DType::UInt16: return "<u2";
    case DType::Int32: return "<i4";
    case DType::Int64: return "<i8";
    case DType::Bool: return "|b1";
    case DType::UInt32: return "<u4";
    case DType::UInt64: return "<u8";
    case DType::BFloat16:
    case DType::Undefined: break;
    }
    return nullptr;
}

} // namespace

// Where the header text starts and how long it is; false when `bytes` is too short to say.
static bool headerExtent(const std::string &path, const std::string &bytes, size_t *start, size_t *len)
{
    if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
        fail(ErrorCode::Format, path + ": not an NPY file (bad magic)");
    const auto major = static_cast<uint8_t>(bytes[6]);
    if (major != 1 && major != 2 && major != 3)
        fail(ErrorCode::Unsupported, path + ": unsupported NPY format version " + std::to_string(major));
    *start = major == 1 ? 10 : 12;
    if (bytes.size() < *start)
        return false;
    *len = 0;
    for (size_t i = *start; i-- > 8;)
        *len = *len << 8 | static_cast<uint8_t>(bytes[i]);
    return true;
}

NpyHeader parseNpyHeader(const std::string &path, const std::string &bytes)
{
    size_t headerStart = 0, headerLen = 0;
    if (!headerExtent(path, bytes, &headerStart, &headerLen) || bytes.size() < headerStart + headerLen)
        fail(ErrorCode::Format, path + ": NPY header is truncated");

    HeaderDict dict(path, bytes.substr(headerStart, headerLen));
    dict.parse();
    if (!dict.m_strings.count("descr"))
        malformed(path, "no 'descr'");
    if (!dict.m_tuples.count("shape"))
        malformed(path, "no 'shape'");
    const auto order = dict.m_words.find("fortran_order");
    if (order == dict.m_words.end() || (order->second != "False" && order->second != "True"))
        malformed(path, "no 'fortran_order'");
    if (order->second == "True")
        fail(ErrorCode::Unsupported, path + ": Fortran-order NPY arrays are not supported (save in C order)");

    NpyHeader header;
    header.dtype = dtypeFromDescr(path, dict.m_strings["descr"], &header.bigEndian);
    header.shape = dict.m_tuples["shape"];
    header.dataOffset = headerStart + headerLen;
    if (checkedByteSize(header.shape, dtypeSize(header.dtype)) < 0)
        fail(ErrorCode::Limit, path + ": NPY shape " + shapeString(header.shape) + " is too large");
    return header;
}

NpyHeader readNpyHeader(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(ErrorCode::Io, path + (fileExists(path) ? ": cannot read" : ": no such file"));
    std::string bytes(12, '\0');
    in.read(bytes.data(), std::streamsize(bytes.size()));
    bytes.resize(size_t(in.gcount()));
    size_t start = 0, len = 0;
    if (headerExtent(path, bytes, &start, &len) && start + len > bytes.size()) {
        std::string rest(start + len - bytes.size(), '\0');
        in.read(rest.data(), std::streamsize(rest.size()));
        rest.resize(size_t(in.gcount()));
        bytes += rest;
    }
    return parseNpyHeader(path, bytes);
}

void swapByteOrder(void *data, size_t elementSize, size_t count)
{
    auto *p = static_cast<uint8_t *>(data);
    for (size_t i = 0; i < count; ++i, p += elementSize)
        std::reverse(p, p + elementSize);
}

Result<Tensor> readNpy(const std::string &path)
{
    return capture("", [&]() -> Tensor {
        const std::string bytes = readFileBytes(path);
        const NpyHeader header = parseNpyHeader(path, bytes);
        // Checked before allocating: the header may declare far more than the file holds.
        const size_t need = size_t(checkedByteSize(header.shape, dtypeSize(header.dtype)));
        const size_t available = bytes.size() - header.dataOffset;
        if (available < need)
            fail(ErrorCode::Format, path + ": NPY data is truncated (shape " + shapeString(header.shape) + " needs " +
                                        std::to_string(need) + " bytes, file holds " + std::to_string(available) + ")");
        Tensor t(header.dtype, header.shape);
        if (need > 0)
            std::memcpy(t.data(), bytes.data() + header.dataOffset, need);
        if (header.bigEndian)
            swapByteOrder(t.data(), dtypeSize(t.dtype()), size_t(t.numel()));
        return t;
    });
}

std::string encodeNpy(const Tensor &t)
{
    const char *descr = descrFor(t.dtype());
    if (!descr)
        fail(ErrorCode::Invalid, "cannot write an undefined tensor as NPY");
    std::string shape = "(";
    for (size_t i = 0; i < t.rank(); ++i)
        shape += std::to_string(t.dim(i)) + (t.rank() == 1 ? "," : i + 1 < t.rank() ? ", " : "");
    shape += ")";
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    // Pad with spaces so that magic + version + length + header + '\n' is a multiple of 64 bytes.
    const size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535)
        fail(ErrorCode::Limit, "NPY header too long for shape " + shapeString(t.shape()));

    std::string out(kMagic, kMagicSize);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(reinterpret_cast<const char *>(t.data()), t.byteSize());
    return out;
}

Result<void> writeNpy(const std::string &path, const Tensor &t)
{
    return capture(path, [&] { writeFileAtomic(path, encodeNpy(t)); });
}

} // namespace qs
