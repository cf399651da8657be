#pragma once
// The main window only assembles docks and actions: the layer explorer (left), the overview
// (top), the chart pages (centre), the quantization panel (bottom) and the running job's progress
// with Cancel (status bar). Model loading and every engine job run off the GUI thread. Sessions
// (File > Save/Open Session) restore model, data spec, settings, results, cached sensitivity and
// view state; an autosave every 30 s (while something changed) keeps at most that much at risk.

#include "appsettings.h"
#include "modeldocument.h"

#include "session/session.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QTimer>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;

namespace qs {

class ChartsPanel;
class CompressionWizard;
class JobRunner;
class LayerExplorer;
class QuantPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens an ONNX file (or the bundled demo for ":/..." paths) on a worker thread.
    void openModel(const QString &path);
    bool isLoading() const;
    QString modelPath() const { return m_path; }
    int layerCount() const;
    std::shared_ptr<const ModelDocument> model() const { return m_model; }

    // Session files. Opening loads the session's model, then restores the rest (sessionRestored).
    bool saveSession(const QString &path, QString *error = nullptr);
    bool openSession(const QString &path, QString *error = nullptr);
    Session currentSession() const;
    QString sessionPath() const { return m_sessionPath; }
    // Autosave: the file written every interval while the state changed since the last write.
    QString autosavePath() const { return m_autosavePath; }
    void setAutosavePath(const QString &path) { m_autosavePath = path; }
    void setAutosaveInterval(int ms) { m_autosave.setInterval(ms); }
    bool autosaveNow();

    void applyThemeChoice(ThemeChoice choice);
    ChartTheme chartTheme() const { return m_theme; }

    LayerExplorer *layerExplorer() const { return m_explorer; }
    ChartsPanel *charts() const { return m_charts; }
    QuantPanel *quantPanel() const { return m_quant; }
    // Tools > Compression Wizard (created on first use, for the loaded model).
    CompressionWizard *compressionWizard();
    void showCompressionWizard();
    JobRunner *jobs() const { return m_jobs; }
    QLabel *overview() const { return m_overview; }

    static QStringList recentFiles();

Q_SIGNALS:
    void modelLoaded(const QString &path);
    void modelFailed(const QString &message);
    void equalizedReady();
    void sessionRestored(const QString &path);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createActions();
    void connectActions();
    void retranslate();
    void onLoaded();
    void onEqualized();
    void showOverview(const ModelDocument &model);
    void fillLayers(const ModelDocument &model);
    void addRecent(const QString &path);
    void fillRecentMenu();
    void applySession(const Session &session);
    void onSensitivityChanged();
    void markDirty() { m_dirty = true; }
    void openFile(const QString &path);

    LayerExplorer *m_explorer = nullptr;
    ChartsPanel *m_charts = nullptr;
    QuantPanel *m_quant = nullptr;
    JobRunner *m_jobs = nullptr;
    QLabel *m_overview = nullptr;
    QDockWidget *m_layersDock = nullptr, *m_overviewDock = nullptr, *m_quantDock = nullptr;
    QMenu *m_fileMenu = nullptr, *m_recentMenu = nullptr, *m_viewMenu = nullptr, *m_settingsMenu = nullptr,
          *m_toolsMenu = nullptr;
    QAction *m_wizardAction = nullptr;
    CompressionWizard *m_wizard = nullptr;
    QList<QAction *> m_actions;
    QFutureWatcher<std::shared_ptr<ModelDocument>> m_watcher;
    QFutureWatcher<std::vector<LayerWeightStats>> m_eqWatcher;
    std::shared_ptr<const ModelDocument> m_model;
    QString m_path;
    QString m_sessionPath;
    QString m_autosavePath;
    std::optional<Session> m_pendingSession;
    nlohmann::json m_sessionExtra = nlohmann::json::object();
    std::map<std::string, double> m_ratios;
    QTimer m_autosave;
    bool m_dirty = false;
    ChartTheme m_theme = ChartTheme::Light;
};

} // namespace qs
