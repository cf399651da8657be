#include "cliargs.h"
#include "commands.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "data/npy.h"
#include "data/preprocess.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace qs::cli {

// The preprocessed records K..K+N-1 as X.npy (float32, N x C x H x W) and Y.npy (int64 labels),
// so other runtimes can be evaluated on exactly the same tensors.
int cmdExportData(const Argv &argv)
{
    const Args args(argv, {{"data"}, {"labels"}, {"preprocess"}, {"offset"}, {"limit"}, {"out-x"}, {"out-y"},
                           {"threads"}, {"json", false}});
    const std::string path = args.model();
    const auto dataPath = args.value("data");
    const auto outX = args.value("out-x");
    const auto outY = args.value("out-y");
    if (!dataPath)
        throw UsageError("missing --data PATH");
    if (!outX || !outY)
        throw UsageError("missing --out-x X.npy or --out-y Y.npy");
    const int threads = applyThreads(args.intValue("threads", 0, 0, 1024));
    const Graph graph = importOnnx(path).take();
    const DataSpec spec = openDataSpec(args, *dataPath);
    const auto &data = spec.data;
    const Preprocess &pre = spec.preprocess;
    const int64_t offset = args.intValue("offset", 0, 0, INT64_MAX);
    if (offset > data->size())
        fail(ErrorCode::Invalid, *dataPath + ": offset " + std::to_string(offset) + " is outside the data set of " +
                                     std::to_string(data->size()) + " records");
    const int64_t limit = args.intValue("limit", data->size() - offset, 0, INT64_MAX);
    Batch b = loadBatch(*data, pre, offset, std::min(limit, data->size() - offset), threads).take();

    const ValueInfo &in = graph.inputs.at(0);
    bool shapeOk = in.shape.size() == b.input.rank();
    for (size_t d = 1; shapeOk && d < in.shape.size(); ++d)
        shapeOk = in.shape[d] < 0 || in.shape[d] == b.input.dim(d);
    if (!shapeOk)
        fail(ErrorCode::Invalid, *dataPath + ": preprocessed records of shape " + shapeString(b.input.shape()) +
                                     " do not fit input '" + in.name + "' of " + path + " " + shapeString(in.shape));
    writeNpy(*outX, b.input).take();
    Result<void> y = writeNpy(*outY, Tensor::fromInt64s({int64_t(b.labels.size())}, b.labels));
    if (!y.ok()) {
        std::error_code ec;
        std::filesystem::remove(*outX, ec);
        std::move(y).take();
    }
    if (args.flag("json"))
        std::cout << nlohmann::json{{"x", *outX}, {"y", *outY}, {"samples", b.labels.size()},
                                    {"shape", b.input.shape()}}.dump(1)
                  << "\n";
    return 0;
}

} // namespace qs::cli
