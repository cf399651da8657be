#pragma once
// The chart pages of the main window: weight ranges of the selected layer (original and
// equalized, overlaid or side by side), relative ranges across layers, and the per-layer
// quantization sensitivity. Every page has Export (PNG at a chosen size, or SVG) and Copy.
// Clicking a layer in a chart emits layerClicked (linked selection). addPage() takes further
// pages (e.g. the compression heatmap).

#include "analysis/quantsensitivity.h"
#include "analysis/weightstats.h"
#include "charts/chartpalette.h"

#include <QJsonObject>
#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QTabWidget;

namespace qs {

class ChartView;
class QuantSensitivityChart;
class RelativeRangeChart;
class WeightRangeChart;

class ChartsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartsPanel(QWidget *parent = nullptr);

    void setStats(const std::vector<LayerWeightStats> &stats);
    void setEqualizedStats(const std::vector<LayerWeightStats> &stats);
    bool hasEqualizedStats() const { return !m_equalized.empty(); }
    void setSensitivity(const std::vector<LayerQuantSensitivity> &layers, double fp32Top1);
    void setSelectedLayer(const QString &name);
    QString selectedLayer() const { return m_selected; }
    void setTheme(ChartTheme theme);

    QJsonObject viewState() const;
    void setViewState(const QJsonObject &state);

    WeightRangeChart *weightChart() const { return m_weight; }
    RelativeRangeChart *relativeChart() const { return m_relative; }
    QuantSensitivityChart *sensitivityChart() const { return m_sensitivity; }
    QTabWidget *tabs() const { return m_tabs; }
    QCheckBox *showEqualizedBox() const { return m_showEqualized; }
    int addPage(QWidget *page, const QString &title);

Q_SIGNALS:
    void layerClicked(const QString &name);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *page(ChartView *chart, QWidget *controls);
    void updateWeightChart();
    void updateRelativeChart();
    void exportChart(ChartView *chart);
    void retranslate();

    std::vector<LayerWeightStats> m_stats;
    std::vector<LayerWeightStats> m_equalized;
    QString m_selected;
    QTabWidget *m_tabs = nullptr;
    WeightRangeChart *m_weight = nullptr;
    RelativeRangeChart *m_relative = nullptr;
    QuantSensitivityChart *m_sensitivity = nullptr;
    QCheckBox *m_showEqualized = nullptr;
    QComboBox *m_compareMode = nullptr;
    QCheckBox *m_weightLog = nullptr;
    QCheckBox *m_relEqualized = nullptr;
    QCheckBox *m_relLog = nullptr;
    QCheckBox *m_allBut = nullptr;
    QList<QWidget *> m_pages;
};

} // namespace qs
