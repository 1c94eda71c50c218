"""Validation against hand-coded gold: precision, recall and exact-field scores.

Researchers who code a few plans by hand can check the extractors on their
own material, as with quanteda's validation tools.  The gold files use the
format of ``tests/data/gold`` and ``tests/data/dev/gold`` (CSV, read with
``dtype=str, keep_default_na=False``):

* ``plans.csv``: ``plan_id`` and one column per field; ``*`` = not scored
  (the text does not say); an empty cell = the plan has no such field.
* ``targets.csv``: ``plan_id, value, value_max, unit, metric, per_year,
  required, snippet``; ``metric`` may allow several answers (``pass_rate|other``);
  ``required=0`` rows need not be found but are no false positives either.
* ``agencies.csv``: ``plan_id, task_snippet, role, agencies`` (names joined
  with 、; role ``any`` with no names = the task names no agency).

Each ``score_*`` function returns a :class:`Score`: ``table`` (one row per
scored item, with the reason of each miss) and ``counts`` (the numbers a
report or a test asserts on).  The rules are strict on purpose: a value, a
unit and a metric are either the gold's or wrong.

Examples:
    >>> import pandas as pd
    >>> found = pd.DataFrame({"plan_id": ["a"], "level": ["county"], "issuer": ["x"]})
    >>> gold = pd.DataFrame({"plan_id": ["a"], "level": ["county"], "issuer": ["*"]})
    >>> score_plans(found, gold, fields=("level", "issuer")).counts
    {'scored': 1, 'exact': 1, 'share': 1.0}
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from ..parse.normalize import (
    halfwidth_ascii,
    strip_pinyin_glosses,
    to_simplified,
    unify_spaces,
)

#: Plan fields scored by :func:`score_plans` (when the gold has the column).
PLAN_FIELDS = ("jurisdiction", "level", "province", "issuer", "doc_number", "issued_date", "period_start", "period_end")
#: A gold cell that is not scored.
UNSCORED = "*"


@dataclass
class Score:
    """Result of a validation: one row per scored item, and the counts."""

    name: str
    table: pd.DataFrame
    counts: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in self.counts.items())
        return f"{self.name}: {parts}"

    def misses(self) -> pd.DataFrame:
        """Rows of :attr:`table` that are not right (``ok`` false)."""
        return self.table[~self.table["ok"].astype(bool)] if "ok" in self.table else self.table


def normalize_snippet(snippet: str) -> str:
    """A gold snippet in the normalized script: glosses stripped, t2s, ASCII digits, spaces squashed.

    Gold snippets are written as the raw file has them (traditional, with
    pinyin glosses); extracted sentences are normalized text.

    Examples:
        >>> normalize_snippet("合格率達(dá)到92％以上")
        '合格率达到92%以上'
    """
    return _squash(halfwidth_ascii(to_simplified(strip_pinyin_glosses(unify_spaces(snippet)))))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


def _cell(value: object) -> str:
    """A table cell as gold-comparable text: None/NaN -> '', 2020.0 -> '2020'."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value == int(value) else repr(value)
    return str(value).strip()


def _number(value: object) -> float | None:
    text = _cell(value)
    return float(text) if text else None


# -- plans -----------------------------------------------------------------------------


def score_plans(plans: pd.DataFrame, gold: pd.DataFrame, fields: Iterable[str] = PLAN_FIELDS,
                normalize: Callable[[str], str] = normalize_snippet) -> Score:
    """Exact-field score of plan metadata.

    A field is scored when the gold cell is not ``*``; it is exact when the
    extracted value equals the gold after both pass through ``normalize``
    (the gold is in simplified characters; years compare as integers).  A
    ``doc_number`` compares with its year brackets in one form: the gold writes
    吉政发(2012)27号 as the page does, the plans table in the canonical 〔〕 form.  A
    plan missing from ``plans`` scores every field as wrong.

    ``counts``: scored, exact, share (exact / scored).
    """
    found = plans.set_index("plan_id") if "plan_id" in plans else plans
    rows = []
    for g in gold.to_dict("records"):
        for name in fields:
            if name not in g or g[name] == UNSCORED:
                continue
            expected = normalize(_cell(g[name]))
            value = found.at[g["plan_id"], name] if g["plan_id"] in found.index and name in found else None
            got = normalize(_cell(value))
            if name == "doc_number":
                expected, got = _doc_brackets(expected), _doc_brackets(got)
            rows.append({"plan_id": g["plan_id"], "field": name, "gold": expected, "found": got, "ok": got == expected})
    table = pd.DataFrame(rows, columns=["plan_id", "field", "gold", "found", "ok"])
    exact = int(table["ok"].sum())
    return Score("plans", table, {"scored": len(table), "exact": exact, "share": exact / len(table) if len(table) else 1.0})


def _doc_brackets(number: str) -> str:
    """吉政发(2012)27号 / 黔府发[2015]15号 -> the 〔〕 form (the year's brackets only)."""
    return re.sub(r"[(\[［【（〔]\s*(\d{4})\s*[)\]］】）〕]", r"〔\1〕", number)


# -- targets ---------------------------------------------------------------------------


def _target_match(p: dict, g: dict, snippet: str, metric: bool = True) -> bool:
    if p["plan_id"] != g["plan_id"] or snippet not in _squash(p["sentence"]):
        return False
    if _number(p["value"]) != _number(g["value"]) or _number(p.get("value_max")) != _number(g.get("value_max")):
        return False
    if _cell(p["unit"]) != normalize_snippet(_cell(g["unit"])):
        return False
    return not metric or _cell(p["metric"]) in _cell(g["metric"]).split("|")


def _max_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """Maximum one-to-one matching (gold -> extracted) by augmenting paths; deterministic."""
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in sorted(edges):
        augment(g, set())
    return {g: p for p, g in owner.items()}


def score_targets(targets: pd.DataFrame, gold: pd.DataFrame, normalize: Callable[[str], str] = normalize_snippet,
                  unscored: pd.DataFrame | None = None, plan_ids: Iterable[str] | None = None) -> Score:
    """Precision, recall and F1 of extracted targets against gold targets.

    Matching rule: a gold row and an extracted row match when they belong to
    the same plan, the extracted ``sentence`` contains the gold ``snippet``
    (after ``normalize``; whitespace ignored), ``value`` and ``value_max``
    are equal as numbers, ``unit`` is equal, and the extracted ``metric`` is
    one of the gold's ``|``-separated metrics.  Each row matches at most one
    row of the other side (maximum one-to-one matching).

    * recall = matched ``required=1`` gold rows / ``required=1`` gold rows;
    * precision = matched extracted rows / extracted rows, where extracted
      rows matching a ``required=0`` gold row, or whose sentence contains a
      snippet of ``unscored`` (``plan_id, snippet``: sentences the gold
      documents as left out) are counted in neither.

    Only plans in ``plan_ids`` (default: the plans of ``gold`` and of
    ``targets``) are scored.  ``table`` has one row per gold row (``side`` =
    gold) and per extracted row not matched (``side`` = extracted), with the
    reason: ``missed``, ``wrong metric`` (value and snippet right), ``false
    positive`` or ``unscored``.
    """
    preds = targets.reset_index(drop=True)
    if plan_ids is not None:
        keep = set(plan_ids)
        preds = preds[preds["plan_id"].isin(keep)].reset_index(drop=True)
        gold = gold[gold["plan_id"].isin(keep)]
    gold_rows = gold.to_dict("records")
    pred_rows = preds.to_dict("records")
    snippets = [_squash(normalize(g["snippet"])) for g in gold_rows]
    by_plan: dict[str, list[int]] = {}
    for i, p in enumerate(pred_rows):
        by_plan.setdefault(p["plan_id"], []).append(i)
    edges = {gi: [pi for pi in by_plan.get(g["plan_id"], []) if _target_match(pred_rows[pi], g, snippets[gi])]
             for gi, g in enumerate(gold_rows)}
    matching = _max_matching(edges)
    matched_pred = {pi: gi for gi, pi in matching.items()}
    ignored_snippets = [] if unscored is None else [
        (u["plan_id"], _squash(normalize(u["snippet"]))) for u in unscored.to_dict("records")]

    rows = []
    for gi, g in enumerate(gold_rows):
        required = _cell(g.get("required", "1")) != "0"
        if gi in matching:
            p = pred_rows[matching[gi]]
            status = "matched"
        else:
            near = [pi for pi in by_plan.get(g["plan_id"], []) if _target_match(pred_rows[pi], g, snippets[gi], metric=False)]
            p = pred_rows[near[0]] if near else None
            status = "wrong metric" if near else ("missed" if required else "not required")
        rows.append({"side": "gold", "plan_id": g["plan_id"], "snippet": g["snippet"], "value": _number(g["value"]),
                     "unit": _cell(g["unit"]), "metric": g["metric"], "required": required,
                     "found_metric": _cell(p["metric"]) if p else "", "sentence": p["sentence"] if p else "",
                     "status": status, "ok": status in ("matched", "not required")})
    tp = fp = ignored = 0
    for pi, p in enumerate(pred_rows):
        if pi in matched_pred:
            g = gold_rows[matched_pred[pi]]
            if _cell(g.get("required", "1")) == "0":
                ignored += 1
            else:
                tp += 1
            continue
        sentence = _squash(p["sentence"])
        if any(plan == p["plan_id"] and s in sentence for plan, s in ignored_snippets):
            status = "unscored"
            ignored += 1
        else:
            status = "false positive"
            fp += 1
        rows.append({"side": "extracted", "plan_id": p["plan_id"], "snippet": p.get("value_text", ""),
                     "value": _number(p["value"]), "unit": _cell(p["unit"]), "metric": "", "required": False,
                     "found_metric": _cell(p["metric"]), "sentence": p["sentence"], "status": status,
                     "ok": status == "unscored"})
    n_required = sum(_cell(g.get("required", "1")) != "0" for g in gold_rows)
    found_required = sum(1 for gi in matching if _cell(gold_rows[gi].get("required", "1")) != "0")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = found_required / n_required if n_required else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    counts = {"extracted": len(pred_rows), "scored_extracted": tp + fp, "true_positives": tp, "false_positives": fp,
              "ignored": ignored, "required_gold": n_required, "found_gold": found_required,
              "precision": precision, "recall": recall, "f1": f1}
    return Score("targets", pd.DataFrame(rows), counts)


# -- pass rates ------------------------------------------------------------------------


def gold_pass_rates(gold_targets: pd.DataFrame, plan_ids: Iterable[str]) -> dict[str, float]:
    """Gold threshold per plan: the value of its row whose metric is exactly ``pass_rate`` (NaN if none)."""
    out = {plan_id: math.nan for plan_id in plan_ids}
    for g in gold_targets.to_dict("records"):
        if g["metric"] == "pass_rate" and g["plan_id"] in out:
            out[g["plan_id"]] = float(g["value"])
    return out


def score_pass_rates(pass_rates: pd.DataFrame, gold_targets: pd.DataFrame, plan_ids: Iterable[str] | None = None) -> Score:
    """Per plan, is the ``threshold`` of ``compare.pass_rates`` the gold's?

    The gold threshold is the value of the plan's gold target whose metric is
    exactly ``pass_rate``; a plan without one must have NaN.  ``plan_ids``
    defaults to the plans of ``pass_rates``.
    """
    found: dict = {}
    for r in pass_rates.to_dict("records"):  # a plan's first row: its first stated pass rate (one row per subject)
        found.setdefault(r["plan_id"], _number(r["threshold"]))
    plan_ids = list(found) if plan_ids is None else list(plan_ids)
    expected = gold_pass_rates(gold_targets, plan_ids)
    rows = []
    for plan_id in plan_ids:
        want = expected[plan_id]
        got = found.get(plan_id)
        got = math.nan if got is None else got
        ok = (math.isnan(want) and math.isnan(got)) or want == got
        rows.append({"plan_id": plan_id, "gold": want, "found": got, "ok": ok})
    table = pd.DataFrame(rows, columns=["plan_id", "gold", "found", "ok"])
    exact = int(table["ok"].sum())
    return Score("pass_rates", table, {"plans": len(table), "exact": exact})


# -- agencies --------------------------------------------------------------------------


def score_agencies(agencies: pd.DataFrame, tasks: pd.DataFrame, gold: pd.DataFrame,
                   normalize: Callable[[str], str] = normalize_snippet) -> Score:
    """Per gold row, are the agencies named for the task in that role exactly the gold's?

    The task is the shortest task of the plan whose text contains
    ``task_snippet`` (both normalized, whitespace ignored).  Role ``any``
    with no names: the task must have no agency row at all; role ``any`` with
    names: the names in every role together must equal the gold list (running
    text that names a subject without a role word).  Otherwise the set of
    names (as written, normalized) in that role must equal the gold list.  A
    snippet found in no task is a miss.
    """
    rows = []
    texts = tasks.assign(_squashed=tasks["text"].map(_squash))
    for g in gold.to_dict("records"):
        snippet = _squash(normalize(g["task_snippet"]))
        mine = texts[(texts["plan_id"] == g["plan_id"]) & texts["_squashed"].str.contains(snippet, regex=False)]
        expected = {normalize(a) for a in _cell(g["agencies"]).split("、") if a}
        if mine.empty:
            rows.append({**g, "task_id": "", "found": "", "ok": False})
            continue
        task_id = mine.loc[mine["text"].str.len().idxmin(), "task_id"]
        on_task = agencies[agencies["task_id"] == task_id]
        if g["role"] == "any":
            names = {normalize(a) for a in on_task["agency"]}
            ok = names == expected
        else:
            names = set(on_task.loc[on_task["role"] == g["role"], "agency"])
            ok = names == expected
        rows.append({**g, "task_id": task_id, "found": "、".join(sorted(names)), "ok": ok})
    table = pd.DataFrame(rows)
    exact = int(table["ok"].sum()) if len(table) else 0
    return Score("agencies", table, {"rows": len(table), "exact": exact})
