"""Quantities as written: ``91.5%``, ``10000家``, ``1-2个``, ``一万家``, ``5万``, ``百分之九十``,
``20多个`` (more than 20), ``500万元`` (5000000 元), ``5万元/人`` (a compound unit).

Only the span already recognised as a number is handed to cn2an, never a
whole sentence (cn2an's transform mode mangles words such as 统一 or 两会).
Values are exact :class:`~decimal.Decimal` numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from ..config import PACKAGE_DATA, read_toml

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
#: Units, in the order they are tried (``[quantities] units`` of ``data/targets.toml``);
#: ``个百分点`` is a change, kept as its own unit.
_QUANTITIES = read_toml(PACKAGE_DATA / "targets.toml")["quantities"]
UNITS = tuple(_QUANTITIES["units"])
#: Second halves of compound units (万元/人, 批次/千人), longest first.
PER_UNITS = tuple(sorted(_QUANTITIES["per_units"], key=len, reverse=True))
#: Words between a number and its unit meaning "more than" (20多个, 30余家).
MORE_THAN = tuple(_QUANTITIES["more_than"])
_ARABIC = r"\d+(?:\.\d+)?"
# 3000亿元 and 10万人: the 亿 and the 万 belong to the unit; 500万元 is 5000000 元 (万 folded in)
_MULT = r"(?:\s?(?:千|万(?!人)|亿(?!元)))?"  # a blank may stand before it (500 万元)
_RANGE_SEP = r"\s*[-~～至到—]\s*"
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_PER_RE = "|".join(re.escape(u) for u in PER_UNITS)
_MORE_RE = "|".join(re.escape(w) for w in MORE_THAN)

QUANTITY = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>[{CN_DIGITS}点]+))"
    rf"|(?P<num>{_ARABIC}{_MULT}|[{CN_DIGITS}]+)"
    rf"(?:{_RANGE_SEP}(?P<max>{_ARABIC}{_MULT}|[{CN_DIGITS}]+))?"
    rf"(?:(?P<more>{_MORE_RE})(?=\s?(?:{_UNIT_RE})))?"
    rf"\s?(?P<unit>(?:{_UNIT_RE})(?:\s?[/／]\s?(?:{_PER_RE}))?)?"
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with its position."""

    text: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    start: int
    end: int
    chinese: bool  # written in Chinese numerals
    more: bool = False  # 20多个, 30余家: more than the value


#: Chinese digits 0-9 as written in a date or a digit-by-digit number (二〇一七, 二零二零);
#: ○ and a Latin O stand for 〇 in badly encoded pages.
_CN_ZERO = "〇○O零"
_DIGIT_VALUE = {**{ch: 0 for ch in _CN_ZERO}, **{ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}, "两": 2}
_MULTIPLIER = {"千": 1000, "万": 10000, "亿": 100000000}


def to_decimal(written: str) -> Decimal:
    """A written number -> Decimal: the one numeral parser of the package.

    Arabic numbers (``91.5``), Arabic with a multiplier (``1.5万``), Chinese
    numerals with 十/百/千/万/亿 (``一万二千``, ``百`` = 一百, ``两`` = 二), Chinese
    digits read one by one (``二〇一七``, zero also ○ or O), decimals with 点
    (``九十一点五``) and circled numbers (``③``).  Spaces are ignored.  Raises
    :class:`ValueError` on anything else (``十十``, ``九十点``).

    Examples:
        >>> [str(to_decimal(x)) for x in ["91.5", "一万", "1.5万", "百", "十二", "两", "5万"]]
        ['91.5', '10000', '15000', '100', '12', '2', '50000']
        >>> [str(to_decimal(x)) for x in ["二〇一七", "二○一七", "2 0 1 7", "九十一点五", "③", "一千零五"]]
        ['2017', '2017', '2017', '91.5', '3', '1005']
    """
    written = re.sub(r"\s", "", written)
    if not written:
        raise ValueError("empty numeral")
    if re.fullmatch(_ARABIC, written):
        return Decimal(written)
    m = re.fullmatch(rf"({_ARABIC})([万千亿])", written)
    if m:
        return _tidy(Decimal(m.group(1)) * _MULTIPLIER[m.group(2)])
    if len(written) == 1 and "\u2460" <= written <= "\u2473":  # ① … ⑳
        return Decimal(ord(written) - 0x2460 + 1)
    whole, point, frac = written.partition("点")
    if point:
        value = to_decimal(whole) if whole else Decimal(0)
        if not frac or any(ch not in _DIGIT_VALUE or ch == "两" for ch in frac):
            raise ValueError(f"not a numeral: {written}")
        return _tidy(value + Decimal("0." + "".join(str(_DIGIT_VALUE[ch]) for ch in frac)))
    if len(written) > 1 and all(ch in _DIGIT_VALUE and ch != "两" for ch in written):  # 二〇一七: digit by digit
        return Decimal(int("".join(str(_DIGIT_VALUE[ch]) for ch in written)))
    if written[0] in "十百千万":  # 百个 = 一百个
        written = "一" + written
    written = written.replace("两", "二").replace("〇", "零").replace("○", "零")
    value = cn2an.cn2an(written, "smart")
    return _tidy(Decimal(str(value))) if isinstance(value, float) else Decimal(int(value))


def to_int(written: str) -> int:
    """A written whole number -> int (:func:`to_decimal`, then int).

    Examples:
        >>> [to_int(x) for x in ["一", "十", "十二", "二十三", "7", "③", "二〇一七"]]
        [1, 10, 12, 23, 7, 3, 2017]
    """
    value = to_decimal(written)
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number: {written}")
    return int(value)


def _tidy(value: Decimal) -> Decimal:
    """15000.0 -> 15000; 91.50 -> 91.5."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def find_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its unit (if any) and offsets.

    Examples:
        >>> [(q.text, str(q.value), q.unit) for q in find_quantities("合格率达到91.5%以上,培育1-2个品牌")]
        [('91.5%', '91.5', '%'), ('1-2个', '1', '个')]
    """
    out: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        try:
            if m.group("pct"):
                value = to_decimal(m.group("pctnum"))  # 百分之九十一点五
                out.append(Quantity(m.group(0), value, None, "%", m.start(), m.end(), True))
                continue
            num = m.group("num")
            value = to_decimal(num)
            value_max = to_decimal(m.group("max")) if m.group("max") else None
        except (ValueError, KeyError, ArithmeticError):
            continue
        chinese = not num[0].isdigit()
        if value_max is not None and value_max <= value:
            # "2016-2020" style or a broken range: keep the first number only
            end = m.start("num") + len(num)
            out.append(Quantity(text[m.start():end], value, None, "", m.start(), end, chinese))
            continue
        unit = re.sub(r"\s", "", m.group("unit") or "").replace("／", "/")
        out.append(Quantity(m.group(0), value, value_max, unit, m.start(), m.end(), chinese, bool(m.group("more"))))
    return out
