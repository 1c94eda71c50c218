"""The numeral parser (extract/numbers.py): the one place numbers written in words are read."""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycompare.extract.numbers import find_quantities, to_decimal, to_int

CN_DIGITS = "零一二三四五六七八九"


@pytest.mark.parametrize(
    "written, value",
    [
        ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("三十五", 35), ("一百零五", 105), ("百", 100),
        ("一千零五", 1005), ("三千万", 30_000_000), ("十万", 100_000), ("一亿", 100_000_000),
        ("两", 2), ("两千", 2000), ("两万五", 25_000), ("一万二千", 12_000), ("一万二", 12_000),
        ("二〇一七", 2017), ("二○一七", 2017), ("二O一七", 2017), ("二零二零", 2020), ("一零", 10), ("零", 0),
        ("91", 91), ("2 0 1 7", 2017), ("5万", 50_000), ("1.5万", 15_000), ("3千", 3000),
        ("①", 1), ("⑳", 20), ("万", 10_000),
    ],
)
def test_to_decimal(written, value):
    assert to_decimal(written) == value


@pytest.mark.parametrize("written, value", [("91.5", "91.5"), ("九十一点五", "91.5"), ("点五", "0.5"),
                                            ("九十点零五", "90.05"), ("0.5", "0.5"), ("1.25万", "12500")])
def test_decimals(written, value):
    assert to_decimal(written) == Decimal(value)


@pytest.mark.parametrize("written", ["", "十十", "亿亿", "九十点", "九十点两", "abc"])
def test_not_numerals(written):
    with pytest.raises(ValueError):
        to_decimal(written)


def test_to_int_refuses_fractions():
    assert to_int("三十五") == 35
    with pytest.raises(ValueError):
        to_int("九十一点五")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip_with_cn2an(n):
    """Every number cn2an writes in Chinese numerals reads back (with 两 for a leading 二 too)."""
    written = cn2an.an2cn(n)
    assert to_int(written) == n
    if written.startswith("二") and len(written) > 1 and written[1] in "百千万亿":
        assert to_int("两" + written[1:]) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10, max_value=10**8))
def test_digit_by_digit(n):
    """二〇一七: Chinese digits read one by one, zero written 〇 or 零."""
    assert to_int("".join(CN_DIGITS[int(d)] for d in str(n))) == n
    assert to_int("".join("〇一二三四五六七八九"[int(d)] for d in str(n))) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=999))
def test_arabic_and_chinese_decimals_agree(whole, frac):
    digits = str(frac).rstrip("0") or "0"
    arabic = to_decimal(f"{whole}.{digits}")
    chinese = to_decimal(cn2an.an2cn(whole) + "点" + "".join(CN_DIGITS[int(d)] for d in digits))
    assert arabic == chinese == Decimal(f"{whole}.{digits}")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["千", "万", "亿"]))
def test_arabic_with_a_multiplier(n, mult):
    assert to_int(f"{n}{mult}") == n * {"千": 1000, "万": 10_000, "亿": 100_000_000}[mult]


def test_find_quantities_reads_every_form():
    found = [(q.text, q.value, q.unit, q.chinese) for q in find_quantities("培育两个品牌,合格率达到百分之九十一点五,新增1.5万家,打造二十项")]
    assert found == [("两个", 2, "个", True), ("百分之九十一点五", Decimal("91.5"), "%", True),
                     ("1.5万家", 15_000, "家", False), ("二十项", 20, "项", True)]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="一二两三十百千万〇零0123456789.%个项家,以上达到-", max_size=30))
def test_quantities_point_into_the_text(text):
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.value_max is None or q.value_max > q.value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=999))
def test_round_trip_with_the_word_list_writer(n):
    """ingest_word.chinese_counting writes Word list numbers (十一, 一百零五); the parser reads them back."""
    from policycompare.ingest.word import chinese_counting

    assert to_int(chinese_counting(n)) == n


@pytest.mark.parametrize(
    "text, found",
    [
        ("最高补助2000万元", [("2000万元", 20_000_000, "元", False)]),  # 万 folded into the value
        ("奖励500 万元", [("500 万元", 5_000_000, "元", False)]),
        ("奖励五百万元", [("五百万元", 5_000_000, "元", False)]),
        ("产值3000亿元", [("3000亿元", 3000, "亿元", False)]),  # 亿元 keeps its unit
        ("培训10万人", [("10万人", 10, "万人", False)]),
        ("人均收入5万元/人", [("5万元/人", 50_000, "元/人", False)]),  # compound units
        ("抽检4批次/千人", [("4批次/千人", 4, "批次/千人", False)]),
        ("抽检4 批次／千人", [("4 批次／千人", 4, "批次/千人", False)]),
        ("培育20多个品牌", [("20多个", 20, "个", True)]),  # more than 20
        ("新增30余家企业", [("30余家", 30, "家", True)]),
        ("查处案件1200余起", [("1200", 1200, "", False)]),  # 起 is no unit: 余 stays outside
    ],
)
def test_money_compound_units_and_more_than(text, found):
    assert [(q.text, q.value, q.unit, q.more) for q in find_quantities(text)] == found
