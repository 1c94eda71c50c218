"""Product sectors named in a plan, mapped to the categories of ``data/sector_categories.csv``.

The lexicon (``data/sectors.csv``) is matched longest term first at each
position, so 婴幼儿配方乳粉 is one mention (food and infant_elderly), not three.
Terms inside agency names (食品 in 市食品药品监管局) are not sector mentions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import read_data_csv
from .agencies import agency_table
from .offsets import TaskIndex


@dataclass(frozen=True)
class Category:
    category: str
    label_zh: str
    label_en: str
    national: bool


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    """Sector categories in their fixed order (the national nine first)."""
    return {
        row["category"]: Category(row["category"], row["label_zh"], row["label_en"], row["national"] == "yes")
        for row in read_data_csv("sector_categories.csv")
    }


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """``data/sectors.csv`` as {term: categories}; raises on an unknown category."""
    known = categories()
    out: dict[str, tuple[str, ...]] = {}
    for row in read_data_csv("sectors.csv"):
        cats = tuple(c.strip() for c in row["categories"].split("|") if c.strip())
        unknown = [c for c in cats if c not in known]
        if unknown:
            raise ValueError(f"sectors.csv: term {row['term']!r} has unknown categories {unknown}")
        out[row["term"]] = cats
    return out


@lru_cache(maxsize=1)
def _term_pattern() -> re.Pattern[str]:
    terms = sorted(lexicon(), key=lambda t: (-len(t), t))
    return re.compile("|".join(map(re.escape, terms)))


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern[str]:
    names = sorted((n for n in agency_table() if len(n) >= 3), key=lambda t: (-len(t), t))
    return re.compile("|".join(map(re.escape, names)))


def extract_sectors(plan_id: str, text: str, tasks: list[dict]) -> list[dict]:
    """One row per sector mention and category: plan_id, task_id, term, category, char_start, char_end.

    ``task_id`` is the task whose span holds the mention ("" for mentions in
    the title or preamble).
    """
    masked = [(m.start(), m.end()) for m in _agency_pattern().finditer(text)]
    mask_starts = [s for s, _ in masked]
    index = TaskIndex(tasks)
    lex = lexicon()
    rows = []
    for match in _term_pattern().finditer(text):
        i = bisect.bisect_right(mask_starts, match.start()) - 1
        if i >= 0 and masked[i][1] > match.start():
            continue
        task = index.at(match.start())
        task_id = task["task_id"] if task and task["char_end"] >= match.end() else ""
        for category in lex[match.group(0)]:
            rows.append({
                "plan_id": plan_id, "task_id": task_id, "term": match.group(0), "category": category,
                "char_start": match.start(), "char_end": match.end(),
            })
    return rows
