#pragma once
// LayerWeights: the weight and bias of one Conv, ConvTranspose or Gemm node as editable float
// arrays, with each weight element's output and input channel. Layouts: Conv OIHW ([O, I/G, k...]),
// ConvTranspose IOHW ([I, O/G, k...]), Gemm [O, I] (transB=1) or [I, O] (transB=0).
// The equalization passes (BN folding, cross-layer scaling, bias absorption, bias correction)
// read and scale these arrays, then store() writes them back into the Graph. Pure C++.

#include "graph/graph.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qs {

class LayerWeights {
public:
    // The node at `nodeIndex` as a layer, or nullopt with the reason in *why: not a layer op,
    // weight or bias not a float32 initializer, an initializer shared with another node,
    // unsupported Gemm attributes.
    static std::optional<LayerWeights> load(const Graph &graph, int nodeIndex, std::string *why = nullptr);
    // Whether the node is a Conv / ConvTranspose / Gemm (whatever its weights are).
    static bool isLayerOp(const Node &node);

    const std::string &nodeName() const { return m_node; }
    const std::string &opType() const { return m_op; }
    int64_t outChannels() const { return m_out; }
    int64_t inChannels() const { return m_in; }
    int64_t groups() const { return m_groups; }
    // Conv whose every group has one input and one output channel.
    bool isDepthwise() const { return m_op == "Conv" && m_groups > 1 && m_groups == m_in && m_groups == m_out; }
    // Conv / ConvTranspose with padding (attribute pads or auto_pad): border outputs see zeros.
    bool padsInput() const { return m_padded; }
    bool hasBias() const { return m_hasBias; }

    std::vector<double> outRange() const; // max |W| per output channel
    std::vector<double> inRange() const;  // max |W| per input channel
    void scaleOut(const std::vector<double> &factor); // W[o, ...] and b[o] times factor[o]
    void scaleIn(const std::vector<double> &factor);  // W[.., i, ..] times factor[i]
    // Per output channel o: sum over the elements of W[o] of W * x[input channel] (the output
    // change when every input position of channel i is shifted by x[i]).
    std::vector<double> dot(const std::vector<double> &x) const { return dotWith(m_w, x); }
    // Same with another weight array of the same layout (e.g. W_q - W).
    std::vector<double> dotWith(const std::vector<float> &w, const std::vector<double> &x) const;

    std::vector<float> &weights() { return m_w; }
    const std::vector<float> &weights() const { return m_w; }
    const std::vector<int64_t> &weightShape() const { return m_wShape; }
    const std::string &weightName() const { return m_wName; }
    std::vector<float> &bias(); // zeros when the layer had none (store() then adds one)
    const std::vector<float> &bias() const { return m_b; }

    // Writes weight and bias back (the node is found by name). A layer without a bias gets a new
    // initializer "<node>.bias" (a unique name) as its bias input.
    void store(Graph &graph) const;

private:
    std::string m_node, m_op, m_wName, m_bName;
    std::vector<int64_t> m_wShape;
    std::vector<float> m_w, m_b;
    std::vector<int32_t> m_outOf, m_inOf; // per weight element
    int64_t m_out = 0, m_in = 0, m_groups = 1;
    bool m_hasBias = false, m_padded = false;
};

// Gives every unnamed or duplicate-named node a unique name (op type + index), so passes and
// reports can refer to nodes by name.
void ensureNodeNames(Graph &graph);
// `base`, or base + "_1", "_2" ... : a name no initializer, node output or graph input uses.
std::string uniqueTensorName(const Graph &graph, const std::string &base);
int findNode(const Graph &graph, const std::string &name);

} // namespace qs
