#include "chartspanel.h"

#include "charts/quantsensitivitychart.h"
#include "charts/relativerangechart.h"
#include "charts/weightrangechart.h"
#include "charts/weightstatsadapter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QVBoxLayout>

namespace qs {

ChartsPanel::ChartsPanel(QWidget *parent) : QWidget(parent)
{
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("chartTabs"));
    m_weight = new WeightRangeChart(this);
    m_relative = new RelativeRangeChart(this);
    m_sensitivity = new QuantSensitivityChart(this);

    auto *weightControls = new QWidget(this);
    m_showEqualized = new QCheckBox(weightControls);
    m_showEqualized->setObjectName(QStringLiteral("showEqualized"));
    m_compareMode = new QComboBox(weightControls);
    m_compareMode->addItems({QString(), QString()});
    m_weightLog = new QCheckBox(weightControls);
    auto *wl = new QHBoxLayout(weightControls);
    wl->setContentsMargins(0, 0, 0, 0);
    wl->addWidget(m_showEqualized);
    wl->addWidget(m_compareMode);
    wl->addWidget(m_weightLog);

    auto *relControls = new QWidget(this);
    m_relEqualized = new QCheckBox(relControls);
    m_relLog = new QCheckBox(relControls);
    m_relLog->setChecked(true);
    auto *rl = new QHBoxLayout(relControls);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addWidget(m_relEqualized);
    rl->addWidget(m_relLog);

    auto *sensControls = new QWidget(this);
    m_allBut = new QCheckBox(sensControls);
    auto *sl = new QHBoxLayout(sensControls);
    sl->setContentsMargins(0, 0, 0, 0);
    sl->addWidget(m_allBut);

    m_pages = {page(m_weight, weightControls), page(m_relative, relControls), page(m_sensitivity, sensControls)};
    for (QWidget *p : m_pages)
        m_tabs->addTab(p, QString());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    connect(m_showEqualized, &QCheckBox::toggled, this, &ChartsPanel::updateWeightChart);
    connect(m_compareMode, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_weight->setCompareMode(i == 1 ? WeightRangeChart::CompareMode::SideBySide : WeightRangeChart::CompareMode::Overlay);
    });
    connect(m_weightLog, &QCheckBox::toggled, m_weight, &WeightRangeChart::setLogScale);
    connect(m_relEqualized, &QCheckBox::toggled, this, &ChartsPanel::updateRelativeChart);
    connect(m_relLog, &QCheckBox::toggled, m_relative, &RelativeRangeChart::setLogScale);
    connect(m_allBut, &QCheckBox::toggled, m_sensitivity, &QuantSensitivityChart::setShowAllBut);
    connect(m_relative, &RelativeRangeChart::layerClicked, this, &ChartsPanel::layerClicked);
    connect(m_sensitivity, &QuantSensitivityChart::layerClicked, this, &ChartsPanel::layerClicked);
    retranslate();
}

QWidget *ChartsPanel::page(ChartView *chart, QWidget *controls)
{
    auto *w = new QWidget(this);
    auto *exportButton = new QPushButton(w);
    exportButton->setObjectName(QStringLiteral("exportChart"));
    auto *copyButton = new QPushButton(w);
    copyButton->setObjectName(QStringLiteral("copyChart"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(controls);
    bar->addStretch(1);
    bar->addWidget(exportButton);
    bar->addWidget(copyButton);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(chart, 1);
    connect(exportButton, &QPushButton::clicked, this, [this, chart] { exportChart(chart); });
    connect(copyButton, &QPushButton::clicked, chart, [chart] { chart->copyToClipboard(); });
    return w;
}

void ChartsPanel::retranslate()
{
    m_tabs->setTabText(0, tr("Weight ranges"));
    m_tabs->setTabText(1, tr("Relative ranges"));
    m_tabs->setTabText(2, tr("Quantization sensitivity"));
    m_showEqualized->setText(tr("Compare with equalized"));
    m_compareMode->setItemText(0, tr("overlaid"));
    m_compareMode->setItemText(1, tr("side by side"));
    m_weightLog->setText(tr("Log scale"));
    m_relEqualized->setText(tr("Compare with equalized"));
    m_relLog->setText(tr("Log scale"));
    m_allBut->setText(tr("Show all-but-one"));
    for (QPushButton *b : findChildren<QPushButton *>(QStringLiteral("exportChart")))
        b->setText(tr("Export..."));
    for (QPushButton *b : findChildren<QPushButton *>(QStringLiteral("copyChart")))
        b->setText(tr("Copy"));
}

void ChartsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

int ChartsPanel::addPage(QWidget *page, const QString &title) { return m_tabs->addTab(page, title); }

void ChartsPanel::setStats(const std::vector<LayerWeightStats> &stats)
{
    m_stats = stats;
    m_equalized.clear();
    m_selected = m_stats.empty() ? QString() : QString::fromStdString(m_stats.front().name);
    updateRelativeChart();
    updateWeightChart();
}

void ChartsPanel::setEqualizedStats(const std::vector<LayerWeightStats> &stats)
{
    m_equalized = stats;
    if (m_showEqualized->isChecked())
        updateWeightChart();
    if (m_relEqualized->isChecked())
        updateRelativeChart();
}

void ChartsPanel::setSensitivity(const std::vector<LayerQuantSensitivity> &layers, double fp32Top1)
{
    m_sensitivity->setLayers(toChartSensitivity(layers), fp32Top1);
    m_sensitivity->setSelectedLayer(m_selected);
}

void ChartsPanel::setSelectedLayer(const QString &name)
{
    if (name.isEmpty() || name == m_selected || !findLayer(m_stats, name.toStdString()))
        return;
    m_selected = name;
    updateWeightChart();
    m_relative->setSelectedLayer(name);
    m_sensitivity->setSelectedLayer(name);
}

void ChartsPanel::setTheme(ChartTheme theme)
{
    for (ChartView *c : std::initializer_list<ChartView *>{m_weight, m_relative, m_sensitivity})
        c->setTheme(theme);
}

void ChartsPanel::updateWeightChart()
{
    const LayerWeightStats *layer = findLayer(m_stats, m_selected.toStdString());
    if (!layer)
        return;
    const LayerWeightStats *eq = m_showEqualized->isChecked() ? findLayer(m_equalized, layer->name) : nullptr;
    // Set the comparison first so the chart is rebuilt with both sets once more at most.
    if (eq)
        m_weight->setComparison(toChartLayer(*eq), tr("equalized"));
    else if (m_weight->hasComparison())
        m_weight->clearComparison();
    m_weight->setLayer(toChartLayer(*layer), tr("original"));
}

void ChartsPanel::updateRelativeChart()
{
    m_relative->setSelectedLayer(m_selected);
    m_relative->setLayers(toChartLayers(m_stats), tr("original"));
    if (m_relEqualized->isChecked() && !m_equalized.empty())
        m_relative->setComparison(toChartLayers(m_equalized), tr("equalized"));
    else if (m_relative->hasComparison())
        m_relative->clearComparison();
}

void ChartsPanel::exportChart(ChartView *chart)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), QString(),
                                                      tr("PNG image (*.png);;SVG image (*.svg)"));
    if (path.isEmpty())
        return;
    bool ok = false;
    const QString sizeText = QInputDialog::getText(this, tr("Export Chart"), tr("Size in pixels (WIDTHxHEIGHT):"),
                                                   QLineEdit::Normal, QStringLiteral("1200x700"), &ok);
    const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(sizeText.trimmed());
    if (!ok || !m.hasMatch())
        return;
    const QSize size(qBound(64, m.captured(1).toInt(), 16384), qBound(64, m.captured(2).toInt(), 16384));
    QString error;
    if (!chart->exportTo(path, size, &error))
        QMessageBox::warning(this, tr("Export Chart"), error);
}

QJsonObject ChartsPanel::viewState() const
{
    return {{QStringLiteral("tab"), m_tabs->currentIndex()},
            {QStringLiteral("layer"), m_selected},
            {QStringLiteral("show_equalized"), m_showEqualized->isChecked()},
            {QStringLiteral("side_by_side"), m_compareMode->currentIndex() == 1},
            {QStringLiteral("weight_log"), m_weightLog->isChecked()},
            {QStringLiteral("relative_equalized"), m_relEqualized->isChecked()},
            {QStringLiteral("relative_log"), m_relLog->isChecked()},
            {QStringLiteral("all_but"), m_allBut->isChecked()}};
}

void ChartsPanel::setViewState(const QJsonObject &s)
{
    m_showEqualized->setChecked(s.value(QStringLiteral("show_equalized")).toBool());
    m_compareMode->setCurrentIndex(s.value(QStringLiteral("side_by_side")).toBool() ? 1 : 0);
    m_weightLog->setChecked(s.value(QStringLiteral("weight_log")).toBool());
    m_relEqualized->setChecked(s.value(QStringLiteral("relative_equalized")).toBool());
    m_relLog->setChecked(s.value(QStringLiteral("relative_log")).toBool(true));
    m_allBut->setChecked(s.value(QStringLiteral("all_but")).toBool());
    m_tabs->setCurrentIndex(s.value(QStringLiteral("tab")).toInt());
    setSelectedLayer(s.value(QStringLiteral("layer")).toString());
}

} // namespace qs
