#include "charts/chartview.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QBuffer>
#include <QChart>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QCursor>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QLegend>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QToolTip>

namespace qs {

ChartView::ChartView(QWidget *parent)
    : QChartView(parent), m_palette(ChartPalette::forTheme(m_theme)), m_font(defaultChartFont())
{
    QChart *c = chart();
    c->setAnimationOptions(QChart::NoAnimation);
    c->setBackgroundRoundness(0);
    c->setDropShadowEnabled(false);
    c->setMargins(QMargins(6, 6, 6, 6));
    c->setLocalizeNumbers(false);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
}

QFont ChartView::defaultChartFont()
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(11);
    f.setStyleHint(QFont::SansSerif);
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

void ChartView::setTheme(ChartTheme theme)
{
    m_theme = theme;
    m_palette = ChartPalette::forTheme(theme);
    rebuild();
}

void ChartView::setChartFont(const QFont &font)
{
    m_font = font;
    rebuild();
}

QFont ChartView::scaledFont(int pixelSize, bool bold) const
{
    QFont f = m_font;
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

void ChartView::styleChart(const QString &title, const QString &subtitle)
{
    QChart *c = chart();
    c->setTheme(m_theme == ChartTheme::Dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->setBackgroundRoundness(0);
    c->setDropShadowEnabled(false);
    c->setBackgroundBrush(m_palette.background);
    c->setBackgroundPen(Qt::NoPen);
    c->setPlotAreaBackgroundBrush(m_palette.plotArea);
    c->setPlotAreaBackgroundVisible(true);
    m_title = subtitle.isEmpty() ? title : title + QStringLiteral(" - ") + subtitle;
    // Rich text so the subtitle can sit on its own, lighter line.
    QString html = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
    if (!subtitle.isEmpty())
        html += QStringLiteral("<br><span style=\"font-size:%1px\">%2</span>").arg(m_font.pixelSize()).arg(subtitle.toHtmlEscaped());
    c->setTitle(QStringLiteral("<center>%1</center>").arg(html));
    c->setTitleFont(scaledFont(m_font.pixelSize() + 2));
    c->setTitleBrush(m_palette.text);
    QLegend *legend = c->legend();
    legend->setFont(m_font);
    legend->setLabelColor(m_palette.text);
    legend->setAlignment(Qt::AlignBottom);
    legend->setBackgroundVisible(false);
}

void ChartView::styleAxis(QAbstractAxis *axis, const QString &title)
{
    axis->setTitleText(title);
    axis->setTitleFont(m_font);
    axis->setTitleBrush(m_palette.text);
    axis->setLabelsFont(m_font);
    axis->setLabelsColor(m_palette.text);
    axis->setLinePenColor(m_palette.axis);
    axis->setGridLineColor(m_palette.grid);
    axis->setMinorGridLineColor(m_palette.grid);
}

// The chart is laid out at the export size and put back afterwards, so the picture does not
// depend on the widget's current size or visibility.
void ChartView::render(QPainter &painter, const QSize &size)
{
    QChart *c = chart();
    const QRectF saved = c->geometry();
    c->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    if (QGraphicsLayout *layout = c->layout())
        layout->activate();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    scene()->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), c->geometry());
    c->setGeometry(saved);
    if (QGraphicsLayout *layout = c->layout())
        layout->activate();
}

QImage ChartView::toImage(const QSize &size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(m_palette.background);
    QPainter painter(&image);
    render(painter, size);
    painter.end();
    return image.convertToFormat(QImage::Format_RGB32);
}

QByteArray ChartView::toPng(const QSize &size)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    toImage(size).save(&buffer, "PNG");
    return bytes;
}

QByteArray ChartView::toSvg(const QSize &size)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(96); // CSS pixels: the SVG's width and height equal `size`
    generator.setTitle(m_title);
    generator.setDescription(QStringLiteral("Quantscope chart"));
    QPainter painter(&generator);
    painter.fillRect(QRect(QPoint(0, 0), size), m_palette.background);
    render(painter, size);
    painter.end();
    return bytes;
}

bool ChartView::exportTo(const QString &path, const QSize &size, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg")) {
        *error = path + tr(": unknown image type (use .png or .svg)");
        return false;
    }
    const QByteArray bytes = suffix == QLatin1String("png") ? toPng(size) : toSvg(size);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = path + tr(": cannot write (%1)").arg(file.errorString());
        return false;
    }
    return true;
}

void ChartView::copyToClipboard(const QSize &size)
{
    const QSize s = size.isEmpty() ? this->size() : size;
    auto *mime = new QMimeData;
    mime->setImageData(toImage(s));
    mime->setData(QStringLiteral("image/svg+xml"), toSvg(s));
    QApplication::clipboard()->setMimeData(mime);
}

void ChartView::showValueTip(const QString &text)
{
    m_lastTip = text;
    if (isVisible())
        QToolTip::showText(QCursor::pos(), text, this);
    Q_EMIT valueHovered(text);
}

void ChartView::hideValueTip()
{
    m_lastTip.clear();
    QToolTip::hideText();
    Q_EMIT valueHovered(QString());
}

void ChartView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copy = menu.addAction(tr("Copy Image"));
    QAction *save = menu.addAction(tr("Export Image..."));
    QAction *chosen = menu.exec(event->globalPos());
    if (chosen == copy) {
        copyToClipboard();
    } else if (chosen == save) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), QString(),
                                                          tr("PNG image (*.png);;SVG image (*.svg)"));
        QString error;
        if (!path.isEmpty() && !exportTo(path, size(), &error))
            QToolTip::showText(event->globalPos(), error, this);
    }
}

} // namespace qs
