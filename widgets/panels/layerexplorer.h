#pragma once
// The layer explorer: the layer table, sortable, filtered by a name regex and an op type, with
// Copy (Ctrl+C, the selected rows as tab-separated text with a header line). The current layer is
// what every chart shows (linked selection): currentLayerChanged on a click, selectLayer() when a
// chart was clicked.

#include "panels/layertablemodel.h"

#include <QSortFilterProxyModel>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace qs {

// Name regex (case-insensitive) and op-type filter over LayerTableModel.
class LayerFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LayerFilterProxy(QObject *parent = nullptr);
    void setNamePattern(const QString &pattern); // invalid patterns match nothing
    void setOpType(const QString &op);           // empty: every op
    QString opType() const { return m_op; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_op;
};

class LayerExplorer : public QWidget {
    Q_OBJECT
public:
    explicit LayerExplorer(QWidget *parent = nullptr);

    LayerTableModel *model() const { return m_model; }
    LayerFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *opCombo() const { return m_ops; }

    void setRows(QVector<LayerRow> rows);
    QString currentLayer() const;
    // Selects and shows the layer's row; returns false when the filter hides it or it is absent.
    bool selectLayer(const QString &name);
    void setFilterText(const QString &text);
    QString filterText() const;
    void setOpFilter(const QString &op);
    QString opFilter() const { return m_proxy->opType(); }
    int visibleRows() const { return m_proxy->rowCount(); }
    // The selected rows (all visible rows when none is selected) as tab-separated text.
    QString selectedRowsText() const;
    void copySelectedRows() const;

Q_SIGNALS:
    void currentLayerChanged(const QString &name);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fillOps();

    LayerTableModel *m_model = nullptr;
    LayerFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_ops = nullptr;
};

} // namespace qs
