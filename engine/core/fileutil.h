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

// Streaming variant: write to tmpPath(), then commit(); the destructor removes an uncommitted temp.
class AtomicFile {
public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;
    const std::string &tmpPath() const { return m_tmp; }
    void commit(); // renames the temp file onto the final path
    void discard();

private:
    std::string m_path;
    std::string m_tmp;
    bool m_done = false;
};

std::string fileName(const std::string &path);   // last component
std::string parentDir(const std::string &path);  // "" -> "."
bool fileExists(const std::string &path);

} // namespace qs
