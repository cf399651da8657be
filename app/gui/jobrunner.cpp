#include "jobrunner.h"

#include "jobs/job.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

namespace qs {

JobRunner::JobRunner(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFutureWatcher<QString>::finished, this, &JobRunner::onFinished);
}

JobRunner::~JobRunner()
{
    if (m_job)
        m_job->cancel();
    m_watcher.waitForFinished();
}

bool JobRunner::start(const QString &title, Work work)
{
    if (isRunning())
        return false;
    m_title = title;
    m_job = std::make_shared<Job>();
    QPointer<JobRunner> self(this);
    m_job->setListener([self](const Progress &p) {
        const QString stage = QString::fromStdString(p.stage);
        const qint64 done = p.done, total = p.total;
        // Progress is reported on the worker; the widgets are updated on the GUI thread.
        QMetaObject::invokeMethod(
            self.data(),
            [self, done, total, stage] {
                if (self)
                    Q_EMIT self->progressChanged(done, total, stage);
            },
            Qt::QueuedConnection);
    });
    std::shared_ptr<Job> job = m_job;
    m_watcher.setFuture(QtConcurrent::run([job, work = std::move(work)] { return work(*job); }));
    Q_EMIT started(title);
    return true;
}

void JobRunner::cancel()
{
    if (m_job && isRunning())
        m_job->cancel();
}

void JobRunner::onFinished()
{
    const QString error = m_watcher.result();
    const bool cancelled = m_job && m_job->isCancelled();
    Q_EMIT finished(error.isEmpty(), cancelled, error);
}

QWidget *JobRunner::createStatusWidget(QWidget *parent) { return new JobStatusWidget(this, parent); }

JobStatusWidget::JobStatusWidget(JobRunner *runner, QWidget *parent) : QWidget(parent)
{
    m_label = new QLabel(this);
    m_bar = new QProgressBar(this);
    m_bar->setMaximumWidth(180);
    m_bar->setTextVisible(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    setVisible(false);
    connect(m_cancel, &QPushButton::clicked, runner, &JobRunner::cancel);
    connect(runner, &JobRunner::started, this, [this](const QString &title) {
        m_label->setText(title);
        m_bar->setRange(0, 0);
        m_cancel->setEnabled(true);
        setVisible(true);
    });
    connect(runner, &JobRunner::progressChanged, this, [this, runner](qint64 done, qint64 total, const QString &stage) {
        if (total > 0) {
            m_bar->setRange(0, 1000);
            m_bar->setValue(int(1000 * std::min(done, total) / total));
        }
        m_label->setText(stage.isEmpty() ? runner->title() : runner->title() + QStringLiteral(": ") + stage);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_cancel->setEnabled(false); });
    connect(runner, &JobRunner::finished, this, [this] { setVisible(false); });
}

void JobStatusWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_cancel->setText(tr("Cancel"));
    QWidget::changeEvent(event);
}

} // namespace qs
