#pragma once
// Sub-graphs of a Graph for prefix reuse: a graph cut before node c, the tensors that cross the cut,
// and the segments between two cuts. Nodes that depend only on constants are copied into every
// segment that needs them and never cross a cut. Pure C++.

#include "graph/graph.h"

#include <set>
#include <string>
#include <vector>

namespace qs {

class GraphCuts {
public:
    explicit GraphCuts(const Graph &graph);

    // Tensors computed before node `cut` (graph inputs included) that node `cut` or a later node
    // reads. cut = 0 gives the graph inputs; cut = nodes.size() gives the first graph output.
    std::vector<std::string> liveAt(int cut) const;
    // Nodes [from, to) with the constant nodes they need. Inputs: the tensors of liveAt(from) those
    // nodes read; outputs: the tensors of liveAt(to) they produce (the first graph output when `to`
    // is the end). Tensors live at both cuts that the segment does not touch are not part of it.
    Graph segment(int from, int to) const;
    // The nodes needed to compute `outputs` from the graph inputs, as a graph with those outputs.
    static Graph prefix(const Graph &graph, const std::vector<std::string> &outputs);

    bool isConstantNode(int node) const { return m_constant[size_t(node)] != 0; }

private:
    const Graph &m_g;
    std::vector<char> m_constant;
};

} // namespace qs
