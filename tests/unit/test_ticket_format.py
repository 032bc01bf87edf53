"""The ticket detail's texts (fields, history lines, notes) without Qt: widgets.ticket_format imports with PySide6
blocked, and every history case reads as a sentence."""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from widgets.ticket_format import (
    Words,
    changes_text,
    detail_dict,
    event_line,
    field_values,
    header_text,
    is_overwrite,
    note_line,
    place_name,
    quoted,
    unit_name,
)

ROOT = Path(__file__).resolve().parents[2]
WORDS = Words()  # plain English, times as given


def _event(action: str, detail=None, actor: str = "op1", **extra) -> dict:
    return {"action": action, "detail": detail, "actor": actor, "created_at": "T", **extra}


def test_imports_with_qt_blocked():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import widgets.ticket_format as f\n"
        "print(f.event_line({'action': 'created', 'actor': 'op1'}, f.Words()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "op1  ticket registered"


def test_detail_comes_as_dict_or_json_and_anything_else_is_empty():
    assert detail_dict({"a": 1}) == {"a": 1}
    assert detail_dict('{"reason": "x"}') == {"reason": "x"}
    assert detail_dict("{not json") == {} and detail_dict("[1]") == {} and detail_dict(None) == {} and detail_dict(3) == {}


def test_quoted_is_one_line_and_shortened():
    assert quoted("a\n  b") == "“a b”"
    assert quoted(None) == "“”"
    assert quoted("x" * 100, limit=10) == "“" + "x" * 9 + "…”"


def test_overwrites_are_recognised_by_action_flag_or_detail():
    assert is_overwrite(_event("overwritten"))
    assert is_overwrite(_event("updated", overwritten=True))
    assert is_overwrite(_event("sync", '{"field": "description", "yours": "a", "server": "b"}'))
    assert not is_overwrite(_event("updated", {"changes": {"description": ["a", "b"]}}))


def test_history_lines_read_as_sentences():
    assert event_line(_event("created"), WORDS) == "T  op1  ticket registered"
    assert event_line(_event("note", actor="server"), WORDS) == "T  central service  note added"
    line = event_line(_event("overwritten", {"field": "description", "yours": "我写的", "server": "班长写的"}), WORDS)
    assert line == "T  op1  ⚠ OVERWRITTEN by sync: description — your value “我写的” was replaced by “班长写的” (yours is kept here)"
    assert event_line(_event("rejected", {"reason": "ticket is closed"}), WORDS) == "T  ⚠ REJECTED by the central service: ticket is closed"
    assert event_line(_event("reassign", {"from": "op1", "to": "op2", "reason": "off shift"}, actor="sup1"), WORDS) == (
        "T  sup1  reassigned op1 → op2: off shift")
    assert event_line(_event("reassigned", {"changes": {"operator": ["op2", "op3"]}}), WORDS).endswith("reassigned op2 → op3")
    assert event_line(_event("transition:accept", {"from": "dispatched", "to": "accepted"}, actor="hd1"), WORDS) == (
        "T  hd1  accept (now accepted)")
    assert event_line(_event("return", {"to": "returned", "reason": "not ours"}), WORDS) == (
        "T  op1  return (now returned); reason: not ours")
    assert event_line(_event("close", {"callback_result": "satisfied", "mutation": 7}), WORDS) == (
        "T  op1  close — callback_result: satisfied; callback: satisfied")
    assert event_line(_event("escalate", "by phone"), WORDS) == "T  op1  escalate — by phone"
    assert event_line({"action": "created"}, WORDS) == "ticket registered"


def test_dispatch_names_the_unit_in_the_language_and_the_due_time():
    detail = {"from": "registered", "to": "dispatched", "unit_code": "SD-110105001", "due_at": "2026-11-30T15:59:59+00:00"}
    english = event_line(_event("dispatch", detail), Words(short_time=lambda value: "11-30 23:59" if value else ""))
    assert english == "T  op1  dispatched to Jianwai Subdistrict Office, Chaoyang District, due 11-30 23:59"
    chinese = event_line(_event("dispatch", dict(detail, due_at=None)), Words(zh=True))
    assert chinese == "T  op1  dispatched to 朝阳区建外街道办事处"
    assert event_line(_event("redispatch", {}), WORDS) == "T  op1  dispatched"


def test_field_edits_show_the_value_before_each_one():
    detail = {"changes": {"description": {"old": "路灯不亮", "new": "路灯整晚不亮"}, "caller_name": [None, "王"]}}
    assert changes_text(detail, WORDS) == "description changed from “路灯不亮” to “路灯整晚不亮”; caller_name set to “王”"
    assert changes_text({"changes": {}, "concurrent": True}, WORDS) == (
        "details changed (someone else had changed it meanwhile; the earlier value is shown here)")


def test_units_and_places_by_name_and_unknown_codes_as_themselves():
    assert unit_name("SD-110105001", zh=True) == "朝阳区建外街道办事处"
    assert unit_name("SD-110105001", zh=False) == "Jianwai Subdistrict Office, Chaoyang District"
    assert unit_name("NO-SUCH", zh=True) == "NO-SUCH" and unit_name(None, zh=True) == ""
    assert place_name("110105001", zh=True) == "朝阳区建外街道"
    assert place_name("999", zh=False) == "999" and place_name("", zh=False) == ""


def test_field_values_mask_the_number_and_fill_gaps_with_a_dash():
    ticket = {"number": "20261127-000001", "status": "dispatched", "caller_phone": "13812345678",
              "unit_code": "SD-110105001", "category_code": "A-01", "call_started_at": "2026-11-27T09:00:00+00:00"}
    words = Words(status=lambda s: f"<{s}>", category=lambda code: f"cat {code}", sla_left=lambda t: "2d 3h")
    values = field_values(ticket, words)
    assert values["caller_phone"] == "138****5678"
    assert values["status"] == "<dispatched>" and values["category_code"] == "cat A-01" and values["sla"] == "2d 3h"
    assert values["unit_code"] == "Jianwai Subdistrict Office, Chaoyang District"
    assert values["operator"] == "—" and values["urgency"] == "—" and values["sub_district_code"] == "—"
    assert values["call_started_at"] == "2026-11-27T09:00:00+00:00"
    assert header_text(ticket, WORDS) == "Ticket 20261127-000001" and header_text(None, WORDS) == ""
    assert note_line({"created_at": "T", "author": "hd1", "text": "已联系物业"}, WORDS) == "T  hd1: 已联系物业"


def test_texts_go_through_translate_in_the_detail_views_context():
    seen = []

    def translate(context: str, text: str) -> str:
        seen.append(context)
        return "«" + text + "»"

    line = event_line(_event("created", actor="server"), Words(translate=translate))
    assert line == "T  «central service»  «ticket registered»"
    assert set(seen) == {"TicketDetail"}


def test_every_text_of_the_module_has_its_chinese_in_the_shipped_catalogue():
    """The texts moved out of the widget keep their context, so the shipped translations still find them."""
    module = ROOT / "widgets" / "ticket_format.py"
    sources = {
        node.args[1].value
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and len(node.args) == 2 and all(isinstance(a, ast.Constant) for a in node.args)
        and node.args[0].value == "TicketDetail"
    }
    assert len(sources) >= 15
    catalogue = ET.parse(ROOT / "resources" / "translations" / "hotline_zh_CN.ts").getroot()
    translated = {
        message.findtext("source"): message.findtext("translation")
        for context in catalogue.iter("context") if context.findtext("name") == "TicketDetail"
        for message in context.iter("message")
    }
    missing = sorted(text for text in sources if not translated.get(text))
    assert missing == []
