"""Cross-plan comparisons; each function takes a corpus and returns a tidy DataFrame."""

from __future__ import annotations

import pandas as pd

from . import schema

#: Metrics shown as columns of :func:`targets_by_metric`, in this order.
METRICS = ("pass_rate", "standard_consistency", "self_declaration", "brand", "award", "standards", "quality_index", "other")


def _first_mentions(corpus) -> pd.DataFrame:
    targets = corpus.targets
    return targets[targets["mention"] == 1]


def pass_rates(corpus) -> pd.DataFrame:
    """One row per plan: its supervision pass-rate threshold (NaN when it sets none).

    When a plan states several pass-rate targets, the first statement counts.
    """
    first = _first_mentions(corpus)
    first = first[first["metric"] == "pass_rate"].drop_duplicates("plan_id")
    plans = corpus.plans[["plan_id", "jurisdiction", "level"]]
    out = plans.merge(
        first[["plan_id", "value", "comparator", "stable", "deadline_year", "label", "sentence", "task_id", "target_id"]],
        on="plan_id", how="left",
    )
    out = out.rename(columns={"value": "threshold"})
    out["stable"] = out["stable"].astype("boolean")
    return schema.check("pass_rates", out.reset_index(drop=True))


def brand_counts(corpus) -> pd.DataFrame:
    """Brand and award targets per plan, one row each (restatements dropped)."""
    first = _first_mentions(corpus)
    cols = ["plan_id", "metric", "label", "value", "value_max", "unit", "comparator", "per_year",
            "deadline_year", "sentence", "task_id", "target_id"]
    out = first.loc[first["metric"].isin(["brand", "award"]), cols]
    out = out.sort_values(["plan_id", "metric", "target_id"], kind="stable").reset_index(drop=True)
    return schema.check("brand_counts", out)


def targets_by_metric(corpus) -> pd.DataFrame:
    """Plan × metric: number of distinct targets (restatements dropped); every plan is a row."""
    first = _first_mentions(corpus)
    table = pd.crosstab(first["plan_id"], first["metric"]) if len(first) else pd.DataFrame()
    table = table.reindex(index=corpus.plans["plan_id"], columns=list(METRICS), fill_value=0).fillna(0).astype("int64")
    table.columns.name = None
    return schema.check("targets_by_metric", table.reset_index())
