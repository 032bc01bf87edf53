"""The starter model: the one shipped in the package is intact and covers the shipped catalogue; any catalogue
gets one built from its names and generated tickets, with nothing from outside the repository."""

from __future__ import annotations

from pathlib import Path

from classifier.evaluation import model_bytes
from classifier.model import read_meta
from classifier.starter import build_starter_model, catalogue_rows, packaged_starter_dir
from classifier.suggester import Suggester
from domain.taxonomy import load_shipped_taxonomy
from domain.taxonomy_import import read_catalogue_text

CITY = """# version: test-city-7
code,parent,name_zh,name_en,keywords,unit_kind,accept_hours,resolve_days
E,,环境,Environment,,,,
E1,E,噪声,Noise,,,,
E1a,E1,夜间施工噪声,Night-time construction noise,工地;施工;半夜,district,2,3
E1b,E1,广场舞噪声,Square dancing noise,广场舞;音响;跳舞,sub_district,4,3
W,,供水,Water supply,,,,
W1,W,停水,No water,,,,
W1a,W1,突发停水,Sudden water outage,停水;没水;水管,city_department:WATER,2,2
"""


def test_the_packaged_starter_is_intact_and_knows_every_type_of_the_shipped_catalogue():
    folder = packaged_starter_dir()
    suggester = Suggester.load(folder, corrections=False)  # checks every file's checksum
    taxonomy = load_shipped_taxonomy()
    assert set(suggester.labels) == {leaf.code for leaf in taxonomy.leaves()}
    assert suggester.taxonomy_version == taxonomy.version
    assert read_meta(folder)["extra"]["starter"]["tickets"] > 0
    # Small enough to ship inside the package.
    assert model_bytes(folder) < 5 * 2**20
    codes = [s.code for s in suggester.suggest("电梯困人了，我们被关在里面出不来")]
    assert any(code.startswith("01.02.") for code in codes[:3])
    # A message written the way citizens write, with a phrasing the catalogue does not use.
    codes = [s.code for s in suggester.suggest("尊敬的领导：您好！我们小区楼下的烧烤店每天半夜还在营业，吵得根本睡不着")]
    assert taxonomy.path(codes[0])[0].name_zh in ("噪声", "市容环卫", "生态环境")


def test_a_city_catalogue_gets_its_own_starter(tmp_path: Path, hotline_home):
    taxonomy = read_catalogue_text(CITY)
    out = build_starter_model(taxonomy, tmp_path / "starter", seed=3, tickets_per_type=20)
    suggester = Suggester.load(out, corrections=False)
    assert set(suggester.labels) == {"E1a", "E1b", "W1a"}
    assert suggester.taxonomy_version == "test-city-7"
    assert suggester.suggest("半夜工地还在施工")[0].code == "E1a"
    assert suggester.suggest("家里突然停水了")[0].code == "W1a"
    assert suggester.suggest("广场舞音响")[0].code == "E1b"


def test_catalogue_rows_name_every_type_with_its_words():
    taxonomy = read_catalogue_text(CITY)
    texts, labels = catalogue_rows(taxonomy)
    assert set(labels) == {"E1a", "E1b", "W1a"}
    assert ("广场舞", "E1b") in set(zip(texts, labels))
    assert ("环境噪声夜间施工噪声", "E1a") in set(zip(texts, labels))
