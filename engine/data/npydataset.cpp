// NPY data sets: an N x ... array, one row per record, read on demand; labels from an integer array
// given in DatasetOptions::labels (or none: label -1).

#include "data/builtindatasets.h"
#include "core/limits.h"
#include "data/npy.h"
#include "data/randomaccessfile.h"

#include <filesystem>
#include <fstream>

namespace qs {

namespace {

class NpyDataset : public Dataset {
public:
    NpyDataset(const std::string &path, std::vector<int64_t> labels) : m_file(path), m_labels(std::move(labels))
    {
        m_header = readNpyHeader(path);
        if (m_header.shape.empty())
            fail(ErrorCode::Invalid, path + ": an NPY data set needs an array of rank 1 or more (N x ...), found a scalar");
        m_rowShape.assign(m_header.shape.begin() + 1, m_header.shape.end());
        const int64_t rowBytes = checkedByteSize(m_rowShape, dtypeSize(m_header.dtype));
        if (rowBytes < 0) // only possible with zero records
            fail(ErrorCode::Limit, path + ": NPY shape " + shapeString(m_header.shape) + " is too large");
        m_rowBytes = size_t(rowBytes);
        const uint64_t need = m_header.dataOffset + uint64_t(m_header.shape[0]) * m_rowBytes;
        if (m_file.size() < need)
            fail(ErrorCode::Format, path + ": NPY data is truncated (shape " + shapeString(m_header.shape) +
                                        " needs " + std::to_string(need - m_header.dataOffset) +
                                        " bytes, file holds " + std::to_string(m_file.size() - m_header.dataOffset) + ")");
    }

    int64_t size() const override { return m_header.shape[0]; }
    std::string path() const override { return m_file.path(); }
    std::string kind() const override { return "npy"; }

    Record record(int64_t index) const override
    {
        if (index < 0 || index >= size())
            fail(ErrorCode::Invalid, m_file.path() + ": record " + std::to_string(index) + " out of range (0-" +
                                         std::to_string(size() - 1) + ")");
        Record r;
        r.tensor = Tensor(m_header.dtype, m_rowShape);
        m_file.readAt(m_header.dataOffset + uint64_t(index) * m_rowBytes, r.tensor.data(), m_rowBytes);
        if (m_header.bigEndian)
            swapByteOrder(r.tensor.data(), dtypeSize(m_header.dtype), size_t(r.tensor.numel()));
        if (!m_labels.empty())
            r.label = m_labels[size_t(index)];
        return r;
    }

    const std::vector<int64_t> &labels() const { return m_labels; }

private:
    RandomAccessFile m_file;
    NpyHeader m_header;
    std::vector<int64_t> m_rowShape;
    size_t m_rowBytes = 0;
    std::vector<int64_t> m_labels;
};

} // namespace

bool probeNpy(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    std::ifstream in(path, std::ios::binary);
    char magic[6] = {};
    in.read(magic, 6);
    return in.gcount() == 6 && std::string(magic, 6) == "\x93NUMPY";
}

std::unique_ptr<Dataset> openNpy(const std::string &path, const DatasetOptions &options)
{
    std::vector<int64_t> labels;
    if (!options.labels.empty())
        labels = readLabelFile(options.labels);
    auto ds = std::make_unique<NpyDataset>(path, std::move(labels));
    if (!options.labels.empty())
        checkLabelCount(path, ds->size(), options.labels, ds->labels().size());
    return ds;
}

} // namespace qs
