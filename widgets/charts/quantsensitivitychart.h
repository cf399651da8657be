#pragma once
// Per-layer quantization sensitivity: one bar per weighted layer with the SQNR (dB) of the model
// output when only that layer's weight is quantized (low = the layer hurts most), and optionally
// a second bar with every other layer quantized. The selected layer's bars are drawn in the
// outlier colour; clicking a bar selects its layer. Hover shows the exact SQNR and top-1 values.

#include "charts/chartdata.h"
#include "charts/chartview.h"

class QBarSeries;
class QBarSet;

namespace qs {

class QuantSensitivityChart : public ChartView {
    Q_OBJECT
public:
    explicit QuantSensitivityChart(QWidget *parent = nullptr);

    void setLayers(const QVector<ChartSensitivity> &layers, double fp32Top1 = -1);
    const QVector<ChartSensitivity> &layers() const { return m_layers; }
    void setShowAllBut(bool on);
    bool showAllBut() const { return m_showAllBut; }
    void setSelectedLayer(const QString &name);
    QString selectedLayer() const { return m_selected; }

    // Bar set 0 = "alone", 1 = "all but" (nullptr when not shown or no data).
    QBarSet *barSet(int set) const { return m_sets[set]; }
    QString layerText(int index) const;

Q_SIGNALS:
    void layerClicked(const QString &name);

protected:
    void rebuild() override;

private:
    void applySelection();

    QVector<ChartSensitivity> m_layers;
    double m_fp32Top1 = -1;
    bool m_showAllBut = false;
    QString m_selected;
    QBarSet *m_sets[2] = {nullptr, nullptr};
};

} // namespace qs
