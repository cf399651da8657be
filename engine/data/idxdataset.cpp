// IDX images (MNIST, Fashion-MNIST): an N x H x W uint8 file becomes gray images; any other IDX array
// (other types or ranks) becomes one tensor per record. Labels come from DatasetOptions::labels or from
// the sibling file whose name has "labels-idx1" in place of "images-idx3".

#include "data/builtindatasets.h"
#include "data/idxfile.h"

#include "core/fileutil.h"
#include "core/limits.h"

#include <cstring>
#include <filesystem>

namespace qs {

namespace {

class IdxDataset : public Dataset {
public:
    IdxDataset(std::string path, IdxArray array, std::vector<int64_t> labels)
        : m_path(std::move(path)), m_array(std::move(array)), m_labels(std::move(labels))
    {
        m_rowShape.assign(m_array.dims.begin() + 1, m_array.dims.end());
        const int64_t rowBytes = checkedByteSize(m_rowShape, dtypeSize(m_array.dtype));
        if (rowBytes < 0) // only possible with zero records
            fail(ErrorCode::Limit, m_path + ": IDX dims " + shapeString(m_array.dims) + " are too large");
        m_rowBytes = size_t(rowBytes);
        m_isImage = m_array.dtype == DType::UInt8 && m_array.dims.size() == 3;
    }

    int64_t size() const override { return m_array.dims[0]; }
    std::string path() const override { return m_path; }
    std::string kind() const override { return "idx"; }

    Record record(int64_t index) const override
    {
        if (index < 0 || index >= size())
            fail(ErrorCode::Invalid, m_path + ": record " + std::to_string(index) + " out of range (0-" +
                                         std::to_string(size() - 1) + ")");
        Record r;
        const char *src = m_array.data.data() + size_t(index) * m_rowBytes;
        if (m_isImage) {
            r.image.height = int(m_rowShape[0]);
            r.image.width = int(m_rowShape[1]);
            r.image.channels = 1;
            r.image.pixels.assign(reinterpret_cast<const uint8_t *>(src),
                                  reinterpret_cast<const uint8_t *>(src) + m_rowBytes);
        } else {
            r.tensor = Tensor(m_array.dtype, m_rowShape);
            if (m_rowBytes > 0)
                std::memcpy(r.tensor.data(), src, m_rowBytes);
        }
        if (!m_labels.empty())
            r.label = m_labels[size_t(index)];
        return r;
    }

private:
    std::string m_path;
    IdxArray m_array;
    std::vector<int64_t> m_labels;
    std::vector<int64_t> m_rowShape;
    size_t m_rowBytes = 0;
    bool m_isImage = false;
};

std::string siblingLabels(const std::string &path)
{
    const std::string name = fileName(path);
    const auto pos = name.find("images-idx3");
    if (pos == std::string::npos)
        return {};
    std::string labels = name;
    labels.replace(pos, 11, "labels-idx1");
    const std::string dir = parentDir(path);
    const std::string candidate = (std::filesystem::path(dir) / labels).string();
    return fileExists(candidate) ? candidate : std::string();
}

} // namespace

bool probeIdx(const std::string &path)
{
    return looksLikeIdx(path);
}

std::unique_ptr<Dataset> openIdx(const std::string &path, const DatasetOptions &options)
{
    IdxArray array = readIdxFile(path);
    if (array.dims.size() < 2)
        fail(ErrorCode::Invalid, path + ": IDX file of dims " + shapeString(array.dims) +
                                     " holds no records (a labels file? open the images file)");
    const std::string labelPath = options.labels.empty() ? siblingLabels(path) : options.labels;
    std::vector<int64_t> labels;
    if (!labelPath.empty()) {
        labels = readLabelFile(labelPath);
        checkLabelCount(path, array.dims[0], labelPath, labels.size());
    }
    return std::make_unique<IdxDataset>(path, std::move(array), std::move(labels));
}

} // namespace qs
