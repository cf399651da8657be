#include "quant/qdqopset.h"

#include "onnx/onnxexport.h"
#include "onnx/onnximport.h"

#include <onnx/onnx_pb.h>
#include <onnx/version_converter/convert.h>

namespace qs {

Graph upgradeOpset(const Graph &graph, int64_t opset)
{
    if (graph.opsetVersion >= opset)
        return graph;
    const std::string from = std::to_string(graph.opsetVersion);
    const std::string bytes = serializeOnnx(graph).take();
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        fail(ErrorCode::Internal, "cannot re-read the serialized model for the opset upgrade");
    try {
        model = onnx::version_conversion::ConvertVersion(model, int(opset));
    } catch (const std::exception &e) {
        std::string what = e.what();
        what = what.substr(0, what.find('\n'));
        fail(ErrorCode::Unsupported, "opset " + from + " cannot be upgraded to opset " + std::to_string(opset) +
                                         ": " + what);
    }
    // The converter keeps the IR version of the source; opset 13 belongs to IR version 7.
    if (model.ir_version() < 7)
        model.set_ir_version(7);
    std::string upgraded;
    if (!model.SerializeToString(&upgraded))
        fail(ErrorCode::Internal, "protobuf serialization failed after the opset upgrade");
    const std::string name = graph.name.empty() ? std::string("model") : graph.name;
    return importOnnxBytes(upgraded, name + " (opset " + from + " upgraded)", std::string()).take();
}

} // namespace qs
