"""Local search: Chinese by character bigrams, two-character words, phone digits, numbers, English words."""

from __future__ import annotations

import pytest

from domain.ticket import Ticket
from storage.cache import LocalCache
from storage.search_terms import match_expression, terms_for, text_tokens


@pytest.fixture
def cache(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        rows = [
            Ticket(id="noise", number="20261127-000123", caller_phone="13812345678", caller_name="张伟",
                   description="小区楼下广场舞噪音扰民，晚上十点以后还在跳", incident_address="朝阳区望京街道阜通东大街6号",
                   status="registered", version=1).to_dict(),
            Ticket(id="water", number="20261127-000124", caller_phone="010-65123456", caller_name="Li Na",
                   description="Water pipe burst in the basement, water everywhere", caller_address="海淀区中关村大街1号",
                   status="dispatched", version=1).to_dict(),
            Ticket(id="light", number="20261128-000001", caller_phone="13900005678",
                   description="路灯不亮 street light broken", incident_address="东城区东华门街道",
                   status="registered", version=1).to_dict(),
        ]
        cache.import_tickets(rows)
        yield cache


def ids(results) -> list[str]:
    return sorted(t["id"] for t in results)


def test_bigrams_of_han_runs_and_words_as_words():
    assert text_tokens("广场舞噪音 Loud music") == ["广场", "场舞", "舞噪", "噪音", "音", "loud", "music"]
    assert text_tokens("水") == ["水"]


def test_two_character_chinese_word_matches_inside_a_run(cache):
    assert ids(cache.search("噪音")) == ["noise"]
    assert ids(cache.search("扰民")) == ["noise"]
    assert ids(cache.search("广场舞噪音")) == ["noise"]


def test_longer_chinese_query_must_match_in_order(cache):
    assert ids(cache.search("噪音广场")) == []  # both words are there, but not as this phrase
    assert ids(cache.search("噪音 广场")) == ["noise"]  # two words: both must be there


def test_single_character_finds_every_position(cache):
    assert ids(cache.search("灯")) == ["light"]  # in the middle of a run
    assert ids(cache.search("号")) == ["noise", "water"]  # at the end of a run (6号, 1号)
    assert ids(cache.search("伟")) == ["noise"]  # last character of the caller's name


def test_address_and_caller_name(cache):
    assert ids(cache.search("望京")) == ["noise"]
    assert ids(cache.search("中关村")) == ["water"]
    assert ids(cache.search("张伟")) == ["noise"]
    assert ids(cache.search("Li Na")) == ["water"]


def test_phone_full_tail_and_landline(cache):
    assert ids(cache.search("13812345678")) == ["noise"]
    assert ids(cache.search("5678")) == ["light", "noise"]  # the last four digits
    assert ids(cache.search("345678")) == ["noise"]
    assert ids(cache.search("1381234")) == ["noise"]  # the first digits
    assert ids(cache.search("010-65123456")) == ["water"]
    assert ids(cache.search("65123456")) == ["water"]


def test_ticket_number_full_and_tail(cache):
    assert ids(cache.search("20261127-000123")) == ["noise"]
    assert ids(cache.search("20261127000124")) == ["water"]
    assert ids(cache.search("000124")) == ["water"]
    assert ids(cache.search("2026112800")) == ["light"]  # a number being typed


def test_english_words_as_words_and_the_last_as_a_prefix(cache):
    assert ids(cache.search("water")) == ["water"]
    assert ids(cache.search("WATER pipe")) == ["water"]
    assert ids(cache.search("base")) == ["water"]  # typing "basement"
    assert ids(cache.search("street light")) == ["light"]
    assert ids(cache.search("pipe light")) == []


def test_mixed_chinese_and_english(cache):
    assert ids(cache.search("路灯 broken")) == ["light"]


def test_local_reference_before_the_number_arrives(tmp_path):
    with LocalCache(tmp_path / "c.db") as cache:
        ticket = cache.create_ticket({"description": "something"}, "op1")
        assert ids(cache.search(ticket["local_ref"])) == [ticket["id"]]


def test_edits_and_nothing_to_look_for(cache):
    cache.update_ticket("light", {"description": "井盖丢失"}, "op1")
    assert cache.search("路灯") == []
    assert ids(cache.search("井盖")) == ["light"]
    assert cache.search("") == [] and cache.search("  ,.;") == []
    assert match_expression('"') is None
    assert cache.search('噪音" OR *') is not None  # quotes and operators are just text


def test_newest_first_and_limited(tmp_path):
    with LocalCache(tmp_path / "c.db") as cache:
        made = [cache.create_ticket({"description": f"噪音 第{i}次"}, "op1")["id"] for i in range(5)]
        assert [t["id"] for t in cache.search("噪音", limit=3)] == made[::-1][:3]


def test_terms_are_deterministic():
    ticket = {"id": "abc", "description": "噪音", "caller_phone": "13812345678"}
    assert terms_for(ticket) == terms_for(dict(ticket))


def test_upkeep_keeps_results_the_same(cache):
    before = ids(cache.search("噪音")) + ids(cache.search("5678"))
    cache.maintenance()
    cache.optimize_search_index()
    assert ids(cache.search("噪音")) + ids(cache.search("5678")) == before


def test_a_common_single_character_gives_the_same_newest_results_either_way(tmp_path):
    with LocalCache(tmp_path / "c.db") as cache:
        made = [cache.create_ticket({"description": f"朝阳区 第{i}号"}, "op1")["id"] for i in range(30)]
        made += [cache.create_ticket({"description": "no match here"}, "op1")["id"] for _ in range(5)]
        through_rows = [t["id"] for t in cache.search("区", limit=10)]  # common: read from the newest rows
        assert through_rows == made[:30][::-1][:10]
        cache.SINGLE_CHARACTER_WINDOW = 3  # too few rows: the index answers, with the same result
        assert [t["id"] for t in cache.search("区", limit=10)] == through_rows


def test_single_characters_combined_with_other_words(cache):
    assert ids(cache.search("噪音 区")) == ["noise"]
    assert ids(cache.search("区 water")) == ["water"]
    assert ids(cache.search("灯 号")) == []
    assert ids(cache.search("区 号")) == ["noise", "water"]
    assert ids(cache.search("噪音 鳄")) == []
