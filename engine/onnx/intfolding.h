#pragma once
// Engine-internal (ONNX protos): evaluation of the small integer tensors of shape computations
// (Shape, Gather, arithmetic, Concat, Slice, Reshape, ...), element by element with partial
// knowledge: a symbolic batch dimension stays unknown while the spatial sizes computed from the
// same Shape output become known. Used only to let shape inference see static shapes.

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace qs::onnxio {

struct IntTensor {
    int32_t type = onnx::TensorProto::INT64; // INT64 or INT32
    std::vector<int64_t> shape;
    std::vector<int64_t> v;
    std::vector<char> known; // per element

    int64_t numel() const { return int64_t(v.size()); }
    bool allKnown() const;
    void toProto(const std::string &name, onnx::TensorProto *t) const;
};

using ShapeMap = std::unordered_map<std::string, std::vector<int64_t>>; // -1 = unknown dim
using IntValues = std::unordered_map<std::string, IntTensor>;

// Evaluates the graph's nodes in order (they must be sorted) from integer initializers,
// Constant nodes and the known input shapes; tensors it cannot evaluate are left out.
IntValues evaluateIntegers(const onnx::GraphProto &graph, const ShapeMap &shapes);

} // namespace qs::onnxio
