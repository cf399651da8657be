#include "core/fileutil.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fcntl.h>
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

// The temporary file is unnamed (O_TMPFILE) where the file system allows it, so that a process
// killed while writing leaves nothing behind; it gets a name only once complete, just before the
// rename. Elsewhere it is a hidden named file in the same folder.
AtomicFile::AtomicFile(std::string path) : m_path(std::move(path))
{
    const fs::path p(m_path);
    const std::string dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    m_fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
    if (m_fd >= 0) {
        m_tmp = "/proc/self/fd/" + std::to_string(m_fd);
        return;
    }
    m_tmp = makeTmpName(m_path);
    m_fd = ::open(m_tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    m_named = true;
    if (m_fd < 0)
        fail(ErrorCode::Io, m_path + ": cannot write (" + std::strerror(errno) + ")");
}

AtomicFile::~AtomicFile()
{
    if (!m_done)
        discard();
}

void AtomicFile::write(const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail(ErrorCode::Io, m_path + ": cannot write (" + std::strerror(n < 0 ? errno : ENOSPC) + ")");
        data += n;
        size -= size_t(n);
    }
}

void AtomicFile::commit()
{
    if (!m_named) {
        // Name the complete file, then move it over the target in one step.
        const std::string named = makeTmpName(m_path);
        if (::linkat(AT_FDCWD, m_tmp.c_str(), AT_FDCWD, named.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            const int err = errno;
            discard();
            fail(ErrorCode::Io, m_path + ": cannot write (" + std::strerror(err) + ")");
        }
        m_tmp = named;
        m_named = true;
    }
    closeFd();
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
    closeFd();
    if (m_named) {
        std::error_code ec;
        fs::remove(m_tmp, ec);
    }
    m_done = true;
}

void AtomicFile::closeFd()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

void writeFileAtomic(const std::string &path, const std::string &bytes)
{
    AtomicFile file(path);
    file.write(bytes.data(), bytes.size());
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
