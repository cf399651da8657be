#pragma once
// File helpers shared by every reader and writer. Writes are atomic: data goes to a temporary
// file in the target's folder and is renamed into place, so a crash, error or cancel never
// leaves a half-written file under the final name.

#include "core/error.h"

#include <string>

namespace qs {

// Reads a whole file; Io error "<path>: no such file" / "<path>: cannot read (...)".
std::string readFileBytes(const std::string &path, size_t maxBytes = size_t(1) << 34);
void writeFileAtomic(const std::string &path, const std::string &bytes);

// Streaming variant: write() (or open tmpPath() by name), then commit(); the destructor discards an
// uncommitted file. The temporary is unnamed where the file system allows (tmpPath() is then a
// /proc/self/fd path), so even a killed process leaves no partial file in the folder.
class AtomicFile {
public:
    explicit AtomicFile(std::string path); // Io error naming `path` when the folder is not writable
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;
    const std::string &tmpPath() const { return m_tmp; }
    void write(const char *data, size_t size);
    void commit(); // renames the temp file onto the final path
    void discard();

private:
    void closeFd();
    std::string m_path;
    std::string m_tmp;
    int m_fd = -1;
    bool m_named = false;
    bool m_done = false;
};

std::string fileName(const std::string &path);   // last component
std::string parentDir(const std::string &path);  // "" -> "."
bool fileExists(const std::string &path);

} // namespace qs
