// The application as a user starts it (the README's run command, `build/bin/quantscope`), under
// Xvfb: it opens the bundled demo and draws its charts. --screenshot captures the window once the
// demo and its equalized statistics are shown and prints the window title. Skipped with a
// message when xvfb-run (package xvfb) is not installed.

#include "testutil.h"

#include <QColor>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestGuiXvfb : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsDemo();
};

void TestGuiXvfb::showsDemo()
{
    const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (xvfb.isEmpty())
        QSKIP("xvfb-run not found (install the package xvfb): the application is not started under Xvfb");
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("demo.png"));
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the xcb platform on the Xvfb display
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
    app.setProcessEnvironment(env);
    app.start(xvfb, {QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1600x1000x24"),
                     qs::test::binaryDir() + QStringLiteral("/bin/quantscope"), QStringLiteral("--theme"),
                     QStringLiteral("light"), QStringLiteral("--screenshot"), shot});
    QVERIFY(app.waitForFinished(120000));
    const QString out = QString::fromLocal8Bit(app.readAllStandardOutput());
    QVERIFY2(app.exitCode() == 0, qPrintable(QString::fromLocal8Bit(app.readAllStandardError())));
    QVERIFY2(out.contains(QStringLiteral(": Quantscope - fashion_mnist_cnn.onnx, ")), qPrintable(out));
    const QImage image(shot);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800 && image.height() >= 500);
    // The weight-range chart's boxes are filled with the light palette's (translucent) primary blue;
    // the rest of the light window is grey, white or the selection's highlight.
    int blue = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c(image.pixel(x, y));
            blue += c.blue() - c.red() > 80 && c.green() < 170 ? 1 : 0;
        }
    qInfo("%s; %d pixels of the chart's box colour", qPrintable(out.trimmed()), blue);
    QVERIFY(blue > 2000);
}

QTEST_APPLESS_MAIN(TestGuiXvfb)
#include "tst_gui_xvfb.moc"
