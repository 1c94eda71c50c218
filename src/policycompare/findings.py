"""Sentences the notebooks print about a corpus, computed from its tables.

A notebook that states a result in prose (灵武 92%、四川 91.5% …) would
contradict its own tables after a rerun with a new plan; these functions
write those sentences from the tables instead (Chinese, then English).
"""

from __future__ import annotations


def _join(items: list[str], sep: str = "、") -> str:
    return sep.join(items) if items else "—"


def overview_findings(corpus) -> str:
    """How many plans of which level, how many tasks, which plan has the most (Chinese, then English)."""
    plans = corpus.plans
    if plans.empty:
        return "没有规划。\nNo plans."
    from .figures import plan_labels

    labels = plan_labels(plans)
    levels = plans["level"].replace("", "unknown").value_counts()
    zh_levels = {"national": "国家级", "province": "省级", "prefecture": "地级", "county": "县级", "unknown": "层级不明"}
    top = plans.sort_values(["n_tasks", "plan_id"], ascending=[False, True]).iloc[0]
    zh = (f"共 {len(plans)} 个规划（" + "、".join(f"{zh_levels.get(k, k)} {v}" for k, v in levels.items()) +
          f"），{int(plans['n_tasks'].sum())} 项任务；任务最多的是{labels[top['plan_id']]}（{int(top['n_tasks'])} 项）。")
    en = (f"{len(plans)} plans (" + ", ".join(f"{v} {k}" for k, v in levels.items()) +
          f"), {int(plans['n_tasks'].sum())} tasks; the most tasks: {top['plan_id']} ({int(top['n_tasks'])}).")
    return zh + "\n" + en


def pass_rate_findings(corpus) -> str:
    """Each plan's pass-rate threshold, highest first, and the plans that set none (Chinese, then English)."""
    from . import compare
    from .figures import plan_labels

    rates = compare.pass_rates(corpus)
    labels = plan_labels(corpus.plans)
    rates = rates.assign(label=rates["plan_id"].map(labels))
    has = rates[rates["threshold"].notna()].sort_values(["threshold", "label"], ascending=[False, True], kind="stable")
    none = sorted(rates.loc[rates["threshold"].isna(), "label"])
    zh = "合格率目标：" + _join([f"{r.label} {r.threshold:g}%" for r in has.itertuples()])
    zh += f"；{_join(none)}没有设定合格率目标。" if none else "；每个规划都设定了合格率目标。"
    en = "Pass-rate thresholds: " + _join([f"{r.label} {r.threshold:g}%" for r in has.itertuples()], ", ")
    en += f"; no threshold: {_join(none, ', ')}." if none else "; every plan sets one."
    return zh + "\n" + en


def agency_findings(corpus, top: int = 3) -> str:
    """The agencies that lead, own or guide the most tasks, and in how many plans (Chinese, then English)."""
    from . import compare

    roles = compare.agency_roles(corpus)
    roles = roles[~roles["collective"].astype(bool)]
    roles = roles.assign(leading=roles["lead"] + roles["responsible"] + roles["guide"])
    totals = roles.groupby("agency_canonical").agg(tasks=("leading", "sum"), plans=("plan_id", "nunique"))
    totals = totals[totals["tasks"] > 0].sort_values(["tasks", "plans"], ascending=False, kind="stable").head(top)
    if totals.empty:
        return "没有任务写明牵头部门。\nNo task names a lead agency."
    zh = "牵头、负责或指导任务最多的部门：" + _join(
        [f"{a}（{int(r.tasks)} 项任务，{int(r.plans)} 个规划）" for a, r in totals.iterrows()]) + "。"
    en = "Agencies leading, owning or guiding the most tasks: " + _join(
        [f"{a} ({int(r.tasks)} tasks in {int(r.plans)} plans)" for a, r in totals.iterrows()], ", ") + "."
    return zh + "\n" + en


def sector_findings(corpus, top: int = 2) -> str:
    """The categories most plans name, and each plan's distinctive sector terms (Chinese, then English)."""
    from . import compare
    from .figures import plan_labels

    cov = compare.sector_coverage(corpus)
    named = cov[cov["mentions"] > 0].groupby("label_zh")["plan_id"].nunique().sort_values(ascending=False, kind="stable")
    labels = plan_labels(corpus.plans)
    distinct = compare.distinctive_sectors(corpus, top=top)
    local = [f"{labels[p]} {'、'.join(g['term'])}" for p, g in distinct.groupby("plan_id", sort=True)]
    zh = ("覆盖规划最多的领域：" + _join([f"{c}（{n} 个规划）" for c, n in named.head(3).items()]) +
          "；各规划的特色领域：" + _join(local, "；") + "。")
    en = ("Categories named by most plans: " + _join([f"{c} ({n} plans)" for c, n in named.head(3).items()], ", ") +
          "; distinctive sector terms: " + _join(local, "; ") + ".")
    return zh + "\n" + en
