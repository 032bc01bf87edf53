"""Removes personal data from free text: phone numbers, ID numbers, e-mail addresses and names it can find.

Used wherever text leaves the hotline's own hands or outlives the ticket: Open311 publication, anonymised
exports and the training text of suggestion models. It errs on the side of removing too much: a number
that merely looks like a phone number is removed too.
"""

from __future__ import annotations

import re
import unicodedata

PHONE = "[电话]"
ID_NUMBER = "[证件号]"
EMAIL = "[邮箱]"
NAME = "[姓名]"

# Full-width digits and letters (１３８…, ＠) are folded first (see fold), so they cannot slip past the patterns.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+\s*@\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Resident ID: 17 digits and a digit or X; 15-digit old-style IDs too. Before phones: an ID contains runs
# that look like one.
_ID = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])")
# Mobile numbers (1[3-9] + 9 digits, optionally +86 and spaced, dotted or dashed), landlines with an area code
# (in brackets too), and any other run of 7 or more digits (extensions, numbers read out in groups).
_PHONE = re.compile(
    r"(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d(?:[\s.-]?\d){8}(?!\d)"
    r"|(?<!\d)\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)"
    r"|(?<!\d)(?:\d[\s-]?){6,}\d(?!\d)"
)
# Numbers read out in Chinese numerals (幺三八…): seven or more in a row.
_PHONE_CN = re.compile(r"[〇零一二三四五六七八九幺两](?:\s?[〇零一二三四五六七八九幺两]){6,}")
# Messenger accounts reach a person as surely as a number: QQ 123456, 微信 abc_123.
_MESSENGER = re.compile(r"(?i)(?<![a-z])(QQ|微信号?|vx|wechat)(\s*(?:号|ID|id)?\s*[:：]?\s*)[A-Za-z0-9][A-Za-z0-9_-]{4,}")
# What looks like a number but is not a person's: dates (2026-11-28) and ticket numbers (20261127-000123).
_NOT_PHONE = re.compile(r"(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])|20\d{6}-\d{6}")
# Names are found where the caller says them: 我叫张三, 姓名：李四, 联系人王五, my name is John Smith.
# Chinese given names are one or two characters after a one- or two-character surname.
_NAME_CN = re.compile(r"(我叫|我是|本人|姓名[:：]?\s*|联系人[:：]?\s*|名字是|名叫)([\u4e00-\u9fff]{2,3})(?=[^\u4e00-\u9fff]|$|[，。,.；;、的先女小]|电话|手机)")
_NAME_TITLE = re.compile(r"([\u4e00-\u9fff])(先生|女士|师傅|老师|阿姨|大爷)")
_NAME_EN = re.compile(r"\b([Mm]y name is|[Tt]his is|[Nn]ame:)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
_EMAIL_AT = re.compile(r"(?i)([A-Za-z0-9._%+-]+)\s*(?:\(at\)|\[at\]|\s+at\s+)\s*([A-Za-z0-9-]+)\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*([A-Za-z]{2,})\b")
_DIGIT = re.compile(r"\d")


_FULL_WIDTH = {code: code - 0xFEE0 for code in
               [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF20, 0xFF0E, 0xFF0B, 0xFF0D]}


def fold(text: str) -> str:
    """Full-width letters, digits and @.+- as their plain forms, and every script's decimal digits (Arabic-Indic
    ١٣٨…) as 0-9, so patterns see what people see; Chinese punctuation (，。：) stays as it was written."""
    text = text.translate(_FULL_WIDTH)
    if text.isascii():
        return text
    return _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), text)


def _phones(text: str) -> str:
    def replace(match: re.Match) -> str:
        found = match.group()
        return found if _NOT_PHONE.fullmatch(found.strip()) else PHONE

    return _PHONE.sub(replace, text)


def scrub_text(text: str | None) -> str:
    """The text with phone numbers, ID numbers, e-mail addresses and the names it can find replaced by
    placeholders ([电话], [证件号], [邮箱], [姓名])."""
    if not text:
        return ""
    out = fold(text)
    out = _EMAIL.sub(EMAIL, out)
    out = _EMAIL_AT.sub(EMAIL, out)
    out = _ID.sub(ID_NUMBER, out)
    out = _MESSENGER.sub(lambda m: m.group(1) + m.group(2) + PHONE, out)
    out = _phones(out)
    out = _PHONE_CN.sub(PHONE, out)
    out = _NAME_CN.sub(lambda m: m.group(1) + NAME, out)
    out = _NAME_TITLE.sub(lambda m: NAME + m.group(2), out)
    out = _NAME_EN.sub(lambda m: m.group(1) + " " + NAME, out)
    return out


def has_personal_data(text: str | None) -> bool:
    """True when scrubbing would change the text's phone numbers, ID numbers or e-mail addresses."""
    if not text:
        return False
    folded = fold(text)
    if _EMAIL.search(folded) or _EMAIL_AT.search(folded) or _ID.search(folded) or _MESSENGER.search(folded):
        return True
    return _phones(folded) != folded or bool(_PHONE_CN.search(folded))


# ---- addresses at street level ---------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")
_CN_NUMERAL = "〇零一二三四五六七八九十百千两"
# Where the street ends in a Chinese address: the first number (88号, 3号楼, 501, 八十八号, 甲1号), or a
# bracketed note. Chinese numerals count only with a house, building or room word after them: 三里屯路,
# 东三环 and 五四大街 are names.
_CN_CUT = re.compile(
    rf"[甲乙丙丁]?\s*(?:第\s*)?[0-9]"
    rf"|(?:第\s*)?[{_CN_NUMERAL}]+\s*(?:号|號|栋|棟|幢|座|楼|樓|单元|單元|室|层|層|户|戶|弄)"
    r"|[A-Za-z]\s*(?:座|栋|棟|幢|号楼)"
    r"|[（(\[【<]"
)
# What is left dangling when the number is cut off: "No.", "#", "甲", "第", separators.
_CN_TAIL = re.compile(r"(?:[\W_]|No\.?|no\.?|[甲乙丙丁第])+$")
# English units and house numbers: "Flat 3", "Apt 5B", "Suite 200", "PO Box 12", "#4", "12", "221B", "12-14".
_EN_UNIT = re.compile(r"(?i)(?:flat|apt|apartment|unit|suite|ste|room|rm|floor|fl|level|building|bldg|block|blk"
                      r"|no|number|box)\.?")
_EN_NUMBERISH = re.compile(r"(?i)#?\S*\d\S*|[a-z]")
_EN_ORDINAL = re.compile(r"(?i)\d+(?:st|nd|rd|th)")  # 5th Avenue, 42nd Street: part of the street's name


def street_level(address: str | None) -> str:
    """An address with house, building, unit and room numbers dropped: the street and what is above it.

    朝阳区建国路88号3号楼2单元501 -> 朝阳区建国路; 12 Main Street, Flat 3, Springfield -> Main Street, Springfield.
    Coordinates and postcodes go too (they are numbers). What cannot be cut with confidence is cut short:
    an address that starts with a number gives what comes before it, possibly nothing.
    """
    if not address:
        return ""
    text = fold(address).strip()
    if _CJK.search(text):
        return _street_cn(text)
    return _street_en(text)


def _street_cn(text: str) -> str:
    cut = _CN_CUT.search(text)
    if cut:
        text = text[:cut.start()]
    return _CN_TAIL.sub("", text).strip()


def _street_en(text: str) -> str:
    parts = []
    for part in re.split(r"[,;\n]", text):
        words = part.replace("P.O.", "PO").split()
        kept = []
        skip_next = False
        for word in words:
            if skip_next:
                skip_next = False
                if _EN_NUMBERISH.fullmatch(word):
                    continue
            if _EN_UNIT.fullmatch(word):
                skip_next = True  # the unit's number follows: "Flat 3", "Box 12"
                continue
            if word.upper() == "PO":
                continue
            if _EN_NUMBERISH.fullmatch(word) and not _EN_ORDINAL.fullmatch(word):
                continue
            kept.append(word)
        if kept:
            parts.append(" ".join(kept))
    return ", ".join(parts)
