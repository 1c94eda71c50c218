"""The plan's jurisdiction: from its issuer, title, portal fields, document number or the places its text names
(the gazetteer of divisions); see :func:`policycompare.parse.metadata.extract_metadata` for the order."""

from __future__ import annotations

import re
from functools import lru_cache

from ..config import read_data_csv
from ..rules.gazetteer import LEVELS, Division, find_division, gazetteer, name_index, short_name
from ..rules.patterns import CN_YEAR_DIGITS, alternation
from ..rules.readers import metadata_rules
from .headings import head_lines
from .portal import portal_get


@lru_cache(maxsize=1)
def org_end() -> re.Pattern[str]:
    """The ending of an issuing body (``[issuer] org_ends``: 人民政府, 办公厅, 局 …)."""
    return re.compile(f"({alternation(metadata_rules()['issuer']['org_ends'])})$")


def find_jurisdiction(text, lines, issuer, title, title_issuer, portal_issuer, body_issuer, doc_number, fields):
    """(name, level, province, source, evidence) of the plan, or None; see :func:`extract_metadata` for
    the order.  ``source`` is ``issuer`` (the issuer's own source), ``title``, ``portal``,
    ``running_text``, ``doc_number`` or ``header``."""
    national = metadata_rules()["national"]

    def found(div: Division, source: str, said: str) -> tuple:
        return div.name, div.level, div.province, source, said

    # a title may start with its year: 2020年某区"标准化+"行动计划
    bare_title = re.sub(r"^(?:\d{4}|[" + CN_YEAR_DIGITS + r"]{4})\s*年度?", "", title)
    for source, said in (("issuer", issuer), ("title", bare_title), ("title", title_issuer)):
        div = find_division(_strip_party(said), text)
        if div:
            return found(div, source, said)
    # the place a title names after 关于(印发): 关于印发城阳区质量强区建设发展规划的通知
    m = re.match(r"^.{0,30}?关于(?:印发|转发|批转)?《?", title)
    if m:
        div = find_division(title[m.end():], text)
        if div:
            return found(div, "title", title)
    for source, said in (("issuer", issuer), ("title", title), ("title", title_issuer)):
        if _strip_party(said).startswith(tuple(national["bodies"])):
            return national["jurisdiction"], "national", "", source, said
    if doc_number.startswith(tuple(p + "〔" for p in national["doc_prefixes"])):
        return national["jurisdiction"], "national", "", "doc_number", doc_number
    for source, said in (("portal", portal_issuer), ("running_text", body_issuer)):
        div = find_division(_strip_party(said), text)
        if div:
            return found(div, source, said)
    index = portal_get(fields, "index_number")
    if re.match(r"^\d{6}(?!\d)", index):
        by_code = {d.adcode: d for d in gazetteer()}
        div = by_code.get(index[:6])
        if div:
            return found(div, "portal", index)
    div = doc_number_place(doc_number, text)
    if div:
        return found(div, "doc_number", doc_number)
    div = body_place(text)
    if div:
        return found(div, "running_text", _first_mention(text, div))
    head = head_lines(lines)
    for line in head[:8]:
        if line.startswith(tuple(national["bodies"])):
            return national["jurisdiction"], "national", "", "header", line
    return _unnamed_place(text)


def _first_mention(text: str, div: Division) -> str:
    """The words by which ``text`` first names ``div`` (full or short name), for a province else the
    first place in it; its name if none."""
    inside = div.adcode[:2] if div.level == "province" else div.adcode
    hits = [m.group(0) for m in _place_regex().finditer(text)
            if any(d.adcode.startswith(inside) for d in name_index()[m.group(0)])]
    exact = [h for h in hits if any(d.adcode == div.adcode for d in name_index()[h])]
    return (exact or hits or [div.name])[0]


def _unnamed_place(text: str) -> tuple[str, str, str, str, object] | None:
    """The last resort for a page that names no issuer, title or number of its own.

    When the body speaks of its own level (我市, 全市) but names no place of that level,
    only the level is known, and the province is the one the text names most (with
    the places in it): (``""``, level, province); the evidence is then the pair (the
    level's word, the province's first mention).  When it has no such words either (a
    news report: 拉萨市将用三年时间…), the division it names most often, at least
    twice, is the place it is about (the higher level on ties).

    Examples:
        >>> _unnamed_place("结合我市实际。按照《某某省人民政府关于…》,全市各县")
        >>> _unnamed_place("结合我市实际。按照《广东省人民政府关于…》,全市各县")
        ('', 'prefecture', '广东省', 'running_text', ('我市', '广东省'))
        >>> _unnamed_place("拉萨市将用三年时间,在拉萨市范围内开展质量兴市活动")
        ('拉萨市', 'prefecture', '西藏自治区', 'running_text', '拉萨市')
    """
    words = metadata_rules()["body_levels"]
    counts = {level: 2 * sum(text.count(w) for w in ws["own"]) + sum(text.count(w) for w in ws["whole"])
              for level, ws in words.items()}
    mentions = place_mentions(text)
    by_code = {d.adcode: d for d in gazetteer()}
    if any(counts.values()):
        level = min(counts, key=lambda k: (-counts[k], -LEVELS.index(k)))
        votes: dict[str, int] = {}
        for code, n in mentions.items():
            votes[code[:2]] = votes.get(code[:2], 0) + n
        provinces = [d for d in gazetteer() if d.level == "province" and votes.get(d.adcode[:2])]
        if not provinces:
            return None
        province = max(provinces, key=lambda d: (votes[d.adcode[:2]], d.adcode))
        word = next(w for w in words[level]["own"] + words[level]["whole"] if w in text)
        return "", level, province.name, "running_text", (word, _first_mention(text, province))
    named = [(n, -LEVELS.index(by_code[code].level), code) for code, n in mentions.items() if n >= 2]
    if not named:
        return None
    div = by_code[max(named)[2]]
    return div.name, div.level, div.province, "running_text", _first_mention(text, div)


def _strip_party(text: str) -> str:
    for prefix in metadata_rules()["issuer"]["party_prefixes"]:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def complete_issuer(issuer: str, jurisdiction: str) -> str:
    """``市政府办公室`` + 温州市 -> ``温州市政府办公室``: an issuer written without its place."""
    for prefix in sorted(metadata_rules()["issuer"]["placeless_prefixes"], key=len, reverse=True):
        if issuer.startswith(prefix) and jurisdiction.endswith(prefix) and org_end().search(issuer):
            return jurisdiction + issuer[len(prefix):]
    return issuer


@lru_cache(maxsize=1)
def _province_abbreviations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in read_data_csv("abbreviations.csv"):
        out.setdefault(row["abbreviation"], []).append(row["name"])
    return out


@lru_cache(maxsize=1)
def _place_regex() -> re.Pattern[str]:
    names = sorted(name_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@lru_cache(maxsize=1)
def _address_line() -> re.Pattern[str]:
    return re.compile("|".join(metadata_rules()["places"]["address_lines"]))


def without_address_lines(text: str) -> str:
    """``text`` with its address, contact and site-owner lines blanked (``[places] address_lines``):
    a place named only there (the site's address) is not the plan's.

    Examples:
        >>> without_address_lines("全市质量工作\\n地址:银川市北京中路1号 邮编:750001\\n")
        '全市质量工作\\n\\n'
    """
    regex = _address_line()
    return "\n".join("" if regex.search(line) and not re.search("[。；;]", line) else line
                     for line in text.split("\n"))


def place_mentions(text: str) -> dict[str, int]:
    """How often each division's name (full or short) occurs in ``text``, by adcode (address and
    contact lines left out: :func:`without_address_lines`)."""
    index = name_index()
    counts: dict[str, int] = {}
    for m in _place_regex().finditer(without_address_lines(text)):
        for div in index[m.group(0)]:
            counts[div.adcode] = counts.get(div.adcode, 0) + 1
    return counts


def doc_number_place(doc_number: str, text: str) -> Division | None:
    """The division a doc-number prefix abbreviates: 湘政办发 -> 湖南省, 娄政发 -> 娄底市.

    Province abbreviations come from ``data/abbreviations.csv``; a prefecture
    or county is abbreviated by the first character of its name, and must be
    named in ``text``.  The candidate named most often in ``text`` wins
    (a province on ties).

    Examples:
        >>> doc_number_place("湘政办发〔2017〕49号", "").name
        '湖南省'
        >>> doc_number_place("娄政发〔2017〕28号", "娄底市各县市区").name
        '娄底市'
    """
    prefix = doc_number.split("〔", 1)[0]
    if not prefix:
        return None
    mentions = place_mentions(text)
    by_name = {d.name: d for d in gazetteer() if d.level == "province"}
    candidates: list[tuple[int, int, Division]] = []
    for abbr, names in _province_abbreviations().items():
        if prefix.startswith(abbr):
            for name in names:
                if name in by_name:
                    div = by_name[name]
                    candidates.append((mentions.get(div.adcode, 0), 1, div))
    for div in gazetteer():
        if div.level != "province" and short_name(div.name)[0] == prefix[0] and mentions.get(div.adcode):
            candidates.append((mentions[div.adcode], 0, div))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1], c[2].adcode))[2]


def body_place(text: str) -> Division | None:
    """The jurisdiction as the body shows it: the level whose words (全省, 我市 …) occur most
    (the next level when the text names no place of that level), and the division of that
    level named most often (for a province: with the places in it).

    Examples:
        >>> body_place("全省各地要加快平潭综合实验区建设,全省质量").name
        '福建省'
    """
    words = metadata_rules()["body_levels"]
    counts = {level: 2 * sum(text.count(w) for w in ws["own"]) + sum(text.count(w) for w in ws["whole"])
              for level, ws in words.items()}
    mentions = place_mentions(text)
    by_code = {d.adcode: d for d in gazetteer()}
    for level in sorted((k for k in counts if counts[k]), key=lambda k: (-counts[k], -LEVELS.index(k))):
        if level == "province":
            votes: dict[str, int] = {}
            for code, n in mentions.items():
                votes[code[:2]] = votes.get(code[:2], 0) + n
            pool = [d for d in gazetteer() if d.level == "province" and votes.get(d.adcode[:2])]
            if pool:
                return max(pool, key=lambda d: (votes[d.adcode[:2]], d.adcode))
            continue
        if level == "prefecture":
            pool = [by_code[c] for c in mentions if by_code[c].level == "prefecture"
                    or by_code[c].level == "county" and by_code[c].name.endswith("市")]
        else:
            pool = [by_code[c] for c in mentions if by_code[c].level == "county"]
        if pool:
            return max(pool, key=lambda d: (mentions[d.adcode], d.adcode))
    return None
