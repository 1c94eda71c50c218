"""The gazetteer of Chinese administrative divisions shipped as package data.

``data/gazetteer.csv`` (see its header for the source): adcode, name, level,
parent and province of every division.  Names are looked up as written
(灵武市) and short (灵武); a division named right after its parent is the one
meant (上海市普陀区 -> 普陀区).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..config import PACKAGE_DATA, read_data_csv, read_toml

LEVELS = ("national", "province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str
    parent: str
    province: str


@lru_cache(maxsize=1)
def gazetteer() -> tuple[Division, ...]:
    """Administrative divisions shipped with the package."""
    return tuple(Division(**row) for row in read_data_csv("gazetteer.csv"))


_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区",
             "省", "市", "县", "区", "盟", "旗")


_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}?族)+自治(?:县|州|旗|区)$")


def short_name(name: str) -> str:
    """``灵武市`` -> ``灵武``; ``宁夏回族自治区`` -> ``宁夏``; ethnic-autonomy parts go
    (``石柱土家族自治县`` -> ``石柱``); two-character names stay.

    Examples:
        >>> short_name("宁夏回族自治区"), short_name("盐城市"), short_name("和县"), short_name("恩施土家族苗族自治州")
        ('宁夏', '盐城', '和县', '恩施')
    """
    m = _ETHNIC.match(name)
    if m:
        return m.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Short names that are ordinary words of plans (振兴, 资源, 公安 …): ``[places] common_words`` in
    ``data/metadata.toml``; such a division is found by its full name only."""
    return frozenset(read_toml(PACKAGE_DATA / "metadata.toml")["places"]["common_words"])


@lru_cache(maxsize=1)
def name_index() -> dict[str, list[Division]]:
    """Name as written and short name -> the divisions so named (a short name that is a common word
    is left out: 振兴 is no mention of 振兴区).

    A county (县) written with 市 (怀仁市 for 怀仁县) is a county that became a county-level city
    after the gazetteer's edition: that name finds it too, under the name the text uses (see
    :func:`find_division`)."""
    index: dict[str, list[Division]] = {}
    common = common_words()
    for div in gazetteer():
        for key in {div.name, short_name(div.name)} - (common - {div.name}):
            index.setdefault(key, []).append(div)
    return index


def _became_city(div: Division, written: str) -> Division:
    """``怀仁县`` written ``怀仁市``: the division under its new name (a county that became a county-level city)."""
    short = short_name(div.name)
    if (div.level == "county" and div.name.endswith("县") and div.name == short + "县"
            and written.startswith(short + "市") and not written.startswith(div.name)):
        return replace(div, name=short + "市")
    return div


def find_division(text: str, context: str = "") -> Division | None:
    """The division named at the start of ``text`` (an issuer or title).

    Among divisions sharing a name, the one whose province and prefecture are
    named most often in ``context`` (the plan text) wins; then the higher level.

    Examples:
        >>> find_division("灵武市人民政府办公室", "宁夏 银川").level
        'county'
        >>> find_division("上海市人民政府办公厅").level
        'province'
    """
    index = name_index()
    for length in range(min(12, len(text)), 1, -1):
        candidates = index.get(text[:length])
        if candidates:
            by_code = {d.adcode: d for d in gazetteer()}

            def score(div: Division) -> tuple[int, int, int]:
                mentions = 0
                for code in {div.adcode[:2] + "0000", div.parent}:
                    parent = by_code.get(code)
                    if parent and parent.adcode != div.adcode:
                        mentions += context.count(short_name(parent.name))
                exact = int(text.startswith(div.name))
                return (exact, mentions, -LEVELS.index(div.level))

            best = max(candidates, key=score)
            return _became_city(_deepest(best, text[len(best.name) if text.startswith(best.name) else length:]), text)
    return None


@lru_cache(maxsize=1)
def _by_adcode() -> dict[str, Division]:
    return {d.adcode: d for d in gazetteer()}


@lru_cache(maxsize=1)
def _exact_names() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = {}
    for div in gazetteer():
        out.setdefault(div.name, []).append(div)
    return out


def division_of(name: str, province: str = "", level: str = "") -> Division | None:
    """The gazetteer division a plan's ``jurisdiction`` names (exact name), or None.

    Among divisions sharing a name (普陀区 in 上海 and in 舟山), the one in
    ``province`` and of ``level`` wins.

    Examples:
        >>> division_of("普陀区", "上海市").adcode, division_of("灵武市").parent
        ('310107', '640100')
    """
    candidates = _exact_names().get(name, [])
    if not candidates and name.endswith("市"):  # a county that became a county-level city (怀仁县 -> 怀仁市)
        candidates = [d for d in _exact_names().get(name[:-1] + "县", []) if d.level == "county"]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (d.province == province, d.level == level, -int(d.adcode)))


def ancestors(adcode: str) -> list[Division]:
    """The divisions above ``adcode``, nearest first, up to its province (the nation is not a row).

    A county's chain is its prefecture then its province; a district of a
    municipality (上海市普陀区) goes straight to the municipality.

    Examples:
        >>> [d.name for d in ancestors("640181")]
        ['银川市', '宁夏回族自治区']
    """
    by_code = _by_adcode()
    out: list[Division] = []
    div = by_code.get(adcode)
    while div is not None and div.parent and div.parent in by_code and len(out) < 4:
        div = by_code[div.parent]
        out.append(div)
    return out


def _deepest(div: Division, rest: str) -> Division:
    """A division named right after its parent is the one meant: 上海市普陀区 -> 普陀区."""
    prefix = div.adcode[:2] if div.level == "province" else div.adcode[:4] if div.level == "prefecture" else None
    if not prefix:
        return div
    index = name_index()
    for length in range(min(12, len(rest)), 1, -1):
        inside = [d for d in index.get(rest[:length], []) if d.adcode.startswith(prefix) and d.adcode != div.adcode]
        if inside:
            child = min(inside, key=lambda d: LEVELS.index(d.level))
            return _deepest(child, rest[len(child.name) if rest.startswith(child.name) else length:])
    return div
