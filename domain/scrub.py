"""Removes personal data from free text: phone numbers, ID numbers, e-mail addresses and names it can find.

Used wherever text leaves the hotline's own hands or outlives the ticket: Open311 publication, anonymised
exports and the training text of suggestion models. It errs on the side of removing too much: a number
that merely looks like a phone number is removed too.
"""

from __future__ import annotations

import re

PHONE = "[电话]"
ID_NUMBER = "[证件号]"
EMAIL = "[邮箱]"
NAME = "[姓名]"

# Full-width digits and letters (１３８…, ＠) are folded first (see fold), so they cannot slip past the patterns.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Resident ID: 17 digits and a digit or X; 15-digit old-style IDs too. Before phones: an ID contains runs
# that look like one.
_ID = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])")
# Mobile numbers (1[3-9] + 9 digits, optionally +86 and spaced or dashed), landlines with an area code,
# and any other run of 7 or more digits (extensions, numbers read out in groups).
_PHONE = re.compile(
    r"(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)"
    r"|(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)"
    r"|(?<!\d)(?:\d[\s-]?){6,}\d(?!\d)"
)
# Names are found where the caller says them: 我叫张三, 姓名：李四, 联系人王五, my name is John Smith.
# Chinese given names are one or two characters after a one- or two-character surname.
_NAME_CN = re.compile(r"(我叫|我是|本人|姓名[:：]?\s*|联系人[:：]?\s*|名字是|名叫)([\u4e00-\u9fff]{2,3})(?=[^\u4e00-\u9fff]|$|[，。,.；;、的先女小]|电话|手机)")
_NAME_TITLE = re.compile(r"([\u4e00-\u9fff])(先生|女士|师傅|老师|阿姨|大爷)")
_NAME_EN = re.compile(r"\b([Mm]y name is|[Tt]his is|[Nn]ame:)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")


_FULL_WIDTH = {code: code - 0xFEE0 for code in
               [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF20, 0xFF0E, 0xFF0B, 0xFF0D]}


def fold(text: str) -> str:
    """Full-width letters, digits and @.+- as their plain forms, so patterns see what people see; Chinese
    punctuation (，。：) stays as it was written."""
    return text.translate(_FULL_WIDTH)


def scrub_text(text: str | None) -> str:
    """The text with phone numbers, ID numbers, e-mail addresses and the names it can find replaced by
    placeholders ([电话], [证件号], [邮箱], [姓名])."""
    if not text:
        return ""
    out = fold(text)
    out = _EMAIL.sub(EMAIL, out)
    out = _ID.sub(ID_NUMBER, out)
    out = _PHONE.sub(PHONE, out)
    out = _NAME_CN.sub(lambda m: m.group(1) + NAME, out)
    out = _NAME_TITLE.sub(lambda m: NAME + m.group(2), out)
    out = _NAME_EN.sub(lambda m: m.group(1) + " " + NAME, out)
    return out


def has_personal_data(text: str | None) -> bool:
    """True when scrubbing would change the text's phone numbers, ID numbers or e-mail addresses."""
    if not text:
        return False
    folded = fold(text)
    return bool(_EMAIL.search(folded) or _ID.search(folded) or _PHONE.search(folded))
