#include "cliargs.h"
#include "commands.h"

#include "graph/costmodel.h"
#include "onnx/onnximport.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace qs::cli {

namespace {

nlohmann::json shapeJson(const ValueInfo &vi)
{
    nlohmann::json shape = nlohmann::json::array();
    for (size_t d = 0; d < vi.shape.size(); ++d) {
        if (vi.shape[d] >= 0)
            shape.push_back(vi.shape[d]);
        else if (d < vi.dimParams.size() && !vi.dimParams[d].empty())
            shape.push_back(vi.dimParams[d]);
        else
            shape.push_back(nullptr);
    }
    return shape;
}

nlohmann::json valuesJson(const std::vector<ValueInfo> &values)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &vi : values)
        out.push_back({{"name", vi.name}, {"dtype", dtypeName(vi.dtype)}, {"shape", shapeJson(vi)}});
    return out;
}

void printText(const std::string &path, const Graph &g, const ModelCost &cost)
{
    std::cout << path << ": opset " << g.opsetVersion << ", " << g.nodes.size() << " nodes, " << cost.params
              << " parameters, " << cost.macs << " MACs per sample\n";
    for (const auto &vi : g.inputs)
        std::cout << "  input  " << vi.name << " " << shapeJson(vi).dump() << " " << dtypeName(vi.dtype) << "\n";
    for (const auto &vi : g.outputs)
        std::cout << "  output " << vi.name << " " << shapeJson(vi).dump() << " " << dtypeName(vi.dtype) << "\n";
    std::cout << "ops:";
    for (const auto &kv : g.opHistogram())
        std::cout << " " << kv.first << "=" << kv.second;
    std::cout << "\nlayers:\n";
    for (const auto &l : cost.layers) {
        char line[512];
        std::snprintf(line, sizeof line, "  %-40s %-14s %10lld params %14lld MACs\n", l.name.c_str(),
                      l.opType.c_str(), static_cast<long long>(l.params), static_cast<long long>(l.macs));
        std::cout << line;
    }
}

} // namespace

int cmdInfo(const Argv &argv)
{
    const Args args(argv, {{"json", false}});
    const std::string path = args.model();
    Graph g = importOnnx(path).take();
    const ModelCost cost = computeCost(g);
    if (!args.flag("json")) {
        printText(path, g, cost);
        return 0;
    }
    nlohmann::json ops = nlohmann::json::object();
    for (const auto &kv : g.opHistogram())
        ops[kv.first] = kv.second;
    nlohmann::json layers = nlohmann::json::array();
    for (const auto &l : cost.layers)
        layers.push_back({{"name", l.name}, {"op", l.opType}, {"params", l.params}, {"macs", l.macs},
                          {"weight_shape", l.weightShape}, {"output_shape", l.outputShape}});
    const nlohmann::json j = {{"model", path},       {"opset", g.opsetVersion},       {"inputs", valuesJson(g.inputs)},
                              {"outputs", valuesJson(g.outputs)}, {"nodes", g.nodes.size()}, {"params", cost.params},
                              {"macs", cost.macs},    {"ops", ops},                     {"layers", layers}};
    std::cout << j.dump(1) << "\n";
    return 0;
}

} // namespace qs::cli
