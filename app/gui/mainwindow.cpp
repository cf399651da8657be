#include "mainwindow.h"

#include "panels/layertablemodel.h"

#include "core/error.h"
#include "graph/costmodel.h"
#include "onnx/onnximport.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

struct LoadedModel {
    QString path;
    QString error;
    Graph graph;
    ModelCost cost;
};

namespace {

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << (d < 0 ? QStringLiteral("?") : QString::number(d));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

std::shared_ptr<LoadedModel> loadModel(const QString &path)
{
    auto m = std::make_shared<LoadedModel>();
    m->path = path;
    Result<Graph> g = Error{ErrorCode::Io, ""};
    if (path.startsWith(QLatin1Char(':'))) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            m->error = path + QStringLiteral(": cannot read the bundled model");
            return m;
        }
        const QByteArray bytes = f.readAll();
        g = importOnnxBytes(bytes.toStdString(), path.toStdString(), "");
    } else {
        g = importOnnx(path.toStdString());
    }
    if (!g.ok()) {
        m->error = QString::fromStdString(g.error().message);
        return m;
    }
    m->graph = std::move(g.value());
    m->cost = computeCost(m->graph);
    return m;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Quantscope"));
    m_layers = new LayerTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_layers);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(LayerTableModel::Name);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_overview = new QLabel(tr("No model loaded."), central);
    m_overview->setTextFormat(Qt::PlainText);
    m_overview->setWordWrap(true);
    m_overview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filter = new QLineEdit(central);
    m_filter->setPlaceholderText(tr("Filter layers (regular expression)"));
    m_filter->setClearButtonEnabled(true);
    m_table = new QTableView(central);
    m_table->setModel(m_proxy);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // graph order until a click
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_overview);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    setCentralWidget(central);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_proxy->setFilterRegularExpression(QRegularExpression(text, QRegularExpression::CaseInsensitiveOption));
    });
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<LoadedModel>>::finished, this, &MainWindow::onLoaded);
    createActions();
    statusBar()->showMessage(tr("Ready"));
    resize(1000, 700);
}

MainWindow::~MainWindow()
{
    m_watcher.waitForFinished();
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Model..."));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open Model"), QString(), tr("ONNX models (*.onnx);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::openModel(const QString &path)
{
    if (m_watcher.isRunning())
        return;
    statusBar()->showMessage(tr("Loading %1...").arg(path));
    m_watcher.setFuture(QtConcurrent::run(loadModel, path));
}

bool MainWindow::isLoading() const { return m_watcher.isRunning(); }

int MainWindow::layerCount() const { return m_layers->rowCount(); }

void MainWindow::onLoaded()
{
    const std::shared_ptr<LoadedModel> m = m_watcher.result();
    if (!m->error.isEmpty()) {
        statusBar()->showMessage(m->error);
        Q_EMIT modelFailed(m->error);
        return;
    }
    m_path = m->path;
    showOverview(*m);
    QVector<LayerRow> rows;
    for (const LayerCost &l : m->cost.layers)
        rows.push_back({QString::fromStdString(l.name), QString::fromStdString(l.opType), shapeText(l.weightShape),
                        shapeText(l.outputShape), l.params, l.macs});
    m_layers->setRows(std::move(rows));
    m_table->resizeColumnsToContents();
    setWindowTitle(tr("Quantscope - %1").arg(QFileInfo(m->path).fileName()));
    statusBar()->showMessage(tr("Loaded %1").arg(m->path));
    Q_EMIT modelLoaded(m->path);
}

void MainWindow::showOverview(const LoadedModel &m)
{
    QStringList ops;
    for (const auto &kv : m.graph.opHistogram())
        ops << QStringLiteral("%1 %2").arg(QString::fromStdString(kv.first)).arg(kv.second);
    QStringList io;
    for (const auto &vi : m.graph.inputs)
        io << tr("input %1 %2").arg(QString::fromStdString(vi.name), shapeText(vi.shape));
    for (const auto &vi : m.graph.outputs)
        io << tr("output %1 %2").arg(QString::fromStdString(vi.name), shapeText(vi.shape));
    const QString summary = tr("%1 nodes, %2 parameters, %3 MACs per sample")
                                .arg(m.graph.nodes.size())
                                .arg(QLocale::c().toString(qlonglong(m.cost.params)))
                                .arg(QLocale::c().toString(qlonglong(m.cost.macs)));
    m_overview->setText(QFileInfo(m.path).fileName() + QLatin1Char('\n') + io.join(QStringLiteral(", ")) +
                        QLatin1Char('\n') + summary + QLatin1Char('\n') + ops.join(QStringLiteral(", ")));
}

} // namespace qs
