#pragma once
// Job: progress, cancellation and a log sink shared between a worker and whoever watches it.
// Thread-safe: the worker calls setProgress/log/checkCancelled, any thread may call cancel()
// and read progress(). Long engine work takes a Job* (nullptr = no reporting, no cancel).

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace qs {

struct Progress {
    int64_t done = 0;
    int64_t total = 0;
    std::string stage;
};

class Job {
public:
    using Listener = std::function<void(const Progress &)>;

    void cancel() { m_cancelled.store(true); }
    bool isCancelled() const { return m_cancelled.load(); }
    // Throws qs::Exception(Cancelled) when cancel() was called; call between layers and batches.
    void checkCancelled() const;

    void setProgress(int64_t done, int64_t total, const std::string &stage = {});
    Progress progress() const;
    void setListener(Listener listener); // called from the worker thread on every update
    void log(const std::string &line);
    void setLogSink(std::function<void(const std::string &)> sink);

private:
    std::atomic<bool> m_cancelled{false};
    mutable std::mutex m_mutex;
    Progress m_progress;
    Listener m_listener;
    std::function<void(const std::string &)> m_logSink;
};

inline void checkCancelled(const Job *job)
{
    if (job)
        job->checkCancelled();
}

} // namespace qs
