// quantscope: the desktop application. With no model argument it opens the bundled demo model.

#include "appsettings.h"
#include "mainwindow.h"

#include "data/dataset.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>

#include <cstdio>

namespace {

// Renders the window to `out` once the model (and its equalized statistics) are shown, then quits.
void screenshotWhenLoaded(qs::MainWindow &window, const QString &out)
{
    auto grab = [&window, out](int status) {
        // Deferred so the layout has settled after the model's views were filled.
        QTimer::singleShot(200, &window, [&window, out, status] {
            const QImage image = window.grab().toImage();
            const bool saved = image.save(out);
            // The title names the model shown, so scripts can check what was captured.
            std::printf("%s: %s, %dx%d\n", qPrintable(out), qPrintable(window.windowTitle()), image.width(),
                        image.height());
            std::fflush(stdout);
            QApplication::exit(saved ? status : 1);
        });
    };
    QObject::connect(&window, &qs::MainWindow::equalizedReady, &window, [grab] { grab(0); });
    QObject::connect(&window, &qs::MainWindow::modelFailed, &window, [grab](const QString &message) {
        std::fprintf(stderr, "error: %s\n", qPrintable(message));
        grab(1);
    });
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    qs::registerBuiltinDatasets(qs::DatasetRegistry::instance());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Quantscope: quantization and compression workbench"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("model"), QStringLiteral("ONNX model or session (.qss) to open"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the window to FILE (PNG) once the model is loaded, then quit."),
                                  QStringLiteral("FILE"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WIDTHxHEIGHT."), QStringLiteral("WxH"));
    QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark (overrides the setting)."),
                             QStringLiteral("THEME"));
    QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("system, en or de (overrides the setting)."),
                            QStringLiteral("LANG"));
    parser.addOptions({screenshot, size, theme, lang});
    parser.process(app);

    qs::installLanguage(parser.isSet(lang) ? parser.value(lang) : qs::languageChoice());
    qs::ThemeChoice themeChoice = qs::themeChoice();
    if (parser.isSet(theme))
        themeChoice = parser.value(theme) == QLatin1String("dark")    ? qs::ThemeChoice::Dark
                      : parser.value(theme) == QLatin1String("light") ? qs::ThemeChoice::Light
                                                                      : qs::ThemeChoice::System;
    qs::MainWindow window;
    window.applyThemeChoice(themeChoice);
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    const QStringList args = parser.positionalArguments();
    const QString path = args.isEmpty() ? QStringLiteral(":/demo/fashion_mnist_cnn.onnx") : args.first();
    if (parser.isSet(screenshot))
        screenshotWhenLoaded(window, parser.value(screenshot));
    window.show();
    if (path.endsWith(QLatin1String(".qss"), Qt::CaseInsensitive)) {
        QString error;
        if (!window.openSession(path, &error)) {
            std::fprintf(stderr, "error: %s\n", qPrintable(error));
            return 1;
        }
    } else {
        window.openModel(path);
    }
    return app.exec();
}
