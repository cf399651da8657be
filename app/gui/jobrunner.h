#pragma once
// Runs one engine job at a time on a worker thread, with its progress and a Cancel button in a
// status-bar widget. The work function gets the qs::Job to report to and to check for
// cancellation; it returns an error text (empty on success). finished() arrives on the GUI thread.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace qs {

class Job;

class JobRunner : public QObject {
    Q_OBJECT
public:
    using Work = std::function<QString(Job &)>;

    explicit JobRunner(QObject *parent = nullptr);
    ~JobRunner() override;

    // False (and nothing started) while another job runs.
    bool start(const QString &title, Work work);
    bool isRunning() const { return m_watcher.isRunning(); }
    QString title() const { return m_title; }
    // The status-bar widget (label, progress bar, Cancel); owned by the caller's status bar.
    QWidget *createStatusWidget(QWidget *parent);
    void waitForFinished() { m_watcher.waitForFinished(); }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void started(const QString &title);
    void progressChanged(qint64 done, qint64 total, const QString &stage);
    // ok: the work returned no error; cancelled: Cancel was pressed (the error is then the engine's).
    void finished(bool ok, bool cancelled, const QString &error);

private:
    void onFinished();

    QFutureWatcher<QString> m_watcher;
    std::shared_ptr<Job> m_job;
    QString m_title;
};

class JobStatusWidget : public QWidget {
    Q_OBJECT
public:
    JobStatusWidget(JobRunner *runner, QWidget *parent = nullptr);
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_bar; }

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *m_label = nullptr;
    QProgressBar *m_bar = nullptr;
    QPushButton *m_cancel = nullptr;
};

} // namespace qs
