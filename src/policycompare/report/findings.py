"""Sentences the notebooks show about a corpus, computed from its tables.

A notebook that states a result in prose (灵武 92%、四川 91.5% …) would
contradict its own tables after a rerun with a new plan; these functions
write those sentences from the tables instead: Chinese, then English (places,
agencies, sectors and indicators named in English through :mod:`.english`).
Every "most" or "highest" names each tied item, or says how many tie; a
comparison with a parent plan issued after the plan says so.  Each function
returns :class:`Findings`: a string (print it) that Jupyter shows as Markdown.
"""

from __future__ import annotations

import pandas as pd

from ..analyze import compare, escalation, reuse, similarity
from ..english import agency_en, plural, sampling_en, sector_en, subject_en

#: Level -> (Chinese, English adjective) in the overview.
LEVELS = {"national": ("国家级", "national"), "province": ("省级", "provincial"), "prefecture": ("地级", "prefecture-level"),
          "county": ("县级", "county-level"), "unknown": ("层级不明", "of unknown level")}
#: At most this many tied items are named; beyond, the sentence says how many tie and names the first ones.
MAX_NAMED = 12


class Findings(str):
    """Sentences in Chinese then English (pairs of lines: Chinese, English, Chinese, English …); shown as Markdown
    (one paragraph per line) in Jupyter."""

    def _repr_markdown_(self) -> str:
        return "\n\n".join(line for line in self.split("\n"))

    def _repr_pretty_(self, p, cycle) -> None:  # IPython's plain text: the sentences, not a quoted repr
        p.text(str(self))


def _findings(zh: str, en: str) -> Findings:
    return Findings(zh + "\n" + en)


def _join(items: list[str], sep: str = "、") -> str:
    return sep.join(items) if items else "—"


def _and(items: list[str]) -> str:
    """English list: a, b and c."""
    if len(items) <= 1:
        return "".join(items) or "—"
    return ", ".join(items[:-1]) + " and " + items[-1]


def _tied_top(values: pd.Series) -> pd.Series:
    """The items of ``values`` equal to its maximum (every tied item), in the series' order."""
    if values.empty:
        return values
    return values[values == values.max()]


def _named(items: list[str], lang: str) -> str:
    """Every item, or the first :data:`MAX_NAMED` and how many more (never a silent cut)."""
    shown = items[:MAX_NAMED]
    more = len(items) - len(shown)
    if lang == "en":
        return _and(shown + ([f"{more} more"] if more else []))
    return _join(shown) + (f" 等 {len(items)} 项" if more else "")


def _labels(corpus) -> tuple[dict[str, str], dict[str, str]]:
    # labels registers the CJK font with matplotlib: only sentences that name plans or subjects need it
    from .labels import plan_labels

    return plan_labels(corpus.plans), plan_labels(corpus.plans, "en")


def overview_findings(corpus) -> Findings:
    """How many plans of which level, how many tasks, which plans have the most (every tied plan)."""
    plans = corpus.plans
    if plans.empty:
        return _findings("没有规划。", "No plans.")
    zh_labels, en_labels = _labels(corpus)
    levels = plans["level"].replace("", "unknown").value_counts()
    n_tasks = plans.set_index("plan_id")["n_tasks"]
    top = _tied_top(n_tasks.sort_index())
    most = int(top.iloc[0])
    zh = (f"共 {len(plans)} 个规划（" + "、".join(f"{LEVELS.get(k, (k, k))[0]} {v}" for k, v in levels.items()) +
          f"），{int(n_tasks.sum())} 项任务；任务最多的是" + _named([zh_labels[p] for p in top.index], "zh") +
          f"（{'各 ' if len(top) > 1 else ''}{most} 项）。")
    en = (f"{plural(len(plans), 'plan')} (" + ", ".join(f"{v} {LEVELS.get(k, (k, k))[1]}" for k, v in levels.items()) +
          f"), {plural(int(n_tasks.sum()), 'task')}; the most tasks: " + _named([en_labels[p] for p in top.index], "en") +
          f" ({plural(most, 'task')}{' each' if len(top) > 1 else ''}).")
    return _findings(zh, en)


def _subject_zh(subject: str) -> str:
    # labels registers the CJK font with matplotlib: only sentences that name plans or subjects need it
    from .labels import subject_name

    return subject_name(subject) if subject else "未注明对象的"


def pass_rate_findings(corpus) -> Findings:
    """Each plan's pass-rate thresholds, one indicator subject at a time (消费品, 工业产品 … are different
    series), highest first with the sampling level, and the plans that set none."""
    # labels registers the CJK font with matplotlib: only sentences that name plans or subjects need it
    from .labels import sampling_name

    rates = compare.pass_rates(corpus)
    zh_labels, en_labels = _labels(corpus)
    has = rates[rates["threshold"].notna()]
    none = [p for p in dict.fromkeys(rates["plan_id"]) if p not in set(has["plan_id"])]
    order = list(dict.fromkeys(sorted(has["indicator_subject"], key=lambda s: (s != "consumer_goods", s == "", s))))
    zh_parts, en_parts = [], []
    for subject in order:
        group = has[has["indicator_subject"] == subject].assign(zh=lambda t: t["plan_id"].map(zh_labels))
        group = group.sort_values(["threshold", "zh"], ascending=[False, True], kind="stable")
        zh_items, en_items = [], []
        for row in group.itertuples():
            sampled_zh, sampled_en = sampling_name(row.indicator_sampling), sampling_en(row.indicator_sampling)
            zh_items.append(f"{zh_labels[row.plan_id]} {row.threshold:g}%" + (f"（{sampled_zh}）" if sampled_zh else ""))
            en_items.append(f"{en_labels[row.plan_id]} {row.threshold:g}%"
                            + (f" ({sampled_en} sampling)" if sampled_zh else ""))
        zh_parts.append(f"{_subject_zh(subject)}质量合格率：" + _join(zh_items))
        en_parts.append(f"{subject_en(subject) or 'unnamed products'}: " + ", ".join(en_items))
    zh = "合格率目标（不同对象分列，互不比较）——" + ("；".join(zh_parts) if zh_parts else "没有")
    zh += f"；{_join([zh_labels[p] for p in none])}没有设定合格率目标。" if none else "；每个规划都设定了合格率目标。"
    en = "Pass-rate thresholds (one indicator at a time, never compared across) — " + (
        "; ".join(en_parts) if en_parts else "none")
    en += f"; no threshold: {_and([en_labels[p] for p in none])}." if none else "; every plan sets one."
    return _findings(zh, en)


def agency_findings(corpus, top: int = 3) -> Findings:
    """The ``top`` agencies that lead, own or guide the most tasks, every agency tied with the last of them
    included, and in how many plans."""
    roles = compare.agency_roles(corpus)
    # collective words (各有关部门) and a bureau's internal divisions (质量处) are no agency of their own
    roles = roles[~roles["collective"].astype(bool) & ~roles["division"].astype(bool)]
    roles = roles.assign(leading=roles["lead"] + roles["responsible"] + roles["guide"])
    totals = roles.groupby("agency_canonical").agg(tasks=("leading", "sum"), plans=("plan_id", "nunique"))
    totals = totals[totals["tasks"] > 0].sort_values(["tasks", "plans"], ascending=False, kind="stable")
    if totals.empty:
        return _findings("没有任务写明牵头部门。", "No task names a lead agency.")
    cut = totals["tasks"].iloc[min(top, len(totals)) - 1]
    shown = totals[totals["tasks"] >= cut]  # the top ones and every agency tied with the last of them
    tie = len(shown) > top
    zh = "牵头、负责或指导任务最多的部门" + (f"（第 {top} 名并列，共 {len(shown)} 个）" if tie else "") + "：" + _join(
        [f"{a}（{int(r.tasks)} 项任务，{int(r.plans)} 个规划）" for a, r in shown.iterrows()]) + "。"
    en = ("Agencies leading, owning or guiding the most tasks" + (f" ({len(shown)}, tied at rank {top})" if tie else "")
          + ": " + _and([f"{agency_en(a)} ({plural(int(r.tasks), 'task')} in {plural(int(r.plans), 'plan')})"
                         for a, r in shown.iterrows()]) + ".")
    return _findings(zh, en)


def sector_findings(corpus, top: int = 2) -> Findings:
    """The categories named by the most plans (every tied category) and each plan's distinctive sector terms."""
    cov = compare.sector_coverage(corpus)
    zh_labels, en_labels = _labels(corpus)
    named = cov[cov["mentions"] > 0].groupby("category", sort=False)["plan_id"].nunique()
    best = _tied_top(named)
    n_plans = len(corpus.plans)
    label_zh = dict(zip(cov["category"], cov["label_zh"]))
    distinct = compare.distinctive_sectors(corpus, top=top)
    counts = compare.distinctive_sectors(corpus).groupby("plan_id").size()
    local = [f"{zh_labels[p]} {'、'.join(g['term'])}" for p, g in distinct.groupby("plan_id", sort=True)]
    local_en = [f"{en_labels[p]} ({plural(int(counts[p]), 'term')})" for p in sorted(counts.index)]
    if best.empty:
        zh_best, en_best = "没有规划提到产品领域", "no plan names a product category"
    else:
        k = int(best.iloc[0])
        everyone = k == n_plans
        zh_best = ("覆盖规划最多的领域（" + (f"全部 {k} 个规划都提到" if everyone else f"{k} 个规划提到")
                   + (f"，{len(best)} 个并列" if len(best) > 1 else "") + "）："
                   + _named([label_zh[c] for c in best.index], "zh"))
        en_best = (("Categories" if len(best) > 1 else "The category") + " named by the most plans ("
                   + (f"all {plural(k, 'plan')}" if everyone and k > 1 else plural(k, 'plan'))
                   + (f"; {len(best)} tie" if len(best) > 1 else "") + "): "
                   + _named([sector_en(c) for c in best.index], "en"))
    zh = zh_best + "；各规划的特色领域：" + _join(local, "；") + "。"
    en = en_best + "; terms no other plan names: " + (_and(local_en) if local_en else "none") + "."
    return _findings(zh, en)


def timing_findings(corpus) -> Findings:
    """Which plans' parent plan was issued after them (so nothing they wrote answers it), from ``lineage``."""
    lineage = escalation.lineage(corpus)
    zh_labels, en_labels = _labels(corpus)
    with_parent = lineage[lineage["parent_id"] != ""]
    later = with_parent[with_parent["parent_issued_after"].fillna(False).astype(bool)]
    unknown = with_parent[with_parent["parent_issued_after"].isna()]
    if with_parent.empty:
        return _findings("没有规划的上级规划在语料中。", "No plan has a parent plan in the corpus.")
    zh_items = [f"{zh_labels[r.plan_id]}（{r.plan_date}）的上级{zh_labels[r.parent_id]}（{r.parent_date}）" for r in
                later.itertuples()]
    en_items = [f"{en_labels[r.plan_id]} ({r.plan_date}) under {en_labels[r.parent_id]} ({r.parent_date})" for r in
                later.itertuples()]
    zh = (f"{len(with_parent)} 个规划在语料中有上级规划；" + (
        f"其中 {len(later)} 个的上级规划发布在后：" + _join(zh_items) + "——这些规划与上级的差异不是对上级的取舍。"
        if len(later) else "上级规划都不晚于本规划发布。"))
    en = (f"{plural(len(with_parent), 'plan')} {'has' if len(with_parent) == 1 else 'have'} a parent plan in the corpus; "
          + (f"for {plural(len(later), 'plan')} the parent was issued later: " + "; ".join(en_items)
             + " — what they differ in was no choice against their parent."
             if len(later) else "no parent was issued after its plan."))
    if len(unknown):
        zh += f"另有 {len(unknown)} 个规划与上级的先后不明（只知年份或缺日期）。"
        en += f" For {plural(len(unknown), 'plan')} the order is unknown (years only, or no date)."
    return _findings(zh, en)


def escalation_findings(corpus, table: pd.DataFrame | None = None) -> Findings:
    """Each plan's pass rate against its parent's (the same subject only), how strict the match is, and
    every comparison whose parent was issued later said as such."""
    # labels registers the CJK font with matplotlib: only sentences that name plans or subjects need it
    from .labels import ESCALATION_ZH

    if table is None:
        table = escalation.target_escalation(corpus)
    zh_labels, en_labels = _labels(corpus)
    rates = table[(table["metric"] == "pass_rate") & table["direction"].isin(["raised", "same", "lowered"])]
    zh_items, en_items = [], []
    for r in rates.itertuples():
        later = pd.notna(r.parent_issued_after) and bool(r.parent_issued_after)
        how_zh = "" if r.match == "same_indicator" else "，抽查层级不同"
        how_en = "" if r.match == "same_indicator" else ", other sampling level"
        zh_items.append(f"{zh_labels[r.plan_id]} {r.value:g}% 对 {zh_labels[r.parent_id]} {r.parent_value:g}%"
                        f"（{_subject_zh(r.indicator_subject)}，{ESCALATION_ZH[r.direction]}{how_zh}"
                        + ("；上级发布在后，不是对上级的取舍" if later else "") + "）")
        en_items.append(f"{en_labels[r.plan_id]} {r.value:g}% against {en_labels[r.parent_id]}'s {r.parent_value:g}% "
                        f"({subject_en(r.indicator_subject) or 'unnamed products'}, {r.direction}{how_en}"
                        + ("; the parent was issued later: no choice against it" if later else "") + ")")
    unpaired = table[(table["metric"] == "pass_rate") & (table["direction"] == "added")]
    parents = table[["plan_id", "parent_id"]].drop_duplicates()
    zh = "与上级规划同一对象的合格率比较：" + (_join(zh_items, "；") if zh_items else "没有") + "。"
    en = "Pass rates against the parent's of the same subject: " + ("; ".join(en_items) if en_items else "none") + "."
    other = unpaired[~unpaired["target_id"].isin(rates["target_id"])]
    if len(other):
        zh += (f"另有 {len(other)} 个合格率目标在上级规划中没有同一对象的目标，不作比较："
               + _join([f"{zh_labels[r.plan_id]} {_subject_zh(r.indicator_subject)} {r.value:g}%" for r in other.itertuples()])
               + "。")
        en += (f" {plural(len(other), 'pass rate')} {'has' if len(other) == 1 else 'have'} no target of the same subject "
               "in the parent plan and are not compared: "
               + _and([f"{en_labels[r.plan_id]} {subject_en(r.indicator_subject) or 'unnamed products'} {r.value:g}%"
                       for r in other.itertuples()]) + ".")
    if parents.empty:
        return _findings("没有规划的上级规划在语料中。", "No plan has a parent plan in the corpus.")
    return _findings(zh, en)


def adoption_findings(corpus, table: pd.DataFrame | None = None) -> Findings:
    """Per plan with a parent: the parent's tasks copied or adapted and its own tasks; a parent issued later
    is said: similar wording then is no adoption of it."""
    if table is None:
        table = escalation.adoption_summary(corpus)
    zh_labels, en_labels = _labels(corpus)
    if table.empty:
        return _findings("没有规划的上级规划在语料中。", "No plan has a parent plan in the corpus.")
    zh_items, en_items = [], []
    for r in table.itertuples():
        later = pd.notna(r.parent_issued_after) and bool(r.parent_issued_after)
        zh_items.append(f"{zh_labels[r.plan_id]} ← {zh_labels[r.parent_id]}：上级 {r.parent_tasks} 项任务中照搬 {r.copied}、"
                        f"改写 {r.adapted}（{r.adoption_share:.0%}），本级 {r.tasks} 项中新增 {r.added}"
                        + ("（上级发布在后：相似只是文字相近，不是采纳）" if later else ""))
        en_items.append(f"{en_labels[r.plan_id]} ← {en_labels[r.parent_id]}: of {plural(r.parent_tasks, 'parent task')} "
                        f"{r.copied} copied, {r.adapted} adapted ({r.adoption_share:.0%}); {r.added} of its "
                        f"{plural(r.tasks, 'task')} its own"
                        + (" (the parent was issued later: similar wording, not adoption)" if later else ""))
    return _findings("；".join(zh_items) + "。", "; ".join(en_items) + ".")


def _most(values: pd.Series, zh_labels: dict, en_labels: dict, zh_unit: str, en_noun: str) -> tuple[str, str]:
    """'X（n 项）' / 'X (n nouns)' for the plans with the highest value, every tied plan named."""
    top = _tied_top(values[values > 0])
    if top.empty:
        return "没有", "none"
    n = int(top.iloc[0])
    each_zh, each_en = ("各 ", " each") if len(top) > 1 else ("", "")
    return (_named([zh_labels[p] for p in top.index], "zh") + f"（{each_zh}{n} {zh_unit}）",
            _named([en_labels[p] for p in top.index], "en") + f" ({plural(n, en_noun)}{each_en})")


def target_findings(corpus) -> Findings:
    """Pass rates by subject (:func:`pass_rate_findings`), then which plans set the most distinct targets and
    the most brand and award targets (every tied plan)."""
    zh_labels, en_labels = _labels(corpus)
    by_metric = compare.targets_by_metric(corpus).set_index("plan_id")
    metrics = [c for c in by_metric.columns]
    most_zh, most_en = _most(by_metric[metrics].sum(axis=1), zh_labels, en_labels, "个不同目标", "distinct target")
    brand_zh, brand_en = _most(by_metric["brand"], zh_labels, en_labels, "个", "brand target")
    award_zh, award_en = _most(by_metric["award"], zh_labels, en_labels, "个", "award target")
    rates = pass_rate_findings(corpus).split("\n")
    zh = f"目标最多的规划：{most_zh}；品牌目标最多：{brand_zh}；质量奖目标最多：{award_zh}。"
    en = f"Most targets: {most_en}; most brand targets: {brand_en}; most award targets: {award_en}."
    return Findings("\n".join([rates[0], rates[1], zh, en]))


def similarity_findings(corpus) -> Findings:
    """The most similar pair of plans (mean best-match task score, every tied pair) and the pair sharing the
    most text word for word."""
    zh_labels, en_labels = _labels(corpus)
    sim = similarity.plan_similarity(corpus)
    pairs = sim[sim["plan_a"] < sim["plan_b"]]
    if pairs.empty:
        return _findings("至少需要两个规划才能比较。", "Similarity needs two plans or more.")
    scores = pairs.set_index(["plan_a", "plan_b"])["score"].round(3)
    top = _tied_top(scores)
    zh_pairs = [f"{zh_labels[a]}与{zh_labels[b]}" for a, b in top.index]
    en_pairs = [f"{en_labels[a]} and {en_labels[b]}" for a, b in top.index]
    zh = ("任务最相似的规划对" + (f"（{len(top)} 对并列）" if len(top) > 1 else "") + "：" + _named(zh_pairs, "zh")
          + f"（平均最佳匹配得分 {top.iloc[0]:.3f}）")
    en = ("The most similar plans" + (f" ({len(top)} pairs tie)" if len(top) > 1 else "") + ": "
          + "; ".join(en_pairs[:MAX_NAMED]) + f" (mean best-match score {top.iloc[0]:.3f})")
    shared = reuse.text_reuse(corpus)
    if shared.empty:
        return _findings(zh + "；没有逐字共享的段落。", en + "; no passage is shared word for word.")
    chars = shared.groupby(["plan_a", "plan_b"])["length"].sum()
    most = _tied_top(chars)
    n = int(most.iloc[0])
    zh += ("；逐字共享文字最多的：" + _named([f"{zh_labels[a]}与{zh_labels[b]}" for a, b in most.index], "zh")
           + f"（{'各 ' if len(most) > 1 else ''}{n} 字）。")
    en += ("; the most text shared word for word: "
           + "; ".join(f"{en_labels[a]} and {en_labels[b]}" for a, b in most.index[:MAX_NAMED])
           + f" ({plural(n, 'character')}{' each' if len(most) > 1 else ''}).")
    return _findings(zh, en)


def agency_sector_findings(corpus, top: int = 3) -> Findings:
    """:func:`agency_findings` and :func:`sector_findings`: Chinese, English, Chinese, English."""
    return Findings(agency_findings(corpus, top) + "\n" + sector_findings(corpus))
