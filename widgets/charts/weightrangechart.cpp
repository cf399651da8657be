#include "charts/weightrangechart.h"

#include "charts/chartaxes.h"

#include <QCandlestickSeries>
#include <QCandlestickSet>
#include <QChart>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

namespace {

// QCandlestickSet rounds timestamps to whole numbers and clamps them at 0, so the candles live on
// a hidden axis in tenths of a channel, shifted by one channel: channel c sits at 10 (c + 1).
constexpr double kTicksPerChannel = 10.0;

} // namespace

WeightRangeChart::WeightRangeChart(QWidget *parent) : ChartView(parent)
{
    rebuild();
}

void WeightRangeChart::setLayer(const ChartLayer &layer, const QString &label)
{
    m_layers[0] = layer;
    m_labels[0] = label;
    rebuild();
}

void WeightRangeChart::setComparison(const ChartLayer &layer, const QString &label)
{
    m_layers[1] = layer;
    m_labels[1] = label;
    m_hasComparison = true;
    rebuild();
}

void WeightRangeChart::clearComparison()
{
    m_layers[1] = ChartLayer();
    m_hasComparison = false;
    rebuild();
}

void WeightRangeChart::setCompareMode(CompareMode mode)
{
    m_mode = mode;
    rebuild();
}

void WeightRangeChart::setLogScale(bool on)
{
    m_log = on;
    rebuild();
}

double WeightRangeChart::timestampOf(int set, int channel) const
{
    return kTicksPerChannel * (channel + 1) + std::round(kTicksPerChannel * channelOffset(set));
}

int WeightRangeChart::channelAt(int set, double timestamp) const
{
    return int(std::lround(timestamp / kTicksPerChannel - 1.0 - channelOffset(set)));
}

double WeightRangeChart::channelOffset(int set) const
{
    if (!m_hasComparison || m_mode == CompareMode::Overlay)
        return 0.0;
    return set == 0 ? -0.2 : 0.2;
}

QString WeightRangeChart::setLabel(int set) const
{
    if (!m_labels[set].isEmpty())
        return m_labels[set];
    return set == 0 ? tr("original") : tr("compared");
}

QString WeightRangeChart::channelText(int set, int channel) const
{
    const ChartLayer &layer = m_layers[set];
    if (channel < 0 || channel >= layer.channels.size())
        return QString();
    const ChartChannel &c = layer.channels[channel];
    const auto num = [](double v) { return QString::number(v, 'g', 7); };
    QString head = tr("%1, channel %2").arg(layer.name).arg(channel);
    if (m_hasComparison)
        head += QStringLiteral(" (%1)").arg(setLabel(set));
    return head + QLatin1Char('\n') + tr("min %1, max %2").arg(num(c.min), num(c.max)) + QLatin1Char('\n') +
           tr("mean %1, std %2").arg(num(c.mean), num(c.std)) + QLatin1Char('\n') +
           tr("range %1 (%2 x the smallest)").arg(num(c.range()), num(c.relativeRange)) +
           (c.outlier ? QLatin1Char('\n') + tr("outlier channel (beyond Q3 + 1.5 IQR)") : QString());
}

void WeightRangeChart::addLinearSet(int set, const ChartLayer &layer, const QString &label)
{
    const ChartPalette &p = chartPalette();
    const QColor color = set == 0 ? p.primary : p.secondary;
    QColor fill = color;
    fill.setAlpha(set == 0 && m_hasComparison && m_mode == CompareMode::Overlay ? 110 : 200);
    auto *ranges = new QCandlestickSeries;
    ranges->setName(m_hasComparison ? tr("%1 min to max").arg(label) : tr("min to max"));
    ranges->setIncreasingColor(fill);
    ranges->setDecreasingColor(fill);
    ranges->setPen(QPen(color, 1));
    ranges->setCapsVisible(false);
    ranges->setMinimumColumnWidth(1);
    ranges->setMaximumColumnWidth(60);
    const bool narrow = m_hasComparison && (set == 1 || m_mode == CompareMode::SideBySide);
    ranges->setBodyWidth(narrow ? 0.36 : 0.72);
    const double offset = channelOffset(set);
    for (int ch = 0; ch < layer.channels.size(); ++ch) {
        const ChartChannel &c = layer.channels[ch];
        ranges->append(new QCandlestickSet(c.min, c.max, c.min, c.max, timestampOf(set, ch)));
    }
    auto *means = new QScatterSeries;
    means->setName(m_hasComparison ? tr("%1 mean").arg(label) : tr("mean"));
    means->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    means->setMarkerSize(layer.channels.size() > 96 ? 3.0 : 6.0);
    means->setColor(set == 0 ? p.primaryMean : p.secondaryMean);
    means->setBorderColor(set == 0 ? p.primaryMean : p.secondaryMean);
    for (int ch = 0; ch < layer.channels.size(); ++ch)
        means->append(ch + offset, layer.channels[ch].mean);
    connect(ranges, &QCandlestickSeries::hovered, this, [this, set](bool on, QCandlestickSet *s) {
        on ? showValueTip(channelText(set, channelAt(set, s->timestamp()))) : hideValueTip();
    });
    connect(means, &QScatterSeries::hovered, this, [this, set](const QPointF &pt, bool on) {
        on ? showValueTip(channelText(set, int(std::lround(pt.x() - channelOffset(set))))) : hideValueTip();
    });
    m_ranges[set] = ranges;
    m_means[set] = means;
}

void WeightRangeChart::addLogSet(int set, const ChartLayer &layer, const QString &label)
{
    const ChartPalette &p = chartPalette();
    auto *ranges = new QScatterSeries;
    ranges->setName(m_hasComparison ? tr("%1 range (max - min)").arg(label) : tr("range (max - min)"));
    ranges->setMarkerShape(set == 0 ? QScatterSeries::MarkerShapeCircle : QScatterSeries::MarkerShapeRectangle);
    ranges->setMarkerSize(layer.channels.size() > 96 ? 4.0 : 7.0);
    ranges->setColor(set == 0 ? p.primary : p.secondary);
    ranges->setBorderColor(set == 0 ? p.primary : p.secondary);
    const double offset = channelOffset(set);
    for (int ch = 0; ch < layer.channels.size(); ++ch)
        if (layer.channels[ch].range() > 0)
            ranges->append(ch + offset, layer.channels[ch].range());
    chart()->addSeries(ranges);
    connect(ranges, &QScatterSeries::hovered, this, [this, set](const QPointF &pt, bool on) {
        on ? showValueTip(channelText(set, int(std::lround(pt.x() - channelOffset(set))))) : hideValueTip();
    });
    m_logRanges[set] = ranges;
}

void WeightRangeChart::addAxes(double lo, double hi)
{
    const int channels = std::max(m_layers[0].channels.size(), m_layers[1].channels.size());
    auto *x = new QValueAxis;
    styleAxis(x, tr("output channel"));
    setChannelTicks(x, channels);
    QAbstractAxis *y = nullptr;
    if (m_log) {
        auto *logAxis = new QLogValueAxis;
        logAxis->setLabelFormat(QStringLiteral("%g"));
        logAxis->setRange(lo / 1.5, hi * 1.5);
        setLogTicks(logAxis);
        y = logAxis;
        styleAxis(y, tr("channel range (max - min), log scale"));
    } else {
        auto *valueAxis = new QValueAxis;
        const double pad = hi > lo ? 0.05 * (hi - lo) : 1.0;
        valueAxis->setRange(lo - pad, hi + pad);
        valueAxis->applyNiceNumbers();
        valueAxis->setLabelFormat(QStringLiteral("%.3g"));
        y = valueAxis;
        styleAxis(y, tr("weight value"));
    }
    auto *candleX = new QValueAxis;
    candleX->setRange(kTicksPerChannel * 0.5, kTicksPerChannel * (std::max(channels, 1) + 0.5));
    candleX->setVisible(false);
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(candleX, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *s : chart()->series()) {
        s->attachAxis(s->type() == QAbstractSeries::SeriesTypeCandlestick ? candleX : x);
        s->attachAxis(y);
    }
}

void WeightRangeChart::rebuild()
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *a : c->axes()) {
        c->removeAxis(a);
        delete a;
    }
    for (int s = 0; s < 2; ++s)
        m_ranges[s] = nullptr, m_means[s] = nullptr, m_logRanges[s] = nullptr;
    const ChartLayer &layer = m_layers[0];
    if (layer.channels.isEmpty()) {
        styleChart(tr("Weight ranges: no layer selected"));
        return;
    }
    QString ratio = tr("max/min channel range %1x").arg(QString::number(layer.rangeRatio, 'g', 4));
    if (m_hasComparison)
        ratio = tr("max/min channel range: %1 %2x, %3 %4x")
                    .arg(setLabel(0), QString::number(layer.rangeRatio, 'g', 4), setLabel(1),
                         QString::number(m_layers[1].rangeRatio, 'g', 4));
    styleChart(tr("Weight ranges per output channel: %1 (%2, %3 channels)").arg(layer.name, layer.opType).arg(layer.channels.size()),
               ratio);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (int s = 0; s < (m_hasComparison ? 2 : 1); ++s) {
        for (const ChartChannel &ch : m_layers[s].channels) {
            if (m_log && ch.range() <= 0)
                continue;
            lo = std::min(lo, m_log ? ch.range() : ch.min);
            hi = std::max(hi, m_log ? ch.range() : ch.max);
        }
        m_log ? addLogSet(s, m_layers[s], setLabel(s)) : addLinearSet(s, m_layers[s], setLabel(s));
    }
    // Bars first, then the mean markers, so an overlaid set never hides the other's means.
    for (QAbstractSeries *series : {static_cast<QAbstractSeries *>(m_ranges[0]), static_cast<QAbstractSeries *>(m_ranges[1]),
                                    static_cast<QAbstractSeries *>(m_means[0]), static_cast<QAbstractSeries *>(m_means[1])})
        if (series)
            c->addSeries(series);
    if (!std::isfinite(lo))
        lo = hi = 1.0; // every range is zero: nothing to place on a log axis
    addAxes(lo, hi);
}

} // namespace qs
