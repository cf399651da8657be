#include "compress/svdsplit.h"

#include "compress/layergeometry.h"
#include "core/error.h"
#include "equalize/layerweights.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

using Matrix = Eigen::MatrixXd;

// Rank-r factors of m: m ≈ a · b with a = U sqrt(S) (rows x r), b = sqrt(S) V^T (r x cols).
void factorize(const Matrix &m, int64_t rank, Matrix &a, Matrix &b)
{
    Eigen::BDCSVD<Matrix> svd(m, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::Index r = std::min<Eigen::Index>(rank, svd.singularValues().size());
    const Eigen::VectorXd root = svd.singularValues().head(r).cwiseSqrt();
    a = svd.matrixU().leftCols(r) * root.asDiagonal();
    b = root.asDiagonal() * svd.matrixV().leftCols(r).transpose();
}

Tensor toTensor(std::vector<int64_t> shape, const std::vector<float> &values)
{
    return Tensor::fromFloats(std::move(shape), values);
}

SvdFactors convFactors(const Tensor &w, CompressMethod method, int64_t rank)
{
    const int64_t o = w.dim(0), i = w.dim(1), kh = w.dim(2), kw = w.dim(3);
    const float *p = w.dataAs<float>();
    auto at = [&](int64_t oo, int64_t ii, int64_t y, int64_t x) { return double(p[((oo * i + ii) * kh + y) * kw + x]); };
    Matrix a, b;
    SvdFactors f;
    if (method == CompressMethod::SpatialSvd) {
        // Rows (i, y), columns (o, x): the first layer filters along H, the second along W.
        Matrix m(i * kh, o * kw);
        for (int64_t oo = 0; oo < o; ++oo)
            for (int64_t ii = 0; ii < i; ++ii)
                for (int64_t y = 0; y < kh; ++y)
                    for (int64_t x = 0; x < kw; ++x)
                        m(ii * kh + y, oo * kw + x) = at(oo, ii, y, x);
        factorize(m, rank, a, b);
        const int64_t r = a.cols();
        std::vector<float> first(size_t(r * i * kh)), second(size_t(o * r * kw));
        for (int64_t rr = 0; rr < r; ++rr)
            for (int64_t ii = 0; ii < i; ++ii)
                for (int64_t y = 0; y < kh; ++y)
                    first[size_t((rr * i + ii) * kh + y)] = float(a(ii * kh + y, rr));
        for (int64_t oo = 0; oo < o; ++oo)
            for (int64_t rr = 0; rr < r; ++rr)
                for (int64_t x = 0; x < kw; ++x)
                    second[size_t((oo * r + rr) * kw + x)] = float(b(rr, oo * kw + x));
        f.first = toTensor({r, i, kh, 1}, first);
        f.second = toTensor({o, r, 1, kw}, second);
        return f;
    }
    // Rows (o, y, x), columns i: a 1x1 layer mixes the input channels, the second one keeps the kernel.
    Matrix m(o * kh * kw, i);
    for (int64_t oo = 0; oo < o; ++oo)
        for (int64_t ii = 0; ii < i; ++ii)
            for (int64_t y = 0; y < kh; ++y)
                for (int64_t x = 0; x < kw; ++x)
                    m((oo * kh + y) * kw + x, ii) = at(oo, ii, y, x);
    factorize(m, rank, a, b);
    const int64_t r = a.cols();
    std::vector<float> first(size_t(r * i)), second(size_t(o * r * kh * kw));
    for (int64_t rr = 0; rr < r; ++rr)
        for (int64_t ii = 0; ii < i; ++ii)
            first[size_t(rr * i + ii)] = float(b(rr, ii));
    for (int64_t oo = 0; oo < o; ++oo)
        for (int64_t rr = 0; rr < r; ++rr)
            for (int64_t y = 0; y < kh; ++y)
                for (int64_t x = 0; x < kw; ++x)
                    second[size_t(((oo * r + rr) * kh + y) * kw + x)] = float(a((oo * kh + y) * kw + x, rr));
    f.first = toTensor({r, i, 1, 1}, first);
    f.second = toTensor({o, r, kh, kw}, second);
    return f;
}

SvdFactors matrixFactors(const Tensor &w, int64_t rank)
{
    const int64_t out = w.dim(0), in = w.dim(1);
    const float *p = w.dataAs<float>();
    Matrix m(out, in);
    for (int64_t r = 0; r < out; ++r)
        for (int64_t c = 0; c < in; ++c)
            m(r, c) = p[r * in + c];
    Matrix a, b;
    factorize(m, rank, a, b);
    const int64_t r = a.cols();
    std::vector<float> first(size_t(r * in)), second(size_t(out * r));
    for (int64_t rr = 0; rr < r; ++rr)
        for (int64_t c = 0; c < in; ++c)
            first[size_t(rr * in + c)] = float(b(rr, c));
    for (int64_t o = 0; o < out; ++o)
        for (int64_t rr = 0; rr < r; ++rr)
            second[size_t(o * r + rr)] = float(a(o, rr));
    return {toTensor({r, in}, first), toTensor({out, r}, second)};
}

Tensor transposed(const Tensor &m)
{
    const int64_t rows = m.dim(0), cols = m.dim(1);
    std::vector<float> v(size_t(rows * cols));
    const float *p = m.dataAs<float>();
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            v[size_t(c * rows + r)] = p[r * cols + c];
    return Tensor::fromFloats({cols, rows}, v);
}

// The layer's weight as an ONNX Conv weight or as an [out, in] matrix.
Tensor canonicalWeight(const Tensor &w, const LayerGeometry &g)
{
    if (g.kind == LayerGeometry::Kind::Conv || g.transB)
        return w;
    return transposed(w); // Gemm without transB and MatMul store [in, out]
}

void setConvAttrs(Node &n, std::vector<int64_t> kernel, std::vector<int64_t> strides, std::vector<int64_t> pads)
{
    n.attributes.erase("auto_pad");
    n.attributes.erase("dilations");
    n.attributes["kernel_shape"] = Attribute::ofInts(std::move(kernel));
    n.attributes["strides"] = Attribute::ofInts(std::move(strides));
    n.attributes["pads"] = Attribute::ofInts(std::move(pads));
    n.attributes["group"] = Attribute::ofInt(1);
}

// Attributes of the two convolutions: strides and pads go to the layer that filters along them.
void splitConvAttrs(const Node &orig, const LayerGeometry &g, CompressMethod method, Node &first, Node &second)
{
    const std::vector<int64_t> pads = orig.attrInts("pads", {0, 0, 0, 0});
    if (method == CompressMethod::SpatialSvd) {
        setConvAttrs(first, {g.kh, 1}, {g.sh, 1}, {pads[0], 0, pads[2], 0});
        setConvAttrs(second, {1, g.kw}, {1, g.sw}, {0, pads[1], 0, pads[3]});
    } else if (g.kh * g.kw == 1) {
        setConvAttrs(first, {1, 1}, {g.sh, g.sw}, pads);
        setConvAttrs(second, {1, 1}, {1, 1}, {0, 0, 0, 0});
    } else {
        setConvAttrs(first, {1, 1}, {1, 1}, {0, 0, 0, 0});
        setConvAttrs(second, {g.kh, g.kw}, {g.sh, g.sw}, pads);
    }
}

} // namespace

SvdFactors svdFactors(const Tensor &weight, CompressMethod method, int64_t rank)
{
    if (weight.rank() == 4)
        return convFactors(weight, method, rank);
    return matrixFactors(weight, rank);
}

std::vector<std::string> applySvdSplit(Graph &graph, const std::string &nodeName, CompressMethod method, int64_t rank)
{
    const int index = findNode(graph, nodeName);
    if (index < 0)
        fail(ErrorCode::Invalid, "SVD: no node named '" + nodeName + "'");
    std::string why;
    const std::optional<LayerGeometry> g = layerGeometry(graph, index, &why);
    if (!g)
        fail(ErrorCode::Unsupported, "SVD: " + graph.nodes[size_t(index)].label() + ": " + why);
    const Node orig = graph.nodes[size_t(index)];
    SvdFactors f = svdFactors(canonicalWeight(*graph.initializer(orig.inputs[1]), *g), method, rank);
    Node first, second;
    first.name = orig.name + ".0";
    second.name = orig.name + ".1";
    first.opType = second.opType = orig.opType;
    const std::string mid = uniqueTensorName(graph, orig.outputs[0] + "_svd");
    const std::string w1 = uniqueTensorName(graph, orig.inputs[1] + "_svd0");
    const std::string w2 = uniqueTensorName(graph, orig.inputs[1] + "_svd1");
    first.inputs = {orig.inputs[0], w1};
    first.outputs = {mid};
    second.inputs = {mid, w2};
    if (orig.hasInput(2))
        second.inputs.push_back(orig.inputs[2]);
    second.outputs = orig.outputs;
    if (g->kind == LayerGeometry::Kind::Conv) {
        splitConvAttrs(orig, *g, method, first, second);
    } else if (g->kind == LayerGeometry::Kind::Gemm) {
        first.attributes["transB"] = second.attributes["transB"] = Attribute::ofInt(1);
    } else {
        f.first = transposed(f.first); // MatMul multiplies by [in, r] then [r, out]
        f.second = transposed(f.second);
    }
    graph.initializers.erase(orig.inputs[1]);
    graph.initializers[w1] = std::move(f.first);
    graph.initializers[w2] = std::move(f.second);
    graph.nodes[size_t(index)] = second;
    graph.nodes.insert(graph.nodes.begin() + index, first);
    return {first.name, second.name};
}

} // namespace qs
