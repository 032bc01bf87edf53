"""The personal-data scrubber: phones, ID numbers, e-mail and names go; the rest of the text stays."""

import pytest

from domain.scrub import has_personal_data, scrub_text


@pytest.mark.parametrize("text, gone", [
    ("call me 13811112222", "13811112222"),
    ("电话 138 1111 2222 找我", "1111"),
    ("+86 138-1111-2222", "1111"),
    ("座机010-88886666", "88886666"),
    ("１３８１１１１２２２", "１１１１"),
    ("身份证110101199003071234号", "110101199003071234"),
    ("旧证11010119900307123", "11010119900307123"),
    ("邮箱 abc.d@example.com", "example"),
    ("ｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｅｘａｍｐｌｅ"),
    ("我叫张三，家住朝阳区", "张三"),
    ("联系人：李四 电话", "李四"),
    ("王先生反映小区噪音", "王先生"),
    ("my name is John Smith, thanks", "John"),
])
def test_personal_data_is_removed(text, gone):
    scrubbed = scrub_text(text)
    assert gone not in scrubbed
    assert "[" in scrubbed


@pytest.mark.parametrize("text", [
    "小区楼下广场舞噪音扰民，晚上十点还不停",
    "2026年11月28日下午3点，楼下102室漏水",
    "朝阳区建国路88号路灯不亮",
])
def test_ordinary_text_is_kept_word_for_word(text):
    assert scrub_text(text) == text
    assert not has_personal_data(text)


def test_empty_text():
    assert scrub_text(None) == "" and scrub_text("") == ""
