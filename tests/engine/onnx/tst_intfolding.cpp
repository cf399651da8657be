// The integer evaluator behind shape folding: each operator against values worked out by hand,
// including partial knowledge (a symbolic batch dimension stays unknown).

#include "onnxbuilder.h"

#include "onnx/intfolding.h"

#include <QTest>

#include <climits>

using namespace qs::onnxio;
using namespace qs::test;

class TestIntFolding : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeKeepsUnknownBatch();
    void arithmetic();
    void slices();
    void layout();
    void generators();
};

namespace {

struct Fixture {
    onnx::GraphProto g;
    ShapeMap shapes;

    void ints(const std::string &name, std::vector<int64_t> dims, std::vector<int64_t> values)
    {
        addInt64s(&g, name, dims, values);
    }
    onnx::NodeProto *node(const std::string &op, std::vector<std::string> in, const std::string &out)
    {
        return addNode(&g, op, out, in, {out});
    }
    IntTensor eval(const std::string &name) const
    {
        const IntValues v = evaluateIntegers(g, shapes);
        auto it = v.find(name);
        if (it == v.end())
            return IntTensor{onnx::TensorProto::UNDEFINED, {}, {}, {}};
        return it->second;
    }
};

} // namespace

void TestIntFolding::shapeKeepsUnknownBatch()
{
    Fixture f;
    f.shapes["X"] = {-1, 3, 224, 224};
    f.ints("two", {}, {2});
    f.node("Shape", {"X"}, "s");
    addIntAttr(f.node("Gather", {"s", "two"}, "h"), "axis", 0);
    f.node("Mul", {"s", "two"}, "doubled");
    const IntTensor s = f.eval("s");
    QCOMPARE(s.shape, std::vector<int64_t>{4});
    QCOMPARE(s.known, (std::vector<char>{0, 1, 1, 1}));
    QCOMPARE(s.v[1], int64_t(3));
    QVERIFY(!s.allKnown());
    const IntTensor h = f.eval("h");
    QVERIFY(h.allKnown());
    QCOMPARE(h.shape, std::vector<int64_t>{});
    QCOMPARE(h.v, std::vector<int64_t>{224});
    const IntTensor d = f.eval("doubled");
    QCOMPARE(d.known, (std::vector<char>{0, 1, 1, 1}));
    QCOMPARE(d.v[3], int64_t(448));
}

void TestIntFolding::arithmetic()
{
    Fixture f;
    f.ints("a", {2}, {-7, 7});
    f.ints("b", {2}, {3, -3});
    f.ints("col", {2, 1}, {10, 20});
    f.ints("row", {3}, {1, 2, 3});
    f.node("Mod", {"a", "b"}, "mod");                   // divisor's sign: -7 mod 3 = 2, 7 mod -3 = -2
    addIntAttr(f.node("Mod", {"a", "b"}, "fmod"), "fmod", 1); // dividend's sign: -1, 1
    f.node("Div", {"a", "b"}, "div");                   // truncation: -2, -2
    f.node("Add", {"col", "row"}, "sum");               // [2,1] + [3] -> [2,3]
    addIntAttr(f.node("Cast", {"a"}, "i32"), "to", onnx::TensorProto::INT32);
    addIntAttr(f.node("Cast", {"a"}, "f32"), "to", onnx::TensorProto::FLOAT);
    QCOMPARE(f.eval("mod").v, (std::vector<int64_t>{2, -2}));
    QCOMPARE(f.eval("fmod").v, (std::vector<int64_t>{-1, 1}));
    QCOMPARE(f.eval("div").v, (std::vector<int64_t>{-2, -2}));
    const IntTensor sum = f.eval("sum");
    QCOMPARE(sum.shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(sum.v, (std::vector<int64_t>{11, 12, 13, 21, 22, 23}));
    QCOMPARE(f.eval("i32").type, int32_t(onnx::TensorProto::INT32));
    QCOMPARE(f.eval("f32").type, int32_t(onnx::TensorProto::UNDEFINED)); // floats are not folded
}

void TestIntFolding::slices()
{
    Fixture f;
    f.ints("data", {6}, {0, 1, 2, 3, 4, 5});
    f.ints("m1", {1}, {-1});
    f.ints("lowest", {1}, {-LLONG_MAX}); // as PyTorch exports "to the start"
    f.ints("one", {1}, {1});
    f.ints("big", {1}, {100});
    f.ints("zero", {1}, {0});
    f.ints("two", {1}, {2});
    f.node("Slice", {"data", "m1", "lowest", "zero", "m1"}, "reversed");
    f.node("Slice", {"data", "one", "big", "zero", "two"}, "odd");
    onnx::NodeProto *legacy = f.node("Slice", {"data"}, "legacy"); // opset < 10: attributes
    addIntsAttr(legacy, "starts", {-2});
    addIntsAttr(legacy, "ends", {LLONG_MAX});
    QCOMPARE(f.eval("reversed").v, (std::vector<int64_t>{5, 4, 3, 2, 1, 0}));
    QCOMPARE(f.eval("odd").v, (std::vector<int64_t>{1, 3, 5}));
    QCOMPARE(f.eval("legacy").v, (std::vector<int64_t>{4, 5}));
}

void TestIntFolding::layout()
{
    Fixture f;
    f.ints("m", {2, 3}, {0, 1, 2, 3, 4, 5});
    f.ints("idx", {2}, {2, 0});
    f.ints("shape0m1", {2}, {0, -1});
    f.ints("shape3m1", {2}, {3, -1});
    f.ints("axis0", {1}, {0});
    addIntAttr(f.node("Gather", {"m", "idx"}, "cols"), "axis", 1);
    addIntsAttr(f.node("Transpose", {"m"}, "t"), "perm", {1, 0});
    f.node("Reshape", {"m", "shape0m1"}, "same");
    f.node("Reshape", {"m", "shape3m1"}, "r32");
    f.node("Unsqueeze", {"m", "axis0"}, "u");
    f.node("Squeeze", {"u", "axis0"}, "sq");
    addIntAttr(f.node("Concat", {"m", "m"}, "cat"), "axis", 1);
    QCOMPARE(f.eval("cols").v, (std::vector<int64_t>{2, 0, 5, 3}));
    QCOMPARE(f.eval("cols").shape, (std::vector<int64_t>{2, 2}));
    QCOMPARE(f.eval("t").v, (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
    QCOMPARE(f.eval("same").shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(f.eval("r32").shape, (std::vector<int64_t>{3, 2}));
    QCOMPARE(f.eval("u").shape, (std::vector<int64_t>{1, 2, 3}));
    QCOMPARE(f.eval("sq").shape, (std::vector<int64_t>{2, 3}));
    QCOMPARE(f.eval("cat").v, (std::vector<int64_t>{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}));
}

void TestIntFolding::generators()
{
    Fixture f;
    f.ints("s22", {2}, {2, 2});
    f.ints("s23", {2}, {2, 3});
    f.ints("v", {3}, {7, 8, 9});
    f.ints("r1", {}, {1});
    f.ints("r10", {}, {10});
    f.ints("r3", {}, {3});
    f.ints("r5", {}, {5});
    f.ints("r0", {}, {0});
    f.ints("rm2", {}, {-2});
    onnx::NodeProto *c = f.node("ConstantOfShape", {"s22"}, "sevens");
    auto *a = c->add_attribute();
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    a->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    a->mutable_t()->add_dims(1);
    a->mutable_t()->add_int64_data(7);
    f.node("Range", {"r1", "r10", "r3"}, "up");
    f.node("Range", {"r5", "r0", "rm2"}, "down");
    f.node("Expand", {"v", "s23"}, "rows");
    QCOMPARE(f.eval("sevens").v, (std::vector<int64_t>{7, 7, 7, 7}));
    QCOMPARE(f.eval("up").v, (std::vector<int64_t>{1, 4, 7}));
    QCOMPARE(f.eval("down").v, (std::vector<int64_t>{5, 3, 1}));
    QCOMPARE(f.eval("rows").v, (std::vector<int64_t>{7, 8, 9, 7, 8, 9}));
}

QTEST_APPLESS_MAIN(TestIntFolding)
#include "tst_intfolding.moc"
