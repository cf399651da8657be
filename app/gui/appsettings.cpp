#include "appsettings.h"

#include <QApplication>
#include <QLocale>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QTranslator>

namespace qs {

namespace {

QPalette &systemPalette()
{
    static QPalette palette = QApplication::palette();
    return palette;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xc4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

ThemeChoice themeChoice()
{
    const QString v = QSettings().value(QStringLiteral("appearance/theme"), QStringLiteral("system")).toString();
    return v == QLatin1String("light") ? ThemeChoice::Light
           : v == QLatin1String("dark") ? ThemeChoice::Dark
                                        : ThemeChoice::System;
}

void setThemeChoice(ThemeChoice choice)
{
    const char *names[] = {"system", "light", "dark"};
    QSettings().setValue(QStringLiteral("appearance/theme"), QString::fromLatin1(names[int(choice)]));
}

ChartTheme effectiveTheme(ThemeChoice choice)
{
    if (choice == ThemeChoice::System)
        return systemPalette().color(QPalette::Window).lightness() < 128 ? ChartTheme::Dark : ChartTheme::Light;
    return choice == ThemeChoice::Dark ? ChartTheme::Dark : ChartTheme::Light;
}

void applyWidgetTheme(ThemeChoice choice)
{
    systemPalette(); // remember the desktop palette before the first change
    if (choice == ThemeChoice::System) {
        QApplication::setPalette(systemPalette());
        return;
    }
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);
    QApplication::setPalette(choice == ThemeChoice::Dark ? darkPalette() : QApplication::style()->standardPalette());
}

QString languageChoice()
{
    return QSettings().value(QStringLiteral("appearance/language"), QStringLiteral("system")).toString();
}

void setLanguageChoice(const QString &language)
{
    QSettings().setValue(QStringLiteral("appearance/language"), language);
}

QString installLanguage(const QString &language)
{
    static QTranslator *translator = nullptr;
    if (translator) {
        QCoreApplication::removeTranslator(translator);
        delete translator;
        translator = nullptr;
    }
    QString lang = language;
    if (lang.isEmpty() || lang == QLatin1String("system"))
        lang = QLocale().name().section(QLatin1Char('_'), 0, 0);
    if (lang != QLatin1String("de"))
        return QStringLiteral("en");
    translator = new QTranslator;
    if (!translator->load(QStringLiteral(":/i18n/quantscope_de.qm"))) {
        delete translator;
        translator = nullptr;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(translator);
    return lang;
}

} // namespace qs
