#include "equalize/layerstats.h"

#include "equalize/layerweights.h"
#include "runtime/executorimpl.h"

#include <ATen/ATen.h>

#include <cmath>
#include <set>

namespace qs {

namespace {

struct Moments {
    std::string layer;
    std::vector<double> sum, squares;
    double count = 0;
};

void accumulate(Moments &m, const at::Tensor &x)
{
    if (x.dim() < 2 || x.scalar_type() != at::kFloat)
        return;
    std::vector<int64_t> dims{0};
    for (int64_t d = 2; d < x.dim(); ++d)
        dims.push_back(d);
    const at::Tensor s = x.sum(dims).contiguous();
    const at::Tensor q = (x * x).sum(dims).contiguous();
    const int64_t c = x.size(1);
    if (m.sum.empty()) {
        m.sum.assign(size_t(c), 0.0);
        m.squares.assign(size_t(c), 0.0);
    }
    if (int64_t(m.sum.size()) != c)
        return;
    const float *ps = s.data_ptr<float>(), *pq = q.data_ptr<float>();
    for (int64_t i = 0; i < c; ++i) {
        m.sum[size_t(i)] += ps[i];
        m.squares[size_t(i)] += pq[i];
    }
    m.count += double(x.numel() / c);
}

} // namespace

Result<LayerStatsTable> measureLayerStats(const Graph &graph, const std::function<std::optional<Tensor>()> &next,
                                          const std::vector<std::string> &layers)
{
    return capture("measuring layer statistics", [&] {
        const std::set<std::string> wanted(layers.begin(), layers.end());
        std::map<std::string, Moments> byTensor;
        std::set<std::string> hooked;
        for (const Node &n : graph.nodes)
            if (LayerWeights::isLayerOp(n) && (wanted.empty() || wanted.count(n.name)) && !n.outputs.empty()) {
                byTensor[n.outputs[0]].layer = n.name;
                hooked.insert(n.outputs[0]);
            }
        if (graph.inputs.empty())
            fail(ErrorCode::Invalid, "the model has no input");
        auto executor = Executor::create(graph).take();
        executor->impl().setHook(
            [&](const std::string &name, const at::Tensor &x) {
                auto it = byTensor.find(name);
                if (it != byTensor.end())
                    accumulate(it->second, x);
                return x;
            },
            hooked);
        int64_t batches = 0;
        while (std::optional<Tensor> batch = next()) {
            executor->run({{graph.inputs[0].name, *batch}}).take();
            ++batches;
        }
        if (batches == 0)
            fail(ErrorCode::Invalid, "no data to measure layer statistics on");
        LayerStatsTable table;
        for (const auto &kv : byTensor) {
            const Moments &m = kv.second;
            if (m.count <= 0)
                continue;
            LayerStats st;
            st.source = "measured";
            for (size_t c = 0; c < m.sum.size(); ++c) {
                const double mean = m.sum[c] / m.count;
                st.mean.push_back(mean);
                st.stddev.push_back(std::sqrt(std::max(0.0, m.squares[c] / m.count - mean * mean)));
            }
            table[m.layer] = std::move(st);
        }
        return table;
    });
}

} // namespace qs
