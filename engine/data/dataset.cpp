#include "data/dataset.h"

#include "data/builtindatasets.h"
#include "data/idxfile.h"
#include "data/npy.h"

#include "core/fileutil.h"

#include <cstring>

#include <filesystem>

namespace qs {

void DatasetRegistry::add(std::string kind, Probe probe, Factory factory)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto &e : m_entries) {
        if (e.kind == kind) {
            e.probe = std::move(probe);
            e.factory = std::move(factory);
            return;
        }
    }
    m_entries.push_back({std::move(kind), std::move(probe), std::move(factory)});
}

std::vector<std::string> DatasetRegistry::kinds() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<std::string> out;
    for (const auto &e : m_entries)
        out.push_back(e.kind);
    return out;
}

Result<std::unique_ptr<Dataset>> DatasetRegistry::open(const std::string &path, const DatasetOptions &options) const
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return Error{ErrorCode::Io, path + ": no such file or folder"};
    std::vector<Entry> entries;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        entries = m_entries;
    }
    for (const auto &e : entries) {
        bool accepted = false;
        try {
            accepted = e.probe(path);
        } catch (...) {
            accepted = false; // a probe that cannot read the file simply does not claim it
        }
        if (accepted)
            return capture("", [&] { return e.factory(path, options); });
    }
    std::string known;
    for (const auto &e : entries)
        known += (known.empty() ? "" : ", ") + e.kind;
    return Error{ErrorCode::Format, path + ": not a recognised data set (known kinds: " +
                                        (known.empty() ? std::string("none registered") : known) + ")"};
}

Result<std::unique_ptr<Dataset>> DatasetRegistry::openAs(const std::string &kind, const std::string &path,
                                                         const DatasetOptions &options) const
{
    Factory factory;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &e : m_entries)
            if (e.kind == kind)
                factory = e.factory;
    }
    if (!factory)
        return Error{ErrorCode::Usage, "unknown data-set kind '" + kind + "'"};
    return capture("", [&] { return factory(path, options); });
}

DatasetRegistry &DatasetRegistry::instance()
{
    static DatasetRegistry registry;
    return registry;
}

void registerBuiltinDatasets(DatasetRegistry &registry)
{
    // Magic-number formats first: the CIFAR probe (file size) is the loosest.
    registry.add("npy", probeNpy, openNpy);
    registry.add("idx", probeIdx, openIdx);
    registry.add("cifar", probeCifar, openCifar);
}

void checkLabelCount(const std::string &dataPath, int64_t records, const std::string &labelPath, size_t labels)
{
    if (int64_t(labels) != records)
        fail(ErrorCode::Invalid, dataPath + ": " + std::to_string(records) + " records but " + labelPath +
                                     " holds " + std::to_string(labels) + " labels");
}

std::vector<int64_t> readLabelFile(const std::string &path)
{
    Tensor t;
    if (probeNpy(path)) {
        t = readNpy(path).take();
    } else if (looksLikeIdx(path)) {
        IdxArray a = readIdxFile(path);
        t = Tensor(a.dtype, a.dims);
        if (t.byteSize() > 0)
            std::memcpy(t.data(), a.data.data(), t.byteSize());
    } else {
        if (!fileExists(path))
            fail(ErrorCode::Io, path + ": no such file");
        fail(ErrorCode::Format, path + ": not a labels file (expected an NPY integer array or an IDX labels file)");
    }
    if (t.dtype() == DType::Float32 || t.dtype() == DType::Float64 || t.dtype() == DType::Float16)
        fail(ErrorCode::Invalid, path + ": labels must be integers, found " + dtypeName(t.dtype()));
    const bool column = t.rank() == 2 && t.dim(1) == 1;
    if (t.rank() != 1 && !column)
        fail(ErrorCode::Invalid, path + ": labels must be a 1-D array, found shape " + shapeString(t.shape()));
    return t.toInt64s();
}

} // namespace qs
