#include "equalize/biascorrection.h"

#include "equalize/layerweights.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstring>
#include <map>
#include <set>

namespace qs {

namespace {

Tensor sliceRows(const Tensor &t, int64_t first, int64_t count)
{
    std::vector<int64_t> shape = t.shape();
    shape[0] = count;
    Tensor out(t.dtype(), shape);
    const size_t row = t.byteSize() / size_t(t.dim(0));
    std::memcpy(out.data(), t.bytes().data() + size_t(first) * row, size_t(count) * row);
    return out;
}

std::vector<int64_t> reduceDims(const at::Tensor &x)
{
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < x.dim(); ++d)
        dims.push_back(d);
    return dims;
}

at::Tensor fakeQuant(const at::Tensor &x, const Encoding &e)
{
    const IntegerGrid g = integerGrid(e);
    return at::fake_quantize_per_tensor_affine(x, e.scale, g.zeroPoint, g.qmin, g.qmax);
}

struct Pending {
    std::string layer;
    std::vector<double> fpSum;
    double fpCount = 0;
    std::vector<double> shift; // set by the quantized pass
};

class Corrector {
public:
    Corrector(const Graph &original, const Tensor &data, const BiasCorrectionOptions &o, const LayerStatsTable &stats)
        : m_original(original), m_data(data), m_o(o), m_stats(stats)
    {
    }

    BiasCorrectionResult run()
    {
        m_r.graph = m_original;
        ensureNodeNames(m_r.graph);
        auto sim = QuantSim::create(m_r.graph, m_o.quant).take();
        std::set<std::string> quantizedWeights;
        for (const QuantizerInfo &q : sim->quantizers())
            if (q.kind == QuantizerKind::Param && q.enabled && q.paramRole == "weight")
                quantizedWeights.insert(q.tensor);
        std::vector<std::string> empirical;
        for (size_t i = 0; i < m_r.graph.nodes.size(); ++i) {
            if (!LayerWeights::isLayerOp(m_r.graph.nodes[i]))
                continue;
            std::string why;
            auto L = LayerWeights::load(m_r.graph, int(i), &why);
            if (!L) {
                m_r.report.skipped.push_back({m_r.graph.nodes[i].name, why});
            } else if (!quantizedWeights.count(L->weightName())) {
                m_r.report.skipped.push_back({L->nodeName(), "its weight is not quantized"});
            } else if (m_o.method == BiasCorrectionMethod::Empirical || !analytical(*L, *sim, why)) {
                empirical.push_back(L->nodeName());
                m_reasons[L->nodeName()] = why;
            }
        }
        if (!empirical.empty())
            runEmpirical(empirical);
        return std::move(m_r);
    }

private:
    bool analytical(LayerWeights &L, QuantSim &sim, std::string &why)
    {
        const std::vector<double> ex = layerInputExpectation(m_r.graph, m_stats, L.nodeName(), &why);
        if (ex.empty())
            return false;
        const at::Tensor wq = sim.executor().impl().parameter(L.weightName()).contiguous();
        const float *q = wq.data_ptr<float>();
        std::vector<float> diff(L.weights().size());
        for (size_t k = 0; k < diff.size(); ++k)
            diff[k] = q[k] - L.weights()[k];
        const std::vector<double> shift = L.dotWith(diff, ex);
        auto &b = L.bias();
        for (size_t o = 0; o < b.size(); ++o)
            b[o] = float(double(b[o]) - shift[o]);
        L.store(m_r.graph);
        m_r.report.corrected.push_back({L.nodeName(), "analytical", shift});
        return true;
    }

    void runEmpirical(const std::vector<std::string> &layers)
    {
        if (m_data.rank() < 1 || m_data.dim(0) == 0) {
            for (const std::string &l : layers)
                m_r.report.skipped.push_back(
                    {l, (m_reasons[l].empty() ? std::string() : m_reasons[l] + "; ") + "no calibration data"});
            return;
        }
        std::map<std::string, Pending> byTensor; // layer output tensor -> accumulators
        for (const std::string &l : layers)
            byTensor[m_r.graph.nodes[size_t(findNode(m_r.graph, l))].outputs[0]].layer = l;
        measureFp(byTensor);
        runQuantized(byTensor);
        for (const std::string &l : layers)
            for (auto &kv : byTensor)
                if (kv.second.layer == l && !kv.second.shift.empty()) {
                    auto L = LayerWeights::load(m_r.graph, findNode(m_r.graph, l));
                    auto &b = L->bias();
                    for (size_t o = 0; o < b.size() && o < kv.second.shift.size(); ++o)
                        b[o] = float(double(b[o]) - kv.second.shift[o]);
                    L->store(m_r.graph);
                    m_r.report.corrected.push_back({l, "empirical", kv.second.shift});
                }
    }

    // Mean output per channel of each layer in the uncorrected FP32 model (the reference).
    void measureFp(std::map<std::string, Pending> &byTensor)
    {
        Graph reference = m_original;
        ensureNodeNames(reference);
        auto ex = Executor::create(reference).take();
        std::set<std::string> hooked;
        for (const auto &kv : byTensor)
            hooked.insert(kv.first);
        ex->impl().setHook(
            [&](const std::string &name, const at::Tensor &x) {
                auto it = byTensor.find(name);
                if (it == byTensor.end() || x.dim() < 2)
                    return x;
                const at::Tensor s = x.sum(reduceDims(x)).to(at::kDouble).contiguous();
                auto &acc = it->second.fpSum;
                acc.resize(size_t(s.numel()), 0.0);
                for (int64_t c = 0; c < s.numel(); ++c)
                    acc[size_t(c)] += s.data_ptr<double>()[c];
                it->second.fpCount += double(x.numel() / x.size(1));
                return x;
            },
            hooked);
        const std::string &input = reference.inputs.at(0).name;
        for (int64_t first = 0; first < m_data.dim(0); first += m_o.batch)
            ex->run({{input, sliceRows(m_data, first, std::min<int64_t>(m_o.batch, m_data.dim(0) - first))}}).take();
    }

    // The quantized model on all data at once; each layer's output is corrected as it appears,
    // so later layers see the earlier corrections.
    void runQuantized(std::map<std::string, Pending> &byTensor)
    {
        auto sim = QuantSim::create(m_r.graph, m_o.quant).take();
        std::map<std::string, Encoding> activations;
        if (m_o.quantizeActivations) {
            int64_t first = 0;
            sim->calibrate([&]() -> std::optional<Tensor> {
                   if (first >= m_data.dim(0))
                       return std::nullopt;
                   const int64_t n = std::min<int64_t>(m_o.batch, m_data.dim(0) - first);
                   first += n;
                   return sliceRows(m_data, first - n, n);
               }).take();
            for (const TensorEncoding &e : sim->encodings())
                if (e.kind != QuantizerKind::Param && !e.encodings.empty())
                    activations[e.tensor] = e.encodings[0];
        }
        auto ex = Executor::create(m_r.graph).take();
        for (const QuantizerInfo &q : sim->quantizers())
            if (q.kind == QuantizerKind::Param && q.enabled && q.paramRole != "bias")
                ex->impl().parameter(q.tensor) = sim->executor().impl().parameter(q.tensor).clone();
        std::set<std::string> hooked;
        for (const auto &kv : byTensor)
            hooked.insert(kv.first);
        for (const auto &kv : activations)
            hooked.insert(kv.first);
        ex->impl().setHook(
            [&](const std::string &name, const at::Tensor &x) {
                at::Tensor y = x;
                auto it = byTensor.find(name);
                if (it != byTensor.end() && x.dim() >= 2 && it->second.fpCount > 0)
                    y = correct(it->second, x);
                auto e = activations.find(name);
                return e == activations.end() ? y : fakeQuant(y, e->second);
            },
            hooked);
        ex->run({{m_r.graph.inputs.at(0).name, m_data}}).take();
    }

    static at::Tensor correct(Pending &p, const at::Tensor &x)
    {
        const at::Tensor mean = x.mean(reduceDims(x)).to(at::kDouble).contiguous();
        std::vector<float> shift(size_t(mean.numel()));
        p.shift.resize(shift.size());
        for (size_t c = 0; c < shift.size(); ++c) {
            p.shift[c] = mean.data_ptr<double>()[c] - p.fpSum[c] / p.fpCount;
            shift[c] = float(p.shift[c]);
        }
        std::vector<int64_t> view(size_t(x.dim()), 1);
        view[1] = x.size(1);
        return x - at::tensor(shift, at::kFloat).view(view);
    }

    const Graph &m_original;
    const Tensor &m_data;
    const BiasCorrectionOptions &m_o;
    const LayerStatsTable &m_stats;
    BiasCorrectionResult m_r;
    std::map<std::string, std::string> m_reasons;
};

} // namespace

Result<BiasCorrectionResult> correctBias(const Graph &graph, const Tensor &data, const BiasCorrectionOptions &options,
                                         const LayerStatsTable &stats)
{
    return capture("bias correction", [&] {
        const auto start = std::chrono::steady_clock::now();
        BiasCorrectionResult r = Corrector(graph, data, options, stats).run();
        r.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    });
}

} // namespace qs
