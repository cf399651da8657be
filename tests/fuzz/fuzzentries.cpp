#include "fuzzentries.h"

#include "core/error.h"
#include "core/warnings.h"
#include "data/builtindatasets.h"
#include "data/idxfile.h"
#include "data/npy.h"
#include "graph/costmodel.h"
#include "onnx/onnximport.h"
#include "quant/quantconfig.h"
#include "session/session.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

namespace qs::fuzz {

namespace {

// Limits that keep one execution small; the readers must refuse bigger declarations cleanly.
constexpr int64_t kMemoryLimit = int64_t(64) << 20;
constexpr int64_t kMaxRecords = 64;

// An in-memory file rewritten for every input; readers open it by path like any user file.
class ScratchFile {
public:
    ScratchFile()
    {
        m_fd = memfd_create("qsfuzz", 0);
        if (m_fd < 0)
            std::abort();
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    const std::string &write(const std::string &bytes)
    {
        if (ftruncate(m_fd, 0) != 0 || pwrite(m_fd, bytes.data(), bytes.size(), 0) != ssize_t(bytes.size()))
            std::abort();
        return m_path;
    }

private:
    int m_fd = -1;
    std::string m_path;
};

const std::string &scratch(const std::string &bytes)
{
    static ScratchFile file;
    return file.write(bytes);
}

std::string withoutPath(std::string message, const std::string &path)
{
    for (size_t pos = message.find(path); pos != std::string::npos; pos = message.find(path, pos))
        message.replace(pos, path.size(), "INPUT");
    return message;
}

template <typename F>
std::string outcome(const std::string &path, F &&fn)
{
    Result<std::string> r = capture("", fn);
    return r.ok() ? "ok: " + r.value() : withoutPath(r.error().message, path);
}

// Conv -> Relu on x[1,2,4,4], for the config target to place quantizers on.
Graph smallConvGraph()
{
    Graph g;
    g.opsetVersion = 13;
    g.inputs.push_back({"x", DType::Float32, {1, 2, 4, 4}, {"", "", "", ""}, true});
    g.outputs.push_back({"y", DType::Float32, {1, 3, 4, 4}, {"", "", "", ""}, true});
    g.initializers["w"] = Tensor(DType::Float32, {3, 2, 1, 1});
    g.initializers["b"] = Tensor(DType::Float32, {3});
    Node conv;
    conv.name = "conv";
    conv.opType = "Conv";
    conv.inputs = {"x", "w", "b"};
    conv.outputs = {"c"};
    Node relu;
    relu.name = "relu";
    relu.opType = "Relu";
    relu.inputs = {"c"};
    relu.outputs = {"y"};
    g.nodes = {conv, relu};
    return g;
}

std::string readRecords(const Dataset &data)
{
    const int64_t n = data.size();
    int64_t labelled = 0;
    for (int64_t i = 0; i < std::min(n, kMaxRecords); ++i)
        labelled += data.record(i).label >= 0;
    return std::to_string(n) + " records, " + std::to_string(labelled) + " labelled";
}

} // namespace

std::string onnxModel(const std::string &bytes)
{
    static const bool quiet = [] { // NaN weights are warned about; the fuzzer makes many
        setWarningSink([](const std::string &) {});
        return true;
    }();
    (void)quiet;
    ImportOptions options;
    options.maxInitializerBytes = kMemoryLimit;
    options.maxMemoryBytes = kMemoryLimit;
    Result<Graph> graph = importOnnxBytes(bytes, "model.onnx", "", options);
    if (!graph.ok())
        return graph.error().message;
    const ModelCost cost = computeCost(*graph);
    auto quantizers = placeQuantizers(*graph, defaultQuantsimConfig(), {});
    return "ok: " + std::to_string(graph->nodes.size()) + " nodes, " + std::to_string(cost.params) + " params, " +
           (quantizers.ok() ? std::to_string(quantizers->size()) + " quantizers" : quantizers.error().message);
}

std::string quantsimConfig(const std::string &bytes)
{
    Result<QuantsimConfig> config = parseQuantsimConfig(bytes, "config.json");
    if (!config.ok())
        return config.error().message;
    QuantOptions options;
    auto quantizers = placeQuantizers(smallConvGraph(), *config, options);
    if (!quantizers.ok())
        return quantizers.error().message;
    int enabled = 0;
    for (const auto &q : *quantizers)
        enabled += q.enabled;
    return "ok: " + std::to_string(quantizers->size()) + " quantizers, " + std::to_string(enabled) + " enabled";
}

std::string npyFile(const std::string &bytes)
{
    const std::string &path = scratch(bytes);
    return outcome(path, [&] {
        const Tensor t = readNpy(path).take();
        std::string summary = std::string(dtypeName(t.dtype())) + " " + shapeString(t.shape());
        if (t.rank() > 0) // also as a data set, read row by row
            summary += ", " + readRecords(*openNpy(path, {}));
        return summary;
    });
}

std::string cifarFile(const std::string &bytes)
{
    const std::string &path = scratch(bytes);
    return outcome(path, [&] { return readRecords(*openCifar(path, {})); });
}

std::string idxFile(const std::string &bytes)
{
    const std::string &path = scratch(bytes);
    return outcome(path, [&] {
        const IdxArray array = readIdxFile(path);
        return std::string(dtypeName(array.dtype)) + " " + shapeString(array.dims) + ", " +
               readRecords(*openIdx(path, {}));
    });
}

std::string sessionFile(const std::string &bytes)
{
    const std::string &path = scratch(bytes);
    return outcome(path, [&] {
        const Session s = readSession(path).take();
        // What was read must write back and read again to the same document.
        const nlohmann::json written = sessionToJson(s);
        const Session again = sessionFromJson(written, "rewritten").take();
        if (sessionToJson(again) != written)
            fail(ErrorCode::Internal, "session changes when written and read back");
        return std::to_string(s.results.size()) + " results, " + std::to_string(s.sensitivity.size()) +
               " sensitivity rows";
    });
}

const std::vector<Target> &targets()
{
    static const std::vector<Target> all = {{"onnx", onnxModel},   {"quantconfig", quantsimConfig},
                                            {"npy", npyFile},      {"cifar", cifarFile},
                                            {"idx", idxFile},      {"session", sessionFile}};
    return all;
}

const Target *findTarget(const std::string &name)
{
    for (const auto &t : targets())
        if (name == t.name)
            return &t;
    return nullptr;
}

} // namespace qs::fuzz
