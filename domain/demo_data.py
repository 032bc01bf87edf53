"""Generated, labeled demo tickets: what callers say, where, when, in Chinese and some English.

Built from the active taxonomy's keywords and the gazetteer's places with fixed templates, so
a seed always gives the same rows. Category frequencies follow a Zipf-like curve (a few types
get most calls, as on a real hotline). Fast enough for a million rows in benchmarks. Part of the
rows are written the way citizens write to a hotline's message board (a subject line, a polite
opening, what happened, what they ask for), from the project's own phrases in
resources/phrases/citizen_zh.csv.
"""

from __future__ import annotations

import csv
import itertools
from bisect import bisect_right
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

COLUMNS = ["id", "caller_phone", "caller_name", "caller_address", "incident_address", "sub_district_code",
           "request_type", "category_code", "domain_code", "description", "urgency", "lang",
           "call_started_at", "status"]

# Calls fall in the 90 days before this day (fixed, so a seed gives the same rows any day).
ANCHOR = date(2026, 11, 27)
DAYS = 90
ENGLISH_SHARE = 0.10
ENGLISH_TYPES = 400

MOBILE_PREFIXES = [str(p) for p in [*range(130, 140), 145, 147, 149, *range(150, 154), *range(155, 160), 162, 165,
                                    166, 167, *range(170, 179), *range(180, 190), 191, 193, 195, 196, 197, 198, 199]]
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
            "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = ("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 建国 志强 秀英 玉兰 红梅 海燕 "
         "文博 子涵 欣怡 浩然 宇轩 雨桐 梓萱 俊杰 佳怡 思远 晓东 立新 淑珍 凤英 德明 国庆 春生 丽华 海波 振华").split()
EN_NAMES = ("John Smith|Anna Müller|David Brown|Maria Garcia|Kenji Sato|Emily Johnson|Pierre Martin|Olga Ivanova|"
            "James Wilson|Sophie Dubois|Ahmed Khan|Laura Rossi|Michael Lee|Sarah Miller|Tom Becker|Yuki Tanaka").split("|")

COMPOUND_SUFFIXES = ["小区", "家园", "西里", "北里", "东里", "南里", "花园", "嘉园", "新村", "公寓", "社区", "一区", "二区"]
ROAD_SUFFIXES = ["路", "大街", "南路", "北路", "东路", "西路", "胡同", "中街"]
SPOTS = ["楼下", "门口", "旁边", "对面", "院里", "东门", "附近", "十字路口", "公交站旁", "地下车库", "楼道里", "底商"]
OPENERS_ZH = ["", "", "", "", "", "", "您好，", "你好，", "喂，", "我想反映个事，", "我要反映，", "是这样的，", "麻烦问一下，"]
DURATIONS = ["好几天", "一个多星期", "半个月", "一个月", "两三天", "很长时间", "三个多月", "一整天"]
TIMES = ["每天晚上十点以后", "天天早上六点多", "最近一周", "从上个月开始", "这两天", "周末", "昨天夜里", "今天上午",
         "每天中午", "一直以来", "前天下午", "刚才"]
DETAILS_ZH = ["已经{dur}了", "反映过好几次都没人管", "严重影响居民正常生活", "家里有老人和孩子", "物业说不归他们管",
              "打电话也没人接", "周围邻居意见都很大", "{time}都这样", "之前找过社区没解决", "情况比较急",
              "不知道该找哪个部门", "{time}特别明显", "给大家出行带来不便", "找了好几个部门都说不归他们管"]
EXTRA_FORMS = ["{}", "主要是{}", "就是{}", "涉及{}", "{}的情况", "还有{}"]
# Details callers add that belong to one domain (by the shipped domain names; others use the general ones).
DOMAIN_DETAILS_ZH = {
    "住房与物业": ["交了物业费却没人管", "找物业好几次了都推脱", "业主群里大家都在说这个事", "楼里住的老人多"],
    "噪声": ["吵得根本睡不着觉", "孩子第二天还要上学", "关上窗户也能听见", "老人心脏不好受不了"],
    "生态环境": ["味道大得不敢开窗", "担心对身体有影响", "附近还有学校"],
    "道路与交通": ["晚上看不清很危险", "已经有人摔倒了", "车流量很大"],
    "公共交通": ["上班天天坐这趟车", "等了快一个小时", "老人孩子坐车不方便"],
    "水电气热": ["家里老人孩子受不了", "做饭洗澡都成问题", "冰箱里的东西都坏了"],
    "市容环卫": ["夏天味道特别大", "招了好多苍蝇蚊子", "路过的人都捂着鼻子"],
    "市场监管与消费维权": ["商家一直推脱", "找平台客服也没用", "有购物凭证和聊天记录"],
    "食品药品安全": ["当时买的还有小票", "家里孩子也吃了", "商家不承认"],
    "劳动就业与工资": ["干了好几个月了", "公司老板联系不上", "家里等着用钱", "有考勤记录"],
    "社会保障": ["网上查不到记录", "窗口让我回去等通知", "材料都交齐了"],
    "医疗卫生": ["看病排了一上午队", "老人行动不便", "病历和收费单都在"],
    "教育": ["孩子马上要开学了", "家长们都很着急", "学校一直不给答复"],
    "养老服务": ["老人八十多岁了", "子女不在身边", "老人腿脚不方便"],
}
ASKS_ZH = ["希望尽快处理", "请相关部门管一管", "麻烦派人来看看", "希望给个说法", "请尽快解决", "希望有关部门重视",
           "请帮忙协调一下", "希望能回个电话", "麻烦核实一下", "谢谢"]
INQUIRY_ZH = ["想咨询一下{core}的事", "请问{core}这个怎么办", "咨询{core}", "我想问问{core}"]
DETAILS_EN = ["It has been going on for {dur_en}.", "I reported it before and nothing happened.",
              "It affects the whole building.", "The property company says it is not their job.",
              "Please send someone to check.", "My neighbours are also upset about it.", "It happens {time_en}."]
ASKS_EN = ["Please handle it soon.", "Could someone look into this?", "Please call me back.", "Thank you.",
           "I hope the relevant department can help."]
EN_SPOTS = ["my building", "the main gate", "the bus stop", "the crossroads", "the market", "our compound",
            "the school", "the metro exit"]
DUR_EN = ["several days", "a week", "two weeks", "a month", "a long time"]
TIME_EN = ["every night after 10 pm", "every morning", "at weekends", "all day", "since last month"]

STATUSES = [("registered", 10), ("answered", 14), ("dispatched", 14), ("accepted", 14), ("returned", 2),
            ("arbitration", 1), ("extension_requested", 2), ("replied", 9), ("callback", 5), ("closed", 26),
            ("reopened", 3)]
# Calls per hour of day on a city hotline: a morning and an afternoon peak, a quiet night.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 13, 16, 16, 15, 13, 10, 9, 8, 6, 4, 2]
# How much more often a domain is called about than the average one.
DOMAIN_WEIGHT = {"住房与物业": 3.0, "噪声": 2.5, "水电气热": 2.5, "劳动就业与工资": 2.0, "市容环卫": 2.0,
                 "道路与交通": 1.8, "市场监管与消费维权": 1.8, "公共交通": 1.5, "建设与拆迁": 1.5, "社会保障": 1.4}
# Urban districts get more calls than mountain ones (rough resident shares).
DISTRICT_WEIGHT = {"110105": 3.4, "110108": 3.1, "110106": 2.0, "110114": 2.3, "110115": 2.0, "110112": 1.9,
                   "110113": 1.3, "110102": 1.1, "110101": 0.7, "110111": 1.3, "110107": 0.6, "110109": 0.4,
                   "110116": 0.4, "110117": 0.45, "110118": 0.5, "110119": 0.35}
ZIPF_S = 1.0
UNIFORM_SHARE = 0.08  # keeps every type present in a few thousand rows
WRITTEN_SHARE = 0.3  # Chinese rows written like a message to the hotline (subject, opening, request)

_INQUIRY_WORDS = ("咨询", "政策", "怎么", "条件", "流程", "进度", "申请", "办理", "解读", "指引")
_SUGGEST_WORDS = ("建议", "增设", "希望")
_REPORT_WORDS = ("违法", "违规", "无证", "非法", "私", "黑", "假", "偷", "乱")
_HELP_WORDS = ("困人", "被骗", "求助", "救助", "险情", "受伤", "停水", "停电", "停气", "停暖", "泄漏")


def _request_type(name: str) -> str:
    if any(w in name for w in _INQUIRY_WORDS):
        return "inquiry"
    if any(w in name for w in _SUGGEST_WORDS):
        return "suggestion"
    if any(w in name for w in _HELP_WORDS):
        return "help"
    if any(w in name for w in _REPORT_WORDS):
        return "report"
    return "complaint"


class _Leaf:
    """What the generator needs of one type, worked out once."""

    __slots__ = ("code", "domain", "cores", "extras", "en_cores", "request_type", "urgent", "inquiry", "details")

    def __init__(self, category, domain_code: str, domain_name: str = ""):
        self.code = category.code
        self.domain = domain_code
        name = category.name_zh
        subjects = category.subjects or [k for k in category.keywords[1:4] if not k.isascii()] or [name]
        problems = category.problems or [k for k in category.keywords[4:8] if not k.isascii()] or [""]
        cores = [name, name]
        for s, p in itertools.product(subjects[:3], problems[:3]):
            cores.append(p if p.startswith(s) else s + p)  # 暖气 + 暖气漏水 -> 暖气漏水
        if subjects and problems[0]:
            cores.append(f"{subjects[0]}{problems[0]}的问题")
            cores.append(f"{subjects[-1]}这边{problems[-1]}")
        self.cores = cores
        self.extras = [k for k in category.keywords if not k.isascii() and k != name] or [name]
        obj, _, problem = category.name_en.partition(": ")
        obj_l = obj[:1].lower() + obj[1:]
        self.en_cores = [category.name_en, f"{problem or obj} - {obj_l}", f"Problem with {obj_l}: {problem or 'see below'}",
                         f"{obj} {problem}".strip()]
        self.request_type = _request_type(name)
        self.urgent = category.accept_hours <= 1
        self.inquiry = self.request_type == "inquiry"
        self.details = DETAILS_ZH + DOMAIN_DETAILS_ZH.get(domain_name, []) * 2


class _Place:
    __slots__ = ("code", "district_zh", "sub_zh", "short", "en", "compounds", "roads")

    def __init__(self, sub, district, rng: random.Random):
        self.code = sub.code
        self.district_zh = district.name_zh
        self.sub_zh = sub.name_zh
        base = sub.aliases[1] if len(sub.aliases) > 1 and not sub.aliases[1].isascii() and sub.aliases[1] != sub.name_zh else sub.name_zh
        self.short = base
        self.en = f"{sub.name_en}, {district.name_en}"
        self.compounds = [base + s for s in rng.sample(COMPOUND_SUFFIXES, 4)]
        self.roads = [base + s for s in rng.sample(ROAD_SUFFIXES, 3)]


def _popularity(leaves: list[_Leaf], names: dict[str, str]) -> list[_Leaf]:
    """Types from most to least called: a fixed shuffle, weighted towards the busy domains."""
    order_rng = random.Random(20261127)
    return sorted(leaves, key=lambda leaf: -order_rng.random() * DOMAIN_WEIGHT.get(names.get(leaf.domain, ""), 1.0))


def _zipf_cum_weights(leaves: list[_Leaf], ranked: list[_Leaf], uniform_share: float) -> list[float]:
    rank = {leaf.code: i + 1 for i, leaf in enumerate(ranked)}
    raw = [1.0 / rank[leaf.code] ** ZIPF_S for leaf in leaves]
    total = sum(raw)
    uniform = uniform_share / len(leaves)
    return list(itertools.accumulate((1 - uniform_share) * w / total + uniform for w in raw))


def _phrases() -> dict[str, list[str]]:
    from resources import loader

    kinds: dict[str, list[str]] = {}
    for row in csv.DictReader(loader.read_text("phrases", "citizen_zh.csv").splitlines()):
        kinds.setdefault(row["kind"], []).append(row["phrase"])
    return kinds


def _prepare(seed: int, taxonomy=None, uniform_share: float = UNIFORM_SHARE):
    from domain.gazetteer import load_gazetteer
    from domain.taxonomy import load_taxonomy

    taxonomy = taxonomy or load_taxonomy()
    gazetteer = load_gazetteer()
    domain_names = {d.code: d.name_zh for d in taxonomy.domains()}
    leaves = []
    for category in taxonomy.leaves():
        chain = taxonomy.path(category.code)
        domain = chain[0] if chain else category
        leaves.append(_Leaf(category, domain.code, domain.name_zh))
    ranked = _popularity(leaves, domain_names)
    leaf_cum = _zipf_cum_weights(leaves, ranked, uniform_share)
    # English-speaking callers (visitors, expats) ring about the commoner matters: the top types only.
    en_leaves = ranked[:ENGLISH_TYPES]
    en_cum = _zipf_cum_weights(en_leaves, ranked, 0.3)
    place_rng = random.Random(4242)
    places = []
    place_weights = []
    for sub in gazetteer.sub_districts:
        district = gazetteer.district(sub.district_code)
        places.append(_Place(sub, district, place_rng))
        place_weights.append(DISTRICT_WEIGHT.get(sub.district_code, 1.0) / max(1, len(gazetteer.in_district(sub.district_code))))
    place_cum = list(itertools.accumulate(place_weights))
    days = [(ANCHOR - timedelta(days=i)).isoformat() for i in range(1, DAYS + 1)]
    hour_cum = list(itertools.accumulate(HOUR_WEIGHTS))
    status_names = [s for s, _ in STATUSES]
    status_cum = list(itertools.accumulate(w for _, w in STATUSES))
    return (taxonomy.version, leaves, leaf_cum, places, place_cum, days, hour_cum, status_names, status_cum,
            en_leaves, en_cum)


def _rows(n: int, seed: int, taxonomy=None, uniform_share: float = UNIFORM_SHARE) -> Iterator[tuple]:
    (_, leaves, leaf_cum, places, place_cum, days, hour_cum, status_names, status_cum,
     en_leaves, en_cum) = _prepare(seed, taxonomy, uniform_share)
    phrases = _phrases()
    en_total = en_cum[-1]
    rng = random.Random(seed)
    rand = rng.random

    def choice(seq):
        # Cheaper than Random.choice; a million rows make it count.
        return seq[int(rand() * len(seq))]

    def randrange(a, b=None):
        return int(rand() * a) if b is None else a + int(rand() * (b - a))
    choices = rng.choices
    getrandbits = rng.getrandbits
    repeat_pool: list[str] = []
    chunk = 20000
    produced = 0
    while produced < n:
        size = min(chunk, n - produced)
        picked_leaves = choices(leaves, cum_weights=leaf_cum, k=size)
        picked_places = choices(places, cum_weights=place_cum, k=size)
        picked_hours = choices(range(24), cum_weights=hour_cum, k=size)
        picked_status = choices(status_names, cum_weights=status_cum, k=size)
        for i in range(size):
            leaf = picked_leaves[i]
            place = picked_places[i]
            english = rand() < ENGLISH_SHARE
            if english:
                leaf = en_leaves[bisect_right(en_cum, rand() * en_total)]
            # Phone: some callers ring again (their history matters to the operator).
            if repeat_pool and rand() < 0.06:
                phone = choice(repeat_pool)
            elif rand() < 0.8:
                phone = f"{choice(MOBILE_PREFIXES)}{randrange(100000000):08d}"
            else:
                phone = f"010-{choice('568')}{randrange(10000000):07d}"
            if len(repeat_pool) < 5000 and rand() < 0.02:
                repeat_pool.append(phone)
            compound = choice(place.compounds)
            building = randrange(1, 30)
            where = rand()
            if where < 0.55:
                incident = f"{place.district_zh}{place.sub_zh}{compound}{building}号楼"
            elif where < 0.85:
                incident = f"{place.district_zh}{compound}{building}号楼{randrange(1, 7)}单元"
            else:
                incident = f"{place.district_zh}{choice(place.roads)}{randrange(1, 200)}号"
            caller_address = incident if rand() < 0.6 else f"{place.district_zh}{choice(place.compounds)}{randrange(1, 30)}号楼"
            if english:
                name = choice(EN_NAMES) if rand() < 0.85 else ""
                core = choice(leaf.en_cores)
                form = rand()
                if form < 0.7:
                    text = f"{core}. Location: Building {building}, {place.en}. {choice(DETAILS_EN)} {choice(ASKS_EN)}"
                else:
                    text = f"{core} near {choice(EN_SPOTS)} in {place.en}. {choice(DETAILS_EN)} {choice(ASKS_EN)}"
                text = text.replace("{dur_en}", choice(DUR_EN)).replace("{time_en}", choice(TIME_EN))
                lang = "en"
            else:
                r = rand()
                name = (choice(SURNAMES) + ("先生" if rand() < 0.5 else "女士")) if r < 0.4 else \
                       (choice(SURNAMES) + choice(GIVEN)) if r < 0.9 else ""
                core = choice(leaf.cores)
                detail = choice(leaf.details)
                if "{" in detail:
                    detail = detail.replace("{dur}", choice(DURATIONS)).replace("{time}", choice(TIMES))
                extra = choice(EXTRA_FORMS).format(choice(leaf.extras))
                ask = choice(ASKS_ZH)
                form = rand()
                if rand() < WRITTEN_SHARE:
                    text = _written(leaf, core, detail, extra, place, compound, incident, phrases, choice)
                elif leaf.inquiry and form < 0.5:
                    text = f"{choice(OPENERS_ZH)}{choice(INQUIRY_ZH).format(core=core)}，{extra}方面，{ask}"
                elif form < 0.62:
                    text = f"{choice(OPENERS_ZH)}{core}，{detail}，{extra}，地点在{incident}，{ask}"
                elif form < 0.82:
                    text = f"{compound}{choice(SPOTS)}{core}，{choice(TIMES)}{extra}，{detail}，{ask}"
                elif form < 0.92:
                    text = f"反映{core}的问题，{incident}{choice(SPOTS)}，{detail}，{ask}"
                else:
                    text = f"{incident}{choice(SPOTS)}{choice(TIMES)}{core}，{extra}，{detail}，{ask}"
                lang = "zh"
            request_type = leaf.request_type
            if rand() < 0.1:
                request_type = choice(("complaint", "help", "report", "inquiry", "suggestion"))
            u = rand()
            if leaf.urgent:
                urgency = "very_urgent" if u < 0.25 else "urgent" if u < 0.6 else "normal"
            else:
                urgency = "very_urgent" if u < 0.01 else "urgent" if u < 0.07 else "normal"
            status = picked_status[i]
            if status == "answered" and not leaf.inquiry and rand() < 0.7:
                status = "closed"
            started = f"{days[randrange(DAYS)]}T{picked_hours[i]:02d}:{randrange(60):02d}:{randrange(60):02d}+08:00"
            h = f"{getrandbits(128):032x}"
            ticket_id = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"
            yield (ticket_id, phone, name, caller_address, incident, place.code, request_type, leaf.code,
                   leaf.domain, text, urgency, lang, started, status)
        produced += size


def _written(leaf: _Leaf, core: str, detail: str, extra: str, place: _Place, compound: str, incident: str,
             phrases: dict[str, list[str]], choice) -> str:
    """A message as citizens write them: a subject line, then an opening, what is wrong and where, a request."""
    where = choice((place.sub_zh, place.district_zh + place.short, compound, place.short))
    kind = "inquiry" if leaf.inquiry else "suggestion" if leaf.request_type == "suggestion" else ""
    titles = phrases.get(f"{kind}_title") if kind else None
    title = choice(titles or phrases["title"])
    opener = choice(phrases["opener"])
    context = choice(phrases["context"])
    ask = choice(phrases.get("inquiry_ask") if leaf.inquiry else phrases["ask"])
    stop = "" if title.endswith(("？", "！")) else "。"
    text = (f"{title}{stop}{opener}{incident}{choice(SPOTS)}{core}，{context}，{detail}，{extra}。{ask}")
    return (text.replace("{place}", where).replace("{compound}", compound).replace("{core}", core)
            .replace("{dur}", choice(DURATIONS)))


def generate(n: int, seed: int = 12345, *, taxonomy=None, uniform_share: float = UNIFORM_SHARE) -> Iterator[dict]:
    """n demo ticket rows (dicts with COLUMNS), the same rows for the same seed and taxonomy.

    taxonomy: the catalogue to write tickets for (default: the installed one); uniform_share: the share of rows
    spread evenly over all types (1.0: every type equally often, as a starter model wants)."""
    for row in _rows(n, seed, taxonomy, uniform_share):
        yield dict(zip(COLUMNS, row))


def write_csv(path: Path, n: int, seed: int = 12345) -> int:
    """Writes n rows with a header to `path` (UTF-8); returns the number of rows written."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        batch = []
        for row in _rows(n, seed):
            batch.append(row)
            if len(batch) >= 10000:
                writer.writerows(batch)
                count += len(batch)
                batch.clear()
        writer.writerows(batch)
        count += len(batch)
    return count
