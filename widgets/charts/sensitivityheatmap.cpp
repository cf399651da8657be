#include "charts/sensitivityheatmap.h"

#include "charts/chartview.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QMenu>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qs {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMargin = 8;
constexpr double kLegendWidth = 104;
constexpr double kHeaderHeight = 18;
constexpr double kAxisHeight = 18;

struct Stop {
    double t;
    QColor colour;
};

// Position on the colour scale of a relative score: the fourth power stretches 0.8..1.
double scalePosition(double relative) { return std::pow(std::clamp(relative, 0.0, 1.0), 4.0); }

QString percentText(double v) { return QString::number(100.0 * v, 'f', 2) + QLatin1Char('%'); }

QString ratioText(double r) { return QString::number(r, 'g', 6); }

} // namespace

QColor heatmapColour(double relative)
{
    static const Stop stops[] = {{0.0, QColor(0x7f, 0x00, 0x00)}, {0.25, QColor(0xd7, 0x30, 0x1f)},
                                 {0.5, QColor(0xfc, 0x8d, 0x59)}, {0.75, QColor(0xfe, 0xe0, 0x8b)},
                                 {0.9, QColor(0x91, 0xcf, 0x60)}, {1.0, QColor(0x1a, 0x98, 0x50)}};
    const double t = scalePosition(relative);
    for (size_t i = 1; i < std::size(stops); ++i) {
        if (t > stops[i].t)
            continue;
        const Stop &a = stops[i - 1], &b = stops[i];
        const double f = (t - a.t) / (b.t - a.t);
        return QColor::fromRgbF(float(a.colour.redF() + f * (b.colour.redF() - a.colour.redF())),
                                float(a.colour.greenF() + f * (b.colour.greenF() - a.colour.greenF())),
                                float(a.colour.blueF() + f * (b.colour.blueF() - a.colour.blueF())));
    }
    return stops[std::size(stops) - 1].colour;
}

SensitivityHeatmap::SensitivityHeatmap(QWidget *parent)
    : QWidget(parent), m_palette(ChartPalette::forTheme(m_theme)), m_font(ChartView::defaultChartFont())
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void SensitivityHeatmap::setGrid(const QStringList &layers, const QVector<double> &ratios)
{
    m_layers = layers;
    m_ratios = ratios;
    m_rowOf.clear();
    for (int i = 0; i < layers.size(); ++i)
        m_rowOf.insert(layers[i], i);
    m_scores = QVector<QVector<double>>(layers.size(), QVector<double>(ratios.size(), kNaN));
    m_chosen = QVector<int>(layers.size(), -1);
    updateGeometry();
    update();
}

void SensitivityHeatmap::setBaseline(double top1)
{
    m_baseline = top1;
    update();
}

int SensitivityHeatmap::columnOf(double ratio) const
{
    for (int c = 0; c < m_ratios.size(); ++c)
        if (std::abs(m_ratios[c] - ratio) < 1e-9)
            return c;
    return -1;
}

void SensitivityHeatmap::setScore(const QString &layer, double ratio, double score)
{
    const int row = m_rowOf.value(layer, -1), column = columnOf(ratio);
    if (row < 0 || column < 0)
        return;
    m_scores[row][column] = score;
    update();
}

void SensitivityHeatmap::clearScores()
{
    for (QVector<double> &row : m_scores)
        std::fill(row.begin(), row.end(), kNaN);
    update();
}

double SensitivityHeatmap::score(const QString &layer, double ratio) const
{
    const int row = m_rowOf.value(layer, -1), column = columnOf(ratio);
    return row < 0 || column < 0 ? kNaN : m_scores[row][column];
}

int SensitivityHeatmap::filledCells() const
{
    int n = 0;
    for (const QVector<double> &row : m_scores)
        n += int(std::count_if(row.begin(), row.end(), [](double v) { return !std::isnan(v); }));
    return n;
}

void SensitivityHeatmap::setChosenRatio(const QString &layer, double ratio)
{
    const int row = m_rowOf.value(layer, -1);
    if (row < 0)
        return;
    m_chosen[row] = columnOf(ratio);
    update();
}

void SensitivityHeatmap::setChosenRatios(const QHash<QString, double> &ratios)
{
    std::fill(m_chosen.begin(), m_chosen.end(), -1);
    for (auto it = ratios.begin(); it != ratios.end(); ++it)
        if (const int row = m_rowOf.value(it.key(), -1); row >= 0)
            m_chosen[row] = columnOf(it.value());
    update();
}

void SensitivityHeatmap::clearChosenRatios()
{
    std::fill(m_chosen.begin(), m_chosen.end(), -1);
    update();
}

double SensitivityHeatmap::chosenRatio(const QString &layer) const
{
    const int row = m_rowOf.value(layer, -1);
    return row < 0 || m_chosen[row] < 0 ? -1 : m_ratios[m_chosen[row]];
}

void SensitivityHeatmap::setSelectedLayer(const QString &name)
{
    m_selected = name;
    update();
}

void SensitivityHeatmap::setTitle(const QString &title, const QString &subtitle)
{
    m_title = title;
    m_subtitle = subtitle;
    update();
}

QString SensitivityHeatmap::titleText() const
{
    return m_subtitle.isEmpty() ? m_title : m_title + QStringLiteral(" - ") + m_subtitle;
}

void SensitivityHeatmap::setTheme(ChartTheme theme)
{
    m_theme = theme;
    m_palette = ChartPalette::forTheme(theme);
    update();
}

void SensitivityHeatmap::setChartFont(const QFont &font)
{
    m_font = font;
    updateGeometry();
    update();
}

QFont SensitivityHeatmap::font(int pixelSize, bool bold) const
{
    QFont f = m_font;
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

double SensitivityHeatmap::relative(double score) const
{
    double reference = m_baseline;
    if (reference <= 0) // no baseline yet: relative to the best cell
        for (const QVector<double> &row : m_scores)
            for (double v : row)
                if (!std::isnan(v))
                    reference = std::max(reference, v);
    return reference > 0 ? score / reference : 1.0;
}

SensitivityHeatmap::Geometry SensitivityHeatmap::geometryFor(const QSize &size) const
{
    Geometry g;
    const double w = size.width(), h = size.height();
    const double titleH = m_title.isEmpty() ? 0 : (m_subtitle.isEmpty() ? 22 : 38);
    g.title = QRectF(kMargin, kMargin, w - 2 * kMargin, titleH);
    const QFontMetricsF fm(font(m_font.pixelSize(), true)); // the selected layer's bold name fits too
    double labelW = 60;
    for (const QString &l : m_layers)
        labelW = std::max(labelW, fm.horizontalAdvance(l) + 12);
    labelW = std::min(labelW, 0.4 * w);
    const double top = kMargin + titleH + kHeaderHeight;
    const double gridH = std::max(1.0, h - top - kAxisHeight - kMargin);
    g.labels = QRectF(kMargin, top, labelW, gridH);
    g.legend = QRectF(w - kMargin - kLegendWidth, top, kLegendWidth, gridH);
    g.grid = QRectF(kMargin + labelW, top, std::max(1.0, g.legend.left() - 12 - kMargin - labelW), gridH);
    g.cellW = m_ratios.isEmpty() ? 0 : g.grid.width() / m_ratios.size();
    g.cellH = m_layers.isEmpty() ? 0 : g.grid.height() / m_layers.size();
    return g;
}

void SensitivityHeatmap::paint(QPainter &p, const QSize &size) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRect(QPoint(0, 0), size), m_palette.background);
    const Geometry g = geometryFor(size);
    paintTitle(p, g);
    paintCells(p, g);
    paintLabels(p, g);
    paintLegend(p, g);
}

void SensitivityHeatmap::paintTitle(QPainter &p, const Geometry &g) const
{
    p.setPen(m_palette.text);
    p.setFont(font(m_font.pixelSize() + 2, true));
    p.drawText(QRectF(g.title.left(), g.title.top(), g.title.width(), 20), Qt::AlignHCenter | Qt::AlignVCenter, m_title);
    if (!m_subtitle.isEmpty()) {
        p.setFont(font(m_font.pixelSize()));
        p.drawText(QRectF(g.title.left(), g.title.top() + 20, g.title.width(), 16), Qt::AlignHCenter | Qt::AlignVCenter,
                   m_subtitle);
    }
}

void SensitivityHeatmap::paintCells(QPainter &p, const Geometry &g) const
{
    const bool showValues = g.cellH >= 13 && g.cellW >= 38;
    p.setFont(font(std::min(m_font.pixelSize(), int(g.cellH) - 2)));
    for (int r = 0; r < m_layers.size(); ++r) {
        for (int c = 0; c < m_ratios.size(); ++c) {
            const QRectF cell(g.grid.left() + c * g.cellW, g.grid.top() + r * g.cellH, g.cellW, g.cellH);
            const double v = m_scores[r][c];
            if (std::isnan(v)) {
                p.fillRect(cell, QBrush(m_palette.grid, Qt::BDiagPattern));
                continue;
            }
            const QColor colour = heatmapColour(relative(v));
            p.fillRect(cell, colour);
            if (showValues) {
                p.setPen(colour.lightnessF() > 0.55 ? QColor(0x20, 0x20, 0x20) : QColor(0xf4, 0xf4, 0xf4));
                p.drawText(cell, Qt::AlignCenter, QString::number(100.0 * v, 'f', 1));
            }
        }
    }
    p.setPen(QPen(m_palette.background, 1));
    for (int c = 1; c < m_ratios.size(); ++c)
        p.drawLine(QPointF(g.grid.left() + c * g.cellW, g.grid.top()), QPointF(g.grid.left() + c * g.cellW, g.grid.bottom()));
    if (g.cellH >= 4)
        for (int r = 1; r < m_layers.size(); ++r)
            p.drawLine(QPointF(g.grid.left(), g.grid.top() + r * g.cellH), QPointF(g.grid.right(), g.grid.top() + r * g.cellH));
    // Chosen ratios: an outline in the text colour with a contrasting inner line, visible on any cell.
    for (int r = 0; r < m_layers.size(); ++r) {
        if (m_chosen[r] < 0)
            continue;
        const QRectF cell(g.grid.left() + m_chosen[r] * g.cellW, g.grid.top() + r * g.cellH, g.cellW, g.cellH);
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(m_palette.text, 3));
        p.drawRect(cell.adjusted(1.5, 1.5, -1.5, -1.5));
        p.setPen(QPen(m_palette.background, 1));
        p.drawRect(cell.adjusted(3.5, 3.5, -3.5, -3.5));
    }
}

void SensitivityHeatmap::paintLabels(QPainter &p, const Geometry &g) const
{
    const int px = std::max(7, std::min(m_font.pixelSize(), int(g.cellH)));
    for (int r = 0; r < m_layers.size(); ++r) {
        const bool selected = m_layers[r] == m_selected;
        const QRectF row(g.labels.left(), g.labels.top() + r * g.cellH, g.labels.width() - 6, g.cellH);
        if (selected)
            p.fillRect(QRectF(row.left(), row.top(), g.labels.width(), row.height()), m_palette.grid);
        const QFont f = font(px, selected);
        p.setFont(f);
        p.setPen(m_palette.text);
        p.drawText(row, Qt::AlignRight | Qt::AlignVCenter, QFontMetricsF(f).elidedText(m_layers[r], Qt::ElideLeft, row.width()));
    }
    p.setFont(font(m_font.pixelSize()));
    for (int c = 0; c < m_ratios.size(); ++c)
        p.drawText(QRectF(g.grid.left() + c * g.cellW, g.grid.top() - kHeaderHeight, g.cellW, kHeaderHeight - 2),
                   Qt::AlignHCenter | Qt::AlignBottom, ratioText(m_ratios[c]));
    p.drawText(QRectF(g.grid.left(), g.grid.bottom() + 2, g.grid.width(), kAxisHeight - 2), Qt::AlignHCenter | Qt::AlignTop,
               tr("ratio kept (columns) per layer (rows)"));
}

void SensitivityHeatmap::paintLegend(QPainter &p, const Geometry &g) const
{
    const QRectF &l = g.legend;
    p.setPen(m_palette.text);
    p.setFont(font(m_font.pixelSize()));
    p.drawText(QRectF(l.left(), l.top() - kHeaderHeight, l.width(), kHeaderHeight - 2), Qt::AlignLeft | Qt::AlignBottom,
               tr("top-1 / baseline"));
    const QRectF bar(l.left(), l.top(), 14, std::max(20.0, l.height() - 30));
    QLinearGradient gradient(bar.topLeft(), bar.bottomLeft());
    for (int i = 0; i <= 20; ++i) {
        const double t = i / 20.0; // scale position, 1 at the top
        gradient.setColorAt(1.0 - t, heatmapColour(std::pow(t, 0.25)));
    }
    p.fillRect(bar, gradient);
    p.setPen(QPen(m_palette.axis, 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar);
    for (double r : {1.0, 0.95, 0.9, 0.8, 0.5, 0.0}) {
        const double y = bar.bottom() - scalePosition(r) * bar.height();
        p.setPen(QPen(m_palette.axis, 1));
        p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        p.setPen(m_palette.text);
        p.drawText(QRectF(bar.right() + 6, y - 8, l.width() - 20, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(100.0 * r, 'g', 3) + QLatin1Char('%'));
    }
    const QRectF swatch(l.left(), bar.bottom() + 12, 14, 12);
    p.fillRect(swatch, QBrush(m_palette.grid, Qt::BDiagPattern));
    p.setPen(QPen(m_palette.axis, 1));
    p.drawRect(swatch);
    p.setPen(m_palette.text);
    p.drawText(QRectF(swatch.right() + 6, swatch.top() - 2, l.width() - 20, 16), Qt::AlignLeft | Qt::AlignVCenter,
               tr("pending"));
}

void SensitivityHeatmap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    paint(p, size());
}

QImage SensitivityHeatmap::toImage(const QSize &size) const
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(m_palette.background);
    QPainter p(&image);
    paint(p, size);
    p.end();
    return image.convertToFormat(QImage::Format_RGB32);
}

QByteArray SensitivityHeatmap::toPng(const QSize &size) const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    toImage(size).save(&buffer, "PNG");
    return bytes;
}

QByteArray SensitivityHeatmap::toSvg(const QSize &size) const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(96);
    generator.setTitle(titleText());
    generator.setDescription(QStringLiteral("Quantscope chart"));
    QPainter p(&generator);
    paint(p, size);
    p.end();
    return bytes;
}

bool SensitivityHeatmap::exportTo(const QString &path, const QSize &size, QString *error) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg")) {
        *error = path + ChartView::tr(": unknown image type (use .png or .svg)");
        return false;
    }
    const QByteArray bytes = suffix == QLatin1String("png") ? toPng(size) : toSvg(size);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = path + ChartView::tr(": cannot write (%1)").arg(file.errorString());
        return false;
    }
    return true;
}

void SensitivityHeatmap::copyToClipboard(const QSize &size) const
{
    const QSize s = size.isEmpty() ? this->size() : size;
    auto *mime = new QMimeData;
    mime->setImageData(toImage(s));
    mime->setData(QStringLiteral("image/svg+xml"), toSvg(s));
    QApplication::clipboard()->setMimeData(mime);
}

QRect SensitivityHeatmap::cellRect(int row, int column) const
{
    if (row < 0 || row >= m_layers.size() || column < 0 || column >= m_ratios.size())
        return {};
    const Geometry g = geometryFor(size());
    return QRectF(g.grid.left() + column * g.cellW, g.grid.top() + row * g.cellH, g.cellW, g.cellH).toAlignedRect();
}

QString SensitivityHeatmap::cellText(int row, int column) const
{
    if (row < 0 || row >= m_layers.size() || column < 0 || column >= m_ratios.size() || std::isnan(m_scores[row][column]))
        return {};
    const double v = m_scores[row][column];
    QString text = tr("%1 at ratio %2: top-1 %3").arg(m_layers[row], ratioText(m_ratios[column]), percentText(v));
    if (m_baseline >= 0)
        text += tr(" (%1 points against %2)").arg(QString::asprintf("%+.2f", 100.0 * (v - m_baseline)), percentText(m_baseline));
    return text;
}

bool SensitivityHeatmap::cellAt(const QPointF &pos, int *row, int *column) const
{
    const Geometry g = geometryFor(size());
    if (!g.grid.contains(pos) || g.cellW <= 0 || g.cellH <= 0)
        return false;
    *row = std::min(int((pos.y() - g.grid.top()) / g.cellH), int(m_layers.size()) - 1);
    *column = std::min(int((pos.x() - g.grid.left()) / g.cellW), int(m_ratios.size()) - 1);
    return true;
}

void SensitivityHeatmap::mouseMoveEvent(QMouseEvent *event)
{
    int row = 0, column = 0;
    const QString text = cellAt(event->position(), &row, &column) ? cellText(row, column) : QString();
    if (text == m_lastTip)
        return;
    m_lastTip = text;
    if (text.isEmpty())
        QToolTip::hideText();
    else if (isVisible())
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    Q_EMIT valueHovered(text);
}

void SensitivityHeatmap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    int row = 0, column = 0;
    if (cellAt(event->position(), &row, &column)) {
        Q_EMIT ratioClicked(m_layers[row], m_ratios[column]);
        return;
    }
    const Geometry g = geometryFor(size());
    if (g.labels.contains(event->position()) && g.cellH > 0) {
        const int r = std::min(int((event->position().y() - g.labels.top()) / g.cellH), int(m_layers.size()) - 1);
        if (r >= 0)
            Q_EMIT layerClicked(m_layers[r]);
    }
}

void SensitivityHeatmap::leaveEvent(QEvent *event)
{
    if (!m_lastTip.isEmpty()) {
        m_lastTip.clear();
        QToolTip::hideText();
        Q_EMIT valueHovered(QString());
    }
    QWidget::leaveEvent(event);
}

void SensitivityHeatmap::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(ChartView::tr("Copy Image"));
    QAction *save = menu.addAction(ChartView::tr("Export Image..."));
    QAction *chosen = menu.exec(event->globalPos());
    if (chosen == copy) {
        copyToClipboard();
    } else if (chosen == save) {
        const QString path = QFileDialog::getSaveFileName(this, ChartView::tr("Export Chart"), QString(),
                                                          ChartView::tr("PNG image (*.png);;SVG image (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportTo(path, size(), &error))
            QToolTip::showText(event->globalPos(), error, this);
    }
}

void SensitivityHeatmap::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        update();
    QWidget::changeEvent(event);
}

QSize SensitivityHeatmap::sizeHint() const
{
    return QSize(760, int(std::max<qsizetype>(8, m_layers.size()) * 20 + 110));
}

QSize SensitivityHeatmap::minimumSizeHint() const
{
    return QSize(420, int(std::max<qsizetype>(4, m_layers.size()) * 10 + 110));
}

} // namespace qs
