#include "error.h"

#include <new>
#include <stdexcept>

namespace qs {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Io: return "io";
    case ErrorCode::Format: return "format";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::Limit: return "limit";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Usage: return "usage";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

static std::string firstLine(const std::string &s)
{
    auto pos = s.find('\n');
    return pos == std::string::npos ? s : s.substr(0, pos);
}

static std::string withContext(const std::string &context, const std::string &msg)
{
    if (context.empty())
        return msg;
    if (msg.rfind(context, 0) == 0)
        return msg;
    return context + ": " + msg;
}

Error errorFromCurrentException(const std::string &context)
{
    try {
        throw;
    } catch (const Exception &e) {
        return {e.error().code, withContext(context, e.error().message)};
    } catch (const std::bad_alloc &) {
        return {ErrorCode::Limit, withContext(context, "out of memory")};
    } catch (const std::exception &e) {
        // LibTorch (c10::Error) and protobuf messages can span many lines with backtraces.
        return {ErrorCode::Internal, withContext(context, firstLine(e.what()))};
    } catch (...) {
        return {ErrorCode::Internal, withContext(context, "unknown failure")};
    }
}

} // namespace qs
