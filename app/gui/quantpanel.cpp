#include "quantpanel.h"

#include "jobrunner.h"

#include "data/dataset.h"
#include "data/preprocess.h"
#include "jobs/job.h"
#include "onnx/onnxexport.h"
#include "quant/encodingsfile.h"
#include "quant/quantsim.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qs {

namespace {

enum ResultColumn { Config, Samples, Fp32Top1, QuantTop1, Drop, Fp32Top5, QuantTop5, Quantizers, ResultColumns };

QString percent(double v) { return QString::asprintf("%.2f%%", 100.0 * v); }

QSpinBox *spin(QWidget *parent, int lo, int hi, int value)
{
    auto *s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    return s;
}

// The data set and preprocessing of a spec; throws qs::Exception naming the file.
struct OpenedData {
    std::unique_ptr<Dataset> data;
    Preprocess pre;
};

OpenedData openData(const DataSpecInfo &spec)
{
    if (spec.data.isEmpty())
        fail(ErrorCode::Usage, "no data set: choose one in the quantization panel");
    OpenedData d;
    if (!spec.preprocess.trimmed().isEmpty())
        d.pre = parsePreprocess(spec.preprocess.toStdString()).take();
    registerBuiltinDatasets(DatasetRegistry::instance());
    DatasetOptions options;
    options.labels = spec.labels.toStdString();
    d.data = DatasetRegistry::instance().open(spec.data.toStdString(), options).take();
    return d;
}

} // namespace

QuantPanel::QuantPanel(JobRunner *runner, QWidget *parent) : QWidget(parent), m_runner(runner)
{
    buildForm();
    retranslate();
    updateEnabled();
}

void QuantPanel::buildForm()
{
    for (QLabel *&l : m_labels)
        l = new QLabel(this);
    buildQuantBox();
    buildPrepBox();
    buildDataBox();
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("runQuantization"));
    m_exportEnc = new QPushButton(this);
    m_exportQdq = new QPushButton(this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_run);
    buttons->addStretch(1);
    buttons->addWidget(m_exportEnc);
    buttons->addWidget(m_exportQdq);

    m_results = new QTableWidget(0, ResultColumns, this);
    m_results->setObjectName(QStringLiteral("quantResults"));
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->verticalHeader()->hide();
    m_results->horizontalHeader()->setStretchLastSection(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_quantBox);
    top->addWidget(m_prepBox);
    top->addWidget(m_dataBox, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(buttons);
    layout->addWidget(m_results, 1);

    connectSignals();
}

void QuantPanel::connectSignals()
{
    connect(m_run, &QPushButton::clicked, this, [this] {
        QString error;
        if (!run(&error))
            QMessageBox::warning(this, tr("Quantization"), error);
    });
    connect(m_exportEnc, &QPushButton::clicked, this, [this] { exportWith(false); });
    connect(m_exportQdq, &QPushButton::clicked, this, [this] { exportWith(true); });
    connect(m_cle, &QCheckBox::toggled, this, [this] { updateEnabled(); });
    connect(m_adaround, &QCheckBox::toggled, this, [this] { updateEnabled(); });
    connect(m_bias, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { updateEnabled(); });
    connect(m_scheme, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { updateEnabled(); });
    connect(m_runner, &JobRunner::finished, this, &QuantPanel::onFinished);
    connect(m_runner, &JobRunner::started, this, [this] { updateEnabled(); });
    for (QCheckBox *c : {m_perChannel, m_foldBn, m_cle, m_adaround})
        connect(c, &QCheckBox::toggled, this, &QuantPanel::settingsChanged);
    for (QComboBox *c : {m_scheme, m_hba, m_bias})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &QuantPanel::settingsChanged);
    for (QSpinBox *s : {m_paramBw, m_actBw, m_calib, m_evalLimit, m_sensSamples, m_adaIterations})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, &QuantPanel::settingsChanged);
    for (QLineEdit *e : {m_data, m_labelsPath, m_preprocess})
        connect(e, &QLineEdit::textChanged, this, &QuantPanel::settingsChanged);
}

void QuantPanel::buildQuantBox()
{
    m_quantBox = new QGroupBox(this);
    m_scheme = new QComboBox(m_quantBox);
    m_scheme->setObjectName(QStringLiteral("scheme"));
    for (const char *s : {"tf", "tf_enhanced", "percentile"})
        m_scheme->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    m_scheme->setCurrentIndex(1);
    m_percentile = new QDoubleSpinBox(m_quantBox);
    m_percentile->setRange(50.01, 100.0);
    m_percentile->setDecimals(3);
    m_percentile->setValue(99.99);
    m_paramBw = spin(m_quantBox, 2, 16, 8);
    m_paramBw->setObjectName(QStringLiteral("paramBw"));
    m_actBw = spin(m_quantBox, 2, 16, 8);
    m_actBw->setObjectName(QStringLiteral("actBw"));
    m_perChannel = new QCheckBox(m_quantBox);
    m_perChannel->setObjectName(QStringLiteral("perChannel"));
    auto *qf = new QFormLayout(m_quantBox);
    qf->addRow(m_labels[0], m_scheme);
    qf->addRow(m_labels[1], m_percentile);
    qf->addRow(m_labels[2], m_paramBw);
    qf->addRow(m_labels[3], m_actBw);
    qf->addRow(m_perChannel);

}

void QuantPanel::buildPrepBox()
{
    m_prepBox = new QGroupBox(this);
    m_foldBn = new QCheckBox(m_prepBox);
    m_cle = new QCheckBox(m_prepBox);
    m_cle->setObjectName(QStringLiteral("cle"));
    m_hba = new QComboBox(m_prepBox);
    m_bias = new QComboBox(m_prepBox);
    m_bias->setObjectName(QStringLiteral("biasCorrection"));
    for (int i = 0; i < 3; ++i) {
        m_hba->addItem(QString());
        m_bias->addItem(QString());
    }
    m_adaround = new QCheckBox(m_prepBox);
    m_adaround->setObjectName(QStringLiteral("adaround"));
    m_adaIterations = spin(m_prepBox, 1, 1000000, 2000);
    auto *pf = new QFormLayout(m_prepBox);
    pf->addRow(m_foldBn);
    pf->addRow(m_cle);
    pf->addRow(m_labels[4], m_hba);
    pf->addRow(m_labels[5], m_bias);
    pf->addRow(m_adaround);
    pf->addRow(m_labels[12], m_adaIterations);

}

void QuantPanel::buildDataBox()
{
    m_dataBox = new QGroupBox(this);
    m_data = new QLineEdit(m_dataBox);
    m_data->setObjectName(QStringLiteral("dataPath"));
    m_labelsPath = new QLineEdit(m_dataBox);
    m_preprocess = new QLineEdit(m_dataBox);
    m_calib = spin(m_dataBox, 1, 1000000, 500);
    m_calib->setObjectName(QStringLiteral("calibSamples"));
    m_evalLimit = spin(m_dataBox, 0, 100000000, 0);
    m_evalLimit->setObjectName(QStringLiteral("evalLimit"));
    m_sensSamples = spin(m_dataBox, 0, 100000, 256);
    m_sensSamples->setObjectName(QStringLiteral("sensitivitySamples"));
    auto *df = new QFormLayout(m_dataBox);
    df->addRow(m_labels[6], m_data);
    df->addRow(m_labels[7], m_labelsPath);
    df->addRow(m_labels[8], m_preprocess);
    df->addRow(m_labels[9], m_calib);
    df->addRow(m_labels[10], m_evalLimit);
    df->addRow(m_labels[11], m_sensSamples);

}

void QuantPanel::retranslate()
{
    m_quantBox->setTitle(tr("Quantization"));
    m_prepBox->setTitle(tr("Post-training fixes"));
    m_dataBox->setTitle(tr("Data"));
    const QStringList labels = {tr("Scheme"),          tr("Percentile"),      tr("Weight bits"),
                                tr("Activation bits"), tr("High-bias absorption"), tr("Bias correction"),
                                tr("Data set"),        tr("Labels"),          tr("Preprocess (JSON)"),
                                tr("Calibration samples"), tr("Evaluation samples (0 = all)"),
                                tr("Sensitivity samples (0 = off)"), tr("AdaRound iterations")};
    for (int i = 0; i < labels.size(); ++i)
        m_labels[i]->setText(labels[i]);
    m_perChannel->setText(tr("Per-channel weights"));
    m_foldBn->setText(tr("Fold batch norms"));
    m_cle->setText(tr("Cross-layer equalization"));
    m_hba->setItemText(0, tr("off"));
    m_hba->setItemText(1, tr("exact"));
    m_hba->setItemText(2, tr("approximate"));
    m_bias->setItemText(0, tr("off"));
    m_bias->setItemText(1, tr("empirical"));
    m_bias->setItemText(2, tr("analytical"));
    m_adaround->setText(tr("AdaRound"));
    m_adaround->setToolTip(tr("Learned weight rounding; excludes bias correction"));
    m_labelsPath->setPlaceholderText(tr("beside the data set"));
    m_run->setText(tr("Run"));
    m_exportEnc->setText(tr("Export Encodings..."));
    m_exportQdq->setText(tr("Export QDQ ONNX..."));
    m_results->setHorizontalHeaderLabels({tr("Configuration"), tr("Samples"), tr("FP32 top-1"), tr("Quantized top-1"),
                                          tr("Change"), tr("FP32 top-5"), tr("Quantized top-5"), tr("Quantizers")});
}

void QuantPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void QuantPanel::updateEnabled()
{
    m_percentile->setEnabled(m_scheme->currentData().toString() == QLatin1String("percentile"));
    m_hba->setEnabled(m_cle->isChecked());
    m_foldBn->setEnabled(!m_cle->isChecked());
    // AdaRound's rounding already removes the bias that bias correction would (as in the command).
    m_bias->setEnabled(!m_adaround->isChecked());
    m_adaround->setEnabled(m_bias->currentIndex() == 0);
    m_adaIterations->setEnabled(m_adaround->isChecked());
    const bool idle = !m_runner->isRunning();
    m_run->setEnabled(idle && m_model);
    m_exportEnc->setEnabled(idle && m_sim);
    m_exportQdq->setEnabled(idle && m_sim);
}

void QuantPanel::setModel(std::shared_ptr<const ModelDocument> model)
{
    if (m_pending) { // a run on the previous model: its results no longer apply
        m_pending.reset();
        m_runner->cancel();
    }
    m_model = std::move(model);
    m_sim.reset();
    m_runs.clear();
    m_sensitivity.clear();
    m_results->setRowCount(0);
    if (m_model && !m_model->dataSpec.data.isEmpty())
        setDataSpec(m_model->dataSpec);
    updateEnabled();
    Q_EMIT sensitivityChanged();
}

QuantRunSettings QuantPanel::settings() const
{
    QuantRunSettings s;
    parseCalibrationScheme(m_scheme->currentData().toString().toStdString(), s.scheme);
    s.percentile = m_percentile->value();
    s.paramBitwidth = m_paramBw->value();
    s.activationBitwidth = m_actBw->value();
    s.perChannel = m_perChannel->isChecked();
    s.crossLayerScale = m_cle->isChecked();
    s.foldBatchNorms = s.crossLayerScale || m_foldBn->isChecked();
    if (s.crossLayerScale && m_hba->currentIndex() > 0)
        s.absorbHighBias = m_hba->currentIndex() == 1;
    if (m_bias->currentIndex() > 0)
        s.biasCorrection = m_bias->currentIndex() == 1 ? BiasCorrectionMethod::Empirical : BiasCorrectionMethod::Analytical;
    s.adaround = m_adaround->isChecked() && !s.biasCorrection;
    s.adaroundIterations = m_adaIterations->value();
    s.calibSamples = m_calib->value();
    s.evalLimit = m_evalLimit->value() == 0 ? -1 : m_evalLimit->value();
    s.sensitivitySamples = m_sensSamples->value();
    return s;
}

void QuantPanel::setSettings(const QuantRunSettings &s)
{
    m_scheme->setCurrentIndex(m_scheme->findData(QString::fromLatin1(calibrationSchemeName(s.scheme))));
    m_percentile->setValue(s.percentile);
    m_paramBw->setValue(s.paramBitwidth);
    m_actBw->setValue(s.activationBitwidth);
    m_perChannel->setChecked(s.perChannel);
    m_cle->setChecked(s.crossLayerScale);
    m_foldBn->setChecked(s.foldBatchNorms);
    m_hba->setCurrentIndex(s.absorbHighBias ? (*s.absorbHighBias ? 1 : 2) : 0);
    m_bias->setCurrentIndex(s.biasCorrection ? (*s.biasCorrection == BiasCorrectionMethod::Empirical ? 1 : 2) : 0);
    m_adaround->setChecked(s.adaround);
    m_adaIterations->setValue(s.adaroundIterations);
    m_calib->setValue(int(s.calibSamples));
    m_evalLimit->setValue(s.evalLimit < 0 ? 0 : int(s.evalLimit));
    m_sensSamples->setValue(s.sensitivitySamples);
    updateEnabled();
}

DataSpecInfo QuantPanel::dataSpec() const { return {m_data->text(), m_labelsPath->text(), m_preprocess->text()}; }

void QuantPanel::setDataSpec(const DataSpecInfo &spec)
{
    m_data->setText(spec.data);
    m_labelsPath->setText(spec.labels);
    m_preprocess->setText(spec.preprocess);
}

bool QuantPanel::run(QString *error)
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
    auto result = std::make_shared<QuantRunResult>();
    const QuantRunSettings s = settings();
    const DataSpecInfo spec = dataSpec();
    std::shared_ptr<const ModelDocument> model = m_model;
    m_pending = result;
    m_pendingSettings = s;
    return m_runner->start(tr("Quantizing"), [model, s, spec, result](Job &job) -> QString {
        Result<QuantRunResult> r = capture("", [&] {
            const OpenedData d = openData(spec);
            return runQuantization(model->graph, model->path.toStdString(), *d.data, d.pre, s, &job).take();
        });
        if (!r.ok())
            return QString::fromStdString(r.error().message);
        *result = std::move(r.value());
        return QString();
    });
}

void QuantPanel::onFinished(bool ok, bool cancelled, const QString &error)
{
    std::shared_ptr<QuantRunResult> r = std::move(m_pending);
    updateEnabled();
    if (!r)
        return; // another panel's job
    if (!ok) {
        Q_EMIT runFinished(false, cancelled ? tr("Quantization cancelled") : error);
        return;
    }
    SessionResult row{describeSettings(m_pendingSettings), m_pendingSettings, r->fp32, r->quantized, r->quantizers};
    m_runs.push_back(row);
    addResultRow(row);
    m_sim = r->sim;
    if (!r->sensitivity.empty()) {
        m_sensitivity = r->sensitivity;
        m_sensitivityFp32 = r->fp32.top1;
        Q_EMIT sensitivityChanged();
    }
    updateEnabled();
    Q_EMIT runFinished(true, tr("%1: FP32 top-1 %2, quantized top-1 %3 over %4 samples")
                                 .arg(QString::fromStdString(row.label), percent(row.fp32.top1),
                                      percent(row.quantized.top1))
                                 .arg(row.quantized.samples));
}

void QuantPanel::addResultRow(const SessionResult &r)
{
    const int row = m_results->rowCount();
    m_results->insertRow(row);
    const QStringList cells = {QString::fromStdString(r.label),
                               QString::number(r.quantized.samples),
                               percent(r.fp32.top1),
                               percent(r.quantized.top1),
                               QString::asprintf("%+.2f", 100.0 * (r.quantized.top1 - r.fp32.top1)),
                               percent(r.fp32.top5),
                               percent(r.quantized.top5),
                               QString::number(r.quantizers)};
    for (int c = 0; c < cells.size(); ++c) {
        auto *item = new QTableWidgetItem(cells[c]);
        if (c > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_results->setItem(row, c, item);
    }
    m_results->resizeColumnToContents(Config);
}

void QuantPanel::setResults(const std::vector<SessionResult> &results)
{
    m_runs = results;
    m_results->setRowCount(0);
    for (const SessionResult &r : m_runs)
        addResultRow(r);
}

void QuantPanel::setSensitivity(const std::vector<LayerQuantSensitivity> &layers, double fp32Top1)
{
    m_sensitivity = layers;
    m_sensitivityFp32 = fp32Top1;
    Q_EMIT sensitivityChanged();
}

bool QuantPanel::exportEncodings(const QString &path, QString *error) const
{
    if (!m_sim) {
        *error = tr("No quantization run to export.");
        return false;
    }
    Result<void> r = writeEncodingsFile(path.toStdString(), m_sim->encodings(), m_sim->quantizerArgs(), "0.6.1");
    if (!r.ok())
        *error = QString::fromStdString(r.error().message);
    return r.ok();
}

bool QuantPanel::exportQdq(const QString &path, QString *error) const
{
    if (!m_sim) {
        *error = tr("No quantization run to export.");
        return false;
    }
    Result<void> r = capture("", [&] {
        const Graph qdq = makeQdqGraph(m_sim->graph(), m_sim->encodings()).take();
        exportOnnx(qdq, path.toStdString()).take();
    });
    if (!r.ok())
        *error = QString::fromStdString(r.error().message);
    return r.ok();
}

void QuantPanel::exportWith(bool qdq)
{
    const QString path = QFileDialog::getSaveFileName(
        this, qdq ? tr("Export QDQ ONNX") : tr("Export Encodings"), QString(),
        qdq ? tr("ONNX models (*.onnx)") : tr("AIMET encodings (*.encodings *.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!(qdq ? exportQdq(path, &error) : exportEncodings(path, &error)))
        QMessageBox::warning(this, tr("Export"), error);
}

} // namespace qs
