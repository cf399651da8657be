#pragma once
// Relative weight ranges across layers, as AIMET's visualize_relative_weight_ranges: for every
// layer a box of its channels' relative ranges (range / smallest channel range; box Q1..Q3,
// median line, whiskers to the last channel inside Q1 - 1.5 IQR .. Q3 + 1.5 IQR) and a marker for
// each outlier channel beyond Q3 + 1.5 IQR. Layers with outlier channels are outlined in the
// outlier colour. An optional second set (the same layers after equalization, matched by name)
// is drawn beside each box. Log scale by default, as ratios span orders of magnitude.

#include "charts/chartdata.h"
#include "charts/chartview.h"

#include <QPair>

class QBoxPlotSeries;
class QBoxSet;
class QScatterSeries;

namespace qs {

class RelativeRangeChart : public ChartView {
    Q_OBJECT
public:
    explicit RelativeRangeChart(QWidget *parent = nullptr);

    void setLayers(const QVector<ChartLayer> &layers, const QString &label = QString());
    // Layers matched by name; a layer missing from `layers` gets no box in this set.
    void setComparison(const QVector<ChartLayer> &layers, const QString &label = QString());
    void clearComparison();
    bool hasComparison() const { return m_hasComparison; }
    void setLogScale(bool on);
    bool logScale() const { return m_log; }

    // Series of data set 0 or 1 (nullptr when absent). Box i belongs to layer i of setLayers();
    // outlier point k is outlierChannel(set, k).
    QBoxPlotSeries *boxSeries(int set) const { return m_boxes[set]; }
    QScatterSeries *outlierSeries(int set) const { return m_outliers[set]; }
    // (layer index, channel) of the k-th outlier point of a set.
    QPair<int, int> outlierChannel(int set, int k) const { return m_outlierIndex[set].value(k); }
    // Lower whisker, Q1, median, Q3, upper whisker of a layer's relative ranges.
    static QVector<double> boxValues(const ChartLayer &layer);
    // Horizontal position of set `set`'s markers relative to the layer's category centre.
    double setOffset(int set) const;
    QString layerText(int set, int layer) const;
    QString channelText(int set, int layer, int channel) const;
    // The selected layer's boxes get a thick outline in the text colour (linked selection).
    void setSelectedLayer(const QString &name);
    QString selectedLayer() const { return m_selected; }

Q_SIGNALS:
    void layerClicked(const QString &name);

protected:
    void rebuild() override;

private:
    const ChartLayer *layerOf(int set, int index) const;
    void addSet(int set, const QString &label, double axisFloor);
    void connectHover(int set, QBoxPlotSeries *boxes, QScatterSeries *outliers);
    void addAxes(double lo, double hi);
    QString setLabel(int set) const;

    QVector<ChartLayer> m_layers[2];
    QString m_labels[2];
    bool m_hasComparison = false;
    bool m_log = true;
    QBoxPlotSeries *m_boxes[2] = {nullptr, nullptr};
    QScatterSeries *m_outliers[2] = {nullptr, nullptr};
    QVector<QPair<int, int>> m_outlierIndex[2];
    QString m_selected;
};

} // namespace qs
