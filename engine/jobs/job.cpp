#include "jobs/job.h"

#include "core/error.h"

namespace qs {

void Job::checkCancelled() const
{
    if (isCancelled())
        fail(ErrorCode::Cancelled, "cancelled");
}

void Job::setProgress(int64_t done, int64_t total, const std::string &stage)
{
    Listener listener;
    Progress copy;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_progress.done = done;
        m_progress.total = total;
        if (!stage.empty())
            m_progress.stage = stage;
        copy = m_progress;
        listener = m_listener;
    }
    if (listener)
        listener(copy);
}

Progress Job::progress() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_progress;
}

void Job::setListener(Listener listener)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_listener = std::move(listener);
}

void Job::log(const std::string &line)
{
    std::function<void(const std::string &)> sink;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        sink = m_logSink;
    }
    if (sink)
        sink(line);
}

void Job::setLogSink(std::function<void(const std::string &)> sink)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_logSink = std::move(sink);
}

} // namespace qs
