"""Normalized text -> sections and tasks.

A plan is a tree of numbered headings (``第一章``, ``一、``, ``(一)``, ``1.``,
``(1)``, ``①``).  The rank of a numbering style is fixed (``一、`` always sits
above ``(一)``, which sits above ``1.``), so a stray number cannot turn the
tree upside down.  Numbered units without numbered children are *tasks*;
units with children are *sections*.  Task ids are built from the position of
each unit among its siblings (``hunan_2017:3.1.2`` is the second item of the
first subsection of the third top-level section), so a typo in the written
numbers (two ``三、`` in a row) cannot make two tasks share an id.

Annexes (``附件1``) are parsed apart: a pipe table becomes one task per
numbered row, with the table's other columns kept in ``table_cells``.
A plan with no numbering at all yields one task per paragraph.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from .patterns import DATE_LINE

# (style, regex, rank): rank orders styles from the top of the tree down.
_CN_NUM = "一二三四五六七八九十百零〇"
HEADING_STYLES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("chapter", re.compile(rf"^第([{_CN_NUM}\d]+)[章部篇]"), 0),
    ("cn_dun", re.compile(rf"^([{_CN_NUM}]+)[、．.](?!\d)"), 1),
    ("cn_paren", re.compile(rf"^[(（]([{_CN_NUM}]+)[)）]"), 2),
    ("num_dot", re.compile(r"^(\d{1,2})(?:[、．.](?!\d)|\s(?=\D))"), 3),
    ("num_paren", re.compile(r"^[(（](\d{1,2})[)）]"), 4),
    ("circled", re.compile(r"^([\u2460-\u2473])"), 5),
)
_ANNEX = re.compile(r"^附件\s*([0-9一二三四五六七八九十]*)\s*[:：]?\s*(.{0,40})$")
_ANNEX_LIST = re.compile(r"^附件\s*[:：]\s*\d+[.、．]")
_LIST_ENTRY = re.compile(r"^\d+[.、．]\S.{0,78}$")
_CLAUSE_END = re.compile(r"[。；;：:!！?？]")
_COMMA = re.compile(r"[，,]")
_PROSE = re.compile(r"[。，；,;]")

PARTS = ("goals", "tasks", "key_areas", "safeguards", "annex", "other")
#: Heading words -> part, tried in this order (工作要求 is a safeguard, 工作目标 a goal).
PART_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("annex", re.compile(r"^附件")),
    ("safeguards", re.compile(r"保障|工作要求|组织实施|实施要求|组织领导|工作机制")),
    ("key_areas", re.compile(r"重点领域|重点行业|重点产业|重点产品")),
    ("goals", re.compile(r"目标|指标")),
    ("tasks", re.compile(r"任务|主要工作|重点工作|工作重点|主要措施|重点措施|行动|举措")),
    ("other", re.compile(r"指导思想|基本原则|总体要求|总体思路|背景|形势|适用范围|总则|附则")),
)


def cn_to_int(numeral: str) -> int:
    """Chinese or Arabic heading numeral -> int (``十二`` -> 12, ``⑤`` -> 5).

    Examples:
        >>> [cn_to_int(x) for x in ["一", "十", "十二", "二十三", "7", "③"]]
        [1, 10, 12, 23, 7, 3]
    """
    if numeral.isdigit() and numeral.isascii():
        return int(numeral)
    if len(numeral) == 1 and "\u2460" <= numeral <= "\u2473":
        return ord(numeral) - 0x2460 + 1
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["〇"] = 0
    total, current = 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def classify_part(title: str) -> str | None:
    """Part of a plan named by a heading title, or None.

    Examples:
        >>> classify_part("工作目标"), classify_part("重点任务和主要措施"), classify_part("保障措施")
        ('goals', 'tasks', 'safeguards')
    """
    for part, pattern in PART_RULES:
        if pattern.search(title):
            return part
    return None


def first_clause(text: str, limit: int = 60) -> str:
    """The first clause of an item (its title).

    Examples:
        >>> first_clause("加快建立健全标准体系。紧扣消费品质量安全要素")
        '加快建立健全标准体系'
    """
    text = text.strip()
    m = _CLAUSE_END.search(text)
    head = text[: m.start()] if m else text
    if len(head) > limit:
        c = _COMMA.search(head)
        head = head[: c.start()] if c and c.start() > 0 else head[:limit]
    return head.strip(" |")


@dataclass
class Line:
    index: int
    start: int
    text: str
    list_entry: bool = False  # an entry of an attachment list, never a heading

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Node:
    style: str
    rank: int
    marker: str
    title: str
    line: Line
    ordinal: int = 0
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    last_line: Line | None = None  # last line of the node's own text

    @property
    def path(self) -> list[Node]:
        node, out = self, []
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]


def split_lines(text: str) -> list[Line]:
    """Lines of ``text`` with their character offsets (empty lines skipped)."""
    out, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        if raw.strip():
            out.append(Line(i, pos, raw))
        pos += len(raw) + 1
    return out


def match_heading(text: str) -> tuple[str, int, str, int] | None:
    """``(style, rank, marker, number)`` of a numbered line, else None.

    Examples:
        >>> match_heading("(三)落实企业质量主体责任")
        ('cn_paren', 2, '(三)', 3)
        >>> match_heading("2018年7月4日") is None
        True
    """
    for style, pattern, rank in HEADING_STYLES:
        m = pattern.match(text)
        if m:
            return style, rank, m.group(0).strip(), cn_to_int(m.group(1))
    return None


@dataclass
class Structure:
    """Sections and tasks of one plan, as lists of row dicts."""

    sections: list[dict]
    tasks: list[dict]
    warnings: list[str]


def parse_structure(plan_id: str, text: str) -> Structure:
    """Find sections and tasks in a normalized plan text."""
    lines = split_lines(text)
    body, annexes = _split_annexes(lines)
    warnings: list[str] = []
    roots = _build_tree(body)
    tasks: list[dict] = []
    sections: list[dict] = []
    has_tasks_part = any(classify_part(_heading_title(n)) == "tasks" for n in roots)
    for node in _walk(roots):
        ids = [str(n.ordinal) for n in node.path]
        part = _part_of(node, has_tasks_part)
        path_titles = [_heading_title(n) for n in node.path[:-1]]
        start = node.line.start
        end = (node.last_line or node.line).end
        row = {
            "plan_id": plan_id,
            "task_id": f"{plan_id}:{'.'.join(ids)}",
            "part": part,
            "section_path": " > ".join(path_titles),
            "number": node.marker,
            "depth": len(ids),
            "title": _heading_title(node),
            "text": text[start:end],
            "char_start": start,
            "char_end": end,
            "source": "body",
            "table_cells": "",
        }
        if node.children:
            sections.append(row)
        else:
            tasks.append(row)
    if not roots:
        tasks.extend(_paragraph_tasks(plan_id, text, body))
        if tasks:
            warnings.append("no numbered headings found: one task per paragraph")
    for number, title, annex_lines in annexes:
        tasks.extend(_annex_tasks(plan_id, text, number, title, annex_lines, warnings))
    if not tasks:
        warnings.append("no tasks found")
    return Structure(sections=sections, tasks=tasks, warnings=warnings)


def _walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _heading_title(node: Node) -> str:
    rest = node.line.text
    m = HEADING_STYLES[[s for s, _, _ in HEADING_STYLES].index(node.style)][1].match(rest)
    if m:
        rest = rest[m.end():]
    return first_clause(rest)


def _part_of(node: Node, has_tasks_part: bool) -> str:
    """Part named by the nearest classified heading above a unit (a top-level unit names its own)."""
    path = node.path
    for ancestor in path[:-1] if len(path) > 1 else path:
        part = classify_part(_heading_title(ancestor))
        if part:
            return part
    # Plans whose top-level headings are all topical (盐城: 一、大力营造公平竞争的发展环境)
    # are lists of tasks.
    return "other" if has_tasks_part else "tasks"


def _split_annexes(lines: list[Line]) -> tuple[list[Line], list[tuple[str, str, list[Line]]]]:
    """Body lines, and ``(number, title, lines)`` for each annex.

    The attachment list of a cover letter (``附件:1.…`` then ``2.…``) stays in
    the body, its entries flagged so that they are not taken for headings.
    """
    body: list[Line] = []
    annexes: list[tuple[str, str, list[Line]]] = []
    target = body
    in_annex_list = False
    for line in lines:
        text = line.text
        if _ANNEX_LIST.match(text):
            in_annex_list = True
            line.list_entry = True
        elif in_annex_list and _LIST_ENTRY.match(text) and not _PROSE.search(text):
            line.list_entry = True
        else:
            in_annex_list = False
            m = _ANNEX.match(text)
            if m and not _PROSE.search(text):
                number = str(cn_to_int(m.group(1))) if m.group(1) else str(len(annexes) + 1)
                taken = {a[0] for a in annexes}
                while number in taken:  # 附件1 written twice: ids must stay unique
                    number = str(int(number) + 1)
                target = []
                annexes.append((number, m.group(2).strip(" |"), target))  # "附件1 任务表 |": a merged table row
                continue
        target.append(line)
    return body, annexes


def _build_tree(lines: list[Line]) -> list[Node]:
    """Heading tree over body lines; returns the top-level nodes."""
    roots: list[Node] = []
    stack: list[Node] = []
    current: Node | None = None
    closed = False
    for i, line in enumerate(lines):
        hit = None if line.list_entry else match_heading(line.text)
        if hit:
            style, rank, marker, _number = hit
            node = Node(style=style, rank=rank, marker=marker, title="", line=line)
            while stack and stack[-1].rank >= rank:
                stack.pop()
            parent = stack[-1] if stack else None
            siblings = parent.children if parent else roots
            node.parent = parent
            node.ordinal = len(siblings) + 1
            siblings.append(node)
            stack.append(node)
            current = node
            closed = False
            continue
        if current is None or closed:
            continue
        # A closing signature (issuer line, then a date line) ends the body.
        if DATE_LINE.match(line.text):
            prev = lines[i - 1] if i else None
            if prev is not None and current.last_line is prev and len(prev.text) <= 30 and not _PROSE.search(prev.text):
                current.last_line = _previous_own_line(lines, i - 1, current)
            closed = True
            continue
        current.last_line = line
    return roots


def _previous_own_line(lines: list[Line], idx: int, node: Node) -> Line | None:
    for j in range(idx - 1, -1, -1):
        if lines[j] is node.line:
            return None
        if lines[j].start > node.line.start:
            return lines[j]
    return None


def _paragraph_tasks(plan_id: str, text: str, lines: list[Line]) -> list[dict]:
    tasks = []
    for line in lines:
        if len(line.text) < 20 or not _PROSE.search(line.text) or DATE_LINE.match(line.text):
            continue
        k = len(tasks) + 1
        tasks.append({
            "plan_id": plan_id, "task_id": f"{plan_id}:p{k}", "part": "other", "section_path": "",
            "number": "", "depth": 1, "title": first_clause(line.text), "text": line.text,
            "char_start": line.start, "char_end": line.end, "source": "paragraph", "table_cells": "",
        })
    return tasks


# -- annex tables ------------------------------------------------------------------------

@dataclass
class _Cell:
    text: str
    start: int
    end: int
    col: int = 0  # position on its line
    row_line: bool = False  # its line holds a whole row (``a | b | c |``)


_ROW_END = object()
_ROW_NUMBER = re.compile(r"^(\d{1,3})\s*[.、．]\s*")
#: A 序号 cell holding nothing but the number (Word tables, PDF tables): ``1``.
_BARE_NUMBER = re.compile(r"^(\d{1,3})$")


def _cells_of(lines: list[Line]) -> list[object]:
    """Cells and row ends of a (possibly pipe-broken) table, with offsets.

    A line with two or more cells is a whole row: its empty cells are kept
    (so the cells stay under their column headers) and a row end follows.
    A line with one cell is a piece of a pipe-broken table.
    """
    tokens: list[object] = []
    for line in lines:
        if "|" not in line.text:
            tokens.append(_Cell(line.text.strip(), line.start, line.end))
            continue
        parts = line.text.split("|")
        if line.text.rstrip().endswith("|"):
            parts = parts[:-1]
        whole_row = sum(1 for part in parts if part.strip()) >= 2
        cells: list[_Cell] = []
        pos = 0
        for part in parts:
            stripped = part.strip()
            if stripped or whole_row:
                lead = len(part) - len(part.lstrip())
                s = line.start + pos + (lead if stripped else 0)
                cells.append(_Cell(stripped, s, s + len(stripped), col=len(cells), row_line=whole_row))
            pos += len(part) + 1
        tokens.extend(cells)
        if len(cells) != 1:  # a bare "|" line, or a whole row on one line
            tokens.append(_ROW_END)
    return tokens


def _row_number(cell: _Cell, expected: int) -> re.Match[str] | None:
    """The row number a cell starts with (``1.``, ``1、``), or a bare ``1`` when it is the next number."""
    m = _ROW_NUMBER.match(cell.text)
    if m:
        return m
    m = _BARE_NUMBER.match(cell.text)
    return m if m and int(m.group(1)) == expected else None


def _annex_tasks(plan_id: str, text: str, number: str, title: str, lines: list[Line], warnings: list[str]) -> list[dict]:
    if not lines:
        return []
    if not title and not lines[0].text.endswith("|"):
        title, lines = lines[0].text.strip(), lines[1:]
    tokens = _cells_of(lines)
    is_table = sum("|" in line.text for line in lines) >= max(3, len(lines) // 3)
    prefix = f"A{number}"
    base_path = " > ".join(x for x in (f"附件{number}", title) if x)
    if not is_table:
        roots = _build_tree(lines)
        out = []
        for node in _walk(roots):
            if node.children:
                continue
            start, end = node.line.start, (node.last_line or node.line).end
            out.append({
                "plan_id": plan_id, "task_id": f"{plan_id}:{prefix}." + ".".join(str(n.ordinal) for n in node.path),
                "part": "annex", "section_path": " > ".join([base_path] + [_heading_title(n) for n in node.path[:-1]]),
                "number": node.marker, "depth": len(node.path), "title": _heading_title(node),
                "text": text[start:end], "char_start": start, "char_end": end, "source": "annex", "table_cells": "",
            })
        return out
    header: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i] is not _ROW_END:
        cell = tokens[i]
        if _row_number(cell, 1):  # type: ignore[arg-type]
            break
        header.append(re.sub(r"\s+", "", cell.text))  # type: ignore[union-attr]
        i += 1
    if len(header) < 2:
        warnings.append(f"附件{number}: table without a header row; rows kept without column names")
    rows: list[tuple[list[_Cell], list[str], re.Match[str]]] = []
    groups: list[str] = []
    row: list[_Cell] | None = None
    match: re.Match[str] | None = None
    n_cols = max(len(header), 1)
    expected = 1
    for token in tokens[i:]:
        if token is _ROW_END:
            if row is not None:
                rows.append((row, list(groups), match))
                groups = []
            row = None
            continue
        cell: _Cell = token  # type: ignore[assignment]
        hit = _row_number(cell, expected)
        if hit:
            if row is not None:
                rows.append((row, list(groups), match))
                groups = []
            row, match = [cell], hit
            expected = int(hit.group(1)) + 1
        elif row is not None and len(row) < n_cols - (row[0].col if row[0].row_line else 0):
            row.append(cell)
        else:
            if row is not None:
                rows.append((row, list(groups), match))
                groups = []
                row = None
            if cell.text:
                groups.append(re.sub(r"\s+", "", cell.text))
    if row is not None:
        rows.append((row, groups, match))
    out = []
    last_group = ""
    for k, (cells, group, m) in enumerate(rows, start=1):
        if group:
            last_group = "/".join(group)
        first = cells[0]
        body = first.text[m.end():]
        if not body.strip():  # the number has a column of its own (序号): the task is the next cell
            body = next((c.text for c in cells[1:] if c.text), "")
        offset = first.col if first.row_line else 0
        named = {}
        for j, cell in enumerate(cells):
            name = header[offset + j] if offset + j < len(header) else f"col{offset + j + 1}"
            named[name] = cell.text
        for j in range(offset + len(cells), len(header)):
            named[header[j]] = ""
        start, end = first.start, max(c.end for c in cells)
        path = " > ".join(x for x in (base_path, last_group) if x)
        out.append({
            "plan_id": plan_id, "task_id": f"{plan_id}:{prefix}.{k}", "part": "annex", "section_path": path,
            "number": m.group(0).strip(), "depth": 2, "title": first_clause(body),
            "text": text[start:end], "char_start": start, "char_end": end, "source": "table",
            "table_cells": json.dumps(named, ensure_ascii=False),
        })
    return out


class TaskIndex:
    """Finds the task whose span holds a character offset (tasks do not overlap).

    Examples:
        >>> index = TaskIndex([{"task_id": "p:1", "char_start": 0, "char_end": 5}])
        >>> index.at(3)["task_id"], index.at(7)
        ('p:1', None)
    """

    def __init__(self, tasks: list[dict]) -> None:
        self._tasks = sorted(tasks, key=lambda t: t["char_start"])
        self._starts = [t["char_start"] for t in self._tasks]

    def at(self, pos: int) -> dict | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self._tasks[i] if i >= 0 and pos < self._tasks[i]["char_end"] else None
