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

Duties assigned in running text (:func:`.extract.agencies.running_duties`:
"各级政府要…", "市政府将…") make tasks too: a paragraph before the first heading
that assigns one becomes a task (``<plan_id>:p1``), and a unit whose paragraph
assigns duties to several subjects in turn is cut before each of them after the
first (``gansu_2010:1.1``, ``gansu_2010:1.1-2`` …, source ``duty``), so that each
duty keeps its own subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extract.agencies import duty_sentence_starts
from ..rules.patterns import DATE_LINE, PROSE
from .annex import annex_tasks, split_annexes
from .headings import (
    Line,
    Node,
    build_tree,
    classify_part,
    first_clause,
    heading_title,
    split_lines,
    walk,
)


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
    else:
        tasks[:0] = _preamble_duties(plan_id, body, roots[0].line.start)
    tasks = [piece for task in tasks for piece in _split_duties(task, text)]
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


def _paragraph_task(plan_id: str, k: int, line: Line) -> dict:
    """The k-th paragraph of a plan as a task of its own (``<plan_id>:p<k>``)."""
    return {
        "plan_id": plan_id, "task_id": f"{plan_id}:p{k}", "part": "other", "section_path": "",
        "number": "", "depth": 1, "title": first_clause(line.text), "text": line.text,
        "char_start": line.start, "char_end": line.end, "source": "paragraph", "table_cells": "",
    }


def _preamble_duties(plan_id: str, lines: list[Line], first_heading: int) -> list[dict]:
    """Paragraphs before the first heading that assign a duty in running text, as tasks."""
    tasks = []
    for line in lines:
        if line.start >= first_heading:
            break
        if len(line.text) < 20 or not duty_sentence_starts(line.text):
            continue
        tasks.append(_paragraph_task(plan_id, len(tasks) + 1, line))
    return tasks


def _split_duties(task: dict, text: str) -> list[dict]:
    """A task whose text assigns duties to several subjects in turn, cut before each one after the first."""
    if task["source"] not in ("body", "paragraph"):
        return [task]
    starts = duty_sentence_starts(task["text"])[1:]
    if not starts:
        return [task]
    bounds = [0, *starts, len(task["text"])]
    pieces = []
    for k, (start, end) in enumerate(zip(bounds, bounds[1:]), start=1):
        piece_text = task["text"][start:end].rstrip()
        lead = len(piece_text) - len(piece_text.lstrip())
        a, b = task["char_start"] + start + lead, task["char_start"] + start + len(piece_text)
        if k == 1:
            pieces.append({**task, "text": text[a:b], "char_start": a, "char_end": b})
            continue
        pieces.append({**task, "task_id": f"{task['task_id']}-{k}", "title": first_clause(text[a:b]),
                       "text": text[a:b], "char_start": a, "char_end": b, "source": "duty"})
    return pieces


def _paragraph_tasks(plan_id: str, text: str, lines: list[Line]) -> list[dict]:
    tasks = []
    for line in lines:
        if len(line.text) < 20 or not PROSE.search(line.text) or DATE_LINE.match(line.text):
            continue
        tasks.append(_paragraph_task(plan_id, len(tasks) + 1, line))
    return tasks
