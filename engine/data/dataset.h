#pragma once
// Data sets: indexed, labelled records read on demand from files. Image sources (CIFAR-10 binary,
// IDX images, image folders) fill Record::image; tensor sources (NPY) fill Record::tensor.
// Data-set kinds are registered explicitly with a DatasetRegistry (registerBuiltinDatasets for the
// engine's own kinds; plugins add theirs), never by static self-registration.

#include "core/error.h"
#include "core/tensor.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace qs {

// 8-bit image, rows top to bottom, pixels interleaved (HWC): channels is 3 (RGB) or 1 (gray).
struct Image {
    int width = 0, height = 0, channels = 0;
    std::vector<uint8_t> pixels; // width * height * channels bytes
};

struct Record {
    Image image;       // image sources
    Tensor tensor;     // tensor sources (one row of an NPY array, any dtype)
    int64_t label = -1; // class index, -1 when the source has no labels
};

class Dataset {
public:
    virtual ~Dataset() = default;
    virtual int64_t size() const = 0;
    // Thread-safe: may be called from several threads at once. Throws qs::Exception naming the file.
    virtual Record record(int64_t index) const = 0;
    virtual std::string path() const = 0;
    virtual std::string kind() const = 0; // "cifar", "idx", "npy", "imagefolder"
};

// labels: an IDX labels file, an NPY integer array, or a class list (one class name per line, such as
// ImageNet's wnids.txt) for image folders. Empty: the source's own default.
struct DatasetOptions {
    std::string labels;
};

class DatasetRegistry {
public:
    using Probe = std::function<bool(const std::string &path)>;
    using Factory = std::function<std::unique_ptr<Dataset>(const std::string &path, const DatasetOptions &)>;

    // Kinds are probed in the order they were added; adding a kind again replaces it in place.
    void add(std::string kind, Probe probe, Factory factory);
    // Opens `path` with the first kind whose probe accepts it.
    Result<std::unique_ptr<Dataset>> open(const std::string &path, const DatasetOptions &options) const;
    // Opens `path` as the given kind, skipping the probes.
    Result<std::unique_ptr<Dataset>> openAs(const std::string &kind, const std::string &path,
                                            const DatasetOptions &options) const;
    std::vector<std::string> kinds() const;

    // The process-wide registry (starts empty: call registerBuiltinDatasets and the plugins' register
    // functions on it once at start-up).
    static DatasetRegistry &instance();

private:
    struct Entry {
        std::string kind;
        Probe probe;
        Factory factory;
    };
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
};

void registerBuiltinDatasets(DatasetRegistry &registry); // npy, idx, cifar

// Class labels from a file: an NPY integer array or an IDX labels file (gzip or not), 1-D.
std::vector<int64_t> readLabelFile(const std::string &path);

} // namespace qs
