"""Builds common.csv: passwords attackers try first, which no account may have (run by hand, output committed).

Sources: Openwall's password.lst (compiled 1996-2011 by Solar Designer, in the public domain; Debian ships it
in the john-data package as /usr/share/john/password.lst) and the patterns below: keyboard walks, digit runs,
and common words, names of this system and its roles, pinyin favourites, each with the suffixes people add.

    python resources/passwords/build_passwords.py /usr/share/john/password.lst
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "common.csv"

WORDS = [
    # English favourites and what a system like this one suggests
    "password", "passw0rd", "p@ssword", "p@ssw0rd", "pass", "passwd", "secret", "letmein", "welcome", "iloveyou",
    "admin", "administrator", "root", "master", "login", "guest", "test", "testing", "user", "default", "changeme",
    "qwerty", "abc", "abcd", "abcdef", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "shadow",
    "superman", "trustno1", "whatever", "freedom", "hello", "hellokitty", "starwars", "computer", "internet",
    "hotline", "citizen", "service", "operator", "supervisor", "handler", "console", "demo", "office", "city",
    "government", "12345hotline", "hotline12345",
    # pinyin and Chinese-region favourites
    "woaini", "aini", "woaini1314", "aini1314", "mima", "wodemima", "nihao", "zhongguo", "aizhongguo", "china",
    "beijing", "shanghai", "guangzhou", "shenzhen", "tianjin", "chengdu", "xiaoming", "xiaohong", "laopo", "laogong",
    "baobei", "qinqin", "haha", "hehe", "hao123", "tiantian", "xiaoxiao", "wangwang", "zhangwei", "wangwei",
    "liwei", "liuyang", "wangfang", "lijing", "zhangmin", "wangjing", "zhang", "wang", "li", "liu", "chen", "yang",
    "huang", "zhao", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo",
]
SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "!", "!!", "@",
            "#", "1!", "123!", "@123", "#123", "666", "888", "8888", "520", "1314", "5201314", "000", "111",
            "007", "2008", "_123", ".123"]
YEARS = [str(y) for y in range(1960, 2031)]
WALKS = [
    "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertyuiopasdfghjkl", "qwerasdfzxcv", "qazwsxedc", "qazwsxedcrfv",
    "qweasdzxc", "1qaz2wsx", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "zaq12wsx", "zaq1xsw2", "!qaz@wsx", "!qaz2wsx",
    "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "q1w2e3r4t5", "q1w2e3r4t5y6", "qwe123", "qwe123456", "qweqweqwe",
    "asd123", "asdasdasd", "zxc123", "zxczxczxc", "147258369", "159357", "159753", "741852963", "963852741",
    "123qwe", "123qweasd", "123qweasdzxc", "qwer1234", "asdf1234", "zxcv1234", "abcd1234", "a1b2c3d4", "a1b2c3d4e5",
    "aa123456", "a123456", "a12345678", "a123456789", "abc123456", "abc12345678", "abcdefghij", "abcdefghijk",
    "abcdefghijkl", "abcdefg123", "1234qwer", "1234abcd", "5201314", "1314520", "5211314", "woaini520",
    "0123456789", "9876543210", "1234567890", "0987654321", "12345678910", "123456789a", "1234567890a",
    "123123123", "123123123123", "123321123321", "112233445566", "1122334455", "1357924680", "2468013579",
]


def generated() -> list[str]:
    words = list(WALKS)
    for word in WORDS:
        words += [word + suffix for suffix in SUFFIXES] + [suffix + word for suffix in SUFFIXES[1:10]]
        words += [word + year for year in YEARS]
    for digit in "0123456789":
        words += [digit * n for n in range(4, 21)]
    digits = "1234567890" * 3
    words += [digits[:n] for n in range(4, 21)] + ["9876543210"[:n] for n in range(4, 11)]
    for a in "abcdefghijklmnopqrstuvwxyz":
        words += [a * n for n in range(4, 13)]
    return words


def main(password_lst: str) -> int:
    seen: dict[str, None] = {}
    lines = Path(password_lst).read_text(encoding="latin-1").splitlines()
    for line in lines + generated():
        word = line.strip().lower()
        if word and not word.startswith("#!comment"):
            seen.setdefault(word, None)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["password"])
        writer.writerows([w] for w in seen)
    print(f"wrote {len(seen)} passwords to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/john/password.lst"))
