"""Builds districts.csv and sub_districts.csv (the shipped Beijing gazetteer) from the lists below.

Run: .venv/bin/python resources/gazetteer/build_gazetteer.py
District codes are the national administrative codes; sub-district codes are the district code
plus a three-digit sequence of ours (not the national 12-digit town codes). Names are real
Beijing streets (街道), areas (地区), towns (镇) and townships (乡) as we know them; a sub-district
we had to invent would be marked generated=true (none is at present; the column stays so a
later edit can add some honestly).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pypinyin import lazy_pinyin

HERE = Path(__file__).resolve().parent

# (code, Chinese, English, [(suffix, names...), ...]); suffix: 街道 / 地区 / 镇 / 乡 / "" (already in the name)
DISTRICTS = [
    ("110101", "东城区", "Dongcheng", [("街道", "东华门 景山 交道口 安定门 北新桥 东四 朝阳门 建国门 东直门 和平里 前门 崇文门外 东花市 龙潭 体育馆路 天坛 永定门外")]),
    ("110102", "西城区", "Xicheng", [("街道", "西长安街 新街口 月坛 展览路 德胜 金融街 什刹海 大栅栏 天桥 椿树 陶然亭 广安门内 牛街 白纸坊 广安门外")]),
    ("110105", "朝阳区", "Chaoyang", [
        ("街道", "建外 朝外 呼家楼 三里屯 左家庄 香河园 和平街 安贞 亚运村 小关 酒仙桥 麦子店 团结湖 六里屯 八里庄 双井 劲松 潘家园 垡头 首都机场 大屯 奥运村 望京 东湖"),
        ("地区", "南磨房 高碑店 将台 太阳宫 小红门 十八里店 平房 东风 来广营 常营 三间房 管庄 金盏 孙河 崔各庄 东坝 黑庄户 豆各庄 王四营")]),
    ("110106", "丰台区", "Fengtai", [
        ("街道", "右安门 太平桥 西罗园 大红门 南苑 东高地 东铁匠营 六里桥 丰台 新村 长辛店 云岗 方庄 宛平 马家堡 和义 卢沟桥 花乡 成寿寺 石榴庄 玉泉营 看丹 五里店 青塔"),
        ("镇", "北宫 王佐")]),
    ("110107", "石景山区", "Shijingshan", [("街道", "八宝山 老山 八角 古城 苹果园 金顶街 广宁 五里坨 鲁谷")]),
    ("110108", "海淀区", "Haidian", [
        ("街道", "万寿路 永定路 羊坊店 甘家口 八里庄 紫竹院 北下关 北太平庄 学院路 中关村 海淀 青龙桥 清华园 燕园 香山 清河 花园路 西三旗 马连洼 田村路 上地 曙光"),
        ("镇", "四季青 温泉 西北旺 苏家坨 上庄"), ("地区", "东升 万柳")]),
    ("110109", "门头沟区", "Mentougou", [
        ("街道", "大峪 城子 东辛房 大台"), ("镇", "王平 永定 龙泉 潭柘寺 军庄 妙峰山 雁翅 斋堂 清水")]),
    ("110111", "房山区", "Fangshan", [
        ("街道", "城关 新镇 向阳 东风 迎风 星城 拱辰 西潞"),
        ("镇", "长阳 阎村 窦店 石楼 琉璃河 韩村河 良乡 周口店 青龙湖 河北 长沟 大石窝 张坊 十渡"),
        ("乡", "佛子庄 蒲洼 霞云岭 南窖 大安山 史家营")]),
    ("110112", "通州区", "Tongzhou", [
        ("街道", "中仓 新华 北苑 玉桥 永顺 梨园 临河里 杨庄 潞源 通运 潞邑 九棵树 文景"),
        ("镇", "宋庄 张家湾 漷县 马驹桥 西集 台湖 永乐店 潞城"), ("", "于家务回族乡")]),
    ("110113", "顺义区", "Shunyi", [
        ("街道", "胜利 光明 石园 空港 双丰 旺泉"),
        ("镇", "仁和 后沙峪 天竺 杨 牛栏山 南法信 马坡 李桥 李遂 南彩 北务 大孙各庄 张 龙湾屯 木林 北小营 北石槽 赵全营 高丽营")]),
    ("110114", "昌平区", "Changping", [
        ("街道", "城北 城南 天通苑北 天通苑南 霍营 回龙观 龙泽园 史各庄"),
        ("镇", "阳坊 小汤山 南邵 崔村 百善 北七家 兴寿 流村 十三陵 延寿 南口 马池口 沙河 东小口")]),
    ("110115", "大兴区", "Daxing", [
        ("街道", "兴丰 林校路 清源 观音寺 天宫院 高米店 荣华 博兴"),
        ("镇", "瀛海 旧宫 西红门 黄村 亦庄 青云店 采育 安定 礼贤 榆垡 庞各庄 北臧村 魏善庄 长子营")]),
    ("110116", "怀柔区", "Huairou", [
        ("街道", "泉河 龙山"),
        ("镇", "怀柔 雁栖 北房 杨宋 庙城 桥梓 怀北 汤河口 渤海 九渡河 琉璃庙 宝山"),
        ("", "长哨营满族乡 喇叭沟门满族乡")]),
    ("110117", "平谷区", "Pinggu", [
        ("街道", "滨河 兴谷"), ("地区", "渔阳"),
        ("镇", "峪口 马坊 金海湖 东高村 山东庄 南独乐河 大华山 夏各庄 马昌营 王辛庄 大兴庄 刘家店 镇罗营"),
        ("乡", "熊儿寨 黄松峪")]),
    ("110118", "密云区", "Miyun", [
        ("街道", "鼓楼 果园"),
        ("镇", "密云 溪翁庄 西田各庄 十里堡 河南寨 巨各庄 穆家峪 太师屯 高岭 不老屯 冯家峪 古北口 大城子 东邵渠 北庄 新城子 石城"),
        ("", "檀营满族蒙古族乡")]),
    ("110119", "延庆区", "Yanqing", [
        ("街道", "百泉 香水园 儒林"),
        ("镇", "延庆 康庄 八达岭 永宁 旧县 张山营 四海 千家店 沈家营 大榆树 井庄"),
        ("乡", "大庄科 刘斌堡 香营 珍珠泉")]),
]

SUFFIX_EN = {"街道": "Subdistrict", "地区": "Area", "镇": "Town", "乡": "Township"}

# Short names too common to stand alone in an address (they also name roads, villages or districts).
GENERIC = {"新村", "东风", "城关", "城北", "城南", "新华", "光明", "胜利", "向阳", "龙山", "果园", "鼓楼", "海淀",
           "丰台", "怀柔", "密云", "延庆", "安定", "永定", "河北", "清水", "古城", "新镇", "北苑", "星城", "兴丰",
           "清源", "荣华", "博兴", "滨河", "兴谷", "百泉", "儒林", "石城", "北庄", "张", "杨", "天桥", "花乡",
           "体育馆路", "中仓", "空港", "双丰", "旺泉", "石园", "渔阳", "宝山", "四海", "香营", "大台", "城子"}

# Places callers name instead of the sub-district (landmarks we are sure lie inside it).
LANDMARKS = {
    "东华门街道": "王府井 故宫", "前门街道": "前门大街", "天坛街道": "天坛公园", "交道口街道": "南锣鼓巷",
    "什刹海街道": "后海 烟袋斜街", "大栅栏街道": "大栅栏商业街", "建外街道": "国贸 CBD", "三里屯街道": "太古里",
    "首都机场街道": "首都国际机场 T3航站楼", "奥运村街道": "鸟巢 水立方 奥林匹克公园", "望京街道": "望京SOHO",
    "酒仙桥街道": "798艺术区", "燕园街道": "北京大学", "清华园街道": "清华大学", "香山街道": "香山公园",
    "青龙桥街道": "颐和园", "八达岭镇": "八达岭长城", "亦庄镇": "亦庄开发区", "宋庄镇": "宋庄画家村",
    "金融街街道": "金融街购物中心", "回龙观街道": "回龙观地铁站", "潘家园街道": "潘家园旧货市场",
}


# Readings a character-by-character transcription gets wrong.
PINYIN_FIXES = {"长辛店": "Changxindian", "长阳": "Changyang", "长沟": "Changgou", "长子营": "Zhangziying",
                "长哨营": "Changshaoying", "朝阳门": "Chaoyangmen", "朝外": "Chaowai", "大栅栏": "Dashilar",
                "马家堡": "Majiapu", "十里堡": "Shilipu", "南独乐河": "Nandulehe", "漷县": "Huoxian",
                "垡头": "Fatou", "什刹海": "Shichahai", "建外": "Jianwai", "朝阳": "Chaoyang"}


def _title_pinyin(name: str) -> str:
    return PINYIN_FIXES.get(name) or "".join(lazy_pinyin(name)).capitalize()


def rows():
    districts, subs = [], []
    for code, zh, en, groups in DISTRICTS:
        districts.append(dict(code=code, name_zh=zh, name_en=f"{en} District", aliases=";".join([zh, zh[:-1], en.lower()])))
        index = 0
        for suffix, names in groups:
            for base in names.split():
                index += 1
                if suffix:
                    full = base + suffix
                    kind_en = SUFFIX_EN[suffix]
                else:
                    full = base
                    kind_en = "Township"
                    base = full.replace("满族蒙古族乡", "").replace("回族乡", "").replace("满族乡", "")
                base_en = _title_pinyin(base)
                aliases = [full]
                if len(base) >= 2 and base not in GENERIC:
                    aliases.append(base)
                if suffix == "街道":
                    aliases.append(base + "街")
                elif suffix == "地区":
                    aliases += [base + "乡"]
                aliases += LANDMARKS.get(full, "").split()
                aliases.append(base_en.lower())
                subs.append(dict(code=f"{code}{index:03d}", district_code=code, name_zh=full,
                                 name_en=f"{base_en} {kind_en}", aliases=";".join(dict.fromkeys(aliases)),
                                 kind=suffix or "乡", generated="false"))
    return districts, subs


def _write(path: Path, items: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(items[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(items)
    path.write_text(out.getvalue(), encoding="utf-8")


def main() -> None:
    districts, subs = rows()
    _write(HERE / "districts.csv", districts)
    _write(HERE / "sub_districts.csv", subs)
    per = {d["code"]: sum(1 for s in subs if s["district_code"] == d["code"]) for d in districts}
    print(f"gazetteer: {len(districts)} districts, {len(subs)} sub-districts; {per}")


if __name__ == "__main__":
    main()
