// ONNX backend node tests (Debian's libonnx-testdata) through the importer and the Executor.
// A case is selected when every operator of its model is one the project supports (and the
// model is within the importer's opsets and element types); each
// test_data_set_* runs and every output is compared with output_N.pb. Cases listed in
// conformance_known_failures.txt ("case_name: reason") may fail; any other failure, a listed
// case that passes, or a pass rate under 95% fails the test.
// Usage: tst_conformance [substring]   runs only the cases whose name contains the substring
// (then the stale-list and 95% checks are off).

#include "onnx/onnximport.h"
#include "onnx/tensorproto.h"
#include "runtime/executor.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace fs = std::filesystem;

namespace {

std::string g_filter;

const char *const kNodeTestDir = "/usr/share/libonnx-testdata/data/node";

const std::set<std::string> &supportedOps()
{
    static const std::set<std::string> ops = {
        "Conv", "ConvTranspose", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp", "Erf", "Neg",
        "Abs", "Max", "Min", "Sum", "Mean", "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid",
        "HardSwish", "Tanh", "Softmax", "BatchNormalization", "InstanceNormalization", "LayerNormalization",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "Flatten", "Reshape",
        "Transpose", "Concat", "Split", "Slice", "Squeeze", "Unsqueeze", "Pad", "Resize", "Upsample", "Shape",
        "Gather", "Cast", "Constant", "ConstantOfShape", "Expand", "Where", "Equal", "Range", "Mod", "Identity",
        "Dropout", "QuantizeLinear", "DequantizeLinear"};
    return ops;
}

std::string knownFailuresPath()
{
    if (const char *src = std::getenv("QS_SOURCE_DIR"); src && *src)
        return std::string(src) + "/tests/engine/runtime/conformance_known_failures.txt";
    return (fs::path(__FILE__).parent_path() / "conformance_known_failures.txt").string();
}

// "case_name: reason" lines; '#' starts a comment.
std::map<std::string, std::string> readKnownFailures(const std::string &path)
{
    std::map<std::string, std::string> known;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto colon = line.find(':');
        const std::string name = line.substr(0, colon);
        known[name] = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    }
    return known;
}

// Files named <prefix>N.pb in numeric order of N.
std::vector<fs::path> numberedFiles(const fs::path &dir, const std::string &prefix)
{
    std::vector<fs::path> files;
    for (int i = 0;; ++i) {
        const fs::path p = dir / (prefix + std::to_string(i) + ".pb");
        if (!fs::exists(p))
            break;
        files.push_back(p);
    }
    return files;
}

bool isFloat(qs::DType t)
{
    return t == qs::DType::Float32 || t == qs::DType::Float64 || t == qs::DType::Float16 ||
           t == qs::DType::BFloat16;
}

std::vector<double> asDoubles(const qs::Tensor &t)
{
    if (t.dtype() == qs::DType::Float64)
        return std::vector<double>(t.dataAs<double>(), t.dataAs<double>() + t.numel());
    const std::vector<float> f = t.toFloats();
    return std::vector<double>(f.begin(), f.end());
}

// Empty when equal; otherwise the first difference and how many elements differ.
std::string compareTensors(const qs::Tensor &got, const qs::Tensor &want)
{
    if (got.shape() != want.shape())
        return "shape " + qs::shapeString(got.shape()) + ", expected " + qs::shapeString(want.shape());
    if (got.dtype() != want.dtype())
        return std::string("dtype ") + qs::dtypeName(got.dtype()) + ", expected " + qs::dtypeName(want.dtype());
    int64_t bad = 0, first = -1;
    std::string detail;
    if (isFloat(want.dtype())) {
        const std::vector<double> a = asDoubles(got), b = asDoubles(want);
        for (size_t i = 0; i < a.size(); ++i) {
            const bool same = a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])) ||
                              std::abs(a[i] - b[i]) <= 1e-7 + 1e-3 * std::abs(b[i]);
            if (!same && bad++ == 0) {
                first = int64_t(i);
                detail = "got " + std::to_string(a[i]) + ", expected " + std::to_string(b[i]);
            }
        }
    } else {
        const std::vector<int64_t> a = got.toInt64s(), b = want.toInt64s();
        for (size_t i = 0; i < a.size(); ++i)
            if (a[i] != b[i] && bad++ == 0) {
                first = int64_t(i);
                detail = "got " + std::to_string(a[i]) + ", expected " + std::to_string(b[i]);
            }
    }
    if (bad == 0)
        return {};
    return std::to_string(bad) + " of " + std::to_string(want.numel()) + " elements differ, first at flat index " +
           std::to_string(first) + " (" + detail + ")";
}

// ONNX's node tests store bfloat16 values as their uint16 bit patterns.
qs::Tensor asDeclared(qs::Tensor t, qs::DType declared)
{
    if (t.dtype() != qs::DType::UInt16 || declared != qs::DType::BFloat16)
        return t;
    qs::Tensor out(qs::DType::BFloat16, t.shape());
    out.bytes() = t.bytes();
    return out;
}

std::string runDataSet(qs::Executor &exec, const fs::path &dir)
{
    const qs::Graph &g = exec.graph();
    const auto inputs = numberedFiles(dir, "input_");
    const auto outputs = numberedFiles(dir, "output_");
    if (inputs.size() != g.inputs.size())
        return std::to_string(inputs.size()) + " input files for " + std::to_string(g.inputs.size()) + " graph inputs";
    if (outputs.size() != g.outputs.size())
        return std::to_string(outputs.size()) + " output files for " + std::to_string(g.outputs.size()) +
               " graph outputs";
    qs::TensorMap feed;
    for (size_t i = 0; i < inputs.size(); ++i) {
        auto t = qs::readTensorProtoFile(inputs[i].string());
        if (!t)
            return t.error().message;
        feed[g.inputs[i].name] = asDeclared(std::move(*t), g.inputs[i].dtype);
    }
    auto result = exec.run(feed);
    if (!result)
        return "run: " + result.error().message;
    for (size_t i = 0; i < outputs.size(); ++i) {
        auto want = qs::readTensorProtoFile(outputs[i].string());
        if (!want)
            return want.error().message;
        const std::string &name = g.outputs[i].name;
        auto it = result->find(name);
        if (it == result->end())
            return "output '" + name + "' missing";
        const std::string diff = compareTensors(it->second, asDeclared(std::move(*want), g.outputs[i].dtype));
        if (!diff.empty())
            return "output '" + name + "': " + diff;
    }
    return {};
}

// Returns "" when the case passes, else the reason.
std::string runCase(const fs::path &caseDir)
{
    auto graph = qs::importOnnx((caseDir / "model.onnx").string());
    if (!graph)
        return "import: " + graph.error().message;
    qs::ExecutorOptions options;
    options.threads = 1;
    auto exec = qs::Executor::create(*graph, options);
    if (!exec)
        return "compile: " + exec.error().message;
    std::vector<fs::path> sets;
    for (const auto &entry : fs::directory_iterator(caseDir))
        if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0)
            sets.push_back(entry.path());
    std::sort(sets.begin(), sets.end());
    for (const auto &set : sets) {
        const std::string why = runDataSet(**exec, set);
        if (!why.empty())
            return set.filename().string() + ": " + why;
    }
    return sets.empty() ? "no test_data_set_* folder" : std::string();
}

enum class Selection { Selected, OtherOps };

// A case is selected when every op of its model is in the list; what the project cannot run
// (string tensors, sequences, optionals) then fails and must be listed with its reason.
Selection select(const fs::path &caseDir)
{
    auto outline = qs::readOnnxOutline((caseDir / "model.onnx").string());
    if (!outline || outline->opTypes.empty())
        return Selection::OtherOps;
    for (const auto &op : outline->opTypes)
        if (!supportedOps().count(op))
            return Selection::OtherOps;
    return Selection::Selected;
}

} // namespace

class TestConformance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nodeTests();
};

void TestConformance::nodeTests()
{
    if (!fs::is_directory(kNodeTestDir))
        QSKIP("ONNX node tests not found (install libonnx-testdata): /usr/share/libonnx-testdata/data/node");
    std::vector<fs::path> cases;
    for (const auto &entry : fs::directory_iterator(kNodeTestDir))
        if (entry.is_directory() && fs::exists(entry.path() / "model.onnx"))
            cases.push_back(entry.path());
    std::sort(cases.begin(), cases.end());

    const auto known = readKnownFailures(knownFailuresPath());
    const bool filtering = !g_filter.empty();
    int passed = 0, failed = 0, skipped = 0, selectedCount = 0;
    std::vector<std::string> unexpected, stale;
    std::set<std::string> ran;
    for (const auto &dir : cases) {
        const std::string name = dir.filename().string();
        const Selection sel = filtering && name.find(g_filter) == std::string::npos ? Selection::OtherOps
                                                                                     : select(dir);
        if (sel != Selection::Selected) {
            ++skipped;
            continue;
        }
        ++selectedCount;
        ran.insert(name);
        const std::string why = runCase(dir);
        const bool listed = known.count(name) != 0;
        if (why.empty()) {
            ++passed;
            if (listed)
                stale.push_back(name);
            continue;
        }
        ++failed;
        std::printf("FAIL %s: %s%s\n", name.c_str(), why.c_str(), listed ? " [known]" : "");
        if (!listed)
            unexpected.push_back(name);
    }
    for (const auto &kv : known)
        if (!filtering && !ran.count(kv.first))
            stale.push_back(kv.first + " (not run)");
    std::printf("%d selected of %d node test cases%s\n", selectedCount, int(cases.size()),
                filtering ? (" (filter '" + g_filter + "')").c_str() : "");
    for (const auto &s : stale)
        std::printf("STALE known failure: %s\n", s.c_str());
    std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    std::fflush(stdout);

    QVERIFY2(unexpected.empty(), qPrintable(QStringLiteral("%1 failing case(s) not in conformance_known_failures.txt")
                                                .arg(unexpected.size())));
    if (filtering)
        return;
    QVERIFY2(stale.empty(), qPrintable(QStringLiteral("%1 stale entries in conformance_known_failures.txt")
                                           .arg(stale.size())));
    QVERIFY2(selectedCount > 0 && passed * 100 >= selectedCount * 95,
             qPrintable(QStringLiteral("only %1 of %2 selected cases pass (95% required)").arg(passed).arg(selectedCount)));
}

// The first argument that is neither an option, an option's value nor a test function name is
// the case-name filter.
int main(int argc, char **argv)
{
    static const std::set<std::string> valueOptions = {"-o", "-maxwarnings", "-eventdelay", "-keydelay",
                                                       "-mousedelay", "-seed", "-platform"};
    std::vector<char *> args;
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        const bool optionValue = i > 0 && valueOptions.count(argv[i - 1]) != 0;
        if (i > 0 && !optionValue && a[0] != '-' && a != "nodeTests" && g_filter.empty()) {
            g_filter = a;
            continue;
        }
        args.push_back(argv[i]);
    }
    TestConformance test;
    return QTest::qExec(&test, int(args.size()), args.data());
}

#include "tst_conformance.moc"
