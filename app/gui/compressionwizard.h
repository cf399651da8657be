#pragma once
// The compression wizard (Tools > Compression Wizard): 1 model, data and evaluator; 2 method,
// metric, target and candidates; 3 the sensitivity table as a job, its heatmap filling in cell by
// cell and resumable from the cache file; 4 ratio selection (greedy, then per-layer edits in a
// table or by clicking the heatmap) with the projected MACs / parameters and expected score;
// 5 compression and optional fine-tuning as a job; 6 results and export (ONNX, JSON and HTML
// reports, PNG/SVG of the heatmap, CSV of the tables). The figures are those of
// `quantscope-cli compress` with the same settings (same engine calls, same report fields).
// Its whole state (every page, the cached table, the chosen ratios) is the session's "wizard"
// section, so a reopened session continues where the user was.

#include "modeldocument.h"

#include "compress/compressor.h"
#include "compress/greedy.h"
#include "compress/sensitivity.h"

#include <QHash>
#include <QSet>
#include <QWizard>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace qs {

class JobRunner;
class SensitivityHeatmap;

// Everything the pages ask for; JSON as in the session's "wizard.settings".
struct WizardSettings {
    QString model;
    DataSpecInfo data;
    qint64 evalOffset = 0;  // sensitivity records (and channel pruning's reconstruction data)
    qint64 evalLimit = 1000; // -1: to the end
    qint64 testOffset = 0;   // final evaluation records
    qint64 testLimit = -1;
    int batch = 100;
    QString method = QStringLiteral("channel-pruning"); // or spatial-svd, weight-svd, svd+pruning
    QString metric = QStringLiteral("mac");
    QString selection = QStringLiteral("l2"); // channel pruning: l2 or lstsq
    double target = 0.5;
    int candidates = 10;
    int roundTo = 8;
    int reconImages = 200;
    QString cache; // empty: chosen when the table is first computed
    int finetuneEpochs = 0;
    double finetuneLr = 3e-4;
    qint64 trainOffset = 0;
    qint64 trainSamples = -1;
};

nlohmann::json wizardSettingsToJson(const WizardSettings &s);
WizardSettings wizardSettingsFromJson(const nlohmann::json &j);

class CompressionWizard : public QWizard {
    Q_OBJECT
public:
    enum Page { ModelPage, MethodPage, SensitivityPage, SelectionPage, CompressPage, ResultsPage };

    CompressionWizard(JobRunner *runner, QWidget *parent = nullptr);
    ~CompressionWizard() override;

    void setModel(std::shared_ptr<const ModelDocument> model);
    WizardSettings settings() const;
    void setSettings(const WizardSettings &s);

    // The session's "wizard" section, and restoring from it (the model must be set first).
    nlohmann::json state() const;
    void setState(const nlohmann::json &state);
    RatioMap ratios() const { return m_ratios; }

    // Page 3: starts (or resumes from the cache) the table; false with *error when it cannot start.
    bool runSensitivity(QString *error = nullptr);
    bool hasCompleteTable() const { return m_table && m_table->complete; }
    const SensitivityTable *table() const { return m_table ? m_table.get() : nullptr; }
    // Page 4: greedy selection for the target (edited layers kept as overrides); per-layer edit.
    void selectGreedy();
    void setLayerRatio(const QString &layer, double ratio);
    CompressionCostModel::Cost projectedCost() const;
    double expectedScore() const;
    // Page 5: compression (and fine-tuning) of the chosen ratios.
    bool runCompression(QString *error = nullptr);
    const nlohmann::json &report() const { return m_report; }
    // Page 6: writes the model, report.json, report.html, heatmap.png/.svg, layers.csv and
    // sensitivity.csv into `dir`; false with a one-line *error.
    bool exportResults(const QString &dir, QString *error);

    SensitivityHeatmap *sensitivityHeatmap() const { return m_heatmap; }
    SensitivityHeatmap *selectionHeatmap() const { return m_selectHeatmap; }
    QTableWidget *ratioTable() const { return m_ratioTable; }
    QLabel *projectionLabel() const { return m_projection; }
    QTableWidget *resultsTable() const { return m_resultsTable; }
    QLabel *resultsLabel() const { return m_resultsSummary; }
    QPushButton *cancelButton() const { return m_cancel; }
    bool isJobRunning() const { return m_running != Running::None; }

public Q_SLOTS:
    // The layer explorer's current layer, bold in both heatmaps.
    void setSelectedLayer(const QString &name);

Q_SIGNALS:
    void cellFinished(const QString &layer, double ratio, double score);
    void sensitivityFinished(bool ok, bool cancelled, const QString &message);
    void compressionFinished(bool ok, bool cancelled, const QString &message);
    void stateChanged();
    void layerClicked(const QString &name);

protected:
    void initializePage(int id) override;
    bool validateCurrentPage() override;
    void changeEvent(QEvent *event) override;

private:
    enum class Running { None, Sensitivity, Compression };
    struct CompressionOutcome;

    QWizardPage *buildModelPage();
    QWizardPage *buildMethodPage();
    QWizardPage *buildSensitivityPage();
    QWizardPage *buildSelectionPage();
    QWizardPage *buildCompressPage();
    QWizardPage *buildResultsPage();
    void retranslate();
    void connectJobs();
    void onJobFinished(bool ok, bool cancelled, const QString &error);
    void onSensitivityDone(bool ok, bool cancelled, const QString &error);
    void onCompressionDone(bool ok, bool cancelled, const QString &error);
    void updateJobWidgets();
    void prepareGrid();
    void loadCachedTable();
    void fillRatioTable();
    void updateProjection();
    void fillResults();
    QString reportHtml(const QString &heatmapPngBase64) const;
    QString defaultCachePath() const;
    CompressMethod tableMethod() const;
    double tableTarget() const;
    CompressSettings compressSettings() const;
    SensitivityOptions sensitivityOptions() const;
    void markChanged() { Q_EMIT stateChanged(); }

    JobRunner *m_runner = nullptr;
    std::shared_ptr<const ModelDocument> m_model;
    Graph m_graph; // the model with unique node names
    std::unique_ptr<CompressionCostModel> m_costModel;
    std::shared_ptr<SensitivityTable> m_table;
    std::shared_ptr<SensitivityTable> m_pendingTable; // filled by the running job
    RatioMap m_ratios;
    QSet<QString> m_overrides;
    nlohmann::json m_report;
    std::shared_ptr<Graph> m_compressed;
    std::shared_ptr<CompressionOutcome> m_outcome;
    Running m_running = Running::None;
    bool m_filling = false;

    QLineEdit *m_modelPath = nullptr, *m_data = nullptr, *m_labels = nullptr, *m_preprocess = nullptr;
    QComboBox *m_evaluator = nullptr, *m_method = nullptr, *m_metric = nullptr, *m_selection = nullptr;
    QSpinBox *m_evalOffset = nullptr, *m_evalLimit = nullptr, *m_testOffset = nullptr, *m_testLimit = nullptr,
             *m_batch = nullptr, *m_candidates = nullptr, *m_roundTo = nullptr, *m_reconImages = nullptr,
             *m_epochs = nullptr, *m_trainOffset = nullptr, *m_trainSamples = nullptr;
    QDoubleSpinBox *m_target = nullptr, *m_lr = nullptr;
    QLineEdit *m_cache = nullptr, *m_exportDir = nullptr;
    SensitivityHeatmap *m_heatmap = nullptr, *m_selectHeatmap = nullptr;
    QPushButton *m_runTable = nullptr, *m_cancel = nullptr, *m_greedy = nullptr, *m_runCompress = nullptr,
                *m_cancelCompress = nullptr, *m_export = nullptr;
    QProgressBar *m_tableProgress = nullptr, *m_compressProgress = nullptr;
    QLabel *m_tableStatus = nullptr, *m_projection = nullptr, *m_compressStatus = nullptr, *m_resultsSummary = nullptr;
    QTableWidget *m_ratioTable = nullptr, *m_resultsTable = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QList<QLabel *> m_formLabels;
};

} // namespace qs
