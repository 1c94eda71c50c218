"""Target escalation and policy diffusion: how each level rewrites the plan above it.

Every function takes a corpus (and keyword options) and returns a tidy
DataFrame whose columns are declared in :mod:`.schema`.

* :func:`lineage` — each plan's chain of ancestors in the gazetteer (county →
  prefecture → province → national) and its **parent**: the nearest ancestor
  with a plan in the corpus.  When that ancestor has several plans, the latest
  one issued before the child is taken, else the nearest in time
  (``parent_earlier`` is then False).  A sidecar ``parent = "<plan_id>"``
  overrides.  Dates: the issue date, else the year of the file name
  (``<place>_<year>``), else the period's first year (``date_source`` says which).
* :func:`target_escalation` — the child's targets against its parent's
  (same metric, domain, indicator subject, unit and per-year flag; for metrics
  other than the single-valued ones a similar label): raised / same /
  lowered, how strict the match is (``match``: same indicator, or same
  subject sampled at another level), and the parent's targets the child
  dropped and the child's own (added).  ``parent_issued_after`` (in every
  table that pairs a plan with its parent) says when the parent came later:
  then nothing the child wrote was a reaction to it.
  :func:`escalation_summary` counts them per plan or per level.
* :func:`task_adoption` — each parent task's best counterpart in the child:
  copied (most of its text shared word for word), adapted (similar, rewritten),
  dropped; child tasks with no parent counterpart are local additions.
  :func:`adoption_summary` gives the shares per plan.
* :func:`diffusion` — directed pairs earlier → later plan (by issue date;
  undated plans left out, see :func:`undated_plans`) with the text the later
  plan shares with the earlier one and with no earlier plan of a higher level:
  a candidate 'who copied whom' edge, never proof.

These are measures of wording and numbers, not of implementation: a page
excerpt that stops before the goals "drops" every target.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict

import numpy as np
import pandas as pd

from .. import config, schema
from ..rules.gazetteer import LEVELS, ancestors, division_of
from . import reuse as reuse_mod
from .task_pairs import TaskIndex, clipped, reuse_columns, shared_by_task, union_length

#: 0 for the nation, 3 for a county: a smaller rank is a higher level.
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
#: Metrics (and every pass-rate domain) that a plan states once: matched without a label test.
SINGLE_VALUED = ("pass_rate", "standard_consistency", "self_declaration", "quality_index")
#: Default thresholds (see the README, "Escalation and diffusion", for the score distributions behind them).
LABEL_SIMILARITY = config.LABEL_SIMILARITY
COPY_SHARE = config.COPY_SHARE
ADAPT_SCORE = config.ADAPT_SCORE
_YEAR_IN_NAME = re.compile(r"(?:^|_)((?:19|20)\d{2})(?:$|_)")


# --------------------------------------------------------------------------- lineage

def with_context(corpus, context):
    """``corpus`` plus the plans of ``context``, another corpus: plans read for their place above or
    below the corpus' plans (a national plan, a province's), kept out of ``data/raw`` so that its
    tables stay its own.

    A plan_id already in ``corpus`` keeps the corpus' plan.  The project ships
    ``data/context/`` (page excerpts, see its ``SOURCES.md``) for notebook 05::

        corpus = pc.escalation.with_context(corpus, pc.load_corpus("data/context", workers=1))

    The analysis takes corpora, it does not read folders (loading is :mod:`policycompare.run.load`).
    """
    if not hasattr(context, "plan_ids"):
        raise TypeError("with_context takes a corpus, not a folder: "
                        "with_context(corpus, pc.load_corpus(folder, workers=1))")
    plans = list(corpus) + [plan for plan in context if plan.plan_id not in corpus]
    return type(corpus)(plans, [*corpus.errors, *context.errors])


def _plan_dates(plans: pd.DataFrame) -> pd.DataFrame:
    """plan_id, date_lo, date_hi (Timestamps; NaT when unknown), date_source."""
    rows = []
    for plan_id, issued, start in zip(plans["plan_id"], plans["issued_date"], plans["period_start"]):
        lo = hi = pd.NaT
        source = ""
        date = pd.to_datetime(str(issued), errors="coerce", format="%Y-%m-%d") if issued else pd.NaT
        if pd.notna(date):
            lo = hi = date
            source = "issued_date"
        else:
            m = _YEAR_IN_NAME.search(str(plan_id))
            year = int(m.group(1)) if m else (int(start) if pd.notna(start) else None)
            if year:
                lo, hi = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
                source = "file_name" if m else "period_start"
        rows.append({"plan_id": plan_id, "date_lo": lo, "date_hi": hi, "date_source": source})
    return pd.DataFrame(rows, columns=["plan_id", "date_lo", "date_hi", "date_source"])


def _pick_parent(child: dict, candidates: list[dict]) -> tuple[dict, object]:
    """The candidate issued last not after the child, else the nearest in time; and whether it is earlier.

    Dates known to the year only are intervals: a candidate of the child's own
    year may be earlier (it is taken) but is not known to be (``pd.NA``).
    """
    if pd.isna(child["date_lo"]):
        dated = [c for c in candidates if pd.notna(c["date_lo"])]
        pick = max(dated, key=lambda c: (c["date_lo"], c["plan_id"])) if dated else min(candidates, key=lambda c: c["plan_id"])
        return pick, pd.NA
    dated = [c for c in candidates if pd.notna(c["date_lo"])]
    if not dated:
        return min(candidates, key=lambda c: c["plan_id"]), pd.NA
    possible = [c for c in dated if c["date_lo"] <= child["date_lo"] and c["plan_id"] != child["plan_id"]]
    if possible:
        pick = max(possible, key=lambda c: (c["date_lo"], c["date_hi"], c["plan_id"]))
    else:
        mid = child["date_lo"] + (child["date_hi"] - child["date_lo"]) / 2
        pick = min(dated, key=lambda c: (abs(c["date_lo"] + (c["date_hi"] - c["date_lo"]) / 2 - mid), c["plan_id"]))
    return pick, _earlier(pick, child)


def _issued_after(parent: dict, child: dict) -> object:
    """True when the parent is known to be issued after the child (its earliest date after the child's
    latest), False when it is known not to be, NA when a date is unknown or the two intervals overlap."""
    if pd.isna(parent["date_lo"]) or pd.isna(child["date_lo"]):
        return pd.NA
    if parent["date_lo"] > child["date_hi"]:
        return True
    if parent["date_hi"] <= child["date_lo"]:
        return False
    return pd.NA


def _earlier(parent: dict, child: dict) -> object:
    """True / False when the parent is known to be issued before / after the child; NA when unknown."""
    if pd.isna(parent["date_lo"]) or pd.isna(child["date_lo"]):
        return pd.NA
    if parent["date_hi"] < child["date_lo"]:
        return True
    if parent["date_lo"] > child["date_hi"] or parent["date_lo"] == child["date_lo"] == child["date_hi"] == parent["date_hi"]:
        return False
    return pd.NA


def lineage(corpus) -> pd.DataFrame:
    """One row per plan: its ancestors in the gazetteer, its date and its parent plan.

    The parent is the nearest ancestor (prefecture, province, then the nation)
    that has a plan in the corpus; among several plans of that ancestor, the
    latest issued before the child, else the nearest in time
    (``parent_earlier`` False; ``parent_issued_after`` True when the parent is
    known to be issued after the plan: the plan could not follow a target that
    did not exist yet).  A sidecar ``parent = "<plan_id>"`` overrides
    (``parent_source`` = ``sidecar``).  A plan whose jurisdiction is not in the
    gazetteer has the nation as its only ancestor.  Computed once per corpus
    (every escalation table starts from it); a copy is returned.
    """
    if corpus not in _LINEAGE:
        _LINEAGE[corpus] = _lineage(corpus)
    return _LINEAGE[corpus].copy()


_LINEAGE: "weakref.WeakKeyDictionary[object, pd.DataFrame]" = weakref.WeakKeyDictionary()


def _lineage(corpus) -> pd.DataFrame:
    plans = corpus.plans
    dates = _plan_dates(plans).set_index("plan_id")
    info = {}
    for row in plans.itertuples():
        chain: list[tuple[str, str, str]] = []  # (key, name, level), nearest first
        level = str(row.level)
        if level != "national":
            div = division_of(str(row.jurisdiction), str(row.province), level) if row.jurisdiction else None
            if div is not None:
                chain = [(d.adcode, d.name, d.level) for d in ancestors(div.adcode)]
            chain.append(("national", "中国", "national"))
        info[row.plan_id] = {
            "plan_id": row.plan_id, "jurisdiction": str(row.jurisdiction), "level": level,
            "key": "national" if level == "national" else (div.adcode if level and div is not None else ""),
            "chain": chain, **dates.loc[row.plan_id].to_dict(),
        }
    by_key: dict[str, list[dict]] = defaultdict(list)
    for item in info.values():
        if item["key"]:
            by_key[item["key"]].append(item)
    rows = []
    for plan_id, item in info.items():
        parent, earlier, source, note = None, pd.NA, "", ""
        override = corpus[plan_id].metadata.get("parent") if plan_id in corpus else None
        if override:
            if override in info and override != plan_id:
                parent, source = info[override], "sidecar"
                earlier = _earlier(parent, item)
            else:
                note = f"sidecar parent {override!r} is not a plan of the corpus"
        if parent is None:
            for key, _, _ in item["chain"]:
                if by_key.get(key):
                    parent, earlier = _pick_parent(item, by_key[key])
                    source = "gazetteer"
                    break
        rows.append({
            "plan_id": plan_id, "jurisdiction": item["jurisdiction"], "level": item["level"],
            "ancestors": " > ".join(name for _, name, _ in item["chain"]),
            "plan_date": _date_text(item), "date_source": item["date_source"],
            "parent_id": parent["plan_id"] if parent else "",
            "parent_jurisdiction": parent["jurisdiction"] if parent else "",
            "parent_level": parent["level"] if parent else "",
            "parent_date": _date_text(parent) if parent else "",
            "parent_earlier": earlier,
            "parent_issued_after": _issued_after(parent, item) if parent else pd.NA,
            "parent_source": source, "note": note,
        })
    return schema.check("lineage", schema.frame("lineage", rows))


def _date_text(item: dict) -> str:
    if pd.isna(item["date_lo"]):
        return ""
    if item["date_source"] == "issued_date":
        return item["date_lo"].strftime("%Y-%m-%d")
    return str(item["date_lo"].year)


def _pairs(corpus, pairs=None) -> pd.DataFrame:
    """Child–parent pairs of :func:`lineage` (children with a parent only); with ``pairs``, those
    (plan_id, reference_id) pairs instead, any two plans, with lineage's columns (the reference as the parent)."""
    table = lineage(corpus)
    if pairs is None:
        return table[table["parent_id"] != ""]
    rows = table.set_index("plan_id", drop=False)
    dates = _plan_dates(corpus.plans).set_index("plan_id")
    out = []
    for plan_id, reference_id in pairs:
        for name in (plan_id, reference_id):
            corpus[name]  # a KeyError naming the known plans when it is not one
        child, ref = rows.loc[plan_id].to_dict(), rows.loc[reference_id]
        when = {k: {"plan_id": k, **dates.loc[k].to_dict()} for k in (plan_id, reference_id)}
        out.append({**child, "parent_id": reference_id, "parent_jurisdiction": ref["jurisdiction"],
                    "parent_level": ref["level"], "parent_date": ref["plan_date"],
                    "parent_earlier": _earlier(when[reference_id], when[plan_id]),
                    "parent_issued_after": _issued_after(when[reference_id], when[plan_id]),
                    "parent_source": child["parent_source"] if child["parent_id"] == reference_id else "given",
                    "note": ""})
    return schema.frame("lineage", out)


def pair_lineage(corpus, pairs) -> pd.DataFrame:
    """:func:`lineage`'s columns for the given (plan_id, reference_id) pairs, any two plans: the reference
    stands in the parent's place (``parent_issued_after``: it was issued after the plan)."""
    return _pairs(corpus, list(pairs)).reset_index(drop=True)


# --------------------------------------------------------------------------- targets

def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def label_similarity(a: str, b: str) -> float:
    """Dice coefficient of the labels' character bigrams (0–1).

    Examples:
        >>> round(label_similarity("消费品质量监督抽查合格率", "产品质量监督抽查合格率"), 2)
        0.86
    """
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 0.0


_KEYS = ("metric", "domain", "indicator_subject", "unit", "per_year")
#: How strictly a matched pair compares the same thing, strictest first: the same indicator (subject and
#: sampling level agree: 消费品质量国家监督抽查合格率 both), or the same subject sampled at different levels
#: (国家监督抽查 / 省级以上监督抽查).  Targets of different subjects are never matched.
MATCHES = ("same_indicator", "same_subject")


def _records(frame: pd.DataFrame) -> list[tuple[object, dict]]:
    """(index label, row as a dict) of each row of ``frame``."""
    return list(zip(frame.index.tolist(), frame.to_dict("records")))


def _match_targets(parent, child, threshold: float) -> list[tuple[object, object, float, str]]:
    """One-to-one pairs (parent row, child row, label similarity, match), the same indicator before the
    same subject, then most similar labels first.

    ``parent`` and ``child``: DataFrames of targets, or their :func:`_records`.
    """
    if isinstance(parent, pd.DataFrame):
        parent = _records(parent)
    if isinstance(child, pd.DataFrame):
        child = _records(child)
    by_key: dict[tuple, list[tuple[object, dict]]] = defaultdict(list)
    for c, row in child:
        by_key[tuple(row[k] for k in _KEYS)].append((c, row))
    pairs = []
    for p, row in parent:
        for c, other in by_key.get(tuple(row[k] for k in _KEYS), ()):
            sim = label_similarity(row["label"], other["label"])
            if row["metric"] in SINGLE_VALUED or row["domain"] != "" or sim >= threshold:
                rank = 0 if row["indicator_sampling"] == other["indicator_sampling"] else 1
                pairs.append((rank, -sim, p, c, sim))
    pairs.sort(key=lambda t: t[:4])
    used_p, used_c, out = set(), set(), []
    for rank, _, p, c, sim in pairs:
        if p not in used_p and c not in used_c:
            used_p.add(p)
            used_c.add(c)
            out.append((p, c, round(float(sim), 4), MATCHES[rank]))
    return out


def _direction(parent_value: float, child_value: float) -> str:
    if np.isclose(parent_value, child_value):
        return "same"
    return "raised" if child_value > parent_value else "lowered"


def target_escalation(corpus, *, label_threshold: float = LABEL_SIMILARITY, pairs=None) -> pd.DataFrame:
    """Each plan's targets against its parent's: raised, same, lowered, dropped, added.

    Targets (first mentions) match when metric, domain, indicator subject
    (消费品, 工业产品 …: different subjects are different series, never compared),
    unit and the per-year flag agree and, except for the single-valued metrics
    (:data:`SINGLE_VALUED` and every pass-rate domain), the labels' bigram Dice
    is at least ``label_threshold``; each target is matched once, the same
    indicator (sampling level too) before the same subject, then the most
    similar labels first.  ``match`` says which (:data:`MATCHES`).
    ``parent_issued_after`` (from :func:`lineage`) is True when the parent was
    issued after the plan: a "lowered" or "dropped" is then no choice of the
    plan's, whose parent did not exist yet.  ``difference`` = child − parent value; ``direction`` compares the
    values (raised = a higher number); ``stricter`` says whether the child's
    number is the more demanding one (a higher number, or a lower one when
    both set a ceiling, ``<=``).  Parent targets without a counterpart are
    ``dropped``, the child's own ``added``.  ``pairs``: (plan_id, reference_id)
    pairs to compare instead of each plan with its parent (any two plans; the reference is the "parent").
    """
    targets = corpus.targets
    first = targets[targets["mention"] == 1]
    by_plan: dict[str, list[tuple[object, dict]]] = defaultdict(list)
    for label, row in _records(first):
        by_plan[row["plan_id"]].append((label, row))
    rows = []
    for pair in _pairs(corpus, pairs).itertuples():
        parent_rows, child_rows = by_plan.get(pair.parent_id, []), by_plan.get(pair.plan_id, [])
        parent, child = dict(parent_rows), dict(child_rows)
        matched = _match_targets(parent_rows, child_rows, label_threshold)
        base = {"plan_id": pair.plan_id, "jurisdiction": pair.jurisdiction, "level": pair.level,
                "parent_id": pair.parent_id, "parent_jurisdiction": pair.parent_jurisdiction,
                "parent_level": pair.parent_level, "parent_issued_after": pair.parent_issued_after}
        seen_p = {p for p, _, _, _ in matched}
        seen_c = {c for _, c, _, _ in matched}
        for p, c, sim, match in matched:
            prow, crow = parent[p], child[c]
            difference = round(float(crow["value"]) - float(prow["value"]), 6)
            direction = _direction(float(prow["value"]), float(crow["value"]))
            ceiling = prow["comparator"] == "<=" and crow["comparator"] == "<="
            stricter = pd.NA if direction == "same" else (direction == "lowered") == ceiling
            rows.append({**base, **_side(prow, "parent_"), **_side(crow, ""), "match": match,
                         "label_similarity": sim, "difference": difference, "direction": direction,
                         "stricter": stricter})
        for p in sorted(set(parent) - seen_p):
            rows.append({**base, **_side(parent[p], "parent_"), "direction": "dropped"})
        for c in sorted(set(child) - seen_c):
            rows.append({**base, **_side(child[c], ""), "direction": "added"})
    out = schema.frame("target_escalation", rows)
    order = out["direction"].map({d: i for i, d in enumerate(DIRECTIONS)})
    out = out.assign(_o=order).sort_values(["plan_id", "_o", "metric", "parent_target_id", "target_id"],
                                           kind="stable").drop(columns="_o")
    return schema.check("target_escalation", out.reset_index(drop=True))


#: The values of ``direction``, in the order of the tables and figures.
DIRECTIONS = ("raised", "same", "lowered", "dropped", "added")


def _side(row: dict, prefix: str) -> dict:
    """The columns one side (parent or child) contributes to a row of :func:`target_escalation`."""
    out = {"metric": row["metric"], "domain": row["domain"], "indicator_subject": row["indicator_subject"],
           "unit": row["unit"]}
    out.update({prefix + "indicator_sampling": row["indicator_sampling"],
                prefix + "target_id": row["target_id"], prefix + "label": row["label"],
                prefix + "value": row["value"], prefix + "comparator": row["comparator"],
                prefix + "deadline_year": row["deadline_year"]})
    return out


def escalation_summary(corpus, *, by: str = "plan", label_threshold: float = LABEL_SIMILARITY,
                       table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts of raised, same, lowered, dropped and added targets per plan (``by="plan"``) or per level.

    Per plan: every plan with a parent is a row (zeros included).  Per level:
    one row per pair of levels (level of the plan, level of its parent) with
    the number of plans and how many of them have a parent issued after them
    (``parent_later_plans``: their counts are no choice against the parent).
    ``table``: a :func:`target_escalation` already computed.
    """
    if by not in ("plan", "level"):
        raise ValueError("by must be 'plan' or 'level'")
    if table is None:
        table = target_escalation(corpus, label_threshold=label_threshold)
    pairs = _pairs(corpus)
    counts = (table.groupby(["plan_id", "direction"]).size().unstack(fill_value=0)
              .reindex(index=pairs["plan_id"], columns=list(DIRECTIONS), fill_value=0).fillna(0).astype("int64"))
    counts.columns.name = None
    out = pairs[["plan_id", "jurisdiction", "level", "parent_id", "parent_level", "parent_issued_after"]].set_index(
        "plan_id").join(counts)
    out = out.reset_index()
    out["matched"] = out["raised"] + out["same"] + out["lowered"]
    if by == "plan":
        return schema.check("escalation_summary", schema.frame("escalation_summary", out.to_dict("records")))
    out["parent_later"] = out["parent_issued_after"].fillna(False).astype(bool).astype("int64")
    grouped = out.groupby(["level", "parent_level"], sort=False)
    level_rows = grouped[[*DIRECTIONS, "matched"]].sum()
    level_rows.insert(0, "parent_later_plans", grouped["parent_later"].sum())
    level_rows.insert(0, "plans", grouped.size())
    level_rows = level_rows.reset_index()
    level_rows = level_rows.sort_values(["level", "parent_level"], key=lambda s: s.map(LEVEL_RANK), kind="stable")
    return schema.check("escalation_by_level", schema.frame("escalation_by_level", level_rows.to_dict("records")))


def target_levels(corpus, *, metric: str = "pass_rate", domain: str | None = None,
                  subject: str | None = "consumer_goods") -> pd.DataFrame:
    """Every plan's first target of ``metric`` (``domain``, ``subject``) with its parent's value, highest level first.

    ``subject``: the indicator subject compared (``consumer_goods`` by default:
    消费品质量…; ``None`` takes each plan's first target whatever it measures,
    and its subject is in ``indicator_subject``).  Columns: plan_id,
    jurisdiction, level, indicator_subject, indicator_sampling, value,
    comparator, parent_id, parent_jurisdiction, parent_value, match, direction
    (from :func:`target_escalation`; empty for a plan without a parent or a
    parent without a target of the same subject; ``parent_value`` is then
    empty too), parent_issued_after (the parent came later: a direction is
    then no choice of the plan's).  Plans that set no such target are left out.
    """
    return target_levels_of(corpus.targets, corpus.plans, lineage(corpus), target_escalation(corpus),
                            metric=metric, domain=domain, subject=subject)


def target_levels_of(targets: pd.DataFrame, plans: pd.DataFrame, lineage_table: pd.DataFrame,
                     escalation_table: pd.DataFrame, *, metric: str = "pass_rate", domain: str | None = None,
                     subject: str | None = "consumer_goods") -> pd.DataFrame:
    """:func:`target_levels` from tables already built (a run's ``targets``, ``plans``, ``lineage`` and
    ``target_escalation``, or read back from its files): the same rows in the same order."""
    first = targets[(targets["mention"] == 1) & (targets["metric"] == metric)]
    if domain is not None:
        first = first[first["domain"] == domain]
    if subject is not None:
        first = first[first["indicator_subject"] == subject]
    first = first.drop_duplicates("plan_id")
    plans = plans.set_index("plan_id")
    pairs = lineage_table.set_index("plan_id")
    escal = escalation_table
    escal = escal[escal["target_id"].isin(first["target_id"])].set_index("target_id")
    rows = []
    for row in first.itertuples():
        parent = pairs.at[row.plan_id, "parent_id"]
        parent = "" if pd.isna(parent) else parent  # a table read back from a file: NaN for no parent
        hit = escal.loc[row.target_id] if row.target_id in escal.index else None
        matched = hit is not None and hit["direction"] in ("raised", "same", "lowered")
        rows.append({
            "plan_id": row.plan_id, "jurisdiction": plans.at[row.plan_id, "jurisdiction"],
            "level": plans.at[row.plan_id, "level"], "indicator_subject": row.indicator_subject,
            "indicator_sampling": row.indicator_sampling, "value": row.value, "comparator": row.comparator,
            "parent_id": parent, "parent_jurisdiction": pairs.at[row.plan_id, "parent_jurisdiction"],
            "parent_value": float(hit["parent_value"]) if matched else np.nan,
            "match": hit["match"] if matched else "",
            "direction": hit["direction"] if matched else "",
            "parent_issued_after": pairs.at[row.plan_id, "parent_issued_after"] if parent else pd.NA,
        })
    out = pd.DataFrame(rows, columns=list(TARGET_LEVEL_COLUMNS))
    out["parent_issued_after"] = out["parent_issued_after"].astype("boolean")
    out = out.sort_values(["level", "value", "plan_id"], key=lambda s: s.map(LEVEL_RANK) if s.name == "level" else s,
                          kind="stable")
    return out.reset_index(drop=True)


#: Columns of :func:`target_levels`.
TARGET_LEVEL_COLUMNS = ("plan_id", "jurisdiction", "level", "indicator_subject", "indicator_sampling", "value",
                        "comparator", "parent_id", "parent_jurisdiction", "parent_value", "match", "direction",
                        "parent_issued_after")


# --------------------------------------------------------------------------- tasks

def task_adoption(corpus, *, copy_share: float = COPY_SHARE, adapt_score: float = ADAPT_SCORE,
                  reuse: pd.DataFrame | None = None, pairs=None) -> pd.DataFrame:
    """For each task of a parent plan, its counterpart in the child; the child's own tasks as additions.

    ``status``: ``copied`` when at least ``copy_share`` of the parent task's
    characters stand in passages shared word for word with the child
    (:func:`policycompare.analyze.reuse.text_reuse`); ``adapted`` when its best child
    task scores at least ``adapt_score`` (TF-IDF cosine); else ``dropped``.
    A child task that neither copies ``copy_share`` of its own text from the
    parent nor scores ``adapt_score`` with any parent task is ``added``.
    ``task_id`` is the child task holding most of the shared text (copied)
    or the best-scoring one; ``shared_chars`` are the parent task's characters
    shared with the child plan (for ``added`` rows: the child task's shared with the parent),
    ``share`` their part of the task.  ``pairs``: (plan_id, reference_id) pairs instead of each plan
    with its parent (any two plans; ``reuse`` must then hold their passages: ``text_reuse`` keeps
    each plan's closest partners only).
    """
    pairs = _pairs(corpus, pairs)
    if reuse is None:
        reuse = reuse_mod.text_reuse(corpus)
    titles = corpus.tasks.set_index("task_id")["title"].to_dict()
    by_plan = {p: g for p, g in corpus.tasks.groupby("plan_id", sort=False)}
    groups = reuse.groupby(["plan_a", "plan_b"], sort=False).indices if len(reuse) else {}
    index = TaskIndex(corpus)
    columns = reuse_columns(reuse)
    rows = []
    for pair in pairs.itertuples():
        parent_tasks, child_tasks = by_plan.get(pair.parent_id), by_plan.get(pair.plan_id)
        if parent_tasks is None or child_tasks is None:
            continue
        ra, rb, sc = index.scores(pair.parent_id, pair.plan_id)
        order = np.lexsort((index.key[rb], index.key[ra], -sc))  # best first, ties by task ids
        ra, rb, sc = ra[order], rb[order], sc[order]
        ta, tb, sc = index.ids[ra], index.ids[rb], sc.tolist()
        first_a, first_b = np.unique(ra, return_index=True)[1], np.unique(rb, return_index=True)[1]
        best_child = {ta[i]: (tb[i], sc[i]) for i in first_a.tolist()}
        best_parent = {tb[i]: (ta[i], sc[i]) for i in first_b.tolist()}
        score_of = dict(zip(zip(ta.tolist(), tb.tolist()), sc))
        p_int, c_int, held = shared_by_task(reuse, groups, pair.parent_id, pair.plan_id, columns)
        base = {"plan_id": pair.plan_id, "parent_id": pair.parent_id, "parent_issued_after": pair.parent_issued_after}
        for task in parent_tasks.itertuples():
            n = task.char_end - task.char_start
            shared = clipped(p_int.get(task.task_id, []), task.char_start, task.char_end)
            share = round(shared / n, 4) if n else 0.0
            holders = held.get(task.task_id, {})
            if share >= copy_share and holders:
                child = max(holders, key=lambda b: (holders[b], b))
                status = "copied"
            elif task.task_id in best_child:
                child, best = best_child[task.task_id]
                status = "adapted" if best >= adapt_score else "dropped"
            else:
                child, status = "", "dropped"
            rows.append({**base, "status": status, "parent_task": task.task_id,
                         "task_id": child if status != "dropped" else "",
                         "score": score_of.get((task.task_id, child), 0.0) if child else 0.0,
                         "shared_chars": shared, "share": share, "parent_title": task.title,
                         "title": titles[child] if child and status != "dropped" else ""})
        for task in child_tasks.itertuples():
            n = task.char_end - task.char_start
            shared = clipped(c_int.get(task.task_id, []), task.char_start, task.char_end)
            share = round(shared / n, 4) if n else 0.0
            best = best_parent.get(task.task_id, ("", 0.0))[1]
            if share < copy_share and best < adapt_score:
                rows.append({**base, "status": "added", "parent_task": "", "task_id": task.task_id,
                             "score": float(best), "shared_chars": shared, "share": share,
                             "parent_title": "", "title": task.title})
    out = schema.frame("task_adoption", rows)
    return schema.check("task_adoption", out)


#: The values of ``status`` in :func:`task_adoption`, in the order of the tables and figures.
STATUSES = ("copied", "adapted", "dropped", "added")


def adoption_summary(corpus, *, table: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """Per plan with a parent: parent tasks copied, adapted, dropped; tasks added; shares.

    ``adoption_share`` = (copied + adapted) / parent tasks; ``local_share`` =
    added / the plan's tasks.  Options as :func:`task_adoption`; ``table``: a
    :func:`task_adoption` already computed.
    """
    if table is None:
        table = task_adoption(corpus, **options)
    pairs = _pairs(corpus)
    counts = (table.groupby(["plan_id", "status"]).size().unstack(fill_value=0)
              .reindex(index=pairs["plan_id"], columns=list(STATUSES), fill_value=0).fillna(0).astype("int64"))
    counts.columns.name = None
    n_tasks = corpus.tasks.groupby("plan_id").size()
    out = pairs[["plan_id", "parent_id", "parent_issued_after"]].set_index("plan_id").join(counts).reset_index()
    out["parent_tasks"] = out["parent_id"].map(n_tasks).fillna(0).astype("int64")
    out["tasks"] = out["plan_id"].map(n_tasks).fillna(0).astype("int64")
    out["adoption_share"] = ((out["copied"] + out["adapted"]) / out["parent_tasks"].clip(lower=1)).round(4)
    out["local_share"] = (out["added"] / out["tasks"].clip(lower=1)).round(4)
    return schema.check("adoption_summary", schema.frame("adoption_summary", out.to_dict("records")))


# --------------------------------------------------------------------------- diffusion

def undated_plans(corpus) -> pd.DataFrame:
    """Plans left out of :func:`diffusion`: no issue date (columns plan_id, jurisdiction, level)."""
    plans = corpus.plans
    dates = pd.to_datetime(plans["issued_date"].astype(str), errors="coerce", format="%Y-%m-%d")
    return plans.loc[dates.isna().to_numpy(), ["plan_id", "jurisdiction", "level"]].reset_index(drop=True)


def _relation(earlier: str, later: str, parents: dict[str, str], provinces: dict[str, str]) -> str:
    if parents.get(later) == earlier:
        return "parent"
    seen, node = set(), parents.get(later, "")
    while node and node not in seen:
        if node == earlier:
            return "ancestor"
        seen.add(node)
        node = parents.get(node, "")
    if parents.get(earlier) == later:
        return "child"
    if provinces.get(earlier) and provinces.get(earlier) == provinces.get(later):
        return "same_province"
    return "other"


def diffusion(corpus, *, reuse: pd.DataFrame | None = None) -> pd.DataFrame:
    """Directed edges earlier → later plan with the text the later plan may have taken from the earlier.

    From the rows of :func:`policycompare.analyze.reuse.text_reuse` (each plan's best
    partners), oriented by issue date; plans without an issue date are left
    out (:func:`undated_plans`) and so are pairs issued the same day.
    ``shared_chars`` is the union of the later plan's characters shared with
    the earlier plan; ``exclusive_chars`` leaves out those the later plan also
    shares with any plan issued before it at a higher level than the earlier
    plan (text both could have taken from above); ``exclusive_share`` divides
    by the later plan's length.  ``relation`` of the earlier plan to the
    later: parent, ancestor, child (the parent issued later), same_province,
    other.  A candidate 'who copied whom' edge, never proof: both may copy a
    source outside the corpus.
    """
    if reuse is None:
        reuse = reuse_mod.text_reuse(corpus)
    plans = corpus.plans.set_index("plan_id")
    dates = pd.to_datetime(plans["issued_date"].astype(str), errors="coerce", format="%Y-%m-%d")
    rank = plans["level"].map(LEVEL_RANK)
    # each row of ``reuse`` as numbers, oriented: the earlier plan, the later (places in the sorted names;
    # undated plans and same-day pairs drop out, as NaT compares false) and the span in the later plan
    names = reuse_mod.plans_named(reuse)
    place = {name: i for i, name in enumerate(names)}
    day = dates.reindex(pd.Index(names, dtype=plans.index.dtype)).to_numpy(dtype="datetime64[ns]")
    day = np.r_[day, np.datetime64("NaT", "ns")]  # a missing name (code -1): no date
    ia, ib = reuse_mod._lookup(reuse["plan_a"], place, -1), reuse_mod._lookup(reuse["plan_b"], place, -1)
    da, db = day[ia], day[ib]
    a_first, b_first = da < db, db < da
    early = np.concatenate([ia[a_first], ib[b_first]])
    late = np.concatenate([ib[a_first], ia[b_first]])
    start = np.concatenate([reuse["b_start"].to_numpy(dtype=np.int64)[a_first],
                            reuse["a_start"].to_numpy(dtype=np.int64)[b_first]])
    end = np.concatenate([reuse["b_end"].to_numpy(dtype=np.int64)[a_first],
                          reuse["a_end"].to_numpy(dtype=np.int64)[b_first]])
    order = np.lexsort((early, late))  # by later plan, then earlier plan (names in order); rows in table order
    early, late, start, end = early[order], late[order], start[order], end[order]
    lineage_table = lineage(corpus).set_index("plan_id")
    parents = lineage_table["parent_id"].to_dict()
    provinces = plans["province"].astype(str).to_dict()
    rows = []
    cuts = np.flatnonzero(np.r_[True, (late[1:] != late[:-1]) | (early[1:] != early[:-1]), True]) if len(late) else [0]
    by_later: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for lo, hi in zip(cuts[:-1], cuts[1:]):  # one (later, earlier) group each
        by_later.setdefault(int(late[lo]), {})[names[early[lo]]] = (lo, hi)
    for code, spans in by_later.items():
        later = names[code]
        by_source = {e: list(zip(start[lo:hi].tolist(), end[lo:hi].tolist())) for e, (lo, hi) in spans.items()}
        for earlier, intervals in by_source.items():
            above = [iv for other, ivs in by_source.items() if other != earlier
                     and pd.notna(rank.get(other)) and pd.notna(rank.get(earlier)) and rank[other] < rank[earlier]
                     for iv in ivs]
            shared = union_length(intervals)
            exclusive = shared - _overlap(intervals, above)
            n_chars = int(plans.at[later, "n_chars"])
            rows.append({
                "earlier_id": earlier, "later_id": later,
                "earlier_date": str(plans.at[earlier, "issued_date"]), "later_date": str(plans.at[later, "issued_date"]),
                "days": int((dates[later] - dates[earlier]).days),
                "earlier_level": plans.at[earlier, "level"], "later_level": plans.at[later, "level"],
                "relation": _relation(earlier, later, parents, provinces),
                "passages": len(intervals), "shared_chars": shared, "exclusive_chars": exclusive,
                "exclusive_share": round(exclusive / n_chars, 4) if n_chars else 0.0,
            })
    out = schema.frame("diffusion", rows)
    out = out.sort_values(["later_date", "later_id", "exclusive_chars", "earlier_id"],
                          ascending=[True, True, False, True], kind="stable")
    return schema.check("diffusion", out.reset_index(drop=True))


def _overlap(intervals: list[tuple[int, int]], others: list[tuple[int, int]]) -> int:
    """Characters of the union of ``intervals`` that the union of ``others`` also covers."""
    if not others:
        return 0
    return union_length(intervals) + union_length(others) - union_length(intervals + others)
