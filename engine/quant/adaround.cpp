#include "quant/adaround.h"

#include "equalize/layerweights.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <set>

namespace qs {

namespace {

constexpr double kZeta = 1.1;
constexpr double kGamma = -0.1;

// Thrown by the collecting hook once every layer of the group is done: ends the pass early.
struct GroupDone {};

struct Candidate {
    int node = -1;
    std::string name, input, output, weight;
    const QuantizerInfo *quantizer = nullptr;
    const TensorEncoding *encoding = nullptr;
    int64_t outputBytesPerSample = -1;
};

bool isAdaroundOp(const std::string &op)
{
    return op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul";
}

// Scale and offset as tensors broadcasting against the weight (per channel along the axis).
std::pair<at::Tensor, at::Tensor> gridTensors(const TensorEncoding &e, const at::Tensor &w)
{
    std::vector<double> s, o;
    for (const Encoding &x : e.encodings) {
        s.push_back(std::max(x.scale, 1e-12));
        o.push_back(double(x.offset));
    }
    at::Tensor scale = at::tensor(s, at::kDouble).to(at::kFloat);
    at::Tensor offset = at::tensor(o, at::kDouble).to(at::kFloat);
    if (e.perChannel && e.encodings.size() > 1) {
        std::vector<int64_t> shape(size_t(w.dim()), 1);
        shape[size_t(e.channelAxis)] = w.size(e.channelAxis);
        scale = scale.reshape(shape);
        offset = offset.reshape(shape);
    } else {
        scale = scale.reshape({});
        offset = offset.reshape({});
    }
    return {scale, offset};
}

class LayerRounder {
public:
    LayerRounder(const Graph &g, const Candidate &c, ExecutorImpl &quantized, const AdaroundOptions &o)
        : m_c(c), m_o(o)
    {
        const Node &node = g.nodes[size_t(c.node)];
        const rt::KernelFactory *factory = rt::OpRegistry::builtin().find(node.opType);
        rt::CompileContext ctx{node, g.opsetVersion, {}, {}, {}};
        for (const auto &in : node.inputs) {
            ctx.inputInfo.push_back(in.empty() ? nullptr : g.info(in));
            ctx.constants.push_back(at::Tensor());
        }
        for (const auto &out : node.outputs)
            ctx.outputInfo.push_back(out.empty() ? nullptr : g.info(out));
        m_kernel = (*factory)(ctx);
        for (const auto &in : node.inputs)
            m_args.push_back(in.empty() || in == node.inputs[0] || in == c.weight ? at::Tensor()
                                                                                  : quantized.parameter(in));
        m_w = rt::toAt(*g.initializer(c.weight)).to(at::kFloat);
        std::tie(m_scale, m_offset) = gridTensors(*c.encoding, m_w);
        const IntegerGrid grid = integerGrid(c.encoding->encodings[0]);
        m_steps = double(grid.qmax - grid.qmin);
        m_floor = at::floor(m_w / m_scale);
        m_frac = m_w / m_scale - m_floor;
    }

    // Learns the rounding on inputs x and FP32 targets y (N x ... each); returns the weights.
    at::Tensor optimize(const at::Tensor &x, const at::Tensor &y, AdaroundLayerReport &r, const Job *job)
    {
        at::AutoGradMode grad(true);
        const int64_t n = x.size(0);
        const int64_t evalN = std::min<int64_t>(n, 256);
        const at::Tensor nearest = (m_frac >= 0.5).to(at::kFloat);
        {
            at::NoGradGuard ng;
            r.mseNearest = mse(x.narrow(0, 0, evalN), y.narrow(0, 0, evalN), nearest);
        }
        at::Tensor alpha = -at::log((kZeta - kGamma) / (m_frac.clamp(1e-6, 1 - 1e-6) - kGamma) - 1.0);
        alpha.requires_grad_(true);
        at::Tensor m1 = at::zeros_like(alpha), m2 = at::zeros_like(alpha);
        std::mt19937_64 rng(m_o.seed + uint64_t(m_c.node));
        std::uniform_int_distribution<int64_t> pick(0, n - 1);
        const int64_t b = std::min<int64_t>(m_o.batchSize, n);
        std::vector<int64_t> idx(static_cast<size_t>(b));
        const int total = m_o.iterations;
        const int warm = int(m_o.warmStart * total);
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (int t = 0; t < total; ++t) {
            if (t % 64 == 0)
                checkCancelled(job);
            for (auto &i : idx)
                i = pick(rng);
            const at::Tensor sel = at::tensor(idx, at::kLong);
            const at::Tensor xb = x.index_select(0, sel), yb = y.index_select(0, sel);
            const at::Tensor h = softRounding(alpha);
            at::Tensor loss = reconstruction(xb, yb, h);
            if (t >= warm) {
                const double rel = double(t - warm) / double(std::max(1, total - warm));
                const double beta = m_o.betaEnd + 0.5 * (m_o.betaStart - m_o.betaEnd) * (1 + std::cos(M_PI * rel));
                loss = loss + m_o.regParam * (1 - (2 * h - 1).abs().pow(beta)).sum();
            }
            alpha.mutable_grad() = at::Tensor();
            loss.backward();
            at::NoGradGuard ng;
            const at::Tensor g = alpha.grad();
            m1.mul_(b1).add_(g, 1 - b1);
            m2.mul_(b2).addcmul_(g, g, 1 - b2);
            const double c1 = 1 - std::pow(b1, t + 1), c2 = 1 - std::pow(b2, t + 1);
            alpha.sub_(m1 / c1 / ((m2 / c2).sqrt() + eps) * m_o.learningRate);
        }
        at::NoGradGuard ng;
        const at::Tensor hard = (alpha >= 0).to(at::kFloat);
        r.mseAdarounded = mse(x.narrow(0, 0, evalN), y.narrow(0, 0, evalN), hard);
        r.roundedUpChanged = (hard != nearest).to(at::kFloat).mean().item<double>();
        r.weights = m_w.numel();
        return quantized(hard);
    }

private:
    at::Tensor softRounding(const at::Tensor &alpha) const
    {
        return at::clamp(at::sigmoid(alpha) * (kZeta - kGamma) + kGamma, 0.0, 1.0);
    }

    at::Tensor quantized(const at::Tensor &h) const
    {
        return m_scale * (at::clamp(m_floor + h - m_offset, 0.0, m_steps) + m_offset);
    }

    at::Tensor output(const at::Tensor &x, const at::Tensor &h)
    {
        rt::TensorList args = m_args;
        args[0] = x;
        args[1] = quantized(h);
        return m_kernel(args)[0];
    }

    // Squared error summed over channels (dim 1), averaged over samples and positions.
    at::Tensor reconstruction(const at::Tensor &x, const at::Tensor &y, const at::Tensor &h)
    {
        const at::Tensor d = output(x, h) - y;
        return d.dim() >= 2 ? d.pow(2).sum(1).mean() : d.pow(2).mean();
    }

    double mse(const at::Tensor &x, const at::Tensor &y, const at::Tensor &h)
    {
        return (output(x, h) - y).pow(2).mean().item<double>();
    }

    const Candidate &m_c;
    const AdaroundOptions &m_o;
    rt::Kernel m_kernel;
    rt::TensorList m_args;
    at::Tensor m_w, m_scale, m_offset, m_floor, m_frac;
    double m_steps = 255;
};

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
        if (m_o.iterations < 1 || m_o.batchSize < 1)
            fail(ErrorCode::Usage, "AdaRound needs at least one iteration and a batch of at least one sample");
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
            c.quantizer = q->second;
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
        LayerRounder rounder(m_r.graph, c, m_q->impl(), m_o);
        const at::Tensor w = rounder.optimize(x.contiguous(), y, r, m_job);
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
