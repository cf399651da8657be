#pragma once
// Golden screenshots for the chart tests. An image matches its golden (tests/widgets/golden/NAME.png)
// when at most `maxFraction` of its pixels differ by more than `channelTolerance` in a colour
// channel (anti-aliasing and font rasterisation vary slightly between machines). On a mismatch
// NAME.actual.png and NAME.diff.png (differing pixels in red) are written to
// <build>/tests/golden-failures/. QS_UPDATE_GOLDEN=1 rewrites the goldens instead.
// Also: the fixed environment every chart test runs in (font, locale).

#include "testutil.h"

#include <QApplication>
#include <QDir>
#include <QFont>
#include <QFontDatabase>
#include <QFontInfo>
#include <QImage>
#include <QLocale>
#include <QString>

#include <algorithm>
#include <cstdlib>

namespace qs::test {

inline QString goldenDir()
{
    return sourceDir() + QStringLiteral("/tests/widgets/golden");
}

inline bool updatingGoldens()
{
    const char *env = std::getenv("QS_UPDATE_GOLDEN");
    return env && QByteArray(env) == "1";
}

// English locale, DejaVu Sans as the application font. False when DejaVu Sans is missing
// (package fonts-dejavu-core), which would make every golden differ.
inline bool setUpChartEnvironment()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(11);
    QApplication::setFont(font);
    return QFontInfo(font).family() == QStringLiteral("DejaVu Sans");
}

struct ImageDiff {
    int differing = 0;
    int total = 0;
    QImage diff;
};

inline ImageDiff diffImages(const QImage &a, const QImage &b, int channelTolerance)
{
    ImageDiff d;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    d.total = x.width() * x.height();
    d.diff = QImage(x.size(), QImage::Format_RGB32);
    for (int r = 0; r < x.height(); ++r) {
        const QRgb *p = reinterpret_cast<const QRgb *>(x.constScanLine(r));
        const QRgb *q = reinterpret_cast<const QRgb *>(y.constScanLine(r));
        QRgb *o = reinterpret_cast<QRgb *>(d.diff.scanLine(r));
        for (int c = 0; c < x.width(); ++c) {
            const int delta = std::max({std::abs(qRed(p[c]) - qRed(q[c])), std::abs(qGreen(p[c]) - qGreen(q[c])),
                                        std::abs(qBlue(p[c]) - qBlue(q[c]))});
            const int grey = 128 + qGray(p[c]) / 2;
            o[c] = delta > channelTolerance ? qRgb(255, 0, 0) : qRgb(grey, grey, grey);
            d.differing += delta > channelTolerance ? 1 : 0;
        }
    }
    return d;
}

// Empty when `actual` matches the golden `name`, else a one-line reason.
inline QString compareWithGolden(const QImage &actual, const QString &name, int channelTolerance = 64,
                                  double maxFraction = 0.002)
{
    const QString goldenPath = goldenDir() + QLatin1Char('/') + name + QStringLiteral(".png");
    if (updatingGoldens()) {
        QDir().mkpath(goldenDir());
        return actual.save(goldenPath, "PNG") ? QString() : QStringLiteral("cannot write ") + goldenPath;
    }
    const QImage golden(goldenPath);
    if (golden.isNull())
        return goldenPath + QStringLiteral(": missing (run with QS_UPDATE_GOLDEN=1 to create it)");
    const QString outDir = binaryDir() + QStringLiteral("/tests/golden-failures");
    if (golden.size() != actual.size()) {
        QDir().mkpath(outDir);
        actual.save(outDir + QLatin1Char('/') + name + QStringLiteral(".actual.png"));
        return QStringLiteral("%1: size %2x%3, golden %4x%5")
            .arg(name)
            .arg(actual.width())
            .arg(actual.height())
            .arg(golden.width())
            .arg(golden.height());
    }
    const ImageDiff d = diffImages(actual, golden, channelTolerance);
    if (d.differing <= maxFraction * d.total)
        return QString();
    QDir().mkpath(outDir);
    actual.save(outDir + QLatin1Char('/') + name + QStringLiteral(".actual.png"));
    d.diff.save(outDir + QLatin1Char('/') + name + QStringLiteral(".diff.png"));
    return QStringLiteral("%1: %2 of %3 pixels differ (tolerance %4), see %5")
        .arg(name)
        .arg(d.differing)
        .arg(d.total)
        .arg(int(maxFraction * d.total))
        .arg(outDir);
}

} // namespace qs::test
