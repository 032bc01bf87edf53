"""`python -m console.screenshots OUTDIR`: renders the main screens to PNG from a demo hotline (offscreen works).

A temporary HOTLINE_HOME, the central service started as a separate process (`main.py server`, seeded with the demo
accounts and tickets), the real console window signed in over HTTP, sync pulling the demo tickets; then intake with
a description typed and its suggestions, the queue with a ticket open, the supervisor view and diagnostics, in
Chinese and in English.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from domain import config

ROOT = Path(__file__).resolve().parents[1]
DESCRIPTION_ZH = "小区楼下广场舞每天晚上十点以后还在放音乐，噪音扰民，希望管一管"
DESCRIPTION_EN = "Loud music from square dancing downstairs every night after 10 pm, please stop the noise"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settle(app, seconds: float, until=None) -> bool:
    """Run the event loop for up to `seconds` (a rendering script, not a test: waiting on the real thing is fine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            return True
        time.sleep(0.02)
    app.processEvents()
    return until() if until is not None else True


def _start_service(home: Path, env: dict) -> tuple[subprocess.Popen, str]:
    """The demo central service as its own process, the way a real deployment runs it."""
    db_url = f"sqlite:///{home / 'server.db'}"
    subprocess.run([sys.executable, "-c", "import sys; from server.demo_seed import seed_demo; seed_demo(sys.argv[1])", db_url],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "server", "--db", db_url, "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx2

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the demo service did not start")
        try:
            if httpx2.get(url + "/api/v1/health", timeout=1.0).status_code == 200:
                return process, url
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the demo service did not answer within 60 s")


def _copy_existing_model(home: Path) -> None:
    """Reuse a trained default model from the usual HOTLINE_HOME, so rendering does not retrain one."""
    try:
        from domain.home import hotline_home

        source = hotline_home() / "models"
    except OSError:
        return
    if source.is_dir() and any(source.iterdir()):
        shutil.copytree(source, home / "models", dirs_exist_ok=True)


def _ensure_model(home: Path) -> None:
    """A suggestion model for the intake screen: the shipped default, trained once when missing."""
    models = home / "models"
    if models.is_dir() and any(p.is_dir() for p in models.iterdir()):
        return
    from classifier.default_model import ensure_default_model

    ensure_default_model()  # trained once here, so the console loads it at once


def _busiest_phone(cache) -> str:
    counts = Counter(t.get("caller_phone") for t in cache.list_tickets(limit=2000) if t.get("caller_phone"))
    return counts.most_common(1)[0][0] if counts else "13800138000"


def render(outdir: Path, languages=("zh_CN", "en"), username: str = "sup1") -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    original_home = config.HOME.raw()  # restored as it was when rendering ends
    home = Path(tempfile.mkdtemp(prefix="hotline-shots-"))
    _copy_existing_model(home)
    os.environ["HOTLINE_HOME"] = str(home)
    _ensure_model(home)
    env = dict(os.environ, HOTLINE_HOME=str(home), PYTHONPATH=str(ROOT))
    service, url = _start_service(home, env)
    written: list[Path] = []
    try:
        from PySide6.QtGui import QFont
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([sys.argv[0]])
        app.setFont(QFont(["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"], 10))
        from console.app import Console
        from console.i18n import install_language
        from console.log import install_logging
        from console.queue import ALL
        from console.queue_supervisor import SupervisorView
        from storage.http_client import login

        install_logging()
        console = Console(url, embedded=True, home=home)
        console.ctx.sign_in(login(url, username, "demo"))
        window = console.start(show=True)
        window.resize(1400, 860)
        ctx = console.ctx
        _settle(app, 60, until=lambda: ctx.sync is not None and ctx.sync.state is not None and ctx.sync.state.online
                and not ctx.sync.state.syncing and ctx.cache.count_tickets() > 0)
        _settle(app, 120, until=lambda: ctx.suggester is not None)
        phone = _busiest_phone(ctx.cache)
        # One change the service will refuse (someone else holds the ticket), so diagnostics has a reason to show.
        victim = next(iter(ctx.cache.list_tickets(limit=1)), None)
        if victim is not None:
            ctx.cache.reassign(victim["id"], "someone-else", "op2", "screenshot: a stale reassignment", ctx.username())
            ctx.poke_sync()
            _settle(app, 20, until=lambda: bool(ctx.cache.rejections()))
        supervisor = SupervisorView(ctx.cache, ctx.username(), category_name=window._category_name)
        supervisor.setWindowTitle("Supervisor")
        supervisor.resize(1400, 800)
        supervisor.show()
        if ctx.sync is not None:
            ctx.sync.changesArrived.connect(supervisor.apply_sync_changes)
        for lang in languages:
            install_language(app, lang)
            suffix = "" if lang == languages[0] else f"_{lang.split('_')[0]}"
            # Intake: a call pops, the description is typed, the suggestions and caller context show.
            window.take_call(phone)
            window.form.description.setFocus()
            window.form.description.insertPlainText(DESCRIPTION_ZH if lang == "zh_CN" else DESCRIPTION_EN)
            window._on_phone_entered()
            _settle(app, 2.0)
            written.append(_save(window.grab(), outdir / f"intake{suffix}.png"))
            # Queue: all tickets, SLA clocks, one opened with its history and notes.
            window.show_queue()
            queue = window.queue
            queue.set_scope(ALL)
            queue.table.setFocus()
            if queue.proxy.rowCount():
                queue.open_ticket_at(queue.proxy.index(0, 0))
            _settle(app, 0.5)
            written.append(_save(window.grab(), outdir / f"queue{suffix}.png"))
            # Supervisor: shift queue, operator load, a multi-selection ready to reassign.
            supervisor.refresh_load()
            supervisor.queue.table.selectRow(0)
            _settle(app, 0.5)
            written.append(_save(supervisor.grab(), outdir / f"supervisor{suffix}.png"))
            # Diagnostics from the status bar.
            window.show_intake()
            window.show_diagnostics()
            dialog = getattr(window, "_diagnostics_dialog", None)
            if dialog is not None:
                dialog.resize(900, 520)
                dialog.tabs.setCurrentIndex(2 if lang == languages[0] else 1)  # rejected changes, then the log
                _settle(app, 0.5)
                written.append(_save(dialog.grab(), outdir / f"diagnostics{suffix}.png"))
                dialog.close()
            # Leave no kept draft behind for the next language's screens (a real operator would save it).
            window.form.start_ticket()
            for draft in ctx.cache.load_drafts():
                ctx.cache.discard_draft(draft["id"])
            window.intake.draftsChanged.emit(0)
            window.statusBar().clearMessage()
        supervisor.close()
        console.shutdown()
        window.close()
        app.processEvents()
    finally:
        service.terminate()
        try:
            service.wait(10)
        except subprocess.TimeoutExpired:
            service.kill()
        if original_home is None:
            os.environ.pop("HOTLINE_HOME", None)
        else:
            os.environ["HOTLINE_HOME"] = original_home
        shutil.rmtree(home, ignore_errors=True)
    return written


def _save(pixmap, path: Path) -> Path:
    if not pixmap.save(str(path)):
        raise RuntimeError(f"could not write {path}")
    print(f"wrote {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m console.screenshots OUTDIR", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    render(Path(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
