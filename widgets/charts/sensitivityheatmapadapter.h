#pragma once
// Engine sensitivity table -> heatmap. Header-only on purpose (as weightstatsadapter.h): qswidgets
// does not link the engine, so only the application and the CLI include this file.

#include "charts/sensitivityheatmap.h"

#include "compress/compression.h"
#include "compress/sensitivity.h"

#include <QCoreApplication>

namespace qs {

// "channel pruning, MACs, top-1 of 1000 records, baseline 91.20%".
inline QString heatmapSubtitle(const SensitivityTable &t)
{
    QString method = QString::fromStdString(t.method);
    method.replace(QLatin1Char('-'), QLatin1Char(' '));
    const QString metric = t.metric == "memory" ? QCoreApplication::translate("SensitivityHeatmap", "memory")
                                                : QCoreApplication::translate("SensitivityHeatmap", "MACs");
    QString text = QCoreApplication::translate("SensitivityHeatmap", "%1, %2, top-1 of %3 records")
                       .arg(method, metric)
                       .arg(qlonglong(t.samples));
    if (t.baseline >= 0)
        text += QCoreApplication::translate("SensitivityHeatmap", ", baseline %1%").arg(100.0 * t.baseline, 0, 'f', 2);
    return text;
}

// Rows = the table's layers in graph order, columns = its candidate ratios, every finished cell.
inline void showSensitivityTable(SensitivityHeatmap &heatmap, const SensitivityTable &t)
{
    QStringList layers;
    for (const std::string &l : t.order)
        layers << QString::fromStdString(l);
    heatmap.setGrid(layers, QVector<double>(t.ratios.begin(), t.ratios.end()));
    heatmap.setBaseline(t.baseline);
    for (const auto &[layer, row] : t.scores)
        for (const auto &[ratio, score] : row)
            heatmap.setScore(QString::fromStdString(layer), ratio, score);
    heatmap.setTitle(QCoreApplication::translate("SensitivityHeatmap", "Compression sensitivity"), heatmapSubtitle(t));
}

} // namespace qs
