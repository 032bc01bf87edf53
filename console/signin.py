"""The sign-in screen: user name and password, the demo accounts when the service is the embedded one."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

log = logging.getLogger("hotline.console.signin")

# Shown when the embedded service does not list its demo accounts itself (GET /api/v1/health "demo_accounts").
FALLBACK_DEMO_ACCOUNTS: tuple[dict, ...] = (
    {"username": "op1", "password": "demo", "role": "operator"},
    {"username": "op2", "password": "demo", "role": "operator"},
    {"username": "sup1", "password": "demo", "role": "supervisor"},
    {"username": "hd1", "password": "demo", "role": "handler"},
    {"username": "admin", "password": "demo", "role": "admin"},
)


def fetch_demo_accounts(server_url: str) -> list[dict]:
    """The embedded service's demo accounts from its health answer; the fallback list when it has none."""
    try:
        from storage.http_client import make_client

        with make_client(timeout=3.0) as client:
            body = client.get(server_url.rstrip("/") + "/api/v1/health").json()
        accounts = body.get("demo_accounts") if isinstance(body, dict) else None
        if isinstance(accounts, list) and accounts:
            return [
                {"username": str(a.get("username", "")), "password": str(a.get("password", "")), "role": str(a.get("role", ""))}
                for a in accounts
                if isinstance(a, dict) and a.get("username")
            ]
    except Exception as exc:  # offline or an older service: the fallback list is right for the embedded one
        log.info("demo accounts not listed by the service (%s); using the built-in list", type(exc).__name__)
    return [dict(a) for a in FALLBACK_DEMO_ACCOUNTS]


class SignInDialog(QDialog):
    """Signs in over HTTP on a worker thread; `session` holds the result after accept()."""

    _finished = Signal(object, str)  # (Session or None, message) from the worker thread, queued to ours
    _accounts = Signal(list)

    def __init__(self, server_url: str, *, embedded: bool, last_username: str = "", can_work_offline: bool = False,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.server_url = server_url
        self.embedded = embedded
        self.session = None
        self.work_offline = False
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._accounts.connect(self._show_accounts, Qt.ConnectionType.QueuedConnection)

        layout = QVBoxLayout(self)
        self._title = QLabel()
        self._title.setObjectName("signInTitle")
        layout.addWidget(self._title)
        self._where = QLabel(server_url)
        self._where.setObjectName("signInServer")
        layout.addWidget(self._where)
        form = QFormLayout()
        self.username = QLineEdit(last_username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self._user_label, self._password_label = QLabel(), QLabel()
        self._user_label.setBuddy(self.username)
        self._password_label.setBuddy(self.password)
        form.addRow(self._user_label, self.username)
        form.addRow(self._password_label, self.password)
        layout.addLayout(form)
        self._demo_label = QLabel()
        self.demo_accounts = QListWidget()
        self.demo_accounts.setObjectName("demoAccounts")
        self.demo_accounts.setMaximumHeight(120)
        self.demo_accounts.currentItemChanged.connect(self._fill_from_demo)
        self.demo_accounts.itemActivated.connect(lambda _i: self._sign_in())
        layout.addWidget(self._demo_label)
        layout.addWidget(self.demo_accounts)
        self._demo_label.setVisible(embedded)
        self.demo_accounts.setVisible(embedded)
        self.problem = QLabel()
        self.problem.setObjectName("signInProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.problem)
        self._buttons = QDialogButtonBox()
        self._ok = self._buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self._ok.clicked.connect(self._sign_in)
        self._offline = QPushButton()
        self._offline.setObjectName("workOffline")
        self._offline.clicked.connect(self._go_offline)
        self._buttons.addButton(self._offline, QDialogButtonBox.ButtonRole.ActionRole)
        self._offline.setVisible(can_work_offline and bool(last_username))
        cancel = self._buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self._buttons)
        self._last_username = last_username
        self.retranslate_ui()
        if embedded:
            threading.Thread(target=lambda: self._accounts.emit(fetch_demo_accounts(server_url)), daemon=True).start()
        (self.password if last_username else self.username).setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Sign in"))
        self._title.setText(self.tr("Sign in to the hotline console"))
        self._user_label.setText(self.tr("&User name"))
        self._password_label.setText(self.tr("&Password"))
        self._demo_label.setText(self.tr("Demo accounts (Enter signs in with the one selected):"))
        self._ok.setText(self.tr("Sign in"))
        self._offline.setText(self.tr("Work offline as %1").replace("%1", self._last_username))

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show_accounts(self, accounts: list) -> None:
        self.demo_accounts.clear()
        for account in accounts:
            item = QListWidgetItem(f"{account['username']} / {account['password']}    {account['role']}")
            item.setData(Qt.ItemDataRole.UserRole, account)
            self.demo_accounts.addItem(item)
        if not self.username.text() and accounts:
            self.demo_accounts.setCurrentRow(0)
            self.demo_accounts.setFocus()

    def _fill_from_demo(self, item, _previous=None) -> None:
        if item is None:
            return
        account = item.data(Qt.ItemDataRole.UserRole)
        self.username.setText(account["username"])
        self.password.setText(account["password"])

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._sign_in()
            return
        super().keyPressEvent(event)

    def _sign_in(self) -> None:
        if not self._ok.isEnabled():
            return  # already asking (Enter on the list also reaches the dialog)
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.problem.setText(self.tr("Enter your user name and password."))
            (self.username if not username else self.password).setFocus()
            return
        self._ok.setEnabled(False)
        self.problem.setText(self.tr("Signing in…"))

        def work() -> None:
            try:
                from storage.http_client import login

                self._finished.emit(login(self.server_url, username, password), "")
            except Exception as exc:
                self._finished.emit(None, getattr(exc, "message", "") or str(exc))

        threading.Thread(target=work, name="sign-in", daemon=True).start()

    def _on_finished(self, session, message: str) -> None:
        self._ok.setEnabled(True)
        if session is None:
            self.problem.setText(self.tr("Not signed in: %1").replace("%1", message))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.session = session
        self.accept()

    def _go_offline(self) -> None:
        self.work_offline = True
        self.accept()
