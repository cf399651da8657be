// QDQ models from encodings.

#include <QTest>

class TestQdq : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() {}
};

QTEST_APPLESS_MAIN(TestQdq)
#include "tst_qdq.moc"
