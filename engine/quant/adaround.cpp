#include "quant/adaround.h"

#include "quant/adaroundlayer.h"

#include "equalize/layerweights.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <chrono>
#include <map>
#include <set>

namespace qs {

namespace {

// Thrown by the collecting hook once every layer of the group is done: ends the pass early.
struct GroupDone {};

struct Candidate {
    int node = -1;
    std::string name, input, output, weight;
    const TensorEncoding *encoding = nullptr;
    int64_t outputBytesPerSample = -1;
};

bool isAdaroundOp(const std::string &op)
{
    return op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul";
}

class Adarounder {
public:
    Adarounder(const Graph &graph, const Tensor &data, const QuantSimOptions &quant, const AdaroundOptions &o, Job *job)
        : m_data(data), m_quant(quant), m_o(o), m_job(job)
    {
        m_r.graph = graph;
        ensureNodeNames(m_r.graph);
        m_r.report.iterations = o.iterations;
        m_r.report.samples = data.rank() > 0 ? data.dim(0) : 0;
    }

    AdaroundResult run()
    {
        if (m_data.rank() < 1 || m_data.dim(0) == 0)
            fail(ErrorCode::Usage, "AdaRound needs calibration data");
        if (m_o.iterations < 0 || m_o.batchSize < 1)
            fail(ErrorCode::Usage, "AdaRound needs a non-negative iteration count and a batch of at least one sample");
        const auto t0 = std::chrono::steady_clock::now();
        m_sim = QuantSim::create(m_r.graph, m_quant).take();
        m_encodings = m_sim->encodings();
        findCandidates();
        m_fp = Executor::create(m_r.graph).take();
        m_q = Executor::create(m_r.graph).take();
        for (const QuantizerInfo &q : m_sim->quantizers())
            if (q.kind == QuantizerKind::Param && q.enabled)
                m_q->impl().parameter(q.tensor) = m_sim->executor().impl().parameter(q.tensor).clone();
        for (const auto &group : groups())
            runGroup(group);
        for (const TensorEncoding &e : m_encodings)
            if (e.kind == QuantizerKind::Param)
                m_r.paramEncodings.push_back(e);
        m_r.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return std::move(m_r);
    }

private:
    void findCandidates()
    {
        std::map<std::string, const QuantizerInfo *> weights;
        for (const QuantizerInfo &q : m_sim->quantizers())
            if (q.kind == QuantizerKind::Param && q.enabled && q.paramRole == "weight")
                weights[q.tensor] = &q;
        std::map<std::string, const TensorEncoding *> enc;
        for (const TensorEncoding &e : m_encodings)
            enc[e.tensor] = &e;
        const Graph &g = m_r.graph;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node &n = g.nodes[i];
            if (!isAdaroundOp(n.opType))
                continue;
            const std::string w = n.inputs.size() > 1 ? n.inputs[1] : std::string();
            auto q = weights.find(w);
            const Tensor *init = g.initializer(w);
            std::string why;
            if (q == weights.end() || !enc.count(w))
                why = "its weight is not quantized";
            else if (!init || init->dtype() != DType::Float32)
                why = "its weight is not a float32 initializer";
            else if (g.consumerIndices(w).size() != 1)
                why = "its weight is shared with another node";
            else if (g.initializer(n.inputs[0]))
                why = "its data input is a constant";
            for (size_t k = 2; k < n.inputs.size() && why.empty(); ++k)
                if (!n.inputs[k].empty() && !g.initializer(n.inputs[k]))
                    why = "its input '" + n.inputs[k] + "' is computed, not a constant";
            if (!why.empty()) {
                m_r.report.skipped.push_back({n.name, why});
                continue;
            }
            Candidate c;
            c.node = int(i);
            c.name = n.name;
            c.input = n.inputs[0];
            c.output = n.outputs[0];
            c.weight = w;
            c.encoding = enc[w];
            if (const ValueInfo *vi = g.info(c.output)) {
                int64_t e = 1;
                for (size_t d = 1; d < vi->shape.size(); ++d)
                    e = vi->shape[d] > 0 && e > 0 ? e * vi->shape[d] : -1;
                c.outputBytesPerSample = vi->shape.empty() || e < 0 ? -1 : e * 4;
            }
            m_candidates.push_back(std::move(c));
        }
    }

    // Consecutive layers whose cached FP32 outputs fit the budget together.
    std::vector<std::vector<const Candidate *>> groups() const
    {
        std::vector<std::vector<const Candidate *>> out;
        int64_t used = 0;
        const int64_t n = m_data.dim(0);
        for (const Candidate &c : m_candidates) {
            const int64_t bytes = c.outputBytesPerSample < 0 ? m_o.cacheBudgetBytes : c.outputBytesPerSample * n;
            if (out.empty() || used + bytes > m_o.cacheBudgetBytes) {
                out.emplace_back();
                used = 0;
            }
            out.back().push_back(&c);
            used += bytes;
        }
        return out;
    }

    // FP32 outputs of the group's layers over all samples.
    std::map<std::string, at::Tensor> fpOutputs(const std::vector<const Candidate *> &group)
    {
        std::map<std::string, std::vector<at::Tensor>> parts;
        std::set<std::string> names;
        for (const Candidate *c : group)
            names.insert(c->output);
        m_fp->impl().setHook(
            [&](const std::string &name, const at::Tensor &x) {
                if (names.count(name))
                    parts[name].push_back(x.contiguous().clone());
                return x;
            },
            names);
        const at::Tensor all = rt::toAt(m_data);
        at::NoGradGuard ng;
        for (int64_t first = 0; first < all.size(0); first += m_o.passBatch)
            m_fp->impl().forward({all.narrow(0, first, std::min<int64_t>(m_o.passBatch, all.size(0) - first))});
        m_fp->impl().clearHook();
        std::map<std::string, at::Tensor> out;
        for (auto &kv : parts)
            out[kv.first] = at::cat(kv.second, 0);
        return out;
    }

    // One pass of the partly rounded model over all samples as one batch: each layer of the group
    // is optimized when its input appears, and its rounded weights are in place before it runs.
    void runGroup(const std::vector<const Candidate *> &group)
    {
        const std::map<std::string, at::Tensor> targets = fpOutputs(group);
        size_t done = 0;
        m_q->impl().setHook([&](const std::string &name, const at::Tensor &x) {
            for (const Candidate *c : group) {
                if (c->input != name)
                    continue;
                roundLayer(*c, x, targets.at(c->output));
                if (++done == group.size())
                    throw GroupDone{};
            }
            return x;
        });
        try {
            at::NoGradGuard ng;
            m_q->impl().forward({rt::toAt(m_data)});
        } catch (const GroupDone &) {
        }
        m_q->impl().clearHook();
        if (done != group.size())
            fail(ErrorCode::Internal, "AdaRound: the data never reached layer '" + group[done]->name + "'");
    }

    void roundLayer(const Candidate &c, const at::Tensor &x, const at::Tensor &y)
    {
        const auto t0 = std::chrono::steady_clock::now();
        if (m_job)
            m_job->setProgress(int64_t(m_r.report.layers.size()), int64_t(m_candidates.size()), "adaround " + c.name);
        AdaroundLayerReport r;
        r.layer = c.name;
        r.weight = c.weight;
        ada::LayerData data;
        data.graph = &m_r.graph;
        data.node = &m_r.graph.nodes[size_t(c.node)];
        data.weight = c.weight;
        data.encoding = c.encoding;
        for (const std::string &in : data.node->inputs)
            data.constants.push_back(in.empty() || in == c.input ? at::Tensor() : m_q->impl().parameter(in));
        const at::Tensor w = ada::LayerRounder::create(data)->optimize(x.contiguous(), y, m_o, r, m_job);
        m_q->impl().parameter(c.weight).copy_(w);
        m_r.graph.initializers[c.weight] = rt::fromAt(w);
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        m_r.report.layers.push_back(std::move(r));
    }

    const Tensor &m_data;
    const QuantSimOptions &m_quant;
    const AdaroundOptions &m_o;
    Job *m_job;
    AdaroundResult m_r;
    std::unique_ptr<QuantSim> m_sim;
    std::vector<TensorEncoding> m_encodings;
    std::vector<Candidate> m_candidates;
    std::unique_ptr<Executor> m_fp, m_q;
};

} // namespace

Result<AdaroundResult> adaround(const Graph &graph, const Tensor &data, const QuantSimOptions &quant,
                                const AdaroundOptions &options, Job *job)
{
    return capture("", [&] { return Adarounder(graph, data, quant, options, job).run(); });
}

} // namespace qs
