#pragma once
// Table model of a model's weighted layers (name, op, shapes, params, MACs). Takes plain value
// rows, so it is testable without an engine model.

#include <QAbstractTableModel>
#include <QString>
#include <QVector>

namespace qs {

struct LayerRow {
    QString name;
    QString op;
    QString weightShape;
    QString outputShape;
    qint64 params = 0;
    qint64 macs = 0;
};

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Op, WeightShape, OutputShape, Params, Macs, ColumnCount };

    explicit LayerTableModel(QObject *parent = nullptr);
    void setRows(QVector<LayerRow> rows);
    const QVector<LayerRow> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<LayerRow> m_rows;
};

} // namespace qs
