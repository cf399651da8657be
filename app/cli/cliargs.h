#pragma once
// A small command-line parser for quantscope-cli: "--name value", "--name=value", boolean flags,
// repeatable options and positionals. Unknown options and missing values are usage errors.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace qs::cli {

struct OptionSpec {
    std::string name;      // without the leading "--"
    bool takesValue = true;
    bool repeatable = false;
};

class UsageError : public std::exception {
public:
    explicit UsageError(std::string message) : m_message(std::move(message)) {}
    const char *what() const noexcept override { return m_message.c_str(); }

private:
    std::string m_message;
};

class Args {
public:
    Args(const std::vector<std::string> &argv, const std::vector<OptionSpec> &specs); // throws UsageError

    bool flag(const std::string &name) const { return m_values.count(name) != 0; }
    std::optional<std::string> value(const std::string &name) const;
    std::string value(const std::string &name, const std::string &dflt) const;
    std::vector<std::string> values(const std::string &name) const;
    int64_t intValue(const std::string &name, int64_t dflt, int64_t min, int64_t max) const;
    double doubleValue(const std::string &name, double dflt, double min, double max) const;
    const std::vector<std::string> &positionals() const { return m_positionals; }
    // The single MODEL positional; usage error when absent or repeated.
    std::string model() const;

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positionals;
};

} // namespace qs::cli
