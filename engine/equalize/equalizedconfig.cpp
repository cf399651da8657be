#include "equalize/equalizedconfig.h"

#include <algorithm>

namespace qs {

QuantsimConfig withPerChannelClamps(QuantsimConfig config)
{
    const std::vector<std::vector<std::string>> groups = {
        {"Conv", "Max"}, {"ConvTranspose", "Max"}, {"Gemm", "Max"}, {"Relu", "Min"}, {"Max", "Min"}};
    for (const auto &g : groups)
        if (std::find(config.supergroups.begin(), config.supergroups.end(), g) == config.supergroups.end())
            config.supergroups.push_back(g);
    for (const char *op : {"Min", "Max"})
        config.opTypes[op].paramQuantized["weight"] = false;
    return config;
}

} // namespace qs
