#include "cliargs.h"

#include <cerrno>
#include <cstdlib>

namespace qs::cli {

Args::Args(const std::vector<std::string> &argv, const std::vector<OptionSpec> &specs)
{
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string &a = argv[i];
        if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
            m_positionals.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec *spec = nullptr;
        for (const auto &s : specs)
            if (s.name == name)
                spec = &s;
        if (!spec)
            throw UsageError("unknown option --" + name);
        if (m_values.count(name) && !spec->repeatable)
            throw UsageError("option --" + name + " given twice");
        if (!spec->takesValue) {
            if (inlineValue)
                throw UsageError("option --" + name + " takes no value");
            m_values[name].push_back("");
            continue;
        }
        if (!inlineValue) {
            if (i + 1 >= argv.size())
                throw UsageError("option --" + name + " needs a value");
            inlineValue = argv[++i];
        }
        m_values[name].push_back(*inlineValue);
    }
}

std::optional<std::string> Args::value(const std::string &name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second.back();
}

std::string Args::value(const std::string &name, const std::string &dflt) const
{
    auto v = value(name);
    return v ? *v : dflt;
}

std::vector<std::string> Args::values(const std::string &name) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int64_t Args::intValue(const std::string &name, int64_t dflt, int64_t min, int64_t max) const
{
    auto v = value(name);
    if (!v)
        return dflt;
    char *end = nullptr;
    errno = 0;
    const long long x = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || errno != 0 || x < min || x > max)
        throw UsageError("option --" + name + " needs a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + *v + "'");
    return x;
}

double Args::doubleValue(const std::string &name, double dflt, double min, double max) const
{
    auto v = value(name);
    if (!v)
        return dflt;
    char *end = nullptr;
    errno = 0;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || errno != 0 || !(x >= min && x <= max))
        throw UsageError("option --" + name + " needs a number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + *v + "'");
    return x;
}

std::string Args::model() const
{
    if (m_positionals.empty())
        throw UsageError("missing MODEL argument");
    if (m_positionals.size() > 1)
        throw UsageError("unexpected argument '" + m_positionals[1] + "'");
    return m_positionals.front();
}

} // namespace qs::cli
