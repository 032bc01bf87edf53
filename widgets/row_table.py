"""A read-only table model over a plain list of rows with fixed, translated column titles (the small side lists)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class RowTableModel(QAbstractTableModel):
    """Rows in `self._rows`, `COLUMNS` columns; a subclass gives `headers()` and `cell(row, column, role)`."""

    COLUMNS = 0

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def headers(self) -> tuple[str, ...]:
        """The column titles, translated (called on demand, so a language change shows at once)."""
        raise NotImplementedError

    def cell(self, row, column: int, role: int):
        raise NotImplementedError

    def retranslate_headers(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's naming)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < self.COLUMNS:
            return self.headers()[section]
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (0 <= index.column() < self.COLUMNS):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)
