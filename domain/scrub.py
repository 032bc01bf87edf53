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

# Top-level domains written in Chinese: an address like a.b+c@例子.中国 ends there (text runs on after it
# without a space, so any run of CJK characters cannot be taken as the domain's end).
_CJK_TLD = "中国|中國|公司|网络|網絡|香港|台湾|台灣|新加坡|集团|在线|网址|商城|手机|我爱你"
# Full-width digits and letters (１３８…, ＠) are folded first (see fold), so they cannot slip past the patterns.
# The local part starts only where a run of its characters starts: tried from every character of a long run,
# a text of 10,000 letters or dots without an @ took seconds.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+\s*@\s*(?:[A-Za-z0-9-]+|[\u4e00-\u9fff]+)(?:\.(?:[A-Za-z0-9-]+|[\u4e00-\u9fff]+))*?"
    rf"\.(?:[A-Za-z]{{2,}}|{_CJK_TLD})"
)
# Resident ID: 17 digits and a digit or X; 15-digit old-style IDs too. Before phones: an ID contains runs
# that look like one.
_ID = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])")
# Messenger accounts reach a person as surely as a number: QQ 123456, qq号码:123456, 微信 abc_123, wx: abc_123.
_MESSENGER = re.compile(
    r"(?i)(?<![a-z])(QQ|微信号?|vx|wx|wechat|weixin)(\s*(?:号码|账号|帳號|号|ID)?\s*[:：]?\s*)[A-Za-z0-9][A-Za-z0-9_-]{4,}"
)

# ---- phone numbers -----------------------------------------------------------------------------------
# Every way of writing a digit becomes 0-9 (fold has already turned full-width and other scripts' digits),
# and every separator people put between groups becomes _SEP, in a copy of the text of the same length, so
# a run found in the copy is the same span of the original. Anything else stays itself and ends a run.
_SEP = "\x00"
_DIGIT_TABLE = str.maketrans({
    **{ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")},
    "零": "0", "幺": "1", "两": "2", "兩": "2",
    **{ch: str(i) for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖", start=0) if ch != "零"},
    "貳": "2", "參": "3", "叁": "3", "陸": "6", "弍": "2",
    _SEP: "x",
    **{ch: _SEP for ch in " \t\u00a0\u3000-‐‑‒–—―－/_.,，。、·•()（）[]【】"},
})
# A phone-like run: seven or more digits, at most three separator characters between two of them
# ("138 - 1111 - 2222"). An ID or a number read out in groups is caught the same way.
_RUN = re.compile(r"(?<![0-9])[0-9](?:\x00{0,3}[0-9]){6,}(?![0-9])")
# What looks like a number but is not a person's, found in the copy before runs are looked for: dates
# (2026-11-28, 9999-12-31), ticket numbers (20261127-000123), decimals (36.5, 116.407400) and amounts with
# thousands separators (1,250,000).
_NOT_PHONE = re.compile(
    r"(?<![0-9])[0-9]{4}\x00(?:0?[1-9]|1[0-2])\x00(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
    r"|(?<![0-9])[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])\x00[0-9]{6}(?![0-9])"
)
_DECIMAL = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:[.][0-9]+|(?:,[0-9]{3})+(?:[.][0-9]+)?)(?![0-9]|[.,][0-9])")
_OPENERS = "+(（[【"
_CLOSERS = {"(": ")", "（": "）", "[": "]", "【": "】"}


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the (folded) text holds phone-like numbers, as (start, end) spans of the text itself."""
    copy = text.translate(_DIGIT_TABLE)
    if not _RUN.search(copy):  # most text: nothing that could be a number
        return []
    masked = list(copy)
    for pattern, source in ((_NOT_PHONE, copy), (_DECIMAL, text)):
        for match in pattern.finditer(source):
            masked[match.start():match.end()] = "x" * (match.end() - match.start())
    copy = "".join(masked)
    spans = []
    for match in _RUN.finditer(copy):
        start, end = match.span()
        # The + of +86 and an opening bracket before the number go with it, and the bracket's partner after it.
        while start > 0 and text[start - 1] in _OPENERS:
            start -= 1
        inside = text[start:end]
        for opener, closer in _CLOSERS.items():
            if inside.count(opener) > inside.count(closer) and text[end:end + 1] == closer:
                end += 1
        spans.append((start, end))
    return spans


def _phones(text: str) -> str:
    spans = _phone_spans(text)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(PHONE)
        last = end
    parts.append(text[last:])
    return "".join(parts)


# ---- names -------------------------------------------------------------------------------------------
# Names are found where the caller says them: 我叫张三, 姓名：李四, 联系人王五, my name is John Smith.
# Chinese given names are one or two characters after a one- or two-character surname.
# Before a title (张伟先生, 欧阳娜娜女士) the name starts at a surname: the common ones, one character each
# and the compound ones, so "请联系张伟先生" loses 张伟, not just 伟. Surnames that are
# also everyday words (明天, 上门, 高层, 方便) are left out: there only the character before the title goes.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范廖贾夏韦付邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱覃武戴莫孔汤施牛樊葛邢乔伍庞颜倪庄聂章鲁"
    "岳翟殷詹申欧耿兰焦俞左柳甘祝舒阮柯纪梅童凌毕季裴霍涂苗谷盛翁冉骆蓝辛靳柴蒙鲍喻祁蒲房滕屈饶牟艾尤阳穆卓缪"
    "项芦麦褚娄窦戚岑费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝诸"
)
_TITLES = "先生|女士|小姐|师傅|老师|阿姨|大爷|大妈|大姐|大哥|经理"
_COMPOUND_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|司徒|夏侯|尉迟|公孙|长孙|宇文|轩辕|端木|独孤|南宫|西门"
# Where the caller says a name (我叫欧阳娜娜, 本人张三丰反映, 姓名：李四): a compound surname with one or two
# characters, or two or three characters, ending where a non-Han character or a usual next word follows.
_NAME_CN = re.compile(
    r"(我叫|我是|本人|姓名[:：]?\s*|联系人[:：]?\s*|名字是|名叫|叫做)"
    rf"((?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}}|[\u4e00-\u9fff]{{2,3}})"
    r"(?=[^\u4e00-\u9fff]|$|[，。,.；;、的先女小想要在]|电话|手机|反映|投诉|举报|咨询|来电|求助|家住|住在|今天|昨天)"
)
_SURNAME_SAID = re.compile(rf"(我姓|本人姓|免贵姓)((?:{_COMPOUND_SURNAMES})|[\u4e00-\u9fff])")
_NAME_TITLED = re.compile(rf"(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])[\u4e00-\u9fff]{{0,2}}?(?={_TITLES})")
# Without a known surname only the character before the title goes (王先生); 大爷大妈 is nobody's name.
_NAME_TITLE = re.compile(r"([\u4e00-\u9fff])(先生|女士|师傅|老师|阿姨|大爷)")
_NAME_EN = re.compile(r"\b([Mm]y name is|[Tt]his is|[Nn]ame:|I am|I'm)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
_EMAIL_AT = re.compile(r"(?i)(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+)\s*(?:\(at\)|\[at\]|\s+at\s+)\s*([A-Za-z0-9-]+)\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*([A-Za-z]{2,})\b")
_DIGIT = re.compile(r"\d")


_FULL_WIDTH = {code: code - 0xFEE0 for code in
               [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF20, 0xFF0E, 0xFF0B, 0xFF0D]}


def fold(text: str) -> str:
    """Full-width letters, digits and @.+- as their plain forms, and every script's decimal digits (Arabic-Indic
    ١٣٨…) as 0-9, so patterns see what people see; Chinese punctuation (，。：) stays as it was written.
    One character stays one character, so a span found in the folded text is the same span of the original."""
    text = text.translate(_FULL_WIDTH)
    if text.isascii():
        return text
    return _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), text)


def _names(text: str) -> str:
    out = _NAME_CN.sub(lambda m: m.group(1) + NAME, text)
    out = _SURNAME_SAID.sub(lambda m: m.group(1) + NAME, out)
    out = _NAME_TITLED.sub(NAME, out)
    out = _NAME_TITLE.sub(lambda m: NAME + m.group(2), out)
    return _NAME_EN.sub(lambda m: m.group(1) + " " + NAME, out)


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
    return _names(out)


def has_personal_data(text: str | None) -> bool:
    """True when scrubbing would change the text's phone numbers, ID numbers or e-mail addresses."""
    if not text:
        return False
    folded = fold(text)
    if _EMAIL.search(folded) or _EMAIL_AT.search(folded) or _ID.search(folded) or _MESSENGER.search(folded):
        return True
    return bool(_phone_spans(folded))


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
# A numbered lane (100弄, 3巷) is a street of its own, with houses numbered along it: its number stays.
_CN_LANE = re.compile(rf"\s*(?:第\s*)?(?:[0-9]+|[{_CN_NUMERAL}]+)\s*(?:支弄|弄|巷|胡同)")
# What is left dangling when the number is cut off: "No.", "#", "甲", "第", separators.
_CN_TAIL = re.compile(r"(?:[\W_]|No\.?|no\.?|[甲乙丙丁第])+$")
# English units and house numbers: "Flat 3", "Apt 5B", "Suite 200", "PO Box 12", "#4", "12", "221B", "12-14".
_EN_UNIT = re.compile(r"(?i)(?:flat|apt|apartment|unit|suite|ste|room|rm|floor|fl|level|building|bldg|block|blk"
                      r"|no|number|box)\.?")
_EN_NUMBERISH = re.compile(r"(?i)#?\S*\d\S*|[a-z]")
_EN_LANE = re.compile(r"(?i)lane|ln\.?|alley|hutong|nong|lilong")
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
    start = 0
    while cut := _CN_CUT.search(text, start):
        lane = _CN_LANE.match(text, cut.start())
        if not lane:
            return _CN_TAIL.sub("", text[:cut.start()]).strip()
        start = lane.end()  # 长乐路100弄: the lane's number names the street
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
            if kept and _EN_LANE.fullmatch(kept[-1]) and _EN_NUMBERISH.fullmatch(word):
                kept.append(word)  # "Lane 3 Huaihai Road": the lane's number names the street, not a house
                continue
            if _EN_NUMBERISH.fullmatch(word) and not _EN_ORDINAL.fullmatch(word):
                continue
            kept.append(word)
        if kept:
            parts.append(" ".join(kept))
    return ", ".join(parts)
