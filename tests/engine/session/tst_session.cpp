// Session files: every field survives a write and a read, unknown sections are kept, and bad
// files give one-line errors naming the file and the key.

#include "testutil.h"

#include "session/session.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace qs;

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void keepsUnknownSections();
    void errors_data();
    void errors();
};

void TestSession::roundTrip()
{
    Session s;
    s.modelPath = "/m/model.onnx";
    s.modelSha256 = "ab12";
    s.dataPath = "/d/t10k.gz";
    s.labelsPath = "/d/labels.gz";
    s.preprocess = "{\"scale\":0.5}";
    s.settings.scheme = CalibrationScheme::Percentile;
    s.settings.percentile = 99.9;
    s.settings.paramBitwidth = 4;
    s.settings.perChannel = true;
    s.settings.crossLayerScale = s.settings.foldBatchNorms = true;
    s.settings.absorbHighBias = false;
    s.settings.biasCorrection = BiasCorrectionMethod::Analytical;
    s.settings.evalLimit = 1000;
    s.settings.sensitivitySamples = 64;
    SessionResult r;
    r.label = describeSettings(s.settings);
    r.settings = s.settings;
    r.fp32 = {0.895, 0.99, 1000, 0.5};
    r.quantized = {0.876, 0.985, 1000, 0.25};
    r.quantizers = 39;
    s.results = {r};
    s.sensitivity = {{"conv1", "Conv", "w1", 31.5, 0.875, 20.25, 0.5}};
    s.ratios = {{"conv1", 0.5}, {"fc", 0.25}};
    s.view = {{"layer", "conv1"}, {"charts", {{"tab", 2}}}};
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("s.qss")).toStdString();
    QVERIFY(writeSession(path, s).ok());
    Result<Session> read = readSession(path);
    QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
    const Session &t = read.value();
    QCOMPARE(sessionToJson(t).dump(), sessionToJson(s).dump());
    QCOMPARE(t.settings.scheme, CalibrationScheme::Percentile);
    QCOMPARE(*t.settings.absorbHighBias, false);
    QCOMPARE(*t.settings.biasCorrection, BiasCorrectionMethod::Analytical);
    QCOMPARE(t.results.at(0).label, std::string("W4A8 percentile, per-channel, CLE, HBA approx., BC analytical"));
    QCOMPARE(t.results.at(0).quantized.top1, 0.876);
    QCOMPARE(t.sensitivity.at(0).sqnrAllBut, 20.25);
    QCOMPARE(t.ratios.at("fc"), 0.25);
    QCOMPARE(t.view["charts"]["tab"].get<int>(), 2);
}

void TestSession::keepsUnknownSections()
{
    const nlohmann::json j = {{"quantscope_session", 1},
                              {"model", {{"path", "m.onnx"}}},
                              {"compression", {{"page", 4}, {"method", "channel-pruning"}}}};
    Result<Session> s = sessionFromJson(j, "s.qss");
    QVERIFY(s.ok());
    QCOMPARE(s.value().modelPath, std::string("m.onnx"));
    const nlohmann::json back = sessionToJson(s.value());
    QCOMPARE(back["compression"].dump(), j["compression"].dump());
    QCOMPARE(back["quantscope_session"].get<int>(), 1);
}

void TestSession::errors_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("no version") << R"({"model": {}})" << "s.qss: not a session (no 'quantscope_session' version)";
    QTest::newRow("newer version") << R"({"quantscope_session": 7})"
                                   << "s.qss: session version 7 (this build reads 1..1)";
    QTest::newRow("bad path") << R"({"quantscope_session": 1, "model": {"path": 3}})"
                              << "s.qss: 'model.path' must be a string";
    QTest::newRow("bad bitwidth") << R"({"quantscope_session": 1, "quantization": {"param_bw": 40}})"
                                  << "s.qss: 'quantization.param_bw' must lie in 2..16";
    QTest::newRow("bad scheme") << R"({"quantscope_session": 1, "quantization": {"scheme": "max"}})"
                                << "s.qss: 'quantization.scheme' must be tf, tf_enhanced or percentile";
    QTest::newRow("bad result") << R"({"quantscope_session": 1, "results": [{"fp32": {"top1": "x"}}]})"
                                << "s.qss: 'results[0].fp32.top1' must be a number";
    QTest::newRow("bad sensitivity") << R"({"quantscope_session": 1, "sensitivity": [{"sqnr_alone": null}]})"
                                     << "s.qss: 'sensitivity[0].sqnr_alone' must be a number";
    QTest::newRow("bad ratio") << R"({"quantscope_session": 1, "ratios": {"conv1": "half"}})"
                               << "s.qss: 'ratios.conv1' must be a number";
}

void TestSession::errors()
{
    QFETCH(QString, json);
    QFETCH(QString, message);
    Result<Session> s = sessionFromJson(nlohmann::json::parse(json.toStdString()), "s.qss");
    QVERIFY(!s.ok());
    QCOMPARE(QString::fromStdString(s.error().message), message);
    QTemporaryDir dir;
    const std::string bad = dir.filePath(QStringLiteral("bad.qss")).toStdString();
    std::ofstream(bad) << "{not json";
    QCOMPARE(QString::fromStdString(readSession(bad).error().message), QString::fromStdString(bad) + ": not valid JSON");
}

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
