#pragma once
// Synthetic chart data: layers whose channels have given min/max, with the relative ranges,
// quartiles (linear interpolation) and Q3 + 1.5 IQR outlier flags filled in.

#include "charts/chartdata.h"

#include <QString>
#include <QVector>

#include <algorithm>
#include <cmath>
#include <utility>

namespace qs::test {

inline double quantile(QVector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double pos = q * (v.size() - 1);
    const int lo = int(std::floor(pos));
    const int hi = std::min(lo + 1, int(v.size()) - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

// Channels (min, max); mean = (3 min + max) / 4 and std = (max - min) / 6, so both are exact.
inline ChartLayer sampleLayer(const QString &name, const QVector<std::pair<double, double>> &minMax)
{
    ChartLayer l;
    l.name = name;
    l.opType = QStringLiteral("Conv");
    double smallest = 1e300, largest = 0;
    for (const auto &mm : minMax) {
        const double r = mm.second - mm.first;
        if (r > 0)
            smallest = std::min(smallest, r);
        largest = std::max(largest, r);
    }
    QVector<double> rel;
    for (const auto &mm : minMax) {
        ChartChannel c;
        c.min = mm.first;
        c.max = mm.second;
        c.mean = (3 * mm.first + mm.second) / 4;
        c.std = (mm.second - mm.first) / 6;
        c.relativeRange = c.range() > 0 ? c.range() / smallest : 0;
        rel.push_back(c.relativeRange);
        l.channels.push_back(c);
    }
    l.q1 = quantile(rel, 0.25);
    l.median = quantile(rel, 0.5);
    l.q3 = quantile(rel, 0.75);
    l.upperFence = l.q3 + 1.5 * (l.q3 - l.q1);
    l.rangeRatio = largest / smallest;
    for (ChartChannel &c : l.channels)
        c.outlier = c.relativeRange > l.upperFence;
    return l;
}

// 12 channels, channel 9 much wider than the rest (an outlier).
inline ChartLayer depthwiseSample()
{
    QVector<std::pair<double, double>> mm;
    for (int i = 0; i < 12; ++i)
        mm.push_back({-0.25 * (i % 5 + 1), 0.125 * (i % 4 + 2)});
    mm[9] = {-4.0, 2.5};
    return sampleLayer(QStringLiteral("dw1"), mm);
}

// The same layer after an equalization-like rescaling: ranges brought closer together.
inline ChartLayer equalizedSample()
{
    ChartLayer before = depthwiseSample();
    QVector<std::pair<double, double>> mm;
    for (const ChartChannel &c : before.channels) {
        const double s = 1.0 / std::sqrt(c.range());
        mm.push_back({c.min * s, c.max * s});
    }
    return sampleLayer(QStringLiteral("dw1"), mm);
}

} // namespace qs::test
