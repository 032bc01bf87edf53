"""Console start time with 100,000 cached tickets (budget 2 s): process start -> main window painted, queue filled.

Builds (once, reused under bench/out/) a HOTLINE_HOME whose cache holds 100,000 demo tickets and a saved session,
then starts the real console in a fresh process several times (offscreen, service unreachable so nothing waits on
the network) and prints p50/min/max of the time from spawning the process to the first paint of the main window with
the queue model populated, plus where the time goes inside the process.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TICKETS = 100_000
RUNS = 5
BUDGET_S = 2.0
DEAD_SERVER = "http://127.0.0.1:9"  # nothing listens: the console starts offline, as it must be able to


def _snapshots(n: int):
    from domain.demo_data import generate

    per_day: dict[str, int] = {}
    now = datetime.now(timezone.utc)
    for i, row in enumerate(generate(n, seed=12345)):
        day = str(row.get("call_started_at") or "2026-01-01")[:10].replace("-", "")
        per_day[day] = per_day.get(day, 0) + 1
        due = (now + timedelta(hours=(i % 120) - 24)).isoformat()
        yield {**row, "number": f"{day}-{per_day[day]:06d}", "version": 1, "operator": ("op1", "op2", "op3")[i % 3],
               "unit_code": "", "due_at": due, "created_at": row.get("call_started_at"),
               "updated_at": row.get("call_started_at")}


def prepare_home(n: int = TICKETS) -> Path:
    """A HOTLINE_HOME with n cached tickets and op1's saved session; reused when it is already there."""
    home = OUT / f"console-start-{n}"
    marker = home / "ready.json"
    if marker.exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["HOTLINE_HOME"] = str(home)
    from console.settings import ConsoleSettings
    from storage.cache import LocalCache

    started = time.perf_counter()
    with LocalCache.open(home) as cache:
        cache.import_tickets(_snapshots(n), batch=50_000)
        count = cache.count_tickets()
    ConsoleSettings(home).save_session(DEAD_SERVER, "bench-token", "op1", "operator", None)
    marker.write_text(json.dumps({"tickets": count}))
    print(f"built {home.relative_to(ROOT)}: {count:,} tickets in {time.perf_counter() - started:.1f} s")
    return home


CHILD = r"""
import sys, time, json
t_start = time.time()
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
t_qt = time.time()
from console.app import Console
from console.i18n import install_language
t_imports = time.time()
console = Console(sys.argv[2], embedded=False)
install_language(app, "zh_CN")
t_context = time.time()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            queue = getattr(window, "queue", None)
            rows = queue.model.rowCount() if hasattr(queue, "model") else -1
            if rows:
                self.done = True
                t_paint = time.time()
                print(json.dumps({"start": t_start, "qt": t_qt, "imports": t_imports, "context": t_context,
                                  "window": t_window, "paint": t_paint, "queue_rows": rows,
                                  "cached": console.ctx.cache.count_tickets()}), flush=True)
                QTimer.singleShot(0, app.quit)
        return False

painted = FirstPaint()
app.installEventFilter(painted)
window = console.start(show=False)
t_window = time.time()
window.show()
app.exec()
console.shutdown()
"""


def run_once(home: Path) -> dict:
    env = dict(os.environ, HOTLINE_HOME=str(home), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    spawned = time.time()
    result = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), DEAD_SERVER], env=env, capture_output=True,
                            text=True, timeout=120)
    line = next((l for l in result.stdout.splitlines() if l.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"the console did not report its first paint:\n{result.stderr[-2000:]}")
    figures = json.loads(line)
    figures["spawned"] = spawned
    return figures


QUEUE_ONLY = r"""
import sys, time, json, statistics
sys.path.insert(0, sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from storage.cache import LocalCache
from console.queue import QueueView
from widgets.sync_status import SyncStatusWidget
from widgets.caller_context import CallerContextPanel
cache = LocalCache.open(sys.argv[2])
samples = {"queue": [], "status": [], "caller": []}
for _ in range(5):
    t = time.perf_counter(); view = QueueView(cache, "op1"); samples["queue"].append(time.perf_counter() - t)
    t = time.perf_counter(); status = SyncStatusWidget(cache); samples["status"].append(time.perf_counter() - t)
    t = time.perf_counter(); panel = CallerContextPanel(cache); panel.show_for_phone(view.model.ticket_at(0)["caller_phone"], "x", "y", "z")
    samples["caller"].append(time.perf_counter() - t)
print(json.dumps({k: statistics.median(v) for k, v in samples.items()}))
"""


def queue_share(home: Path) -> dict:
    """The queue/status/caller widgets alone, in one process (their share of the window's build time)."""
    env = dict(os.environ, HOTLINE_HOME=str(home), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    result = subprocess.run([sys.executable, "-c", QUEUE_ONLY, str(ROOT), str(home)], env=env, capture_output=True,
                            text=True, timeout=120)
    line = next((l for l in result.stdout.splitlines() if l.startswith("{")), None)
    if line is None:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(line)


def main() -> int:
    home = prepare_home()
    samples = [run_once(home) for _ in range(RUNS)]
    total = [s["paint"] - s["spawned"] for s in samples]
    print(f"console start with {samples[0]['cached']:,} cached tickets, {RUNS} runs, offscreen, service unreachable")
    print(f"  process spawn -> main window painted, queue filled: p50 {statistics.median(total):.2f} s  "
          f"min {min(total):.2f} s  max {max(total):.2f} s  (budget {BUDGET_S:.1f} s)")
    phases = (("interpreter start", "spawned", "start"), ("Qt + QApplication", "start", "qt"),
              ("console imports", "qt", "imports"), ("context: cache, taxonomy, gazetteer, settings", "imports", "context"),
              ("main window built (queue first page)", "context", "window"), ("show -> first paint", "window", "paint"))
    for name, a, b in phases:
        print(f"  {name:<48} p50 {statistics.median(s[b] - s[a] for s in samples) * 1000:7.0f} ms")
    print(f"  queue rows loaded at first paint: {samples[0]['queue_rows']} (paged; not all {samples[0]['cached']:,})")
    share = queue_share(home)
    print(f"  of which, built alone: queue view (first page, my tickets) {share['queue'] * 1000:.0f} ms, "
          f"sync status {share['status'] * 1000:.1f} ms, caller context lookup {share['caller'] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
