"""Every error code and refusal text the central service can send has a Chinese text in the console.

The service's messages are found by reading its source (server/ and the domain errors it passes on), so a new
`ApiError`, `bad_request(...)`, `Rejected(...)` or error code without a translation fails here."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Calls whose first message argument reaches a person: (name, index of the message argument).
_MESSAGE_CALLS = {"bad_request": 0, "forbidden": 0, "not_found": 0, "unauthorized": 0, "Rejected": 0, "ApiError": 2,
                  "JsonError": 0, "TransitionError": 0, "RoutingError": 0, "TimeError": 0, "MonthError": 0}
# Codes given by the helpers themselves (server/errors.py).
_HELPER_CODES = {"bad_request": "invalid_request", "forbidden": "forbidden", "not_found": "not_found",
                 "unauthorized": "unauthorized"}
# Messages that are not written at the call but passed on from elsewhere: where their texts are written.
# A new passing-on fails the test until it is named here (and its texts get translations).
INDIRECT = {
    ("server/tickets.py", "_route", "str(exc)"): "domain/routing.py",
    ("server/tickets.py", "transition", "str(exc)"): "domain/lifecycle.py",
    ("server/tickets.py", "create", "_problems_text(problems)"): "domain/ticket.py",
    ("server/tickets.py", "update_fields", "_problems_text(problems)"): "domain/ticket.py",
    ("server/tickets.py", "transition", "_problems_text(problems)"): "domain/ticket.py",
    ("server/api/deps.py", "json_body", "str(exc)"): "server/api/deps.py",
    ("server/ranking.py", "rankings", "str(exc)"): "domain/ranking.py",
    ("server/accounts.py", "sign_in", "_OTP_MESSAGES['otp_required']"): "server/accounts.py",
    ("server/accounts.py", "sign_in", "_OTP_MESSAGES[failed_because]"): "server/accounts.py",
}
# Third parties read Open311's own error shape; the console never calls it.
_NOT_FOR_THE_CONSOLE = {"server/open311.py", "server/testing.py"}


@dataclass(frozen=True)
class Said:
    where: str  # file:line
    template: str | None  # the English with %1, %2 … for what is filled in; None when passed on (see INDIRECT)
    indirect: tuple | None = None


def _template(node: ast.AST, constants: dict[str, str]) -> str | None:
    """The text of a string literal, f-string or implicit concatenation, with %1, %2 … for what is filled in."""
    parts: list[str] = []
    count = 0

    def walk(n: ast.AST) -> bool:
        nonlocal count
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            parts.append(n.value)
        elif isinstance(n, ast.JoinedStr):
            for value in n.values:
                if isinstance(value, ast.Constant):
                    parts.append(value.value)
                else:
                    count += 1
                    parts.append(f"%{count}")
        elif isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add):
            return walk(n.left) and walk(n.right)
        elif isinstance(n, ast.Name) and n.id in constants:
            parts.append(constants[n.id])
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "join":
            count += 1
            parts.append(f"%{count}")
        else:
            return False
        return True

    return "".join(parts) if walk(node) else None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                out[node.targets[0].id] = node.value.value
    return out


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _scan(path: Path, calls=_MESSAGE_CALLS) -> tuple[list[Said], set[str]]:
    """What `path` says to a person (messages) and the error codes it answers with."""
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _module_constants(tree)
    said: list[Said] = []
    codes: set[str] = set()
    functions: dict[int, str] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(fn):
                functions.setdefault(id(inner), fn.name)  # outermost first: ast.walk is breadth-first
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name not in calls:
                continue
            if name in _HELPER_CODES:
                codes.add(next((kw.value.value for kw in node.keywords if kw.arg == "code"), _HELPER_CODES[name]))
            if name == "ApiError" and len(node.args) > 1:
                codes.add(_code_value(node.args[1]))
            index = calls[name]
            arg = node.args[index] if len(node.args) > index else None
            if arg is None:
                continue  # the helper's own default message (server/errors.py is scanned for it)
            where = f"{rel}:{node.lineno}"
            for branch in (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else (arg,):
                text = _template(branch, constants)
                if text is None and rel == "server/errors.py" and ast.unparse(branch) == "message":
                    continue  # the helpers hand on their callers' words, which are scanned where they are written
                if text is None:
                    said.append(Said(where, None, (rel, functions.get(id(node), ""), ast.unparse(branch))))
                else:
                    said.append(Said(where, text))
        elif isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            if "error" in keys and "message" in keys:
                code = node.values[keys.index("error")]
                if isinstance(code, ast.Constant):
                    codes.add(code.value)
                elif isinstance(code, ast.IfExp):
                    codes.update(c.value for c in (code.body, code.orelse) if isinstance(c, ast.Constant))
                text = _template(node.values[keys.index("message")], constants)
                if text is not None:
                    said.append(Said(f"{rel}:{node.lineno}", text))
    return said, codes


def _code_value(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "PushError":
        from domain.wire import PushError

        return PushError[node.attr].value
    if isinstance(node, ast.Name):
        return f"<{node.id}>"  # a variable: the otp codes, checked through INDIRECT
    raise AssertionError(f"an error code written as {ast.unparse(node)}")


def _defaults(path: Path) -> list[Said]:
    """Default message arguments of server/errors.py's helpers (unauthorized() with no words)."""
    said = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for default in node.args.defaults:
                if isinstance(default, ast.Constant) and isinstance(default.value, str) and " " in default.value:
                    said.append(Said(f"server/errors.py:{node.lineno}", default.value))
    return said


def _indirect_texts(source: str) -> list[Said]:
    """The texts a passed-on message can hold, read from where they are written."""
    path = ROOT / source
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = _module_constants(tree)
    out: list[Said] = []
    if source == "domain/ticket.py":
        for node in ast.walk(tree):  # problems["field"] = "..."
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
                target = node.targets[0].value
                if isinstance(target, ast.Name) and target.id == "problems":
                    out.append(Said(f"{source}:{node.lineno}", _template(node.value, constants)))
        return out + _scan(path, {"TimeError": 0})[0]  # passed on inside "The time the call started is not valid"
    if source == "server/accounts.py":
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "_OTP_MESSAGES":
                out += [Said(f"{source}:{node.lineno}", v.value) for v in node.value.values]
        return out
    exception = {"domain/routing.py": "RoutingError", "domain/lifecycle.py": "TransitionError",
                 "server/api/deps.py": "JsonError", "domain/ranking.py": "MonthError"}[source]
    said, _ = _scan(path, {exception: 0})
    return said


def service_messages() -> tuple[list[Said], set[str]]:
    """Every text the service can send a console as an error message or a rejection reason, and every code."""
    said: list[Said] = []
    codes: set[str] = set()
    for path in sorted((ROOT / "server").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _NOT_FOR_THE_CONSOLE or "/migrations/" in rel:
            continue
        found, found_codes = _scan(path)
        said += found
        codes |= found_codes
    said += _defaults(ROOT / "server" / "errors.py")
    for source in sorted(set(INDIRECT.values())):
        said += _indirect_texts(source)
    codes = {c for c in codes if not c.startswith("<")} | {"otp_required", "otp_wrong"}
    return said, codes


# ---- the tests ------------------------------------------------------------------------------------------------

def test_the_scan_finds_what_the_service_says():
    """Guard against a scan that silently finds nothing (the other tests would then pass for nothing)."""
    said, codes = service_messages()
    templates = {s.template for s in said}
    assert len(templates) > 80
    assert "This ticket is now held by %1, not %2; look again before reassigning." in templates
    assert "Only a %1 may %2 this ticket." in templates  # domain/lifecycle.py, passed on by server/tickets.py
    assert "Type the number with the digits 0-9 (half-width), not full-width digits." in templates
    assert {"otp_required", "too_many_attempts", "gap", "client_not_yours", "unavailable", "internal"} <= codes


def test_every_passed_on_message_is_known():
    said, _ = service_messages()
    unknown = sorted({s.indirect for s in said if s.indirect is not None and s.indirect not in INDIRECT})
    assert not unknown, (f"the service passes on messages from somewhere new: {unknown}; name their source in "
                         "INDIRECT and give their texts a translation in console/server_messages.py")


def test_every_message_and_code_of_the_service_has_a_translation():
    from console import server_messages

    said, codes = service_messages()
    catalogue = set(server_messages.MESSAGES)
    missing = sorted({f"{s.where}: {s.template}" for s in said if s.template is not None and s.template not in catalogue})
    assert not missing, "no translation in console/server_messages.py MESSAGES for:\n" + "\n".join(missing)
    missing_codes = sorted(codes - set(server_messages.CODES))
    assert not missing_codes, f"no translation in console/server_messages.py CODES for the error codes {missing_codes}"


def test_every_catalogue_text_has_chinese():
    """The .ts catalogue holds a finished Chinese text for each (build.py fills them from zh_CN_texts.py)."""
    import xml.etree.ElementTree as ET

    from console import server_messages

    ts = ET.parse(ROOT / "resources" / "translations" / "hotline_zh_CN.ts").getroot()
    done = {}
    for context in ts.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            text = "".join(translation.itertext()) if translation is not None else ""
            if text and translation.get("type") not in ("unfinished", "vanished", "obsolete"):
                done[(context.findtext("name"), message.findtext("source"))] = text
    wanted = ([(server_messages.CONTEXT, m) for m in server_messages.MESSAGES]
              + [(server_messages.CODES_CONTEXT, t) for t in server_messages.CODES.values()]
              + [(server_messages.WORDS_CONTEXT, w) for w in server_messages.WORDS]
              + [(server_messages.CONTEXT, server_messages.GENERIC), (server_messages.CONTEXT, server_messages.GENERIC_NO_CODE)])
    missing = [f"{ctx}: {text}" for ctx, text in wanted if (ctx, text) not in done]
    assert not missing, "run resources/translations/build.py after adding Chinese to zh_CN_texts.py for:\n" + "\n".join(missing)
    for (ctx, source) in wanted:
        for n in range(1, 10):
            if f"%{n}" in source and ctx == server_messages.CONTEXT:
                assert f"%{n}" in done[(ctx, source)] or server_messages.dropped_in_chinese(source, n), (source, n)


if __name__ == "__main__":  # print what the service says (to write the catalogue)
    said, codes = service_messages()
    for template in sorted({s.template for s in said if s.template}):
        print(repr(template))
    print(sorted(codes))


# ---- what a person reads ----------------------------------------------------------------------------------------

@pytest.fixture
def chinese(qapp):
    from console.i18n import install_language

    assert install_language(qapp, "zh_CN")
    yield
    install_language(qapp, "en")


_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|is|a|to|of|must|and|this|not|be|ticket|service|change)\b", re.IGNORECASE)


def _filled_in(template: str) -> str:
    return re.sub(r"%(\d)", lambda m: f"X{m.group(1)}9", template)


def test_every_service_text_reads_chinese_in_the_chinese_ui(chinese):
    from console.server_messages import message_text

    said, _ = service_messages()
    for template in sorted({s.template for s in said if s.template}):
        shown = message_text(_filled_in(template))
        assert _CJK.search(shown), (template, shown)
        assert not _ENGLISH_WORDS.search(shown), (template, shown)
        for n in range(1, 10):  # what the English fills in (a name, a number) is shown too, unless left out on purpose
            from console.server_messages import dropped_in_chinese

            if f"%{n}" in template and not dropped_in_chinese(template, n):
                assert f"X{n}9" in shown, (template, shown)


def test_names_and_words_filled_in_by_the_service_are_kept_or_translated(chinese):
    from domain import lifecycle
    from console.server_messages import message_text

    assert message_text("This ticket is now held by op2, not nobody; look again before reassigning.") == \
        "此工单现由 op2 持有，而不是 无人；请重新查看后再改派。"
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.check("accepted", "request_extension", "operator", reason="more time")
    assert message_text(str(refused.value)) == "只有承办单位人员可以对此工单执行“申请延期”。"
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.check("registered", "dispatch", "handler")
    assert message_text(str(refused.value)) == "只有话务员、班长可以对此工单执行“派单”。"
    assert message_text("Too many failed sign-ins. Wait 37 seconds and try again, or ask a supervisor for help.",
                        "too_many_attempts") == "登录失败次数过多。请等待 37 秒后重试，或请班长协助。"


def test_a_ticket_refused_for_several_problems_reads_as_each(chinese):
    from domain.ticket import minimal_save_problems
    from console.server_messages import message_text

    problems = minimal_save_problems({"caller_phone": "１３８００１３８０００", "description": "", "request_type": "x",
                                      "urgency": "x"})
    assert len(problems) >= 2
    joined = " ".join(problems.values())  # as server/tickets.py sends them
    shown = message_text(joined)
    assert "半角数字" in shown and not _ENGLISH_WORDS.search(shown), shown


def test_words_the_console_does_not_know_are_never_shown_in_english(chinese, caplog):
    from console.server_messages import error_text, message_text
    from storage.http_client import ServiceError

    caplog.set_level("INFO", logger="hotline.console.server_messages")
    shown = message_text("A brand new refusal the service learned yesterday.", "brand_new")
    assert shown == "中心服务拒绝了此操作（代码 brand_new）；详情见日志。"
    assert "brand new refusal" in caplog.text  # support can still read what was said
    assert message_text("New wording for an old refusal.", "otp_wrong") == "6 位验证码错误或已过期：请输入应用当前显示的验证码。"
    assert message_text("A rejection reason nobody translated.") == "中心服务拒绝了此操作；详情见日志。"
    # A known sentence with an unknown English part in it is not half translated.
    assert message_text("The time the call started is not valid: the moon is not a clock.") == "中心服务拒绝了此操作；详情见日志。"
    assert error_text(ServiceError("the central service cannot be reached: working offline")) == "无法连接中心服务：正在离线工作"


def test_english_ui_shows_the_service_words_as_they_are(qapp):
    from console.i18n import current_language
    from console.server_messages import message_text

    assert current_language() == "en"
    text = "This ticket is now held by op2, not sup1; look again before reassigning."
    assert message_text(text) == text
    assert message_text("", "otp_required") == "This account also needs the 6-digit code from its authenticator app."


def test_the_form_lists_every_problem_domain_checks_can_give():
    from widgets.ticket_form import DOMAIN_PROBLEMS

    problems = {s.template for s in _indirect_texts("domain/ticket.py") if "%" not in (s.template or "%")}
    problems = {p for p in problems if p[0].isupper()}  # TimeError's lowercase phrases are not field problems
    assert problems and problems <= set(DOMAIN_PROBLEMS), problems - set(DOMAIN_PROBLEMS)


def test_the_consoles_own_words_about_the_service_are_listed_too():
    """storage/ words what the service answered (offline, busy, expired …); the status bar and diagnostics show them."""
    from console import server_messages

    found: set[str] = set()
    for rel in ("storage/http_client.py", "storage/sync.py"):
        path = ROOT / rel
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        said, _ = _scan(path, {"ServiceError": 0, "LoginError": 0, "SyncError": 0, "SignInExpired": 0})
        found |= {s.template for s in said if s.template}
        for node in ast.walk(tree):
            value = None
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("message",):
                value = node.value
            elif isinstance(node, ast.BoolOp):  # server_message or "…"
                value = node.values[-1]
            elif isinstance(node, ast.Dict) and any(isinstance(k, ast.Name) and k.id.startswith("OTP_") for k in node.keys):
                found |= {v.value for v in node.values if isinstance(v, ast.Constant)}
            for branch in (value.body, value.orelse) if isinstance(value, ast.IfExp) else (value,):
                text = _template(branch, constants) if branch is not None else None
                if text and " " in text and not text.startswith(("http", "%")):
                    found.add(text)
        found |= {v for k, v in constants.items() if k.endswith("_MESSAGE") or k in ("NOT_SIGNED_IN", "UNREADABLE")}
    missing = sorted(found - set(server_messages.MESSAGES))
    assert not missing, "no translation in console/server_messages.py MESSAGES for:\n" + "\n".join(missing)


def test_status_bar_and_diagnostics_word_a_rejection_in_chinese(chinese, qtbot):
    from storage.sync import SyncState
    from widgets.sync_status import SyncStatusWidget, _rejection_reason

    class Cache:
        def rejections(self):
            return [{"mutation_id": 3, "reason": "This ticket is now held by op2, not op1; look again before reassigning."}]

    widget = SyncStatusWidget(Cache())
    qtbot.addWidget(widget)
    widget.set_state(SyncState(online=False, rejected=1, last_error="the central service cannot be reached: working offline"))
    assert widget.rejection_label.text() == "被拒绝：此工单现由 op2 持有，而不是 op1；请重新查看后再改派。"
    assert "无法连接中心服务：正在离线工作" in widget.toolTip() and "central" not in widget.toolTip()
    # The diagnostics view's table reads its reason cells through the same function.
    assert _rejection_reason(Cache().rejections()[0]).startswith("此工单现由 op2 持有")
