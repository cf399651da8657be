#include "cmdrender.h"

#include "cliargs.h"

#include "analysis/quantrun.h"
#include "analysis/weightstats.h"
#include "compress/sensitivity.h"
#include "charts/quantsensitivitychart.h"
#include "charts/relativerangechart.h"
#include "charts/sensitivityheatmapadapter.h"
#include "charts/weightrangechart.h"
#include "charts/weightstatsadapter.h"
#include "core/error.h"
#include "core/fileutil.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "equalize/equalize.h"
#include "equalize/layerweights.h"
#include "onnx/onnximport.h"
#include "session/session.h"

#include <QApplication>
#include <QByteArray>
#include <QtGlobal>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace qs::cli {

namespace {

struct RenderOptions {
    std::string model;
    std::string chart;
    std::string out;
    bool svg = false;
    int width = 1200;
    int height = 700;
    ChartTheme theme = ChartTheme::Light;
    std::optional<bool> log;
    bool sideBySide = false;
    bool equalized = false;
    std::string cache;
    std::optional<Session> session;
};

std::string lower(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void parseSize(const std::string &text, RenderOptions &o)
{
    const size_t x = lower(text).find('x');
    char *end = nullptr;
    const long w = x == std::string::npos ? 0 : std::strtol(text.c_str(), &end, 10);
    const bool wOk = x != std::string::npos && end == text.c_str() + x;
    const long h = wOk ? std::strtol(text.c_str() + x + 1, &end, 10) : 0;
    if (!wOk || *end != '\0' || x + 1 >= text.size() || w < 64 || h < 64 || w > 16384 || h > 16384)
        throw UsageError("--size needs WIDTHxHEIGHT in pixels, each from 64 to 16384, got '" + text + "'");
    o.width = int(w);
    o.height = int(h);
}

RenderOptions parseOptions(const Args &args)
{
    RenderOptions o;
    o.model = args.model();
    o.chart = args.value("chart", "");
    if (o.chart.empty())
        throw UsageError("missing --chart weight-ranges|relative-ranges|quant-sensitivity|sensitivity");
    if (o.chart != "weight-ranges" && o.chart != "relative-ranges" && o.chart != "quant-sensitivity" &&
        o.chart != "sensitivity")
        throw UsageError("--chart must be weight-ranges, relative-ranges, quant-sensitivity or sensitivity, got '" +
                         o.chart + "'");
    o.cache = args.value("cache", "");
    if (o.chart == "sensitivity" && o.cache.empty())
        throw UsageError("--chart sensitivity needs --cache FILE (the table quantscope-cli sensitivity --cache wrote)");
    if (o.chart != "sensitivity" && !o.cache.empty())
        throw UsageError("--cache applies to --chart sensitivity only");
    o.out = args.value("out", "");
    if (o.out.empty())
        throw UsageError("missing --out FILE.png|FILE.svg");
    const std::string ext = lower(o.out.size() > 4 ? o.out.substr(o.out.size() - 4) : o.out);
    if (ext != ".png" && ext != ".svg")
        throw UsageError("--out must end in .png or .svg, got '" + o.out + "'");
    o.svg = ext == ".svg";
    if (auto size = args.value("size"))
        parseSize(*size, o);
    const std::string theme = args.value("theme", "light");
    if (!parseChartTheme(QString::fromStdString(theme), &o.theme))
        throw UsageError("--theme must be light or dark, got '" + theme + "'");
    if (auto scale = args.value("scale")) {
        if (*scale != "linear" && *scale != "log")
            throw UsageError("--scale must be linear or log, got '" + *scale + "'");
        o.log = *scale == "log";
    }
    if (auto mode = args.value("compare-mode")) {
        if (*mode != "overlay" && *mode != "side-by-side")
            throw UsageError("--compare-mode must be overlay or side-by-side, got '" + *mode + "'");
        o.sideBySide = *mode == "side-by-side";
    }
    if (o.chart == "sensitivity" && (args.value("compare") || args.flag("equalized") || args.value("scale")))
        throw UsageError("--compare, --equalized and --scale do not apply to --chart sensitivity");
    if (args.value("layer") && o.chart == "relative-ranges")
        throw UsageError("--layer applies to --chart weight-ranges and quant-sensitivity only");
    o.equalized = args.flag("equalized");
    if (o.equalized && args.value("compare"))
        throw UsageError("--equalized and --compare both choose the compared model: give one");
    if (o.equalized && o.chart == "quant-sensitivity")
        throw UsageError("--equalized applies to --chart weight-ranges and relative-ranges only");
    if (auto session = args.value("session"))
        o.session = readSession(*session).take();
    return o;
}

std::vector<LayerWeightStats> loadStats(const std::string &path)
{
    const Graph graph = importOnnx(path).take();
    std::vector<LayerWeightStats> stats = computeWeightStats(graph);
    if (stats.empty())
        fail(ErrorCode::Invalid, path + ": no weighted layers (Conv, ConvTranspose, Gemm or MatMul with a constant weight)");
    return stats;
}

const LayerWeightStats &requireLayer(const std::vector<LayerWeightStats> &stats, const std::string &path,
                                     const std::string &name)
{
    if (const LayerWeightStats *l = findLayer(stats, name))
        return *l;
    fail(ErrorCode::Usage, path + ": no weighted layer named '" + name +
                               "' (list the layer names with: quantscope-cli info " + path + ")");
}

// Statistics of the model after BN folding, cross-layer scaling and high-bias absorption, as the
// application's "Compare with equalized" shows them.
std::vector<LayerWeightStats> equalizedStats(const std::string &path)
{
    Result<EqualizeResult> r = equalize(importOnnx(path).take());
    if (!r.ok())
        fail(r.error().code, path + ": equalization: " + r.error().message);
    return computeWeightStats(r.value().graph);
}

// The session's selected layer (view.layer), if any.
std::string sessionLayer(const RenderOptions &o)
{
    if (!o.session || !o.session->view.contains("layer") || !o.session->view["layer"].is_string())
        return {};
    return o.session->view["layer"].get<std::string>();
}

// Legend label of a compared model: its file name without ".onnx".
QString modelLabel(const std::string &path)
{
    QString name = QString::fromStdString(fileName(path));
    if (name.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive))
        name.chop(5);
    return name;
}

std::unique_ptr<ChartView> weightRanges(const RenderOptions &o, const Args &args)
{
    const auto stats = loadStats(o.model);
    const std::string fromSession = sessionLayer(o);
    const std::string name = args.value("layer", fromSession.empty() ? stats.front().name : fromSession);
    auto chart = std::make_unique<WeightRangeChart>();
    chart->setTheme(o.theme);
    chart->setLogScale(o.log.value_or(false));
    chart->setCompareMode(o.sideBySide ? WeightRangeChart::CompareMode::SideBySide
                                       : WeightRangeChart::CompareMode::Overlay);
    chart->setLayer(toChartLayer(requireLayer(stats, o.model, name)), QObject::tr("original"));
    if (auto other = args.value("compare")) {
        const auto otherStats = loadStats(*other);
        chart->setComparison(toChartLayer(requireLayer(otherStats, *other, name)), modelLabel(*other));
    } else if (o.equalized) {
        const auto eq = equalizedStats(o.model);
        chart->setComparison(toChartLayer(requireLayer(eq, o.model + " (equalized)", name)), QObject::tr("equalized"));
    }
    return chart;
}

std::unique_ptr<ChartView> relativeRanges(const RenderOptions &o, const Args &args)
{
    const auto stats = loadStats(o.model);
    auto chart = std::make_unique<RelativeRangeChart>();
    chart->setTheme(o.theme);
    chart->setLogScale(o.log.value_or(true));
    chart->setLayers(toChartLayers(stats), QObject::tr("original"));
    if (auto other = args.value("compare")) {
        const auto otherStats = loadStats(*other);
        for (const LayerWeightStats &l : stats)
            requireLayer(otherStats, *other, l.name);
        chart->setComparison(toChartLayers(otherStats), modelLabel(*other));
    } else if (o.equalized) {
        chart->setComparison(toChartLayers(equalizedStats(o.model)), QObject::tr("equalized"));
    }
    return chart;
}

// The data spec beside the model (MODEL.json with "data", "labels", "preprocess"), for computing
// the sensitivity when no session holds it.
Session dataSpecBeside(const std::string &model)
{
    std::string spec = model;
    if (spec.size() > 5 && lower(spec.substr(spec.size() - 5)) == ".onnx")
        spec.resize(spec.size() - 5);
    spec += ".json";
    if (!fileExists(spec))
        fail(ErrorCode::Usage, model + ": no quantization sensitivity to draw: give --session S with a computed table, "
                                       "or put the data spec in " + spec);
    const nlohmann::json j = nlohmann::json::parse(readFileBytes(spec), nullptr, false);
    if (!j.is_object() || !j.value("data", nlohmann::json()).is_string())
        fail(ErrorCode::Format, spec + ": needs a \"data\" path");
    Session s;
    s.dataPath = j["data"].get<std::string>();
    s.labelsPath = j.value("labels", std::string());
    if (j.contains("preprocess"))
        s.preprocess = j["preprocess"].dump();
    return s;
}

// The session's cached table, or one computed now with the session's (or default) settings on
// 256 evaluation records.
std::vector<LayerQuantSensitivity> sensitivityTable(const RenderOptions &o, double *fp32Top1)
{
    if (o.session && !o.session->sensitivity.empty()) {
        if (o.session->view.contains("sensitivity_fp32_top1") && o.session->view["sensitivity_fp32_top1"].is_number())
            *fp32Top1 = o.session->view["sensitivity_fp32_top1"].get<double>();
        return o.session->sensitivity;
    }
    Session spec = o.session && !o.session->dataPath.empty() ? *o.session : dataSpecBeside(o.model);
    QuantRunSettings settings = o.session ? spec.settings : QuantRunSettings{};
    settings.sensitivitySamples = settings.sensitivitySamples > 0 ? settings.sensitivitySamples : 256;
    settings.evalLimit = settings.sensitivitySamples;
    registerBuiltinDatasets(DatasetRegistry::instance());
    DatasetOptions options;
    options.labels = spec.labelsPath;
    const auto data = DatasetRegistry::instance().open(spec.dataPath, options).take();
    const Preprocess pre = spec.preprocess.empty() ? Preprocess{} : parsePreprocess(spec.preprocess).take();
    const Graph graph = importOnnx(o.model).take();
    QuantRunResult r = runQuantization(graph, o.model, *data, pre, settings).take();
    *fp32Top1 = r.fp32.top1;
    return r.sensitivity;
}

std::unique_ptr<ChartView> quantSensitivity(const RenderOptions &o, const Args &args)
{
    double fp32 = -1;
    const auto table = sensitivityTable(o, &fp32);
    auto chart = std::make_unique<QuantSensitivityChart>();
    chart->setTheme(o.theme);
    chart->setLayers(toChartSensitivity(table), fp32);
    const std::string layer = args.value("layer", sessionLayer(o));
    if (!layer.empty()) {
        bool found = false;
        for (const LayerQuantSensitivity &l : table)
            found = found || l.layer == layer;
        if (!found)
            fail(ErrorCode::Usage, o.model + ": no layer named '" + layer + "' in the sensitivity table");
        chart->setSelectedLayer(QString::fromStdString(layer));
    }
    return chart;
}

// The compression sensitivity heatmap of a table written by `sensitivity --cache`, checked against
// the model; the session's chosen ratios are marked and --layer (or the session's layer) is bold.
std::unique_ptr<SensitivityHeatmap> sensitivityHeatmap(const RenderOptions &o, const Args &args)
{
    const SensitivityTable table = loadSensitivityTable(o.cache).take();
    Graph graph = importOnnx(o.model).take();
    ensureNodeNames(graph); // as computeSensitivity fingerprints it
    if (table.model != graphFingerprint(graph))
        fail(ErrorCode::Usage, o.cache + ": the table was computed for another model than " + o.model);
    if (table.scores.empty())
        fail(ErrorCode::Usage, o.cache + ": the table has no finished layer yet");
    auto heatmap = std::make_unique<SensitivityHeatmap>();
    heatmap->setTheme(o.theme);
    showSensitivityTable(*heatmap, table);
    const std::string layer = args.value("layer", sessionLayer(o));
    if (!layer.empty()) {
        if (std::find(table.order.begin(), table.order.end(), layer) == table.order.end())
            fail(ErrorCode::Usage, o.cache + ": no layer named '" + layer + "' in the sensitivity table");
        heatmap->setSelectedLayer(QString::fromStdString(layer));
    }
    if (o.session)
        for (const auto &[name, ratio] : o.session->ratios)
            heatmap->setChosenRatio(QString::fromStdString(name), ratio);
    return heatmap;
}

QtMessageHandler g_previousHandler = nullptr;

// The offscreen platform warns on every start when XDG_RUNTIME_DIR is unset (as in CI containers);
// dropping that one message keeps the command's stderr to its own one-line errors.
void quietRuntimeDirWarning(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

bool cmdNeedsGui(const std::string &command)
{
    return command == "render";
}

void prepareGuiPlatform()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    g_previousHandler = qInstallMessageHandler(quietRuntimeDirWarning);
}

int cmdRender(const Argv &argv)
{
    const Args args(argv, {{"chart"}, {"layer"}, {"compare"}, {"out"}, {"size"}, {"theme"}, {"scale"}, {"compare-mode"},
                           {"session"}, {"cache"}, {"equalized", false}});
    const RenderOptions o = parseOptions(args);
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()))
        fail(ErrorCode::Internal, "render: drawing charts needs a QApplication (see cmdNeedsGui)");
    const QSize size(o.width, o.height);
    QByteArray bytes;
    if (o.chart == "sensitivity") {
        const std::unique_ptr<SensitivityHeatmap> heatmap = sensitivityHeatmap(o, args);
        bytes = o.svg ? heatmap->toSvg(size) : heatmap->toPng(size);
    } else {
        std::unique_ptr<ChartView> chart = o.chart == "weight-ranges"     ? weightRanges(o, args)
                                           : o.chart == "relative-ranges" ? relativeRanges(o, args)
                                                                          : quantSensitivity(o, args);
        chart->resize(size);
        bytes = o.svg ? chart->toSvg(size) : chart->toPng(size);
    }
    writeFileAtomic(o.out, std::string(bytes.constData(), size_t(bytes.size())));
    std::printf("%s: %s chart, %dx%d\n", o.out.c_str(), o.chart.c_str(), o.width, o.height);
    return 0;
}

} // namespace qs::cli
