// CompressionWizard: the sensitivity and compression jobs, greedy selection and the projection.
// The compression job makes the same engine calls as quantscope-cli compress and writes the same
// report fields, so the wizard and the command agree figure for figure.

#include "compressionwizard.h"

#include "jobrunner.h"

#include "charts/sensitivityheatmap.h"
#include "charts/sensitivityheatmapadapter.h"
#include "core/fileutil.h"
#include "data/dataset.h"
#include "data/preprocess.h"
#include "eval/evaluation.h"
#include "finetune/finetune.h"
#include "jobs/job.h"
#include "runtime/executor.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include <algorithm>
#include <cmath>

namespace qs {

namespace {

using Json = nlohmann::json;

struct OpenedData {
    std::unique_ptr<Dataset> data;
    Preprocess pre;
};

OpenedData openData(const DataSpecInfo &spec)
{
    OpenedData d;
    if (!spec.preprocess.trimmed().isEmpty())
        d.pre = parsePreprocess(spec.preprocess.toStdString()).take();
    registerBuiltinDatasets(DatasetRegistry::instance());
    DatasetOptions options;
    options.labels = spec.labels.toStdString();
    d.data = DatasetRegistry::instance().open(spec.data.toStdString(), options).take();
    return d;
}

double evaluateTop1(const Graph &graph, const OpenedData &d, const EvalOptions &eval)
{
    auto exec = Executor::create(graph).take();
    return evaluateClassifier(*exec, *d.data, d.pre, eval).take().top1;
}

QString count(qint64 v) { return QLocale::c().toString(qlonglong(v)); }

QString percent(double v) { return QString::number(100.0 * v, 'f', 2) + QLatin1Char('%'); }

Json layerJson(const LayerCompressionReport &l, const SensitivityTable *table)
{
    const bool pruning = l.method == "channel-pruning";
    Json j = {{"name", l.name},
              {"op", l.opType},
              {"method", l.method},
              {"ratio", l.ratio},
              {pruning ? "channels_kept" : "rank", l.kept},
              {pruning ? "channels" : "max_rank", l.full},
              {"macs_before", l.macsBefore},
              {"macs_after", l.macsAfter},
              {"params_before", l.paramsBefore},
              {"params_after", l.paramsAfter},
              {"nodes", l.nodes}};
    j["score"] = Json();
    if (table)
        if (auto row = table->scores.find(l.name); row != table->scores.end() && row->second.count(l.ratio))
            j["score"] = row->second.at(l.ratio);
    if (pruning) {
        j["winnowed"] = l.winnowed;
        j["winnow_skipped"] = l.winnowSkipped.empty() ? Json() : Json(l.winnowSkipped);
    }
    return j;
}

// Greedy ratios for `target` over `table`, with the model cost measured against `original`.
GreedyResult greedyFor(const SensitivityTable &table, const CompressionCostModel &costModel, const ModelCost &original,
                       CostMetric metric, double target, const RatioMap &overrides)
{
    auto costRatio = [&](const RatioMap &r) {
        const CompressionCostModel::Cost c = costModel.cost(r);
        return metric == CostMetric::Mac ? double(c.macs) / double(original.macs)
                                         : double(c.params) / double(original.params);
    };
    GreedyOptions go;
    go.target = target;
    go.overrides = overrides;
    return selectRatiosGreedy(table.scores, costRatio, go);
}

} // namespace

struct CompressionWizard::CompressionOutcome {
    Graph graph;
    Json report;
};

void CompressionWizard::connectJobs()
{
    connect(m_runner, &JobRunner::finished, this, &CompressionWizard::onJobFinished);
    connect(m_runner, &JobRunner::started, this, &CompressionWizard::updateJobWidgets);
    connect(m_runner, &JobRunner::progressChanged, this, [this](qint64 done, qint64 total, const QString &stage) {
        QProgressBar *bar = m_running == Running::Sensitivity   ? m_tableProgress
                            : m_running == Running::Compression ? m_compressProgress
                                                                : nullptr;
        if (!bar)
            return;
        bar->setRange(0, 1000);
        bar->setValue(total > 0 ? int(1000 * std::min(done, total) / total) : 0);
        bar->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" %p%"));
        if (m_running == Running::Compression && !stage.isEmpty() &&
            !m_log->toPlainText().endsWith(stage))
            m_log->appendPlainText(stage);
    });
}

void CompressionWizard::updateJobWidgets()
{
    const bool idle = !m_runner->isRunning();
    m_runTable->setEnabled(idle && m_model);
    m_runTable->setText(hasCompleteTable() || !m_table ? tr("Compute") : tr("Resume"));
    m_cancel->setEnabled(m_running == Running::Sensitivity);
    m_runCompress->setEnabled(idle && m_model && !m_ratios.empty());
    m_cancelCompress->setEnabled(m_running == Running::Compression);
    m_greedy->setEnabled(hasCompleteTable());
    m_export->setEnabled(bool(m_compressed));
    for (int id : {SensitivityPage, CompressPage})
        if (auto *p = page(id))
            QMetaObject::invokeMethod(p, "completeChanged");
}

// The empty grid of the method's layers and ratios, so pending cells show before the first result.
void CompressionWizard::prepareGrid()
{
    if (!m_costModel || m_running == Running::Sensitivity)
        return;
    QStringList layers;
    for (const CompressibleLayer &l : m_costModel->compressible().layers)
        layers << QString::fromStdString(l.name);
    const std::vector<double> ratios = candidateRatios(m_candidates->value());
    m_heatmap->setGrid(layers, QVector<double>(ratios.begin(), ratios.end()));
    m_heatmap->setTitle(tr("Compression sensitivity"), m_method->currentText());
}

// The cache file's table when it belongs to this model and these settings.
void CompressionWizard::loadCachedTable()
{
    const std::string cache = m_cache->text().toStdString();
    if (cache.empty() || !fileExists(cache))
        return;
    Result<SensitivityTable> r = loadSensitivityTable(cache);
    if (!r.ok()) {
        m_tableStatus->setText(QString::fromStdString(r.error().message));
        return;
    }
    const SensitivityTable &t = r.value();
    if (t.model != graphFingerprint(m_graph) || t.method != methodName(tableMethod()) ||
        int(t.ratios.size()) != m_candidates->value())
        return;
    if (tableMethod() == CompressMethod::ChannelPruning && t.selection != selectionName(compressSettings().selection))
        return;
    m_table = std::make_shared<SensitivityTable>(t);
    showSensitivityTable(*m_heatmap, t);
    m_tableStatus->setText(tr("%1 of %2 layers in the cache %3")
                               .arg(t.scores.size())
                               .arg(t.order.size())
                               .arg(m_cache->text()));
}

bool CompressionWizard::runSensitivity(QString *error)
{
    const auto setError = [error](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (!m_model)
        return setError(tr("No model loaded."));
    if (m_runner->isRunning())
        return setError(tr("Another job is running."));
    if (m_cache->text().isEmpty())
        m_cache->setText(defaultCachePath());
    QDir().mkpath(QFileInfo(m_cache->text()).absolutePath());
    prepareGrid();
    auto result = std::make_shared<SensitivityTable>();
    QPointer<CompressionWizard> self(this);
    SensitivityCellCallback onCell = [self](const std::string &layer, double ratio, double score) {
        const QString name = QString::fromStdString(layer);
        QMetaObject::invokeMethod(
            self.data(),
            [self, name, ratio, score] {
                if (!self)
                    return;
                self->m_heatmap->setScore(name, ratio, score);
                Q_EMIT self->cellFinished(name, ratio, score);
            },
            Qt::QueuedConnection);
    };
    const Graph graph = m_graph;
    const DataSpecInfo spec = settings().data;
    const SensitivityOptions options = sensitivityOptions();
    m_running = Running::Sensitivity;
    m_outcome.reset();
    const bool started = m_runner->start(tr("Sensitivity analysis"), [=](Job &job) -> QString {
        Result<SensitivityTable> r = capture("", [&] {
            const OpenedData d = openData(spec);
            return computeSensitivity(graph, *d.data, d.pre, options, &job, onCell).take();
        });
        if (!r.ok())
            return QString::fromStdString(r.error().message);
        *result = std::move(r.value());
        return QString();
    });
    if (!started) {
        m_running = Running::None;
        return setError(tr("Another job is running."));
    }
    m_pendingTable = result;
    m_tableStatus->setText(tr("Computing; finished layers are kept in %1").arg(m_cache->text()));
    updateJobWidgets();
    return true;
}

void CompressionWizard::onJobFinished(bool ok, bool cancelled, const QString &error)
{
    const Running kind = m_running;
    m_running = Running::None;
    if (kind == Running::Sensitivity)
        onSensitivityDone(ok, cancelled, error);
    else if (kind == Running::Compression)
        onCompressionDone(ok, cancelled, error);
    updateJobWidgets();
}

void CompressionWizard::onSensitivityDone(bool ok, bool cancelled, const QString &error)
{
    std::shared_ptr<SensitivityTable> result = std::move(m_pendingTable);
    QString message;
    if (ok && result) {
        m_table = result;
        m_ratios.clear();
        m_overrides.clear();
        showSensitivityTable(*m_heatmap, *m_table);
        message = tr("%1 layers x %2 ratios, baseline top-1 %3 over %4 records")
                      .arg(m_table->order.size())
                      .arg(m_table->ratios.size())
                      .arg(percent(m_table->baseline))
                      .arg(m_table->samples);
        m_tableStatus->setToolTip(tr("%1 s of computing").arg(m_table->seconds, 0, 'f', 1));
    } else {
        m_table.reset();
        loadCachedTable();
        const int kept = m_table ? int(m_table->scores.size()) : 0;
        message = cancelled ? tr("Cancelled; %1 finished layers are kept in the cache.").arg(kept) : error;
    }
    m_tableStatus->setText(message);
    markChanged();
    Q_EMIT sensitivityFinished(ok, cancelled, message);
}

void CompressionWizard::selectGreedy()
{
    if (!hasCompleteTable() || !m_costModel || !m_model)
        return;
    RatioMap overrides;
    for (const QString &l : m_overrides)
        if (m_ratios.count(l.toStdString()))
            overrides[l.toStdString()] = m_ratios.at(l.toStdString());
    const GreedyResult g = greedyFor(*m_table, *m_costModel, m_model->cost, compressSettings().metric, tableTarget(),
                                     overrides);
    m_ratios = g.ratios;
    fillRatioTable();
    markChanged();
}

void CompressionWizard::setLayerRatio(const QString &layer, double ratio)
{
    const std::string name = layer.toStdString();
    if (!m_table || std::find(m_table->order.begin(), m_table->order.end(), name) == m_table->order.end())
        return;
    m_ratios[name] = ratio;
    m_overrides.insert(layer);
    fillRatioTable();
    markChanged();
}

CompressionCostModel::Cost CompressionWizard::projectedCost() const
{
    return m_costModel ? m_costModel->cost(m_ratios) : CompressionCostModel::Cost{};
}

// The lowest score among the chosen cells: what greedy selection promises for the whole model.
double CompressionWizard::expectedScore() const
{
    if (!m_table)
        return -1;
    double score = m_table->baseline;
    for (const auto &[layer, ratio] : m_ratios) {
        const auto row = m_table->scores.find(layer);
        if (ratio < 1 && row != m_table->scores.end() && row->second.count(ratio))
            score = std::min(score, row->second.at(ratio));
    }
    return score;
}

void CompressionWizard::fillRatioTable()
{
    if (!m_table || !m_costModel)
        return;
    m_filling = true;
    m_ratioTable->setRowCount(int(m_table->order.size()));
    const CompressionCostModel::Cost original = m_costModel->original();
    QHash<QString, double> chosen;
    for (int r = 0; r < int(m_table->order.size()); ++r) {
        const std::string &name = m_table->order[size_t(r)];
        const double ratio = m_ratios.count(name) ? m_ratios.at(name) : 1.0;
        chosen.insert(QString::fromStdString(name), ratio);
        std::string op;
        for (const CompressibleLayer &l : m_costModel->compressible().layers)
            if (l.name == name)
                op = l.opType;
        auto *combo = qobject_cast<QComboBox *>(m_ratioTable->cellWidget(r, 2));
        if (!combo) {
            combo = new QComboBox(m_ratioTable);
            for (double c : m_table->ratios)
                combo->addItem(QString::fromStdString(ratioKey(c)), c);
            connect(combo, qOverload<int>(&QComboBox::currentIndexChanged), this, [this, combo, r] {
                if (!m_filling && m_table && r < int(m_table->order.size()))
                    setLayerRatio(QString::fromStdString(m_table->order[size_t(r)]), combo->currentData().toDouble());
            });
            m_ratioTable->setCellWidget(r, 2, combo);
        }
        combo->setCurrentIndex(std::max(0, combo->findData(ratio)));
        const KeptSize kept = m_costModel->kept(name, ratio);
        const auto row = m_table->scores.find(name);
        const double score = row != m_table->scores.end() && row->second.count(ratio) ? row->second.at(ratio) : NAN;
        const QString cells[] = {QString::fromStdString(name), QString::fromStdString(op), QString(),
                                 QStringLiteral("%1 / %2").arg(kept.kept).arg(kept.full),
                                 count(original.macs - m_costModel->cost({{name, ratio}}).macs),
                                 std::isnan(score) ? QStringLiteral("-") : percent(score)};
        for (int c = 0; c < 6; ++c) {
            if (c == 2)
                continue;
            auto *item = new QTableWidgetItem(cells[c]);
            QFont f = item->font();
            f.setBold(c == 0 && m_overrides.contains(cells[0]));
            item->setFont(f);
            if (c >= 3)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_ratioTable->setItem(r, c, item);
        }
    }
    m_ratioTable->resizeColumnsToContents();
    m_selectHeatmap->setChosenRatios(chosen);
    m_filling = false;
    updateProjection();
    updateJobWidgets();
}

void CompressionWizard::updateProjection()
{
    if (!m_costModel || !m_table) {
        m_projection->clear();
        return;
    }
    const CompressionCostModel::Cost o = m_costModel->original(), c = projectedCost();
    QString text = tr("Projected: MACs %1 -> %2 (%3 of the original), parameters %4 -> %5 (%6); target %7. "
                      "Expected top-1 about %8 (lowest score of the chosen cells; baseline %9).")
                       .arg(count(o.macs), count(c.macs), QString::number(double(c.macs) / double(o.macs), 'f', 3),
                            count(o.params), count(c.params), QString::number(double(c.params) / double(o.params), 'f', 3),
                            QString::number(tableTarget(), 'f', 3), percent(expectedScore()), percent(m_table->baseline));
    if (m_method->currentData().toString() == QLatin1String("svd+pruning"))
        text += tr(" Spatial SVD stage (to the square root of the target); channel pruning to the target follows.");
    m_projection->setText(text);
}

bool CompressionWizard::runCompression(QString *error)
{
    const auto setError = [error](const QString &text) {
        if (error)
            *error = text;
        return false;
    };
    if (!m_model || !m_costModel || m_ratios.empty())
        return setError(tr("Choose the ratios first."));
    if (m_runner->isRunning())
        return setError(tr("Another job is running."));
    auto outcome = std::make_shared<CompressionOutcome>();
    const WizardSettings s = settings();
    const Graph graph = m_graph;
    const RatioMap ratios = m_ratios;
    const SensitivityOptions so = sensitivityOptions();
    const ModelCost original = m_model->cost;
    const std::shared_ptr<const SensitivityTable> table = m_table;
    const CompressionCostModel::Cost predicted = projectedCost();
    m_running = Running::Compression;
    m_log->clear();
    const bool started = m_runner->start(tr("Compressing"), [=](Job &job) -> QString {
        Result<void> r = capture("", [&] {
            const OpenedData d = openData(s.data);
            EvalOptions test;
            test.offset = s.testOffset;
            test.limit = s.testLimit;
            test.batch = s.batch;
            job.setProgress(0, 1, "baseline");
            const double baseline = evaluateTop1(graph, d, test);
            CompressOptions co;
            co.settings = so.settings;
            co.dataOffset = so.evalOffset;
            // As the command: the table's cells use reconImages, the final reconstruction at least 1000.
            co.reconstructionImages = std::max(s.reconImages, 1000);
            co.batch = so.batch;
            CompressResult cr = compressModel(graph, ratios, co, d.data.get(), &d.pre, &job).take();
            Json layers = Json::array(), selected = Json::object();
            // As the command reports it: the layers the chosen ratio actually changes.
            for (const LayerCompressionReport &l : cr.layers) {
                layers.push_back(layerJson(l, table.get()));
                selected[l.name] = l.ratio;
            }
            Graph current = std::move(cr.graph);
            CompressionCostModel::Cost projected = predicted;
            if (s.method == QLatin1String("svd+pruning")) {
                // Second stage as quantscope-cli compress runs it: pruning table, greedy to the target.
                SensitivityOptions po = so;
                po.settings.method = CompressMethod::ChannelPruning;
                po.cachePath = so.cachePath.empty() ? so.cachePath : so.cachePath + ".pruning";
                const SensitivityTable pt = computeSensitivity(current, *d.data, d.pre, po, &job).take();
                const CompressionCostModel pm(current, po.settings);
                const GreedyResult g = greedyFor(pt, pm, original, po.settings.metric, s.target, {});
                co.settings = po.settings;
                CompressResult pr = compressModel(current, g.ratios, co, d.data.get(), &d.pre, &job).take();
                projected = pm.cost(g.ratios);
                for (const LayerCompressionReport &l : pr.layers) {
                    layers.push_back(layerJson(l, &pt));
                    selected[l.name] = l.ratio;
                }
                current = std::move(pr.graph);
            }
            const ModelCost after = computeCost(current);
            job.setProgress(0, 1, "evaluation");
            const double compressedTop1 = evaluateTop1(current, d, test);
            double finetuned = -1;
            if (s.finetuneEpochs > 0) {
                FinetuneOptions fo;
                fo.epochs = s.finetuneEpochs;
                fo.lr = s.finetuneLr;
                fo.trainOffset = s.trainOffset;
                fo.trainSamples = s.trainSamples;
                fo.evalLimit = 0;
                fo.keepBest = false;
                fo.distillWeight = 0.5; // labels and the uncompressed model's outputs, as the command
                fo.batchNormTraining = true; // convolutions trained with batch statistics, as the command
                fo.teacher = &graph;
                current = finetune(current, *d.data, d.pre, fo, &job).take().graph;
                finetuned = evaluateTop1(current, d, test);
            }
            outcome->report = {
                {"model", s.model.toStdString()},
                {"method", s.method.toStdString()},
                {"target", s.target},
                {"metric", s.metric.toStdString()},
                {"channel_selection", s.selection.toStdString()},
                {"test_offset", s.testOffset},
                {"baseline", {{"top1", baseline}, {"macs", original.macs}, {"params", original.params}}},
                {"selected", selected},
                {"compressed",
                 {{"top1", compressedTop1}, {"macs", after.macs}, {"params", after.params},
                  {"predicted_macs", projected.macs}, {"predicted_params", projected.params}}},
                {"finetuned",
                 {{"top1", s.finetuneEpochs > 0 ? Json(finetuned) : Json()},
                  {"epochs", s.finetuneEpochs},
                  {"bn_training", s.finetuneEpochs > 0}}},
                {"layers", layers}};
            outcome->graph = std::move(current);
        });
        return r.ok() ? QString() : QString::fromStdString(r.error().message);
    });
    if (!started) {
        m_running = Running::None;
        return setError(tr("Another job is running."));
    }
    m_outcome = outcome;
    m_compressStatus->setText(tr("Compressing %1 layers...").arg(std::count_if(
        ratios.begin(), ratios.end(), [](const auto &kv) { return kv.second < 1; })));
    updateJobWidgets();
    return true;
}

void CompressionWizard::onCompressionDone(bool ok, bool cancelled, const QString &error)
{
    std::shared_ptr<CompressionOutcome> outcome = std::move(m_outcome);
    QString message;
    if (ok && outcome) {
        m_report = outcome->report;
        m_compressed = std::make_shared<Graph>(std::move(outcome->graph));
        const Json &c = m_report["compressed"];
        message = tr("Top-1 %1 -> %2, MACs %3 -> %4")
                      .arg(percent(m_report["baseline"]["top1"].get<double>()), percent(c["top1"].get<double>()),
                           count(m_report["baseline"]["macs"].get<qint64>()), count(c["macs"].get<qint64>()));
        fillResults();
    } else {
        message = cancelled ? tr("Compression cancelled; nothing changed.") : error;
    }
    m_compressStatus->setText(message);
    markChanged();
    Q_EMIT compressionFinished(ok, cancelled, message);
}

} // namespace qs
