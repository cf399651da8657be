#include "quantexport.h"

#include "onnx/onnxexport.h"

#include <filesystem>

namespace qs::cli {

namespace fs = std::filesystem;

ExportPaths exportAll(const std::string &model, const std::string &dir, const Graph &graph,
                      const std::vector<TensorEncoding> *encodings, const QuantizerArgs &args,
                      const std::string &version)
{
    std::error_code ec;
    const bool created = !fs::exists(dir, ec) && fs::create_directories(dir, ec);
    if (ec)
        fail(ErrorCode::Io, dir + ": cannot create folder (" + ec.message() + ")");
    const std::string stem = fs::path(model).stem().string();
    ExportPaths p{(fs::path(dir) / (stem + ".onnx")).string(), {}, {}};
    if (encodings) {
        p.encodings = (fs::path(dir) / (stem + ".encodings")).string();
        p.qdq = (fs::path(dir) / (stem + "_qdq.onnx")).string();
    }
    std::vector<std::string> written;
    try {
        // The QDQ graph is built first: a model it cannot express leaves nothing behind.
        Graph qdq = encodings ? makeQdqGraph(graph, *encodings).take() : Graph();
        exportOnnx(graph, p.onnx).take();
        written.push_back(p.onnx);
        if (encodings) {
            writeEncodingsFile(p.encodings, *encodings, args, version).take();
            written.push_back(p.encodings);
            exportOnnx(qdq, p.qdq).take();
            written.push_back(p.qdq);
        }
    } catch (...) {
        for (const auto &f : written)
            fs::remove(f, ec);
        if (created)
            fs::remove(dir, ec);
        throw;
    }
    return p;
}

nlohmann::json exportJson(const ExportPaths &paths)
{
    if (paths.encodings.empty())
        return {{"onnx", paths.onnx}};
    return {{"onnx", paths.onnx}, {"encodings", paths.encodings}, {"qdq_onnx", paths.qdq}};
}

} // namespace qs::cli
