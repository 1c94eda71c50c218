"""Text patterns shared by several stages: one home for each (kept apart from the logic, textacy-style).

Prose punctuation, heading numbers, row numbers, date and deadline wording and
the signature line are defined here once; the modules that need them import
them.  Rule *words* (agency roles, heading parts, comparators) live in the
data files (see :mod:`policycompare.rules.readers`); numerals are parsed by
:func:`policycompare.extract.numbers.to_decimal`.
"""

from __future__ import annotations

import re


def alternation(words) -> str:
    """``a|b|…`` of words, escaped, longest first (so 牵头负责 is tried before 牵头), for a group of a pattern.

    Examples:
        >>> alternation(["局", "中心", "领导小组"])
        '领导小组|中心|局'
        >>> re.fullmatch(alternation(["1+1"]), "1+1") is not None
        True
    """
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# -- punctuation -----------------------------------------------------------------------

#: Marks of running prose: full stop, commas and semicolons (full-width and ASCII).
#: A title, a heading, an issuer line or an annex heading holds none of them.
PROSE_MARKS = "。，；,;"
#: The marks that sit *inside* a sentence: commas, semicolons and the enumeration comma 、.
CLAUSE_MARKS = "，,；;、"

#: Marks that end a sentence (full-width and ASCII).
SENTENCE_END_MARKS = "。；;！？!?"

#: A line holding prose punctuation is prose (not a heading, a list entry or an annex title).
PROSE = re.compile(f"[{PROSE_MARKS}]")
#: Prose, or a colon: a ``label:value`` line is not a title or an issuer either.
PROSE_OR_COLON = re.compile(f"[{PROSE_MARKS}:：]")
#: Prose, or a question or exclamation mark: a sentence of a plan (never page furniture).
SENTENCE = re.compile(f"[{PROSE_MARKS}！？]")
#: Punctuation inside a sentence: a line with one is a piece of prose (a truncated page ends in one).
CLAUSE_PUNCT = re.compile(f"[{CLAUSE_MARKS}]")
#: Sentence breaks: a run of sentence ends or line breaks (a text split into sentences).
SENTENCE_BREAKS = re.compile(f"[{SENTENCE_END_MARKS}\n]+")
#: A CJK ideograph (basic block).
CJK = re.compile(r"[\u4e00-\u9fff]")

# -- numbers at the start of a line --------------------------------------------------------

#: Chinese numerals of heading numbers (一、, (十二), 第三章).
CN_HEADING_DIGITS = "一二三四五六七八九十百零〇"

#: Numbered heading styles as ``(style, regex, rank)``; rank orders the styles from the
#: top of a plan's tree down (``一、`` always sits above ``(一)``, which sits above ``1.``).
HEADING_STYLES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("chapter", re.compile(rf"^第([{CN_HEADING_DIGITS}\d]+)[章部篇]"), 0),
    ("cn_dun", re.compile(
        rf"""^([{CN_HEADING_DIGITS}]+) [、．.]
        (?!\d)   # not a decimal or a date (一.5 is no heading)
        """, re.VERBOSE), 1),
    ("cn_paren", re.compile(rf"^[(（]([{CN_HEADING_DIGITS}]+)[)）]"), 2),
    ("num_dot", re.compile(
        r"""^(\d{1,2})
        (?: [、．.] (?!\d)   # 1. or 1、 but not 1.5 (a decimal) or 2020.1 (a date)
          | \s (?=\D)       # 1 加快…: a space, then no second number (a table row of figures)
        )""", re.VERBOSE), 3),
    ("num_paren", re.compile(r"^[(（](\d{1,2})[)）]"), 4),
    ("circled", re.compile(r"^([\u2460-\u2473])"), 5),
)

#: Every number a task's text starts with, chained: ``(一)1.``, ``3、``, ``(2)`` (stripped before comparing texts).
LEADING_NUMBERS = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）.、．]\s*)+")
#: The number a table row starts with: ``1.``, ``12、``, ``3 .`` (group 1: the number).
ROW_NUMBER = re.compile(r"^(\d{1,3})\s*[.、．]\s*")

# -- dates, deadlines, signatures ----------------------------------------------------------

#: A line that is only a date: ``2017年8月24日``, ``2017 年 11 月 27 日`` or
#: ``二〇一七年八月二十四日`` (zero also written ○ or O; a signature date).
#: Chinese digits of a year written digit by digit (二〇一七; zero also ○ or a Latin O in bad pages).
CN_YEAR_DIGITS = "〇○O零一二三四五六七八九"
DATE_LINE = re.compile(
    rf"^(\d{{4}}|[{CN_YEAR_DIGITS}]{{4}})\s*年\s*([\d一二三四五六七八九十]{{1,3}})\s*月\s*([\d一二三四五六七八九十]{{1,3}})\s*日$"
)

#: A deadline year: ``到2020年``, ``截至2020年``, ``2020年前`` / ``2020年底``.
DEADLINE = re.compile(r"(?:到|至|截至|截止到?)\s*(\d{4})\s*年|(\d{4})\s*年\s*(?:前|底|末|以前)")

#: Longest issuer line of a signature (the line right above the signature date).
SIGNATURE_MAX = 30


def is_signature_line(line: str) -> bool:
    """A line that may sign a plan when a date line follows it: short, with no prose or colon.

    Examples:
        >>> is_signature_line("某市人民政府办公室"), is_signature_line("各部门要加强组织领导,确保落实。")
        (True, False)
    """
    return 0 < len(line) <= SIGNATURE_MAX and not PROSE_OR_COLON.search(line)
