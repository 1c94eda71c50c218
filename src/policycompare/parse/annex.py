"""Annexes: the attachment list of a cover letter, and annexes (``附件1``) parsed apart.

A pipe table becomes one task per numbered row, with the table's other
columns kept in ``table_cells``; an annex without a table is a heading tree
of its own.  Row numbers are written ``1.`` / ``1、`` or stand bare in a 序号
column; a row may be broken over several lines (pipe-broken tables of PDF and
Word pages), and cells between numbered rows name a group of rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..extract.numbers import to_int
from ..rules.patterns import PROSE, ROW_NUMBER
from .headings import Line, build_tree, first_clause, heading_title, walk

_ANNEX = re.compile(r"^附件\s*([0-9一二三四五六七八九十]*)\s*[:：]?\s*(.{0,40})$")
_ANNEX_LIST = re.compile(r"^附件\s*[:：]\s*\d+[.、．]")
_LIST_ENTRY = re.compile(r"^\d+[.、．]\S.{0,78}$")


def split_annexes(lines: list[Line]) -> tuple[list[Line], list[tuple[str, str, list[Line]]]]:
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
        elif in_annex_list and _LIST_ENTRY.match(text) and not PROSE.search(text):
            line.list_entry = True
        else:
            in_annex_list = False
            m = _ANNEX.match(text)
            if m and not PROSE.search(text):
                number = _annex_number(m.group(1), annexes)
                taken = {a[0] for a in annexes}
                while number in taken:  # 附件1 written twice: ids must stay unique
                    number = str(int(number) + 1)
                target = []
                annexes.append((number, m.group(2).strip(" |"), target))  # "附件1 任务表 |": a merged table row
                continue
        target.append(line)
    return body, annexes


def _annex_number(written: str, annexes: list) -> str:
    """The number of ``附件N`` (the next one when it is not written or not a numeral)."""
    try:
        return str(to_int(written)) if written else str(len(annexes) + 1)
    except ValueError:
        return str(len(annexes) + 1)


@dataclass
class _Cell:
    text: str
    start: int
    end: int
    col: int = 0  # position on its line
    row_line: bool = False  # its line holds a whole row (``a | b | c |``)


_ROW_END = object()
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
    m = ROW_NUMBER.match(cell.text)
    if m:
        return m
    m = _BARE_NUMBER.match(cell.text)
    return m if m and int(m.group(1)) == expected else None


def annex_tasks(plan_id: str, text: str, number: str, title: str, lines: list[Line], warnings: list[str]) -> list[dict]:
    """Task rows of annex ``number``: its numbered items (a list annex), or the rows of its table
    (a table annex: header reader, rows grouped under their group cells, each row made a task)."""
    if not lines:
        return []
    if not title and not lines[0].text.endswith("|"):
        title, lines = lines[0].text.strip(), lines[1:]
    prefix = f"A{number}"
    base_path = " > ".join(x for x in (f"附件{number}", title) if x)
    if sum("|" in line.text for line in lines) < max(3, len(lines) // 3):
        return _list_tasks(plan_id, text, prefix, base_path, lines)
    tokens = _cells_of(lines)
    header, first_row = _read_header(tokens)
    if len(header) < 2:
        warnings.append(f"附件{number}: table without a header row; rows kept without column names")
    rows = _group_rows(tokens[first_row:], max(len(header), 1))
    out = []
    last_group = ""
    for k, (cells, group, m) in enumerate(rows, start=1):
        if group:
            last_group = "/".join(group)
        path = " > ".join(x for x in (base_path, last_group) if x)
        out.append(_row_task(plan_id, text, f"{prefix}.{k}", path, header, cells, m))
    return out


def _list_tasks(plan_id: str, text: str, prefix: str, base_path: str, lines: list[Line]) -> list[dict]:
    """A list annex: each leaf of its heading tree is a task."""
    out = []
    for node in walk(build_tree(lines)):
        if node.children:
            continue
        start, end = node.line.start, (node.last_line or node.line).end
        out.append({
            "plan_id": plan_id, "task_id": f"{plan_id}:{prefix}." + ".".join(str(n.ordinal) for n in node.path),
            "part": "annex", "section_path": " > ".join([base_path] + [heading_title(n) for n in node.path[:-1]]),
            "number": node.marker, "depth": len(node.path), "title": heading_title(node),
            "text": text[start:end], "char_start": start, "char_end": end, "source": "annex", "table_cells": "",
        })
    return out


def _read_header(tokens: list[object]) -> tuple[list[str], int]:
    """The column names (the cells before the first row end or the first row number) and where the rows start."""
    header: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i] is not _ROW_END:
        cell = tokens[i]
        if _row_number(cell, 1):  # type: ignore[arg-type]
            break
        header.append(re.sub(r"\s+", "", cell.text))  # type: ignore[union-attr]
        i += 1
    return header, i


def _group_rows(tokens: list[object], n_cols: int) -> list[tuple[list[_Cell], list[str], re.Match[str]]]:
    """Rows of a table: (cells, group cells above the row since the last row, its row number match).

    A row starts at a cell with the next row number and takes the following cells up to the
    number of columns; a cell outside a row is a group heading (a merged cell naming the rows below).
    """
    rows: list[tuple[list[_Cell], list[str], re.Match[str]]] = []
    groups: list[str] = []
    row: list[_Cell] | None = None
    match: re.Match[str] | None = None
    expected = 1

    def close() -> None:
        nonlocal groups, row
        if row is not None:
            rows.append((row, list(groups), match))
            groups = []
        row = None

    for token in tokens:
        if token is _ROW_END:
            close()
            continue
        cell: _Cell = token  # type: ignore[assignment]
        hit = _row_number(cell, expected)
        if hit:
            close()
            row, match = [cell], hit
            expected = int(hit.group(1)) + 1
        elif row is not None and len(row) < n_cols - (row[0].col if row[0].row_line else 0):
            row.append(cell)
        else:
            close()
            if cell.text:
                groups.append(re.sub(r"\s+", "", cell.text))
    if row is not None:
        rows.append((row, groups, match))
    return rows


def _row_task(plan_id: str, text: str, number: str, path: str, header: list[str], cells: list[_Cell],
              m: re.Match[str]) -> dict:
    """The task row of one table row: its text, title and cells by column name (JSON)."""
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
    return {
        "plan_id": plan_id, "task_id": f"{plan_id}:{number}", "part": "annex", "section_path": path,
        "number": m.group(0).strip(), "depth": 2, "title": first_clause(body),
        "text": text[start:end], "char_start": start, "char_end": end, "source": "table",
        "table_cells": json.dumps(named, ensure_ascii=False),
    }
