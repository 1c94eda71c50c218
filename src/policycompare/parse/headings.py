"""Heading trees: numbered lines -> a tree of units.

A plan is a tree of numbered headings (``第一章``, ``一、``, ``(一)``, ``1.``,
``(1)``, ``①``; the styles are :data:`policycompare.rules.patterns.HEADING_STYLES`).
The rank of a numbering style is fixed (``一、`` always sits above ``(一)``,
which sits above ``1.``), so a stray number cannot turn the tree upside down.
A closing signature (an issuer line, then a date line) ends the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract.numbers import to_int
from ..rules.patterns import DATE_LINE, HEADING_STYLES, is_signature_line
from ..rules.readers import part_rules

_STYLE_PATTERNS = {style: pattern for style, pattern, _ in HEADING_STYLES}
_CLAUSE_END = re.compile(r"[。；;：:!！?？]")
_COMMA = re.compile(r"[，,]")


def classify_part(title: str) -> str | None:
    """Part of a plan named by a heading title, or None (rules in ``data/parts.toml``).

    Examples:
        >>> classify_part("工作目标"), classify_part("重点任务和主要措施"), classify_part("保障措施")
        ('goals', 'tasks', 'safeguards')
    """
    for part, pattern in part_rules():
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
    """A non-empty line of a text and the offset where it starts."""

    start: int
    text: str
    list_entry: bool = False  # an entry of an attachment list, never a heading

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Node:
    """A numbered unit: its heading line, place among its siblings, children and last own line."""

    style: str
    rank: int
    marker: str
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
    for raw in text.split("\n"):
        if raw.strip():
            out.append(Line(pos, raw))
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
            return style, rank, m.group(0).strip(), _heading_number(m.group(1))
    return None


def _heading_number(numeral: str) -> int:
    """The number of a heading marker (0 when it is not a well-formed numeral: 十十)."""
    try:
        return to_int(numeral)
    except ValueError:
        return 0


def walk(nodes: list[Node]):
    """Every node of a tree, depth first, parents before children."""
    for node in nodes:
        yield node
        yield from walk(node.children)


def heading_title(node: Node) -> str:
    """The first clause of a heading line after its number."""
    rest = node.line.text
    m = _STYLE_PATTERNS[node.style].match(rest)
    if m:
        rest = rest[m.end():]
    return first_clause(rest)


def build_tree(lines: list[Line]) -> list[Node]:
    """Heading tree over body lines; returns the top-level nodes."""
    roots: list[Node] = []
    stack: list[Node] = []
    current: Node | None = None
    closed = False
    for i, line in enumerate(lines):
        hit = None if line.list_entry else match_heading(line.text)
        if hit:
            style, rank, marker, _number = hit
            node = Node(style=style, rank=rank, marker=marker, line=line)
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
            if prev is not None and current.last_line is prev and is_signature_line(prev.text):
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


def head_lines(lines: list[str]) -> list[str]:
    """Lines before the first numbered heading (cover letter, title, salutation)."""
    head = []
    for line in lines:
        hit = match_heading(line)
        if hit and hit[0] in ("chapter", "cn_dun"):
            break
        head.append(line)
    return head
