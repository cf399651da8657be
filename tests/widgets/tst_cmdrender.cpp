// quantscope-cli render, called in process on the offscreen platform: PNG at the requested size,
// well-formed SVG, the compared model's ranges on the same chart, and exact one-line errors for bad
// arguments that leave no output behind. The shared cases draw MobileNet-v1's first depthwise layer
// and the relative-range view of all its layers.

#include "chartgolden.h"

#include "cliargs.h"
#include "cmdrender.h"

#include "charts/chartpalette.h"

#include "core/error.h"
#include "graph/graph.h"
#include "onnx/onnxexport.h"
#include "session/session.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace qs;
using namespace qs::cli;

class TestCmdRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void needsGui();
    void pngSize();
    void svgWithComparison();
    void relativeRanges();
    void equalized();
    void sensitivityFromSession();
    void sensitivityComputed();
    void errors_data();
    void errors();
    void mobilenet_data();
    void mobilenet();

private:
    std::string path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)).toStdString(); }
    QTemporaryDir m_dir;
    std::string m_model;
    std::string m_scaled;
};

// x [1, 2, 4, 4] -> Conv "conv1" (W [3, 2, 1, 1]) -> Conv "conv2" (W [2, 3, 1, 1]) -> y.
// `scale` multiplies conv1's weights per output channel (as equalization would).
static Graph twoConvGraph(const std::vector<float> &scale)
{
    Graph g;
    g.name = "two_conv";
    g.inputs.push_back(ValueInfo{"x", DType::Float32, {1, 2, 4, 4}, {"", "", "", ""}, true});
    g.outputs.push_back(ValueInfo{"y", DType::Float32, {1, 2, 4, 4}, {"", "", "", ""}, true});
    std::vector<float> w1 = {1, -1, 0.5f, -0.25f, 4, -8};
    for (size_t i = 0; i < w1.size(); ++i)
        w1[i] *= scale[i / 2];
    g.initializers["w1"] = Tensor::fromFloats({3, 2, 1, 1}, w1);
    g.initializers["w2"] = Tensor::fromFloats({2, 3, 1, 1}, {1, 2, 3, -1, -2, -3});
    Node c1;
    c1.name = "conv1";
    c1.opType = "Conv";
    c1.inputs = {"x", "w1"};
    c1.outputs = {"h"};
    Node c2 = c1;
    c2.name = "conv2";
    c2.inputs = {"h", "w2"};
    c2.outputs = {"y"};
    g.nodes = {c1, c2};
    return g;
}

void TestCmdRender::initTestCase()
{
    QVERIFY2(test::setUpChartEnvironment(), "DejaVu Sans is not installed (fonts-dejavu-core)");
    QVERIFY(m_dir.isValid());
    m_model = path("two_conv.onnx");
    m_scaled = path("two_conv_eq.onnx");
    auto a = exportOnnx(twoConvGraph({1, 1, 1}), m_model);
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().message.c_str());
    auto b = exportOnnx(twoConvGraph({1, 2, 0.25f}), m_scaled);
    QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
}

void TestCmdRender::needsGui()
{
    QVERIFY(cmdNeedsGui("render"));
    QVERIFY(!cmdNeedsGui("info"));
    QVERIFY(!cmdNeedsGui("eval"));
}

void TestCmdRender::pngSize()
{
    const std::string out = path("wr.png");
    QCOMPARE(cmdRender({m_model, "--chart", "weight-ranges", "--layer", "conv1", "--out", out, "--size", "700x450"}), 0);
    QCOMPARE(QImage(QString::fromStdString(out)).size(), QSize(700, 450));
    // Default layer (the first) and size.
    const std::string out2 = path("wr_default.png");
    QCOMPARE(cmdRender({m_model, "--chart=weight-ranges", "--out=" + out2, "--theme", "dark"}), 0);
    const QImage dark(QString::fromStdString(out2));
    QCOMPARE(dark.size(), QSize(1200, 700));
    QCOMPARE(dark.pixelColor(1, 1), ChartPalette::forTheme(ChartTheme::Dark).background);
}

void TestCmdRender::svgWithComparison()
{
    const std::string out = path("wr.svg");
    QCOMPARE(cmdRender({m_model, "--chart", "weight-ranges", "--layer", "conv1", "--compare", m_scaled,
                        "--compare-mode", "side-by-side", "--out", out, "--size", "800x500"}),
             0);
    QFile f(QString::fromStdString(out));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QXmlStreamReader xml(svg);
    int circles = 0;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("circle"))
            ++circles;
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(circles, 6); // 3 channels x 2 models (mean markers)
    QVERIFY(svg.contains("viewBox=\"0 0 800 500\""));
    // conv1 ranges 2, 0.75, 12 -> 16x; scaled by 1, 2, 0.25: 2, 1.5, 3 -> 2x.
    QVERIFY(svg.contains("<title>Weight ranges per output channel: conv1 (Conv, 3 channels) - max/min channel range: "
                         "original 16x, two_conv_eq 2x</title>"));
}

void TestCmdRender::relativeRanges()
{
    const std::string out = path("rr.png");
    QCOMPARE(cmdRender({m_model, "--chart", "relative-ranges", "--compare", m_scaled, "--out", out, "--size", "640x400",
                        "--scale", "linear"}),
             0);
    QCOMPARE(QImage(QString::fromStdString(out)).size(), QSize(640, 400));
}

static int svgCircles(const QByteArray &svg)
{
    QXmlStreamReader xml(svg);
    int circles = 0;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("circle"))
            ++circles;
    return xml.hasError() ? -1 : circles;
}

static QByteArray readAll(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// --equalized draws the model after BN folding and cross-layer scaling as the second set:
// conv1 -> conv2 is one scaling pair, so conv1's 16x channel-range spread shrinks.
void TestCmdRender::equalized()
{
    const std::string out = path("eq.svg");
    QCOMPARE(cmdRender({m_model, "--chart", "weight-ranges", "--layer", "conv1", "--equalized", "--out", out}), 0);
    const QByteArray svg = readAll(out);
    QCOMPARE(svgCircles(svg), 6);
    QVERIFY(svg.contains("max/min channel range: original 16x, equalized "));
    const std::string rel = path("eq_rel.png");
    QCOMPARE(cmdRender({m_model, "--chart", "relative-ranges", "--equalized", "--out", rel}), 0);
    QCOMPARE(QImage(QString::fromStdString(rel)).size(), QSize(1200, 700));
}

// The session's cached table and selected layer are drawn as saved.
void TestCmdRender::sensitivityFromSession()
{
    Session s;
    s.modelPath = m_model;
    s.sensitivity = {{"conv1", "Conv", "w1", 21.5, 0.5, 30, 0.75}, {"conv2", "Conv", "w2", 33.25, 0.625, 19, 0.5}};
    s.view = {{"layer", "conv2"}, {"sensitivity_fp32_top1", 0.875}};
    const std::string session = path("s.qss");
    QVERIFY(writeSession(session, s).ok());
    const std::string out = path("qs.svg");
    QCOMPARE(cmdRender({m_model, "--chart", "quant-sensitivity", "--session", session, "--out", out, "--size", "640x400"}), 0);
    const QByteArray svg = readAll(out);
    QVERIFY(svg.contains("<title>Quantization sensitivity per layer (SQNR of the model output) - lowest SQNR when "
                         "quantized alone: conv1 (21.5 dB)</title>"));
    QVERIFY(svg.contains("viewBox=\"0 0 640 400\""));
    // The session's selected layer also picks the weight-range chart's layer.
    const std::string wr = path("wr_session.svg");
    QCOMPARE(cmdRender({m_model, "--chart", "weight-ranges", "--session", session, "--out", wr}), 0);
    QVERIFY(readAll(wr).contains("Weight ranges per output channel: conv2 (Conv, 2 channels)"));
}

// Without a table, the bundled demo's data spec (Fashion-MNIST) is used to compute one.
void TestCmdRender::sensitivityComputed()
{
    const QString demo = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    if (!QFile::exists(QStringLiteral("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")))
        QSKIP("Fashion-MNIST is not installed (package dataset-fashion-mnist)");
    const std::string out = path("qs_demo.svg");
    QCOMPARE(cmdRender({demo.toStdString(), "--chart", "quant-sensitivity", "--layer", "pw1", "--out", out}), 0);
    const QByteArray svg = readAll(out);
    QVERIFY(svg.contains("lowest SQNR when quantized alone: "));
    for (const char *layer : {"stem", "dw1", "pw1", "dw2", "pw2", "dw3", "pw3", "fc"})
        QVERIFY2(svg.contains(QByteArray(">") + layer + "</text>"), layer);
}

void TestCmdRender::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("usage"); // UsageError (exit 2 with the --help hint) rather than qs::Exception
    const QString model = QString::fromStdString(m_model);
    QTest::newRow("bad layer") << QStringList{model, "--chart", "weight-ranges", "--layer", "conv9", "--out", "@OUT@.png"}
                               << model + ": no weighted layer named 'conv9' (list the layer names with: quantscope-cli info " +
                                      model + ")"
                               << false;
    QTest::newRow("bad compare layer")
        << QStringList{model, "--chart", "weight-ranges", "--compare", "@DIR@/one.onnx", "--layer", "conv2", "--out", "@OUT@.png"}
        << "@DIR@/one.onnx: no weighted layer named 'conv2' (list the layer names with: quantscope-cli info @DIR@/one.onnx)"
        << false;
    QTest::newRow("no chart") << QStringList{model, "--out", "@OUT@.png"}
                              << "missing --chart weight-ranges|relative-ranges|quant-sensitivity|sensitivity" << true;
    QTest::newRow("bad chart") << QStringList{model, "--chart", "pie", "--out", "@OUT@.png"}
                               << "--chart must be weight-ranges, relative-ranges, quant-sensitivity or sensitivity, got 'pie'" << true;
    QTest::newRow("no out") << QStringList{model, "--chart", "weight-ranges"} << "missing --out FILE.png|FILE.svg" << true;
    QTest::newRow("bad suffix") << QStringList{model, "--chart", "weight-ranges", "--out", "@OUT@.jpg"}
                                << "--out must end in .png or .svg, got '@OUT@.jpg'" << true;
    QTest::newRow("bad size") << QStringList{model, "--chart", "weight-ranges", "--out", "@OUT@.png", "--size", "800"}
                              << "--size needs WIDTHxHEIGHT in pixels, each from 64 to 16384, got '800'" << true;
    QTest::newRow("tiny size") << QStringList{model, "--chart", "weight-ranges", "--out", "@OUT@.png", "--size", "10x10"}
                               << "--size needs WIDTHxHEIGHT in pixels, each from 64 to 16384, got '10x10'" << true;
    QTest::newRow("bad theme") << QStringList{model, "--chart", "weight-ranges", "--out", "@OUT@.png", "--theme", "blue"}
                               << "--theme must be light or dark, got 'blue'" << true;
    QTest::newRow("layer on relative") << QStringList{model, "--chart", "relative-ranges", "--layer", "conv1", "--out", "@OUT@.png"}
                                       << "--layer applies to --chart weight-ranges and quant-sensitivity only" << true;
    QTest::newRow("equalized and compare")
        << QStringList{model, "--chart", "weight-ranges", "--equalized", "--compare", model, "--out", "@OUT@.png"}
        << "--equalized and --compare both choose the compared model: give one" << true;
    QTest::newRow("no sensitivity data") << QStringList{model, "--chart", "quant-sensitivity", "--out", "@OUT@.png"}
                                         << model + ": no quantization sensitivity to draw: give --session S with a computed "
                                                    "table, or put the data spec in @DIR@/two_conv.json"
                                         << false;
    QTest::newRow("bad session") << QStringList{model, "--chart", "weight-ranges", "--session", "@DIR@/one.onnx", "--out", "@OUT@.png"}
                                 << "@DIR@/one.onnx: not valid JSON" << false;
    QTest::newRow("missing model") << QStringList{"@DIR@/nope.onnx", "--chart", "relative-ranges", "--out", "@OUT@.png"}
                                   << "@DIR@/nope.onnx: no such file" << false;
}

void TestCmdRender::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QFETCH(bool, usage);
    // A model with one weighted layer only, for the compare case.
    Graph one = twoConvGraph({1, 1, 1});
    one.nodes.pop_back();
    one.outputs[0] = ValueInfo{"h", DType::Float32, {1, 3, 4, 4}, {"", "", "", ""}, true};
    QVERIFY(exportOnnx(one, path("one.onnx")).ok());
    const QString out = m_dir.filePath(QStringLiteral("err"));
    Argv argv;
    for (QString a : args)
        argv.push_back(a.replace(QLatin1String("@OUT@"), out).replace(QLatin1String("@DIR@"), m_dir.path()).toStdString());
    message.replace(QLatin1String("@OUT@"), out).replace(QLatin1String("@DIR@"), m_dir.path());
    try {
        cmdRender(argv);
        QFAIL("no error");
    } catch (const UsageError &e) {
        QVERIFY2(usage, e.what());
        QCOMPARE(QString::fromStdString(e.what()), message);
    } catch (const Exception &e) {
        QVERIFY2(!usage, e.what());
        QCOMPARE(QString::fromStdString(e.what()), message);
    }
    QVERIFY(!QFile::exists(out + QStringLiteral(".png")));
    QVERIFY(!QFile::exists(out + QStringLiteral(".jpg")));
}

void TestCmdRender::mobilenet_data()
{
    QTest::addColumn<QString>("chart");
    QTest::addColumn<QString>("file");
    QTest::newRow("first depthwise png") << "weight-ranges" << "mobilenet_dw1.png";
    QTest::newRow("first depthwise svg") << "weight-ranges" << "mobilenet_dw1.svg";
    QTest::newRow("all layers png") << "relative-ranges" << "mobilenet_relative.png";
    QTest::newRow("all layers svg") << "relative-ranges" << "mobilenet_relative.svg";
    QTest::newRow("first depthwise equalized png") << "weight-ranges" << "mobilenet_dw1_equalized.png";
    QTest::newRow("first depthwise equalized svg") << "weight-ranges" << "mobilenet_dw1_equalized.svg";
    QTest::newRow("all layers equalized png") << "relative-ranges" << "mobilenet_relative_equalized.png";
    QTest::newRow("all layers equalized svg") << "relative-ranges" << "mobilenet_relative_equalized.svg";
}

// The weight-range chart of /4/Conv (8 channels; channel 7's range is 466x channel 5's) and the
// relative-range view of all 28 weighted layers.
void TestCmdRender::mobilenet()
{
    QS_NEED_SHARED("models/mobilenet_v1_0.25_224_imagenet.onnx");
    QFETCH(QString, chart);
    QFETCH(QString, file);
    const std::string model = test::sharedPath("models/mobilenet_v1_0.25_224_imagenet.onnx");
    const std::string out = (test::binaryDir() + QStringLiteral("/tests/") + file).toStdString();
    Argv argv = {model, "--chart", chart.toStdString(), "--out", out, "--size", "1000x600"};
    if (chart == QLatin1String("weight-ranges"))
        argv.insert(argv.end(), {"--layer", "/4/Conv"});
    const bool equalized = file.contains(QLatin1String("equalized"));
    if (equalized)
        argv.push_back("--equalized");
    QCOMPARE(cmdRender(argv), 0);
    if (file.endsWith(QLatin1String(".png"))) {
        QCOMPARE(QImage(QString::fromStdString(out)).size(), QSize(1000, 600));
        return;
    }
    QFile f(QString::fromStdString(out));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    QXmlStreamReader xml(svg);
    int circles = 0;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("circle"))
            ++circles;
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    if (equalized) {
        qInfo("%s", svg.mid(svg.indexOf("<title>"), svg.indexOf("</title>") - svg.indexOf("<title>")).constData());
        if (chart == QLatin1String("weight-ranges")) {
            QCOMPARE(circles, 16); // original and equalized mean markers
            QVERIFY(svg.contains("/4/Conv (Conv, 8 channels) - max/min channel range: original 466.2x, equalized "));
        }
    } else if (chart == QLatin1String("weight-ranges")) {
        QCOMPARE(circles, 8); // one mean marker per channel
        QVERIFY(svg.contains("/4/Conv (Conv, 8 channels) - max/min channel range 466.2x</title>"));
    } else {
        QVERIFY(circles > 28); // outlier channels: 27 of the 28 layers have some
        QVERIFY(svg.contains("28 layers, 27 with outlier channels"));
    }
}

QTEST_MAIN(TestCmdRender)
#include "tst_cmdrender.moc"
