#pragma once
// Warnings: conditions the engine works around but the user should know about, such as NaN
// weights in a model. One line each, naming the file and the cause. The default sink prints
// "warning: <message>" on stderr; the GUI or a test may install its own. Thread-safe.

#include <functional>
#include <string>

namespace qs {

using WarningSink = std::function<void(const std::string &message)>;

void setWarningSink(WarningSink sink); // an empty sink restores the default
void warn(const std::string &message);

} // namespace qs
