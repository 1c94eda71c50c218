"""The Summary sheet of the workbook: the comparisons a report quotes, each a small table of one printed page.

Made from the tables the run built (no corpus, no model): pass-rate thresholds
by indicator (``pass_rates``), brand and award counts per plan
(``brand_counts``), target escalation per plan (``escalation_summary``).  A
block whose table is missing or empty says so in its note line instead of
being left out, so the sheet always has the same three blocks.
"""

from __future__ import annotations

import pandas as pd

#: Summary blocks: (title, what it shows).
PASS_RATES = ("Pass-rate thresholds by indicator",
              "each plan's pass-rate threshold (%) by indicator subject, highest first within a subject (the plans"
              " that set none in one row); different subjects or sampling levels are different series")
BRANDS = ("Brand and award counts",
          "targets per plan counting brands (名牌, 商标, 品牌 …) and quality awards, with what each counts;"
          " the plans that set none in one row")
ESCALATION = ("Escalation per plan",
              "each plan's targets beside its parent plan's (same indicator): raised, same, lowered; dropped"
              " (the parent's, not in the plan), added (the plan's own)")


#: Plans without a pass-rate threshold named on the Summary sheet (the rest are counted).
MAX_NAMED = 60


def _named(plans: list[str], csv: str) -> str:
    """Plan ids, the first :data:`MAX_NAMED` of them and how many more (never a silent cut)."""
    more = len(plans) - MAX_NAMED
    return ", ".join(plans[:MAX_NAMED]) + (f" and {more:,} more ({csv})" if more > 0 else "")


def _number(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:g}"


def pass_rate_block(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Pass-rate thresholds, one indicator subject after another (consumer goods first), highest first."""
    rates = tables.get("pass_rates", pd.DataFrame())
    columns = ["indicator_subject", "indicator_sampling", "plan_id", "jurisdiction", "level", "threshold",
               "deadline_year", "label"]
    if not len(rates):
        return pd.DataFrame(columns=columns)
    rates = rates.reindex(columns=columns).copy()
    rates["indicator_subject"] = rates["indicator_subject"].fillna("").astype(str)
    has = rates[rates["threshold"].notna()].copy()
    has["_order"] = [0 if s == "consumer_goods" else 1 for s in has["indicator_subject"]]
    has = has.sort_values(["_order", "indicator_subject", "threshold", "plan_id"], ascending=[True, True, False, True],
                          kind="stable").drop(columns="_order")
    setting = set(has["plan_id"])
    none = list(dict.fromkeys(p for p in rates["plan_id"] if p not in setting))
    records = has.to_dict("records")
    if none:  # the plans that set none: one row naming them
        records.append({"indicator_subject": "(none set)", "plan_id": f"{len(none):,} plan(s)",
                        "label": _named(none, "pass_rates.csv")})
    return pd.DataFrame(records, columns=columns)


def brand_block(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per plan: how many brand and award targets it sets, and what each counts (label, value, unit)."""
    counts = tables.get("brand_counts", pd.DataFrame(columns=["plan_id", "metric", "label", "value", "unit"]))
    plans = tables.get("plans", pd.DataFrame(columns=["plan_id", "jurisdiction", "level"]))
    ids = list(dict.fromkeys([*plans["plan_id"].tolist(), *counts["plan_id"].tolist()]))
    where = plans.drop_duplicates("plan_id").set_index("plan_id").reindex(ids)
    block = pd.DataFrame({"plan_id": ids,
                          "jurisdiction": where["jurisdiction"].tolist() if "jurisdiction" in where else "",
                          "level": where["level"].tolist() if "level" in where else ""})
    items = [f"{label} {_number(value)}{'' if pd.isna(unit) else unit}"
             for label, value, unit in zip(counts["label"], counts["value"], counts["unit"])]
    counts = counts.assign(_item=items)
    for metric in ("brand", "award"):
        by_plan = counts[counts["metric"] == metric].groupby("plan_id", sort=False)["_item"]
        block[f"{metric}_targets"] = block["plan_id"].map(by_plan.size()).fillna(0).astype("int64")
        block[f"{metric}s"] = block["plan_id"].map(by_plan.agg("；".join)).astype(object).fillna("")
    block = block[["plan_id", "jurisdiction", "level", "brand_targets", "award_targets", "brands", "awards"]]
    none = (block["brand_targets"] == 0) & (block["award_targets"] == 0)
    if not none.any():
        return block
    records = block[~none].to_dict("records")
    records.append({"plan_id": f"{int(none.sum()):,} plan(s)", "jurisdiction": "(none set)", "level": "",
                    "brand_targets": 0, "award_targets": 0, "brands": _named(block.loc[none, "plan_id"].tolist(),
                                                                              "brand_counts.csv"), "awards": ""})
    return pd.DataFrame(records, columns=block.columns)


def escalation_block(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``escalation_summary`` as it is: one row per plan with a parent plan in the corpus."""
    columns = ["plan_id", "jurisdiction", "level", "parent_id", "parent_level", "parent_issued_after", "raised",
               "same", "lowered", "dropped", "added", "matched"]
    table = tables.get("escalation_summary", pd.DataFrame(columns=columns))
    return table.reindex(columns=[c for c in columns if c in table.columns]).reset_index(drop=True)


def summary_blocks(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, pd.DataFrame]]:
    """The Summary sheet's blocks: (title, a line saying what it shows, the table)."""
    blocks = []
    for (title, note), block, empty in (
            (PASS_RATES, pass_rate_block(tables), "no plan sets a pass-rate threshold"),
            (BRANDS, brand_block(tables), "no plans"),
            (ESCALATION, escalation_block(tables), "no plan of this corpus has its parent plan in the corpus:"
                                                    " there is nothing to compare")):
        blocks.append((title, note if len(block) else f"{note}. None here: {empty}.", block))
    return blocks
