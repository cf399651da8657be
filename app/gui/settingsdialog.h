#pragma once
// Settings > Preferences: theme (follow the system, light, dark) and language (system, English,
// German). Accepting stores both and applies them at once.

#include "appsettings.h"

#include <QDialog>

class QComboBox;

namespace qs {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);
    ThemeChoice theme() const;
    QString language() const;

private:
    QComboBox *m_theme = nullptr;
    QComboBox *m_language = nullptr;
};

} // namespace qs
