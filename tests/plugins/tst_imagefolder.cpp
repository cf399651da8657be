// The image-folder data source on a generated folder of PNG files: ordering, both labelling modes,
// colour conversion and error messages.

#include "core/error.h"
#include "data/batch.h"
#include "datasets/imagefolderdataset.h"
#include "plugins.h"

#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace qs;

class TestImageFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void subFolderClasses();
    void classListFromWnids();
    void classListFromOptions();
    void classNotInList();
    void colourConversion();
    void jpegDecodes();
    void undecodableFileNamed();
    void emptyFolder();

private:
    QString dir(const QString &rel) const { return m_dir->path() + QLatin1Char('/') + rel; }
    std::string path(const QString &rel) const { return dir(rel).toStdString(); }
    void savePng(const QString &rel, QRgb colour) const;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DatasetRegistry> m_registry;
};

void TestImageFolder::savePng(const QString &rel, QRgb colour) const
{
    QDir().mkpath(QFileInfo(dir(rel)).path());
    QImage img(5, 3, QImage::Format_RGB888);
    img.fill(colour);
    img.setPixel(4, 2, qRgb(1, 2, 3));
    QVERIFY(img.save(dir(rel), "PNG"));
}

static void writeText(const std::string &path, const std::string &text)
{
    std::ofstream(path) << text;
}

void TestImageFolder::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_registry = std::make_unique<DatasetRegistry>();
    registerBuiltinDatasets(*m_registry);
    registerBuiltinPlugins(*m_registry);
}

void TestImageFolder::subFolderClasses()
{
    savePng("data/dog/c.png", qRgb(0, 0, 200));
    savePng("data/cat/b.png", qRgb(0, 100, 0));
    savePng("data/cat/a.png", qRgb(100, 0, 0));
    savePng("data/cat/deeper/d.PNG", qRgb(9, 9, 9));
    savePng("data/top.png", qRgb(50, 50, 50));
    savePng("data/.hidden/x.png", qRgb(1, 1, 1));
    QDir().mkpath(dir("data/empty"));
    writeText(path("data/cat/notes.txt"), "not an image");

    auto ds = m_registry->open(path("data"), {}).take();
    QCOMPARE(ds->kind(), std::string("imagefolder"));
    const auto &folder = dynamic_cast<const ImageFolderDataset &>(*ds);
    QCOMPARE(folder.classes(), (std::vector<std::string>{"cat", "dog", "empty"}));
    std::vector<std::string> names;
    for (const auto &f : folder.files())
        names.push_back(f.substr(path("data/").size()));
    QCOMPARE(names, (std::vector<std::string>{"cat/a.png", "cat/b.png", "cat/deeper/d.PNG", "dog/c.png", "top.png"}));
    QCOMPARE(ds->record(0).label, int64_t(0));
    QCOMPARE(ds->record(2).label, int64_t(0)); // nested folders take the top-level class
    QCOMPARE(ds->record(3).label, int64_t(1));
    QCOMPARE(ds->record(4).label, int64_t(-1)); // files in the folder itself have no class
    const Record r = ds->record(3);
    QCOMPARE(r.image.width, 5);
    QCOMPARE(r.image.height, 3);
    QCOMPARE(r.image.channels, 3);
    QCOMPARE(r.image.pixels[0], uint8_t(0));
    QCOMPARE(r.image.pixels[2], uint8_t(200));
    const size_t last = (2 * 5 + 4) * 3;
    QCOMPARE(std::vector<uint8_t>(r.image.pixels.begin() + last, r.image.pixels.end()), (std::vector<uint8_t>{1, 2, 3}));
}

void TestImageFolder::classListFromWnids()
{
    savePng("in/n01_tench.png", qRgb(10, 0, 0));
    savePng("in/n02_goldfish.png", qRgb(20, 0, 0));
    savePng("in/n01_other.png", qRgb(30, 0, 0));
    savePng("in/n02/val_0001.png", qRgb(40, 0, 0)); // prefix "val" unknown: the parent folder names the class
    writeText(path("in/wnids.txt"), "n02\nn01\n");
    auto ds = m_registry->open(path("in"), {}).take();
    // Order: n01_other, n01_tench, n02/val_0001, n02_goldfish (byte order of relative paths).
    QCOMPARE(ds->size(), int64_t(4));
    QCOMPARE(ds->record(0).image.pixels[0], uint8_t(30));
    QCOMPARE(ds->record(0).label, int64_t(1));
    QCOMPARE(ds->record(1).label, int64_t(1));
    QCOMPARE(ds->record(2).image.pixels[0], uint8_t(40));
    QCOMPARE(ds->record(2).label, int64_t(0));
    QCOMPARE(ds->record(3).label, int64_t(0));
}

void TestImageFolder::classListFromOptions()
{
    savePng("in/b_1.png", qRgb(10, 0, 0));
    savePng("in/a_2.png", qRgb(20, 0, 0));
    writeText(path("classes.txt"), "a first class\nb second class\n\n");
    DatasetOptions o;
    o.labels = path("classes.txt");
    auto ds = m_registry->open(path("in"), o).take();
    QCOMPARE(dynamic_cast<const ImageFolderDataset &>(*ds).classes(), (std::vector<std::string>{"a", "b"}));
    QCOMPARE(ds->record(0).label, int64_t(0));
    QCOMPARE(ds->record(1).label, int64_t(1));
}

void TestImageFolder::classNotInList()
{
    savePng("in/n01_a.png", qRgb(10, 0, 0));
    savePng("in/n03_b.png", qRgb(10, 0, 0));
    writeText(path("in/wnids.txt"), "n01\nn02\n");
    const auto r = m_registry->open(path("in"), {});
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message),
             dir("in/n03_b.png") + ": class 'n03' is not in the class list " + dir("in/wnids.txt"));
}

void TestImageFolder::colourConversion()
{
    QDir().mkpath(dir("c"));
    QImage gray(2, 1, QImage::Format_Grayscale8);
    gray.setPixel(0, 0, qRgb(77, 77, 77));
    gray.setPixel(1, 0, qRgb(200, 200, 200));
    QVERIFY(gray.save(dir("c/a_gray.png")));
    QImage alpha(1, 1, QImage::Format_ARGB32);
    alpha.setPixel(0, 0, qRgba(10, 20, 30, 128));
    QVERIFY(alpha.save(dir("c/b_alpha.png")));
    QImage indexed(1, 1, QImage::Format_Indexed8);
    indexed.setColorTable({qRgb(5, 6, 7), qRgb(250, 251, 252)});
    indexed.setPixel(0, 0, 1);
    QVERIFY(indexed.save(dir("c/c_palette.png")));

    auto ds = m_registry->open(path("c"), {}).take();
    QCOMPARE(ds->record(0).image.pixels, (std::vector<uint8_t>{77, 77, 77, 200, 200, 200}));
    QCOMPARE(ds->record(1).image.pixels, (std::vector<uint8_t>{10, 20, 30})); // alpha dropped, not composited
    QCOMPARE(ds->record(2).image.pixels, (std::vector<uint8_t>{250, 251, 252}));
}

void TestImageFolder::jpegDecodes()
{
    QDir().mkpath(dir("j"));
    QImage img(16, 8, QImage::Format_RGB888);
    img.fill(qRgb(128, 128, 128));
    QVERIFY(img.save(dir("j/x.jpg"), "JPEG", 95));
    auto ds = m_registry->open(path("j"), {}).take();
    const Record r = ds->record(0);
    QCOMPARE(r.image.width, 16);
    QCOMPARE(r.image.height, 8);
    QVERIFY(std::abs(int(r.image.pixels[0]) - 128) <= 1);
}

void TestImageFolder::undecodableFileNamed()
{
    savePng("bad/a.png", qRgb(10, 0, 0));
    writeText(path("bad/b.jpg"), "this is not a JPEG file");
    auto ds = m_registry->open(path("bad"), {}).take();
    const auto r = loadBatch(*ds, Preprocess{}, 0, 2, 2);
    QVERIFY(!r.ok());
    const QString msg = QString::fromStdString(r.error().message);
    QVERIFY2(msg.startsWith(dir("bad") + ": record 1: " + dir("bad/b.jpg") + ": cannot decode image ("), qPrintable(msg));
}

void TestImageFolder::emptyFolder()
{
    QDir().mkpath(dir("none/sub"));
    const auto r = m_registry->open(path("none"), {});
    QCOMPARE(QString::fromStdString(r.error().message),
             dir("none") + ": folder holds no image files (JPEG, PNG, BMP, PPM, GIF, TIFF, WebP)");
}

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
