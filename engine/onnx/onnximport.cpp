#include "onnx/onnximport.h"

#include "core/fileutil.h"
#include "core/limits.h"
#include "core/warnings.h"
#include "onnx/protoconvert.h"
#include "onnx/shapefolding.h"

#include <onnx/checker.h>
#include <onnx/version_converter/convert.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <set>
#include <unordered_set>

namespace qs {

namespace {

std::string firstLine(const std::string &s)
{
    const auto pos = s.find('\n');
    return pos == std::string::npos ? s : s.substr(0, pos);
}

std::string protoNodeLabel(const onnx::NodeProto &node)
{
    std::string id = node.name();
    if (id.empty())
        id = node.output_size() > 0 ? node.output(0) : std::string("?");
    return node.op_type() + " '" + id + "'";
}

std::string typeDescription(const onnx::TypeProto &type)
{
    switch (type.value_case()) {
    case onnx::TypeProto::kTensorType: return "element type " + onnxio::onnxTypeName(type.tensor_type().elem_type());
    case onnx::TypeProto::kSequenceType: return "type sequence";
    case onnx::TypeProto::kMapType: return "type map";
    case onnx::TypeProto::kOptionalType: return "type optional";
    case onnx::TypeProto::kSparseTensorType: return "type sparse tensor";
    default: return "no type";
    }
}

// Infers the kind of an attribute written without a type (IR version 1).
onnx::AttributeProto::AttributeType attributeType(const onnx::AttributeProto &a)
{
    if (a.type() != onnx::AttributeProto::UNDEFINED)
        return a.type();
    if (a.has_f()) return onnx::AttributeProto::FLOAT;
    if (a.has_i()) return onnx::AttributeProto::INT;
    if (a.has_s()) return onnx::AttributeProto::STRING;
    if (a.has_t()) return onnx::AttributeProto::TENSOR;
    if (a.has_g()) return onnx::AttributeProto::GRAPH;
    if (a.floats_size()) return onnx::AttributeProto::FLOATS;
    if (a.ints_size()) return onnx::AttributeProto::INTS;
    if (a.strings_size()) return onnx::AttributeProto::STRINGS;
    if (a.graphs_size()) return onnx::AttributeProto::GRAPHS;
    return onnx::AttributeProto::UNDEFINED;
}

Attribute convertAttribute(onnx::AttributeProto &a, const std::string &label)
{
    using AP = onnx::AttributeProto;
    const std::string what = "attribute '" + a.name() + "' of " + label;
    switch (attributeType(a)) {
    case AP::FLOAT: return Attribute::ofFloat(a.f());
    case AP::INT: return Attribute::ofInt(a.i());
    case AP::STRING: return Attribute::ofString(a.s());
    case AP::TENSOR: return Attribute::ofTensor(onnxio::tensorFromProto(*a.mutable_t(), what));
    case AP::FLOATS: return Attribute::ofFloats({a.floats().begin(), a.floats().end()});
    case AP::INTS: return Attribute::ofInts({a.ints().begin(), a.ints().end()});
    case AP::STRINGS: {
        Attribute out;
        out.kind = Attribute::Kind::Strings;
        out.strings.assign(a.strings().begin(), a.strings().end());
        return out;
    }
    default:
        fail(ErrorCode::Unsupported, what + " has an unsupported attribute type (" +
                                         AP::AttributeType_Name(a.type()) + ")");
    }
}

class Importer {
public:
    Importer(const std::string &name, const std::string &baseDir, const ImportOptions &options)
        : m_name(name)
    {
        const bool needEnv = options.maxMemoryBytes < 0 || options.maxInitializerBytes < 0;
        const int64_t dflt = needEnv ? memoryLimitFromEnvironment().take() : kDefaultMemoryLimit;
        m_maxMemory = options.maxMemoryBytes < 0 ? dflt : options.maxMemoryBytes;
        m_budget.maxBytes = options.maxInitializerBytes < 0 ? dflt : options.maxInitializerBytes;
        m_budget.baseDir = baseDir;
    }

    Graph run(const std::string &bytes)
    {
        parse(bytes);
        checkOpset();
        validateTensors();
        sortNodes();
        runChecker();
        upgradeOpset();
        inferShapes();
        checkMemory();
        buildGraph();
        warnNonFinite();
        return std::move(m_graph);
    }

private:
    void parse(const std::string &bytes);
    void checkOpset();
    void validateTensors();
    void sortNodes();
    void runChecker();
    void upgradeOpset();
    void inferShapes();
    void checkMemory();
    void buildGraph();
    void warnNonFinite() const;
    void readValueInfos();
    [[noreturn]] void failHere(ErrorCode code, const std::string &cause) const { fail(code, m_name + ": " + cause); }

    std::string m_name;
    int64_t m_maxMemory = kDefaultMemoryLimit;
    onnxio::TensorBudget m_budget;
    onnx::ModelProto m_model;
    onnx::GraphProto m_shapes; // inputs, outputs and value_info after shape inference
    std::set<std::string> m_initNames;
    Graph m_graph;
};

void Importer::parse(const std::string &bytes)
{
    if (bytes.empty())
        failHere(ErrorCode::Format, "empty file");
    if (bytes.size() > size_t(INT_MAX))
        failHere(ErrorCode::Limit, "the model is larger than protobuf's 2 GB limit (weights must be external data)");
    if (!m_model.ParseFromString(bytes))
        failHere(ErrorCode::Format, "not an ONNX model (protobuf parse failed)");
    if (!m_model.has_graph())
        failHere(ErrorCode::Format, "not an ONNX model (no graph)");
}

void Importer::checkOpset()
{
    int64_t version = m_model.opset_import_size() == 0 ? 1 : -1; // IR version < 3 implies opset 1
    for (const auto &op : m_model.opset_import())
        if (op.domain().empty() || op.domain() == "ai.onnx")
            version = op.version();
    if (version < 0)
        failHere(ErrorCode::Unsupported, "the model imports no opset of domain ai.onnx");
    if (version < kOldestUpgradableOpset || version > kMaxImportOpset)
        failHere(ErrorCode::Unsupported, "opset " + std::to_string(version) + " of domain ai.onnx is not supported (" +
                                             std::to_string(kOldestUpgradableOpset) + "-" +
                                             std::to_string(kMaxImportOpset) + ")");
    m_graph.opsetVersion = version;
}

void Importer::upgradeOpset()
{
    if (m_graph.opsetVersion >= kMinImportOpset)
        return;
    const int64_t from = m_graph.opsetVersion;
    try {
        m_model = onnx::version_conversion::ConvertVersion(m_model, int(kMinImportOpset));
    } catch (const std::exception &e) {
        failHere(ErrorCode::Unsupported, "opset " + std::to_string(from) + " cannot be upgraded to opset " +
                                             std::to_string(kMinImportOpset) + ": " + firstLine(e.what()));
    }
    m_graph.opsetVersion = kMinImportOpset;
}

// Sizes, types and external files of every tensor, checked before any tensor is allocated, and
// the features the project rejects whatever the checker says (subgraphs, negative dims).
void Importer::validateTensors()
{
    onnx::GraphProto &g = *m_model.mutable_graph();
    for (auto &init : *g.mutable_initializer()) {
        const std::string what = "initializer '" + init.name() + "'";
        if (!m_initNames.insert(init.name()).second)
            failHere(ErrorCode::Invalid, what + " is defined twice");
        onnxio::validateTensor(init, what, m_budget);
    }
    for (auto &node : *g.mutable_node())
        for (auto &attr : *node.mutable_attribute()) {
            const auto type = attributeType(attr);
            if (type == onnx::AttributeProto::GRAPH || type == onnx::AttributeProto::GRAPHS)
                failHere(ErrorCode::Unsupported, protoNodeLabel(node) + " has the subgraph attribute '" + attr.name() +
                                                     "'; control flow with subgraphs (If, Loop, Scan) is not supported");
            if (attr.has_t())
                onnxio::validateTensor(*attr.mutable_t(),
                                       "attribute '" + attr.name() + "' of " + protoNodeLabel(node), m_budget);
        }
    auto checkDims = [&](const onnx::ValueInfoProto &vp, const std::string &role) {
        for (const auto &dim : vp.type().tensor_type().shape().dim())
            if (dim.has_dim_value() && dim.dim_value() < 0)
                failHere(ErrorCode::Invalid, role + " '" + vp.name() + "' has negative dimension " +
                                                 std::to_string(dim.dim_value()) + " in its shape");
    };
    for (const auto &in : g.input())
        checkDims(in, "graph input");
    for (const auto &out : g.output())
        checkDims(out, "graph output");
}

// Orders the proto's nodes topologically (the checker and shape inference require it), with
// the graph's own sort reporting cycles, dangling inputs and duplicate outputs.
void Importer::sortNodes()
{
    const onnx::GraphProto &g = m_model.graph();
    auto named = [](const std::string &name) {
        ValueInfo vi;
        vi.name = name;
        return vi;
    };
    Graph light;
    for (const auto &in : g.input())
        if (!m_initNames.count(in.name()))
            light.inputs.push_back(named(in.name()));
    for (const auto &out : g.output())
        light.outputs.push_back(named(out.name()));
    for (const auto &name : m_initNames)
        light.initializers.emplace(name, Tensor());
    for (const auto &np : g.node()) {
        Node n;
        n.name = np.name();
        n.opType = np.op_type();
        n.inputs.assign(np.input().begin(), np.input().end());
        n.outputs.assign(np.output().begin(), np.output().end());
        light.nodes.push_back(std::move(n));
    }
    // The sort depends on inputs and outputs only: a copy named by index yields the permutation.
    Graph indexed = light;
    for (size_t i = 0; i < indexed.nodes.size(); ++i)
        indexed.nodes[i].name = std::to_string(i);
    try {
        sortTopologically(light);
        sortTopologically(indexed);
        google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
        for (const auto &n : indexed.nodes)
            *sorted.Add() = std::move(*m_model.mutable_graph()->mutable_node(std::stoi(n.name)));
        m_model.mutable_graph()->mutable_node()->Swap(&sorted);
    } catch (const Exception &e) {
        failHere(e.error().code, e.error().message);
    }
}

void Importer::runChecker()
{
    // Newer ONNX releases stamp their latest IR version on models of any opset; the IR versions
    // after libonnx's only add element types the importer refuses anyway.
    if (m_model.ir_version() > onnx::IR_VERSION)
        m_model.set_ir_version(onnx::IR_VERSION);
    try {
        onnx::checker::check_model(m_model);
    } catch (const std::exception &e) {
        failHere(ErrorCode::Invalid, "the ONNX checker rejected the model: " + firstLine(e.what()));
    }
}

void Importer::inferShapes()
{
    m_shapes = onnxio::inferShapesWithFolding(m_model);
}

// Bytes of one sample of a computed tensor (unknown dims count as 1), saturating at INT64_MAX.
int64_t activationBytes(const onnx::ValueInfoProto &vp)
{
    const auto &tt = vp.type().tensor_type();
    const DType dtype = onnxio::dtypeFromOnnx(tt.elem_type());
    if (!vp.type().has_tensor_type() || !tt.has_shape() || dtype == DType::Undefined)
        return 0;
    int64_t bytes = int64_t(dtypeSize(dtype));
    for (const auto &dim : tt.shape().dim()) {
        const int64_t d = dim.has_dim_value() && dim.dim_value() >= 0 ? dim.dim_value() : 1;
        if (d == 0)
            return 0;
        if (bytes > INT64_MAX / d)
            return INT64_MAX;
        bytes *= d;
    }
    return bytes;
}

// Refuses, before anything is allocated, a model whose weights plus the activations of one sample
// exceed the memory budget: declared shapes can promise far more than the machine has.
void Importer::checkMemory()
{
    std::unordered_set<std::string> seen(m_initNames.begin(), m_initNames.end());
    int64_t activations = 0;
    auto add = [&](const onnx::ValueInfoProto &vp) {
        if (seen.insert(vp.name()).second)
            activations = std::min(INT64_MAX - activations, activationBytes(vp)) + activations;
    };
    for (const auto &vp : m_shapes.input())
        add(vp);
    for (const auto &vp : m_shapes.value_info())
        add(vp);
    for (const auto &vp : m_shapes.output())
        add(vp);
    const int64_t weights = m_budget.usedBytes;
    if (activations <= m_maxMemory - weights)
        return;
    const std::string total = activations > INT64_MAX - weights ? std::string("more than 2^63")
                                                                 : std::to_string(weights + activations);
    failHere(ErrorCode::Limit, "the initializers (" + std::to_string(weights) + " bytes) and the activations of one "
                               "sample (" + std::to_string(activations) + " bytes) need " + total +
                               " bytes, more than the limit of " + std::to_string(m_maxMemory) + " bytes");
}

void Importer::readValueInfos()
{
    const onnx::GraphProto &g = m_shapes;
    auto read = [&](const onnx::ValueInfoProto &vp, const std::string &role) {
        ValueInfo vi;
        const std::string what = role + " '" + vp.name() + "'";
        if (!onnxio::valueInfoFromProto(vp, what, vi))
            failHere(ErrorCode::Unsupported, what + " has unsupported " + typeDescription(vp.type()));
        return vi;
    };
    for (const auto &in : g.input())
        if (!m_initNames.count(in.name()))
            m_graph.inputs.push_back(read(in, "graph input"));
    for (const auto &out : g.output())
        m_graph.outputs.push_back(read(out, "graph output"));
    for (const auto &vp : g.value_info()) {
        ValueInfo vi;
        if (onnxio::valueInfoFromProto(vp, "value '" + vp.name() + "'", vi))
            m_graph.valueInfo[vi.name] = std::move(vi);
    }
}

void Importer::buildGraph()
{
    onnx::GraphProto &g = *m_model.mutable_graph();
    m_graph.name = g.name();
    m_graph.producerName = m_model.producer_name();
    readValueInfos();
    for (auto &np : *g.mutable_node()) {
        Node n;
        n.name = np.name();
        n.opType = np.op_type();
        n.domain = np.domain() == "ai.onnx" ? std::string() : np.domain();
        n.inputs.assign(np.input().begin(), np.input().end());
        n.outputs.assign(np.output().begin(), np.output().end());
        const std::string label = protoNodeLabel(np);
        for (auto &attr : *np.mutable_attribute())
            n.attributes[attr.name()] = convertAttribute(attr, label);
        m_graph.nodes.push_back(std::move(n));
    }
    for (auto &init : *g.mutable_initializer()) {
        const std::string what = "initializer '" + init.name() + "'";
        m_graph.initializers[init.name()] = onnxio::tensorFromProto(init, what, true);
    }
}

// NaN or infinite weights make a model's outputs meaningless but not its structure: the import
// goes on (info, export and editing still work) and says which tensors hold them.
void Importer::warnNonFinite() const
{
    for (const auto &kv : m_graph.initializers) {
        const Tensor &t = kv.second;
        int64_t nan = 0, inf = 0;
        auto count = [&](auto *p) {
            for (int64_t i = 0; i < t.numel(); ++i) {
                nan += std::isnan(p[i]);
                inf += std::isinf(p[i]);
            }
        };
        if (t.dtype() == DType::Float32)
            count(t.dataAs<float>());
        else if (t.dtype() == DType::Float64)
            count(t.dataAs<double>());
        if (nan + inf > 0)
            warn(m_name + ": initializer '" + kv.first + "' holds " + std::to_string(nan) + " NaN and " +
                 std::to_string(inf) + " infinite values");
    }
}

} // namespace

Result<Graph> importOnnxBytes(const std::string &bytes, const std::string &displayName, const std::string &baseDir,
                              const ImportOptions &options)
{
    return capture(displayName, [&]() -> Graph { return Importer(displayName, baseDir, options).run(bytes); });
}

Result<Graph> importOnnx(const std::string &path, const ImportOptions &options)
{
    return capture(path, [&]() -> Graph {
        const std::string bytes = readFileBytes(path, size_t(INT_MAX) + 1);
        return Importer(path, parentDir(path), options).run(bytes);
    });
}

Result<OnnxOutline> readOnnxOutline(const std::string &path)
{
    return capture(path, [&]() -> OnnxOutline {
        const std::string bytes = readFileBytes(path, size_t(INT_MAX));
        onnx::ModelProto model;
        if (bytes.empty())
            fail(ErrorCode::Format, path + ": empty file");
        if (!model.ParseFromString(bytes) || !model.has_graph())
            fail(ErrorCode::Format, path + ": not an ONNX model (protobuf parse failed)");
        OnnxOutline outline;
        for (const auto &op : model.opset_import())
            if (op.domain().empty() || op.domain() == "ai.onnx")
                outline.opsetVersion = op.version();
        for (const auto &node : model.graph().node())
            outline.opTypes.push_back(node.domain().empty() || node.domain() == "ai.onnx"
                                          ? node.op_type()
                                          : node.domain() + "." + node.op_type());
        auto supported = [](const onnx::ValueInfoProto &vi) {
            return vi.type().has_tensor_type() &&
                   onnxio::dtypeFromOnnx(vi.type().tensor_type().elem_type()) != DType::Undefined;
        };
        for (const auto &vi : model.graph().input())
            outline.tensorTypesSupported = outline.tensorTypesSupported && supported(vi);
        for (const auto &vi : model.graph().output())
            outline.tensorTypesSupported = outline.tensorTypesSupported && supported(vi);
        return outline;
    });
}

} // namespace qs
