"""The Qt binding must not leak or drop references on the calls the console makes thousands of times a shift.

PySide6 6.12.0 under Python 3.11 dropped one reference to None on every call of a method returning nothing;
None is not immortal before 3.12, so the console aborted ("deallocating None") after a few thousand calls.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setEnabled(True)
    # Other threads may hold or release a few references meanwhile; a broken binding moves it by thousands.
    assert abs(sys.getrefcount(None) - before) < 200 or sys.version_info >= (3, 12)
