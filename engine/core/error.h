#pragma once
// Errors are values: every engine entry point that can fail returns qs::Result<T>.
// Inside the engine, code may throw qs::Exception; the boundary (qs::capture) turns it,
// and any LibTorch/protobuf/std exception, into an Error whose message names the cause.

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace qs {

enum class ErrorCode {
    Io,          // file missing, unreadable, unwritable
    Format,      // bytes are not what the format requires
    Unsupported, // valid input the project cannot handle (op, dtype, opset)
    Invalid,     // structurally wrong input (cycles, dangling names, bad shapes)
    Limit,       // input exceeds a size or memory budget
    Cancelled,   // the job was cancelled
    Usage,       // wrong command-line or API use
    Internal     // a bug or an unexpected library failure
};

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

const char *errorCodeName(ErrorCode code);

class Exception : public std::exception {
public:
    Exception(ErrorCode code, std::string message) : m_error{code, std::move(message)} {}
    explicit Exception(Error error) : m_error(std::move(error)) {}
    const char *what() const noexcept override { return m_error.message.c_str(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
};

[[noreturn]] inline void fail(ErrorCode code, std::string message)
{
    throw Exception(code, std::move(message));
}

template <typename T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T &operator*() & { return value(); }
    T *operator->() { return &value(); }
    const Error &error() const { return std::get<1>(m_v); }
    // Throws the carried error as qs::Exception (for engine-internal chaining).
    T take() &&
    {
        if (!ok())
            throw Exception(error());
        return std::get<0>(std::move(m_v));
    }

private:
    std::variant<T, Error> m_v;
};

template <>
class Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }
    void take() &&
    {
        if (m_error)
            throw Exception(*m_error);
    }

private:
    std::optional<Error> m_error;
};

// Runs fn and converts any exception into an Error (prefixing `context` when not empty).
Error errorFromCurrentException(const std::string &context);

template <typename F>
auto capture(const std::string &context, F &&fn) -> Result<decltype(fn())>
{
    try {
        if constexpr (std::is_void_v<decltype(fn())>) {
            fn();
            return Result<void>();
        } else {
            return fn();
        }
    } catch (...) {
        return errorFromCurrentException(context);
    }
}

} // namespace qs
