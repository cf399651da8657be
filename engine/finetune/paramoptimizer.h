#pragma once
// Engine-internal (ATen): SGD with momentum and Adam over groups of leaf tensors, each group with
// its own base learning rate. Updates run in place under no-grad; state is allocated once.

#include "finetune/finetune.h"

#include <ATen/ATen.h>

#include <vector>

namespace qs {

class ParamOptimizer {
public:
    ParamOptimizer(FinetuneOptimizer kind, double momentum, double weightDecay);

    // Tensors must be leaves with requires_grad; `lr` is the group's base rate, scaled by step()'s factor.
    // Weight decay applies to groups added with decay = true.
    void addGroup(std::vector<at::Tensor> params, double lr, bool decay);
    // One update with every group's rate multiplied by `lrFactor`; clears the gradients.
    void step(double lrFactor);
    void zeroGrad();

private:
    struct Group {
        std::vector<at::Tensor> params, m, v;
        double lr = 0;
        bool decay = false;
    };
    FinetuneOptimizer m_kind;
    double m_momentum, m_weightDecay;
    std::vector<Group> m_groups;
    int64_t m_steps = 0;
};

} // namespace qs
