#pragma once
// Engine -> chart data. Header-only on purpose: qswidgets does not link the engine, so only
// code that links both (the application, the CLI) includes this file.

#include "analysis/quantsensitivity.h"
#include "analysis/weightstats.h"
#include "charts/chartdata.h"

#include <vector>

namespace qs {

inline ChartLayer toChartLayer(const LayerWeightStats &stats)
{
    ChartLayer layer;
    layer.name = QString::fromStdString(stats.name);
    layer.opType = QString::fromStdString(stats.opType);
    layer.channels.reserve(int(stats.channels.size()));
    for (const ChannelStats &c : stats.channels)
        layer.channels.push_back({c.min, c.max, c.mean, c.std, c.relativeRange, c.outlier});
    layer.q1 = stats.summary.q1;
    layer.median = stats.summary.median;
    layer.q3 = stats.summary.q3;
    layer.upperFence = stats.summary.upperFence;
    layer.rangeRatio = stats.rangeRatio;
    return layer;
}

inline QVector<ChartLayer> toChartLayers(const std::vector<LayerWeightStats> &stats)
{
    QVector<ChartLayer> layers;
    layers.reserve(int(stats.size()));
    for (const LayerWeightStats &s : stats)
        layers.push_back(toChartLayer(s));
    return layers;
}

inline QVector<ChartSensitivity> toChartSensitivity(const std::vector<LayerQuantSensitivity> &layers)
{
    QVector<ChartSensitivity> out;
    out.reserve(int(layers.size()));
    for (const LayerQuantSensitivity &l : layers)
        out.push_back({QString::fromStdString(l.layer), QString::fromStdString(l.opType), l.sqnrAlone, l.top1Alone,
                       l.sqnrAllBut, l.top1AllBut});
    return out;
}

} // namespace qs
