#pragma once
// Building small graphs in tests.

#include "graph/graph.h"

#include <map>
#include <string>
#include <vector>

namespace qs::test {

inline Node makeNode(const std::string &name, const std::string &op, std::vector<std::string> in,
                     std::vector<std::string> out, std::map<std::string, Attribute> attrs = {})
{
    Node n;
    n.name = name;
    n.opType = op;
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.attributes = std::move(attrs);
    return n;
}

} // namespace qs::test
