"""Installing a city's own catalogue: good CSV and YAML become active; bad files say which lines are wrong."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from domain.routing import route
from domain.taxonomy import TaxonomyError, install_catalogue, installed_catalogue_path, load_taxonomy

GOOD_CSV = """\
# version: city-2027.1
code,parent,name_zh,name_en,keywords,unit_kind,accept_hours,resolve_days
A,,城市管理,City management,,,,
A1,A,市容,City appearance,,,,
A1a,A1,占道经营,Street trading,摆摊;占道,sub_district,4,3
A1b,A1,乱贴广告,Fly-posting,小广告|牛皮癣,district,24,5
B,,公共服务,Public services,,,,
B1,B,供水,Water,,,,
B1a,B1,停水,No water,停水、没水,city_department:WATERWORKS,2,1
"""

GOOD_YAML = """\
version: city-yaml-1
categories:
  - {code: "10", name_zh: 环境, name_en: Environment}
  - {code: "10.1", parent: "10", name_zh: 噪声, name_en: Noise}
  - code: "10.1.1"
    parent: "10.1"
    name_zh: 夜间施工
    name_en: Night-time construction
    keywords: [施工, 夜里, construction]
    unit_kind: district
    accept_hours: 2
    resolve_days: 3
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_csv_installs_and_becomes_active(tmp_path, hotline_home):
    shipped_version = load_taxonomy().version
    taxonomy = install_catalogue(write(tmp_path, "city.csv", GOOD_CSV))
    assert taxonomy.version == "city-2027.1" != shipped_version
    assert [c.code for c in taxonomy.leaves()] == ["A1a", "A1b", "B1a"]
    assert taxonomy.get("A1b").keywords == ["小广告", "牛皮癣"]
    assert taxonomy.get("B1a").keywords == ["停水", "没水"]
    assert installed_catalogue_path().is_relative_to(hotline_home)
    active = load_taxonomy()
    assert active.version == "city-2027.1"
    assert active.get("A1a").accept_hours == 4 and active.get("A1a").level == 3
    assert active.search("摆摊")[0].code == "A1a"
    assert active.search("zdjy")[0].code == "A1a"  # pinyin initials are worked out on import
    # Every installed type is routable: the catch-all rule covers codes the shipped rules do not know.
    assert route("A1b", "110105023").unit_code == "DB-110105-government"
    assert route("B1a", "110105023").unit_code == "CD-WATERWORKS"


def test_good_yaml_installs_and_becomes_active(tmp_path):
    taxonomy = install_catalogue(write(tmp_path, "city.yaml", GOOD_YAML))
    assert taxonomy.version == "city-yaml-1"
    assert load_taxonomy().get("10.1.1").keywords == ["施工", "夜里", "construction"]
    assert [c.code for c in load_taxonomy().path("10.1.1")] == ["10", "10.1", "10.1.1"]


def test_version_defaults_to_name_and_content_hash(tmp_path):
    text = GOOD_CSV.replace("# version: city-2027.1\n", "")
    taxonomy = install_catalogue(write(tmp_path, "beijing.csv", text))
    assert taxonomy.version.startswith("beijing-") and len(taxonomy.version) == len("beijing-") + 8


BAD_CSV = """\
code,parent,name_zh,name_en,keywords,unit_kind,accept_hours,resolve_days
A,,城市管理,City management,,,,
A1,A,市容,City appearance,,,,
A1a,A1,占道经营,Street trading,摆摊,sub_district,4,3
A1a,A1,重复,Duplicate,,sub_district,4,3
A1c,A9,孤儿,Orphan,,sub_district,4,3
A1d,A1,没有时限,No limits,,district,,
A1e,A1,错误单位,Bad unit,,city_department:NOPE,4,3
A1f,A1,,No Chinese name,,district,4,3
A1g,A1,数字错,Bad number,,district,four,3
A1h,A1,单位种类错,Bad kind,,province,4,3
A1a1,A1a,第四级,Fourth level,,district,4,3
C,,空领域,Empty domain,,,,
"""


def test_bad_csv_lists_every_problem_by_line_and_changes_nothing(tmp_path):
    install_catalogue(write(tmp_path, "city.csv", GOOD_CSV))
    before = installed_catalogue_path().read_bytes()
    with pytest.raises(TaxonomyError) as caught:
        install_catalogue(write(tmp_path, "bad.csv", BAD_CSV))
    message = str(caught.value)
    expected = {
        5: "already used on line 4",
        6: "parent A9",
        7: "accept_hours",
        8: "NOPE",
        9: "Chinese name",
        10: "not a whole number",
        11: "'province'",
        12: "three levels",
        13: "nothing under it",
    }
    for line, words in expected.items():
        assert any(p.startswith(f"line {line}:") and words in p for p in caught.value.problems), (line, message)
        assert f"line {line}:" in message
    assert "unchanged" in message
    assert installed_catalogue_path().read_bytes() == before
    assert load_taxonomy().version == "city-2027.1"


def test_bad_file_without_an_installed_one_keeps_the_shipped_catalogue(tmp_path):
    with pytest.raises(TaxonomyError):
        install_catalogue(write(tmp_path, "bad.csv", BAD_CSV))
    assert not installed_catalogue_path().exists()
    assert load_taxonomy().version.startswith("bj-demo-")


def test_leaf_under_a_domain_is_not_level_three(tmp_path):
    text = textwrap.dedent("""\
        code,parent,name_zh,name_en,unit_kind,accept_hours,resolve_days
        A,,领域,Domain,,,
        A1,A,太浅,Too shallow,district,4,3
    """)
    with pytest.raises(TaxonomyError, match=r"line 2: A is a level-1 domain|line 3: A1 is a level-2"):
        install_catalogue(write(tmp_path, "shallow.csv", text))


@pytest.mark.parametrize("text,words", [
    ("code,name_zh\nA,甲\n", "line 1: the header lacks column(s) name_en, parent"),
    ("", "empty"),
    ('code,parent,name_zh,name_en,unit_kind,accept_hours,resolve_days\nA,,"a,b",x,y,z,1,2,3\n', "line 2:"),
])
def test_malformed_csv(tmp_path, text, words):
    with pytest.raises(TaxonomyError) as caught:
        install_catalogue(write(tmp_path, "odd.csv", text))
    assert words in str(caught.value)


def test_bad_yaml_reports_lines(tmp_path):
    text = GOOD_YAML.replace("accept_hours: 2", "accept_hours: -2").replace('parent: "10.1"', 'parent: "10.9"')
    with pytest.raises(TaxonomyError) as caught:
        install_catalogue(write(tmp_path, "bad.yaml", text))
    problems = caught.value.problems
    assert any(p.startswith("line 5:") and "parent 10.9" in p for p in problems), problems
    assert any(p.startswith("line 5:") and "accept_hours -2" in p for p in problems), problems
    with pytest.raises(TaxonomyError, match=r"line \d: not valid YAML"):
        install_catalogue(write(tmp_path, "broken.yaml", "categories:\n  - {code: [unclosed\n"))


def test_not_utf8_and_wrong_extension(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,parent,name_zh,name_en\nA,,噪声,Noise\n".encode("gbk"))
    with pytest.raises(TaxonomyError, match="line 2: the file is not UTF-8"):
        install_catalogue(path)
    with pytest.raises(TaxonomyError, match=r"\.csv or \.yaml"):
        install_catalogue(write(tmp_path, "city.xlsx", "x"))
    with pytest.raises(TaxonomyError, match="Cannot read"):
        install_catalogue(tmp_path / "missing.csv")


def test_installed_catalogue_round_trips_the_shipped_one(tmp_path):
    # The shipped catalogue itself is a valid city catalogue (same columns).
    from resources import loader

    shipped = write(tmp_path, "shipped.csv", loader.read_text("taxonomy", "taxonomy.csv"))
    taxonomy = install_catalogue(shipped)
    assert len(taxonomy.leaves()) >= 2000
    assert taxonomy.version.startswith("bj-demo-")


def test_command_line_import(tmp_path, hotline_home):
    good = write(tmp_path, "city.csv", GOOD_CSV)
    bad = write(tmp_path, "bad.csv", BAD_CSV)
    main = Path(__file__).resolve().parents[2] / "main.py"
    env = {"HOTLINE_HOME": str(hotline_home), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, str(main), "taxonomy", "import", str(good)], capture_output=True,
                        text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "city-2027.1" in ok.stdout and "3 types" in ok.stdout
    refused = subprocess.run([sys.executable, str(main), "taxonomy", "import", str(bad)], capture_output=True,
                             text=True, env=env, timeout=120)
    assert refused.returncode == 2 and "line 5:" in refused.stderr
