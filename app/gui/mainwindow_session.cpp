// MainWindow: session files and autosave.

#include "mainwindow.h"

#include "chartspanel.h"
#include "compressionwizard.h"
#include "quantpanel.h"

#include "panels/layerexplorer.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStatusBar>

namespace qs {

namespace {

nlohmann::json toNlohmann(const QJsonObject &o)
{
    return nlohmann::json::parse(QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString(), nullptr, false);
}

QJsonObject toQJson(const nlohmann::json &j)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(j.dump())).object();
}

} // namespace

Session MainWindow::currentSession() const
{
    Session s;
    s.extra = m_sessionExtra;
    s.ratios = m_ratios;
    if (m_wizard && m_model) {
        nlohmann::json wizard = m_wizard->state();
        wizard["open"] = m_wizard->isVisible();
        s.extra["wizard"] = wizard;
        s.ratios = m_wizard->ratios();
    }
    if (m_model) {
        s.modelPath = m_model->path.toStdString();
        s.modelSha256 = m_model->sha256.toStdString();
    }
    const DataSpecInfo spec = m_quant->dataSpec();
    s.dataPath = spec.data.toStdString();
    s.labelsPath = spec.labels.toStdString();
    s.preprocess = spec.preprocess.toStdString();
    s.settings = m_quant->settings();
    s.results = m_quant->results();
    s.sensitivity = m_quant->sensitivity();
    QJsonObject view;
    view.insert(QStringLiteral("charts"), m_charts->viewState());
    view.insert(QStringLiteral("filter"), m_explorer->filterText());
    view.insert(QStringLiteral("op_filter"), m_explorer->opFilter());
    view.insert(QStringLiteral("layer"), m_explorer->currentLayer());
    view.insert(QStringLiteral("sensitivity_fp32_top1"), m_quant->sensitivityFp32Top1());
    view.insert(QStringLiteral("window_state"), QString::fromLatin1(saveState().toBase64()));
    s.view = toNlohmann(view);
    return s;
}

bool MainWindow::saveSession(const QString &path, QString *error)
{
    Result<void> r = writeSession(path.toStdString(), currentSession());
    if (!r.ok()) {
        if (error)
            *error = QString::fromStdString(r.error().message);
        return false;
    }
    m_sessionPath = path;
    m_dirty = false;
    statusBar()->showMessage(tr("Session saved to %1").arg(path));
    return true;
}

bool MainWindow::autosaveNow()
{
    if (m_autosavePath.isEmpty() || !m_model)
        return false;
    QDir().mkpath(QFileInfo(m_autosavePath).absolutePath());
    Result<void> r = writeSession(m_autosavePath.toStdString(), currentSession());
    if (r.ok())
        m_dirty = false;
    return r.ok();
}

bool MainWindow::openSession(const QString &path, QString *error)
{
    Result<Session> r = readSession(path.toStdString());
    if (!r.ok()) {
        if (error)
            *error = QString::fromStdString(r.error().message);
        return false;
    }
    const QString model = QString::fromStdString(r.value().modelPath);
    if (model.isEmpty()) {
        if (error)
            *error = path + tr(": the session names no model");
        return false;
    }
    if (isLoading()) {
        if (error)
            *error = tr("A model is still loading.");
        return false;
    }
    if (path != m_autosavePath)
        m_sessionPath = path;
    m_pendingSession = std::move(r.value());
    openModel(model);
    return true;
}

// Called once the session's model has loaded.
void MainWindow::applySession(const Session &s)
{
    if (!s.modelSha256.empty() && s.modelSha256 != m_model->sha256.toStdString())
        statusBar()->showMessage(tr("%1 changed since the session was saved (SHA-256 differs)").arg(m_model->path));
    m_sessionExtra = s.extra;
    m_ratios = s.ratios;
    m_quant->setDataSpec({QString::fromStdString(s.dataPath), QString::fromStdString(s.labelsPath),
                          QString::fromStdString(s.preprocess)});
    m_quant->setSettings(s.settings);
    m_quant->setResults(s.results);
    const QJsonObject view = toQJson(s.view);
    m_quant->setSensitivity(s.sensitivity, view.value(QStringLiteral("sensitivity_fp32_top1")).toDouble(-1));
    m_explorer->setFilterText(view.value(QStringLiteral("filter")).toString());
    m_explorer->setOpFilter(view.value(QStringLiteral("op_filter")).toString());
    m_charts->setViewState(view.value(QStringLiteral("charts")).toObject());
    const QString layer = view.value(QStringLiteral("layer")).toString();
    if (!layer.isEmpty())
        m_explorer->selectLayer(layer);
    if (s.extra.contains("wizard") && s.extra["wizard"].is_object()) {
        const nlohmann::json &wizard = s.extra["wizard"];
        compressionWizard()->setState(wizard);
        if (wizard.value("open", false))
            showCompressionWizard();
    } else if (m_wizard) {
        m_wizard->setModel(m_model);
    }
    const QByteArray state = QByteArray::fromBase64(view.value(QStringLiteral("window_state")).toString().toLatin1());
    if (!state.isEmpty())
        restoreState(state);
    m_dirty = false;
    Q_EMIT sessionRestored(m_sessionPath);
}

} // namespace qs
