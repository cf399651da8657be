#pragma once
// The main window only assembles docks and actions; model loading runs off the GUI thread.

#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace qs {

class LayerTableModel;
struct LoadedModel;

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

Q_SIGNALS:
    void modelLoaded(const QString &path);
    void modelFailed(const QString &message);

private:
    void createActions();
    void onLoaded();
    void showOverview(const LoadedModel &model);

    LayerTableModel *m_layers = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_overview = nullptr;
    QFutureWatcher<std::shared_ptr<LoadedModel>> m_watcher;
    QString m_path;
};

} // namespace qs
