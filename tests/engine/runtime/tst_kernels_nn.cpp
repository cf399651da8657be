// Neural-network kernels (convolution, matrix products, normalisation, pooling, reductions, Pad,
// Resize, quantisation) run as one-node graphs through the public Executor, checked against
// values worked out by hand from ONNX's operator definitions.
#include "core/error.h"
#include "graph/graph.h"
#include "runtime/executor.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>

using namespace qs;

namespace {

// One-node graph builder: inputs are fed at run time, constants become initializers.
class NodeCase {
public:
    explicit NodeCase(const std::string &op, int64_t opset = 13)
    {
        m_graph.opsetVersion = opset;
        m_node.name = "n";
        m_node.opType = op;
    }
    NodeCase &input(const std::string &name, const Tensor &v)
    {
        m_node.inputs.push_back(name);
        m_graph.inputs.push_back(ValueInfo{name, v.dtype(), v.shape(), {}, true});
        m_feed[name] = v;
        return *this;
    }
    NodeCase &constant(const std::string &name, const Tensor &v)
    {
        m_node.inputs.push_back(name);
        m_graph.initializers[name] = v;
        return *this;
    }
    NodeCase &omitted()
    {
        m_node.inputs.push_back("");
        return *this;
    }
    NodeCase &attr(const std::string &name, Attribute a)
    {
        m_node.attributes[name] = std::move(a);
        return *this;
    }
    NodeCase &outputs(const std::vector<std::string> &names)
    {
        m_node.outputs = names;
        return *this;
    }
    Result<TensorMap> run()
    {
        if (m_node.outputs.empty())
            m_node.outputs = {"y"};
        Graph g = m_graph;
        g.nodes = {m_node};
        for (const auto &o : m_node.outputs)
            if (!o.empty())
                g.outputs.push_back(ValueInfo{o, DType::Float32, {}, {}, false});
        // The unfused plan, so that every node runs through its own kernel.
        ExecutorOptions options;
        options.optimize = false;
        auto exec = Executor::create(g, options);
        if (!exec)
            return exec.error();
        return (*exec)->run(m_feed);
    }

private:
    Graph m_graph;
    Node m_node;
    TensorMap m_feed;
};

Tensor floats(std::vector<int64_t> shape, std::vector<float> v) { return Tensor::fromFloats(std::move(shape), v); }

Tensor iota(std::vector<int64_t> shape, float start = 1.f)
{
    std::vector<float> v(size_t(shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = start + float(i);
    return floats(std::move(shape), v);
}

template <typename T>
Tensor ints(DType t, std::vector<int64_t> shape, const std::vector<T> &v)
{
    Tensor out(t, std::move(shape));
    for (size_t i = 0; i < v.size(); ++i)
        out.dataAs<T>()[i] = v[i];
    return out;
}

// Empty when t has `shape` and `values` (within tol; infinities and NaN match themselves), else a
// description of the difference.
QString mismatch(const Tensor &t, const std::vector<int64_t> &shape, const std::vector<float> &values,
                 float tol = 1e-5f)
{
    if (t.shape() != shape)
        return QString::fromStdString("shape " + shapeString(t.shape()) + ", expected " + shapeString(shape));
    const std::vector<float> got = t.toFloats();
    for (size_t i = 0; i < got.size(); ++i)
        if (got[i] != values[i] && !(std::isnan(got[i]) && std::isnan(values[i])) &&
            !(std::fabs(got[i] - values[i]) <= tol * std::max(1.f, std::fabs(values[i]))))
            return QStringLiteral("element %1 is %2, expected %3").arg(i).arg(got[i]).arg(values[i]);
    return {};
}


// Naive 2-D pooling straight from ONNX's definition (pads as [top, left, bottom, right]).
struct PoolCase {
    int64_t h, w, k, s, d;
    std::vector<int64_t> pads;
    bool ceil, isMax, countPads;
};

int64_t onnxPoolOut(int64_t in, int64_t pb, int64_t pe, int64_t k, int64_t s, int64_t d, bool ceil)
{
    const int64_t span = in + pb + pe - ((k - 1) * d + 1);
    return (ceil ? (span + s - 1) / s : span / s) + 1;
}

std::vector<float> naivePool(const PoolCase &c, const std::vector<float> &x, int64_t &oh, int64_t &ow,
                             std::vector<int64_t> &argmax)
{
    oh = onnxPoolOut(c.h, c.pads[0], c.pads[2], c.k, c.s, c.d, c.ceil);
    ow = onnxPoolOut(c.w, c.pads[1], c.pads[3], c.k, c.s, c.d, c.ceil);
    std::vector<float> y;
    for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
            float best = -std::numeric_limits<float>::infinity(), sum = 0;
            int count = 0;
            int64_t at = -1;
            for (int64_t a = 0; a < c.k; ++a)
                for (int64_t b = 0; b < c.k; ++b) {
                    const int64_t r = i * c.s - c.pads[0] + a * c.d, q = j * c.s - c.pads[1] + b * c.d;
                    if (r >= 0 && r < c.h && q >= 0 && q < c.w) {
                        if (x[size_t(r * c.w + q)] > best) {
                            best = x[size_t(r * c.w + q)];
                            at = r * c.w + q;
                        }
                        sum += x[size_t(r * c.w + q)];
                        ++count;
                    } else if (c.countPads && r >= -c.pads[0] && r < c.h + c.pads[2] && q >= -c.pads[1] &&
                               q < c.w + c.pads[3]) {
                        ++count;
                    }
                }
            y.push_back(c.isMax ? best : sum / float(count));
            argmax.push_back(at);
        }
    return y;
}

// Naive 2-D convolution (one image), pads as [top, left, bottom, right].
struct ConvCase {
    int64_t c, m, h, w, k, s, d, group;
    std::vector<int64_t> pads;
};

std::vector<float> naiveConv(const ConvCase &c, const std::vector<float> &x, const std::vector<float> &wt,
                             const std::vector<float> &bias, int64_t &oh, int64_t &ow)
{
    oh = onnxPoolOut(c.h, c.pads[0], c.pads[2], c.k, c.s, c.d, false);
    ow = onnxPoolOut(c.w, c.pads[1], c.pads[3], c.k, c.s, c.d, false);
    const int64_t cg = c.c / c.group, mg = c.m / c.group;
    std::vector<float> y;
    for (int64_t o = 0; o < c.m; ++o)
        for (int64_t i = 0; i < oh; ++i)
            for (int64_t j = 0; j < ow; ++j) {
                double acc = bias[size_t(o)];
                for (int64_t ci = 0; ci < cg; ++ci)
                    for (int64_t a = 0; a < c.k; ++a)
                        for (int64_t b = 0; b < c.k; ++b) {
                            const int64_t r = i * c.s - c.pads[0] + a * c.d, q = j * c.s - c.pads[1] + b * c.d;
                            if (r < 0 || r >= c.h || q < 0 || q >= c.w)
                                continue;
                            const int64_t channel = (o / mg) * cg + ci;
                            acc += double(x[size_t((channel * c.h + r) * c.w + q)]) *
                                   wt[size_t(((o * cg + ci) * c.k + a) * c.k + b)];
                        }
                y.push_back(float(acc));
            }
    return y;
}

std::vector<float> randomValues(std::mt19937 &rng, size_t n)
{
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    std::vector<float> v(n);
    for (float &f : v)
        f = u(rng);
    return v;
}

} // namespace

#define CHECK_RUN(result)                                                                                        \
    QVERIFY2((result).ok(), (result).ok() ? "" : (result).error().message.c_str())
#define CHECK_TENSOR(t, shape, ...)                                                                              \
    do {                                                                                                         \
        const QString m_ = mismatch((t), shape, __VA_ARGS__);                                                    \
        QVERIFY2(m_.isEmpty(), qPrintable(m_));                                                                  \
    } while (0)

using Shape = std::vector<int64_t>;
using Values = std::vector<float>;

class TestKernelsNn : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void convAsymmetricPads();
    void convAutoPad_data();
    void convAutoPad();
    void convRejectsBadAutoPad();
    void convMatchesNaiveReference();
    void convTransposeOutputShape();
    void gemmAttributes();
    void matMulVector();
    void batchNormInference();
    void layerNormStatistics();
    void maxPoolCeilMode();
    void maxPoolAsymmetricPadsIndices();
    void averagePoolCeilMode();
    void poolMatchesNaiveReference();
    void averagePoolAsymmetricPads_data();
    void averagePoolAsymmetricPads();
    void reduceAxes();
    void padModes_data();
    void padModes();
    void resizeHalfPixelLinear();
    void resizeAlignCornersUsesUnroundedLength();
    void resizeNearestModes_data();
    void resizeNearestModes();
    void quantizeRoundsHalfToEven();
    void dequantizePerAxis();
    void matMulIntegerRowZeroPoints();
    void qlinearMatMulRequantizes();
};

void TestKernelsNn::convAsymmetricPads()
{
    // Pads [top=1, left=0, bottom=0, right=1] around 1..9; all-ones 3x3 kernel, bias 1.
    auto r = NodeCase("Conv")
                 .input("x", iota({1, 1, 3, 3}))
                 .constant("w", floats({1, 1, 3, 3}, Values(9, 1.f)))
                 .constant("b", floats({1}, {1.f}))
                 .attr("pads", Attribute::ofInts({1, 0, 0, 1}))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 2, 2}), Values{22, 17, 46, 34});
}

void TestKernelsNn::convAutoPad_data()
{
    QTest::addColumn<QString>("autoPad");
    QTest::addColumn<Values>("expected");
    // 4x4 input 1..16, 3x3 ones, stride 2: one padding cell, at the end (UPPER) or the start (LOWER).
    QTest::newRow("same_upper") << "SAME_UPPER" << Values{54, 45, 72, 54};
    QTest::newRow("same_lower") << "SAME_LOWER" << Values{14, 30, 57, 99};
}

void TestKernelsNn::convAutoPad()
{
    QFETCH(QString, autoPad);
    QFETCH(Values, expected);
    auto r = NodeCase("Conv")
                 .input("x", iota({1, 1, 4, 4}))
                 .constant("w", floats({1, 1, 3, 3}, Values(9, 1.f)))
                 .attr("strides", Attribute::ofInts({2, 2}))
                 .attr("auto_pad", Attribute::ofString(autoPad.toStdString()))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 2, 2}), expected);
}

void TestKernelsNn::convRejectsBadAutoPad()
{
    auto r = NodeCase("Conv")
                 .input("x", iota({1, 1, 4, 4}))
                 .constant("w", floats({1, 1, 3, 3}, Values(9, 1.f)))
                 .attr("auto_pad", Attribute::ofString("SAME"))
                 .run();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, std::string("Conv 'n': unknown auto_pad 'SAME'"));
}

void TestKernelsNn::convMatchesNaiveReference()
{
    // Seeded random geometries: groups, strides, dilations and asymmetric pads.
    std::mt19937 rng(11);
    auto pick = [&rng](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int trial = 0; trial < 60; ++trial) {
        ConvCase c;
        c.group = pick(1, 2);
        c.c = c.group * pick(1, 2);
        c.m = c.group * pick(1, 2);
        c.k = pick(1, 3);
        c.s = pick(1, 2);
        c.d = pick(1, 2);
        c.pads = {pick(0, 2), pick(0, 2), pick(0, 2), pick(0, 2)};
        c.h = pick((c.k - 1) * c.d + 1, 7);
        c.w = pick((c.k - 1) * c.d + 1, 7);
        const std::vector<float> x = randomValues(rng, size_t(c.c * c.h * c.w));
        const std::vector<float> w = randomValues(rng, size_t(c.m * (c.c / c.group) * c.k * c.k));
        const std::vector<float> b = randomValues(rng, size_t(c.m));
        int64_t oh = 0, ow = 0;
        const std::vector<float> expected = naiveConv(c, x, w, b, oh, ow);
        auto r = NodeCase("Conv")
                     .input("x", floats({1, c.c, c.h, c.w}, x))
                     .input("w", floats({c.m, c.c / c.group, c.k, c.k}, w))
                     .input("b", floats({c.m}, b))
                     .attr("group", Attribute::ofInt(c.group))
                     .attr("strides", Attribute::ofInts({c.s, c.s}))
                     .attr("dilations", Attribute::ofInts({c.d, c.d}))
                     .attr("pads", Attribute::ofInts(c.pads))
                     .run();
        CHECK_RUN(r);
        const QString m = mismatch(r->at("y"), Shape({1, c.m, oh, ow}), expected, 1e-4f);
        QVERIFY2(m.isEmpty(), qPrintable(QStringLiteral("trial %1: %2").arg(trial).arg(m)));
    }
}

void TestKernelsNn::convTransposeOutputShape()
{
    // x = [1, 2], kernel [1, 1, 1], stride 2: full output [1 1 3 2 2]; output_shape 4 crops one
    // cell from the start (total padding 1 goes to the beginning when auto_pad is NOTSET).
    auto r = NodeCase("ConvTranspose")
                 .input("x", floats({1, 1, 2}, {1, 2}))
                 .constant("w", floats({1, 1, 3}, {1, 1, 1}))
                 .constant("b", floats({1}, {10}))
                 .attr("strides", Attribute::ofInts({2}))
                 .attr("output_shape", Attribute::ofInts({4}))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 4}), Values{11, 13, 12, 12});
}

void TestKernelsNn::gemmAttributes()
{
    // A * B' = [[4, 2], [10, 5]]; Y = 2 * A * B' + 0.5 * C with C = [10, 20] broadcast over rows.
    auto r = NodeCase("Gemm")
                 .input("a", iota({2, 3}))
                 .constant("b", floats({2, 3}, {1, 0, 1, 0, 1, 0}))
                 .constant("c", floats({2}, {10, 20}))
                 .attr("transB", Attribute::ofInt(1))
                 .attr("alpha", Attribute::ofFloat(2.f))
                 .attr("beta", Attribute::ofFloat(0.5f))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({2, 2}), Values{13, 14, 25, 20});
}

void TestKernelsNn::matMulVector()
{
    auto r = NodeCase("MatMul").input("a", iota({3})).constant("b", iota({3, 2})).run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({2}), Values{22, 28});
}

void TestKernelsNn::batchNormInference()
{
    // Channel 0: (1 - 0) / 1 * 1 + 0; channel 1: (2 - 1) / 2 * 2 + 1.
    auto r = NodeCase("BatchNormalization")
                 .input("x", floats({1, 2, 1, 1}, {1, 2}))
                 .constant("s", floats({2}, {1, 2}))
                 .constant("b", floats({2}, {0, 1}))
                 .constant("m", floats({2}, {0, 1}))
                 .constant("v", floats({2}, {1, 4}))
                 .attr("epsilon", Attribute::ofFloat(0.f))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 2, 1, 1}), Values{1, 2});
}

void TestKernelsNn::layerNormStatistics()
{
    // Rows [1 2 3] and [2 4 6]: means 2 and 4, variances 2/3 and 8/3.
    const float inv0 = 1.f / std::sqrt(2.f / 3.f), inv1 = 1.f / std::sqrt(8.f / 3.f);
    auto r = NodeCase("LayerNormalization", 17)
                 .input("x", floats({2, 3}, {1, 2, 3, 2, 4, 6}))
                 .constant("s", floats({3}, {1, 1, 2}))
                 .constant("b", floats({3}, {0, 0, 1}))
                 .attr("epsilon", Attribute::ofFloat(0.f))
                 .outputs({"y", "mean", "inv"})
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({2, 3}), Values{-inv0, 0, 1 + 2 * inv0, -2 * inv1, 0, 1 + 4 * inv1});
    CHECK_TENSOR(r->at("mean"), Shape({2, 1}), Values{2, 4});
    CHECK_TENSOR(r->at("inv"), Shape({2, 1}), Values{inv0, inv1});
}

void TestKernelsNn::maxPoolCeilMode()
{
    // 4x4 input 1..16, 3x3 windows, stride 2: ceil_mode adds the partial windows at rows/cols 2..3.
    auto r = NodeCase("MaxPool")
                 .input("x", iota({1, 1, 4, 4}))
                 .attr("kernel_shape", Attribute::ofInts({3, 3}))
                 .attr("strides", Attribute::ofInts({2, 2}))
                 .attr("ceil_mode", Attribute::ofInt(1))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 2, 2}), Values{11, 12, 15, 16});
}

void TestKernelsNn::maxPoolAsymmetricPadsIndices()
{
    // 2x2 windows, stride 1, one padding row and column at the end; two channels (1..9, 10..18).
    auto r = NodeCase("MaxPool")
                 .input("x", iota({1, 2, 3, 3}))
                 .attr("kernel_shape", Attribute::ofInts({2, 2}))
                 .attr("pads", Attribute::ofInts({0, 0, 1, 1}))
                 .outputs({"y", "idx"})
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 2, 3, 3}),
                 Values{5, 6, 6, 8, 9, 9, 8, 9, 9, 14, 15, 15, 17, 18, 18, 17, 18, 18});
    QCOMPARE(r->at("idx").dtype(), DType::Int64);
    QCOMPARE(r->at("idx").toInt64s(),
             (std::vector<int64_t>{4, 5, 5, 7, 8, 8, 7, 8, 8, 13, 14, 14, 16, 17, 17, 16, 17, 17}));
}

void TestKernelsNn::averagePoolCeilMode()
{
    // Partial windows average their valid cells only: 54/9, 45/6, 72/6, 54/4.
    auto r = NodeCase("AveragePool")
                 .input("x", iota({1, 1, 4, 4}))
                 .attr("kernel_shape", Attribute::ofInts({3, 3}))
                 .attr("strides", Attribute::ofInts({2, 2}))
                 .attr("ceil_mode", Attribute::ofInt(1))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 2, 2}), Values{6, 7.5, 12, 13.5});
}

void TestKernelsNn::poolMatchesNaiveReference()
{
    // Seeded random geometries: asymmetric pads up to the kernel size, ceil_mode, dilation (max only).
    std::mt19937 rng(7);
    auto pick = [&rng](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int trial = 0; trial < 200; ++trial) {
        PoolCase c;
        c.isMax = trial % 2 == 0;
        c.k = pick(1, 4);
        c.s = pick(1, 3);
        c.d = c.isMax ? pick(1, 2) : 1;
        c.pads = {pick(0, c.k - 1), pick(0, c.k - 1), pick(0, c.k - 1), pick(0, c.k - 1)};
        c.h = pick((c.k - 1) * c.d + 1, 9);
        c.w = pick((c.k - 1) * c.d + 1, 9);
        c.ceil = pick(0, 1) == 1;
        c.countPads = !c.isMax && pick(0, 1) == 1;
        const std::vector<float> x = randomValues(rng, size_t(c.h * c.w));
        int64_t oh = 0, ow = 0;
        std::vector<int64_t> argmax;
        const std::vector<float> expected = naivePool(c, x, oh, ow, argmax);
        NodeCase node(c.isMax ? "MaxPool" : "AveragePool");
        node.input("x", floats({1, 1, c.h, c.w}, x))
            .attr("kernel_shape", Attribute::ofInts({c.k, c.k}))
            .attr("strides", Attribute::ofInts({c.s, c.s}))
            .attr("pads", Attribute::ofInts(c.pads))
            .attr("ceil_mode", Attribute::ofInt(c.ceil));
        if (c.isMax)
            node.attr("dilations", Attribute::ofInts({c.d, c.d})).outputs({"y", "idx"});
        else
            node.attr("count_include_pad", Attribute::ofInt(c.countPads));
        auto r = node.run();
        CHECK_RUN(r);
        const QString m = mismatch(r->at("y"), Shape({1, 1, oh, ow}), expected);
        QVERIFY2(m.isEmpty(), qPrintable(QStringLiteral("trial %1: %2").arg(trial).arg(m)));
        if (!c.isMax)
            continue;
        // Windows that lie wholly in the padding have no defined index.
        const std::vector<int64_t> idx = r->at("idx").toInt64s();
        for (size_t i = 0; i < idx.size(); ++i)
            QVERIFY2(argmax[i] < 0 || idx[i] == argmax[i],
                     qPrintable(QStringLiteral("trial %1: index %2 is %3, expected %4")
                                    .arg(trial)
                                    .arg(i)
                                    .arg(idx[i])
                                    .arg(argmax[i])));
    }
}

void TestKernelsNn::averagePoolAsymmetricPads_data()
{
    QTest::addColumn<int>("countPads");
    QTest::addColumn<Values>("expected");
    QTest::newRow("exclude_pad") << 0 << Values{1, 1.5, 2.5, 2.5, 3, 4, 5.5, 6, 7};
    QTest::newRow("include_pad") << 1 << Values{0.25, 0.75, 1.25, 1.25, 3, 4, 2.75, 6, 7};
}

void TestKernelsNn::averagePoolAsymmetricPads()
{
    QFETCH(int, countPads);
    QFETCH(Values, expected);
    // 2x2 windows over 1..9 with one padding row and column at the start.
    auto r = NodeCase("AveragePool")
                 .input("x", iota({1, 1, 3, 3}))
                 .attr("kernel_shape", Attribute::ofInts({2, 2}))
                 .attr("pads", Attribute::ofInts({1, 1, 0, 0}))
                 .attr("count_include_pad", Attribute::ofInt(countPads))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 3, 3}), expected);
}

void TestKernelsNn::reduceAxes()
{
    auto mean = NodeCase("ReduceMean")
                    .input("x", iota({2, 2}))
                    .attr("axes", Attribute::ofInts({-1}))
                    .attr("keepdims", Attribute::ofInt(0))
                    .run();
    CHECK_RUN(mean);
    CHECK_TENSOR(mean->at("y"), Shape({2}), Values{1.5, 3.5});

    auto sum = NodeCase("ReduceSum", 13).input("x", iota({2, 2})).constant("axes", Tensor::fromInt64s({1}, {0})).run();
    CHECK_RUN(sum);
    CHECK_TENSOR(sum->at("y"), Shape({1, 2}), Values{4, 6});

    auto noop = NodeCase("ReduceSum", 13)
                    .input("x", iota({2, 2}))
                    .constant("axes", Tensor::fromInt64s({0}, {}))
                    .attr("noop_with_empty_axes", Attribute::ofInt(1))
                    .run();
    CHECK_RUN(noop);
    CHECK_TENSOR(noop->at("y"), Shape({2, 2}), Values{1, 2, 3, 4});

    auto l2 = NodeCase("ReduceL2").input("x", floats({2}, {3, 4})).attr("keepdims", Attribute::ofInt(0)).run();
    CHECK_RUN(l2);
    CHECK_TENSOR(l2->at("y"), Shape({}), Values{5});
}

void TestKernelsNn::padModes_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<std::vector<int64_t>>("pads");
    QTest::addColumn<Shape>("shape");
    QTest::addColumn<Values>("expected");
    QTest::newRow("reflect") << "reflect" << std::vector<int64_t>{0, 2, 0, 1} << Shape{1, 6}
                             << Values{3, 2, 1, 2, 3, 2};
    QTest::newRow("edge") << "edge" << std::vector<int64_t>{0, 2, 0, 1} << Shape{1, 6} << Values{1, 1, 1, 2, 3, 3};
    QTest::newRow("constant_crop") << "constant" << std::vector<int64_t>{0, -1, 0, 2} << Shape{1, 4}
                                   << Values{2, 3, 9, 9};
    QTest::newRow("reflect_crop") << "reflect" << std::vector<int64_t>{1, -1, 0, 1} << Shape{2, 3}
                                  << Values{2, 3, 2, 2, 3, 2};
}

void TestKernelsNn::padModes()
{
    QFETCH(QString, mode);
    QFETCH(std::vector<int64_t>, pads);
    QFETCH(Shape, shape);
    QFETCH(Values, expected);
    auto r = NodeCase("Pad", 13)
                 .input("x", iota({1, 3}))
                 .constant("pads", Tensor::fromInt64s({4}, pads))
                 .constant("value", Tensor::scalarFloat(9.f))
                 .attr("mode", Attribute::ofString(mode.toStdString()))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), shape, expected);

    // Opset 2 takes pads and value as attributes.
    auto old = NodeCase("Pad", 9)
                   .input("x", iota({1, 3}))
                   .attr("pads", Attribute::ofInts(pads))
                   .attr("value", Attribute::ofFloat(9.f))
                   .attr("mode", Attribute::ofString(mode.toStdString()))
                   .run();
    CHECK_RUN(old);
    CHECK_TENSOR(old->at("y"), shape, expected);
}

void TestKernelsNn::resizeHalfPixelLinear()
{
    // 2x upsampling of [[1 2] [3 4]]: half_pixel source coordinates -0.25, 0.25, 0.75, 1.25 (clamped).
    auto r = NodeCase("Resize", 13)
                 .input("x", iota({1, 1, 2, 2}))
                 .omitted()
                 .constant("scales", floats({4}, {1, 1, 2, 2}))
                 .attr("mode", Attribute::ofString("linear"))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 4, 4}),
                 Values{1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4});
}

void TestKernelsNn::resizeAlignCornersUsesUnroundedLength()
{
    // Scale 0.6 on 4 columns: 2 outputs, but ONNX maps x = 1 to 1 * 3 / (2.4 - 1) = 2.142857.
    auto r = NodeCase("Resize", 13)
                 .input("x", iota({1, 1, 2, 4}))
                 .constant("roi", floats({0}, {}))
                 .constant("scales", floats({4}, {1, 1, 0.6f, 0.6f}))
                 .attr("mode", Attribute::ofString("linear"))
                 .attr("coordinate_transformation_mode", Attribute::ofString("align_corners"))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 1, 1, 2}), Values{1, 1 + 3.f / 1.4f});
}

void TestKernelsNn::resizeNearestModes_data()
{
    QTest::addColumn<QString>("coord");
    QTest::addColumn<QString>("nearest");
    QTest::addColumn<Values>("expected");
    // 4 -> 8 cells over 1..4. asymmetric: sources 0, .5, 1, 1.5, ...; half_pixel: -.25, .25, .75, ...
    QTest::newRow("asym_prefer_floor") << "asymmetric" << "round_prefer_floor" << Values{1, 1, 2, 2, 3, 3, 4, 4};
    QTest::newRow("asym_prefer_ceil") << "asymmetric" << "round_prefer_ceil" << Values{1, 2, 2, 3, 3, 4, 4, 4};
    QTest::newRow("half_pixel_floor") << "half_pixel" << "floor" << Values{1, 1, 1, 2, 2, 3, 3, 4};
    QTest::newRow("half_pixel_ceil") << "half_pixel" << "ceil" << Values{1, 2, 2, 3, 3, 4, 4, 4};
}

void TestKernelsNn::resizeNearestModes()
{
    QFETCH(QString, coord);
    QFETCH(QString, nearest);
    QFETCH(Values, expected);
    auto r = NodeCase("Resize", 13)
                 .input("x", iota({1, 4}))
                 .omitted()
                 .omitted()
                 .constant("sizes", Tensor::fromInt64s({2}, {1, 8}))
                 .attr("coordinate_transformation_mode", Attribute::ofString(coord.toStdString()))
                 .attr("nearest_mode", Attribute::ofString(nearest.toStdString()))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({1, 8}), expected);
}

void TestKernelsNn::quantizeRoundsHalfToEven()
{
    const Tensor x = floats({7}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 300.f, -300.f});
    auto s8 = NodeCase("QuantizeLinear")
                  .input("x", x)
                  .constant("s", Tensor::scalarFloat(1.f))
                  .constant("z", ints<int8_t>(DType::Int8, {}, {0}))
                  .run();
    CHECK_RUN(s8);
    QCOMPARE(s8->at("y").dtype(), DType::Int8);
    QCOMPARE(s8->at("y").toInt64s(), (std::vector<int64_t>{0, 2, 2, 0, -2, 127, -128}));

    auto u8 = NodeCase("QuantizeLinear", 10)
                  .input("x", x)
                  .constant("s", Tensor::scalarFloat(1.f))
                  .constant("z", ints<uint8_t>(DType::UInt8, {}, {128}))
                  .run();
    CHECK_RUN(u8);
    QCOMPARE(u8->at("y").dtype(), DType::UInt8);
    QCOMPARE(u8->at("y").toInt64s(), (std::vector<int64_t>{128, 130, 130, 128, 126, 255, 0}));

    // Without a zero point the output is uint8 (saturating at 0); scale 2 halves 1, 3, 5.
    auto dflt = NodeCase("QuantizeLinear")
                    .input("x", floats({4}, {1, 3, 5, -4}))
                    .constant("s", Tensor::scalarFloat(2.f))
                    .run();
    CHECK_RUN(dflt);
    QCOMPARE(dflt->at("y").dtype(), DType::UInt8);
    QCOMPARE(dflt->at("y").toInt64s(), (std::vector<int64_t>{0, 2, 2, 0}));
}

void TestKernelsNn::dequantizePerAxis()
{
    // axis 1 (default): column scales [0.5, 2], zero points [1, -1].
    auto r = NodeCase("DequantizeLinear")
                 .input("x", ints<int8_t>(DType::Int8, {2, 2}, {1, 2, 3, 4}))
                 .constant("s", floats({2}, {0.5f, 2.f}))
                 .constant("z", ints<int8_t>(DType::Int8, {2}, {1, -1}))
                 .run();
    CHECK_RUN(r);
    CHECK_TENSOR(r->at("y"), Shape({2, 2}), Values{0, 6, 1, 10});
}

void TestKernelsNn::matMulIntegerRowZeroPoints()
{
    // A - [1; 2] = [[2 3] [3 4]], B - 1 = [[0 1] [2 3]].
    auto r = NodeCase("MatMulInteger", 10)
                 .input("a", ints<uint8_t>(DType::UInt8, {2, 2}, {3, 4, 5, 6}))
                 .constant("b", ints<uint8_t>(DType::UInt8, {2, 2}, {1, 2, 3, 4}))
                 .constant("za", ints<uint8_t>(DType::UInt8, {2}, {1, 2}))
                 .constant("zb", ints<uint8_t>(DType::UInt8, {}, {1}))
                 .run();
    CHECK_RUN(r);
    QCOMPARE(r->at("y").dtype(), DType::Int32);
    QCOMPARE(r->at("y").toInt64s(), (std::vector<int64_t>{6, 11, 8, 15}));
}

void TestKernelsNn::qlinearMatMulRequantizes()
{
    // Accumulator 10 * 2 + 20 * 3 = 80, times 0.5 * 1 / 16 = 2.5, rounds to even 2, plus 10.
    auto r = NodeCase("QLinearMatMul", 10)
                 .input("a", ints<uint8_t>(DType::UInt8, {1, 2}, {10, 20}))
                 .constant("as", Tensor::scalarFloat(0.5f))
                 .constant("az", ints<uint8_t>(DType::UInt8, {}, {0}))
                 .constant("b", ints<uint8_t>(DType::UInt8, {2, 1}, {2, 3}))
                 .constant("bs", Tensor::scalarFloat(1.f))
                 .constant("bz", ints<uint8_t>(DType::UInt8, {}, {0}))
                 .constant("ys", Tensor::scalarFloat(16.f))
                 .constant("yz", ints<uint8_t>(DType::UInt8, {}, {10}))
                 .run();
    CHECK_RUN(r);
    QCOMPARE(r->at("y").dtype(), DType::UInt8);
    QCOMPARE(r->at("y").toInt64s(), (std::vector<int64_t>{12}));
}

QTEST_APPLESS_MAIN(TestKernelsNn)
#include "tst_kernels_nn.moc"
