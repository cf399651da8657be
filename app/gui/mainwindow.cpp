#include "mainwindow.h"

#include "chartspanel.h"
#include "compressionwizard.h"
#include "jobrunner.h"
#include "quantpanel.h"
#include "settingsdialog.h"

#include "charts/weightrangechart.h"
#include "panels/layerexplorer.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

namespace {

enum ActionId { OpenModel, OpenSession, SaveSession, SaveSessionAs, RecoverAutosave, Preferences, Quit, ActionCount };

constexpr int kMaxRecent = 8;

bool isSessionFile(const QString &path)
{
    return path.endsWith(QLatin1String(".qss"), Qt::CaseInsensitive) ||
           path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    m_jobs = new JobRunner(this);
    m_charts = new ChartsPanel(this);
    setCentralWidget(m_charts);
    createDocks();
    createActions();
    statusBar()->addPermanentWidget(m_jobs->createStatusWidget(statusBar()));
    m_autosavePath = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                     QStringLiteral("/autosave.qss");
    m_autosave.setInterval(30000);
    connect(&m_autosave, &QTimer::timeout, this, [this] {
        if (m_dirty)
            autosaveNow();
    });
    m_autosave.start();
    connect(&m_watcher, &QFutureWatcher<std::shared_ptr<ModelDocument>>::finished, this, &MainWindow::onLoaded);
    connect(&m_eqWatcher, &QFutureWatcher<std::vector<LayerWeightStats>>::finished, this, &MainWindow::onEqualized);
    connect(m_explorer, &LayerExplorer::currentLayerChanged, m_charts, &ChartsPanel::setSelectedLayer);
    connect(m_explorer, &LayerExplorer::currentLayerChanged, this, &MainWindow::markDirty);
    connect(m_charts, &ChartsPanel::layerClicked, this, [this](const QString &name) {
        if (!m_explorer->selectLayer(name))
            m_charts->setSelectedLayer(name); // hidden by the filter: the charts follow anyway
    });
    connect(m_quant, &QuantPanel::sensitivityChanged, this, &MainWindow::onSensitivityChanged);
    connect(m_quant, &QuantPanel::settingsChanged, this, &MainWindow::markDirty);
    connect(m_quant, &QuantPanel::runFinished, this, [this](bool, const QString &message) {
        statusBar()->showMessage(message);
        markDirty();
    });
    m_theme = effectiveTheme(themeChoice());
    m_charts->setTheme(m_theme);
    retranslate();
    statusBar()->showMessage(tr("Ready"));
    resize(1280, 800);
}

MainWindow::~MainWindow()
{
    m_jobs->cancel();
    m_jobs->waitForFinished();
    m_watcher.waitForFinished();
    m_eqWatcher.waitForFinished();
}

void MainWindow::createDocks()
{
    m_explorer = new LayerExplorer(this);
    m_layersDock = new QDockWidget(this);
    m_layersDock->setObjectName(QStringLiteral("layersDock"));
    m_layersDock->setWidget(m_explorer);
    addDockWidget(Qt::LeftDockWidgetArea, m_layersDock);

    m_overview = new QLabel(this);
    m_overview->setObjectName(QStringLiteral("overview"));
    m_overview->setTextFormat(Qt::PlainText);
    m_overview->setWordWrap(true);
    m_overview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_overview->setMargin(4);
    m_overviewDock = new QDockWidget(this);
    m_overviewDock->setObjectName(QStringLiteral("overviewDock"));
    m_overviewDock->setWidget(m_overview);
    addDockWidget(Qt::LeftDockWidgetArea, m_overviewDock);
    splitDockWidget(m_overviewDock, m_layersDock, Qt::Vertical);

    m_quant = new QuantPanel(m_jobs, this);
    m_quantDock = new QDockWidget(this);
    m_quantDock->setObjectName(QStringLiteral("quantDock"));
    m_quantDock->setWidget(m_quant);
    addDockWidget(Qt::BottomDockWidgetArea, m_quantDock);
    resizeDocks({m_layersDock}, {560}, Qt::Horizontal);
    resizeDocks({m_quantDock, m_overviewDock}, {290, 90}, Qt::Vertical);
}

void MainWindow::createActions()
{
    m_fileMenu = menuBar()->addMenu(QString());
    for (int i = 0; i < ActionCount; ++i)
        m_actions << new QAction(this);
    m_actions[OpenModel]->setShortcut(QKeySequence::Open);
    m_actions[SaveSession]->setShortcut(QKeySequence::Save);
    m_actions[Quit]->setShortcut(QKeySequence::Quit);
    m_fileMenu->addAction(m_actions[OpenModel]);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addSeparator();
    for (ActionId id : {OpenSession, SaveSession, SaveSessionAs, RecoverAutosave})
        m_fileMenu->addAction(m_actions[id]);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_actions[Quit]);
    m_viewMenu = menuBar()->addMenu(QString());
    for (QDockWidget *d : {m_overviewDock, m_layersDock, m_quantDock})
        m_viewMenu->addAction(d->toggleViewAction());
    m_toolsMenu = menuBar()->addMenu(QString());
    m_wizardAction = m_toolsMenu->addAction(QString());
    m_wizardAction->setObjectName(QStringLiteral("compressionWizardAction"));
    m_settingsMenu = menuBar()->addMenu(QString());
    m_settingsMenu->addAction(m_actions[Preferences]);
    connectActions();
}

void MainWindow::connectActions()
{
    connect(m_actions[OpenModel], &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), QString(),
                                                          tr("ONNX models (*.onnx);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    connect(m_actions[OpenSession], &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), QString(),
                                                          tr("Quantscope sessions (*.qss);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openSession(path, &error))
            QMessageBox::warning(this, tr("Open Session"), error);
    });
    const auto saveAs = [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save Session"), QString(),
                                                    tr("Quantscope sessions (*.qss)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".qss");
        QString error;
        if (!saveSession(path, &error))
            QMessageBox::warning(this, tr("Save Session"), error);
    };
    connect(m_actions[SaveSession], &QAction::triggered, this, [this, saveAs] {
        QString error;
        if (m_sessionPath.isEmpty())
            saveAs();
        else if (!saveSession(m_sessionPath, &error))
            QMessageBox::warning(this, tr("Save Session"), error);
    });
    connect(m_actions[SaveSessionAs], &QAction::triggered, this, saveAs);
    connect(m_actions[RecoverAutosave], &QAction::triggered, this, [this] {
        QString error;
        if (!openSession(m_autosavePath, &error))
            QMessageBox::warning(this, tr("Recover Autosaved Session"), error);
    });
    connect(m_actions[Preferences], &QAction::triggered, this, [this] {
        SettingsDialog dialog(this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        setThemeChoice(dialog.theme());
        applyThemeChoice(dialog.theme());
        setLanguageChoice(dialog.language());
        installLanguage(dialog.language());
    });
    connect(m_actions[Quit], &QAction::triggered, this, &QWidget::close);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    connect(m_wizardAction, &QAction::triggered, this, &MainWindow::showCompressionWizard);
}

void MainWindow::retranslate()
{
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_viewMenu->setTitle(tr("&View"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_toolsMenu->setTitle(tr("&Tools"));
    m_wizardAction->setText(tr("&Compression Wizard..."));
    m_wizardAction->setEnabled(bool(m_model));
    const QStringList texts = {tr("&Open Model..."),   tr("Open &Session..."), tr("Save Session"),
                               tr("Save Session &As..."), tr("Recover Autosaved Session"), tr("&Preferences..."),
                               tr("&Quit")};
    for (int i = 0; i < ActionCount; ++i)
        m_actions[i]->setText(texts[i]);
    m_layersDock->setWindowTitle(tr("Layers"));
    m_overviewDock->setWindowTitle(tr("Overview"));
    m_quantDock->setWindowTitle(tr("Quantization"));
    if (m_model)
        showOverview(*m_model);
    else
        m_overview->setText(tr("No model loaded."));
    setWindowTitle(m_path.isEmpty() ? tr("Quantscope") : tr("Quantscope - %1").arg(QFileInfo(m_path).fileName()));
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_dirty && m_model)
        autosaveNow();
    QMainWindow::closeEvent(event);
}

void MainWindow::applyThemeChoice(ThemeChoice choice)
{
    applyWidgetTheme(choice);
    m_theme = effectiveTheme(choice);
    m_charts->setTheme(m_theme);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        const QString path = urls.first().toLocalFile();
        if (path.endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive) || isSessionFile(path))
            event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty())
        return;
    event->acceptProposedAction();
    openFile(urls.first().toLocalFile());
}

void MainWindow::openFile(const QString &path)
{
    QString error;
    if (isSessionFile(path)) {
        if (!openSession(path, &error))
            statusBar()->showMessage(error);
    } else {
        openModel(path);
    }
}

QStringList MainWindow::recentFiles() { return QSettings().value(QStringLiteral("recentFiles")).toStringList(); }

void MainWindow::addRecent(const QString &path)
{
    if (path.startsWith(QLatin1Char(':')))
        return;
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecent)
        files.removeLast();
    QSettings().setValue(QStringLiteral("recentFiles"), files);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = recentFiles();
    for (const QString &f : files)
        connect(m_recentMenu->addAction(f), &QAction::triggered, this, [this, f] { openFile(f); });
    if (files.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::openModel(const QString &path)
{
    if (m_watcher.isRunning())
        return;
    statusBar()->showMessage(tr("Loading %1...").arg(path));
    m_watcher.setFuture(QtConcurrent::run(loadModelDocument, path));
}

bool MainWindow::isLoading() const { return m_watcher.isRunning(); }

int MainWindow::layerCount() const { return m_explorer->model()->rowCount(); }

void MainWindow::onLoaded()
{
    std::shared_ptr<ModelDocument> m = m_watcher.result();
    if (!m->error.isEmpty()) {
        m_pendingSession.reset();
        statusBar()->showMessage(m->error);
        Q_EMIT modelFailed(m->error);
        return;
    }
    m_model = m;
    m_path = m->path;
    addRecent(m->path);
    showOverview(*m);
    fillLayers(*m);
    m_charts->setStats(m->stats);
    m_quant->setModel(m);
    m_wizardAction->setEnabled(true);
    if (m_wizard)
        m_wizard->setModel(m);
    if (!m->stats.empty())
        m_explorer->selectLayer(QString::fromStdString(m->stats.front().name));
    setWindowTitle(tr("Quantscope - %1").arg(QFileInfo(m->path).fileName()));
    statusBar()->showMessage(tr("Loaded %1 in %2 s").arg(m->path).arg(m->seconds, 0, 'f', 2));
    m_eqWatcher.waitForFinished();
    std::shared_ptr<const ModelDocument> doc = m;
    m_eqWatcher.setFuture(QtConcurrent::run([doc] {
        QString error;
        return equalizedWeightStats(doc->graph, &error);
    }));
    if (m_pendingSession) {
        const Session s = std::move(*m_pendingSession);
        m_pendingSession.reset();
        applySession(s);
    }
    Q_EMIT modelLoaded(m->path);
}

CompressionWizard *MainWindow::compressionWizard()
{
    if (!m_wizard) {
        m_wizard = new CompressionWizard(m_jobs, this);
        m_wizard->setWindowFlag(Qt::Window);
        m_wizard->setModel(m_model);
        connect(m_wizard, &CompressionWizard::stateChanged, this, &MainWindow::markDirty);
        connect(m_wizard, &CompressionWizard::stateChanged, this, [this] { m_ratios = m_wizard->ratios(); });
        connect(m_explorer, &LayerExplorer::currentLayerChanged, m_wizard, &CompressionWizard::setSelectedLayer);
        connect(m_wizard, &CompressionWizard::layerClicked, m_explorer, &LayerExplorer::selectLayer);
    }
    return m_wizard;
}

void MainWindow::showCompressionWizard()
{
    if (!m_model)
        return;
    CompressionWizard *w = compressionWizard();
    w->show();
    w->raise();
    w->activateWindow();
}

void MainWindow::onEqualized()
{
    m_charts->setEqualizedStats(m_eqWatcher.result());
    Q_EMIT equalizedReady();
}

void MainWindow::fillLayers(const ModelDocument &m)
{
    QVector<LayerRow> rows;
    for (const LayerCost &l : m.cost.layers) {
        LayerRow r{QString::fromStdString(l.name), QString::fromStdString(l.opType), shapeText(l.inputShape),
                   shapeText(l.weightShape), shapeText(l.outputShape), l.params, l.macs};
        if (const LayerWeightStats *s = findLayer(m.stats, l.name)) {
            r.weightMin = s->minValue;
            r.weightMax = s->maxValue;
            r.rangeRatio = s->rangeRatio;
        }
        rows.push_back(r);
    }
    m_explorer->setRows(std::move(rows));
}

void MainWindow::onSensitivityChanged()
{
    const double fp32 = m_quant->sensitivityFp32Top1();
    QHash<QString, LayerQuantFigures> figures;
    for (const LayerQuantSensitivity &l : m_quant->sensitivity())
        figures.insert(QString::fromStdString(l.layer),
                       {l.sqnrAlone, fp32 >= 0 ? 100.0 * (fp32 - l.top1Alone) : NAN});
    m_explorer->model()->setQuantFigures(figures);
    m_charts->setSensitivity(m_quant->sensitivity(), fp32);
}

void MainWindow::showOverview(const ModelDocument &m)
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
