#include "data/randomaccessfile.h"

#include "core/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qs {

RandomAccessFile::RandomAccessFile(std::string path) : m_path(std::move(path))
{
    m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        const int err = errno;
        fail(ErrorCode::Io, m_path + (err == ENOENT ? std::string(": no such file")
                                                    : ": cannot read (" + std::string(std::strerror(err)) + ")"));
    }
    struct stat st {};
    if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(m_fd);
        fail(ErrorCode::Io, m_path + ": is not a regular file");
    }
    m_size = uint64_t(st.st_size);
}

RandomAccessFile::~RandomAccessFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void RandomAccessFile::readAt(uint64_t offset, void *out, size_t size) const
{
    auto *dst = static_cast<char *>(out);
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(m_fd, dst + done, size - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            fail(ErrorCode::Io, m_path + ": cannot read (" + std::strerror(errno) + ")");
        if (n == 0)
            fail(ErrorCode::Format, m_path + ": file is truncated (wanted " + std::to_string(size) +
                                        " bytes at offset " + std::to_string(offset) + ")");
        done += size_t(n);
    }
}

} // namespace qs
