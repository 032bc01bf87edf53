"""The dialog shown when the local ticket store cannot be opened at start: what happened, what to do, where details are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from storage.errors import EnvironmentProblem

RETRY = "retry"
SET_ASIDE = "set_aside"
QUIT = "quit"

# Kinds where waiting or IT fixing something outside the console is the fix: "Try again" then opens it.
_RETRYABLE = {"locked", "disk_full", "read_only", "permission", "io"}


class CacheProblemDialog(QMessageBox):
    """One cache problem told in the person's words; `choice` is RETRY, SET_ASIDE or QUIT after exec()."""

    def __init__(self, problem: EnvironmentProblem, cache_path: Path, log_path: Path | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cacheProblem")
        self.problem = problem
        self.cache_path = Path(cache_path)
        self.choice = QUIT
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("The console cannot open its local ticket store"))
        what, fix = self._what_and_fix()
        self.setText(what)
        where = self.tr("The file: %1").replace("%1", str(self.cache_path))
        if log_path is not None:
            where += "\n" + self.tr("Details for IT are in %1").replace("%1", str(log_path))
        self.setInformativeText(fix + "\n\n" + where)
        if problem.detail:
            self.setDetailedText(problem.detail)
        self.buttons: dict[str, object] = {}
        if problem.kind in _RETRYABLE:
            self.buttons[RETRY] = self.addButton(self.tr("Try again"), QMessageBox.ButtonRole.AcceptRole)
        if problem.kind == "damaged":
            self.buttons[SET_ASIDE] = self.addButton(self.tr("Set it aside and start afresh"),
                                                     QMessageBox.ButtonRole.AcceptRole)
        self.buttons[QUIT] = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.buttons.get(RETRY) or self.buttons.get(SET_ASIDE) or self.buttons[QUIT])
        self.setEscapeButton(self.buttons[QUIT])
        self.buttonClicked.connect(self._remember)

    def _remember(self, button) -> None:
        self.choice = next((name for name, b in self.buttons.items() if b is button), QUIT)

    def _what_and_fix(self) -> tuple[str, str]:
        kind, folder = self.problem.kind, str(self.cache_path.parent)
        if kind == "damaged":
            return (self.tr("The local ticket store is damaged and cannot be read."),
                    self.tr("Choose “Set it aside and start afresh”: the damaged file is kept next to it, renamed, "
                            "for IT (tickets not yet sent may still be in it), and a new store fills again from "
                            "the central service."))
        if kind == "too_new":
            return (self.tr("The local ticket store was written by a newer version of the console."),
                    self.tr("Start the newer version of the console, or ask IT to update this one. The store was "
                            "not changed, so tickets not yet sent in it are kept."))
        if kind == "locked":
            return (self.tr("Another console window or program is holding the local ticket store."),
                    self.tr("Close the other console window (or wait a moment), then choose “Try again”."))
        if kind == "disk_full":
            return (self.tr("The disk that holds the local ticket store is full."),
                    self.tr("Free some disk space (or ask IT), then choose “Try again”."))
        if kind in ("read_only", "permission"):
            return (self.tr("The console may not write its local ticket store, so no ticket could be saved."),
                    self.tr("Ask IT to give your account write permission to %1 (or set HOTLINE_HOME to a folder "
                            "you can write), then choose “Try again”.").replace("%1", folder))
        if kind == "io":
            return (self.tr("The computer reported a disk error while opening the local ticket store."),
                    self.tr("Choose “Try again”; if it happens again, the disk may be failing: call IT."))
        return self.problem.message, ""


def ask_about_cache_problem(problem: EnvironmentProblem, cache_path: Path, log_path: Path | None = None,
                            parent=None) -> str:
    """Show the dialog modally; returns RETRY, SET_ASIDE or QUIT."""
    dialog = CacheProblemDialog(problem, cache_path, log_path, parent)
    dialog.exec()
    choice = dialog.choice
    dialog.deleteLater()
    return choice
