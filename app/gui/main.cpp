// quantscope: the desktop application. With no model argument it opens the bundled demo model.

#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Quantscope"));
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Quantscope: quantization and compression workbench"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("model"), QStringLiteral("ONNX model to open"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render the window to FILE (PNG) once the model is loaded, then quit."),
                                  QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    qs::MainWindow window;
    const QStringList args = parser.positionalArguments();
    const QString model = args.isEmpty() ? QStringLiteral(":/demo/fashion_mnist_cnn.onnx") : args.first();
    if (parser.isSet(screenshot)) {
        const QString out = parser.value(screenshot);
        // Deferred so the layout has settled after the model's views were filled.
        auto grab = [&window, out](int status) {
            QTimer::singleShot(100, &window, [&window, out, status] {
                QApplication::exit(window.grab().save(out) ? status : 1);
            });
        };
        QObject::connect(&window, &qs::MainWindow::modelLoaded, &window, [grab] { grab(0); });
        QObject::connect(&window, &qs::MainWindow::modelFailed, &window, [grab](const QString &message) {
            std::fprintf(stderr, "error: %s\n", qPrintable(message));
            grab(1);
        });
    }
    window.show();
    window.openModel(model);
    return app.exec();
}
