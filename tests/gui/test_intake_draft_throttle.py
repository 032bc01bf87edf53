"""The draft timer throttles: steady typing saves a draft every interval instead of waiting for a pause."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from console.intake import IntakeController


class _Form(QObject):
    edited = Signal()


def test_keys_inside_one_interval_do_not_restart_the_draft_timer(qtbot):
    form = _Form()
    controller = IntakeController(form, context=None)
    timer = controller._draft_timer
    starts = []
    real_start = timer.start
    timer.start = lambda *args: (starts.append(args), real_start(*args))

    for _ in range(5):
        form.edited.emit()

    assert len(starts) == 1, "a restart on every key would postpone the save for as long as the typing goes on"
    assert timer.isActive()
    timer.stop()
