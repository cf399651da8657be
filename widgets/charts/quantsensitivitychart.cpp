#include "charts/quantsensitivitychart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>

namespace qs {

QuantSensitivityChart::QuantSensitivityChart(QWidget *parent) : ChartView(parent)
{
    rebuild();
}

void QuantSensitivityChart::setLayers(const QVector<ChartSensitivity> &layers, double fp32Top1)
{
    m_layers = layers;
    m_fp32Top1 = fp32Top1;
    rebuild();
}

void QuantSensitivityChart::setShowAllBut(bool on)
{
    m_showAllBut = on;
    rebuild();
}

void QuantSensitivityChart::setSelectedLayer(const QString &name)
{
    m_selected = name;
    applySelection();
}

void QuantSensitivityChart::applySelection()
{
    int index = -1;
    for (int i = 0; i < m_layers.size(); ++i)
        if (m_layers[i].name == m_selected)
            index = i;
    for (QBarSet *set : m_sets) {
        if (!set)
            continue;
        set->deselectAllBars();
        if (index >= 0)
            set->selectBar(index);
    }
}

QString QuantSensitivityChart::layerText(int index) const
{
    if (index < 0 || index >= m_layers.size())
        return QString();
    const ChartSensitivity &l = m_layers[index];
    const auto pct = [](double v) { return QString::number(100.0 * v, 'f', 2); };
    QString text = tr("%1 (%2)").arg(l.name, l.opType) + QLatin1Char('\n') +
                   tr("quantized alone: SQNR %1 dB, top-1 %2%").arg(QString::number(l.sqnrAlone, 'f', 2), pct(l.top1Alone)) +
                   QLatin1Char('\n') +
                   tr("all other layers quantized: SQNR %1 dB, top-1 %2%")
                       .arg(QString::number(l.sqnrAllBut, 'f', 2), pct(l.top1AllBut));
    if (m_fp32Top1 >= 0)
        text += QLatin1Char('\n') + tr("FP32 top-1 %1%").arg(pct(m_fp32Top1));
    return text;
}

void QuantSensitivityChart::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *a : c->axes()) {
        c->removeAxis(a);
        delete a;
    }
    m_sets[0] = m_sets[1] = nullptr;
    if (m_layers.isEmpty()) {
        styleChart(tr("Quantization sensitivity: not computed"),
                   tr("run a quantization with per-layer sensitivity in the quantization panel"));
        return;
    }
    int worst = 0;
    double hi = 0;
    for (int i = 0; i < m_layers.size(); ++i) {
        if (m_layers[i].sqnrAlone < m_layers[worst].sqnrAlone)
            worst = i;
        hi = std::max({hi, m_layers[i].sqnrAlone, m_showAllBut ? m_layers[i].sqnrAllBut : 0.0});
    }
    styleChart(tr("Quantization sensitivity per layer (SQNR of the model output)"),
               tr("lowest SQNR when quantized alone: %1 (%2 dB)")
                   .arg(m_layers[worst].name, QString::number(m_layers[worst].sqnrAlone, 'f', 1)));
    const ChartPalette &p = chartPalette();
    auto *series = new QBarSeries;
    QStringList names;
    for (int set = 0; set < (m_showAllBut ? 2 : 1); ++set) {
        auto *bars = new QBarSet(set == 0 ? tr("layer quantized alone") : tr("all other layers quantized"));
        const QColor colour = set == 0 ? p.primary : p.secondary;
        bars->setColor(colour);
        bars->setBorderColor(colour);
        bars->setSelectedColor(p.outlier);
        bars->setLabelColor(p.text);
        for (const ChartSensitivity &l : m_layers)
            bars->append(set == 0 ? l.sqnrAlone : l.sqnrAllBut);
        series->append(bars);
        m_sets[set] = bars;
    }
    for (const ChartSensitivity &l : m_layers)
        names << l.name;
    c->addSeries(series);
    connect(series, &QBarSeries::hovered, this, [this](bool on, int index, QBarSet *) {
        on ? showValueTip(layerText(index)) : hideValueTip();
    });
    connect(series, &QBarSeries::clicked, this, [this](int index, QBarSet *) {
        if (index >= 0 && index < m_layers.size())
            Q_EMIT layerClicked(m_layers[index].name);
    });
    auto *x = new QBarCategoryAxis;
    x->append(names);
    styleAxis(x, tr("layer"));
    if (names.size() > 6)
        x->setLabelsAngle(-90);
    auto *y = new QValueAxis;
    y->setRange(0, std::max(1.0, hi * 1.08));
    y->applyNiceNumbers();
    y->setLabelFormat(QStringLiteral("%g"));
    styleAxis(y, tr("SQNR (dB)"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    applySelection();
}

} // namespace qs
