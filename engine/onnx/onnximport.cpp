#include "onnx/onnximport.h"

namespace qs {

Result<Graph> importOnnx(const std::string &path, const ImportOptions &)
{
    return Error{ErrorCode::Unsupported, path + ": ONNX import not built yet"};
}

Result<Graph> importOnnxBytes(const std::string &, const std::string &displayName, const std::string &,
                              const ImportOptions &)
{
    return Error{ErrorCode::Unsupported, displayName + ": ONNX import not built yet"};
}

} // namespace qs
