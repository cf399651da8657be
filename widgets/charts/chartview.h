#pragma once
// Base of the project's charts: a QChartView with fixed fonts and palettes (so images are the
// same on every machine), export to PNG at a chosen pixel size and to SVG, copy to the clipboard,
// and exact values on hover. Subclasses build their series in rebuild() from plain data.
// GUI thread only. Renders on the offscreen platform (QT_QPA_PLATFORM=offscreen).

#include "charts/chartpalette.h"

#include <QByteArray>
#include <QChartView>
#include <QFont>
#include <QImage>
#include <QSize>
#include <QString>

class QAbstractAxis;
class QPainter;

namespace qs {

class ChartView : public QChartView {
    Q_OBJECT
public:
    explicit ChartView(QWidget *parent = nullptr);

    void setTheme(ChartTheme theme);
    ChartTheme theme() const { return m_theme; }
    const ChartPalette &chartPalette() const { return m_palette; }

    // Every text of the chart uses this font at fixed pixel sizes (titles a little larger).
    void setChartFont(const QFont &font);
    QFont chartFont() const { return m_font; }
    static QFont defaultChartFont(); // DejaVu Sans, 11 px

    // Renders the chart laid out at `size` pixels (the widget itself is left as it is).
    QImage toImage(const QSize &size);
    QByteArray toPng(const QSize &size);
    QByteArray toSvg(const QSize &size);
    // Writes .png or .svg (by suffix) atomically; false with a one-line message naming the file.
    bool exportTo(const QString &path, const QSize &size, QString *error);
    // PNG image and SVG ("image/svg+xml") of the chart at `size` (the widget size when empty).
    void copyToClipboard(const QSize &size = QSize());

    // The chart's title as plain text (title and subtitle joined by " - ").
    QString titleText() const { return m_title; }
    // The text of the last hover tooltip (empty after the pointer left a data item).
    QString lastToolTip() const { return m_lastTip; }

Q_SIGNALS:
    void valueHovered(const QString &text);

protected:
    // Recreates series and axes from the data; called on data, theme and font changes.
    virtual void rebuild() = 0;
    // Title, background, legend and axis colours and fonts of the current palette.
    void styleChart(const QString &title, const QString &subtitle = QString());
    void styleAxis(QAbstractAxis *axis, const QString &title);
    QFont scaledFont(int pixelSize, bool bold = false) const;
    void showValueTip(const QString &text);
    void hideValueTip();
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void render(QPainter &painter, const QSize &size);

    ChartTheme m_theme = ChartTheme::Light;
    ChartPalette m_palette;
    QFont m_font;
    QString m_lastTip;
    QString m_title;
};

} // namespace qs
