#pragma once
// Engine-internal (includes ATen): the executor's compiled plan, tensor hooks, parameters.
// Used by quantization (hooks rewrite activations), fine-tuning (autograd through parameters)
// and the calibration observers.

#include "runtime/executor.h"
#include "runtime/fusion.h"
#include "runtime/kernel.h"

#include <functional>
#include <set>
#include <unordered_map>

namespace qs {

// Called for every tensor the plan produces (graph inputs included), in execution order.
// Returns the tensor to use downstream: the same one to observe, another to rewrite it.
using TensorHook = std::function<at::Tensor(const std::string &name, const at::Tensor &value)>;

class ExecutorImpl {
public:
    ExecutorImpl(const Graph &graph, const ExecutorOptions &options); // throws qs::Exception

    // Inputs in the order of graph().inputs; returns graph outputs in order of graph().outputs.
    rt::TensorList forward(const rt::TensorList &inputs);
    // Same, and keeps every tensor by name.
    std::map<std::string, at::Tensor> forwardAll(const rt::TensorList &inputs);

    // With `tensors` empty the hook sees every tensor (and the unfused plan runs); otherwise only
    // the named tensors, which the fused inference plan then keeps visible.
    void setHook(TensorHook hook, std::set<std::string> tensors = {});
    void clearHook() { setHook(nullptr); }

    // Simulated activation quantizers, applied to the named tensors on every run (after the hook,
    // if any). The fused plan moves them into its convolutions where it can.
    void setActivationQuantizers(std::map<std::string, ActivationQdq> quantizers);

    // Initializer storage: edit in place or set requires_grad for training. Plans see the change.
    at::Tensor &parameter(const std::string &name); // invalidates the fused inference plan
    std::vector<std::string> parameterNames() const;
    const Graph &graph() const { return m_graph; }

private:
    struct Step {
        const Node *node = nullptr;
        rt::Kernel kernel;
        std::vector<int> inputs;  // slot ids, -1 for omitted optional inputs
        std::vector<int> outputs; // slot ids, -1 for omitted outputs
        std::vector<int> release; // slots whose last use is this step
    };
    struct Plan {
        std::vector<Step> steps;
        std::vector<int> inputSlots;
        std::vector<int> outputSlots;
        std::vector<std::string> slotNames;
        std::vector<int> constantSlots; // slots holding initializers (kept across runs)
        std::unordered_map<std::string, at::Tensor> *params = nullptr;
        std::vector<char> hooked; // per slot: the hook applies
        std::vector<const ActivationQdq *> qdq; // per slot: quantize-dequantize after production
        std::set<std::string> quantizedInKernel; // quantizers a fused kernel already applies
    };

    void compile(const Graph &graph, std::unordered_map<std::string, at::Tensor> &params, Plan &plan);
    Plan &activePlan();
    Plan &fastPlan();
    void assignQuantizers(Plan &plan) const;
    void execute(Plan &plan, const rt::TensorList &inputs, std::vector<at::Tensor> &slots, bool keepAll);
    static void checkInputs(const Graph &graph, const rt::TensorList &inputs);

    Graph m_graph;
    ExecutorOptions m_options;
    std::unordered_map<std::string, at::Tensor> m_params;
    Plan m_plan;
    // Inference plan over the fused graph (fuseForInference): used when no hook is set and
    // autograd is off; rebuilt after parameters change.
    Graph m_fastGraph;
    std::unordered_map<std::string, at::Tensor> m_fastParams;
    Plan m_fastPlan;
    bool m_fastValid = false;
    std::set<std::string> m_fastKeep; // tensors the fused plan was built to keep visible
    TensorHook m_hook;
    std::set<std::string> m_hookTensors;
    std::map<std::string, ActivationQdq> m_quantizers;
};

} // namespace qs
