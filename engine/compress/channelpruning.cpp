#include "compress/channelpruning.h"

#include "core/error.h"
#include "equalize/channelchain.h"
#include "equalize/layerweights.h"

#include <Eigen/Dense>

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

namespace qs {

std::vector<int64_t> selectInputChannels(const Tensor &weight, int64_t kept)
{
    const int64_t o = weight.dim(0), c = weight.dim(1);
    const int64_t inner = weight.numel() / std::max<int64_t>(1, o * c);
    const float *p = weight.dataAs<float>();
    std::vector<double> norm(size_t(c), 0.0);
    for (int64_t oo = 0; oo < o; ++oo)
        for (int64_t cc = 0; cc < c; ++cc)
            for (int64_t k = 0; k < inner; ++k) {
                const double v = p[(oo * c + cc) * inner + k];
                norm[size_t(cc)] += v * v;
            }
    std::vector<int64_t> order(static_cast<size_t>(c));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return norm[size_t(a)] > norm[size_t(b)]; });
    order.resize(size_t(std::clamp<int64_t>(kept, 0, c)));
    std::sort(order.begin(), order.end());
    return order;
}

Tensor sliceInputChannels(const Tensor &weight, const std::vector<int64_t> &channels)
{
    std::vector<int64_t> shape = weight.shape();
    const int64_t o = shape[0], c = shape[1];
    const int64_t inner = weight.numel() / std::max<int64_t>(1, o * c);
    shape[1] = int64_t(channels.size());
    Tensor out(DType::Float32, shape);
    const float *src = weight.dataAs<float>();
    float *dst = out.dataAs<float>();
    for (int64_t oo = 0; oo < o; ++oo)
        for (size_t k = 0; k < channels.size(); ++k)
            std::copy_n(src + (oo * c + channels[k]) * inner, inner, dst + (oo * int64_t(channels.size()) + int64_t(k)) * inner);
    return out;
}

PatchSampler::PatchSampler(const LayerGeometry &geometry, std::vector<int64_t> pads, int samplesPerImage, uint32_t seed)
    : m_g(geometry), m_pads(std::move(pads)), m_perImage(samplesPerImage), m_seed(seed)
{
    if (m_pads.size() != 4)
        m_pads = {0, 0, 0, 0};
}

void PatchSampler::addPatches(const Tensor &input, int64_t firstImage, std::vector<float> &rows) const
{
    const int64_t n = input.dim(0), c = input.dim(1), h = input.dim(2), w = input.dim(3);
    const float *x = input.dataAs<float>();
    for (int64_t img = 0; img < n; ++img) {
        std::mt19937 rng(m_seed ^ uint32_t((firstImage + img) * 2654435761u));
        std::uniform_int_distribution<int64_t> py(0, m_g.outH - 1), px(0, m_g.outW - 1);
        for (int s = 0; s < m_perImage; ++s) {
            const int64_t oy = py(rng), ox = px(rng);
            for (int64_t cc = 0; cc < c; ++cc)
                for (int64_t ky = 0; ky < m_g.kh; ++ky)
                    for (int64_t kx = 0; kx < m_g.kw; ++kx) {
                        const int64_t iy = oy * m_g.sh - m_pads[0] + ky, ix = ox * m_g.sw - m_pads[1] + kx;
                        const bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                        rows.push_back(inside ? x[((img * c + cc) * h + iy) * w + ix] : 0.f);
                    }
        }
    }
}

Tensor reconstructWeight(const Tensor &originalWeight, const std::vector<float> &patches,
                         const std::vector<float> &targetPatches, const std::vector<int64_t> &kept)
{
    using Matrix = Eigen::MatrixXd;
    const int64_t o = originalWeight.dim(0), c = originalWeight.dim(1);
    const int64_t inner = originalWeight.numel() / (o * c);
    const int64_t features = c * inner, keptFeatures = int64_t(kept.size()) * inner;
    const int64_t rows = int64_t(patches.size()) / features;
    if (rows == 0 || int64_t(targetPatches.size()) != rows * features)
        fail(ErrorCode::Invalid, "reconstruction: no samples, or input and target samples differ in count");
    const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> w(
        originalWeight.dataAs<float>(), o, features);
    const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> xt(
        targetPatches.data(), rows, features);
    const Matrix y = xt.cast<double>() * w.cast<double>().transpose(); // rows x O
    Matrix a(rows, keptFeatures);
    for (int64_t r = 0; r < rows; ++r)
        for (size_t k = 0; k < kept.size(); ++k)
            for (int64_t j = 0; j < inner; ++j)
                a(r, int64_t(k) * inner + j) = patches[size_t(r * features + kept[k] * inner + j)];
    Matrix gram = a.transpose() * a;
    // A small ridge keeps the normal equations solvable when channels are constant or few samples exist.
    const double ridge = 1e-6 * std::max(1e-12, gram.diagonal().mean());
    gram.diagonal().array() += ridge;
    const Matrix solution = gram.ldlt().solve(a.transpose() * y); // keptFeatures x O
    std::vector<int64_t> shape = originalWeight.shape();
    shape[1] = int64_t(kept.size());
    Tensor out(DType::Float32, shape);
    float *dst = out.dataAs<float>();
    for (int64_t oo = 0; oo < o; ++oo)
        for (int64_t f = 0; f < keptFeatures; ++f)
            dst[oo * keptFeatures + f] = float(solution(f, oo));
    return out;
}

std::vector<int64_t> rankInputChannelsLeastSquares(const Tensor &originalWeight, const std::vector<float> &patches,
                                                   const std::vector<float> &targetPatches, int64_t featuresPerStep)
{
    using Matrix = Eigen::MatrixXd;
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const int64_t o = originalWeight.dim(0), c = originalWeight.dim(1);
    const int64_t inner = originalWeight.numel() / (o * c);
    const int64_t features = c * inner;
    const int64_t rows = int64_t(patches.size()) / features;
    if (rows == 0 || int64_t(patches.size()) != rows * features || targetPatches.size() != patches.size())
        fail(ErrorCode::Invalid, "channel selection: no samples, or input and target samples differ in count");
    const Eigen::Map<const RowMajor> w(originalWeight.dataAs<float>(), o, features);
    const Matrix a = Eigen::Map<const RowMajor>(patches.data(), rows, features).cast<double>();
    const Matrix y = Eigen::Map<const RowMajor>(targetPatches.data(), rows, features).cast<double>() *
                     w.cast<double>().transpose();
    Matrix gram = a.transpose() * a;
    gram.diagonal().array() += 1e-6 * std::max(1e-12, gram.diagonal().mean()); // as reconstructWeight
    // The inverse Gram matrix of the active features and the least-squares solution over them. Taking
    // group g out of the fit raises the error by tr(W_g^T (Ginv_gg)^-1 W_g); both are then downdated
    // by the Schur complement of the group's block.
    Matrix inverse = gram.ldlt().solve(Matrix::Identity(features, features));
    Matrix solution = inverse * (a.transpose() * y);
    std::vector<int64_t> active(static_cast<size_t>(c));
    std::iota(active.begin(), active.end(), 0);
    std::vector<int64_t> removed;
    while (active.size() > 1) {
        std::vector<std::pair<double, size_t>> rises; // (rise, position in active)
        for (size_t p = 0; p < active.size(); ++p) {
            const Eigen::Index at = Eigen::Index(p) * inner;
            const Matrix block = inverse.block(at, at, inner, inner);
            const Matrix wg = solution.middleRows(at, inner);
            rises.emplace_back(block.ldlt().solve(wg).cwiseProduct(wg).sum(), p);
        }
        // Ties: the higher channel goes first. One channel per featuresPerStep active features goes per
        // step (at least one), ranked by their single rises.
        std::stable_sort(rises.begin(), rises.end(), [](const auto &x, const auto &y) {
            return x.first < y.first || (x.first == y.first && x.second > y.second);
        });
        const size_t count =
            std::clamp<size_t>(size_t(int64_t(active.size()) * inner / std::max<int64_t>(1, featuresPerStep)), 1,
                               active.size() - 1);
        std::vector<bool> goes(active.size(), false);
        for (size_t i = 0; i < count; ++i) {
            goes[rises[i].second] = true;
            removed.push_back(active[rises[i].second]);
        }
        std::vector<Eigen::Index> keep, gone;
        std::vector<int64_t> still;
        for (size_t p = 0; p < active.size(); ++p) {
            for (int64_t j = 0; j < inner; ++j)
                (goes[p] ? gone : keep).push_back(Eigen::Index(p) * inner + j);
            if (!goes[p])
                still.push_back(active[p]);
        }
        const Matrix cross = inverse(keep, gone);
        const Eigen::LDLT<Matrix> block(Matrix(inverse(gone, gone)));
        Matrix nextInverse = inverse(keep, keep) - cross * block.solve(cross.transpose());
        Matrix nextSolution = solution(keep, Eigen::all) - cross * block.solve(Matrix(solution(gone, Eigen::all)));
        inverse.swap(nextInverse);
        solution.swap(nextSolution);
        active.swap(still);
    }
    std::vector<int64_t> ranking = active;
    ranking.insert(ranking.end(), removed.rbegin(), removed.rend());
    return ranking;
}

std::vector<int64_t> firstChannels(const std::vector<int64_t> &ranking, int64_t kept)
{
    std::vector<int64_t> out(ranking.begin(), ranking.begin() + std::clamp<std::ptrdiff_t>(kept, 0, std::ptrdiff_t(ranking.size())));
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

bool isPerChannelUnary(const Graph &graph, const Node &n)
{
    static const std::set<std::string> ops = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish",
                                              "Identity", "Elu", "Selu", "Softplus", "MaxPool", "AveragePool"};
    if (ops.count(n.opType))
        return true;
    if (n.opType != "Clip")
        return false;
    for (size_t i = 1; i < n.inputs.size(); ++i) {
        const Tensor *bound = n.hasInput(i) ? graph.initializer(n.inputs[i]) : nullptr;
        if (bound && bound->numel() != 1)
            return false;
    }
    return true;
}

// Pad with constant zeros that leaves the batch and channel axes alone (amounts may be computed
// from constants, as exporters write them).
bool isChannelZeroPad(const GraphIndex &index, const Node &n)
{
    if (n.opType != "Pad" || n.attrString("mode", "constant") != "constant" || !n.hasInput(1))
        return false;
    const std::optional<Tensor> pads = index.constant(n.inputs[1]);
    if (!pads || pads->numel() < 4 || pads->numel() % 2)
        return false;
    const std::vector<int64_t> p = pads->toInt64s();
    const size_t rank = p.size() / 2;
    if (p[0] || p[1] || p[rank] || p[rank + 1])
        return false;
    if (n.hasInput(2)) {
        const std::optional<Tensor> value = index.constant(n.inputs[2]);
        if (!value || value->numel() != 1 || value->toFloats()[0] != 0.f)
            return false;
    }
    return true;
}

bool ownsInitializers(const Graph &graph, const Node &n, size_t from)
{
    for (size_t i = from; i < n.inputs.size(); ++i) {
        if (!n.hasInput(i))
            continue;
        const Tensor *t = graph.initializer(n.inputs[i]);
        if (!t || t->dtype() != DType::Float32 || graph.consumerIndices(n.inputs[i]).size() != 1)
            return false;
    }
    return true;
}

bool isDepthwise(const Graph &graph, const Node &n)
{
    const Tensor *w = n.opType == "Conv" && n.hasInput(1) ? graph.initializer(n.inputs[1]) : nullptr;
    return w && w->rank() == 4 && w->dim(1) == 1 && n.attrInt("group", 1) == w->dim(0) && w->dim(0) > 1;
}

struct WinnowWalk {
    std::vector<int> passed;   // nodes shrunk on both sides (BN, depthwise); activations need nothing
    std::vector<std::string> tensors; // tensors whose channel count changes
    int producer = -1;         // Conv whose output channels are removed
    std::string stop;
};

WinnowWalk walkProducers(const Graph &graph, int layer)
{
    WinnowWalk walk;
    std::string t = graph.nodes[size_t(layer)].inputs[0];
    int from = layer;
    const GraphIndex index(graph);
    for (;;) {
        for (const ValueInfo &o : graph.outputs)
            if (o.name == t)
                return walk.stop = "'" + t + "' is a model output", walk;
        const std::vector<int> consumers = graph.consumerIndices(t);
        if (consumers.size() != 1) {
            const int other = consumers.front() == from ? consumers.back() : consumers.front();
            return walk.stop = "'" + t + "' also feeds " + graph.nodes[size_t(other)].label(), walk;
        }
        walk.tensors.push_back(t);
        const int p = graph.producerIndex(t);
        if (p < 0)
            return walk.stop = "'" + t + "' is a model input", walk;
        const Node &n = graph.nodes[size_t(p)];
        if (isPerChannelUnary(graph, n) || isChannelZeroPad(index, n)) {
        } else if (n.opType == "BatchNormalization" && ownsInitializers(graph, n, 1) && n.outputs.size() == 1) {
            walk.passed.push_back(p);
        } else if (isDepthwise(graph, n) && ownsInitializers(graph, n, 1)) {
            walk.passed.push_back(p);
        } else if (n.opType == "Conv" && n.attrInt("group", 1) == 1 && ownsInitializers(graph, n, 1)) {
            walk.producer = p;
            return walk;
        } else {
            return walk.stop = "channels pass " + n.label() + ", which cannot be shrunk", walk;
        }
        t = n.inputs[0];
        from = p;
    }
}

// Replaces initializer input `i` of node n by its rows `channels` along `axis` 0.
void sliceRows(Graph &graph, Node &n, size_t i, const std::vector<int64_t> &channels)
{
    if (!n.hasInput(i))
        return;
    const Tensor &t = *graph.initializer(n.inputs[i]);
    std::vector<int64_t> shape = t.shape();
    const int64_t inner = t.numel() / shape[0];
    shape[0] = int64_t(channels.size());
    Tensor out(DType::Float32, shape);
    for (size_t k = 0; k < channels.size(); ++k)
        std::copy_n(t.dataAs<float>() + channels[k] * inner, inner, out.dataAs<float>() + int64_t(k) * inner);
    graph.initializers[n.inputs[i]] = std::move(out);
}

void setChannels(Graph &graph, const std::string &tensor, int64_t channels)
{
    auto it = graph.valueInfo.find(tensor);
    if (it != graph.valueInfo.end() && it->second.shape.size() > 1)
        it->second.shape[1] = channels;
}

void insertGather(Graph &graph, int index, const std::vector<int64_t> &kept)
{
    Node &conv = graph.nodes[size_t(index)];
    const std::string in = conv.inputs[0];
    const std::string indices = uniqueTensorName(graph, conv.name + ".kept_channels");
    graph.initializers[indices] = Tensor::fromInt64s({int64_t(kept.size())}, kept);
    const std::string out = uniqueTensorName(graph, in + "_kept");
    Node gather;
    gather.name = conv.name + ".gather";
    gather.opType = "Gather";
    gather.inputs = {in, indices};
    gather.outputs = {out};
    gather.attributes["axis"] = Attribute::ofInt(1);
    conv.inputs[0] = out;
    if (const ValueInfo *vi = graph.info(in)) {
        ValueInfo copy = *vi;
        copy.name = out;
        if (copy.shape.size() > 1)
            copy.shape[1] = int64_t(kept.size());
        graph.valueInfo[out] = copy;
    }
    graph.nodes.insert(graph.nodes.begin() + index, gather);
}

} // namespace

WinnowPath winnowPath(const Graph &graph, const std::string &node)
{
    const int index = findNode(graph, node);
    if (index < 0)
        fail(ErrorCode::Invalid, "channel pruning: no node named '" + node + "'");
    const WinnowWalk walk = walkProducers(graph, index);
    WinnowPath path;
    for (int p : walk.passed)
        path.passed.push_back(graph.nodes[size_t(p)].name);
    if (walk.producer >= 0)
        path.producer = graph.nodes[size_t(walk.producer)].name;
    path.stop = walk.stop;
    return path;
}

WinnowResult applyChannelPruning(Graph &graph, const std::string &node, const std::vector<int64_t> &kept,
                                 const Tensor &weight, bool winnow)
{
    const int index = findNode(graph, node);
    if (index < 0)
        fail(ErrorCode::Invalid, "channel pruning: no node named '" + node + "'");
    graph.initializers[graph.nodes[size_t(index)].inputs[1]] = weight;
    WinnowResult result;
    const WinnowWalk walk = winnow ? walkProducers(graph, index) : WinnowWalk{};
    if (!winnow || walk.producer < 0) {
        result.skipped = winnow ? walk.stop : "winnowing off";
        insertGather(graph, index, kept);
        return result;
    }
    for (int p : walk.passed) {
        Node &n = graph.nodes[size_t(p)];
        for (size_t i = 1; i < n.inputs.size(); ++i)
            sliceRows(graph, n, i, kept);
        if (n.opType == "Conv")
            n.attributes["group"] = Attribute::ofInt(int64_t(kept.size()));
        result.shrunk.push_back(n.name);
    }
    Node &producer = graph.nodes[size_t(walk.producer)];
    sliceRows(graph, producer, 1, kept);
    sliceRows(graph, producer, 2, kept);
    result.shrunk.push_back(producer.name);
    for (const std::string &t : walk.tensors)
        setChannels(graph, t, int64_t(kept.size()));
    return result;
}

} // namespace qs
