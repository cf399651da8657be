// CIFAR-10 binary files: records of 1 label byte followed by 32x32 R, G and B planes (3,072 bytes).

#include "data/builtindatasets.h"
#include "data/randomaccessfile.h"

#include <algorithm>
#include <filesystem>

namespace qs {

namespace {

constexpr int kSide = 32;
constexpr uint64_t kPlane = kSide * kSide;
constexpr uint64_t kRecordBytes = 1 + 3 * kPlane;

class CifarDataset : public Dataset {
public:
    explicit CifarDataset(const std::string &path) : m_file(path)
    {
        if (m_file.size() == 0 || m_file.size() % kRecordBytes != 0)
            fail(ErrorCode::Format, path + ": CIFAR-10 file size " + std::to_string(m_file.size()) +
                                        " is not a multiple of " + std::to_string(kRecordBytes) + " bytes");
    }

    int64_t size() const override { return int64_t(m_file.size() / kRecordBytes); }
    std::string path() const override { return m_file.path(); }
    std::string kind() const override { return "cifar"; }

    Record record(int64_t index) const override
    {
        if (index < 0 || index >= size())
            fail(ErrorCode::Invalid, m_file.path() + ": record " + std::to_string(index) + " out of range (0-" +
                                         std::to_string(size() - 1) + ")");
        std::vector<uint8_t> raw(kRecordBytes);
        m_file.readAt(uint64_t(index) * kRecordBytes, raw.data(), raw.size());
        Record r;
        r.label = raw[0];
        r.image.width = r.image.height = kSide;
        r.image.channels = 3;
        r.image.pixels.resize(3 * kPlane);
        // Planar RGB on disk, interleaved in memory.
        for (uint64_t p = 0; p < kPlane; ++p)
            for (uint64_t c = 0; c < 3; ++c)
                r.image.pixels[p * 3 + c] = raw[1 + c * kPlane + p];
        return r;
    }

private:
    RandomAccessFile m_file;
};

} // namespace

bool probeCifar(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec)
        return false;
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".bin" || (size > 0 && size % kRecordBytes == 0);
}

std::unique_ptr<Dataset> openCifar(const std::string &path, const DatasetOptions &)
{
    return std::make_unique<CifarDataset>(path);
}

} // namespace qs
