#include "core/warnings.h"

#include <cstdio>
#include <mutex>

namespace qs {

namespace {

std::mutex &sinkMutex()
{
    static std::mutex m;
    return m;
}

WarningSink &currentSink()
{
    static WarningSink sink;
    return sink;
}

} // namespace

void setWarningSink(WarningSink sink)
{
    std::lock_guard<std::mutex> lock(sinkMutex());
    currentSink() = std::move(sink);
}

void warn(const std::string &message)
{
    std::lock_guard<std::mutex> lock(sinkMutex());
    if (currentSink()) {
        currentSink()(message);
        return;
    }
    std::fprintf(stderr, "warning: %s\n", message.c_str());
    std::fflush(stderr);
}

} // namespace qs
