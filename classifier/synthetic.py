"""Generated labeled tickets for tests and benchmarks when the demo data generator is not wanted."""

from __future__ import annotations

import random
from typing import Iterator

# Common Han characters to build made-up words from; the classifier only sees n-grams, so made-up words
# exercise it like real ones.
_HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还"
    "因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结"
    "解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级"
    "少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领"
    "七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清美再采转更单风切打白教速花带安场身车例真务具万每目"
    "至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算"
)
_DOMAIN_WORDS_ZH = ["噪音", "扰民", "停水", "停电", "占道", "违建", "拖欠", "工资", "物业", "垃圾", "路灯", "井盖"]
_FILLER_ZH = ["市民来电反映", "来电人称", "市民反映", "来电咨询", "希望有关部门尽快处理", "请相关部门核实", "已持续多日",
              "影响居民正常生活", "多次反映未果", "现场情况严重", "要求尽快解决"]
_ADDR_ZH = ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区", "昌平区", "大兴区"]
_STREETS_ZH = ["和平里街道", "望京街道", "中关村街道", "建国门街道", "回龙观", "天通苑", "亦庄", "双井"]
_SYLLABLES = ["ka", "ro", "mi", "te", "lan", "dor", "vis", "pen", "sal", "tur", "qua", "bel", "nor", "fi", "gra"]
_FILLER_EN = ["caller reports", "please check", "since last week", "residents are upset", "needs urgent action",
              "the caller says", "near the entrance", "every night"]


class SyntheticTaxonomy:
    """n_types made-up types in n_domains domains, each with its own words and some words shared in its domain."""

    def __init__(self, n_types: int = 2000, n_domains: int = 25, seed: int = 7):
        rng = random.Random(seed)
        self.n_types = n_types
        used: set[str] = set()

        def han_word(length: int) -> str:
            while True:
                word = "".join(rng.choice(_HAN) for _ in range(length))
                if word not in used:
                    used.add(word)
                    return word

        def en_word() -> str:
            while True:
                word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
                if word not in used:
                    used.add(word)
                    return word

        self.domains = [f"D{d:02d}" for d in range(n_domains)]
        domain_zh = {d: [han_word(2) for _ in range(12)] + rng.sample(_DOMAIN_WORDS_ZH, 2) for d in self.domains}
        domain_en = {d: [en_word() for _ in range(8)] for d in self.domains}
        self.types: list[str] = []
        self.domain_of: dict[str, str] = {}
        self.words_zh: dict[str, list[str]] = {}
        self.words_en: dict[str, list[str]] = {}
        self.shared_zh: dict[str, list[str]] = {}
        self.shared_en: dict[str, list[str]] = {}
        for t in range(n_types):
            domain = self.domains[t % n_domains]
            code = f"{domain}.{t:05d}"
            self.types.append(code)
            self.domain_of[code] = domain
            self.words_zh[code] = [han_word(rng.choice((2, 2, 3))) for _ in range(3)]
            self.words_en[code] = [en_word() for _ in range(3)]
            self.shared_zh[code] = rng.sample(domain_zh[domain], 3)
            self.shared_en[code] = rng.sample(domain_en[domain], 2)
        # Skewed frequencies, like a real hotline: a few types take most calls.
        self.weights = [1.0 / (rank + 10) ** 0.8 for rank in range(n_types)]
        rng.shuffle(self.weights)


def generate(n: int, taxonomy: SyntheticTaxonomy | None = None, seed: int = 12345, english_share: float = 0.15
             ) -> Iterator[dict]:
    """Rows with description, category_code, domain_code, request_type, sub_district_code, lang."""
    taxonomy = taxonomy or SyntheticTaxonomy()
    rng = random.Random(seed)
    codes = rng.choices(taxonomy.types, weights=taxonomy.weights, k=n)
    for i, code in enumerate(codes):
        if rng.random() < english_share:
            own = rng.sample(taxonomy.words_en[code], 2)
            shared = rng.sample(taxonomy.shared_en[code], 1)
            parts = [*own, *shared, rng.choice(_FILLER_EN)]
            rng.shuffle(parts)
            text = " ".join(parts) + f" at {rng.randint(1, 300)} {rng.choice(_SYLLABLES)} road"
            lang = "en"
        else:
            own = rng.sample(taxonomy.words_zh[code], 2)
            shared = rng.sample(taxonomy.shared_zh[code], 2)
            body = [*own, *shared, *rng.sample(_FILLER_ZH, 2)]
            rng.shuffle(body)
            opening = rng.choice(("", "", "来电人称", "市民反映"))
            text = opening + "，".join(body) + "。地址：" + rng.choice(_ADDR_ZH) + rng.choice(_STREETS_ZH)
            if rng.random() < 0.05:
                text += " " + rng.choice(taxonomy.words_en[code])  # some mixed text
            lang = "zh"
        yield {
            "id": str(i + 1),
            "description": text,
            "category_code": code,
            "domain_code": taxonomy.domain_of[code],
            "request_type": rng.choice(("complaint", "request", "inquiry")),
            "sub_district_code": f"SD{rng.randint(1, 343):03d}",
            "lang": lang,
        }
