#include "modeldocument.h"

#include "core/error.h"
#include "equalize/equalize.h"
#include "onnx/onnximport.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace qs {

namespace {

DataSpecInfo readDataSpec(const QString &modelPath)
{
    QString specPath = modelPath;
    if (specPath.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive))
        specPath.chop(5);
    specPath += QStringLiteral(".json");
    QFile f(specPath);
    DataSpecInfo spec;
    if (!f.open(QIODevice::ReadOnly))
        return spec;
    const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
    spec.data = o.value(QStringLiteral("data")).toString();
    spec.labels = o.value(QStringLiteral("labels")).toString();
    const QJsonValue pre = o.value(QStringLiteral("preprocess"));
    if (pre.isObject())
        spec.preprocess = QString::fromUtf8(QJsonDocument(pre.toObject()).toJson(QJsonDocument::Compact));
    return spec;
}

} // namespace

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << (d < 0 ? QStringLiteral("?") : QString::number(d));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

std::shared_ptr<ModelDocument> loadModelDocument(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    auto m = std::make_shared<ModelDocument>();
    m->path = path;
    QFile f(path);
    if (!f.exists()) {
        m->error = path + QStringLiteral(": no such file");
        return m;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        m->error = path + QStringLiteral(": cannot read (") + f.errorString() + QLatin1Char(')');
        return m;
    }
    const QByteArray bytes = f.readAll();
    m->sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    Result<Graph> g = importOnnxBytes(bytes.toStdString(), path.toStdString(),
                                  path.startsWith(QLatin1Char(':')) ? std::string()
                                                                    : QFileInfo(path).absolutePath().toStdString());
    if (!g.ok()) {
        m->error = QString::fromStdString(g.error().message);
        return m;
    }
    m->graph = std::move(g.value());
    Result<void> facts = capture(path.toStdString(), [&] {
        m->cost = computeCost(m->graph);
        m->stats = computeWeightStats(m->graph);
    });
    if (!facts.ok()) {
        m->error = QString::fromStdString(facts.error().message);
        return m;
    }
    m->dataSpec = readDataSpec(path);
    m->seconds = double(timer.nsecsElapsed()) * 1e-9;
    return m;
}

std::vector<LayerWeightStats> equalizedWeightStats(const Graph &graph, QString *error)
{
    Result<EqualizeResult> r = equalize(graph);
    if (!r.ok()) {
        *error = QString::fromStdString(r.error().message);
        return {};
    }
    Result<std::vector<LayerWeightStats>> stats = capture("", [&] { return computeWeightStats(r.value().graph); });
    if (!stats.ok()) {
        *error = QString::fromStdString(stats.error().message);
        return {};
    }
    return std::move(stats.value());
}

} // namespace qs
