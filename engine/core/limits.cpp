#include "core/limits.h"

#include <algorithm>
#include <cstdlib>

namespace qs {

Result<int64_t> memoryLimitFromEnvironment()
{
    const char *env = std::getenv("QS_MEMORY_LIMIT");
    if (!env || !*env)
        return kDefaultMemoryLimit;
    const std::string text = env;
    const Error tooLarge{ErrorCode::Usage, "QS_MEMORY_LIMIT: '" + text + "' is too large"};
    int64_t value = 0;
    size_t i = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (value > (INT64_MAX - 9) / 10)
            return tooLarge;
        value = value * 10 + (text[i] - '0');
    }
    const std::string suffix = text.substr(i);
    int shift = 0;
    if (suffix == "K" || suffix == "k")
        shift = 10;
    else if (suffix == "M" || suffix == "m")
        shift = 20;
    else if (suffix == "G" || suffix == "g")
        shift = 30;
    if (i == 0 || (!suffix.empty() && shift == 0))
        return Error{ErrorCode::Usage, "QS_MEMORY_LIMIT: '" + text +
                                           "' is not a size (a number of bytes, optionally followed by K, M or G)"};
    if (value > (INT64_MAX >> shift))
        return tooLarge;
    return value << shift;
}

int64_t checkedByteSize(const std::vector<int64_t> &shape, size_t elementSize)
{
    int64_t bytes = int64_t(elementSize);
    for (int64_t d : shape) {
        if (d < 0)
            return -1;
        if (d != 0 && bytes > INT64_MAX / d)
            return -1;
        bytes *= d;
    }
    return bytes;
}

int jsonNestingDepth(const std::string &text)
{
    int depth = 0, deepest = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

} // namespace qs
