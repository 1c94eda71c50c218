"""Agencies named for each task, their role, and one canonical name per agency type.

These forms are read, by general rules:

* labelled lines — ``牵头单位:X、Y`` / ``配合单位:`` / ``责任单位:`` / ``指导单位:`` —
  whose list may run on over the following lines and even break a name in two
  (``教`` / ``体局``): a following line continues the list when it is nothing
  but short list items;
* role clauses in parentheses anywhere in a task, such as
  ``(市质量技监局、市经济信息化委负责)``, ``(市经济信息化委牵头,盐城质监局、…配合)``,
  ``(省质监局、省经信委等按职责分工负责)``: every clause must end in a role word and
  every item must look like an agency name, otherwise the parenthesis is prose;
* the role columns of a task table (``table_cells`` of annex rows), where two
  names may stand with no separator (``质量处科技处``) or a space between them;
* duties in running text, where none of the above assigns the task
  (:func:`running_duties`): the subject of a clause followed by a modal word
  (``各级政府要…``, ``市政府将…``, ``X、Y等相关部门,要…``), ``由X牵头``,
  ``成立X,负责…`` and ``要求各地各部门…``.  :mod:`..structure` cuts a paragraph
  that assigns duties to several subjects in turn into one task per duty.

Canonical names strip the jurisdiction (a division from the gazetteer, then a
bare 省/市/县/区) and look the rest up in ``data/agencies.csv``, which names the
kind of agency without a level it may not have (科技厅, 科技局 -> 科技部门); names
not in that file keep their stripped form and are reported.  Internal divisions
of a bureau (质量处) are marked (``division``).

Rule words are read from ``data/``: role words (``agency_roles.csv``), the words
around them (``agency_role_words.toml``: 单位/部门, 等部门, 按职责分工 …), what an
agency name looks like (``agency_names.toml``: endings, collective words, prefixes)
and the other assignment forms (``agency_forms.toml``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import PACKAGE_DATA, read_data_csv, read_toml
from ..rules.gazetteer import gazetteer, short_name
from ..rules.patterns import alternation
from ..rules.readers import role_patterns

_ROLES = role_patterns()
#: The roles, in the order of ``data/agency_roles.csv`` (lead, cooperate, responsible, guide).
ROLES = _ROLES.roles
#: Role words (data/agency_roles.csv): in a label (X单位:), closing a parenthetical clause (X牵头)
#: or closing a line (X、Y负责落实。).
_LABEL_ROLES = _ROLES.label_roles
_LABEL = _ROLES.label
#: Where a labelled list ends on its line: sentence end, closing parenthesis or the next label.
_LIST_END = re.compile(r"[。；;)）\n]|" + _LABEL.pattern)
_CLAUSE_ROLE = _ROLES.clause
_CLAUSE_ROLES = _ROLES.clause_roles
_ITEM_SEP = re.compile(r"[、,，;；/]+|\s+")
_CLAUSE_SEP = re.compile(r"[,，;；]")
_NAMES = read_toml(PACKAGE_DATA / "agency_names.toml")
#: Endings of an agency name (``data/agency_names.toml``).
_AGENCY_END = re.compile(f"({alternation(_NAMES['ends'])})$")
#: Suffixes after which two names written together are split (质量处科技处).
_SPLIT_SUFFIX = _NAMES["split_after"]
_COLLECTIVE = re.compile(f"{alternation(_NAMES['collective']['words'])}|^({alternation(_NAMES['collective']['starts'])})")
_JURISDICTION = _NAMES["jurisdiction"]
_LEVEL_PREFIX = re.compile(f"^({alternation(_JURISDICTION['levels'])})(?!{alternation(_JURISDICTION['not_before'])})")
_PARTY_PREFIX = re.compile(f"^({alternation(_JURISDICTION['party_levels'])})委"
                           f"(?={alternation(_JURISDICTION['party_departments'])})")
_MAX_NAME = 30
#: Endings of an internal division of a bureau (``division_ends``: 质量处, 相关处室).
_DIVISION_END = re.compile(f"({alternation(_NAMES['division_ends'])})$")


@dataclass(frozen=True)
class AgencyInfo:
    canonical: str
    function: str
    known: bool


@lru_cache(maxsize=1)
def agency_table() -> dict[str, tuple[str, str]]:
    """``data/agencies.csv`` as {name without jurisdiction: (canonical, function)}."""
    return {row["name"]: (row["canonical"], row["function"]) for row in read_data_csv("agencies.csv")}


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    names = set()
    for div in gazetteer():
        names.add(div.name)
        short = short_name(div.name)
        if len(short) >= 2:
            names.add(short)
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _place_prefix() -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(map(re.escape, _place_names())) + ")")


def strip_jurisdiction(name: str) -> list[str]:
    """Forms of ``name`` with less and less jurisdiction in front, most stripped first.

    Examples:
        >>> strip_jurisdiction("盐城质监局")
        ['质监局', '盐城质监局']
        >>> strip_jurisdiction("市场监管局")
        ['市场监管局']
        >>> strip_jurisdiction("省委宣传部")
        ['党委宣传部', '省委宣传部']
    """
    forms = [name]
    current = name
    match = _place_prefix().match(current)
    if match and len(current) - match.end() >= 2:
        current = current[match.end():]
        forms.append(current)
    party = _PARTY_PREFIX.match(current)
    if party:
        forms.append("党委" + current[party.end():])
    else:
        match = _LEVEL_PREFIX.match(current)
        if match and len(current) - match.end() >= 2:
            forms.append(current[match.end():])
    return forms[::-1]


@lru_cache(maxsize=4096)
def canonical_agency(name: str) -> AgencyInfo:
    """Canonical name and function of an agency name as written.

    Examples:
        >>> canonical_agency("市质量技监局").canonical == canonical_agency("盐城质监局").canonical
        True
        >>> canonical_agency("省工商局").function
        '市场监管'
    """
    table = agency_table()
    forms = strip_jurisdiction(name)
    for form in forms:
        if form in table:
            canonical, function = table[form]
            return AgencyInfo(canonical, function, True)
    return AgencyInfo(forms[0], "", False)


def is_collective(name: str) -> bool:
    """A body standing for several agencies (各成员单位, 各区政府, 市州质量监督部门)."""
    return bool(_COLLECTIVE.search(name))


_INNER_PAREN = re.compile(r"[(（][^()（）]{1,8}[)）]")


def is_division(name: str) -> bool:
    """An internal division of one bureau (质量处, 省局相关处室), not an agency type of its own.

    Examples:
        >>> is_division("标准化处"), is_division("省质监局")
        (True, False)
    """
    return bool(_DIVISION_END.search(_INNER_PAREN.sub("", name)))


def looks_like_agency(name: str) -> bool:
    """A short name ending like an agency (局, 委, 厅, 中心, 政府…), no sentence punctuation.

    A short parenthesis inside the name is allowed: 各县(市、区)人民政府.
    """
    bare = _INNER_PAREN.sub("", name)
    return 2 <= len(name) <= _MAX_NAME and bool(_AGENCY_END.search(bare)) and not re.search(r"[。！？“”\"《》:：()（）\d]", bare)


def _split_joined(piece: str) -> list[str]:
    """``质量处科技处`` -> [质量处, 科技处]: split only where the whole name's suffix repeats."""
    if len(piece) < 6 or piece[-1] not in _SPLIT_SUFFIX or piece in agency_table():
        return [piece]
    suffix = piece[-1]
    parts, start = [], 0
    for i, ch in enumerate(piece[:-1]):
        if ch == suffix and i + 1 - start >= 3 and len(piece) - (i + 1) >= 3:
            parts.append(piece[start:i + 1])
            start = i + 1
    parts.append(piece[start:])
    return parts if all(looks_like_agency(p) for p in parts) else [piece]


def split_names(segment: str, offset: int) -> list[tuple[str, int, int]]:
    """Names in a list segment with their offsets (``offset`` is the segment's start).

    A line break between two pieces that are not both names is a name broken
    in two (``教\\n体局`` -> ``教体局``, offsets spanning both lines).
    """
    items: list[list[int]] = []
    pos = 0
    # separators inside a parenthesis belong to the name: 各县(市、区)人民政府
    protected = _INNER_PAREN.sub(lambda m: "○" * len(m.group(0)), segment)
    for match in _ITEM_SEP.finditer(protected + "、"):
        if pos < match.start():
            items.append([pos, match.start(), "\n" in match.group(0) and not match.group(0).strip()])
        pos = match.end()
    merged: list[list[int]] = []
    for item in items:
        if merged and merged[-1][2]:
            left = segment[merged[-1][0]:merged[-1][1]]
            right = segment[item[0]:item[1]]
            if not (looks_like_agency(left) and looks_like_agency(right)):
                merged[-1][1:] = item[1:]
                continue
        merged.append(item)
    out = []
    for start, end, _ in merged:
        written = re.sub(r"\s+", "", segment[start:end])
        parts = _split_joined(written) if written == segment[start:end] else [written]
        if len(parts) == 1:
            out.append((written, offset + start, offset + end))
            continue
        cursor = start
        for part in parts:
            found = segment.find(part, cursor, end)
            out.append((part, offset + found, offset + found + len(part)))
            cursor = found + len(part)
    return out


def _continuation(line: str) -> bool:
    """A line that only carries more list items (灵武: ``体局、住建局、高新区``)."""
    line = line.strip()
    if not line or _LABEL.search(line) or re.search(r"[。！？:：()（）]", line):
        return False
    items = [x for x in _ITEM_SEP.split(line) if x]
    return bool(items) and all(len(x) <= 12 for x in items) and looks_like_agency(items[-1])


def _labelled(text: str) -> list[tuple[str, int, int]]:
    """Spans (role, start, end) of labelled lists: 牵头单位:…, with run-on lines."""
    spans = []
    for match in _LABEL.finditer(text):
        role = _LABEL_ROLES[match.group(1)]
        start = match.end()
        end_match = _LIST_END.search(text, start)
        end = end_match.start() if end_match else len(text)
        # run-on lines
        while end < len(text) and text[end] == "\n":
            nl = text.find("\n", end + 1)
            nl = len(text) if nl < 0 else nl
            if not _continuation(text[end + 1:nl]):
                break
            end = nl
        spans.append((role, start, end))
    return spans


def _parentheses(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inside of every top-level parenthesis; nesting allowed."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(（":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i))
    return out


def _clauses(inside: str, offset: int) -> list[tuple[str, int, int]] | None:
    """Role clauses of a parenthesis as (role, start, end) of their name lists, or None if prose."""
    out = []
    pos = 0
    pieces = []
    for match in _CLAUSE_SEP.finditer(inside):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, len(inside)))
    for start, end in pieces:
        clause = inside[start:end].strip()
        if not clause:
            continue
        match = _CLAUSE_ROLE.search(clause)
        if not match or match.start() == 0:
            return None
        names_text = inside[start:end]
        lead_ws = len(names_text) - len(names_text.lstrip())
        names_start = start + lead_ws
        names_end = names_start + match.start()
        names = [n for n, _, _ in split_names(inside[names_start:names_end], 0)]
        if not names or not all(looks_like_agency(n) for n in names):
            return None
        out.append((_CLAUSE_ROLES[match.group(1)], offset + names_start, offset + names_end))
    return out or None


@lru_cache(maxsize=1)
def _forms() -> dict:
    """The rules of ``data/agency_forms.toml``, compiled."""
    raw = read_toml(PACKAGE_DATA / "agency_forms.toml")
    return {
        "first_is_lead": re.compile("[,，;；]?\\s*(?:" + "|".join(raw["first_is_lead"]) + ")"),
        "line_roles": _ROLES.line_roles,
        "line": _ROLES.line,
        "jointly": re.compile(r"(?:^|(?<=[。；;，,\n]))\s*([^\s，。；,;、()（）]{2,20}?)" + raw["jointly"]
                              + r"([^，。；,;]{2,40}?)(?=" + raw["jointly_end"] + ")"),
    }


def _closing_lines(body: str, base: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``X、Y负责落实。`` on a line of its own: (role, names) when every item is agency-like."""
    out = []
    pos = 0
    for line in body.split("\n"):
        m = _forms()["line"].match(line.strip())
        if m and pos:
            lead_ws = len(line) - len(line.lstrip())
            names = split_names(m.group(1), base + pos + lead_ws)
            if names and all(looks_like_agency(n) for n, _, _ in names):
                out.append((_forms()["line_roles"][m.group(2)], names))
        pos += len(line) + 1
    return out


def _jointly(body: str, base: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """``X要会同Y…``: X lead; Y cooperate when every item of Y is a specific agency (not 有关部门)."""
    out = []
    for m in _forms()["jointly"].finditer(body):
        lead = m.group(1)
        if not looks_like_agency(lead):
            continue
        out.append(("lead", [(lead, base + m.start(1), base + m.end(1))]))
        # Y cooperates when it names agencies; a vague 有关部门 is left out
        others = split_names(m.group(2), base + m.start(2))
        if others and all(looks_like_agency(n) and not is_collective(n) for n, _, _ in others):
            out.append(("cooperate", others))
    return out


_CLAUSE_START = r"(?:^|(?<=[。；;，,:：!！?？\n]))[ \t　]*"
_SENTENCE_END = re.compile(r"[。；;!！?？\n]")
_ASIDE_OR_LIST = re.compile(r"[(（]([^()（）]*)[)）]")


@lru_cache(maxsize=1)
def _running() -> dict:
    """The running-text duty forms of ``data/agency_forms.toml`` (subject, led_by, established, requested)."""
    raw = read_toml(PACKAGE_DATA / "agency_forms.toml")
    sub, led, est, req = raw["subject"], raw["led_by"], raw["established"], raw["requested"]
    name = r"[^\s，。；,;:：《》“”\"!！?？]"
    return {
        "name_char": re.compile(name),
        "subject_tail": re.compile(f"(?:{alternation(sub['after_names'])})?[,，]?"
                                   f"(?P<modal>{alternation(sub['modal'])})(?!{alternation(sub['not_after_modal'])})"),
        "lead_after": tuple(sub["lead_after"]),
        "lead_modal": frozenset(sub["lead_modal"]),
        "joiners": re.compile(f"、|{alternation(sub['joiners'])}"),
        "pair_joiners": re.compile(alternation(sub["pair_joiners"])),
        "generic": frozenset(sub["generic"]),
        "phrase": re.compile(f"{alternation(sub['not_in_name'])}|^(?:{alternation(sub['not_first'])})"),
        "led_by": re.compile(f"{led['before']}(?P<names>{name}{{2,60}}?)(?:{led['short_name_aside']})?"
                             f"(?:{alternation(led['role_words'])})"),
        "aside": re.compile(f"^{led['short_name_aside']}$"),
        "established": re.compile(_CLAUSE_START + f"(?:{alternation(est['before'])})(?P<names>{name}{{2,40}}?)[,，]"
                                  f"(?:{alternation(est['then'])})"),
        "requested": re.compile(f"(?:{alternation(req['verbs'])})(?P<names>各[^\\s，。；,;、]{{0,10}}?"
                                f"(?:{alternation(req['collective_ends'])})(?:[、和及]各[^\\s，。；,;、]{{0,10}}?"
                                f"(?:{alternation(req['collective_ends'])}))*)"),
    }


def _pair_split(segment: str, masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """An item cut at 和/与 when both sides are agencies (质量办和各级政府), else the item whole."""
    for match in _running()["pair_joiners"].finditer(masked, start, end):
        left, right = segment[start:match.start()].strip(), segment[match.end():end].strip()
        if looks_like_agency(left) and looks_like_agency(right) and right not in _NAMES["ends"]:
            return [(start, match.start()), *_pair_split(segment, masked, match.end(), end)]
    return [(start, end)]


def _top_level_items(segment: str) -> list[tuple[int, int]]:
    """(start, end) of the items of a subject list, split at 、 and 及 (and 和 between two agencies)
    outside parentheses."""
    masked = re.sub(r"[(（][^()（）]*[)）]", lambda m: "○" * len(m.group(0)), segment)
    items, pos = [], 0
    for match in _running()["joiners"].finditer(masked):
        items.extend(_pair_split(segment, masked, pos, match.start()))
        pos = match.end()
    items.extend(_pair_split(segment, masked, pos, len(segment)))
    return items


def subject_names(segment: str, offset: int) -> list[tuple[str, int, int]] | None:
    """The agencies of a subject list with offsets, or None when an item is not an agency.

    A label followed by the list it stands for gives the list (五大质量组长单位(A、B) -> A, B);
    an aside giving a short name is dropped (X(以下简称Y) -> X); a generic tail
    (相关单位) is dropped when other names stand beside it.

    Examples:
        >>> [n for n, _, _ in subject_names("各区县政府及牵头单位(市质监局、市建委)、相关单位", 0)]
        ['各区县政府', '市质监局', '市建委']
        >>> subject_names("对落实不到位的单位", 0) is None
        True
    """
    out: list[tuple[str, int, int]] = []
    for start, end in _top_level_items(segment):
        item = segment[start:end]
        paren = _ASIDE_OR_LIST.search(item)
        if paren and paren.end() == len(item.rstrip()):
            if _running()["aside"].match(paren.group(0)):
                end = start + paren.start()
            else:
                members = split_names(paren.group(1), offset + start + paren.start(1))
                if members and all(looks_like_agency(n) for n, _, _ in members):
                    out.extend(members)
                    continue
        name = segment[start:end].strip()
        if not looks_like_agency(name) or _running()["phrase"].search(name):
            return None
        lead_ws = len(segment[start:end]) - len(segment[start:end].lstrip())
        out.append((name, offset + start + lead_ws, offset + start + lead_ws + len(name)))
    named = [n for n in out if n[0] not in _running()["generic"]]
    return (named or out) or None


def _sentence_start(body: str, pos: int) -> int:
    """Start of the sentence holding ``pos`` (after the last 。；!？ or line break)."""
    start = 0
    for match in _SENTENCE_END.finditer(body, 0, pos):
        start = match.end()
    while start < pos and body[start] in " \t　":
        start += 1
    return start


_CLAUSE_HEAD = re.compile(_CLAUSE_START)
_MAX_SUBJECT = 150


def _subjects(body: str):
    """(start, end, tail match) of each clause opening with a list of agencies and a modal word.

    Every modal word of the clause is tried in turn, the nearest first, until the words
    before it are a list of agencies (各县政府及三大牵头单位(…)要…: 牵头 is inside the list).
    """
    forms = _running()
    for head in _CLAUSE_HEAD.finditer(body):
        start = head.end()
        for end in range(start + 1, min(len(body), start + _MAX_SUBJECT) + 1):
            if not forms["name_char"].match(body, end - 1):
                break
            if end - start < 2:
                continue
            tail = forms["subject_tail"].match(body, end)
            if tail and subject_names(body[start:end], 0):
                yield start, end, tail
                break


def running_duties(body: str, base: int = 0) -> list[tuple[int, str, list[tuple[str, int, int]]]]:
    """Duties assigned in running text: (sentence start, role, names) in the order of the text.

    "各级政府要…" / "市政府将…" / "X、Y等相关部门,要…" (the subject responsible, or the
    lead when it 会同/牵头), "由X牵头" (lead), "成立X,负责…" (responsible) and
    "要求各地各部门…" (responsible).  Offsets of the sentences are in ``body``,
    those of the names in the plan text (``base`` + position in ``body``).

    Examples:
        >>> [(r, [n for n, _, _ in names]) for _, r, names in running_duties("市政府将设立奖励。各级政府、各部门要加强领导。")]
        [('responsible', ['市政府']), ('responsible', ['各级政府', '各部门'])]
        >>> [(r, [n for n, _, _ in names]) for _, r, names in running_duties("领导小组办公室要会同有关部门制定制度。")]
        [('lead', ['领导小组办公室'])]
    """
    forms = _running()
    found: list[tuple[int, int, str, list[tuple[str, int, int]]]] = []
    taken: list[tuple[int, int]] = []
    # the narrower forms first: a subject overlapping their names is the same sentence misread
    # ("成立X,负责…" is not a subject "成立X")
    for kind in ("led_by", "established", "requested"):
        for m in forms[kind].finditer(body):
            names = subject_names(m.group("names"), base + m.start("names"))
            if names:
                taken.append(m.span("names"))
                found.append((m.start("names"), _sentence_start(body, m.start("names")), "lead" if kind == "led_by"
                              else "responsible", names))
    for start, end, tail in _subjects(body):
        if any(s < end and start < e for s, e in taken):
            continue
        names = subject_names(body[start:end], base + start)
        lead = tail.group("modal") in forms["lead_modal"] or body.startswith(forms["lead_after"], tail.end())
        found.append((start, _sentence_start(body, start), "lead" if lead else "responsible", names))
    found.sort(key=lambda f: f[0])
    return [(sentence, role, names) for _, sentence, role, names in found]


def has_explicit_assignment(body: str) -> bool:
    """Does a label (牵头单位:), a closing line (X负责落实。) or a role clause ((X牵头)) assign agencies in ``body``?"""
    if _LABEL.search(body) or _closing_lines(body, 0):
        return True
    return any(_clauses(body[start:end], start) for start, end in _parentheses(body))


def duty_sentence_starts(body: str) -> list[int]:
    """Starts of the sentences of ``body`` that assign a duty in running text, once each."""
    if has_explicit_assignment(body):
        return []
    return sorted({sentence for sentence, _, _ in running_duties(body)})


def _table_roles(header: str) -> str | None:
    for word, role in _LABEL_ROLES.items():
        if word in header:
            return role
    return None


def extract_agencies(plan_id: str, text: str, tasks: list[dict]) -> tuple[list[dict], list[str]]:
    """Agency rows of one plan and the (non-collective) names the agency table does not know.

    Rows: plan_id, task_id, role, agency (as written), agency_canonical,
    function, collective, division, char_start, char_end (of the name in ``text``).
    """
    rows: list[dict] = []
    unknown: set[str] = set()

    def add(task: dict, role: str, names: list[tuple[str, int, int]], seen: set) -> None:
        for name, start, end in names:
            if not looks_like_agency(name) or (role, name) in seen:
                continue
            seen.add((role, name))
            info = canonical_agency(name)
            collective = is_collective(name)
            if not info.known and not collective:
                unknown.add(name)
            rows.append({
                "plan_id": plan_id, "task_id": task["task_id"], "role": role, "agency": name,
                "agency_canonical": info.canonical, "function": info.function,
                "collective": collective, "division": is_division(name), "char_start": start, "char_end": end,
            })

    for task in tasks:
        seen: set = set()
        base = task["char_start"]
        body = text[base:task["char_end"]]
        if task.get("table_cells"):
            cells = json.loads(task["table_cells"])
            cursor = len(next(iter(cells.values()), "")) if cells else 0
            for header, value in list(cells.items())[1:]:
                role = _table_roles(header)
                value = value.strip()
                if not role or not value:
                    continue
                found = body.find(value, cursor)
                if found < 0:  # the cell was rebuilt from broken rows: offsets of the whole row
                    add(task, role, [(n, base, base + len(body)) for n, _, _ in split_names(value, 0)], seen)
                    continue
                add(task, role, split_names(value, base + found), seen)
                cursor = found + len(value)
            continue
        labelled = _labelled(body)
        for role, start, end in labelled:
            note = _forms()["first_is_lead"].search(body, start, end)
            if note:
                names = split_names(body[start:note.start()], base + start)
                add(task, "lead", names[:1], seen)
                add(task, role, names[1:], seen)
                continue
            add(task, role, split_names(body[start:end], base + start), seen)
        closing = _closing_lines(body, base)
        for role, names in closing + _jointly(body, base):
            add(task, role, names, seen)
        clauses_found = False
        for start, end in _parentheses(body):
            if _LABEL.search(body, start, end) or any(s < end and start < e for _, s, e in labelled):
                continue
            clauses = _clauses(body[start:end], start)
            for role, s, e in clauses or ():
                clauses_found = True
                add(task, role, split_names(body[s:e], base + s), seen)
        # duties in running text, when no label, role clause or closing line assigns the task
        if not (labelled or closing or clauses_found):
            for _, role, names in running_duties(body, base):
                add(task, role, names, seen)
    return rows, sorted(unknown)
