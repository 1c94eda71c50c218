"""Rule words of the data files, read and compiled once: agency roles, plan parts, metric names.

Each word is written once, in ``data/``; every code path that needs it
(extraction, similarity, the table schemas) gets it from here, so editing a
data file changes them all.

* ``data/agency_roles.csv``: role words (牵头, 配合, 负责 …) and where they assign a
  role (a ``X单位:`` label, a role clause in parentheses, a closing line);
* ``data/agency_role_words.toml``: the words around a role word: label nouns
  (单位, 部门) and lead-ins between the names and the role word (等部门, 按职责分工 …);
* ``data/parts.toml``: heading words naming the parts of a plan (目标, 任务, 保障 …);
* ``data/targets.toml``: the metric categories of targets (``[[metrics]]``, ``[other_metric]``)
  and the pass-rate domains with a column of their own (``[[pass_rate_domains]]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import PACKAGE_DATA, read_data_csv, read_toml
from .patterns import alternation

#: Where a role word may stand (the ``where`` column of ``data/agency_roles.csv``).
ROLE_PLACES = ("label", "clause", "line")


@dataclass(frozen=True)
class RolePatterns:
    """Role words of ``data/agency_roles.csv`` and the regexes built from them."""

    #: the roles, in the order of their first word in the table (lead, cooperate, responsible, guide)
    roles: tuple[str, ...]
    #: label word -> role, in table order (a table header takes the role of the first word it holds)
    label_roles: dict[str, str]
    #: clause word -> role
    clause_roles: dict[str, str]
    #: closing-line word -> role
    line_roles: dict[str, str]
    #: ``牵头单位:`` (group 1: the role word), up to the start of the list
    label: re.Pattern[str]
    #: the end of a role clause: ``…等部门按职责分工负责`` (group 1: the role word)
    clause: re.Pattern[str]
    #: a labelled role line and everything after it (``\n牵头单位:…``): the assignments closing a task
    label_lines: re.Pattern[str]
    #: a parenthesis at the end of a text holding a role word: ``(市质监局负责)``
    trailing_clause: re.Pattern[str]
    #: a line closing a task: ``A、B等部门按职责分工负责落实。`` (group 1: the names, group 2: the role word)
    line: re.Pattern[str]


@lru_cache(maxsize=1)
def role_words() -> dict[str, tuple[str, ...]]:
    """``data/agency_role_words.toml``: ``label_nouns`` (单位 …), ``after_names`` (等部门 …), ``before_role`` (按职责分工 …)."""
    raw = read_toml(PACKAGE_DATA / "agency_role_words.toml")
    return {"label_nouns": tuple(raw["label_nouns"]),
            **{key: tuple(raw["lead_in"][key]) for key in ("after_names", "before_role")}}


@lru_cache(maxsize=1)
def role_patterns() -> RolePatterns:
    """The role words of ``data/agency_roles.csv`` and the words around them (``data/agency_role_words.toml``), compiled.

    Examples:
        >>> r = role_patterns()
        >>> r.label.match("牵头单位:市质监局").group(1), r.label_roles["配合"]
        ('牵头', 'cooperate')
        >>> r.clause.search("市质监局、市经信委等按职责分工负责").group(1), r.clause_roles["负责落实"]
        ('负责', 'responsible')
        >>> r.trailing_clause.sub("", "加强监督抽查(市质监局牵头)")
        '加强监督抽查'
    """
    by_place: dict[str, dict[str, str]] = {place: {} for place in ROLE_PLACES}
    roles: list[str] = []
    for row in read_data_csv("agency_roles.csv"):
        places = row["where"].split()
        unknown = set(places) - set(ROLE_PLACES)
        if unknown:
            raise ValueError(f"data/agency_roles.csv: {row['word']}: unknown place {sorted(unknown)}")
        for place in places:
            by_place[place][row["word"]] = row["role"]
        if row["role"] not in roles:
            roles.append(row["role"])
    labels = alternation(by_place["label"])
    clauses = alternation(by_place["clause"])
    lines = alternation(by_place["line"])
    words = role_words()
    nouns = alternation(words["label_nouns"])
    lead_in = f"(?:{alternation(words['after_names'])})?(?:{alternation(words['before_role'])})*"
    return RolePatterns(
        roles=tuple(roles),
        label_roles=by_place["label"],
        clause_roles=by_place["clause"],
        line_roles=by_place["line"],
        label=re.compile(rf"({labels})(?:{nouns})\s*[:：]\s*"),
        clause=re.compile(rf"{lead_in}({clauses})$"),
        label_lines=re.compile(rf"\n(?:{labels})(?:{nouns})[:：].*", re.S),
        trailing_clause=re.compile(rf"[(（][^()（）]*(?:{clauses})[^()（）]*[)）]\s*$"),
        line=re.compile(rf"^(.{{2,200}}?){lead_in}({lines})[。;；]?$"),
    )


@lru_cache(maxsize=1)
def part_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``(part, pattern)`` of ``data/parts.toml``, in the order they are tried."""
    raw = read_toml(PACKAGE_DATA / "parts.toml")
    return tuple((p["name"], re.compile(p["pattern"])) for p in raw["parts"])


@lru_cache(maxsize=1)
def _metrics() -> dict:
    return read_toml(PACKAGE_DATA / "targets.toml")


@lru_cache(maxsize=1)
def metric_names() -> tuple[str, ...]:
    """Metric names in the column order of ``targets_by_metric``, the fallback last.

    Examples:
        >>> metric_names()[0], metric_names()[-1]
        ('pass_rate', 'other')
    """
    raw = _metrics()
    ordered = sorted(raw["metrics"], key=lambda m: m["column"])
    return tuple(m["name"] for m in ordered) + (raw["other_metric"]["name"],)


def other_metric() -> str:
    """The metric of a target no ``[[metrics]]`` pattern matches."""
    return _metrics()["other_metric"]["name"]


@lru_cache(maxsize=1)
def metric_descriptions() -> dict[str, str]:
    """Metric name -> what its column of ``targets_by_metric`` counts."""
    raw = _metrics()
    return {m["name"]: m["about"] for m in [*raw["metrics"], raw["other_metric"]]}


@lru_cache(maxsize=1)
def pass_rate_domain_columns() -> tuple[str, ...]:
    """Pass-rate domains with a ``threshold_<domain>`` column in ``pass_rates``, in column order.

    Every domain of ``[[pass_rate_domains]]`` but the general ones (``[pass_rate] general``:
    their pass rate is the plan's threshold) has a ``column``.

    Examples:
        >>> pass_rate_domain_columns()
        ('food', 'agricultural', 'drug', 'construction', 'service', 'other')
    """
    raw = _metrics()
    general = set(raw["pass_rate"]["general"])
    shown = [d for d in raw["pass_rate_domains"] if d["name"] not in general]
    missing = [d["name"] for d in shown if "column" not in d]
    if missing:
        raise ValueError(f"data/targets.toml: pass-rate domains without a column: {missing}")
    return tuple(d["name"] for d in sorted(shown, key=lambda d: d["column"]))


@lru_cache(maxsize=1)
def metadata_rules() -> dict:
    """``data/metadata.toml``: the words and labels plan-level fields are read with (titles, issuers,
    portal labels, places, periods)."""
    return read_toml(PACKAGE_DATA / "metadata.toml")
