#include "data/batch.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <thread>

namespace qs {

namespace {

// Preprocesses records into per-record tensors; the first failure (lowest index) wins so that the
// message does not depend on thread timing.
struct Loader {
    Loader(const Dataset &d, const Preprocess &pre, int64_t start, int64_t count)
        : ds(d), p(pre), first(start), tensors(size_t(count)), labels(size_t(count), -1), errors(size_t(count)),
          failed(size_t(count), 0)
    {
    }

    const Dataset &ds;
    const Preprocess &p;
    int64_t first = 0;
    std::vector<Tensor> tensors;
    std::vector<int64_t> labels;
    std::vector<Error> errors;
    std::vector<char> failed;
    std::atomic<int64_t> next{0};

    void run()
    {
        const auto n = int64_t(tensors.size());
        for (int64_t i = next++; i < n; i = next++) {
            try {
                Record r = ds.record(first + i);
                labels[size_t(i)] = r.label;
                tensors[size_t(i)] = applyPreprocess(r, p);
            } catch (...) {
                Error e = errorFromCurrentException("");
                // "<data set>: record N: <cause>", without repeating the data set's path.
                const std::string prefix = ds.path() + ": ";
                const bool named = e.message.rfind(prefix, 0) == 0;
                e.message = prefix + "record " + std::to_string(first + i) + ": " +
                            (named ? e.message.substr(prefix.size()) : e.message);
                errors[size_t(i)] = std::move(e);
                failed[size_t(i)] = 1;
            }
        }
    }
};

} // namespace

Result<Batch> loadBatch(const Dataset &ds, const Preprocess &p, int64_t first, int64_t count, int threads)
{
    const int64_t total = ds.size();
    if (first < 0 || first > total || count < 0)
        return Error{ErrorCode::Usage, ds.path() + ": cannot load " + std::to_string(count) + " records from index " +
                                           std::to_string(first) + " of " + std::to_string(total)};
    count = std::min(count, total - first);
    Loader loader(ds, p, first, count);

    int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    n = int(std::min<int64_t>(n, std::max<int64_t>(count, 1)));
    std::vector<std::thread> pool;
    for (int t = 1; t < n; ++t)
        pool.emplace_back([&loader] { loader.run(); });
    loader.run();
    for (auto &t : pool)
        t.join();

    for (int64_t i = 0; i < count; ++i)
        if (loader.failed[size_t(i)])
            return loader.errors[size_t(i)];

    return capture(ds.path(), [&]() -> Batch {
        Batch batch;
        batch.labels = std::move(loader.labels);
        std::vector<int64_t> rowShape = count > 0 ? loader.tensors[0].shape() : std::vector<int64_t>{};
        std::vector<int64_t> shape{count};
        shape.insert(shape.end(), rowShape.begin(), rowShape.end());
        batch.input = Tensor(DType::Float32, shape);
        const size_t rowBytes = size_t(shapeNumel(rowShape)) * sizeof(float);
        auto *dst = static_cast<uint8_t *>(batch.input.data());
        for (int64_t i = 0; i < count; ++i) {
            const Tensor &t = loader.tensors[size_t(i)];
            if (t.shape() != rowShape)
                fail(ErrorCode::Invalid, "record " + std::to_string(first + i) + " has shape " + shapeString(t.shape()) +
                                             " but record " + std::to_string(first) + " has " + shapeString(rowShape) +
                                             " (set resize_shorter_side and center_crop)");
            std::memcpy(dst + size_t(i) * rowBytes, t.data(), rowBytes);
        }
        return batch;
    });
}

} // namespace qs
