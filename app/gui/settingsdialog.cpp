#include "settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>

namespace qs {

SettingsDialog::SettingsDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    m_theme = new QComboBox(this);
    m_theme->addItem(tr("Follow the system"));
    m_theme->addItem(tr("Light"));
    m_theme->addItem(tr("Dark"));
    m_theme->setCurrentIndex(int(themeChoice()));
    m_language = new QComboBox(this);
    m_language->addItem(tr("System language"), QStringLiteral("system"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    const int lang = m_language->findData(languageChoice());
    m_language->setCurrentIndex(lang < 0 ? 0 : lang);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Theme"), m_theme);
    form->addRow(tr("Language"), m_language);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

ThemeChoice SettingsDialog::theme() const { return ThemeChoice(m_theme->currentIndex()); }

QString SettingsDialog::language() const { return m_language->currentData().toString(); }

} // namespace qs
