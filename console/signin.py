"""The sign-in screen: user name and password (and the authenticator app's code when the account has a second
factor), the demo accounts when the service is the embedded one."""

from __future__ import annotations

import logging
import threading

import httpx2
from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
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

from console.server_messages import error_text

log = logging.getLogger("hotline.console.signin")

OTP_REQUIRED, OTP_WRONG = "otp_required", "otp_wrong"  # storage.http_client's LoginError codes

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
    except (httpx2.HTTPError, ValueError, AttributeError) as exc:  # offline, not JSON, or an older service's answer
        log.info("demo accounts not listed by the service (%s); using the built-in list", type(exc).__name__)
    return [dict(a) for a in FALLBACK_DEMO_ACCOUNTS]


class SignInDialog(QDialog):
    """Signs in over HTTP on a worker thread; `session` holds the result after accept()."""

    _finished = Signal(object, object)  # (Session or None, the exception or None) from the worker thread
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
        # The second factor's code: shown only when the service asks for it (after a right password).
        self.otp = QLineEdit()
        self.otp.setObjectName("otp")
        self.otp.setMaxLength(6)
        self.otp.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,6}"), self.otp))
        self.otp.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self._otp_label = QLabel()
        self._otp_label.setBuddy(self.otp)
        form.addRow(self._otp_label, self.otp)
        self._form = form
        layout.addLayout(form)
        self._set_otp_visible(False)
        self.username.textEdited.connect(lambda _text: self._set_otp_visible(False))  # another account: ask again
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
        self._otp_label.setText(self.tr("Code from the authenticator &app"))
        self.otp.setPlaceholderText(self.tr("6 digits"))
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
        otp = self.otp.text() if self.otp_visible() else None
        if otp is not None and len(otp) != 6:
            self.problem.setText(self.tr("Type the 6-digit code from your authenticator app."))
            self.otp.setFocus()
            return
        self._ok.setEnabled(False)
        self.problem.setText(self.tr("Signing in…"))

        def work() -> None:
            from storage.http_client import ServiceError, login

            try:
                self._finished.emit(login(self.server_url, username, password, otp=otp), None)
            except ServiceError as exc:
                self._finished.emit(None, exc)
            except Exception as exc:  # a thread boundary: the dialog must hear back whatever happened
                log.exception("sign-in failed unexpectedly")
                self._finished.emit(None, exc)

        threading.Thread(target=work, name="sign-in", daemon=True).start()

    def otp_visible(self) -> bool:
        return not self.otp.isHidden()

    def _set_otp_visible(self, visible: bool) -> None:
        self._form.setRowVisible(self.otp, visible)
        if not visible:
            self.otp.clear()

    def _on_finished(self, session, error) -> None:
        self._ok.setEnabled(True)
        if session is None:
            code = getattr(error, "code", None)
            self.problem.setText(self.tr("Not signed in: %1").replace("%1", error_text(error) if error else ""))
            if code in (OTP_REQUIRED, OTP_WRONG):
                # The password was right: keep it, and ask for (another) code from the app.
                self._set_otp_visible(True)
                self.otp.clear()
                self.otp.setFocus()
                return
            self.password.selectAll()
            self.password.setFocus()
            return
        self.session = session
        self.accept()

    def _go_offline(self) -> None:
        self.work_offline = True
        self.accept()
