"""Shared text patterns (policycompare.rules.patterns)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycompare.parse.headings import match_heading
from policycompare.rules.patterns import (
    CLAUSE_MARKS,
    CLAUSE_PUNCT,
    DATE_LINE,
    DEADLINE,
    HEADING_STYLES,
    PROSE,
    PROSE_MARKS,
    PROSE_OR_COLON,
    ROW_NUMBER,
    SENTENCE,
    is_signature_line,
)

_PLAIN = st.text(alphabet="加强标准质量提升市场监管局人民政府一二三0123456789 ()（）《》-", max_size=30)


@settings(max_examples=200, deadline=None)
@given(_PLAIN, st.sampled_from(PROSE_MARKS), _PLAIN)
def test_every_prose_mark_makes_prose(left, mark, right):
    line = left + mark + right
    assert PROSE.search(line) and PROSE_OR_COLON.search(line) and SENTENCE.search(line)
    assert not is_signature_line(line)


@settings(max_examples=200, deadline=None)
@given(_PLAIN)
def test_text_without_marks_is_not_prose(line):
    assert not PROSE.search(line) and not PROSE_OR_COLON.search(line) and not SENTENCE.search(line)
    assert not CLAUSE_PUNCT.search(line)


def test_the_punctuation_sets_differ_only_as_documented():
    assert PROSE_OR_COLON.search("联系人:张三") and not PROSE.search("联系人:张三")
    assert SENTENCE.search("是吗？") and not PROSE.search("是吗？")
    assert CLAUSE_PUNCT.search("甲、乙") and not PROSE.search("甲、乙")
    assert not CLAUSE_PUNCT.search("到此为止。")
    assert set(CLAUSE_MARKS) - set(PROSE_MARKS) == {"、"}


@pytest.mark.parametrize("line, style", [("一、总体要求", "cn_dun"), ("十二.附则", "cn_dun"), ("1.加快", "num_dot"),
                                         ("3、推动", "num_dot"), ("1 加快建立标准体系", "num_dot"), ("(2)开展", "num_paren"),
                                         ("第三章 主要任务", "chapter"), ("（一）落实", "cn_paren"), ("⑤推广", "circled")])
def test_heading_styles(line, style):
    assert match_heading(line)[0] == style


@pytest.mark.parametrize("line", ["1.5倍以上", "2020.1起施行", "一.5", "1 2 3", "12315热线", "2018年7月4日"])
def test_heading_lookaheads_keep_numbers_out(line):
    """(?!\\d) after 1. and 一、 and (?=\\D) after a space: decimals, dates and rows of figures are no headings."""
    assert match_heading(line) is None


def test_heading_ranks_run_top_down():
    assert [rank for _, _, rank in HEADING_STYLES] == list(range(len(HEADING_STYLES)))


@pytest.mark.parametrize("cell, number", [("1.开展标准比对", "1"), ("12、推广", "12"), ("3 . 培育", "3"), ("100．建立", "100")])
def test_row_numbers(cell, number):
    assert ROW_NUMBER.match(cell).group(1) == number


@pytest.mark.parametrize("cell", ["1000.太长", "(1)括号", "一、中文", "2020年"])
def test_not_row_numbers(cell):
    assert ROW_NUMBER.match(cell) is None


@pytest.mark.parametrize("line", ["2017年8月24日", "2017 年 11 月 27 日", "二〇一七年八月二十四日", "二○一七年十二月三日"])
def test_date_lines(line):
    assert DATE_LINE.match(line)


@pytest.mark.parametrize("line", ["2017年8月24日起施行", "印发日期:2017年8月24日", "2017年8月"])
def test_not_date_lines(line):
    assert DATE_LINE.match(line) is None


@pytest.mark.parametrize("text, year", [("到2020年,合格率", 2020), ("截至2025年底", 2025), ("2022年前完成", 2022),
                                        ("截止到2018年", 2018), ("2020年底前", 2020)])
def test_deadlines(text, year):
    m = DEADLINE.search(text)
    assert int(m.group(1) or m.group(2)) == year


def test_signature_lines():
    assert is_signature_line("灵武市人民政府办公室")
    assert not is_signature_line("")
    assert not is_signature_line("发布机构:某市人民政府")
    assert not is_signature_line("某" * 31)


def test_leading_numbers_strip_chained_heading_numbers():
    from policycompare.rules.patterns import LEADING_NUMBERS

    assert LEADING_NUMBERS.sub("", "(一)1.加快建立标准体系") == "加快建立标准体系"
    assert LEADING_NUMBERS.sub("", " 3、推动 (2)") == "推动 (2)"
    assert LEADING_NUMBERS.sub("", "2020年目标") == "2020年目标"


def test_sentence_breaks_and_cjk():
    from policycompare.rules.patterns import CJK, SENTENCE_BREAKS

    assert SENTENCE_BREAKS.split("加强标准。提升质量；\n推进品牌!") == ["加强标准", "提升质量", "推进品牌", ""]
    assert len(CJK.findall("GB/T 标准2项")) == 3
