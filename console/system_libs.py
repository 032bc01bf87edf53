"""Before `make run` opens a window: the system libraries Qt needs on Debian-like Linux, installed or named.

Qt's xcb platform plugin aborts the whole process ("could not load the Qt platform plugin") when one of
its libraries is missing, with no word on which package brings it. This check runs first, without
importing Qt: as root with apt it installs what is missing, otherwise it stops with one line that
names the packages and the command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Callable, Sequence

# What the offscreen platform needs (tests, screenshots), and what a real window adds on top.
OFFSCREEN_PACKAGES = ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0")
WINDOW_PACKAGES = OFFSCREEN_PACKAGES + (
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
    "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0", "fonts-noto-cjk",
)

Query = Callable[[str], bool]


def dpkg_installed(package: str) -> bool:
    """Whether Debian's package database has `package` installed."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return result.returncode == 0 and result.stdout.strip().endswith("installed")


def needed_packages(environ: dict | None = None) -> tuple[str, ...]:
    environ = os.environ if environ is None else environ
    return OFFSCREEN_PACKAGES if environ.get("QT_QPA_PLATFORM") == "offscreen" else WINDOW_PACKAGES


def missing_packages(packages: Sequence[str], installed: Query = dpkg_installed) -> list[str]:
    return [p for p in packages if not installed(p)]


def check(installed: Query | None = None, is_root: bool | None = None, environ: dict | None = None,
          run: Callable[[list[str]], int] | None = None, out=sys.stderr) -> int:
    """0 when Qt can open its window (after installing what was missing, as root); 1 with one line otherwise."""
    environ = os.environ if environ is None else environ
    if installed is None:
        if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
            return 0  # not Debian-like: nothing to ask, Qt's own message is all there is
        installed = dpkg_installed
    missing = missing_packages(needed_packages(environ), installed)
    if missing:
        is_root = (os.geteuid() == 0) if is_root is None else is_root
        command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
        if is_root and (run is not None or shutil.which("apt-get")):
            run = run or _apt
            print(f"Installing what the console's window needs: {' '.join(missing)}", file=out, flush=True)
            if run(["apt-get", "update", "-qq"]) != 0 or run(command) != 0:
                print(f"Could not install {' '.join(missing)}; run: {' '.join(command)}", file=out)
                return 1
        else:
            print(f"The console's window needs system packages that are missing: {' '.join(missing)}. "
                  f"Install them with: sudo {' '.join(command)}", file=out)
            return 1
    if (sys.platform.startswith("linux") and environ.get("QT_QPA_PLATFORM") != "offscreen"
            and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")):
        print("There is no screen to open the console on (DISPLAY is not set): run it on a desktop, "
              "or under Xvfb (xvfb-run make run).", file=out)
        return 1
    return 0


def _apt(command: list[str]) -> int:
    return subprocess.run(command, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}).returncode


if __name__ == "__main__":
    sys.exit(check())
