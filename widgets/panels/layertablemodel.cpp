#include "layertablemodel.h"

#include <QLocale>

namespace qs {

LayerTableModel::LayerTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setRows(QVector<LayerRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
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
    if (role == Qt::UserRole) { // raw values for sorting
        switch (index.column()) {
        case Params: return r.params;
        case Macs: return r.macs;
        default: break;
        }
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    switch (index.column()) {
    case Name: return r.name;
    case Op: return r.op;
    case WeightShape: return r.weightShape;
    case OutputShape: return r.outputShape;
    case Params: return QLocale::c().toString(r.params);
    case Macs: return QLocale::c().toString(r.macs);
    default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Layer");
    case Op: return tr("Op");
    case WeightShape: return tr("Weight shape");
    case OutputShape: return tr("Output shape");
    case Params: return tr("Params");
    case Macs: return tr("MACs");
    default: return {};
    }
}

} // namespace qs
