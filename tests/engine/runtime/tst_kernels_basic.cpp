// Elementwise, activation and shape kernels on tiny graphs built in code, run through the public
// Executor and checked against hand-computed values.
#include "runtime/executor.h"

#include <QTest>

#include <cmath>
#include <cstdint>
#include <limits>

using namespace qs;

namespace {

class GraphBuilder {
public:
    explicit GraphBuilder(int64_t opset) { m_g.opsetVersion = opset; }

    GraphBuilder &input(const std::string &name, DType dtype)
    {
        m_g.inputs.push_back(ValueInfo{name, dtype, {}, {}, false});
        return *this;
    }
    GraphBuilder &init(const std::string &name, Tensor t)
    {
        m_g.initializers.emplace(name, std::move(t));
        return *this;
    }
    GraphBuilder &node(const std::string &op, std::vector<std::string> in, std::vector<std::string> out,
                       std::map<std::string, Attribute> attrs = {})
    {
        Node n;
        n.name = op + std::to_string(m_g.nodes.size());
        n.opType = op;
        n.inputs = std::move(in);
        n.outputs = std::move(out);
        n.attributes = std::move(attrs);
        m_g.nodes.push_back(std::move(n));
        return *this;
    }
    GraphBuilder &output(const std::string &name)
    {
        m_g.outputs.push_back(ValueInfo{name, DType::Float32, {}, {}, false});
        return *this;
    }
    const Graph &graph() const { return m_g; }

private:
    Graph m_g;
};

Result<TensorMap> runGraph(const Graph &g, const TensorMap &inputs)
{
    auto ex = Executor::create(g);
    if (!ex.ok())
        return ex.error();
    return ex.value()->run(inputs);
}

Tensor ints64(std::vector<int64_t> shape, std::vector<int64_t> values)
{
    return Tensor::fromInt64s(std::move(shape), values);
}

Tensor int64Scalar(int64_t v) { return Tensor::fromInt64s({}, {v}); }

Tensor floats(std::vector<int64_t> shape, std::vector<float> values)
{
    return Tensor::fromFloats(std::move(shape), values);
}

Tensor iota(std::vector<int64_t> shape)
{
    std::vector<float> v(size_t(shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = float(i);
    return Tensor::fromFloats(std::move(shape), v);
}

template <typename T>
Tensor typed(DType dtype, std::vector<int64_t> shape, std::vector<T> values)
{
    Tensor t(dtype, std::move(shape));
    std::memcpy(t.data(), values.data(), values.size() * sizeof(T));
    return t;
}

Tensor bools(std::vector<int64_t> shape, std::vector<int> values)
{
    Tensor t(DType::Bool, std::move(shape));
    for (size_t i = 0; i < values.size(); ++i)
        t.dataAs<uint8_t>()[i] = values[i] ? 1 : 0;
    return t;
}

bool near(const std::vector<float> &a, const std::vector<float> &b, float tol = 1e-5f)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::fabs(a[i] - b[i]) > tol)
            return false;
    return true;
}

} // namespace

// Runs `builder` on `inputs` into `out` (a TensorMap), failing the test with the error message.
#define RUN_GRAPH(out, builder, ...)                                                          \
    TensorMap out;                                                                            \
    {                                                                                         \
        auto r_ = runGraph((builder).graph(), __VA_ARGS__);                                   \
        QVERIFY2(r_.ok(), r_.ok() ? "" : r_.error().message.c_str());                         \
        out = std::move(r_.value());                                                          \
    }

#define EXPECT_ERROR(builder, inputs, expected)                                                \
    {                                                                                         \
        auto r_ = runGraph((builder).graph(), inputs);                                        \
        QVERIFY(!r_.ok());                                                                    \
        QCOMPARE(r_.error().message, std::string(expected));                                  \
    }

class TestKernelsBasic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeArithmeticChain();
    void sliceNegativeSteps();
    void sliceOpset9Attributes();
    void softmaxCoercesBeforeOpset13();
    void modFollowsDivisorSignUnlessFmod();
    void integerDivTruncates();
    void castFloatToInt32AndBool();
    void powKeepsBaseType();
    void clipAttributesAndInputs();
    void variadicBroadcasts();
    void gatherNegativeAndScalarIndices();
    void squeezeUnsqueezeScalars();
    void splitAttributeAndInput();
    void reshapeZeroAndAllowZero();
    void flattenAxes();
    void expandRangeConstantOfShape();
    void activations();
    void logicTrigAndSmoothUnits();
    void dropoutMasks();
    void reportsNodeInErrors();
};

void TestKernelsBasic::shapeArithmeticChain()
{
    // x[2,3,4] -> Reshape(x, Concat(Cast(Cast(Gather(Shape(x), 0))), [-1])) == [2,12]
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .init("i0", int64Scalar(0))
        .init("ax0", ints64({1}, {0}))
        .init("minus1", ints64({1}, {-1}))
        .node("Shape", {"x"}, {"s"})
        .node("Gather", {"s", "i0"}, {"n"})
        .node("Cast", {"n"}, {"nf"}, {{"to", Attribute::ofInt(1)}})
        .node("Cast", {"nf"}, {"ni"}, {{"to", Attribute::ofInt(7)}})
        .node("Unsqueeze", {"ni", "ax0"}, {"n1"})
        .node("Concat", {"n1", "minus1"}, {"target"}, {{"axis", Attribute::ofInt(0)}})
        .node("Reshape", {"x", "target"}, {"y"})
        .output("n")
        .output("target")
        .output("y");
    RUN_GRAPH(out, b, {{"x", iota({2, 3, 4})}});
    QCOMPARE(out["n"].rank(), size_t(0));
    QCOMPARE(out["n"].dtype(), DType::Int64);
    QCOMPARE(out["n"].toInt64s(), std::vector<int64_t>{2});
    QCOMPARE(out["target"].toInt64s(), (std::vector<int64_t>{2, -1}));
    QCOMPARE(out["y"].shape(), (std::vector<int64_t>{2, 12}));
    QCOMPARE(out["y"].toFloats()[13], 13.f);
}

void TestKernelsBasic::sliceNegativeSteps()
{
    const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .input("m", DType::Float32)
        .init("s1", ints64({1}, {-2}))
        .init("e1", ints64({1}, {lo}))
        .init("st1", ints64({1}, {-3}))
        .init("s2", ints64({2}, {hi, 0}))
        .init("e2", ints64({2}, {-1000, hi}))
        .init("a2", ints64({2}, {0, -1}))
        .init("st2", ints64({2}, {-1, 2}))
        .node("Slice", {"x", "s1", "e1", "", "st1"}, {"y1"})
        .node("Slice", {"m", "s2", "e2", "a2", "st2"}, {"y2"})
        .output("y1")
        .output("y2");
    RUN_GRAPH(out, b, {{"x", iota({10})}, {"m", iota({3, 4})}});
    QCOMPARE(out["y1"].toFloats(), (std::vector<float>{8, 5, 2}));
    QCOMPARE(out["y2"].shape(), (std::vector<int64_t>{3, 2}));
    QCOMPARE(out["y2"].toFloats(), (std::vector<float>{8, 10, 4, 6, 0, 2}));
}

void TestKernelsBasic::sliceOpset9Attributes()
{
    GraphBuilder b(9);
    b.input("x", DType::Float32)
        .node("Slice", {"x"}, {"y"},
              {{"starts", Attribute::ofInts({1, -3})}, {"ends", Attribute::ofInts({1000, -1})},
               {"axes", Attribute::ofInts({0, 1})}})
        .output("y");
    RUN_GRAPH(out, b, {{"x", iota({2, 4})}});
    QCOMPARE(out["y"].shape(), (std::vector<int64_t>{1, 2}));
    QCOMPARE(out["y"].toFloats(), (std::vector<float>{5, 6}));
}

void TestKernelsBasic::softmaxCoercesBeforeOpset13()
{
    // x[1,2,2] = 0..3 with axis 1: opset 11 normalises over all four values (coerced to [1,4]),
    // opset 13 over pairs along axis 1: (0,2) and (1,3).
    const float e = std::exp(1.f), total = 1 + e + e * e + e * e * e;
    const float p = 1 / (1 + e * e), q = e * e / (1 + e * e);
    for (int64_t opset : {11, 13}) {
        GraphBuilder b(opset);
        b.input("x", DType::Float32)
            .node("Softmax", {"x"}, {"y"}, {{"axis", Attribute::ofInt(1)}})
            .node("LogSoftmax", {"x"}, {"z"}, {{"axis", Attribute::ofInt(1)}})
            .output("y")
            .output("z");
        RUN_GRAPH(out, b, {{"x", iota({1, 2, 2})}});
        const std::vector<float> want = opset == 11 ? std::vector<float>{1 / total, e / total, e * e / total,
                                                                         e * e * e / total}
                                                    : std::vector<float>{p, p, q, q};
        QVERIFY(near(out["y"].toFloats(), want));
        std::vector<float> logWant;
        for (float v : want)
            logWant.push_back(std::log(v));
        QVERIFY(near(out["z"].toFloats(), logWant));
    }
}

void TestKernelsBasic::modFollowsDivisorSignUnlessFmod()
{
    GraphBuilder b(13);
    b.input("a", DType::Int64)
        .input("b", DType::Int64)
        .input("f", DType::Float32)
        .init("two", floats({}, {2.f}))
        .node("Mod", {"a", "b"}, {"m0"})
        .node("Mod", {"a", "b"}, {"m1"}, {{"fmod", Attribute::ofInt(1)}})
        .node("Mod", {"f", "two"}, {"mf"}, {{"fmod", Attribute::ofInt(1)}})
        .output("m0")
        .output("m1")
        .output("mf");
    RUN_GRAPH(out, b,
              {{"a", ints64({4}, {-7, 7, -7, 7})}, {"b", ints64({4}, {3, -3, -3, 3})},
               {"f", floats({2}, {-7.5f, 7.5f})}});
    QCOMPARE(out["m0"].toInt64s(), (std::vector<int64_t>{2, -2, -1, 1}));
    QCOMPARE(out["m1"].toInt64s(), (std::vector<int64_t>{-1, 1, -1, 1}));
    QCOMPARE(out["mf"].toFloats(), (std::vector<float>{-1.5f, 1.5f}));
}

void TestKernelsBasic::integerDivTruncates()
{
    GraphBuilder b(13);
    b.input("a", DType::Int32)
        .input("b", DType::Int32)
        .node("Div", {"a", "b"}, {"q"})
        .output("q");
    RUN_GRAPH(out, b,
              {{"a", typed<int32_t>(DType::Int32, {4}, {-7, 7, -7, 6})},
               {"b", typed<int32_t>(DType::Int32, {4}, {2, 2, -2, 3})}});
    QCOMPARE(out["q"].dtype(), DType::Int32);
    QCOMPARE(out["q"].toInt64s(), (std::vector<int64_t>{-3, 3, 3, 2}));
}

void TestKernelsBasic::castFloatToInt32AndBool()
{
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .node("Cast", {"x"}, {"i"}, {{"to", Attribute::ofInt(6)}})
        .node("Cast", {"x"}, {"t"}, {{"to", Attribute::ofInt(9)}})
        .output("i")
        .output("t");
    RUN_GRAPH(out, b, {{"x", floats({5}, {1.9f, -1.9f, 2.5f, -0.5f, 0.f})}});
    QCOMPARE(out["i"].dtype(), DType::Int32);
    QCOMPARE(out["i"].toInt64s(), (std::vector<int64_t>{1, -1, 2, 0, 0}));
    QCOMPARE(out["t"].dtype(), DType::Bool);
    QCOMPARE(out["t"].toInt64s(), (std::vector<int64_t>{1, 1, 1, 1, 0}));
}

void TestKernelsBasic::powKeepsBaseType()
{
    GraphBuilder b(15);
    b.input("xi", DType::Int32)
        .input("xf", DType::Float32)
        .init("ef", floats({3}, {2.f, 0.5f, 3.f}))
        .init("ei", ints64({3}, {2, 3, 0}))
        .node("Pow", {"xi", "ef"}, {"a"})
        .node("Pow", {"xf", "ei"}, {"b"})
        .output("a")
        .output("b");
    RUN_GRAPH(out, b,
              {{"xi", typed<int32_t>(DType::Int32, {3}, {3, 9, 2})}, {"xf", floats({3}, {1.5f, -2.f, 7.f})}});
    QCOMPARE(out["a"].dtype(), DType::Int32);
    QCOMPARE(out["a"].toInt64s(), (std::vector<int64_t>{9, 3, 8}));
    QCOMPARE(out["b"].dtype(), DType::Float32);
    QCOMPARE(out["b"].toFloats(), (std::vector<float>{2.25f, -8.f, 1.f}));
}

void TestKernelsBasic::clipAttributesAndInputs()
{
    GraphBuilder old(6);
    old.input("x", DType::Float32)
        .node("Clip", {"x"}, {"y"}, {{"min", Attribute::ofFloat(-1.f)}, {"max", Attribute::ofFloat(2.f)}})
        .output("y");
    RUN_GRAPH(o1, old, {{"x", floats({3}, {-5.f, 0.5f, 5.f})}});
    QCOMPARE(o1["y"].toFloats(), (std::vector<float>{-1.f, 0.5f, 2.f}));

    GraphBuilder b(13);
    b.input("x", DType::Int8)
        .input("lo", DType::Int8)
        .init("hi", typed<int8_t>(DType::Int8, {}, {10}))
        .node("Clip", {"x", "", "hi"}, {"onlyMax"})
        .node("Clip", {"x", "lo"}, {"onlyMin"})
        .node("Clip", {"x"}, {"none"})
        .output("onlyMax")
        .output("onlyMin")
        .output("none");
    RUN_GRAPH(o2, b,
              {{"x", typed<int8_t>(DType::Int8, {3}, {-100, 5, 100})}, {"lo", typed<int8_t>(DType::Int8, {}, {-3})}});
    QCOMPARE(o2["onlyMax"].dtype(), DType::Int8);
    QCOMPARE(o2["onlyMax"].toInt64s(), (std::vector<int64_t>{-100, 5, 10}));
    QCOMPARE(o2["onlyMin"].toInt64s(), (std::vector<int64_t>{-3, 5, 100}));
    QCOMPARE(o2["none"].toInt64s(), (std::vector<int64_t>{-100, 5, 100}));
}

void TestKernelsBasic::variadicBroadcasts()
{
    GraphBuilder b(13);
    b.input("a", DType::Float32)
        .input("b", DType::Float32)
        .input("c", DType::Float32)
        .node("Sum", {"a", "b", "c"}, {"sum"})
        .node("Mean", {"a", "b", "c"}, {"mean"})
        .node("Max", {"a", "b", "c"}, {"max"})
        .node("Min", {"a"}, {"min"})
        .node("Greater", {"a", "b"}, {"gt"})
        .node("Where", {"gt", "a", "c"}, {"w"})
        .output("sum")
        .output("mean")
        .output("max")
        .output("min")
        .output("w");
    RUN_GRAPH(out, b,
              {{"a", floats({2, 1}, {1.f, 5.f})}, {"b", floats({3}, {0.f, 2.f, 6.f})}, {"c", floats({}, {3.f})}});
    QCOMPARE(out["sum"].shape(), (std::vector<int64_t>{2, 3}));
    QCOMPARE(out["sum"].toFloats(), (std::vector<float>{4, 6, 10, 8, 10, 14}));
    QVERIFY(near(out["mean"].toFloats(), {4 / 3.f, 2, 10 / 3.f, 8 / 3.f, 10 / 3.f, 14 / 3.f}));
    QCOMPARE(out["max"].toFloats(), (std::vector<float>{3, 3, 6, 5, 5, 6}));
    QCOMPARE(out["min"].toFloats(), (std::vector<float>{1, 5}));
    QCOMPARE(out["w"].toFloats(), (std::vector<float>{1, 3, 3, 5, 5, 3}));
}

void TestKernelsBasic::gatherNegativeAndScalarIndices()
{
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .input("idx", DType::Int64)
        .init("neg", ints64({2}, {-1, 0}))
        .init("scalar", int64Scalar(-2))
        .node("Gather", {"x", "neg"}, {"rows"})
        .node("Gather", {"x", "idx"}, {"cols"}, {{"axis", Attribute::ofInt(1)}})
        .node("Gather", {"x", "scalar"}, {"one"}, {{"axis", Attribute::ofInt(-1)}})
        .output("rows")
        .output("cols")
        .output("one");
    RUN_GRAPH(out, b, {{"x", iota({2, 3})}, {"idx", ints64({2, 2}, {-1, 0, 1, -3})}});
    QCOMPARE(out["rows"].toFloats(), (std::vector<float>{3, 4, 5, 0, 1, 2}));
    QCOMPARE(out["cols"].shape(), (std::vector<int64_t>{2, 2, 2}));
    QCOMPARE(out["cols"].toFloats(), (std::vector<float>{2, 0, 1, 0, 5, 3, 4, 3}));
    QCOMPARE(out["one"].shape(), (std::vector<int64_t>{2}));
    QCOMPARE(out["one"].toFloats(), (std::vector<float>{1, 4}));
}

void TestKernelsBasic::squeezeUnsqueezeScalars()
{
    GraphBuilder b(13);
    b.input("s", DType::Float32)
        .input("x", DType::Float32)
        .init("a0", ints64({1}, {0}))
        .init("a2", ints64({2}, {-1, 1}))
        .node("Unsqueeze", {"s", "a0"}, {"u"})
        .node("Squeeze", {"u", "a0"}, {"back"})
        .node("Unsqueeze", {"x", "a2"}, {"u2"})
        .node("Squeeze", {"u2"}, {"all"})
        .output("u")
        .output("back")
        .output("u2")
        .output("all");
    RUN_GRAPH(out, b, {{"s", floats({}, {4.f})}, {"x", iota({3})}});
    QCOMPARE(out["u"].shape(), (std::vector<int64_t>{1}));
    QCOMPARE(out["back"].rank(), size_t(0));
    QCOMPARE(out["back"].toFloats(), std::vector<float>{4.f});
    QCOMPARE(out["u2"].shape(), (std::vector<int64_t>{3, 1, 1}));
    QCOMPARE(out["all"].shape(), (std::vector<int64_t>{3}));

    GraphBuilder old(11);
    old.input("x", DType::Float32)
        .node("Unsqueeze", {"x"}, {"u"}, {{"axes", Attribute::ofInts({0, 3})}})
        .node("Squeeze", {"u"}, {"v"}, {{"axes", Attribute::ofInts({0})}})
        .output("v");
    RUN_GRAPH(o2, old, {{"x", iota({2, 3})}});
    QCOMPARE(o2["v"].shape(), (std::vector<int64_t>{2, 3, 1}));
}

void TestKernelsBasic::splitAttributeAndInput()
{
    GraphBuilder old(11);
    old.input("x", DType::Float32)
        .node("Split", {"x"}, {"a", "b"}, {{"axis", Attribute::ofInt(1)}, {"split", Attribute::ofInts({1, 3})}})
        .node("Split", {"x"}, {"c", "d"}, {{"axis", Attribute::ofInt(-1)}})
        .output("a")
        .output("b")
        .output("c")
        .output("d");
    RUN_GRAPH(o1, old, {{"x", iota({2, 4})}});
    QCOMPARE(o1["a"].toFloats(), (std::vector<float>{0, 4}));
    QCOMPARE(o1["b"].toFloats(), (std::vector<float>{1, 2, 3, 5, 6, 7}));
    QCOMPARE(o1["d"].toFloats(), (std::vector<float>{2, 3, 6, 7}));

    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .init("sizes", ints64({3}, {2, 0, 1}))
        .node("Split", {"x", "sizes"}, {"a", "b", "c"})
        .output("a")
        .output("b")
        .output("c");
    RUN_GRAPH(o2, b, {{"x", iota({3})}});
    QCOMPARE(o2["a"].toFloats(), (std::vector<float>{0, 1}));
    QCOMPARE(o2["b"].shape(), std::vector<int64_t>{0});
    QCOMPARE(o2["c"].toFloats(), std::vector<float>{2});
}

void TestKernelsBasic::reshapeZeroAndAllowZero()
{
    GraphBuilder b(14);
    b.input("x", DType::Float32)
        .input("e", DType::Float32)
        .init("copy", ints64({3}, {0, -1, 2}))
        .init("zero", ints64({2}, {0, 4}))
        .node("Reshape", {"x", "copy"}, {"y"})
        .node("Reshape", {"e", "zero"}, {"z"}, {{"allowzero", Attribute::ofInt(1)}})
        .output("y")
        .output("z");
    RUN_GRAPH(out, b, {{"x", iota({2, 3, 4})}, {"e", floats({4, 0}, {})}});
    QCOMPARE(out["y"].shape(), (std::vector<int64_t>{2, 6, 2}));
    QCOMPARE(out["z"].shape(), (std::vector<int64_t>{0, 4}));
}

void TestKernelsBasic::flattenAxes()
{
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .node("Flatten", {"x"}, {"a"}, {{"axis", Attribute::ofInt(0)}})
        .node("Flatten", {"x"}, {"b"}, {{"axis", Attribute::ofInt(-1)}})
        .node("Flatten", {"x"}, {"c"})
        .output("a")
        .output("b")
        .output("c");
    RUN_GRAPH(out, b, {{"x", iota({2, 3, 4})}});
    QCOMPARE(out["a"].shape(), (std::vector<int64_t>{1, 24}));
    QCOMPARE(out["b"].shape(), (std::vector<int64_t>{6, 4}));
    QCOMPARE(out["c"].shape(), (std::vector<int64_t>{2, 12}));
}

void TestKernelsBasic::expandRangeConstantOfShape()
{
    Tensor seven = typed<int32_t>(DType::Int32, {1}, {7});
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .input("start", DType::Int32)
        .init("shape", ints64({3}, {2, 1, 3}))
        .init("limit", typed<int32_t>(DType::Int32, {}, {-6}))
        .init("delta", typed<int32_t>(DType::Int32, {}, {-4}))
        .node("Expand", {"x", "shape"}, {"ex"})
        .node("Range", {"start", "limit", "delta"}, {"r"})
        .node("ConstantOfShape", {"shape"}, {"c"}, {{"value", Attribute::ofTensor(seven)}})
        .node("ConstantOfShape", {"shape"}, {"z"})
        .output("ex")
        .output("r")
        .output("c")
        .output("z");
    RUN_GRAPH(out, b, {{"x", floats({2, 1}, {1.f, 2.f})}, {"start", typed<int32_t>(DType::Int32, {}, {5})}});
    QCOMPARE(out["ex"].shape(), (std::vector<int64_t>{2, 2, 3}));
    QCOMPARE(out["ex"].toFloats(), (std::vector<float>{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
    QCOMPARE(out["r"].dtype(), DType::Int32);
    QCOMPARE(out["r"].toInt64s(), (std::vector<int64_t>{5, 1, -3}));
    QCOMPARE(out["c"].dtype(), DType::Int32);
    QCOMPARE(out["c"].toInt64s(), std::vector<int64_t>(6, 7));
    QCOMPARE(out["z"].dtype(), DType::Float32);
    QCOMPARE(out["z"].toFloats(), std::vector<float>(6, 0.f));
}

void TestKernelsBasic::activations()
{
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .init("slope", floats({2, 1}, {0.5f, 2.f}))
        .node("LeakyRelu", {"x"}, {"lr"}, {{"alpha", Attribute::ofFloat(0.1f)}})
        .node("PRelu", {"x", "slope"}, {"pr"})
        .node("HardSigmoid", {"x"}, {"hs"})
        .node("HardSwish", {"x"}, {"hw"})
        .node("Relu", {"x"}, {"r"})
        .output("lr")
        .output("pr")
        .output("hs")
        .output("hw")
        .output("r");
    RUN_GRAPH(out, b, {{"x", floats({2, 2}, {-4.f, 1.f, -1.f, 4.f})}});
    QVERIFY(near(out["lr"].toFloats(), {-0.4f, 1, -0.1f, 4}));
    QVERIFY(near(out["pr"].toFloats(), {-2.f, 1, -2.f, 4}));
    QVERIFY(near(out["hs"].toFloats(), {0, 0.7f, 0.3f, 1}));
    QVERIFY(near(out["hw"].toFloats(), {0, 1 * 4 / 6.f, -1 * 2 / 6.f, 4}));
    QCOMPARE(out["r"].toFloats(), (std::vector<float>{0, 1, 0, 4}));
}

void TestKernelsBasic::logicTrigAndSmoothUnits()
{
    // Ops whose newest ONNX version predates opset 9, so the backend node tests cannot reach them.
    GraphBuilder b(9);
    b.input("p", DType::Bool)
        .input("q", DType::Bool)
        .input("x", DType::Float32)
        .node("And", {"p", "q"}, {"and"})
        .node("Or", {"p", "q"}, {"or"})
        .node("Xor", {"p", "q"}, {"xor"})
        .node("Not", {"p"}, {"not"})
        .node("Sin", {"x"}, {"sin"})
        .node("Atan", {"x"}, {"atan"})
        .node("Elu", {"x"}, {"elu"}, {{"alpha", Attribute::ofFloat(2.f)}})
        .node("Selu", {"x"}, {"selu"})
        .node("Softplus", {"x"}, {"softplus"})
        .node("Softsign", {"x"}, {"softsign"})
        .output("and")
        .output("or")
        .output("xor")
        .output("not")
        .output("sin")
        .output("atan")
        .output("elu")
        .output("selu")
        .output("softplus")
        .output("softsign");
    RUN_GRAPH(out, b,
              {{"p", bools({4}, {1, 1, 0, 0})},
               {"q", bools({4}, {1, 0, 1, 0})},
               {"x", floats({2}, {-1.f, 2.f})}});
    QCOMPARE(out["and"].toInt64s(), (std::vector<int64_t>{1, 0, 0, 0}));
    QCOMPARE(out["or"].toInt64s(), (std::vector<int64_t>{1, 1, 1, 0}));
    QCOMPARE(out["xor"].toInt64s(), (std::vector<int64_t>{0, 1, 1, 0}));
    QCOMPARE(out["not"].toInt64s(), (std::vector<int64_t>{0, 0, 1, 1}));
    QVERIFY(near(out["sin"].toFloats(), {std::sin(-1.f), std::sin(2.f)}));
    QVERIFY(near(out["atan"].toFloats(), {std::atan(-1.f), std::atan(2.f)}));
    QVERIFY(near(out["elu"].toFloats(), {2 * (std::exp(-1.f) - 1), 2}));
    const float alpha = 1.67326319f, gamma = 1.05070102f;
    QVERIFY(near(out["selu"].toFloats(), {gamma * alpha * (std::exp(-1.f) - 1), gamma * 2}));
    QVERIFY(near(out["softplus"].toFloats(), {std::log1p(std::exp(-1.f)), std::log1p(std::exp(2.f))}));
    QVERIFY(near(out["softsign"].toFloats(), {-0.5f, 2 / 3.f}));
}

void TestKernelsBasic::dropoutMasks()
{
    GraphBuilder b(13);
    b.input("x", DType::Float32)
        .init("ratio", floats({}, {0.f}))
        .init("train", bools({}, {1}))
        .node("Dropout", {"x"}, {"y", "mask"})
        .node("Dropout", {"x", "ratio", "train"}, {"t", "tmask"})
        .output("y")
        .output("mask")
        .output("t")
        .output("tmask");
    RUN_GRAPH(out, b, {{"x", floats({3}, {1.f, -2.f, 3.f})}});
    QCOMPARE(out["y"].toFloats(), (std::vector<float>{1, -2, 3}));
    QCOMPARE(out["mask"].dtype(), DType::Bool);
    QCOMPARE(out["mask"].toInt64s(), (std::vector<int64_t>{1, 1, 1}));
    QCOMPARE(out["t"].toFloats(), (std::vector<float>{1, -2, 3}));
    QCOMPARE(out["tmask"].toInt64s(), (std::vector<int64_t>{1, 1, 1}));
}

void TestKernelsBasic::reportsNodeInErrors()
{
    GraphBuilder reshape(13);
    reshape.input("x", DType::Float32)
        .init("shape", ints64({2}, {5, -1}))
        .node("Reshape", {"x", "shape"}, {"y"})
        .output("y");
    EXPECT_ERROR(reshape, TensorMap({{"x", iota({2, 3})}}), "Reshape 'Reshape0': cannot reshape [2,3] to [5,-1]");

    GraphBuilder squeeze(13);
    squeeze.input("x", DType::Float32)
        .init("axes", ints64({1}, {1}))
        .node("Squeeze", {"x", "axes"}, {"y"})
        .output("y");
    EXPECT_ERROR(squeeze, TensorMap({{"x", iota({2, 3})}}), "Squeeze 'Squeeze0': cannot squeeze axis 1 of size 3");

    GraphBuilder cast(13);
    cast.input("x", DType::Float32).node("Cast", {"x"}, {"y"}, {{"to", Attribute::ofInt(8)}}).output("y");
    EXPECT_ERROR(cast, TensorMap({{"x", iota({2})}}), "Cast 'Cast0': tensor data type 8 is not supported");
}

QTEST_APPLESS_MAIN(TestKernelsBasic)
#include "tst_kernels_basic.moc"
