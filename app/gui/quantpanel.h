#pragma once
// The quantization panel: scheme, bitwidths, per-channel, BN folding / cross-layer equalization /
// high-bias absorption, bias correction; the data spec; Run (a job on the worker thread with
// progress and Cancel in the status bar); a results table (FP32 vs quantized, one row per run,
// the figures `quantscope-cli quantize` prints for the same settings); export of the last run's
// encodings and QDQ ONNX model. A cancelled run changes nothing.

#include "modeldocument.h"

#include "analysis/quantrun.h"
#include "session/session.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace qs {

class JobRunner;
class QuantSim;

class QuantPanel : public QWidget {
    Q_OBJECT
public:
    QuantPanel(JobRunner *runner, QWidget *parent = nullptr);

    void setModel(std::shared_ptr<const ModelDocument> model);
    QuantRunSettings settings() const;
    void setSettings(const QuantRunSettings &settings);
    DataSpecInfo dataSpec() const;
    void setDataSpec(const DataSpecInfo &spec);

    // Starts a run of the current settings; false with *error when one cannot start.
    bool run(QString *error = nullptr);
    QTableWidget *resultsTable() const { return m_results; }
    const std::vector<SessionResult> &results() const { return m_runs; }
    void setResults(const std::vector<SessionResult> &results);
    const std::vector<LayerQuantSensitivity> &sensitivity() const { return m_sensitivity; }
    double sensitivityFp32Top1() const { return m_sensitivityFp32; }
    void setSensitivity(const std::vector<LayerQuantSensitivity> &layers, double fp32Top1);
    bool hasSimulation() const { return bool(m_sim); }
    // The last run's encodings (AIMET 0.6.1) / QDQ model; false with a one-line *error.
    bool exportEncodings(const QString &path, QString *error) const;
    bool exportQdq(const QString &path, QString *error) const;

Q_SIGNALS:
    void runFinished(bool ok, const QString &message);
    void sensitivityChanged();
    void settingsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildForm();
    void buildQuantBox();
    void buildPrepBox();
    void buildDataBox();
    void connectSignals();
    void retranslate();
    void addResultRow(const SessionResult &r);
    void onFinished(bool ok, bool cancelled, const QString &error);
    void exportWith(bool qdq);
    void updateEnabled();

    JobRunner *m_runner = nullptr;
    std::shared_ptr<const ModelDocument> m_model;
    std::shared_ptr<QuantSim> m_sim;
    std::shared_ptr<QuantRunResult> m_pending;
    QuantRunSettings m_pendingSettings;
    std::vector<SessionResult> m_runs;
    std::vector<LayerQuantSensitivity> m_sensitivity;
    double m_sensitivityFp32 = -1;

    QGroupBox *m_quantBox = nullptr, *m_prepBox = nullptr, *m_dataBox = nullptr;
    QLabel *m_labels[13] = {};
    QComboBox *m_scheme = nullptr, *m_hba = nullptr, *m_bias = nullptr;
    QDoubleSpinBox *m_percentile = nullptr;
    QSpinBox *m_paramBw = nullptr, *m_actBw = nullptr, *m_calib = nullptr, *m_evalLimit = nullptr,
             *m_sensSamples = nullptr, *m_adaIterations = nullptr;
    QCheckBox *m_perChannel = nullptr, *m_foldBn = nullptr, *m_cle = nullptr, *m_adaround = nullptr;
    QLineEdit *m_data = nullptr, *m_labelsPath = nullptr, *m_preprocess = nullptr;
    QPushButton *m_run = nullptr, *m_exportEnc = nullptr, *m_exportQdq = nullptr;
    QTableWidget *m_results = nullptr;
};

} // namespace qs
