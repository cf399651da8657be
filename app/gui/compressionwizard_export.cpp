// CompressionWizard: the results page and its exports (model, JSON and HTML reports, heatmap
// images, CSV tables).

#include "compressionwizard.h"

#include "charts/sensitivityheatmap.h"
#include "charts/sensitivityheatmapadapter.h"
#include "core/fileutil.h"
#include "onnx/onnxexport.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>

#include <cmath>

namespace qs {

namespace {

using Json = nlohmann::json;

QString count(const Json &v) { return v.is_number() ? QLocale::c().toString(qlonglong(v.get<int64_t>())) : QString(); }

QString percent(const Json &v)
{
    return v.is_number() ? QString::number(100.0 * v.get<double>(), 'f', 2) + QLatin1Char('%') : QStringLiteral("-");
}

QString keptText(const Json &l)
{
    const bool pruning = l.value("method", std::string()) == "channel-pruning";
    const Json kept = l.value(pruning ? "channels_kept" : "rank", Json()), full = l.value(pruning ? "channels" : "max_rank", Json());
    return kept.is_number() && full.is_number() ? QStringLiteral("%1 / %2").arg(kept.get<int64_t>()).arg(full.get<int64_t>())
                                                : QString();
}

// One row per compressed layer: the cells of the results table and layers.csv.
QStringList layerCells(const Json &l)
{
    return {QString::fromStdString(l.value("name", std::string())), QString::fromStdString(l.value("op", std::string())),
            QString::number(l.value("ratio", 1.0), 'g', 6), keptText(l), count(l.value("macs_before", Json())),
            count(l.value("macs_after", Json())), count(l.value("params_after", Json())), percent(l.value("score", Json()))};
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString csvLine(const QStringList &cells)
{
    QStringList out;
    for (const QString &c : cells)
        out << csvField(c);
    return out.join(QLatin1Char(',')) + QLatin1Char('\n');
}

void writeText(const QString &path, const QString &text) { writeFileAtomic(path.toStdString(), text.toStdString()); }

} // namespace

void CompressionWizard::fillResults()
{
    if (!m_report.is_object()) {
        m_resultsSummary->setText(tr("No compression yet."));
        m_resultsTable->setRowCount(0);
        return;
    }
    const Json &b = m_report["baseline"], &c = m_report["compressed"], &f = m_report["finetuned"];
    const double macsRatio = double(c["macs"].get<int64_t>()) / double(b["macs"].get<int64_t>());
    QString text = tr("Top-1 %1 before, %2 compressed").arg(percent(b["top1"]), percent(c["top1"]));
    if (f["top1"].is_number())
        text += tr(", %1 after %2 epochs of fine-tuning").arg(percent(f["top1"])).arg(f["epochs"].get<int>());
    text += tr(". MACs %1 -> %2 (%3), parameters %4 -> %5; the cost model projected %6 MACs.")
                .arg(count(b["macs"]), count(c["macs"]), QString::number(macsRatio, 'f', 3), count(b["params"]),
                     count(c["params"]), count(c["predicted_macs"]));
    if (!m_compressed)
        text += tr(" (Compress again to export the model: it is not kept in the session.)");
    m_resultsSummary->setText(text);
    const Json &layers = m_report["layers"];
    m_resultsTable->setRowCount(int(layers.size()));
    for (int r = 0; r < int(layers.size()); ++r) {
        const QStringList cells = layerCells(layers[size_t(r)]);
        for (int col = 0; col < cells.size(); ++col) {
            auto *item = new QTableWidgetItem(cells[col]);
            if (col >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_resultsTable->setItem(r, col, item);
        }
    }
    m_resultsTable->resizeColumnsToContents();
    m_export->setEnabled(bool(m_compressed));
}

bool CompressionWizard::exportResults(const QString &dir, QString *error)
{
    if (!m_compressed || !m_report.is_object()) {
        *error = tr("Nothing to export: compress the model first.");
        return false;
    }
    if (dir.trimmed().isEmpty()) {
        *error = tr("Choose an export folder.");
        return false;
    }
    Result<void> r = capture("", [&] {
        if (!QDir().mkpath(dir))
            fail(ErrorCode::Io, dir.toStdString() + ": cannot create folder");
        const QDir out(dir);
        const QString onnx = out.filePath(QFileInfo(m_modelPath->text()).completeBaseName() + QStringLiteral("_compressed.onnx"));
        exportOnnx(*m_compressed, onnx.toStdString()).take();
        Json report = m_report;
        report["export"] = {{"onnx", onnx.toStdString()}, {"report", out.filePath(QStringLiteral("report.json")).toStdString()}};
        writeText(out.filePath(QStringLiteral("report.json")), QString::fromStdString(report.dump(1)) + QLatin1Char('\n'));
        // The heatmap with the chosen ratios, at a size that fits every row.
        SensitivityHeatmap heatmap;
        heatmap.setTheme(ChartTheme::Light);
        const QSize size(1100, std::max(360, int(m_table ? m_table->order.size() : 0) * 22 + 130));
        QString layersCsv = csvLine({QStringLiteral("layer"), QStringLiteral("op"), QStringLiteral("ratio"), QStringLiteral("kept"),
                                     QStringLiteral("macs_before"), QStringLiteral("macs_after"), QStringLiteral("params_after"),
                                     QStringLiteral("score")});
        for (const Json &l : m_report["layers"]) {
            QStringList cells = layerCells(l);
            cells[4].remove(QLatin1Char(','));
            cells[5].remove(QLatin1Char(','));
            cells[6].remove(QLatin1Char(','));
            layersCsv += csvLine(cells);
        }
        writeText(out.filePath(QStringLiteral("layers.csv")), layersCsv);
        QString heatmapPng;
        if (m_table) {
            showSensitivityTable(heatmap, *m_table);
            for (const auto &[layer, ratio] : m_ratios)
                heatmap.setChosenRatio(QString::fromStdString(layer), ratio);
            QString e;
            if (!heatmap.exportTo(out.filePath(QStringLiteral("heatmap.png")), size, &e) ||
                !heatmap.exportTo(out.filePath(QStringLiteral("heatmap.svg")), size, &e))
                fail(ErrorCode::Io, e.toStdString());
            heatmapPng = QString::fromLatin1(heatmap.toPng(size).toBase64());
            QStringList header = {QStringLiteral("layer")};
            for (double ratio : m_table->ratios)
                header << QString::fromStdString(ratioKey(ratio));
            QString sensCsv = csvLine(header);
            for (const std::string &layer : m_table->order) {
                QStringList row = {QString::fromStdString(layer)};
                const auto it = m_table->scores.find(layer);
                for (double ratio : m_table->ratios)
                    row << (it != m_table->scores.end() && it->second.count(ratio)
                                ? QString::number(it->second.at(ratio), 'g', 8)
                                : QString());
                sensCsv += csvLine(row);
            }
            writeText(out.filePath(QStringLiteral("sensitivity.csv")), sensCsv);
        }
        writeText(out.filePath(QStringLiteral("report.html")), reportHtml(heatmapPng));
    });
    if (!r.ok())
        *error = QString::fromStdString(r.error().message);
    else
        m_resultsSummary->setToolTip(tr("Exported to %1").arg(dir));
    return r.ok();
}

// A self-contained page: the summary, the heatmap (PNG inline) and the per-layer table.
QString CompressionWizard::reportHtml(const QString &heatmapPngBase64) const
{
    QString html = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n"
                                  "<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}"
                                  "td,th{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right}</style>"
                                  "</head><body>\n<h1>%1</h1>\n<p>%2</p>\n")
                       .arg(tr("Compression report").toHtmlEscaped(), m_resultsSummary->text().toHtmlEscaped());
    html += QStringLiteral("<p>%1: %2, %3: %4, %5: %6</p>\n")
                .arg(tr("Model").toHtmlEscaped(), m_modelPath->text().toHtmlEscaped(), tr("Method").toHtmlEscaped(),
                     QString::fromStdString(m_report.value("method", std::string())).toHtmlEscaped(),
                     tr("Target").toHtmlEscaped(), QString::number(m_report.value("target", 0.0), 'g', 6));
    if (!heatmapPngBase64.isEmpty())
        html += QStringLiteral("<h2>%1</h2>\n<img alt=\"heatmap\" src=\"data:image/png;base64,%2\">\n")
                    .arg(tr("Compression sensitivity").toHtmlEscaped(), heatmapPngBase64);
    html += QStringLiteral("<h2>%1</h2>\n<table>\n<tr>").arg(tr("Compressed layers").toHtmlEscaped());
    for (int c = 0; c < m_resultsTable->columnCount(); ++c)
        html += QStringLiteral("<th>%1</th>").arg(m_resultsTable->horizontalHeaderItem(c)->text().toHtmlEscaped());
    html += QStringLiteral("</tr>\n");
    for (const Json &l : m_report["layers"]) {
        html += QStringLiteral("<tr>");
        const QStringList cells = layerCells(l);
        for (int c = 0; c < cells.size(); ++c)
            html += QStringLiteral("<td%1>%2</td>").arg(c >= 2 ? QStringLiteral(" class=\"n\"") : QString(), cells[c].toHtmlEscaped());
        html += QStringLiteral("</tr>\n");
    }
    return html + QStringLiteral("</table>\n</body></html>\n");
}

} // namespace qs
