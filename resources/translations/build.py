"""Rebuild the translation catalogue: lupdate over console/ and widgets/, fill in Chinese, lrelease to .qm.

Run `.venv/bin/python resources/translations/build.py` after adding UI texts; both .ts and .qm are committed
(the .qm is small, so the console needs no build step). `--check` lists texts without a translation.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from zh_CN_texts import ZH_CN  # noqa: E402

TS = HERE / "hotline_zh_CN.ts"
QM = HERE / "hotline_zh_CN.qm"


def _tool(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def lupdate() -> None:
    sources = sorted(str(p.relative_to(ROOT)) for folder in ("console", "widgets") for p in (ROOT / folder).glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-target-language", "zh_CN", "-ts", str(TS)],
                   cwd=ROOT, check=True, capture_output=True)


def fill() -> list[str]:
    tree = ET.parse(TS)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            text = ZH_CN.get((name, source), ZH_CN.get(source))
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            if text is None:
                missing.append(f"{name}: {source}")
                continue
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                form = ET.SubElement(translation, "numerusform")
                form.text = text  # Chinese has one plural form
            else:
                translation.text = text
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return missing


def lrelease() -> None:
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)


def main() -> int:
    lupdate()
    missing = fill()
    lrelease()
    for line in missing:
        print("no Chinese yet:", line)
    print(f"{TS.name}: {len(missing)} untranslated; wrote {QM.name}")
    return 1 if "--check" in sys.argv and missing else 0


if __name__ == "__main__":
    sys.exit(main())
