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
from functools import lru_cache

from ..rules.gazetteer import (
    find_division,
)
from ..rules.patterns import CN_YEAR_DIGITS, DATE_LINE, DEADLINE, PROSE_OR_COLON, alternation, is_signature_line
from ..rules.readers import metadata_rules
from .headings import head_lines
from .places import complete_issuer, find_jurisdiction, org_end
from .portal import ISO_DATE, iso, portal_date, portal_dates, portal_get, text_portal
from .sidecar import OVERRIDABLE

#: A document number (文号) such as 湘政办发〔2017〕52号.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[【［(（]\s*(?:\d\s*){4}\s*[〕\]】］)）]?\s*(?:\d\s*){1,4}号")
_DOC_PARTS = re.compile(r"^([\u4e00-\u9fff]{1,10})[〔\[【［(（](\d{4})[〕\]】］)）]?(\d{1,4})号$")
#: A dash between two years, also 一 typed for a dash (2012一2020)
_DASH = "[-—–―－‐−~～至到一]+"
_PERIOD = re.compile(rf"(\d{{4}})\s*{_DASH}\s*(\d{{4}})\s*年?")
_YEAR = re.compile(r"(\d{4})\s*年")


def extract_metadata(text: str, portal: dict[str, str] | None = None) -> dict[str, object]:
    """Plan fields read off a normalized plan text.

    ``portal`` holds the key/value pairs of a government portal's metadata
    table (dropped from the text by normalization); portal blocks left in the
    text (``【公布日期】2016.10.25``, ``发布机构 | … |``, a label line followed by
    its value) are read too.  They are used where the text itself says nothing.

    Sources, best first (rules in ``data/metadata.toml``):

    * issuer: the signature (an organisation line before the date line, or
      both on one line); the title before 关于/印发/转发; the portal's
      发布机构; a preamble saying ``X印发了《…》``.  An issuer without a place
      (市政府办公室) is completed from the jurisdiction.
    * jurisdiction and level: the issuer, the title, national bodies and
      doc-number prefixes (国务院, 国办发 -> national), the portal's issuer
      and 索引号, the doc-number prefix (湘政办发 -> 湖南省, 娄政发 -> 娄底市),
      then the body (全省/全市/全县 and the places it names).
    * issued_date: the signature date (also 二〇一七年…, 2017 年 11 月 27 日, or
      a date stripped to digits resolved with the portal's dates), the
      portal's 成文/制发/公布日期, then its 发布日期; never a guess.
    * period: the title (2016-2020年, 十三五, 2014年), the plan it implements
      (贯彻落实《…(2016—2020年)》), else the issue year and the nearest
      deadline within the plan's horizon.

    Examples:
        >>> meta = extract_metadata("原标题:某某市人民政府关于印发质量工作要点的通知\\n市政府办公室\\n二○一三年四月一日\\n")
        >>> meta["title"], meta["issued_date"]
        ('某某市人民政府关于印发质量工作要点的通知', '2013-04-01')
    """
    return read_metadata(text, portal)[0]


#: Where a plan field came from (``plan_fields.source``), see :func:`read_metadata`.
SOURCES = ("header", "signature", "title", "portal", "running_text", "cited_document", "doc_number",
           "gazetteer", "inferred", "sidecar")


def read_metadata(text: str, portal: dict[str, str] | None = None) -> tuple[dict[str, object], dict[str, tuple]]:
    """:func:`extract_metadata`'s fields and, for each field found, where it came from.

    The second dict maps a field to ``(source, evidence, near)``: ``source`` one of
    :data:`SOURCES` — ``header`` (a line of the head: the title line, the doc-number
    line, the parenthesis under the title), ``signature`` (the signature and its
    date), ``title`` (read off the title: the issuer before 关于, the place it
    names, its period), ``portal`` (a portal or law-site block: 发布机构, 发文字号,
    成文日期, 索引号), ``running_text`` (a sentence of the body: a news report's
    省政府印发《…》, 我市/全省 and the places named, a deadline 到2025年),
    ``cited_document`` (the plan it implements: 贯彻落实《…(2016—2020年)》),
    ``doc_number`` (the place its number's prefix abbreviates), ``gazetteer``
    (level and province of the jurisdiction), ``inferred`` (the period's start
    from the issue year); ``evidence`` the text it was read from (a line or the
    words matched; for ``gazetteer`` and ``inferred`` the value it was derived
    from) and ``near`` the index of its line among the text's non-empty lines
    (-1 when unknown).  :func:`field_rows` turns them into rows with offsets.

    Examples:
        >>> meta, src = read_metadata("某某市人民政府关于印发质量工作要点的通知\\n某某市人民政府\\n二○一三年四月一日\\n")
        >>> src["issued_date"][:2], src["title"][:2]
        (('signature', '二○一三年四月一日'), ('header', '某某市人民政府关于印发质量工作要点的通知'))
    """
    fields = text_portal(text)
    fields.update({re.sub(r"\s", "", k): v for k, v in (portal or {}).items()})
    fields = {k: v for k, v in fields.items() if v and v not in metadata_rules()["portal"]["empty_values"]}
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head = head_lines(lines)
    src: dict[str, tuple] = {}
    title = _find_title(head)
    if title:
        src["title"] = ("header", title, -1)
    else:
        # a news report or cover letter names the plan only in 《》: 省政府印发《…》, 将《…》印发给你们
        title = _reported_title(head)
        if title:
            src["title"] = ("running_text", title, -1)
    issuer, issued_date, issuer_at, date_at = _signature(lines, fields)
    if issuer:
        src["issuer"] = ("signature", issuer, issuer_at)
    if issued_date:
        src["issued_date"] = ("signature", lines[date_at], date_at)
    # a signature date stripped to digits that the portal's dates cannot resolve stays
    # empty (doubts.py warns): no other date stands in for it
    unresolved = issued_date is None
    issued_date = issued_date or ""
    title_issuer = _issuer_from_title(title)
    if not issued_date and not unresolved:
        issued_date, said = _title_date(head, title)
        if issued_date:
            src["issued_date"] = ("header", said, -1)
    if not issuer and title_issuer:
        issuer = title_issuer
        src["issuer"] = ("title", title_issuer, -1)
    if not issued_date and not unresolved:
        for group in ("document_date", "posting_date"):
            issued_date = portal_date(fields, group)
            if issued_date:
                src["issued_date"] = ("portal", ISO_DATE.search(portal_get(fields, group)).group(0), -1)
                break
    portal_issuer = portal_get(fields, "issuer")
    body_issuer, said_issuer = _body_issuer_said(head)
    if not issuer and portal_issuer and org_end().search(portal_issuer):
        issuer = portal_issuer
        src["issuer"] = ("portal", portal_issuer, -1)
    if not issuer and body_issuer:
        issuer = body_issuer
        src["issuer"] = ("running_text", said_issuer, -1)
    if not issuer:
        issuer = _glued_issuer(head)
        if issuer:
            src["issuer"] = ("header", issuer, -1)
    doc_number, said_number = _own_doc_number(head)
    if doc_number:
        src["doc_number"] = ("header", said_number, -1)
    else:
        m = DOC_NUMBER.search(portal_get(fields, "doc_number"))
        doc_number = _clean_doc_number(m.group(0)) if m else ""
        if doc_number:
            src["doc_number"] = ("portal", m.group(0), -1)
    place = find_jurisdiction(text, lines, issuer, title, title_issuer, portal_issuer, body_issuer, doc_number, fields)
    if place is not None:
        issuer = complete_issuer(issuer, place[0])
        name, level, province, source, said = place
        if source == "issuer":  # the issuer named the place: the issuer's own source and line
            source, said, near = src.get("issuer", ("signature", said, -1))
        else:
            near = -1
        if name:
            src["jurisdiction"] = (source, said, near)
            # a national body or number names the level itself; a place's level is the gazetteer's
            src["level"] = (source, said, near) if level == "national" else ("gazetteer", name, -1)
            if province:
                src["province"] = ("gazetteer", name, -1)
        else:  # only the level is known (我市), and the province the text names most
            src["level"] = (source, said[0], -1)
            src["province"] = (source, said[1], -1)
    start, end, said_period = _period(title, head, text, issued_date)
    for key, (source, said) in zip(("period_start", "period_end"), said_period):
        if source == "title" and src.get("title", ("",))[0] == "running_text":
            source = "running_text"  # the period of a title cited in a sentence
        src[key] = (source, said, -1)
    meta = {
        "title": title,
        "jurisdiction": place[0] if place else "",
        "level": place[1] if place else "",
        "province": place[2] if place else "",
        "issuer": issuer,
        "doc_number": doc_number,
        "issued_date": issued_date,
        "period_start": start,
        "period_end": end,
    }
    return meta, {k: v for k, v in src.items() if meta.get(k) not in ("", None)}


#: Sources whose evidence is a value derived from another field, not words of the text.
_DERIVED = ("gazetteer", "inferred", "sidecar")


def field_rows(plan_id: str, text: str, metadata: dict[str, object], sources: dict[str, tuple],
               sidecar: dict[str, object] | None = None) -> list[dict[str, object]]:
    """Rows of the ``plan_fields`` table: one per field of the plan that has a value.

    ``char_start``/``char_end`` are the offsets of ``evidence`` in ``text`` (the
    normalized text) when the words stand in it (a title broken over lines is
    found across the line break; ``evidence`` is then the text as it stands);
    empty for derived values (gazetteer, inferred), sidecar fields and portal
    fields the normalization dropped from the text.

    Examples:
        >>> text = "某某市人民政府关于印发质量工作要点的通知\\n某某市人民政府\\n二○一三年四月一日\\n"
        >>> meta, src = read_metadata(text)
        >>> [(r["field"], r["source"], r["char_start"], r["evidence"]) for r in field_rows("x", text, meta, src)][1:3]
        [('issuer', 'signature', 21, '某某市人民政府'), ('issued_date', 'signature', 29, '二○一三年四月一日')]
    """
    starts = _line_starts(text)
    rows = []
    for name in OVERRIDABLE:
        value = metadata.get(name)
        if value in ("", None):
            continue
        if sidecar and name in sidecar:
            source, said, near = "sidecar", "", -1
        elif name in sources:
            source, said, near = sources[name]
        else:
            continue
        span = None
        if source not in _DERIVED and said:
            span = _locate(text, str(said), starts[near] if 0 <= near < len(starts) else 0)
        rows.append({
            "plan_id": plan_id, "field": name, "value": str(value), "source": source,
            "char_start": span[0] if span else None, "char_end": span[1] if span else None,
            "evidence": text[span[0]:span[1]] if span else str(said),
        })
    return rows


def _line_starts(text: str) -> list[int]:
    """Offset of each non-empty line's first non-blank character (the lines :func:`read_metadata` reads)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        stripped = m.group(0).lstrip()
        if stripped.strip():
            out.append(m.start() + len(m.group(0)) - len(stripped))
    return out


def _locate(text: str, said: str, near: int = 0) -> tuple[int, int] | None:
    """(start, end) of ``said`` in ``text``: first at or after ``near``, else anywhere; blanks and line
    breaks between its characters allowed (a title broken over lines)."""
    for begin in (near, 0):
        at = text.find(said, begin)
        if at >= 0:
            return at, at + len(said)
    chars = [c for c in said if not c.isspace()]
    if not chars:
        return None
    pattern = re.compile(r"\s*".join(map(re.escape, chars)))
    for begin in (near, 0):
        m = pattern.search(text, begin)
        if m:
            return m.start(), m.end()
    return None


@lru_cache(maxsize=1)
def _title_end() -> re.Pattern[str]:
    """A title's last word (``title_ends``: 方案, 意见 …), a short parenthesis (试行) and a closing 》 allowed."""
    kinds = alternation(metadata_rules()["title_ends"])
    return re.compile(rf"({kinds})(\s*[(（][^()（）]{{0,20}}[)）])?[》」]?$")


def resolve_stripped_date(digits: str, known: list[str] = ()) -> str:
    """A date whose 年月日 a site stripped (``202365``, ``2016127``) -> ISO, or '' if ambiguous.

    The first four digits are the year; the rest splits into month and day.
    When several splits are valid, a known date of the same year (the
    portal's 成文/发布日期) picks the split on or before it, nearest; with no
    such date the result is '' (never a guess).

    Examples:
        >>> resolve_stripped_date("202365")
        '2023-06-05'
        >>> resolve_stripped_date("2016127"), resolve_stripped_date("2016127", ["2016-12-09"])
        ('', '2016-12-07')
    """
    year, rest = digits[:4], digits[4:]
    options = []
    for cut in range(1, len(rest)):
        month, day = int(rest[:cut]), int(rest[cut:])
        if len(rest[cut:]) <= 2 and not rest[cut:].startswith("0") or len(rest[cut:]) == 2:
            if 1 <= month <= 12 and 1 <= day <= 31 and len(rest[:cut]) <= 2:
                options.append(f"{year}-{month:02d}-{day:02d}")
    options = sorted(set(options))
    if len(options) == 1:
        return options[0]
    for date in known:
        before = [o for o in options if o[:4] == date[:4] and o <= date]
        if before:
            return max(before)
    return ""


_STRIPPED_DATE = re.compile(r"^((?:19|20)\d{2})(\d{2,4})$")
_DATE_IN_LINE = re.compile(
    rf"((?:\d\s*){{4}}|[{CN_YEAR_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月\s*(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日"
)


def _date_of_line(line: str, known: list[str]) -> str | None:
    """ISO date of a line that is only a date (also stripped digits); None otherwise."""
    m = DATE_LINE.match(line)
    if m:
        return iso(*m.groups())
    m = _STRIPPED_DATE.match(line)
    if m and 6 <= len(line) <= 8:
        return resolve_stripped_date(line, known)
    return None


@lru_cache(maxsize=1)
def _label_prefix() -> re.Pattern[str]:
    words = sorted(metadata_rules()["label_prefixes"], key=len, reverse=True)
    alt = "|".join("\\s*".join(map(re.escape, w)) for w in words)
    return re.compile(rf"^[\s•·]*(?:[【\[(（]\s*(?:{alt})\s*[】\])）]\s*[:：]?|(?:{alt})\s*[:：]|(?:{alt})\s+)\s*")


def strip_label_prefix(line: str) -> str:
    """``[ 标 题 ]某某方案`` / ``【标题】…`` / ``原标题:…`` -> the value.

    Examples:
        >>> strip_label_prefix("[ 标 题 ]某市质量提升方案"), strip_label_prefix("原标题:某市质量提升方案")
        ('某市质量提升方案', '某市质量提升方案')
    """
    return _label_prefix().sub("", line, count=1)


def is_title_like(line: str) -> bool:
    """A line that can be a plan's title: not a link, banner or 解读 line (rules in ``data/metadata.toml``)."""
    return not any(re.search(p, line) for p in metadata_rules().get("not_title", []))


def _join_open_quotes(head: list[str]) -> list[str]:
    """Lines whose 《 closes on a later line joined into one (a title broken inside its book-title marks)."""
    out: list[str] = []
    for line in head:
        if out and out[-1].count("《") > out[-1].count("》") and len(out[-1]) < 120:
            out[-1] += line
        else:
            out.append(line)
    return out


def _find_title(head: list[str]) -> str:
    head = _join_open_quotes([strip_label_prefix(line) for line in head])
    for line in head:
        if line.startswith("附件") or not is_title_like(line):
            continue
        if PROSE_OR_COLON.search(line.replace("《", "").replace("》", "")) and not line.endswith("》"):
            continue
        # a parenthesis after the title holding its 文号 and date is not part of it
        candidate = re.sub(r"\s*[(（][^()（）]*(?:\d{4}\s*年\s*\d{1,2}\s*月|号)[^()（）]*[)）]$", "", line)
        candidate = re.sub(r"[(（]\s*[)）]$", "", DOC_NUMBER.sub("", candidate)).strip()
        if candidate.startswith("《") and candidate.endswith("》"):
            candidate = candidate[1:-1]
        candidate = candidate.replace("〈", "《").replace("〉", "》")
        if 6 <= len(candidate) <= 120 and _title_end().search(candidate) and not PROSE_OR_COLON.search(candidate):
            k = head.index(line)
            prev = head[k - 1] if k else ""
            # 某县人民政府 / 关于…的意见: the issuer on the line above a title starting with 关于
            if candidate.startswith("关于") and prev and len(prev) <= 30 and org_end().search(prev) \
                    and not PROSE_OR_COLON.search(prev):
                return prev + candidate
            return candidate
    # A title broken over several short lines: join up to four of them.
    for i in range(len(head)):
        joined = ""
        for j in range(i, min(i + 4, len(head))):
            joined += head[j]
            if PROSE_OR_COLON.search(joined) or not is_title_like(joined):
                break
            if _title_end().search(joined) and len(joined) >= 6:
                return joined
    return ""


def _cut_transfer(prefix: str) -> str:
    """``广东省人民政府办公厅转发国务院办公厅`` -> ``广东省人民政府办公厅``."""
    for word in metadata_rules()["issuer"]["transfer_words"]:
        if word in prefix:
            prefix = prefix.split(word, 1)[0]
    return prefix.strip()


def _issuer_from_title(title: str) -> str:
    prefix = _cut_transfer(title)
    if prefix != title.strip() and org_end().search(prefix) and not PROSE_OR_COLON.search(prefix):
        return prefix
    return ""


def _signature(lines: list[str], fields: dict[str, str]) -> tuple[str, str | None, int, int]:
    """Issuer and date of a signature: an organisation line right before a date line
    (or both on one line: ``某市人民政府 2016年12月23日 …``).  The date is None for a
    date stripped to digits that could not be resolved, '' when there is no date line;
    then the indexes of the issuer's and the date's lines (-1: none).

    On a news page (a reporter's or newspaper's words in its first eight lines:
    ``[report] news_markers``) a date line near the top with no signer above it is the
    paper's date, not the plan's: it is passed over.

    Examples:
        >>> _signature(["某日报", "2018年6月28日", "本报讯 省政府近日印发《方案》。"], {})
        ('', '', -1, -1)
        >>> _signature(["某市质量方案", "2018年6月28日", "为推进质量工作,制定本方案。"], {})
        ('', '2018-06-28', -1, 1)
    """
    known = portal_dates(fields)
    news = re.compile(alternation(metadata_rules()["report"]["news_markers"]))
    for i, line in enumerate(lines):
        date = _date_of_line(line, known)
        if date is None:
            # 某市人民政府 2016年12月23日 …: a signature run into one line (a space before the date)
            inline = re.match(rf"^(\S{{2,30}}?)\s+{_DATE_IN_LINE.pattern}", line)
            if inline and org_end().search(inline.group(1)) and not PROSE_OR_COLON.search(inline.group(1)):
                return inline.group(1), iso(*inline.groups()[1:4]), i, i
            continue
        prev = lines[i - 1] if i else ""
        date = date or None
        if is_signature_line(prev) and org_end().search(prev):
            return prev, date, i - 1, i
        if i < 12 and any(news.search(seen) for seen in lines[:8]):
            continue  # a newspaper's dateline at the top of a news page
        return "", date, -1, i
    return "", "", -1, -1


def _title_date(head: list[str], title: str) -> tuple[str, str]:
    """A date in the parenthesis under or after the title: ``(某政发〔2017〕28号 2017年10月17日)``;
    and the words it was read from."""
    for line in head[:12]:
        m = re.match(r"^[(（]([^()（）]*)[)）]$", line)
        inner = m.group(1) if m else (line[len(title):] if title and line.startswith(title) else "")
        d = _DATE_IN_LINE.search(inner)
        if d and (DOC_NUMBER.search(inner) or not PROSE_OR_COLON.search(inner[:d.start()])):
            return iso(*d.groups()), d.group(0)
    return "", ""


@lru_cache(maxsize=1)
def _reported_title_res() -> list[re.Pattern[str]]:
    """The plan's title as a report or cover letter cites it (rules in ``[report]`` of ``data/metadata.toml``)."""
    rules = metadata_rules()["report"]
    verbs = alternation(rules["verbs"])
    org = alternation(metadata_rules()["issuer"]["org_ends"] + rules["subject_ends"])
    adverbs = alternation(rules["adverbs"])
    title = r"《([^《》〈〉]{4,80})》"
    return [
        # an organisation, the subject of its clause, issues the plan: 省政府办公厅近日印发《…》
        re.compile(rf"(?:^|[,，。;；:：\s])([^,，。;；:：\s《》]{{0,40}}(?:{org}))(?:{adverbs})*(?:{verbs})了?{title}(?!以来)"),
        # a cover letter hands it on: 现将《…》印发给你们 / 制定《…》,现印发给你们
        re.compile(rf"()将{title}(?:[(（]以下简称《[^》]{{1,10}}》[)）])?印发给你们"),
        re.compile(rf"(?:^|[,，。:：])()制定{title}[,，]现印发给你们"),
        # the plan, then its issue: 《…》(以下简称《意见》)8日出台
        re.compile(rf"(?:^|[,，。:：])(){title}[(（]?以下简称《[^》]{{1,10}}》[)）]?[\d一二三四五六七八九十]{{0,3}}日?(?:{verbs})"),
    ]


def _reported_title(head: list[str]) -> str:
    """``…,省政府办公厅印发《关于…的实施方案》`` -> the title in 《》, when the page has no title line.

    A clause that cites a plan to follow (贯彻落实《…》, 根据…印发的《…》) or a past
    one (…发布《…》以来) is no report of this plan's issue.

    Examples:
        >>> _reported_title(["日前,某市质量强市工作领导小组印发《某市质量提升行动方案(2023—2025年)》。"])
        '某市质量提升行动方案(2023—2025年)'
        >>> _reported_title(["为贯彻落实《某省质量发展纲要》,现将《2020年某区标准化行动计划》印发给你们"])
        '2020年某区标准化行动计划'
        >>> _reported_title(["今年以来,我省编制并印发了《某省品牌培育规划》"])
        ''
    """
    cited = alternation(metadata_rules()["report"]["cited_words"])
    for line in _join_open_quotes(head)[:10]:
        for regex in _reported_title_res():
            for m in regex.finditer(line):
                if re.search(cited, m.group(1)):
                    continue
                return m.group(2).replace("〈", "《").replace("〉", "》").strip()
    return ""


@lru_cache(maxsize=1)
def _body_issuer_re() -> re.Pattern[str]:
    verbs = "|".join(map(re.escape, metadata_rules()["issuer"]["report_verbs"]))
    return re.compile(
        r"(?:^|[,，。:：\s])([\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|领导小组|局|厅))"
        rf"(?:近日|日前)?(?:正式)?(?:{verbs})了?《"
    )


def _body_issuer(head: list[str]) -> str:
    """``…,某市质量强市工作领导小组印发了《…》``: the body that issued the plan, per a news report.

    A body named without its place (省政府办公厅印发《…》) is kept, to be completed from the
    jurisdiction; a report's short 政府 is the 人民政府 the body signs as.

    Examples:
        >>> _body_issuer(["日前,省政府办公厅印发《关于开展标准化试点工作的实施方案》"])
        '省人民政府办公厅'
    """
    return _body_issuer_said(head)[0]


def _body_issuer_said(head: list[str]) -> tuple[str, str]:
    """:func:`_body_issuer` and the words it was read from."""
    placeless = tuple(metadata_rules()["issuer"]["placeless_prefixes"])
    for line in head[:6]:
        m = _body_issuer_re().search(line)
        if m and find_division(m.group(1)):
            return m.group(1), m.group(1)
        if m and m.group(1).startswith(placeless):
            return re.sub(r"^(省|市|县|区|州|自治区|自治州|自治县)政府", r"\1人民政府", m.group(1)), m.group(1)
    return "", ""


def _glued_issuer(head: list[str]) -> str:
    """An issuer run into the addressee line: ``某省人民政府各市(州)人民政府,各县(市)人民政府:`` -> 某省人民政府.

    The line must read as an addressee list (it ends with a colon, or names 各… bodies
    after a comma) and the issuer must name a place.

    Examples:
        >>> _glued_issuer(["吉林省人民政府各市(州)人民政府,各县(市)人民政府,省政府各厅委办:"])
        '吉林省人民政府'
        >>> _glued_issuer(["各市人民政府,省直各部门:"])
        ''
    """
    org = alternation(metadata_rules()["issuer"]["org_ends"])
    for line in head[:12]:
        m = re.match(rf"^([\u4e00-\u9fff]{{2,20}}?(?:{org}))各[\u4e00-\u9fff(（]", line)
        if m and (line.rstrip().endswith((":", "：")) or re.search(r"[,，、]\s*各", line)) and find_division(m.group(1)):
            return m.group(1)
    return ""


def _clean_doc_number(number: str) -> str:
    """One way of writing a doc number: spaces removed, brackets as 〔〕 (also a lost bracket).

    Examples:
        >>> _clean_doc_number("川府发 [2014] 5 号"), _clean_doc_number("某办〔201638号")
        ('川府发〔2014〕5号', '某办〔2016〕38号')
    """
    m = _DOC_PARTS.match(re.sub(r"\s", "", number))
    if not m:
        return re.sub(r"\s", "", number)
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def _own_doc_number(head: list[str]) -> tuple[str, str]:
    """The plan's own document number, in the head: not inside a sentence, not right after a cited 《title》
    (and the words as written).

    It may stand alone, lead or follow the title, or sit in the parenthesis
    under it (``(某政发〔2017〕28号 2017年10月17日)``).
    """
    for line in head:
        for m in DOC_NUMBER.finditer(line):
            before = line[:m.start()]
            if re.search(r"》\s*[(（\[〔]?\s*$", before):
                continue  # a cited document: 《…》(国办发〔2016〕68号)
            if PROSE_OR_COLON.search(before.replace("“", "").replace("”", "")):
                continue
            return _clean_doc_number(m.group(0)), m.group(0)
    return "", ""


def _period(title: str, head: list[str], text: str, issued_date: str) -> tuple[int | None, int | None, tuple]:
    """Period years: see :func:`extract_metadata`; then ((source, evidence) of the start, of the end)."""
    full = title
    for i, line in enumerate(head):
        # a period on the line after the title: 纲要 / (2011—2020年)
        if (title and line.endswith(title[-6:]) and i + 1 < len(head)
                and re.fullmatch(r"[(（]?\s*\d{4}\s*\S\s*\d{4}\s*年?\s*[)）]?", head[i + 1])):
            full = title + head[i + 1]
            break
    m = _PERIOD.search(full)
    if m:
        return int(m.group(1)), int(m.group(2)), (("title", m.group(0)),) * 2
    for name, (a, b) in metadata_rules()["five_year_plans"].items():
        if name in full:
            return a, b, (("title", name),) * 2
    m = _YEAR.search(full)
    if m:
        return int(m.group(1)), int(m.group(1)), (("title", m.group(0)),) * 2
    implements = "|".join(map(re.escape, metadata_rules()["period"]["implements"]))
    for line in head:
        m = re.search(rf"(?:{implements})《[^》]{{0,80}}?[(（]\s*(\d{{4}})\s*{_DASH}\s*(\d{{4}})\s*年?\s*[)）]", line)
        if m and not title:
            return int(m.group(1)), int(m.group(2)), (("cited_document", m.group(0)),) * 2
    start = int(issued_date[:4]) if issued_date else None
    said_start = ("inferred", issued_date)
    years = [(int(m.group(1) or m.group(2)), m.group(0)) for m in DEADLINE.finditer(text) if not _history(text, m)]
    years += [(int(m.group(1)), m.group(0)) for m in re.finditer(r"(?m)^(\d{4})\s*年\s*[,，]", text)
              if not _history(text, m, sentence=True)]
    if start:
        years = [y for y in years if y[0] >= start]
    if not years:
        return start, None, (said_start, ("", ""))
    first = min(y for y, _ in years)
    horizon = metadata_rules()["period"]["horizon_years"]
    near = [y for y in years if y[0] <= (start or first) + horizon] or years
    end = max(y for y, _ in near)
    said = next(w for y, w in near if y == end)
    return start, end, (said_start, ("running_text", said))


def _history(text: str, m: re.Match, sentence: bool = False) -> bool:
    """A year in a clause (with ``sentence`` or after 截至: a sentence) about the past: 截至2015年底,全省已有…;
    ``[period] history_words`` in ``data/metadata.toml``.  A history year never ends the period.

    Examples:
        >>> t = "截至2015年底,全省已建成检测中心12个。到2020年,建成20个。"
        >>> [_history(t, m) for m in DEADLINE.finditer(t)]
        [True, False]
    """
    # 截至2015年底,全省已有…: a 截至 year opens a statement whose verb follows the comma
    sentence = sentence or m.group(0).startswith(("截至", "截止"))
    stops = "。；;\n" if sentence else "。；;,，\n"
    begin = max(text.rfind(c, 0, m.start()) for c in stops) + 1
    ends = [i for i in (text.find(c, m.end()) for c in stops) if i >= 0]
    clause = text[begin:min(ends) if ends else len(text)]
    return any(word in clause for word in metadata_rules()["period"]["history_words"])
