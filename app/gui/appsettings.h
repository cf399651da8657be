#pragma once
// Application settings kept in QSettings: theme (system, light, dark) and language (system,
// English, German), and how they are applied. The system theme is read from the desktop palette;
// an explicit dark theme gives the widgets a dark Fusion palette too, not only the charts.

#include "charts/chartpalette.h"

#include <QString>

namespace qs {

enum class ThemeChoice { System, Light, Dark };

ThemeChoice themeChoice();
void setThemeChoice(ThemeChoice choice);
// The chart theme for a choice: System follows the desktop palette's window colour.
ChartTheme effectiveTheme(ThemeChoice choice);
// Sets the widget palette for the choice (System restores the desktop's).
void applyWidgetTheme(ThemeChoice choice);

// "system", "en" or "de".
QString languageChoice();
void setLanguageChoice(const QString &language);
// Installs the translation for "en", "de" or "system" (the system locale's language); widgets
// retranslate on the LanguageChange event. Returns the language installed ("en" when none fits).
QString installLanguage(const QString &language);

} // namespace qs
