#include "testgraph.h"
#include "core/error.h"
#include "graph/graph.h"

#include <QTest>

using namespace qs;

class TestGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sortsTopologically();
    void rejectsCycle();
    void rejectsDanglingInput();
};


void TestGraph::sortsTopologically()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1}, {""}, true});
    g.outputs.push_back(ValueInfo{"z", DType::Float32, {1}, {""}, true});
    g.nodes.push_back(qs::test::makeNode("b", "Relu", {"y"}, {"z"}));
    g.nodes.push_back(qs::test::makeNode("a", "Relu", {"x"}, {"y"}));
    sortTopologically(g);
    QCOMPARE(g.nodes[0].name, std::string("a"));
    QCOMPARE(g.nodes[1].name, std::string("b"));
    QCOMPARE(g.producerIndex("z"), 1);
    QCOMPARE(g.consumerIndices("y"), std::vector<int>{1});
}

void TestGraph::rejectsCycle()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1}, {""}, true});
    g.outputs.push_back(ValueInfo{"z", DType::Float32, {1}, {""}, true});
    g.nodes.push_back(qs::test::makeNode("a", "Add", {"x", "z"}, {"y"}));
    g.nodes.push_back(qs::test::makeNode("b", "Relu", {"y"}, {"z"}));
    try {
        sortTopologically(g);
        QFAIL("no error");
    } catch (const Exception &e) {
        QCOMPARE(std::string(e.what()), std::string("the graph has a cycle through Add 'a'"));
    }
}

void TestGraph::rejectsDanglingInput()
{
    Graph g;
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1}, {""}, true});
    g.outputs.push_back(ValueInfo{"y", DType::Float32, {1}, {""}, true});
    g.nodes.push_back(qs::test::makeNode("a", "Add", {"x", "w"}, {"y"}));
    try {
        sortTopologically(g);
        QFAIL("no error");
    } catch (const Exception &e) {
        QCOMPARE(std::string(e.what()),
                 std::string("input 'w' of Add 'a' is not produced by any node and is not a graph input or initializer"));
    }
}

QTEST_APPLESS_MAIN(TestGraph)
#include "tst_graph.moc"
