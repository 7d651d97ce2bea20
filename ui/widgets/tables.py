"""The desk's lists: rows picked whole, one at a time, never edited in place."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView


def row_list(table: QTableView) -> QTableView:
    """A table read row by row (Enter or a double click opens the row): no row numbers, no editing."""
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table
