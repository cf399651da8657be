#pragma once
// The project's own model IR. Nodes are kept in topological order (the importer sorts them and
// rejects cycles). Tensor names are unique; an empty input name means "optional input omitted".
// A Graph is a value: algorithms copy it, edit the copy and return it.

#include "core/tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct Attribute {
    enum class Kind { Float, Int, String, Tensor, Floats, Ints, Strings, Graph };
    Kind kind = Kind::Int;
    float f = 0.f;
    int64_t i = 0;
    std::string s;
    qs::Tensor t;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;

    static Attribute ofInt(int64_t v);
    static Attribute ofFloat(float v);
    static Attribute ofString(std::string v);
    static Attribute ofInts(std::vector<int64_t> v);
    static Attribute ofFloats(std::vector<float> v);
    static Attribute ofTensor(qs::Tensor v);
};

struct Node {
    std::string name;
    std::string opType;
    std::string domain; // "" = ai.onnx
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    std::map<std::string, Attribute> attributes;

    bool has(const std::string &attr) const { return attributes.count(attr) != 0; }
    int64_t attrInt(const std::string &attr, int64_t dflt) const;
    float attrFloat(const std::string &attr, float dflt) const;
    std::string attrString(const std::string &attr, const std::string &dflt) const;
    std::vector<int64_t> attrInts(const std::string &attr, const std::vector<int64_t> &dflt = {}) const;
    std::vector<float> attrFloats(const std::string &attr, const std::vector<float> &dflt = {}) const;
    // Present and non-empty input i.
    bool hasInput(size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
    // "Conv 'conv1'" style label for messages.
    std::string label() const;
};

struct ValueInfo {
    std::string name;
    DType dtype = DType::Float32;
    std::vector<int64_t> shape;          // -1 where unknown or symbolic
    std::vector<std::string> dimParams;  // symbolic names ("N"), "" where numeric or unknown
    bool hasShape = false;
};

struct Graph {
    std::string name;
    int64_t opsetVersion = 13;
    std::string producerName;
    std::vector<Node> nodes;
    std::map<std::string, Tensor> initializers;
    std::vector<ValueInfo> inputs;  // graph inputs that are not initializers
    std::vector<ValueInfo> outputs;
    std::map<std::string, ValueInfo> valueInfo; // shapes of intermediate tensors, after inference

    const Tensor *initializer(const std::string &name) const;
    const ValueInfo *info(const std::string &name) const; // inputs, outputs or valueInfo
    // Index of the node producing `tensor`, or -1.
    int producerIndex(const std::string &tensor) const;
    // Indices of nodes consuming `tensor`.
    std::vector<int> consumerIndices(const std::string &tensor) const;
    std::map<std::string, int> opHistogram() const;
    int64_t parameterCount() const; // elements in float initializers
};

// Sorts nodes topologically; throws qs::Exception (Invalid) naming a node on a cycle or a
// node input that nothing produces.
void sortTopologically(Graph &graph);

} // namespace qs
