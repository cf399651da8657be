#include "runtime/executorimpl.h"

#include "runtime/fakequant.h"
#include "runtime/fusion.h"

#include <ATen/Parallel.h>

#include <thread>
#include <unordered_map>

namespace qs {

ExecutorImpl::ExecutorImpl(const Graph &graph, const ExecutorOptions &options)
    : m_graph(graph), m_options(options)
{
    for (const auto &kv : m_graph.initializers)
        m_params.emplace(kv.first, rt::toAt(kv.second));
    compile(m_graph, m_params, m_plan);
}

void ExecutorImpl::setHook(TensorHook hook, std::set<std::string> tensors)
{
    m_hook = std::move(hook);
    m_hookTensors = std::move(tensors);
}

void ExecutorImpl::setActivationQuantizers(std::map<std::string, ActivationQdq> quantizers)
{
    m_quantizers = std::move(quantizers);
    m_fastValid = false;
}

ExecutorImpl::Plan &ExecutorImpl::activePlan()
{
    const bool hookAll = m_hook && m_hookTensors.empty();
    Plan &plan = !m_options.optimize || hookAll || at::GradMode::is_enabled() ? m_plan : fastPlan();
    plan.hooked.assign(plan.slotNames.size(), 0);
    if (m_hook)
        for (size_t id = 0; id < plan.slotNames.size(); ++id)
            plan.hooked[id] = hookAll || m_hookTensors.count(plan.slotNames[id]);
    assignQuantizers(plan);
    return plan;
}

void ExecutorImpl::assignQuantizers(Plan &plan) const
{
    plan.qdq.assign(plan.slotNames.size(), nullptr);
    for (size_t id = 0; id < plan.slotNames.size(); ++id) {
        auto it = m_quantizers.find(plan.slotNames[id]);
        if (it != m_quantizers.end() && !plan.quantizedInKernel.count(it->first))
            plan.qdq[id] = &it->second;
    }
}

ExecutorImpl::Plan &ExecutorImpl::fastPlan()
{
    const std::set<std::string> keep = m_hook ? m_hookTensors : std::set<std::string>();
    if (!m_fastValid || keep != m_fastKeep) {
        Graph g = m_graph;
        for (auto &kv : g.initializers)
            kv.second = rt::fromAt(m_params.at(kv.first));
        m_fastKeep = keep;
        FusionStats stats;
        m_fastGraph = fuseForInference(g, &stats, keep, m_quantizers);
        m_fastParams.clear();
        for (const auto &kv : m_fastGraph.initializers)
            m_fastParams.emplace(kv.first, rt::toAt(kv.second));
        m_fastPlan = Plan();
        compile(m_fastGraph, m_fastParams, m_fastPlan);
        m_fastPlan.quantizedInKernel = std::move(stats.quantizedInKernel);
        m_fastValid = true;
    }
    return m_fastPlan;
}

void ExecutorImpl::compile(const Graph &graph, std::unordered_map<std::string, at::Tensor> &params, Plan &plan)
{
    plan.params = &params;
    const rt::OpRegistry &registry = rt::OpRegistry::builtin();
    std::unordered_map<std::string, int> slotOf;
    auto slot = [&](const std::string &name) {
        auto it = slotOf.find(name);
        if (it != slotOf.end())
            return it->second;
        const int id = int(plan.slotNames.size());
        plan.slotNames.push_back(name);
        slotOf.emplace(name, id);
        return id;
    };
    for (const auto &kv : params)
        plan.constantSlots.push_back(slot(kv.first));
    for (const auto &in : graph.inputs)
        plan.inputSlots.push_back(slot(in.name));

    std::vector<int> lastUse;
    for (const auto &node : graph.nodes) {
        if (!node.domain.empty() && node.domain != "ai.onnx" && node.domain != "qs")
            fail(ErrorCode::Unsupported, "unsupported operator '" + node.domain + "." + node.opType + "' (node '" +
                                             node.name + "')");
        const rt::KernelFactory *factory = registry.find(node.opType);
        if (!factory)
            fail(ErrorCode::Unsupported, "unsupported operator '" + node.opType + "' (node '" + node.name + "')");
        rt::CompileContext ctx{node, graph.opsetVersion, {}, {}, {}};
        Step step;
        step.node = &node;
        for (const auto &in : node.inputs) {
            ctx.inputInfo.push_back(in.empty() ? nullptr : graph.info(in));
            auto p = in.empty() ? params.end() : params.find(in);
            ctx.constants.push_back(p == params.end() ? at::Tensor() : p->second);
            if (in.empty()) {
                step.inputs.push_back(-1);
            } else {
                auto it = slotOf.find(in);
                if (it == slotOf.end())
                    fail(ErrorCode::Invalid, "input '" + in + "' of " + node.label() + " is not produced before use");
                step.inputs.push_back(it->second);
            }
        }
        for (const auto &out : node.outputs) {
            ctx.outputInfo.push_back(out.empty() ? nullptr : graph.info(out));
            step.outputs.push_back(out.empty() ? -1 : slot(out));
        }
        try {
            step.kernel = (*factory)(ctx);
        } catch (const Exception &) {
            throw;
        } catch (const std::exception &e) {
            fail(ErrorCode::Invalid, node.label() + ": " + errorFromCurrentException("").message);
        }
        plan.steps.push_back(std::move(step));
    }
    for (const auto &out : graph.outputs) {
        auto it = slotOf.find(out.name);
        if (it == slotOf.end())
            fail(ErrorCode::Invalid, "graph output '" + out.name + "' is not produced by any node");
        plan.outputSlots.push_back(it->second);
    }

    // Release each intermediate tensor after its last consumer, to bound peak memory.
    lastUse.assign(plan.slotNames.size(), -1);
    for (size_t s = 0; s < plan.steps.size(); ++s)
        for (int in : plan.steps[s].inputs)
            if (in >= 0)
                lastUse[in] = int(s);
    std::vector<bool> keep(plan.slotNames.size(), false);
    for (int c : plan.constantSlots)
        keep[c] = true;
    for (int o : plan.outputSlots)
        keep[o] = true;
    for (size_t id = 0; id < lastUse.size(); ++id)
        if (!keep[id] && lastUse[id] >= 0)
            plan.steps[lastUse[id]].release.push_back(int(id));
}

void ExecutorImpl::checkInputs(const Graph &graph, const rt::TensorList &inputs)
{
    if (inputs.size() != graph.inputs.size())
        fail(ErrorCode::Invalid, "the model takes " + std::to_string(graph.inputs.size()) + " inputs, " +
                                     std::to_string(inputs.size()) + " given");
    for (size_t i = 0; i < inputs.size(); ++i) {
        const ValueInfo &vi = graph.inputs[i];
        const at::Tensor &t = inputs[i];
        if (!t.defined())
            fail(ErrorCode::Invalid, "input '" + vi.name + "' is missing");
        if (t.scalar_type() != rt::toScalarType(vi.dtype))
            fail(ErrorCode::Invalid, "input '" + vi.name + "' has dtype " +
                                         dtypeName(rt::fromScalarType(t.scalar_type())) + ", the model expects " +
                                         dtypeName(vi.dtype));
        if (!vi.hasShape)
            continue;
        std::vector<int64_t> got(t.sizes().begin(), t.sizes().end());
        bool okShape = got.size() == vi.shape.size();
        for (size_t d = 0; okShape && d < got.size(); ++d)
            okShape = vi.shape[d] < 0 || vi.shape[d] == got[d];
        if (!okShape) {
            std::vector<int64_t> want = vi.shape;
            std::string w = "[";
            for (size_t d = 0; d < want.size(); ++d)
                w += (d ? "," : "") + (want[d] < 0 ? (vi.dimParams.size() > d && !vi.dimParams[d].empty()
                                                          ? vi.dimParams[d]
                                                          : std::string("?"))
                                                    : std::to_string(want[d]));
            w += "]";
            fail(ErrorCode::Invalid, "input '" + vi.name + "' has shape " + shapeString(got) +
                                         ", the model expects " + w);
        }
    }
}

void ExecutorImpl::execute(Plan &plan, const rt::TensorList &inputs, std::vector<at::Tensor> &slots, bool keepAll)
{
    checkInputs(m_graph, inputs);
    slots.assign(plan.slotNames.size(), at::Tensor());
    for (size_t i = 0; i < plan.constantSlots.size(); ++i) {
        const int id = plan.constantSlots[i];
        slots[id] = plan.params->at(plan.slotNames[id]);
    }
    for (size_t i = 0; i < plan.inputSlots.size(); ++i) {
        const int id = plan.inputSlots[i];
        slots[id] = plan.hooked[id] ? m_hook(plan.slotNames[id], inputs[i]) : inputs[i];
        if (plan.qdq[id]) // graph inputs view the caller's buffer: never written in place
            slots[id] = rt::quantizeDequantize(slots[id], *plan.qdq[id], false);
    }
    rt::TensorList args;
    for (const Step &step : plan.steps) {
        args.clear();
        for (int in : step.inputs)
            args.push_back(in >= 0 ? slots[in] : at::Tensor());
        rt::TensorList outs;
        try {
            outs = step.kernel(args);
        } catch (const Exception &) {
            throw;
        } catch (...) {
            Error e = errorFromCurrentException(step.node->label());
            throw Exception(e.code == ErrorCode::Internal ? ErrorCode::Invalid : e.code, e.message);
        }
        for (size_t o = 0; o < step.outputs.size() && o < outs.size(); ++o) {
            const int id = step.outputs[o];
            if (id < 0)
                continue;
            slots[id] = plan.hooked[id] ? m_hook(plan.slotNames[id], outs[o]) : std::move(outs[o]);
            if (plan.qdq[id])
                slots[id] = rt::quantizeDequantize(slots[id], *plan.qdq[id], true);
        }
        if (!keepAll)
            for (int r : step.release)
                slots[r].reset();
    }
}

rt::TensorList ExecutorImpl::forward(const rt::TensorList &inputs)
{
    std::vector<at::Tensor> slots;
    Plan &plan = activePlan();
    execute(plan, inputs, slots, false);
    rt::TensorList out;
    for (int id : plan.outputSlots)
        out.push_back(slots[id]);
    return out;
}

std::map<std::string, at::Tensor> ExecutorImpl::forwardAll(const rt::TensorList &inputs)
{
    std::vector<at::Tensor> slots;
    m_plan.hooked.assign(m_plan.slotNames.size(), 0);
    for (size_t id = 0; m_hook && id < m_plan.slotNames.size(); ++id)
        m_plan.hooked[id] = m_hookTensors.empty() || m_hookTensors.count(m_plan.slotNames[id]);
    assignQuantizers(m_plan);
    execute(m_plan, inputs, slots, true);
    std::map<std::string, at::Tensor> out;
    for (size_t id = 0; id < slots.size(); ++id)
        if (slots[id].defined() && !m_params.count(m_plan.slotNames[id]))
            out.emplace(m_plan.slotNames[id], slots[id]);
    return out;
}

at::Tensor &ExecutorImpl::parameter(const std::string &name)
{
    auto it = m_params.find(name);
    if (it == m_params.end())
        fail(ErrorCode::Invalid, "no initializer named '" + name + "'");
    m_fastValid = false;
    return it->second;
}

std::vector<std::string> ExecutorImpl::parameterNames() const
{
    std::vector<std::string> names;
    for (const auto &kv : m_params)
        names.push_back(kv.first);
    std::sort(names.begin(), names.end());
    return names;
}

// ---- public wrapper ----

Executor::Executor(std::unique_ptr<ExecutorImpl> impl) : m_impl(std::move(impl)) {}
Executor::~Executor() = default;

Result<std::unique_ptr<Executor>> Executor::create(const Graph &graph, const ExecutorOptions &options)
{
    return capture("", [&]() -> std::unique_ptr<Executor> {
        if (options.threads > 0)
            setThreads(options.threads);
        return std::unique_ptr<Executor>(new Executor(std::make_unique<ExecutorImpl>(graph, options)));
    });
}

Result<TensorMap> Executor::run(const TensorMap &inputs, bool allTensors)
{
    return capture("", [&]() -> TensorMap {
        at::NoGradGuard noGrad;
        rt::TensorList in;
        for (const auto &vi : m_impl->graph().inputs) {
            auto it = inputs.find(vi.name);
            if (it == inputs.end())
                fail(ErrorCode::Invalid, "input '" + vi.name + "' is missing");
            // A view of the caller's bytes: kernels never write into their inputs.
            const Tensor &t = it->second;
            if (t.dtype() != vi.dtype)
                fail(ErrorCode::Invalid, "input '" + vi.name + "' has dtype " + dtypeName(t.dtype()) +
                                             ", the model expects " + dtypeName(vi.dtype));
            in.push_back(rt::isWidened(t.dtype())
                             ? rt::toAt(t)
                             : at::from_blob(const_cast<void *>(t.data()), t.shape(),
                                             at::TensorOptions().dtype(rt::toScalarType(t.dtype()))));
        }
        TensorMap result;
        if (allTensors) {
            for (auto &kv : m_impl->forwardAll(in)) {
                const ValueInfo *vi = m_impl->graph().info(kv.first);
                result.emplace(kv.first, rt::fromAt(kv.second, vi ? vi->dtype : DType::Undefined));
            }
        } else {
            rt::TensorList out = m_impl->forward(in);
            for (size_t i = 0; i < out.size(); ++i) {
                const ValueInfo &vi = m_impl->graph().outputs[i];
                result.emplace(vi.name, rt::fromAt(out[i], vi.dtype));
            }
        }
        return result;
    });
}

const Graph &Executor::graph() const { return m_impl->graph(); }

void Executor::setThreads(int threads)
{
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
}

int Executor::threads() { return at::get_num_threads(); }

} // namespace qs
