#include "analysis/quantsensitivity.h"

#include "analysis/weightstats.h"
#include "jobs/job.h"
#include "quant/encoding.h"
#include "runtime/executor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace qs {

namespace {

// Rows [first, first + count) of an N x ... float32 batch.
Tensor sliceRows(const Tensor &batch, int64_t first, int64_t count)
{
    std::vector<int64_t> shape = batch.shape();
    const int64_t rowBytes = int64_t(batch.byteSize()) / shape.at(0);
    shape[0] = count;
    Tensor out(batch.dtype(), shape);
    std::memcpy(out.data(), batch.bytes().data() + first * rowBytes, size_t(count * rowBytes));
    return out;
}

struct Outputs {
    std::vector<float> values; // first output, all rows
    double top1 = 0;
};

Outputs runModel(const Graph &graph, const Tensor &input, const std::vector<int64_t> &labels)
{
    std::unique_ptr<Executor> ex = Executor::create(graph).take();
    const std::string in = graph.inputs.at(0).name;
    const std::string out = graph.outputs.at(0).name;
    const int64_t n = input.dim(0);
    Outputs o;
    int64_t correct = 0;
    for (int64_t first = 0; first < n; first += 64) {
        const int64_t count = std::min<int64_t>(64, n - first);
        TensorMap result = ex->run({{in, sliceRows(input, first, count)}}).take();
        const std::vector<float> y = result.at(out).toFloats();
        const int64_t classes = int64_t(y.size()) / count;
        for (int64_t r = 0; r < count && classes > 0; ++r) {
            const auto row = y.begin() + r * classes;
            const int64_t best = std::max_element(row, row + classes) - row;
            correct += size_t(first + r) < labels.size() && labels[size_t(first + r)] == best;
        }
        o.values.insert(o.values.end(), y.begin(), y.end());
    }
    o.top1 = n > 0 ? double(correct) / double(n) : 0.0;
    return o;
}

} // namespace

double sqnrDb(const std::vector<float> &reference, const std::vector<float> &test)
{
    double signal = 0, noise = 0;
    for (size_t i = 0; i < reference.size() && i < test.size(); ++i) {
        signal += double(reference[i]) * reference[i];
        const double d = double(reference[i]) - test[i];
        noise += d * d;
    }
    if (noise <= 0)
        return kMaxSqnr;
    if (signal <= 0)
        return 0;
    return std::min(kMaxSqnr, 10.0 * std::log10(signal / noise));
}

Tensor fakeQuantizeWeight(const Tensor &weight, const TensorEncoding &encoding)
{
    if (encoding.encodings.empty())
        fail(ErrorCode::Invalid, encoding.tensor + ": no encoding");
    std::vector<float> v = weight.toFloats();
    const std::vector<int64_t> &shape = weight.shape();
    int64_t channels = 1, inner = 1;
    if (encoding.perChannel) {
        const int axis = encoding.channelAxis;
        if (axis < 0 || size_t(axis) >= shape.size())
            fail(ErrorCode::Invalid, encoding.tensor + ": channel axis " + std::to_string(axis) + " outside the weight");
        channels = shape[size_t(axis)];
        for (size_t d = size_t(axis) + 1; d < shape.size(); ++d)
            inner *= shape[d];
        if (int64_t(encoding.encodings.size()) != channels)
            fail(ErrorCode::Invalid, encoding.tensor + ": " + std::to_string(encoding.encodings.size()) +
                                         " encodings for " + std::to_string(channels) + " channels");
    }
    for (size_t i = 0; i < v.size(); ++i) {
        const int64_t c = encoding.perChannel ? (int64_t(i) / inner) % channels : 0;
        v[i] = quantizeDequantize(v[i], encoding.encodings[size_t(c)]);
    }
    return Tensor::fromFloats(shape, v);
}

Result<std::vector<LayerQuantSensitivity>> computeQuantSensitivity(const Graph &graph,
                                                                   const std::vector<TensorEncoding> &encodings,
                                                                   const Tensor &input,
                                                                   const std::vector<int64_t> &labels, Job *job)
{
    return capture("quantization sensitivity", [&] {
        std::map<std::string, const TensorEncoding *> byTensor;
        for (const TensorEncoding &e : encodings)
            if (e.kind == QuantizerKind::Param)
                byTensor[e.tensor] = &e;
        std::vector<LayerQuantSensitivity> layers;
        std::map<std::string, Tensor> quantized; // weight name -> fake-quantized weight
        for (const LayerWeightStats &s : computeWeightStats(graph)) {
            auto it = byTensor.find(s.weight);
            if (it == byTensor.end())
                continue;
            layers.push_back({s.name, s.opType, s.weight});
            quantized[s.weight] = fakeQuantizeWeight(*graph.initializer(s.weight), *it->second);
        }
        const int64_t total = 1 + 2 * int64_t(layers.size());
        int64_t done = 0;
        auto step = [&] {
            checkCancelled(job);
            if (job)
                job->setProgress(++done, total, "sensitivity");
        };
        const Outputs fp32 = runModel(graph, input, labels);
        step();
        for (LayerQuantSensitivity &l : layers) {
            Graph alone = graph;
            alone.initializers[l.weight] = quantized[l.weight];
            const Outputs a = runModel(alone, input, labels);
            l.sqnrAlone = sqnrDb(fp32.values, a.values);
            l.top1Alone = a.top1;
            step();
            Graph allBut = graph;
            for (const auto &kv : quantized)
                if (kv.first != l.weight)
                    allBut.initializers[kv.first] = kv.second;
            const Outputs b = runModel(allBut, input, labels);
            l.sqnrAllBut = sqnrDb(fp32.values, b.values);
            l.top1AllBut = b.top1;
            step();
        }
        return layers;
    });
}

} // namespace qs
