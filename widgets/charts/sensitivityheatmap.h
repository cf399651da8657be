#pragma once
// Per-layer compression sensitivity as a heatmap: one row per compressible layer (graph order, as
// the layer explorer lists them), one column per candidate ratio, each cell coloured by its top-1
// relative to the unchanged model's (legend on the right). Cells arrive one by one while the
// sensitivity job runs; missing cells are drawn hatched. The ratio chosen for a layer is outlined,
// the selected layer's name is bold, hovering a cell shows its exact value and clicking a cell
// chooses that ratio for its layer (ratioClicked). A painted QWidget (Qt Charts has no heatmap)
// with the same export, clipboard and palettes as ChartView.

#include "charts/chartpalette.h"

#include <QByteArray>
#include <QFont>
#include <QHash>
#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QPainter;

namespace qs {

// Colour of a cell whose score is `relative` times the baseline (clamped to [0, 1]); the scale
// spends most of its range near 1, where choosing ratios is decided.
QColor heatmapColour(double relative);

class SensitivityHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit SensitivityHeatmap(QWidget *parent = nullptr);

    // Rows and columns; clears every score and chosen ratio.
    void setGrid(const QStringList &layers, const QVector<double> &ratios);
    void setBaseline(double top1); // < 0: unknown (colours then use the best score of the table)
    void setScore(const QString &layer, double ratio, double score);
    void clearScores();
    // NaN when the cell has no score (yet) or does not exist.
    double score(const QString &layer, double ratio) const;
    int filledCells() const;
    const QStringList &layers() const { return m_layers; }
    const QVector<double> &ratios() const { return m_ratios; }
    double baseline() const { return m_baseline; }

    // The ratio chosen for a layer (marked); ratios not among the columns are not drawn.
    void setChosenRatio(const QString &layer, double ratio);
    void setChosenRatios(const QHash<QString, double> &ratios);
    void clearChosenRatios();
    double chosenRatio(const QString &layer) const; // -1 when none
    void setSelectedLayer(const QString &name);
    QString selectedLayer() const { return m_selected; }

    void setTitle(const QString &title, const QString &subtitle = QString());
    QString titleText() const;
    void setTheme(ChartTheme theme);
    ChartTheme theme() const { return m_theme; }
    void setChartFont(const QFont &font);

    // The same export API as ChartView: laid out at `size`, independent of the widget's size.
    QImage toImage(const QSize &size) const;
    QByteArray toPng(const QSize &size) const;
    QByteArray toSvg(const QSize &size) const;
    bool exportTo(const QString &path, const QSize &size, QString *error) const;
    void copyToClipboard(const QSize &size = QSize()) const;

    // The cell's rectangle in widget coordinates at the current size (empty when out of range).
    QRect cellRect(int row, int column) const;
    // The text a hover over the cell shows ("" for a cell without a score).
    QString cellText(int row, int column) const;
    QString lastToolTip() const { return m_lastTip; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void ratioClicked(const QString &layer, double ratio);
    void layerClicked(const QString &layer);
    void valueHovered(const QString &text);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Geometry {
        QRectF title, labels, grid, legend;
        double cellW = 0, cellH = 0;
    };
    Geometry geometryFor(const QSize &size) const;
    void paint(QPainter &painter, const QSize &size) const;
    void paintTitle(QPainter &painter, const Geometry &g) const;
    void paintCells(QPainter &painter, const Geometry &g) const;
    void paintLabels(QPainter &painter, const Geometry &g) const;
    void paintLegend(QPainter &painter, const Geometry &g) const;
    int columnOf(double ratio) const;
    double relative(double score) const;
    bool cellAt(const QPointF &pos, int *row, int *column) const;
    QFont font(int pixelSize, bool bold = false) const;

    QStringList m_layers;
    QHash<QString, int> m_rowOf;
    QVector<double> m_ratios;
    QVector<QVector<double>> m_scores; // [row][column], NaN = missing
    QVector<int> m_chosen;             // column per row, -1 = none
    double m_baseline = -1;
    QString m_selected;
    QString m_title, m_subtitle;
    ChartTheme m_theme = ChartTheme::Light;
    ChartPalette m_palette;
    QFont m_font;
    QString m_lastTip;
};

} // namespace qs
