"""What the full-text index stores for a ticket, and how a typed query becomes an FTS5 match.

SQLite's tokenizers take a run of Han characters as one token, so 噪音 would not match
小区楼下广场舞噪音扰民. We index every character bigram of a Han run (plus its last
character, so a one-character query can still find every position by prefix) and turn a
Chinese query into the phrase of its bigrams. Phone numbers and ticket numbers get tagged
tokens, forwards (prefix search) and reversed (so the last four digits are a prefix too).
"""

from __future__ import annotations

import re
import unicodedata

# Bump when terms_for() changes: the cache then rebuilds its index (schema upgrade step).
TERMS_VERSION = 1

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
# A query may write a number with separators: 138-1234-5678, 20261127-000123.
_QUERY_TOKEN = re.compile(rf"([{_HAN}]+)|(\d+(?:[-\s]\d+)*(?![^\W_{_HAN}]))|([^\W_{_HAN}]+)")

# Tags for tokens a person never types; the unicode61 tokenizer keeps them as one token.
PHONE, PHONE_TAIL, NUMBER, NUMBER_TAIL, LOCAL_REF = "qp", "qr", "qn", "qm", "qx"

# Below these lengths a prefix matches too many distinct numbers to be fast or useful.
MIN_DIGITS_FOR_PHONE = 4
MIN_DIGITS_FOR_NUMBER_PREFIX = 10

TEXT_FIELDS = ("description", "caller_name", "caller_address", "incident_address")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def text_tokens(text: str) -> list[str]:
    """Han runs -> bigrams + last character; other words as words (lowercased)."""
    out: list[str] = []
    for han, word in _TOKEN.findall(_normal(text)):
        if han:
            out.extend(han[i : i + 2] for i in range(len(han) - 1))
            out.append(han[-1])
        else:
            out.append(word)
    return out


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", _normal(text or ""))


def terms_for(ticket: dict) -> str:
    """The space-separated index text of one ticket (deterministic: the same row gives the same text)."""
    parts: list[str] = []
    phone = _digits(ticket.get("caller_phone"))
    if phone:
        parts += [PHONE + phone, PHONE_TAIL + phone[::-1]]
    number = _digits(ticket.get("number"))
    if number:
        parts += [NUMBER + number, NUMBER_TAIL + number[::-1]]
    ref = (ticket.get("local_ref") or str(ticket.get("id") or "")[:8]).lower()
    if ref:
        parts.append(LOCAL_REF + ref)
    for name in TEXT_FIELDS:
        value = ticket.get(name)
        if value:
            parts.extend(text_tokens(value))
    return " ".join(parts)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what the person typed, or None when there is nothing to look for.

    Every group must match (AND). The last group is a prefix, since people search as they type.
    """
    groups, characters = _groups(query)
    groups += [_quote(c) + "*" for c in characters]  # every bigram starting with it, or a run's last character
    return " AND ".join(groups) if groups else None


def search_plan(query: str) -> tuple[str | None, list[str]]:
    """(MATCH expression without the single Chinese characters, those characters).

    A single character as an index prefix spans every bigram it starts (thousands of terms for a
    common one like 区), so the cache looks for such characters in the rows instead.
    """
    groups, characters = _groups(query)
    return (" AND ".join(groups) if groups else None), characters


def _groups(query: str) -> tuple[list[str], list[str]]:
    groups: list[str] = []
    characters: list[str] = []
    found = _QUERY_TOKEN.findall(_normal(query))
    for index, (han, number, word) in enumerate(found):
        last = index == len(found) - 1
        if han:
            if len(han) == 1:
                characters.append(han)
            else:
                groups.append(_quote(" ".join(han[i : i + 2] for i in range(len(han) - 1))))
        elif number:
            digits = re.sub(r"\D", "", number)
            options = [_quote(digits) + ("*" if last else "")]
            if len(digits) >= MIN_DIGITS_FOR_PHONE:
                options += [
                    _quote(PHONE + digits) + "*",
                    _quote(PHONE_TAIL + digits[::-1]) + "*",
                    _quote(NUMBER_TAIL + digits[::-1]) + "*",
                    _quote(LOCAL_REF + digits) + "*",
                ]
            if len(digits) >= MIN_DIGITS_FOR_NUMBER_PREFIX:
                options.append(_quote(NUMBER + digits) + "*")
            groups.append("(" + " OR ".join(options) + ")")
        elif word:
            option = _quote(word) + ("*" if last and len(word) >= 2 else "")
            if len(word) >= 4 and re.fullmatch(r"[0-9a-f]+", word):
                option = f"({option} OR {_quote(LOCAL_REF + word)}*)"
            groups.append(option)
    return groups, characters
