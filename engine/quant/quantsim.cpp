#include "quant/quantsim.h"

#include "data/batch.h"
#include "data/dataset.h"
#include "jobs/job.h"
#include "runtime/executorimpl.h"
#include "runtime/fakequant.h"

#include <ATen/ATen.h>

#include <set>
#include <unordered_map>

namespace qs {

namespace {

struct ActiveQuantizer {
    const QuantizerInfo *info = nullptr;
    std::vector<Encoding> encodings;   // one, or one per channel
    std::unique_ptr<EncodingAnalyzer> analyzer;
};

// Parameters round as AIMET does: q = floor(x/scale - offset + 0.5), i.e. half up on the
// non-negative grid (at::fake_quantize rounds half to even); the QDQ export stores the same values.
at::Tensor paramQuantDequant(const at::Tensor &w, const std::vector<Encoding> &enc, int axis, bool perChannel)
{
    std::vector<double> scale, offset;
    for (const Encoding &e : enc) {
        scale.push_back(e.scale);
        offset.push_back(double(e.offset));
    }
    const IntegerGrid g = integerGrid(enc[0]);
    // The grid's own span in AIMET's unsigned form: strict symmetric grids are one step shorter.
    const double steps = double(g.qmax - g.qmin);
    std::vector<int64_t> shape(size_t(w.dim()), 1);
    at::Tensor s = at::tensor(scale, at::kDouble), o = at::tensor(offset, at::kDouble);
    if (perChannel && w.dim() > 0) {
        shape[size_t(axis)] = w.size(axis);
        s = s.reshape(shape);
        o = o.reshape(shape);
    }
    at::Tensor x = w.to(at::kDouble);
    at::Tensor q = at::clamp(at::floor(x / s - o + 0.5), 0.0, steps);
    return (s * (q + o)).to(w.scalar_type());
}

} // namespace

class QuantSimImpl {
public:
    QuantSimImpl(const Graph &graph, const QuantSimOptions &options) : m_graph(graph), m_options(options)
    {
        m_quantizers = placeQuantizers(graph, options.config, options.quant).take();
        m_executor = Executor::create(graph, options.executor).take();
        for (const QuantizerInfo &q : m_quantizers) {
            if (!q.enabled)
                continue;
            ActiveQuantizer a;
            a.info = &q;
            if (q.kind == QuantizerKind::Param)
                a.encodings = paramEncodings(q);
            else
                m_hooked.insert(q.tensor);
            m_active.emplace(q.tensor, std::move(a));
        }
        applyParams();
    }

    EncodingOptions encodingOptions(const QuantizerInfo &q) const
    {
        EncodingOptions o;
        o.bitwidth = q.bitwidth;
        o.symmetric = q.symmetric;
        o.strictSymmetric = m_options.config.strictSymmetric;
        // AIMET keeps weights on the signed grid even where a channel is all positive (its exports
        // show offset -128 for every weight channel); unsigned symmetric applies to activations.
        o.unsignedSymmetric = q.kind != QuantizerKind::Param && m_options.config.unsignedSymmetric;
        return o;
    }

    std::vector<Encoding> paramEncodings(const QuantizerInfo &q) const
    {
        const Tensor *w = m_graph.initializer(q.tensor);
        if (!w)
            fail(ErrorCode::Internal, "parameter '" + q.tensor + "' is not an initializer");
        at::Tensor t = rt::toAt(*w).to(at::kFloat);
        std::vector<Encoding> out;
        if (q.perChannel && t.dim() > 0) {
            at::Tensor rows = t.movedim(q.channelAxis, 0).contiguous().reshape({t.size(q.channelAxis), -1});
            for (int64_t c = 0; c < rows.size(0); ++c)
                out.push_back(encodeValues(rows[c].contiguous(), q));
        } else {
            out.push_back(encodeValues(t.contiguous().reshape({-1}), q));
        }
        return out;
    }

    Encoding encodeValues(const at::Tensor &flat, const QuantizerInfo &q) const
    {
        auto analyzer = makeAnalyzer(m_options.scheme, m_options.percentile);
        analyzer->update(flat.data_ptr<float>(), flat.numel());
        return analyzer->compute(encodingOptions(q));
    }

    // Puts quantize-dequantized weights into the executor (the originals stay in m_graph).
    void applyParams()
    {
        ExecutorImpl &impl = m_executor->impl();
        for (auto &kv : m_active) {
            const ActiveQuantizer &a = kv.second;
            if (a.info->kind != QuantizerKind::Param)
                continue;
            at::Tensor original = rt::toAt(*m_graph.initializer(kv.first));
            if (original.scalar_type() != at::kFloat)
                continue;
            impl.parameter(kv.first) =
                paramQuantDequant(original, a.encodings, a.info->channelAxis, a.info->perChannel);
        }
    }

    // Simulation runs through the executor's own activation quantizers (fused into convolutions
    // where the plan allows), not through a hook.
    void setSimulationHook()
    {
        std::map<std::string, ActivationQdq> specs;
        for (const auto &kv : m_active) {
            const ActiveQuantizer &a = kv.second;
            if (a.info->kind == QuantizerKind::Param || a.encodings.empty())
                continue;
            const IntegerGrid g = integerGrid(a.encodings[0]);
            specs[kv.first] = ActivationQdq{float(a.encodings[0].scale), g.zeroPoint, g.qmin, g.qmax};
        }
        m_executor->impl().clearHook();
        m_executor->impl().setActivationQuantizers(std::move(specs));
    }

    void calibrate(const std::function<std::optional<Tensor>()> &next, Job *job)
    {
        for (auto &kv : m_active)
            if (kv.second.info->kind != QuantizerKind::Param)
                kv.second.analyzer = makeAnalyzer(m_options.scheme, m_options.percentile);
        const bool minMax = m_options.scheme == CalibrationScheme::MinMax;
        m_executor->impl().setActivationQuantizers({}); // observe float activations
        m_executor->impl().setHook(
            [this, minMax](const std::string &name, const at::Tensor &x) -> at::Tensor {
                auto it = m_active.find(name);
                if (it == m_active.end() || !it->second.analyzer || x.scalar_type() != at::kFloat)
                    return x;
                if (minMax) { // a running min/max needs only each batch's extremes
                    auto mm = at::aminmax(x);
                    const float v[2] = {std::get<0>(mm).item<float>(), std::get<1>(mm).item<float>()};
                    it->second.analyzer->update(v, 2);
                } else {
                    at::Tensor c = x.is_contiguous() || x.is_contiguous(at::MemoryFormat::ChannelsLast)
                                       ? x
                                       : x.contiguous();
                    it->second.analyzer->update(c.data_ptr<float>(), c.numel());
                }
                return x;
            },
            m_hooked);
        const std::string &inputName = m_graph.inputs.at(0).name;
        int64_t batches = 0;
        try {
            while (std::optional<Tensor> batch = next()) {
                checkCancelled(job);
                m_executor->run({{inputName, *batch}}).take();
                ++batches;
            }
        } catch (...) {
            m_executor->impl().clearHook();
            throw;
        }
        if (batches == 0)
            fail(ErrorCode::Invalid, "calibration needs at least one batch of data");
        for (auto &kv : m_active) {
            ActiveQuantizer &a = kv.second;
            if (!a.analyzer)
                continue;
            // A tensor the data never reached (e.g. a dead branch) keeps the analyzer's default.
            a.encodings = {a.analyzer->compute(encodingOptions(*a.info))};
            a.analyzer.reset();
        }
        m_calibrated = true;
        setSimulationHook();
    }

    std::vector<TensorEncoding> encodings() const
    {
        std::vector<TensorEncoding> out;
        for (const QuantizerInfo &q : m_quantizers) {
            auto it = m_active.find(q.tensor);
            if (!q.enabled || it == m_active.end() || it->second.encodings.empty())
                continue;
            TensorEncoding e;
            e.tensor = q.tensor;
            e.kind = q.kind;
            e.perChannel = q.perChannel && q.kind == QuantizerKind::Param;
            e.channelAxis = q.channelAxis;
            e.encodings = it->second.encodings;
            out.push_back(std::move(e));
        }
        return out;
    }

    void setEncodings(const std::vector<TensorEncoding> &encodings)
    {
        bool params = false;
        for (const TensorEncoding &e : encodings) {
            auto it = m_active.find(e.tensor);
            if (it == m_active.end())
                fail(ErrorCode::Invalid, "encodings name tensor '" + e.tensor + "', which has no enabled quantizer");
            if (e.encodings.empty())
                fail(ErrorCode::Invalid, "encodings for tensor '" + e.tensor + "' are empty");
            it->second.encodings = e.encodings;
            params = params || it->second.info->kind == QuantizerKind::Param;
        }
        if (params)
            applyParams();
        m_calibrated = true;
        for (const auto &kv : m_active)
            if (kv.second.encodings.empty())
                m_calibrated = false;
        if (m_calibrated)
            setSimulationHook();
    }

    Graph m_graph;
    QuantSimOptions m_options;
    std::vector<QuantizerInfo> m_quantizers;
    std::unique_ptr<Executor> m_executor;
    std::unordered_map<std::string, ActiveQuantizer> m_active;
    std::set<std::string> m_hooked;
    bool m_calibrated = false;
};

QuantSim::QuantSim(std::unique_ptr<QuantSimImpl> impl) : m_impl(std::move(impl)) {}
QuantSim::~QuantSim() = default;

Result<std::unique_ptr<QuantSim>> QuantSim::create(const Graph &graph, const QuantSimOptions &options)
{
    return capture("", [&]() {
        return std::unique_ptr<QuantSim>(new QuantSim(std::make_unique<QuantSimImpl>(graph, options)));
    });
}

const std::vector<QuantizerInfo> &QuantSim::quantizers() const { return m_impl->m_quantizers; }

int QuantSim::enabledQuantizerCount() const { return int(m_impl->m_active.size()); }

Result<void> QuantSim::calibrate(const std::function<std::optional<Tensor>()> &next, Job *job)
{
    return capture("", [&] { m_impl->calibrate(next, job); });
}

Result<void> QuantSim::calibrate(const Dataset &data, const Preprocess &pre, int64_t offset, int64_t count, int batch,
                                 Job *job)
{
    if (offset < 0 || count <= 0 || offset + count > data.size())
        return Error{ErrorCode::Usage, data.path() + ": calibration records " + std::to_string(offset) + ".." +
                                           std::to_string(offset + count - 1) + " are outside the data set of " +
                                           std::to_string(data.size()) + " records"};
    int64_t next = offset;
    return calibrate(
        [&]() -> std::optional<Tensor> {
            if (next >= offset + count)
                return std::nullopt;
            const int64_t n = std::min<int64_t>(batch, offset + count - next);
            Batch b = loadBatch(data, pre, next, n).take();
            next += n;
            if (job)
                job->setProgress(next - offset, count, "calibrating");
            return std::move(b.input);
        },
        job);
}

bool QuantSim::isCalibrated() const { return m_impl->m_calibrated; }

Executor &QuantSim::executor() { return *m_impl->m_executor; }

std::vector<TensorEncoding> QuantSim::encodings() const { return m_impl->encodings(); }

QuantizerArgs QuantSim::quantizerArgs() const
{
    QuantizerArgs a;
    a.quantScheme = std::string("post_training_") + calibrationSchemeName(m_impl->m_options.scheme);
    a.paramBitwidth = m_impl->m_options.quant.paramBitwidth;
    a.activationBitwidth = m_impl->m_options.quant.activationBitwidth;
    a.isSymmetric = m_impl->m_options.config.opsSymmetric;
    a.perChannel = m_impl->m_options.quant.perChannel.value_or(m_impl->m_options.config.perChannel);
    return a;
}

Result<void> QuantSim::setEncodings(const std::vector<TensorEncoding> &encodings)
{
    return capture("", [&] { m_impl->setEncodings(encodings); });
}

const Graph &QuantSim::graph() const { return m_impl->m_graph; }

} // namespace qs
