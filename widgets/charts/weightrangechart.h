#pragma once
// Per-output-channel weight ranges of one layer: a bar from min to max for every channel and a
// marker at the mean, optionally with a second data set (the same layer after equalization)
// overlaid or side by side. The log scale plots each channel's range (max - min) instead, as
// signed values have no logarithm. Hover shows the exact min, max, mean, std and range.

#include "charts/chartdata.h"
#include "charts/chartview.h"

class QCandlestickSeries;
class QCandlestickSet;
class QScatterSeries;

namespace qs {

class WeightRangeChart : public ChartView {
    Q_OBJECT
public:
    enum class CompareMode { Overlay, SideBySide };

    explicit WeightRangeChart(QWidget *parent = nullptr);

    void setLayer(const ChartLayer &layer, const QString &label = QString());
    void setComparison(const ChartLayer &layer, const QString &label = QString());
    void clearComparison();
    bool hasComparison() const { return m_hasComparison; }
    void setCompareMode(CompareMode mode);
    CompareMode compareMode() const { return m_mode; }
    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    // The plotted series of data set 0 (the layer) or 1 (the comparison); nullptr when absent.
    // Linear scale: ranges (one set per channel: low = open = min, high = close = max) and means;
    // log scale: rangeSeries/meanSeries are nullptr and logRangeSeries holds (channel, max - min).
    QCandlestickSeries *rangeSeries(int set) const { return m_ranges[set]; }
    QScatterSeries *meanSeries(int set) const { return m_means[set]; }
    QScatterSeries *logRangeSeries(int set) const { return m_logRanges[set]; }
    // Horizontal offset of data set `set` from the channel index (side by side: -0.2 / +0.2).
    double channelOffset(int set) const;
    // Candle timestamp of a channel, and back (candles use a hidden axis in tenths of a channel).
    double timestampOf(int set, int channel) const;
    int channelAt(int set, double timestamp) const;
    // The hover text for one channel of a data set.
    QString channelText(int set, int channel) const;

protected:
    void rebuild() override;

private:
    void addLinearSet(int set, const ChartLayer &layer, const QString &label);
    void addLogSet(int set, const ChartLayer &layer, const QString &label);
    void addAxes(double lo, double hi);
    QString setLabel(int set) const;

    ChartLayer m_layers[2];
    QString m_labels[2];
    bool m_hasComparison = false;
    CompareMode m_mode = CompareMode::Overlay;
    bool m_log = false;
    QCandlestickSeries *m_ranges[2] = {nullptr, nullptr};
    QScatterSeries *m_means[2] = {nullptr, nullptr};
    QScatterSeries *m_logRanges[2] = {nullptr, nullptr};
};

} // namespace qs
