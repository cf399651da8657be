#include "panels/layerexplorer.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace qs {

LayerFilterProxy::LayerFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(Qt::UserRole);
    setFilterKeyColumn(LayerTableModel::Name);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void LayerFilterProxy::setNamePattern(const QString &pattern)
{
    setFilterRegularExpression(QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption));
}

void LayerFilterProxy::setOpType(const QString &op)
{
    m_op = op;
    invalidateFilter();
}

bool LayerFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_op.isEmpty() &&
        sourceModel()->index(sourceRow, LayerTableModel::Op, sourceParent).data().toString() != m_op)
        return false;
    if (!filterRegularExpression().isValid())
        return false;
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

LayerExplorer::LayerExplorer(QWidget *parent) : QWidget(parent)
{
    m_model = new LayerTableModel(this);
    m_proxy = new LayerFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_filter = new QLineEdit(this);
    m_filter->setClearButtonEnabled(true);
    m_ops = new QComboBox(this);
    m_ops->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // graph order until a click
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(this);
    copy->setObjectName(QStringLiteral("copyRows"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(copy);
    connect(copy, &QAction::triggered, this, &LayerExplorer::copySelectedRows);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_ops);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &LayerFilterProxy::setNamePattern);
    connect(m_ops, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int) { m_proxy->setOpType(m_ops->currentData().toString()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    Q_EMIT currentLayerChanged(current.siblingAtColumn(LayerTableModel::Name).data().toString());
            });
    retranslate();
}

void LayerExplorer::retranslate()
{
    m_filter->setPlaceholderText(tr("Filter layers (regular expression)"));
    m_ops->setToolTip(tr("Show one op type only"));
    if (m_ops->count() > 0)
        m_ops->setItemText(0, tr("All ops"));
    if (QAction *copy = findChild<QAction *>(QStringLiteral("copyRows")))
        copy->setText(tr("Copy Rows"));
}

void LayerExplorer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LayerExplorer::fillOps()
{
    const QString keep = m_proxy->opType();
    QStringList ops;
    for (const LayerRow &r : m_model->rows())
        if (!ops.contains(r.op))
            ops << r.op;
    std::sort(ops.begin(), ops.end());
    const QSignalBlocker block(m_ops);
    m_ops->clear();
    m_ops->addItem(tr("All ops"), QString());
    for (const QString &op : ops)
        m_ops->addItem(op, op);
    const int i = m_ops->findData(keep);
    m_ops->setCurrentIndex(i < 0 ? 0 : i);
    m_proxy->setOpType(m_ops->currentData().toString());
}

void LayerExplorer::setRows(QVector<LayerRow> rows)
{
    m_model->setRows(std::move(rows));
    fillOps();
    m_table->resizeColumnsToContents();
}

QString LayerExplorer::currentLayer() const
{
    const QModelIndex i = m_table->selectionModel()->currentIndex();
    return i.isValid() ? i.siblingAtColumn(LayerTableModel::Name).data().toString() : QString();
}

bool LayerExplorer::selectLayer(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    const QModelIndex proxyIndex = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!proxyIndex.isValid())
        return false;
    if (currentLayer() != name)
        m_table->selectionModel()->setCurrentIndex(
            proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(proxyIndex);
    return true;
}

void LayerExplorer::setFilterText(const QString &text) { m_filter->setText(text); }

QString LayerExplorer::filterText() const { return m_filter->text(); }

void LayerExplorer::setOpFilter(const QString &op)
{
    const int i = m_ops->findData(op);
    m_ops->setCurrentIndex(i < 0 ? 0 : i);
}

QString LayerExplorer::selectedRowsText() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows << i.row();
    if (rows.isEmpty())
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            rows << r;
    std::sort(rows.begin(), rows.end());
    QStringList lines, header;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        header << m_proxy->headerData(c, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList cells;
        for (int c = 0; c < m_proxy->columnCount(); ++c)
            cells << m_proxy->index(r, c).data().toString();
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void LayerExplorer::copySelectedRows() const
{
    QApplication::clipboard()->setText(selectedRowsText());
}

} // namespace qs
