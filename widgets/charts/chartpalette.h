#pragma once
// Colours of the project's charts. Both palettes are fixed (not taken from the desktop style), so
// exported images look the same on every machine; the application picks one from the system
// colour scheme or a setting.

#include <QColor>
#include <QString>

namespace qs {

enum class ChartTheme { Light, Dark };

struct ChartPalette {
    QColor background;
    QColor plotArea;
    QColor text;
    QColor axis;
    QColor grid;
    QColor primary;       // first data set (the original model)
    QColor primaryMean;
    QColor secondary;     // compared data set (e.g. after equalization)
    QColor secondaryMean;
    QColor outlier;       // channels beyond the fence, flagged layers
    QColor fence;

    static ChartPalette forTheme(ChartTheme theme);
};

// "light" / "dark"; false for anything else.
bool parseChartTheme(const QString &name, ChartTheme *theme);

} // namespace qs
