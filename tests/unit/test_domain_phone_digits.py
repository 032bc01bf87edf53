"""Phone numbers take the digits 0-9 only: full-width or other scripts' digits never pass as a number."""

from __future__ import annotations

import pytest

from domain.ticket import FULL_WIDTH_PHONE, is_valid_phone, minimal_save_problems
from storage.cache import LocalCache
from storage.errors import ValidationError


@pytest.mark.parametrize("number", [
    "１３８１２３４５６７８",     # full-width, as a Chinese input method types it
    "138１2345678",              # one full-width digit among ASCII ones
    "０１０-１２３４５６７８",    # a full-width landline
    "١٣٨١٢٣٤٥٦٧٨",              # Arabic-Indic digits
    "13８12345678",
])
def test_non_ascii_digits_are_not_a_phone_number(number):
    assert not is_valid_phone(number)
    assert minimal_save_problems({"caller_phone": number}) == {"caller_phone": FULL_WIDTH_PHONE}


@pytest.mark.parametrize("number", ["13812345678", "010-12345678", "+8613812345678", "12345"])
def test_ascii_numbers_still_pass(number):
    assert is_valid_phone(number) and minimal_save_problems({"caller_phone": number}) == {}


def test_the_cache_refuses_a_full_width_number(tmp_path):
    with LocalCache(tmp_path / "cache.db") as cache:
        with pytest.raises(ValidationError) as caught:
            cache.create_ticket({"caller_phone": "１３８１２３４５６７８", "description": "noise"}, "op1")
        assert caught.value.problems == {"caller_phone": FULL_WIDTH_PHONE}
        assert cache.count_tickets() == 0
