#include "cliargs.h"
#include "commands.h"

#include "core/fileutil.h"
#include "data/npy.h"
#include "onnx/onnximport.h"
#include "runtime/executor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <set>

namespace qs::cli {

namespace {

std::string sanitize(const std::string &name)
{
    std::string out = name;
    for (char &c : out)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
            c = '_';
    if (out.empty() || out == "." || out == "..")
        out = "_" + out;
    return out;
}

TensorMap readInputs(const Args &args, const Graph &graph)
{
    TensorMap inputs;
    for (const std::string &spec : args.values("input")) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
            throw UsageError("--input needs NAME=FILE.npy, got '" + spec + "'");
        const std::string name = spec.substr(0, eq);
        const std::string file = spec.substr(eq + 1);
        const ValueInfo *vi = nullptr;
        for (const auto &in : graph.inputs)
            if (in.name == name)
                vi = &in;
        if (!vi)
            throw UsageError("the model has no input named '" + name + "'");
        Tensor t = readNpy(file).take();
        if (t.dtype() != vi->dtype)
            fail(ErrorCode::Invalid, file + ": dtype " + dtypeName(t.dtype()) + " does not match input '" + name +
                                         "' of dtype " + dtypeName(vi->dtype));
        bool shapeOk = !vi->hasShape || t.rank() == vi->shape.size();
        for (size_t d = 0; shapeOk && vi->hasShape && d < t.rank(); ++d)
            shapeOk = vi->shape[d] < 0 || vi->shape[d] == t.dim(d);
        if (!shapeOk)
            fail(ErrorCode::Invalid, file + ": shape " + shapeString(t.shape()) + " does not match input '" + name +
                                         "' of shape " + shapeString(vi->shape) + " (-1 = any)");
        inputs[name] = std::move(t);
    }
    if (graph.inputs.size() == 1 && inputs.empty())
        throw UsageError("missing --input " + graph.inputs[0].name + "=FILE.npy");
    for (const auto &in : graph.inputs)
        if (!inputs.count(in.name))
            throw UsageError("missing --input " + in.name + "=FILE.npy");
    return inputs;
}

} // namespace

int cmdRun(const Argv &argv)
{
    const Args args(argv, {{"input", true, true}, {"output-dir"}, {"all-tensors", false}, {"threads"}, {"json", false}});
    const std::string path = args.model();
    const auto outDir = args.value("output-dir");
    if (!outDir)
        throw UsageError("missing --output-dir DIR");
    applyThreads(args.intValue("threads", 0, 0, 1024));
    Graph graph = importOnnx(path).take();
    auto executor = createExecutor(path, graph); // model errors before input errors
    const TensorMap inputs = readInputs(args, graph);
    Result<TensorMap> result = executor->run(inputs, args.flag("all-tensors"));
    if (!result.ok())
        fail(result.error().code, path + ": " + result.error().message);
    const TensorMap &outputs = result.value();

    // Compute everything first; only then create the folder and write, so a failed run leaves nothing.
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool created = !fs::exists(*outDir, ec) && fs::create_directories(*outDir, ec);
    if (ec)
        fail(ErrorCode::Io, *outDir + ": cannot create folder (" + ec.message() + ")");
    std::vector<std::string> written;
    std::set<std::string> used;
    try {
        for (const auto &kv : outputs) {
            std::string file = sanitize(kv.first);
            while (!used.insert(file).second)
                file += "_";
            const std::string full = (fs::path(*outDir) / (file + ".npy")).string();
            writeNpy(full, kv.second).take();
            written.push_back(full);
        }
    } catch (...) {
        for (const auto &f : written)
            fs::remove(f, ec);
        if (created)
            fs::remove(*outDir, ec);
        throw;
    }
    if (args.flag("json")) {
        nlohmann::json files = nlohmann::json::object();
        size_t i = 0;
        for (const auto &kv : outputs)
            files[kv.first] = written[i++];
        std::cout << nlohmann::json{{"outputs", files}}.dump(1) << "\n";
    } else {
        for (const auto &f : written)
            std::cout << f << "\n";
    }
    return 0;
}

} // namespace qs::cli
