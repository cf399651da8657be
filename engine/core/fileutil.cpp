#include "core/fileutil.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace qs {

namespace fs = std::filesystem;

std::string readFileBytes(const std::string &path, size_t maxBytes)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        fail(ErrorCode::Io, path + ": no such file");
    if (fs::is_directory(status))
        fail(ErrorCode::Io, path + ": is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(ErrorCode::Io, path + ": cannot read (" + std::strerror(errno) + ")");
    const auto size = fs::file_size(path, ec);
    if (!ec && size > maxBytes)
        fail(ErrorCode::Limit, path + ": file of " + std::to_string(size) + " bytes exceeds the limit of " +
                                   std::to_string(maxBytes) + " bytes");
    std::string bytes;
    if (!ec)
        bytes.reserve(size_t(size));
    std::ostringstream os;
    os << in.rdbuf();
    bytes = os.str();
    return bytes;
}

static std::string makeTmpName(const std::string &path)
{
    static std::atomic<unsigned> counter{0};
    const fs::path p(path);
    const std::string dir = p.has_parent_path() ? p.parent_path().string() + "/" : std::string();
    return dir + "." + p.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++);
}

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path)), m_tmp(makeTmpName(m_path)) {}

AtomicFile::~AtomicFile()
{
    if (!m_done)
        discard();
}

void AtomicFile::commit()
{
    std::error_code ec;
    fs::rename(m_tmp, m_path, ec);
    if (ec) {
        discard();
        fail(ErrorCode::Io, m_path + ": cannot write (" + ec.message() + ")");
    }
    m_done = true;
}

void AtomicFile::discard()
{
    std::error_code ec;
    fs::remove(m_tmp, ec);
    m_done = true;
}

void writeFileAtomic(const std::string &path, const std::string &bytes)
{
    AtomicFile file(path);
    {
        std::ofstream out(file.tmpPath(), std::ios::binary | std::ios::trunc);
        if (!out)
            fail(ErrorCode::Io, path + ": cannot write (" + std::strerror(errno) + ")");
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.flush();
        if (!out)
            fail(ErrorCode::Io, path + ": cannot write (" + std::strerror(errno) + ")");
    }
    file.commit();
}

std::string fileName(const std::string &path) { return fs::path(path).filename().string(); }

std::string parentDir(const std::string &path)
{
    const fs::path p(path);
    return p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

bool fileExists(const std::string &path)
{
    std::error_code ec;
    return fs::exists(path, ec);
}

} // namespace qs
