#include "charts/relativerangechart.h"

#include "charts/chartaxes.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

RelativeRangeChart::RelativeRangeChart(QWidget *parent) : ChartView(parent)
{
    rebuild();
}

void RelativeRangeChart::setLayers(const QVector<ChartLayer> &layers, const QString &label)
{
    m_layers[0] = layers;
    m_labels[0] = label;
    rebuild();
}

void RelativeRangeChart::setComparison(const QVector<ChartLayer> &layers, const QString &label)
{
    m_layers[1] = layers;
    m_labels[1] = label;
    m_hasComparison = true;
    rebuild();
}

void RelativeRangeChart::clearComparison()
{
    m_layers[1].clear();
    m_hasComparison = false;
    rebuild();
}

void RelativeRangeChart::setSelectedLayer(const QString &name)
{
    if (name == m_selected)
        return;
    m_selected = name;
    rebuild();
}

void RelativeRangeChart::setLogScale(bool on)
{
    m_log = on;
    rebuild();
}

QVector<double> RelativeRangeChart::boxValues(const ChartLayer &layer)
{
    const double iqr = layer.q3 - layer.q1;
    const double lowFence = layer.q1 - 1.5 * iqr;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const ChartChannel &c : layer.channels) {
        if (c.relativeRange >= lowFence)
            lo = std::min(lo, c.relativeRange);
        if (c.relativeRange <= layer.upperFence)
            hi = std::max(hi, c.relativeRange);
    }
    if (!std::isfinite(lo))
        lo = layer.q1;
    if (!std::isfinite(hi))
        hi = layer.q3;
    return {lo, layer.q1, layer.median, layer.q3, hi};
}

// QBoxPlotSeries splits a category into one column per series: with two sets the boxes sit a
// quarter category left and right of the centre.
double RelativeRangeChart::setOffset(int set) const
{
    if (!m_hasComparison)
        return 0.0;
    return set == 0 ? -0.25 : 0.25;
}

QString RelativeRangeChart::setLabel(int set) const
{
    if (!m_labels[set].isEmpty())
        return m_labels[set];
    return set == 0 ? tr("original") : tr("compared");
}

const ChartLayer *RelativeRangeChart::layerOf(int set, int index) const
{
    if (index < 0 || index >= m_layers[0].size())
        return nullptr;
    if (set == 0)
        return &m_layers[0][index];
    for (const ChartLayer &l : m_layers[1])
        if (l.name == m_layers[0][index].name)
            return &l;
    return nullptr;
}

QString RelativeRangeChart::layerText(int set, int index) const
{
    const ChartLayer *l = layerOf(set, index);
    if (!l)
        return QString();
    const auto num = [](double v) { return QString::number(v, 'g', 6); };
    const QVector<double> box = boxValues(*l);
    QString head = tr("%1 (%2, %3 channels)").arg(l->name, l->opType).arg(l->channels.size());
    if (m_hasComparison)
        head += QStringLiteral(" - %1").arg(setLabel(set));
    return head + QLatin1Char('\n') +
           tr("relative range: Q1 %1, median %2, Q3 %3").arg(num(l->q1), num(l->median), num(l->q3)) +
           QLatin1Char('\n') + tr("whiskers %1 to %2, fence %3").arg(num(box[0]), num(box[4]), num(l->upperFence)) +
           QLatin1Char('\n') + tr("%1 outlier channels, max/min channel range %2x").arg(l->outlierCount()).arg(num(l->rangeRatio));
}

QString RelativeRangeChart::channelText(int set, int index, int channel) const
{
    const ChartLayer *l = layerOf(set, index);
    if (!l || channel < 0 || channel >= l->channels.size())
        return QString();
    const ChartChannel &c = l->channels[channel];
    const auto num = [](double v) { return QString::number(v, 'g', 7); };
    return tr("%1, channel %2: relative range %3 (range %4, min %5, max %6)")
        .arg(l->name)
        .arg(channel)
        .arg(num(c.relativeRange), num(c.range()), num(c.min), num(c.max));
}

void RelativeRangeChart::addSet(int set, const QString &label, double axisFloor)
{
    const ChartPalette &p = chartPalette();
    const QColor base = set == 0 ? p.primary : p.secondary;
    auto *boxes = new QBoxPlotSeries;
    boxes->setName(m_hasComparison ? label : tr("relative ranges"));
    QColor fill = base;
    fill.setAlpha(120);
    boxes->setBrush(fill);
    boxes->setPen(QPen(base, 1));
    auto *outliers = new QScatterSeries;
    outliers->setName(m_hasComparison ? tr("%1 outliers").arg(label) : tr("outlier channels"));
    outliers->setMarkerShape(set == 0 ? QScatterSeries::MarkerShapeCircle : QScatterSeries::MarkerShapeRectangle);
    outliers->setMarkerSize(6.0);
    outliers->setColor(p.outlier);
    outliers->setBorderColor(p.outlier);
    m_outlierIndex[set].clear();
    const auto clamp = [&](double v) { return m_log ? std::max(v, axisFloor) : v; };
    for (int i = 0; i < m_layers[0].size(); ++i) {
        const ChartLayer *l = layerOf(set, i);
        auto *box = new QBoxSet(m_layers[0][i].name);
        if (l) {
            for (double v : boxValues(*l))
                box->append(clamp(v));
            if (l->outlierCount() > 0) {
                QColor flagged = p.outlier;
                flagged.setAlpha(70);
                box->setBrush(flagged);
                box->setPen(QPen(p.outlier, 1.5));
            }
            if (!m_selected.isEmpty() && m_layers[0][i].name == m_selected)
                box->setPen(QPen(p.text, 3));
            for (int c = 0; c < l->channels.size(); ++c) {
                if (!l->channels[c].outlier)
                    continue;
                outliers->append(i + setOffset(set), clamp(l->channels[c].relativeRange));
                m_outlierIndex[set].push_back({i, c});
            }
        } else {
            // No such layer in this set: an invisible placeholder keeps the boxes aligned.
            box->append({axisFloor, axisFloor, axisFloor, axisFloor, axisFloor});
            box->setPen(Qt::NoPen);
            box->setBrush(Qt::NoBrush);
        }
        boxes->append(box);
    }
    chart()->addSeries(boxes);
    chart()->addSeries(outliers);
    connectHover(set, boxes, outliers);
    m_boxes[set] = boxes;
    m_outliers[set] = outliers;
}

void RelativeRangeChart::connectHover(int set, QBoxPlotSeries *boxes, QScatterSeries *outliers)
{
    connect(boxes, &QBoxPlotSeries::hovered, this, [this, set, boxes](bool on, QBoxSet *box) {
        on ? showValueTip(layerText(set, int(boxes->boxSets().indexOf(box)))) : hideValueTip();
    });
    connect(boxes, &QBoxPlotSeries::clicked, this, [this, boxes](QBoxSet *box) {
        const int i = int(boxes->boxSets().indexOf(box));
        if (i >= 0 && i < m_layers[0].size())
            Q_EMIT layerClicked(m_layers[0][i].name);
    });
    connect(outliers, &QScatterSeries::hovered, this, [this, set, outliers](const QPointF &pt, bool on) {
        if (!on)
            return hideValueTip();
        const QList<QPointF> pts = outliers->points();
        for (int k = 0; k < pts.size(); ++k)
            if (pts[k] == pt)
                return showValueTip(channelText(set, m_outlierIndex[set][k].first, m_outlierIndex[set][k].second));
    });
}

void RelativeRangeChart::addAxes(double lo, double hi)
{
    auto *x = new QBarCategoryAxis;
    QStringList names;
    for (const ChartLayer &l : m_layers[0])
        names << l.name;
    x->append(names);
    styleAxis(x, tr("layer"));
    if (names.size() > 6)
        x->setLabelsAngle(-90);
    QAbstractAxis *y = nullptr;
    if (m_log) {
        auto *logAxis = new QLogValueAxis;
        logAxis->setLabelFormat(QStringLiteral("%g"));
        logAxis->setRange(lo, hi * 2);
        setLogTicks(logAxis);
        y = logAxis;
    } else {
        auto *valueAxis = new QValueAxis;
        valueAxis->setRange(0, hi * 1.05);
        valueAxis->applyNiceNumbers();
        valueAxis->setLabelFormat(QStringLiteral("%g"));
        y = valueAxis;
    }
    styleAxis(y, m_log ? tr("relative range (log scale)") : tr("relative range"));
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart()->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
}

void RelativeRangeChart::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *a : c->axes()) {
        c->removeAxis(a);
        delete a;
    }
    m_boxes[0] = m_boxes[1] = nullptr;
    m_outliers[0] = m_outliers[1] = nullptr;
    if (m_layers[0].isEmpty()) {
        styleChart(tr("Relative weight ranges: no layers"));
        return;
    }
    int flagged = 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = 0.0;
    for (int set = 0; set < (m_hasComparison ? 2 : 1); ++set) {
        for (int i = 0; i < m_layers[0].size(); ++i) {
            const ChartLayer *l = layerOf(set, i);
            if (!l)
                continue;
            flagged += set == 0 && l->outlierCount() > 0 ? 1 : 0;
            for (const ChartChannel &ch : l->channels) {
                if (ch.relativeRange > 0)
                    lo = std::min(lo, ch.relativeRange);
                hi = std::max(hi, ch.relativeRange);
            }
        }
    }
    if (!std::isfinite(lo))
        lo = hi = 1.0;
    const double floor = std::pow(10.0, std::floor(std::log10(lo)));
    styleChart(tr("Relative weight ranges per output channel (range / smallest range in the layer)"),
               tr("%1 layers, %2 with outlier channels beyond Q3 + 1.5 IQR (red)").arg(m_layers[0].size()).arg(flagged));
    for (int set = 0; set < (m_hasComparison ? 2 : 1); ++set)
        addSet(set, setLabel(set), floor);
    addAxes(floor, std::max(hi, floor * 10));
}

} // namespace qs
