"""Normalized text -> sections and tasks.

The body is a tree of numbered headings (:mod:`.headings`); numbered units
without numbered children are *tasks*, units with children are *sections*.
Task ids are built from the position of each unit among its siblings
(``hunan_2017:3.1.2`` is the second item of the first subsection of the third
top-level section), so a typo in the written numbers (two ``三、`` in a row)
cannot make two tasks share an id.  Each unit belongs to the part of the plan
its nearest classified heading names (``data/parts.toml``).

Annexes (``附件1``) are parsed apart (:mod:`.annex`).  A plan with no
numbering at all yields one task per paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from .annex import annex_tasks, split_annexes
from .headings import (  # noqa: F401  (re-exported: the heading API of structure)
    Line,
    Node,
    build_tree,
    classify_part,
    first_clause,
    heading_title,
    match_heading,
    split_lines,
    walk,
)
from .patterns import DATE_LINE, HEADING_STYLES, PROSE  # noqa: F401  (HEADING_STYLES re-exported)


@dataclass
class Structure:
    """Sections and tasks of one plan, as lists of row dicts."""

    sections: list[dict]
    tasks: list[dict]
    warnings: list[str]


def parse_structure(plan_id: str, text: str) -> Structure:
    """Find sections and tasks in a normalized plan text."""
    lines = split_lines(text)
    body, annexes = split_annexes(lines)
    warnings: list[str] = []
    roots = build_tree(body)
    tasks: list[dict] = []
    sections: list[dict] = []
    has_tasks_part = any(classify_part(heading_title(n)) == "tasks" for n in roots)
    for node in walk(roots):
        ids = [str(n.ordinal) for n in node.path]
        part = _part_of(node, has_tasks_part)
        path_titles = [heading_title(n) for n in node.path[:-1]]
        start = node.line.start
        end = (node.last_line or node.line).end
        row = {
            "plan_id": plan_id,
            "task_id": f"{plan_id}:{'.'.join(ids)}",
            "part": part,
            "section_path": " > ".join(path_titles),
            "number": node.marker,
            "depth": len(ids),
            "title": heading_title(node),
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
        tasks.extend(annex_tasks(plan_id, text, number, title, annex_lines, warnings))
    if not tasks:
        warnings.append("no tasks found")
    return Structure(sections=sections, tasks=tasks, warnings=warnings)


def _part_of(node: Node, has_tasks_part: bool) -> str:
    """Part named by the nearest classified heading above a unit (a top-level unit names its own)."""
    path = node.path
    for ancestor in path[:-1] if len(path) > 1 else path:
        part = classify_part(heading_title(ancestor))
        if part:
            return part
    # Plans whose top-level headings are all topical (盐城: 一、大力营造公平竞争的发展环境)
    # are lists of tasks.
    return "other" if has_tasks_part else "tasks"


def _paragraph_tasks(plan_id: str, text: str, lines: list[Line]) -> list[dict]:
    tasks = []
    for line in lines:
        if len(line.text) < 20 or not PROSE.search(line.text) or DATE_LINE.match(line.text):
            continue
        k = len(tasks) + 1
        tasks.append({
            "plan_id": plan_id, "task_id": f"{plan_id}:p{k}", "part": "other", "section_path": "",
            "number": "", "depth": 1, "title": first_clause(line.text), "text": line.text,
            "char_start": line.start, "char_end": line.end, "source": "paragraph", "table_cells": "",
        })
    return tasks
