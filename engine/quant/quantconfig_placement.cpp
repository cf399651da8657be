// Quantizer placement: which tensors of a Graph get quantizers, then AIMET's six configuration
// levels in AIMET's order (defaults, params, op_type, supergroups, model_input, model_output)
// and the per-op per-channel choice (aimet_onnx quantsim.py / quantsim_config.py).

#include "quant/quantconfig.h"

#include <algorithm>
#include <map>
#include <set>

namespace qs {

namespace {

// Ops whose outputs get no quantizer: they move or select values without changing them
// (aimet_onnx's op_outputs_to_ignore).
const std::set<std::string> kUnquantizedOutputOps = {"Flatten", "Gather", "Reshape", "Shape", "Unsqueeze",
                                                     "Squeeze", "Split", "Compress", "Tile", "Transpose",
                                                     "Identity"};

// Inputs that are settings rather than data (Clip bounds, pad values, resize scales, ...): float
// initializers there are not parameters, and float activations there are not quantized.
bool isSettingInput(const std::string &op, size_t index)
{
    static const std::map<std::string, std::set<size_t>> kSettings = {
        {"Clip", {1, 2}},           {"Pad", {1, 2, 3}},         {"Resize", {1, 2, 3}},
        {"Upsample", {1}},          {"Dropout", {1, 2}},        {"Range", {0, 1, 2}},
        {"NonMaxSuppression", {2, 3, 4}}, {"QuantizeLinear", {1, 2}}, {"DequantizeLinear", {1, 2}},
    };
    auto it = kSettings.find(op);
    return it != kSettings.end() && it->second.count(index) != 0;
}

bool isPerChannelOp(const std::string &op)
{
    return op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul";
}

DType onnxElementType(int64_t t)
{
    switch (t) {
    case 1: return DType::Float32;
    case 2: return DType::UInt8;
    case 3: return DType::Int8;
    case 4: return DType::UInt16;
    case 5: return DType::Int16;
    case 6: return DType::Int32;
    case 7: return DType::Int64;
    case 9: return DType::Bool;
    case 10: return DType::Float16;
    case 11: return DType::Float64;
    case 12: return DType::UInt32;
    case 13: return DType::UInt64;
    case 16: return DType::BFloat16;
    default: return DType::Undefined;
    }
}

struct ParamUse {
    std::string role;
    bool perChannelCapable = false;
    int axis = 0;
};

class Placer {
public:
    Placer(const Graph &g, const QuantsimConfig &c, const QuantOptions &o) : m_g(g), m_c(c), m_o(o) {}

    std::vector<QuantizerInfo> run()
    {
        analyse();
        collect();
        applyDefaultsAndParams();
        applyOpTypes();
        applySupergroups();
        applyModelInputOutput();
        applyPerChannel();
        return std::move(m_q);
    }

private:
    // --- graph facts -------------------------------------------------------------------------

    void analyse()
    {
        for (const ValueInfo &vi : m_g.inputs)
            if (!m_g.initializer(vi.name))
                m_data.insert(vi.name);
        for (const ValueInfo &vi : m_g.outputs)
            m_graphOutputs.insert(vi.name);
        for (size_t n = 0; n < m_g.nodes.size(); ++n) {
            const Node &node = m_g.nodes[n];
            for (size_t i = 0; i < node.inputs.size(); ++i)
                if (!node.inputs[i].empty())
                    m_consumers[node.inputs[i]].push_back({int(n), i});
            for (const std::string &out : node.outputs)
                if (!out.empty())
                    m_producer[out] = int(n);
            // Shape and Size read metadata only: what follows them is shape arithmetic.
            if (isDataNode(node) && node.opType != "Shape" && node.opType != "Size")
                for (const std::string &out : node.outputs)
                    if (!out.empty())
                        m_data.insert(out);
        }
    }

    bool isDataNode(const Node &node) const
    {
        return std::any_of(node.inputs.begin(), node.inputs.end(),
                           [&](const std::string &s) { return !s.empty() && m_data.count(s); });
    }

    DType dtypeOf(const std::string &name) const
    {
        if (const Tensor *t = m_g.initializer(name))
            return t->dtype();
        if (const ValueInfo *vi = m_g.info(name))
            if (vi->dtype != DType::Undefined)
                return vi->dtype;
        auto it = m_producer.find(name);
        if (it == m_producer.end())
            return DType::Undefined;
        return inferDtype(m_g.nodes[size_t(it->second)]);
    }

    // Fallback when shape inference left a tensor without a type.
    DType inferDtype(const Node &node) const
    {
        static const std::set<std::string> kBool = {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
                                                    "Not", "And", "Or", "Xor", "IsNaN", "IsInf"};
        static const std::set<std::string> kInt64 = {"Shape", "Size", "ArgMax", "ArgMin", "NonZero"};
        if (node.opType == "Constant" && node.has("value"))
            return node.attributes.at("value").t.dtype();
        if (node.opType == "Cast")
            return onnxElementType(node.attrInt("to", 0));
        if (node.opType == "ConstantOfShape")
            return node.has("value") ? node.attributes.at("value").t.dtype() : DType::Float32;
        if (kBool.count(node.opType))
            return DType::Bool;
        if (kInt64.count(node.opType))
            return DType::Int64;
        for (const std::string &in : node.inputs)
            if (!in.empty())
                return dtypeOf(in);
        return DType::Undefined;
    }

    bool usedAsResizeSetting(const std::string &tensor) const
    {
        auto it = m_consumers.find(tensor);
        if (it == m_consumers.end())
            return false;
        return std::any_of(it->second.begin(), it->second.end(), [&](const std::pair<int, size_t> &c) {
            return m_g.nodes[size_t(c.first)].opType == "Resize" && c.second != 0;
        });
    }

    bool isActivation(const std::string &tensor, const Node &producer) const
    {
        if (kUnquantizedOutputOps.count(producer.opType) || !m_data.count(tensor))
            return false;
        if (!m_consumers.count(tensor) && !m_graphOutputs.count(tensor))
            return false; // nothing reads it
        return dtypeOf(tensor) == DType::Float32 && !usedAsResizeSetting(tensor);
    }

    ParamUse paramUse(const Node &node, size_t index, const Tensor &w) const
    {
        const std::string &op = node.opType;
        ParamUse u{"weight", false, 0};
        if (op == "Conv" || op == "ConvTranspose" || op == "Gemm") {
            if (index == 2)
                u = {"bias", true, 0};
            else if (index == 1)
                u = {"weight", true, op == "Conv" ? 0 : op == "ConvTranspose" ? 1 : node.attrInt("transB", 0) ? 0 : 1};
        } else if (op == "MatMul" && index == 1) {
            u = {"weight", true, w.rank() >= 2 ? int(w.rank()) - 1 : 0};
        } else if (op == "BatchNormalization") {
            static const char *const kRoles[] = {"weight", "weight", "bias", "running_mean", "running_var"};
            u.role = index < 5 ? kRoles[index] : "weight";
        } else if (op == "InstanceNormalization" || op == "LayerNormalization" || op == "GroupNormalization") {
            u.role = index == 2 ? "bias" : "weight";
        } else if (op == "Add" && w.rank() == 1 && followsSoleMatMul(node)) {
            u.role = "bias"; // MatMul + Add is a linear layer
        }
        return u;
    }

    bool followsSoleMatMul(const Node &add) const
    {
        for (const std::string &in : add.inputs) {
            auto p = m_producer.find(in);
            if (p != m_producer.end() && m_g.nodes[size_t(p->second)].opType == "MatMul" &&
                m_consumers.at(in).size() == 1 && !m_graphOutputs.count(in))
                return true;
        }
        return false;
    }

    // --- quantizer list ----------------------------------------------------------------------

    void add(QuantizerInfo q)
    {
        m_index[q.tensor] = m_q.size();
        m_q.push_back(std::move(q));
    }

    void collect()
    {
        for (const ValueInfo &vi : m_g.inputs) {
            if (m_g.initializer(vi.name) || dtypeOf(vi.name) != DType::Float32 || usedAsResizeSetting(vi.name))
                continue;
            QuantizerInfo q;
            q.tensor = vi.name;
            q.kind = QuantizerKind::ModelInput;
            q.bitwidth = m_o.activationBitwidth;
            add(std::move(q));
        }
        for (size_t n = 0; n < m_g.nodes.size(); ++n) {
            const Node &node = m_g.nodes[n];
            if (isDataNode(node))
                collectParams(node, int(n));
            for (const std::string &out : node.outputs) {
                if (out.empty() || m_index.count(out) || !isActivation(out, node))
                    continue;
                QuantizerInfo q;
                q.tensor = out;
                q.kind = QuantizerKind::Activation;
                q.node = node.name;
                q.bitwidth = m_o.activationBitwidth;
                add(std::move(q));
            }
        }
    }

    void collectParams(const Node &node, int nodeIndex)
    {
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const std::string &name = node.inputs[i];
            const Tensor *w = name.empty() ? nullptr : m_g.initializer(name);
            if (!w || w->dtype() != DType::Float32 || isSettingInput(node.opType, i) || m_index.count(name))
                continue;
            const ParamUse use = paramUse(node, i, *w);
            QuantizerInfo q;
            q.tensor = name;
            q.kind = QuantizerKind::Param;
            q.node = node.name;
            q.paramRole = use.role;
            q.channelAxis = use.axis;
            q.bitwidth = m_o.paramBitwidth;
            if (use.perChannelCapable)
                m_perChannelOwner[name] = nodeIndex;
            add(std::move(q));
        }
    }

    QuantizerInfo *find(const std::string &tensor)
    {
        auto it = m_index.find(tensor);
        return it == m_index.end() ? nullptr : &m_q[it->second];
    }

    // The param quantizer behind input `index` of `node`, when that input is a parameter there.
    QuantizerInfo *paramAt(const Node &node, size_t index)
    {
        QuantizerInfo *q = find(node.inputs[index]);
        if (!q || q->kind != QuantizerKind::Param || isSettingInput(node.opType, index))
            return nullptr;
        return q;
    }

    // --- configuration levels ----------------------------------------------------------------

    void applyDefaultsAndParams()
    {
        for (QuantizerInfo &q : m_q) {
            if (q.kind == QuantizerKind::Param) {
                q.enabled = m_c.paramsQuantized;
                q.symmetric = m_c.paramsSymmetric;
                if (auto it = m_c.paramQuantized.find(q.paramRole); it != m_c.paramQuantized.end())
                    q.enabled = it->second;
                if (auto it = m_c.paramSymmetric.find(q.paramRole); it != m_c.paramSymmetric.end())
                    q.symmetric = it->second;
            } else {
                // Model inputs stay off until model_input turns them on.
                q.enabled = q.kind == QuantizerKind::Activation && m_c.opsOutputQuantized;
                q.symmetric = m_c.opsSymmetric;
            }
        }
    }

    // One op_type setting on one tensor; two ops disagreeing about the same tensor is an error,
    // as in AIMET.
    void setByOp(QuantizerInfo &q, bool symmetricSetting, bool value, const Node &node, const char *key)
    {
        auto &seen = symmetricSetting ? m_symSetBy : m_enabledSetBy;
        auto it = seen.find(q.tensor);
        if (it != seen.end()) {
            if (it->second.first != value)
                fail(ErrorCode::Invalid,
                     "quantizer placement: op_type settings conflict on tensor '" + q.tensor + "' (" +
                         it->second.second + " = " + (it->second.first ? "True" : "False") + ", " + node.label() +
                         " " + key + " = " + (value ? "True" : "False") + ")");
            return;
        }
        seen[q.tensor] = {value, node.label() + " " + key};
        (symmetricSetting ? q.symmetric : q.enabled) = value;
    }

    void applyOpTypes()
    {
        for (const Node &node : m_g.nodes) {
            auto it = m_c.opTypes.find(node.opType);
            if (it == m_c.opTypes.end())
                continue;
            const OpQuantSettings &s = it->second;
            for (size_t i = 0; i < node.inputs.size(); ++i) {
                QuantizerInfo *q = node.inputs[i].empty() ? nullptr : find(node.inputs[i]);
                if (!q)
                    continue;
                if (q->kind == QuantizerKind::Param) {
                    if (paramAt(node, i))
                        applyParamSettings(*q, s);
                    continue;
                }
                if (s.isInputQuantized)
                    setByOp(*q, false, *s.isInputQuantized, node, "is_input_quantized");
                if (s.isSymmetric)
                    setByOp(*q, true, *s.isSymmetric, node, "is_symmetric");
            }
            for (const std::string &out : node.outputs) {
                QuantizerInfo *q = out.empty() ? nullptr : find(out);
                if (!q || q->kind == QuantizerKind::Param)
                    continue;
                if (s.isOutputQuantized)
                    setByOp(*q, false, *s.isOutputQuantized, node, "is_output_quantized");
                if (s.isSymmetric)
                    setByOp(*q, true, *s.isSymmetric, node, "is_symmetric");
            }
        }
    }

    static void applyParamSettings(QuantizerInfo &q, const OpQuantSettings &s)
    {
        if (auto it = s.paramQuantized.find(q.paramRole); it != s.paramQuantized.end())
            q.enabled = it->second;
        if (auto it = s.paramSymmetric.find(q.paramRole); it != s.paramSymmetric.end())
            q.symmetric = it->second;
    }

    // The one node that reads `node`'s result, when the result goes nowhere else (readers of its
    // shape only do not count); -1 otherwise.
    int soleSuccessor(const Node &node) const
    {
        int next = -1;
        int results = 0;
        for (const std::string &out : node.outputs) {
            if (out.empty())
                continue;
            auto it = m_consumers.find(out);
            if (m_graphOutputs.count(out))
                return -1;
            if (it == m_consumers.end())
                continue;
            ++results;
            for (const auto &c : it->second) {
                const std::string &op = m_g.nodes[size_t(c.first)].opType;
                if (op == "Shape" || op == "Size")
                    continue;
                if (next != -1 && next != c.first)
                    return -1;
                next = c.first;
            }
        }
        return results == 1 ? next : -1;
    }

    void applySupergroups()
    {
        for (const std::vector<std::string> &group : m_c.supergroups) {
            for (size_t n = 0; n < m_g.nodes.size(); ++n) {
                std::vector<int> chain{int(n)};
                for (size_t k = 0; k < group.size(); ++k) {
                    const Node &cur = m_g.nodes[size_t(chain.back())];
                    if (cur.opType != group[k]) {
                        chain.clear();
                        break;
                    }
                    if (k + 1 == group.size())
                        break;
                    const int next = soleSuccessor(cur);
                    if (next < 0) {
                        chain.clear();
                        break;
                    }
                    chain.push_back(next);
                }
                // The group acts as one fused op: only its last output is quantized.
                for (size_t k = 0; k + 1 < chain.size(); ++k)
                    setOutputs(m_g.nodes[size_t(chain[k])], false);
            }
        }
    }

    void setOutputs(const Node &node, bool enabled)
    {
        for (const std::string &out : node.outputs)
            if (QuantizerInfo *q = out.empty() ? nullptr : find(out); q && q->kind == QuantizerKind::Activation)
                q->enabled = enabled;
    }

    void applyModelInputOutput()
    {
        for (QuantizerInfo &q : m_q)
            if (q.kind == QuantizerKind::ModelInput)
                q.enabled = m_c.modelInputQuantized;
        if (!m_c.modelOutputSpecified)
            return;
        for (const Node &node : m_g.nodes)
            if (std::any_of(node.outputs.begin(), node.outputs.end(),
                            [&](const std::string &o) { return !o.empty() && m_graphOutputs.count(o); }))
                setOutputs(node, m_c.modelOutputQuantized);
    }

    // Per op: QuantOptions::perChannel replaces defaults.per_channel_quantization; an op type's
    // own per_channel_quantization still decides for that type.
    void applyPerChannel()
    {
        const bool byDefault = m_o.perChannel.value_or(m_c.perChannel);
        for (size_t n = 0; n < m_g.nodes.size(); ++n) {
            const Node &node = m_g.nodes[n];
            if (!isPerChannelOp(node.opType))
                continue;
            bool on = byDefault;
            if (auto it = m_c.opTypes.find(node.opType); it != m_c.opTypes.end() && it->second.perChannel)
                on = *it->second.perChannel;
            for (size_t i = 0; i < node.inputs.size(); ++i) {
                QuantizerInfo *q = node.inputs[i].empty() ? nullptr : paramAt(node, i);
                auto owner = q ? m_perChannelOwner.find(q->tensor) : m_perChannelOwner.end();
                if (owner != m_perChannelOwner.end() && owner->second == int(n))
                    q->perChannel = on;
            }
        }
    }

    const Graph &m_g;
    const QuantsimConfig &m_c;
    const QuantOptions &m_o;
    std::set<std::string> m_data;         // tensors computed from the model inputs
    std::set<std::string> m_graphOutputs;
    std::map<std::string, std::vector<std::pair<int, size_t>>> m_consumers; // tensor -> (node, input)
    std::map<std::string, int> m_producer;
    std::vector<QuantizerInfo> m_q;
    std::map<std::string, size_t> m_index;
    std::map<std::string, int> m_perChannelOwner; // per-channel capable param -> its node
    std::map<std::string, std::pair<bool, std::string>> m_enabledSetBy;
    std::map<std::string, std::pair<bool, std::string>> m_symSetBy;
};

} // namespace

Result<std::vector<QuantizerInfo>> placeQuantizers(const Graph &graph, const QuantsimConfig &config,
                                                   const QuantOptions &options)
{
    return capture("", [&] { return Placer(graph, config, options).run(); });
}

} // namespace qs
