"""Plan-level fields: title, issuer, jurisdiction, level, dates, period.

Everything is read off the normalized text by general rules (a title line
ending in 方案/意见/计划…, a signature line followed by a date line, a document
number standing on its own line) and a gazetteer of Chinese administrative
divisions shipped as package data (``data/gazetteer.csv``, see its header for
the source).  A sidecar ``<stem>.meta.toml`` next to the raw file overrides
any field the heuristics get wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import SIDECAR_SUFFIX, read_data_csv, read_toml, tomllib
from .errors import PlanError
from .patterns import DATE_LINE, DEADLINE

#: Fields a sidecar may set.
OVERRIDABLE = (
    "title", "jurisdiction", "level", "province", "issuer", "doc_number",
    "issued_date", "period_start", "period_end",
)
LEVELS = ("province", "prefecture", "county")

_TITLE_END = re.compile(r"(方案|意见|计划|规划|通知|纲要|办法|措施|细则|决定|要点|规定|实施方案)(\s*[(（][^()（）]{0,20}[)）])?[》」]?$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[【［(（]\s*\d{4}\s*[〕\]】］)）]\s*\d{1,4}\s*号")
_ISO_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_PERIOD = re.compile(r"(\d{4})\s*[-—–~～至到]\s*(\d{4})\s*年?")
_YEAR = re.compile(r"(\d{4})\s*年")
_ORG_END = re.compile(r"(人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|领导小组|局|厅|委|部|院|中心|办)$")
_PROSE = re.compile(r"[。，；,;:：]")


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


_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "盟", "旗")


def short_name(name: str) -> str:
    """``灵武市`` -> ``灵武``; ``宁夏回族自治区`` -> ``宁夏``; two-character names stay.

    Examples:
        >>> short_name("宁夏回族自治区"), short_name("盐城市"), short_name("和县")
        ('宁夏', '盐城', '和县')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _name_index() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for div in gazetteer():
        for key in {div.name, short_name(div.name)}:
            index.setdefault(key, []).append(div)
    return index


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
    index = _name_index()
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

            return max(candidates, key=score)
    return None


def _cn_int(s: str) -> int:
    import cn2an

    if s.isdigit():
        return int(s)
    if all(ch in "〇零一二三四五六七八九" for ch in s):  # 二〇一七: digit by digit
        return int("".join(str("〇一二三四五六七八九".index(ch) if ch != "零" else 0) for ch in s))
    return int(cn2an.cn2an(s, "smart"))


def _iso(y: str, m: str, d: str) -> str:
    return f"{_cn_int(y):04d}-{_cn_int(m):02d}-{_cn_int(d):02d}"


def extract_metadata(text: str, portal: dict[str, str] | None = None) -> dict[str, object]:
    """Plan fields read off a normalized plan text.

    ``portal`` holds the key/value pairs of a government portal's metadata
    table (dropped from the text by normalization), used where the text
    itself says nothing.
    """
    portal = portal or {}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head = _head_lines(lines)
    title = _find_title(head)
    issuer, issued_date = _signature(lines)
    title_issuer = _issuer_from_title(title)
    if not issuer:
        issuer = title_issuer
    if not issued_date:
        for key in ("成文日期", "发文日期", "生成日期", "发布日期"):
            m = _ISO_DATE.search(portal.get(key, ""))
            if m:
                issued_date = _iso(*m.groups())
                break
    if not issuer and portal.get("发布机构"):
        issuer = portal["发布机构"]
    doc_number = _own_doc_number(head) or portal.get("文号", "")
    division = find_division(issuer, text) or find_division(title, text) or find_division(title_issuer, text)
    start, end = _period(title, text, issued_date)
    return {
        "title": title,
        "jurisdiction": division.name if division else "",
        "level": division.level if division else "",
        "province": division.province if division else "",
        "issuer": issuer,
        "doc_number": doc_number,
        "issued_date": issued_date,
        "period_start": start,
        "period_end": end,
    }


def _head_lines(lines: list[str]) -> list[str]:
    """Lines before the first numbered heading (cover letter, title, salutation)."""
    from .structure import match_heading

    head = []
    for line in lines:
        hit = match_heading(line)
        if hit and hit[0] in ("chapter", "cn_dun"):
            break
        head.append(line)
    return head


def _find_title(head: list[str]) -> str:
    for line in head:
        if line.startswith("附件") or _PROSE.search(line.replace("《", "").replace("》", "")) and not line.endswith("》"):
            continue
        candidate = _DOC_NUMBER.sub("", line).strip()
        if candidate.startswith("《") and candidate.endswith("》"):
            candidate = candidate[1:-1]
        candidate = candidate.replace("〈", "《").replace("〉", "》")
        if 6 <= len(candidate) <= 120 and _TITLE_END.search(candidate) and not _PROSE.search(candidate):
            return candidate
    # A title broken over several short lines: join up to four of them.
    for i in range(len(head)):
        joined = ""
        for j in range(i, min(i + 4, len(head))):
            joined += head[j]
            if _PROSE.search(joined):
                break
            if _TITLE_END.search(joined) and len(joined) >= 6:
                return joined
    return ""


def _issuer_from_title(title: str) -> str:
    if "关于" in title:
        prefix = title.split("关于", 1)[0].strip()
        if _ORG_END.search(prefix):
            return prefix
    return ""


def _signature(lines: list[str]) -> tuple[str, str]:
    """Issuer and date of a signature: an organisation line right before a date line."""
    for i, line in enumerate(lines):
        m = DATE_LINE.match(line)
        if not m:
            continue
        date = _iso(*m.groups())
        prev = lines[i - 1] if i else ""
        if prev and len(prev) <= 30 and not _PROSE.search(prev) and _ORG_END.search(prev):
            return prev, date
        return "", date
    return "", ""


def _own_doc_number(head: list[str]) -> str:
    """The plan's own document number: alone on a line, or leading the title line."""
    for line in head:
        m = _DOC_NUMBER.match(line)
        if m and (m.end() == len(line) or line[m.end():].lstrip().startswith("《")):
            return m.group(0)
    return ""


def _period(title: str, text: str, issued_date: str) -> tuple[int | None, int | None]:
    m = _PERIOD.search(title)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _YEAR.search(title)
    if m:
        return int(m.group(1)), int(m.group(1))
    years = [int(a or b) for a, b in DEADLINE.findall(text)]
    start = int(issued_date[:4]) if issued_date else None
    end = max(years) if years else None
    return start, end


def read_sidecar(plan_path: str | Path) -> dict[str, object]:
    """Fields of ``<stem>.meta.toml`` beside a plan file ({} if there is none)."""
    plan_path = Path(plan_path)
    sidecar = plan_path.with_name(plan_path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = read_toml(sidecar)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(sidecar, f"invalid TOML in metadata sidecar ({exc})") from exc
    unknown = sorted(set(data) - set(OVERRIDABLE))
    if unknown:
        raise PlanError(sidecar, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(OVERRIDABLE)}")
    if "level" in data and data["level"] not in LEVELS:
        raise PlanError(sidecar, f"level must be one of {', '.join(LEVELS)}, not {data['level']!r}")
    for key in ("period_start", "period_end"):
        if key in data and not isinstance(data[key], int):
            raise PlanError(sidecar, f"{key} must be a year (integer)")
    if "issued_date" in data:
        data["issued_date"] = str(data["issued_date"])
    return data
