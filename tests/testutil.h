#pragma once
// Shared helpers for the QtTest executables.
// Shared data: ../shared beside the source tree (or $QS_SHARED_DIR). When it is missing the
// cases that need it are skipped with a message, unless QS_REQUIRE_SHARED=1 (set by CI), which
// turns a missing folder into a failure.

#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QTest>

#include <cstdlib>
#include <string>

namespace qs::test {

inline QString sharedDir()
{
    if (const char *env = std::getenv("QS_SHARED_DIR"); env && *env)
        return QString::fromLocal8Bit(env);
    if (const char *env = std::getenv("QS_SHARED_DIR_DEFAULT"); env && *env)
        return QDir::cleanPath(QString::fromLocal8Bit(env));
    return QStringLiteral("../shared");
}

inline bool sharedRequired()
{
    const char *env = std::getenv("QS_REQUIRE_SHARED");
    return env && std::string(env) == "1";
}

inline std::string sharedPath(const QString &relative)
{
    return (sharedDir() + QLatin1Char('/') + relative).toStdString();
}

inline QString sourceDir()
{
    const char *env = std::getenv("QS_SOURCE_DIR");
    return env ? QString::fromLocal8Bit(env) : QStringLiteral(".");
}

inline QString binaryDir()
{
    const char *env = std::getenv("QS_BINARY_DIR");
    return env ? QString::fromLocal8Bit(env) : QStringLiteral(".");
}

} // namespace qs::test

// Skips the current test function when `relative` (a path inside ../shared) is missing, or fails
// it when CI requires the shared folder.
#define QS_NEED_SHARED(relative)                                                                         \
    do {                                                                                                 \
        const QString qsPath_ = qs::test::sharedDir() + QLatin1Char('/') + QStringLiteral(relative);     \
        if (!QFileInfo::exists(qsPath_)) {                                                               \
            if (qs::test::sharedRequired())                                                              \
                QFAIL(qPrintable(QStringLiteral("shared data missing (QS_REQUIRE_SHARED=1): ") + qsPath_)); \
            QSKIP(qPrintable(QStringLiteral("shared data not found, skipping: ") + qsPath_));            \
        }                                                                                                \
    } while (0)
