#pragma once
// A read-only file opened once and read at offsets with pread, so several threads can read records
// of the same file at once without sharing a stream position.

#include <cstdint>
#include <string>

namespace qs {

class RandomAccessFile {
public:
    explicit RandomAccessFile(std::string path); // throws qs::Exception (Io) naming the file
    ~RandomAccessFile();
    RandomAccessFile(const RandomAccessFile &) = delete;
    RandomAccessFile &operator=(const RandomAccessFile &) = delete;

    const std::string &path() const { return m_path; }
    uint64_t size() const { return m_size; }
    // Reads exactly `size` bytes at `offset` into `out`; throws naming the file when it cannot.
    void readAt(uint64_t offset, void *out, size_t size) const;

private:
    std::string m_path;
    int m_fd = -1;
    uint64_t m_size = 0;
};

} // namespace qs
