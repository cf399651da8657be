// CompressionWizard: the pages, their fields and the session state. Jobs are in
// compressionwizard_jobs.cpp, exports in compressionwizard_export.cpp.

#include "compressionwizard.h"

#include "jobrunner.h"

#include "charts/sensitivityheatmap.h"
#include "charts/sensitivityheatmapadapter.h"
#include "core/fileutil.h"
#include "equalize/layerweights.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace qs {

namespace {

using Json = nlohmann::json;

// A page whose "Next" waits for a condition (a finished table, a compressed model).
class StepPage : public QWizardPage {
public:
    std::function<bool()> ready;
    bool isComplete() const override { return !ready || ready(); }
    void refresh() { Q_EMIT completeChanged(); }
};

QSpinBox *spin(QWidget *parent, int lo, int hi, int value, const char *name)
{
    auto *s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    s->setObjectName(QString::fromLatin1(name));
    return s;
}

QLineEdit *edit(QWidget *parent, const char *name)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(QString::fromLatin1(name));
    return e;
}

QString str(const Json &j, const char *key, const QString &fallback)
{
    return j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>()) : fallback;
}

template <typename T> T num(const Json &j, const char *key, T fallback)
{
    return j.contains(key) && j[key].is_number() ? j[key].get<T>() : fallback;
}

} // namespace

Json wizardSettingsToJson(const WizardSettings &s)
{
    return {{"model", s.model.toStdString()},
            {"data", {{"path", s.data.data.toStdString()}, {"labels", s.data.labels.toStdString()},
                      {"preprocess", s.data.preprocess.toStdString()}}},
            {"eval_offset", s.evalOffset}, {"eval_limit", s.evalLimit}, {"test_offset", s.testOffset},
            {"test_limit", s.testLimit}, {"batch", s.batch}, {"method", s.method.toStdString()},
            {"metric", s.metric.toStdString()}, {"channel_selection", s.selection.toStdString()}, {"target", s.target}, {"candidates", s.candidates},
            {"round_to", s.roundTo}, {"recon_images", s.reconImages}, {"cache", s.cache.toStdString()},
            {"finetune_epochs", s.finetuneEpochs}, {"finetune_lr", s.finetuneLr},
            {"train_offset", s.trainOffset}, {"train_samples", s.trainSamples}};
}

WizardSettings wizardSettingsFromJson(const Json &j)
{
    WizardSettings s;
    if (!j.is_object())
        return s;
    s.model = str(j, "model", s.model);
    const Json data = j.value("data", Json::object());
    if (data.is_object())
        s.data = {str(data, "path", {}), str(data, "labels", {}), str(data, "preprocess", {})};
    s.evalOffset = num<qint64>(j, "eval_offset", s.evalOffset);
    s.evalLimit = num<qint64>(j, "eval_limit", s.evalLimit);
    s.testOffset = num<qint64>(j, "test_offset", s.testOffset);
    s.testLimit = num<qint64>(j, "test_limit", s.testLimit);
    s.batch = num<int>(j, "batch", s.batch);
    s.method = str(j, "method", s.method);
    s.metric = str(j, "metric", s.metric);
    s.selection = str(j, "channel_selection", s.selection);
    s.target = num<double>(j, "target", s.target);
    s.candidates = num<int>(j, "candidates", s.candidates);
    s.roundTo = num<int>(j, "round_to", s.roundTo);
    s.reconImages = num<int>(j, "recon_images", s.reconImages);
    s.cache = str(j, "cache", s.cache);
    s.finetuneEpochs = num<int>(j, "finetune_epochs", s.finetuneEpochs);
    s.finetuneLr = num<double>(j, "finetune_lr", s.finetuneLr);
    s.trainOffset = num<qint64>(j, "train_offset", s.trainOffset);
    s.trainSamples = num<qint64>(j, "train_samples", s.trainSamples);
    return s;
}

CompressionWizard::CompressionWizard(JobRunner *runner, QWidget *parent) : QWizard(parent), m_runner(runner)
{
    setObjectName(QStringLiteral("CompressionWizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveFinishButtonOnEarlyPages, false);
    for (int i = 0; i < 23; ++i)
        m_formLabels << new QLabel(this);
    setPage(ModelPage, buildModelPage());
    setPage(MethodPage, buildMethodPage());
    setPage(SensitivityPage, buildSensitivityPage());
    setPage(SelectionPage, buildSelectionPage());
    setPage(CompressPage, buildCompressPage());
    setPage(ResultsPage, buildResultsPage());
    connectJobs();
    connect(this, &QWizard::currentIdChanged, this, &CompressionWizard::markChanged);
    for (SensitivityHeatmap *h : {m_heatmap, m_selectHeatmap})
        connect(h, &SensitivityHeatmap::layerClicked, this, &CompressionWizard::layerClicked);
    retranslate();
    resize(980, 720);
}

CompressionWizard::~CompressionWizard()
{
    if (m_running != Running::None) {
        m_runner->cancel();
        m_runner->waitForFinished();
    }
}

QWizardPage *CompressionWizard::buildModelPage()
{
    auto *page = new StepPage;
    m_modelPath = edit(page, "wizardModel");
    m_modelPath->setReadOnly(true);
    m_data = edit(page, "wizardData");
    m_labels = edit(page, "wizardLabels");
    m_preprocess = edit(page, "wizardPreprocess");
    m_evaluator = new QComboBox(page);
    m_evaluator->addItem(QString()); // top-1 of a classifier, the only evaluator the engine has
    m_evalOffset = spin(page, 0, 100000000, 0, "wizardEvalOffset");
    m_evalLimit = spin(page, 0, 100000000, 1000, "wizardEvalLimit");
    m_testOffset = spin(page, 0, 100000000, 0, "wizardTestOffset");
    m_testLimit = spin(page, 0, 100000000, 0, "wizardTestLimit");
    m_batch = spin(page, 1, 4096, 100, "wizardBatch");
    auto *form = new QFormLayout(page);
    QWidget *fields[] = {m_modelPath, m_data, m_labels, m_preprocess, m_evaluator, m_evalOffset, m_evalLimit,
                         m_testOffset, m_testLimit, m_batch};
    for (int i = 0; i < 10; ++i)
        form->addRow(m_formLabels[i], fields[i]);
    for (QLineEdit *e : {m_data, m_labels, m_preprocess})
        connect(e, &QLineEdit::textChanged, this, &CompressionWizard::markChanged);
    return page;
}

QWizardPage *CompressionWizard::buildMethodPage()
{
    auto *page = new StepPage;
    m_method = new QComboBox(page);
    m_method->setObjectName(QStringLiteral("wizardMethod"));
    for (const char *m : {"spatial-svd", "weight-svd", "channel-pruning", "svd+pruning"})
        m_method->addItem(QString(), QString::fromLatin1(m));
    m_method->setCurrentIndex(2);
    m_metric = new QComboBox(page);
    m_metric->setObjectName(QStringLiteral("wizardMetric"));
    m_metric->addItem(QString(), QStringLiteral("mac"));
    m_metric->addItem(QString(), QStringLiteral("memory"));
    m_selection = new QComboBox(page);
    m_selection->setObjectName(QStringLiteral("wizardChannelSelection"));
    m_selection->addItem(QString(), QStringLiteral("l2"));
    m_selection->addItem(QString(), QStringLiteral("lstsq"));
    m_target = new QDoubleSpinBox(page);
    m_target->setObjectName(QStringLiteral("wizardTarget"));
    m_target->setRange(0.01, 1.0);
    m_target->setDecimals(3);
    m_target->setSingleStep(0.05);
    m_target->setValue(0.5);
    m_candidates = spin(page, 1, 100, 10, "wizardCandidates");
    m_roundTo = spin(page, 1, 4096, 8, "wizardRoundTo");
    m_reconImages = spin(page, 1, 1000000, 200, "wizardReconImages");
    m_cache = edit(page, "wizardCache");
    auto *form = new QFormLayout(page);
    QWidget *fields[] = {m_method, m_metric, m_target, m_candidates, m_roundTo, m_reconImages, m_cache};
    for (int i = 0; i < 7; ++i)
        form->addRow(m_formLabels[10 + i], fields[i]);
    form->insertRow(2, m_formLabels[22], m_selection);
    auto pruning = [this] {
        const QString m = m_method->currentData().toString();
        m_selection->setEnabled(m == QLatin1String("channel-pruning") || m == QLatin1String("svd+pruning"));
    };
    connect(m_method, qOverload<int>(&QComboBox::currentIndexChanged), this, pruning);
    pruning();
    for (QComboBox *c : {m_method, m_metric, m_selection})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &CompressionWizard::markChanged);
    connect(m_target, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &CompressionWizard::markChanged);
    return page;
}

QWizardPage *CompressionWizard::buildSensitivityPage()
{
    auto *page = new StepPage;
    page->ready = [this] { return hasCompleteTable() && m_running == Running::None; };
    m_heatmap = new SensitivityHeatmap(page);
    m_heatmap->setObjectName(QStringLiteral("sensitivityHeatmap"));
    m_runTable = new QPushButton(page);
    m_runTable->setObjectName(QStringLiteral("runSensitivity"));
    m_cancel = new QPushButton(page);
    m_cancel->setObjectName(QStringLiteral("cancelSensitivity"));
    m_tableProgress = new QProgressBar(page);
    m_tableStatus = new QLabel(page);
    m_tableStatus->setWordWrap(true);
    auto *row = new QHBoxLayout;
    row->addWidget(m_runTable);
    row->addWidget(m_tableProgress, 1);
    row->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_heatmap, 1);
    layout->addLayout(row);
    layout->addWidget(m_tableStatus);
    connect(m_runTable, &QPushButton::clicked, this, [this] {
        QString error;
        if (!runSensitivity(&error))
            m_tableStatus->setText(error);
    });
    connect(m_cancel, &QPushButton::clicked, m_runner, &JobRunner::cancel);
    return page;
}

QWizardPage *CompressionWizard::buildSelectionPage()
{
    auto *page = new StepPage;
    m_selectHeatmap = new SensitivityHeatmap(page);
    m_selectHeatmap->setObjectName(QStringLiteral("selectionHeatmap"));
    m_ratioTable = new QTableWidget(0, 6, page);
    m_ratioTable->setObjectName(QStringLiteral("ratioTable"));
    m_ratioTable->verticalHeader()->hide();
    m_ratioTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ratioTable->horizontalHeader()->setStretchLastSection(true);
    m_greedy = new QPushButton(page);
    m_greedy->setObjectName(QStringLiteral("greedySelection"));
    m_projection = new QLabel(page);
    m_projection->setObjectName(QStringLiteral("projection"));
    m_projection->setWordWrap(true);
    auto *split = new QHBoxLayout;
    split->addWidget(m_selectHeatmap, 3);
    split->addWidget(m_ratioTable, 2);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_projection, 1);
    bottom->addWidget(m_greedy);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(split, 1);
    layout->addLayout(bottom);
    connect(m_greedy, &QPushButton::clicked, this, [this] {
        m_overrides.clear();
        selectGreedy();
    });
    connect(m_selectHeatmap, &SensitivityHeatmap::ratioClicked, this, &CompressionWizard::setLayerRatio);
    return page;
}

QWizardPage *CompressionWizard::buildCompressPage()
{
    auto *page = new StepPage;
    page->ready = [this] { return !m_report.is_null() && m_running == Running::None; };
    m_epochs = spin(page, 0, 1000, 0, "wizardEpochs");
    m_lr = new QDoubleSpinBox(page);
    m_lr->setDecimals(6);
    m_lr->setRange(1e-6, 1.0);
    m_lr->setSingleStep(1e-4);
    m_lr->setValue(WizardSettings().finetuneLr);
    m_trainOffset = spin(page, 0, 100000000, 0, "wizardTrainOffset");
    m_trainSamples = spin(page, 0, 100000000, 0, "wizardTrainSamples");
    m_runCompress = new QPushButton(page);
    m_runCompress->setObjectName(QStringLiteral("runCompression"));
    m_cancelCompress = new QPushButton(page);
    m_compressProgress = new QProgressBar(page);
    m_compressStatus = new QLabel(page);
    m_compressStatus->setWordWrap(true);
    m_log = new QPlainTextEdit(page);
    m_log->setReadOnly(true);
    auto *form = new QFormLayout;
    QWidget *fields[] = {m_epochs, m_lr, m_trainOffset, m_trainSamples};
    for (int i = 0; i < 4; ++i)
        form->addRow(m_formLabels[17 + i], fields[i]);
    auto *row = new QHBoxLayout;
    row->addWidget(m_runCompress);
    row->addWidget(m_compressProgress, 1);
    row->addWidget(m_cancelCompress);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addLayout(row);
    layout->addWidget(m_compressStatus);
    layout->addWidget(m_log, 1);
    connect(m_runCompress, &QPushButton::clicked, this, [this] {
        QString error;
        if (!runCompression(&error))
            m_compressStatus->setText(error);
    });
    connect(m_cancelCompress, &QPushButton::clicked, m_runner, &JobRunner::cancel);
    return page;
}

QWizardPage *CompressionWizard::buildResultsPage()
{
    auto *page = new StepPage;
    m_resultsSummary = new QLabel(page);
    m_resultsSummary->setObjectName(QStringLiteral("resultsSummary"));
    m_resultsSummary->setWordWrap(true);
    m_resultsSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resultsTable = new QTableWidget(0, 8, page);
    m_resultsTable->setObjectName(QStringLiteral("resultsTable"));
    m_resultsTable->verticalHeader()->hide();
    m_resultsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_resultsTable->horizontalHeader()->setStretchLastSection(true);
    m_exportDir = edit(page, "wizardExportDir");
    m_export = new QPushButton(page);
    m_export->setObjectName(QStringLiteral("exportResults"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_formLabels[21]);
    row->addWidget(m_exportDir, 1);
    row->addWidget(m_export);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_resultsSummary);
    layout->addWidget(m_resultsTable, 1);
    layout->addLayout(row);
    connect(m_export, &QPushButton::clicked, this, [this] {
        QString error;
        m_resultsSummary->setToolTip(QString());
        if (!exportResults(m_exportDir->text(), &error))
            m_resultsSummary->setToolTip(error);
    });
    return page;
}

void CompressionWizard::retranslate()
{
    setWindowTitle(tr("Compression Wizard"));
    const QStringList labels = {
        tr("Model"), tr("Data set"), tr("Labels"), tr("Preprocess (JSON)"), tr("Evaluator"),
        tr("Sensitivity records from"), tr("Sensitivity records (0 = all)"), tr("Test records from"),
        tr("Test records (0 = all)"), tr("Batch"), tr("Method"), tr("Cost metric"), tr("Target (fraction of the cost kept)"),
        tr("Candidate ratios"), tr("Round channels and ranks to"), tr("Reconstruction images"), tr("Cache file"),
        tr("Fine-tuning epochs (0 = off)"), tr("Learning rate"), tr("Training records from"),
        tr("Training records (0 = all)"), tr("Export folder"), tr("Channel selection")};
    for (int i = 0; i < labels.size(); ++i)
        m_formLabels[i]->setText(labels[i]);
    m_evaluator->setItemText(0, tr("Top-1 accuracy (classifier)"));
    const QStringList methods = {tr("Spatial SVD"), tr("Weight SVD"), tr("Channel pruning"),
                                 tr("Spatial SVD, then channel pruning")};
    for (int i = 0; i < methods.size(); ++i)
        m_method->setItemText(i, methods[i]);
    m_metric->setItemText(0, tr("MACs"));
    m_metric->setItemText(1, tr("Memory (parameters)"));
    m_selection->setItemText(0, tr("Largest weights (L2)"));
    m_selection->setItemText(1, tr("Least reconstruction error"));
    m_labels->setPlaceholderText(tr("beside the data set"));
    m_cache->setPlaceholderText(tr("chosen when the table is first computed"));
    m_exportDir->setPlaceholderText(tr("folder for the model, reports and charts"));
    m_runTable->setText(hasCompleteTable() || !m_table ? tr("Compute") : tr("Resume"));
    m_cancel->setText(tr("Cancel"));
    m_greedy->setText(tr("Greedy Selection"));
    m_runCompress->setText(tr("Compress"));
    m_cancelCompress->setText(tr("Cancel"));
    m_export->setText(tr("Export"));
    m_ratioTable->setHorizontalHeaderLabels(
        {tr("Layer"), tr("Op"), tr("Ratio"), tr("Kept"), tr("MACs saved"), tr("Score")});
    m_resultsTable->setHorizontalHeaderLabels({tr("Layer"), tr("Op"), tr("Ratio"), tr("Kept"), tr("MACs before"),
                                               tr("MACs after"), tr("Parameters after"), tr("Score")});
    const QString titles[] = {tr("Model, data and evaluator"), tr("Method and target"), tr("Sensitivity analysis"),
                              tr("Ratio selection"), tr("Compression"), tr("Results and export")};
    const QString subtitles[] = {
        tr("The model to compress, the records the sensitivity table and the final evaluation use."),
        tr("How layers are compressed, what the target measures, and the candidate ratios per layer."),
        tr("Top-1 with one layer compressed at a time. Cancel keeps finished layers in the cache; Resume continues."),
        tr("Greedy selection for the target; change a layer's ratio in the table or by clicking the heatmap."),
        tr("Compresses the chosen layers (channel pruning refits each layer on the data), then optionally fine-tunes."),
        tr("Accuracy and cost before and after; export the model, reports, charts and tables.")};
    for (int id = ModelPage; id <= ResultsPage; ++id) {
        page(id)->setTitle(titles[id]);
        page(id)->setSubTitle(subtitles[id]);
    }
    if (m_table && m_running == Running::None)
        showSensitivityTable(*m_heatmap, *m_table);
    updateProjection();
    fillResults();
}

void CompressionWizard::setSelectedLayer(const QString &name)
{
    m_heatmap->setSelectedLayer(name);
    m_selectHeatmap->setSelectedLayer(name);
}

void CompressionWizard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWizard::changeEvent(event);
}

void CompressionWizard::setModel(std::shared_ptr<const ModelDocument> model)
{
    if (m_running != Running::None)
        m_runner->cancel();
    m_model = std::move(model);
    m_graph = m_model ? m_model->graph : Graph();
    ensureNodeNames(m_graph);
    m_table.reset();
    m_ratios.clear();
    m_overrides.clear();
    m_report = Json();
    m_compressed.reset();
    m_costModel.reset();
    m_heatmap->setGrid({}, {});
    m_selectHeatmap->setGrid({}, {});
    m_ratioTable->setRowCount(0);
    if (!m_model)
        return;
    m_modelPath->setText(m_model->path);
    m_data->setText(m_model->dataSpec.data);
    m_labels->setText(m_model->dataSpec.labels);
    m_preprocess->setText(m_model->dataSpec.preprocess);
    m_cache->clear();
    restart();
}

WizardSettings CompressionWizard::settings() const
{
    WizardSettings s;
    s.model = m_modelPath->text();
    s.data = {m_data->text(), m_labels->text(), m_preprocess->text()};
    s.evalOffset = m_evalOffset->value();
    s.evalLimit = m_evalLimit->value() == 0 ? -1 : m_evalLimit->value();
    s.testOffset = m_testOffset->value();
    s.testLimit = m_testLimit->value() == 0 ? -1 : m_testLimit->value();
    s.batch = m_batch->value();
    s.method = m_method->currentData().toString();
    s.metric = m_metric->currentData().toString();
    s.selection = m_selection->currentData().toString();
    s.target = m_target->value();
    s.candidates = m_candidates->value();
    s.roundTo = m_roundTo->value();
    s.reconImages = m_reconImages->value();
    s.cache = m_cache->text();
    s.finetuneEpochs = m_epochs->value();
    s.finetuneLr = m_lr->value();
    s.trainOffset = m_trainOffset->value();
    s.trainSamples = m_trainSamples->value() == 0 ? -1 : m_trainSamples->value();
    return s;
}

void CompressionWizard::setSettings(const WizardSettings &s)
{
    m_data->setText(s.data.data);
    m_labels->setText(s.data.labels);
    m_preprocess->setText(s.data.preprocess);
    m_evalOffset->setValue(int(s.evalOffset));
    m_evalLimit->setValue(s.evalLimit < 0 ? 0 : int(s.evalLimit));
    m_testOffset->setValue(int(s.testOffset));
    m_testLimit->setValue(s.testLimit < 0 ? 0 : int(s.testLimit));
    m_batch->setValue(s.batch);
    m_method->setCurrentIndex(std::max(0, m_method->findData(s.method)));
    m_metric->setCurrentIndex(std::max(0, m_metric->findData(s.metric)));
    m_selection->setCurrentIndex(std::max(0, m_selection->findData(s.selection)));
    m_target->setValue(s.target);
    m_candidates->setValue(s.candidates);
    m_roundTo->setValue(s.roundTo);
    m_reconImages->setValue(s.reconImages);
    m_cache->setText(s.cache);
    m_epochs->setValue(s.finetuneEpochs);
    m_lr->setValue(s.finetuneLr);
    m_trainOffset->setValue(int(s.trainOffset));
    m_trainSamples->setValue(s.trainSamples < 0 ? 0 : int(s.trainSamples));
}

Json CompressionWizard::state() const
{
    Json j = {{"page", std::max(0, currentId())}, {"settings", wizardSettingsToJson(settings())},
              {"ratios", m_ratios}, {"report", m_report}, {"export_dir", m_exportDir->text().toStdString()}};
    Json overrides = Json::array();
    for (const QString &l : m_overrides)
        overrides.push_back(l.toStdString());
    j["overrides"] = overrides;
    // The cache file's content, so the session alone restores the table.
    const std::string cache = m_cache->text().toStdString();
    j["table"] = cache.empty() || !fileExists(cache) ? Json() : Json::parse(readFileBytes(cache), nullptr, false);
    return j;
}

void CompressionWizard::setState(const Json &state)
{
    if (!state.is_object())
        return;
    setSettings(wizardSettingsFromJson(state.value("settings", Json::object())));
    m_exportDir->setText(str(state, "export_dir", {}));
    const std::string cache = m_cache->text().toStdString();
    const Json table = state.value("table", Json());
    if (!cache.empty() && !fileExists(cache) && table.is_object()) {
        Result<void> w = capture("", [&] { writeFileAtomic(cache, table.dump(1) + "\n"); });
        if (!w.ok())
            m_tableStatus->setText(QString::fromStdString(w.error().message));
    }
    restart();
    loadCachedTable();
    m_ratios.clear();
    if (state.contains("ratios") && state["ratios"].is_object())
        for (const auto &[layer, ratio] : state["ratios"].items())
            if (ratio.is_number())
                m_ratios[layer] = ratio.get<double>();
    m_overrides.clear();
    for (const Json &l : state.value("overrides", Json::array()))
        if (l.is_string())
            m_overrides.insert(QString::fromStdString(l.get<std::string>()));
    m_report = state.value("report", Json());
    const int target = num<int>(state, "page", 0);
    m_filling = true; // pages entered on the way keep the restored ratios and report
    while (currentId() < target && currentPage()->isComplete() && validateCurrentPage()) {
        const int before = currentId();
        next();
        if (currentId() == before)
            break;
    }
    m_filling = false;
    fillRatioTable();
    fillResults();
}

void CompressionWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    if (id == SensitivityPage) {
        prepareGrid();
        loadCachedTable();
    } else if (id == SelectionPage) {
        if (m_table)
            showSensitivityTable(*m_selectHeatmap, *m_table);
        if (m_ratios.empty() && !m_filling)
            selectGreedy();
        fillRatioTable();
    } else if (id == ResultsPage) {
        fillResults();
    }
    updateJobWidgets();
}

bool CompressionWizard::validateCurrentPage()
{
    if (m_running != Running::None)
        return false;
    if (currentId() == ModelPage && (!m_model || m_data->text().trimmed().isEmpty()))
        return false;
    if (currentId() == MethodPage) {
        const CompressSettings cs = compressSettings();
        Result<void> r = capture("", [&] { m_costModel = std::make_unique<CompressionCostModel>(m_graph, cs); });
        if (!r.ok()) {
            m_costModel.reset();
            return false;
        }
    }
    return QWizard::validateCurrentPage();
}

CompressMethod CompressionWizard::tableMethod() const
{
    const QString m = m_method->currentData().toString();
    if (m == QLatin1String("svd+pruning"))
        return CompressMethod::SpatialSvd; // the first stage; the pruning stage runs on page 5
    return parseMethod(m.toStdString()).value_or(CompressMethod::ChannelPruning);
}

// svd+pruning splits the target between its stages as quantscope-cli compress does.
double CompressionWizard::tableTarget() const
{
    const double t = m_target->value();
    return m_method->currentData().toString() == QLatin1String("svd+pruning") ? std::sqrt(t) : t;
}

CompressSettings CompressionWizard::compressSettings() const
{
    CompressSettings cs;
    cs.method = tableMethod();
    cs.metric = parseMetric(m_metric->currentData().toString().toStdString()).value_or(CostMetric::Mac);
    cs.roundTo = m_roundTo->value();
    cs.selection = parseSelection(m_selection->currentData().toString().toStdString()).value_or(ChannelSelection::L2);
    return cs;
}

SensitivityOptions CompressionWizard::sensitivityOptions() const
{
    const WizardSettings s = settings();
    SensitivityOptions o;
    o.settings = compressSettings();
    o.candidates = s.candidates;
    o.evalOffset = s.evalOffset;
    o.evalLimit = s.evalLimit;
    o.batch = s.batch;
    o.reconstructionImages = s.reconImages;
    o.cachePath = s.cache.toStdString();
    return o;
}

QString CompressionWizard::defaultCachePath() const
{
    const WizardSettings s = settings();
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/sensitivity");
    const QString name = QStringLiteral("%1-%2-%3-%4-c%5-r%6-e%7-%8.json")
                             .arg(QFileInfo(s.model).completeBaseName(),
                                  QString::fromStdString(graphFingerprint(m_graph)).left(12),
                                  QString::fromStdString(methodName(tableMethod())), s.metric)
                             .arg(s.candidates)
                             .arg(s.roundTo)
                             .arg(s.evalOffset)
                             .arg(s.evalLimit);
    // svd+pruning keeps its pruning table beside this one (".pruning"), so it is named by the selection too.
    const bool lstsq = s.selection == QLatin1String("lstsq") &&
                       (s.method == QLatin1String("channel-pruning") || s.method == QLatin1String("svd+pruning"));
    return dir + QLatin1Char('/') + (lstsq ? name.chopped(5) + QStringLiteral("-lstsq.json") : name);
}

} // namespace qs
