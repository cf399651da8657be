// The main window on the offscreen platform: opening a model fills the layer table off the GUI
// thread; a bad file reports its one-line error.

#include "testutil.h"

#include "mainwindow.h"

#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace qs;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensDemoModel();
    void reportsBadFile();
};

void TestMainWindow::opensDemoModel()
{
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    const QString path = test::sourceDir() + QStringLiteral("/resources/demo/fashion_mnist_cnn.onnx");
    w.openModel(path);
    QVERIFY(loaded.wait(30000));
    QCOMPARE(w.modelPath(), path);
    QCOMPARE(w.layerCount(), 8); // stem, three depthwise + pointwise pairs, fc
    auto *table = w.findChild<QTableView *>();
    QVERIFY(table);
    QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("stem"));
    // pw1: 16 -> 32 channels, 1x1, on 14x14: 16 * 32 * 196 MACs.
    QCOMPARE(table->model()->index(2, 0).data().toString(), QStringLiteral("pw1"));
    QCOMPARE(table->model()->index(2, 5).data().toString(), QStringLiteral("100352"));
}

void TestMainWindow::reportsBadFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty.onnx"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    MainWindow w;
    QSignalSpy failed(&w, &MainWindow::modelFailed);
    w.openModel(path);
    QVERIFY(failed.wait(30000));
    QCOMPARE(failed.at(0).at(0).toString(), path + QStringLiteral(": empty file"));
    QCOMPARE(w.layerCount(), 0);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
