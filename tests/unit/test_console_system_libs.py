"""`make run`'s check of the system libraries Qt needs, with a stand-in for the package query."""

import io

from console.system_libs import OFFSCREEN_PACKAGES, WINDOW_PACKAGES, check

DESKTOP = {"DISPLAY": ":0"}


def _only(installed: set[str]):
    return lambda package: package in installed


def test_nothing_missing_passes_quietly():
    out = io.StringIO()
    assert check(installed=_only(set(WINDOW_PACKAGES)), is_root=False, environ=DESKTOP, out=out) == 0
    assert out.getvalue() == ""


def test_missing_xcb_libraries_as_a_user_give_one_line_with_the_command():
    out = io.StringIO()
    have = set(WINDOW_PACKAGES) - {"libxcb-cursor0", "libxcb-icccm4"}
    assert check(installed=_only(have), is_root=False, environ=DESKTOP, out=out) == 1
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert "libxcb-cursor0 libxcb-icccm4" in lines[0]
    assert "sudo apt-get install -y --no-install-recommends libxcb-cursor0 libxcb-icccm4" in lines[0]


def test_as_root_the_missing_packages_are_installed():
    ran: list[list[str]] = []
    have = set(WINDOW_PACKAGES) - {"libxcb-cursor0"}
    code = check(installed=_only(have), is_root=True, environ=DESKTOP, run=lambda cmd: ran.append(cmd) or 0,
                 out=io.StringIO())
    assert code == 0
    assert ran == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "--no-install-recommends", "libxcb-cursor0"]]


def test_a_failed_install_names_the_command():
    out = io.StringIO()
    code = check(installed=_only(set()), is_root=True, environ=DESKTOP, run=lambda cmd: 100, out=out)
    assert code == 1 and "apt-get install" in out.getvalue()


def test_offscreen_needs_only_the_offscreen_set():
    asked: list[str] = []

    def installed(package):
        asked.append(package)
        return True

    assert check(installed=installed, is_root=False, environ={"QT_QPA_PLATFORM": "offscreen"}, out=io.StringIO()) == 0
    assert tuple(asked) == OFFSCREEN_PACKAGES


def test_no_display_is_said_in_one_line(monkeypatch):
    monkeypatch.setattr("sys.platform", "linux")
    out = io.StringIO()
    assert check(installed=_only(set(WINDOW_PACKAGES)), is_root=False, environ={}, out=out) == 1
    assert "DISPLAY" in out.getvalue() and len(out.getvalue().strip().splitlines()) == 1
