#include "layertablemodel.h"

#include <QLocale>

namespace qs {

namespace {

QString number(double v, int precision = 4)
{
    return std::isnan(v) ? QString() : QString::number(v, 'g', precision);
}

} // namespace

LayerTableModel::LayerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setRows(QVector<LayerRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void LayerTableModel::setQuantFigures(const QHash<QString, LayerQuantFigures> &figures)
{
    for (LayerRow &r : m_rows) {
        const LayerQuantFigures f = figures.value(r.name);
        r.sqnr = f.sqnr;
        r.sensitivity = f.sensitivity;
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Sqnr), index(int(m_rows.size()) - 1, Sensitivity));
}

int LayerTableModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].name == name)
            return i;
    return -1;
}

int LayerTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int LayerTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const LayerRow &r = m_rows[index.row()];
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Params ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::UserRole) { // raw values for sorting; "not computed" sorts first
        switch (index.column()) {
        case Params: return r.params;
        case Macs: return r.macs;
        case WeightMin: return r.weightMin;
        case WeightMax: return r.weightMax;
        case RangeRatio: return r.rangeRatio;
        case Sqnr: return std::isnan(r.sqnr) ? -1e300 : r.sqnr;
        case Sensitivity: return std::isnan(r.sensitivity) ? -1e300 : r.sensitivity;
        default: break;
        }
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    switch (index.column()) {
    case Name: return r.name;
    case Op: return r.op;
    case InputShape: return r.inputShape;
    case WeightShape: return r.weightShape;
    case OutputShape: return r.outputShape;
    case Params: return QLocale::c().toString(r.params);
    case Macs: return r.macs < 0 ? QStringLiteral("?") : QLocale::c().toString(r.macs);
    case WeightMin: return number(r.weightMin);
    case WeightMax: return number(r.weightMax);
    case RangeRatio: return number(r.rangeRatio);
    case Sqnr: return std::isnan(r.sqnr) ? QString() : QString::number(r.sqnr, 'f', 1);
    case Sensitivity: return std::isnan(r.sensitivity) ? QString() : QString::number(r.sensitivity, 'f', 2);
    default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case RangeRatio: return tr("Largest / smallest output-channel weight range");
        case Sqnr: return tr("SQNR of the model output with only this layer's weight quantized (dB)");
        case Sensitivity: return tr("Top-1 drop in points with only this layer's weight quantized");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Layer");
    case Op: return tr("Op");
    case InputShape: return tr("Input shape");
    case WeightShape: return tr("Weight shape");
    case OutputShape: return tr("Output shape");
    case Params: return tr("Params");
    case Macs: return tr("MACs");
    case WeightMin: return tr("Weight min");
    case WeightMax: return tr("Weight max");
    case RangeRatio: return tr("Range ratio");
    case Sqnr: return tr("SQNR (dB)");
    case Sensitivity: return tr("Top-1 drop");
    default: return {};
    }
}

} // namespace qs
