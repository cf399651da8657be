#pragma once
// Table model of a model's weighted layers (name, op, input/weight/output shapes, params, MACs, weight range, the
// per-channel range ratio, and the quantization SQNR / sensitivity once computed). Takes plain
// value rows, so it is testable without an engine model. Qt::UserRole gives raw values for sorting.

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QVector>

#include <cmath>

namespace qs {

struct LayerRow {
    QString name;
    QString op;
    QString inputShape;
    QString weightShape;
    QString outputShape;
    qint64 params = 0;
    qint64 macs = 0;
    double weightMin = 0;
    double weightMax = 0;
    double rangeRatio = 1;   // largest / smallest positive output-channel range
    double sqnr = NAN;       // dB with only this layer quantized; NaN until computed
    double sensitivity = NAN; // top-1 drop in points with only this layer quantized; NaN until computed
};

struct LayerQuantFigures {
    double sqnr = NAN;
    double sensitivity = NAN;
};

class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Op,
        InputShape,
        WeightShape,
        OutputShape,
        Params,
        Macs,
        WeightMin,
        WeightMax,
        RangeRatio,
        Sqnr,
        Sensitivity,
        ColumnCount
    };

    explicit LayerTableModel(QObject *parent = nullptr);
    void setRows(QVector<LayerRow> rows);
    const QVector<LayerRow> &rows() const { return m_rows; }
    // Sets SQNR and sensitivity by layer name; layers not named go back to "not computed".
    void setQuantFigures(const QHash<QString, LayerQuantFigures> &figures);
    int rowOf(const QString &name) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<LayerRow> m_rows;
};

} // namespace qs
