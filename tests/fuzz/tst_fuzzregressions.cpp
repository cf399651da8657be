// Replays the inputs the fuzz targets once crashed on (tests/fuzz/regressions/<target>/<case>)
// through the same entries, in the normal build: each must now give the one-line outcome stored
// beside it in <case>.expected (an error message, or "ok: ..." with what was read).

#include "fuzzentries.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QTest>

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void replay_data();
    void replay();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    const QDir root(qs::test::sourceDir() + QStringLiteral("/tests/fuzz/regressions"));
    int cases = 0;
    for (const auto &target : qs::fuzz::targets()) {
        const QDir dir(root.filePath(QString::fromLatin1(target.name)));
        for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
            if (name.endsWith(QStringLiteral(".expected")))
                continue;
            QTest::newRow(qPrintable(QString::fromLatin1(target.name) + QLatin1Char('/') + name))
                << QString::fromLatin1(target.name) << dir.filePath(name);
            ++cases;
        }
    }
    QVERIFY2(cases > 0, qPrintable(root.path()));
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    QFile input(file);
    QVERIFY(input.open(QIODevice::ReadOnly));
    QFile expectedFile(file + QStringLiteral(".expected"));
    QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(expectedFile.fileName()));
    const QByteArray bytes = input.readAll();
    const std::string outcome = qs::fuzz::findTarget(target.toStdString())->run(bytes.toStdString());
    QCOMPARE(QString::fromStdString(outcome), QString::fromUtf8(expectedFile.readAll()).trimmed());
}

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "tst_fuzzregressions.moc"
