"""Figures with Chinese labels that render on a machine with no CJK system font.

Importing this module registers Noto Sans CJK SC (OFL), shipped by the
``mplfonts`` package from PyPI, with matplotlib by its file
(``fontManager.addfont``), so neither fontconfig nor matplotlib's font cache
needs to know it.  Every plot function takes a corpus (or the DataFrame it
draws) and returns the matplotlib Figure, so notebooks can restyle it;
:func:`write_figures` saves them all as PNG (300 dpi) and SVG.

Examples:
    >>> from policycompare.report import figures
    >>> fig = figures.pass_rate_thresholds(corpus)  # doctest: +SKIP
    >>> fig.axes[0].set_xlim(80, 100)  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ..analyze import compare, similarity
from ..english import agency_en
from ..extract.sectors import categories
from ..ingest.files import write_bytes_atomic

# the escalation figures belong to the report too: FIGURES lists them, pc.figures.<name> reaches them
from .escalation_figures import ESCALATION_FIGURES, adoption_by_plan, diffusion_timeline, target_across_levels  # noqa: F401
from .labels import AGGREGATE_OVER, built_table, group_note, is_aggregated, plan_groups, plan_labels, sampling_name, subject_name

# pc.figures.use_style() and pc.figures.themed() (README): the style of every figure, for your own plots
from .style import COLOURS, DPI, check_lang, figure_axes, finish, heatmap, legend_below, no_data, themed, titles, tr, use_style  # noqa: F401

#: The national goal the pass-rate chart draws its reference line at (国办发〔2016〕68号: 90%).
NATIONAL_PASS_RATE = 90.0
#: Function of ``data/agencies.csv`` whose entries are places (parks, zones), not agencies.
PLACE_FUNCTIONS = {"园区"}


def _pass_rate_table(corpus_or_table):
    if isinstance(corpus_or_table, pd.DataFrame):
        return corpus_or_table.copy(), None
    return compare.pass_rates(corpus_or_table), corpus_or_table.plans


def _one_subject(table: pd.DataFrame, subject: str | None, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The rows of ``subject`` (one per plan, NaN where the plan sets none) and, per plan without it,
    its thresholds of other subjects as a note (工业产品 95%): shown beside 'none set', never as a dot."""
    if "indicator_subject" not in table or subject is None:
        return table, {}
    table = table.assign(indicator_subject=table["indicator_subject"].fillna("").astype(str))
    values = table["threshold"].notna()
    mine = table[values & (table["indicator_subject"] == subject)].drop_duplicates("plan_id")
    others = table[values & (table["indicator_subject"] != subject) & ~table["plan_id"].isin(mine["plan_id"])]
    notes = {}
    for plan_id, group in others.groupby("plan_id", sort=False):
        notes[plan_id] = "、".join(f"{subject_name(s, lang) or ('unnamed' if lang == 'en' else '未注明')} {v:g}%"
                                  for s, v in zip(group["indicator_subject"], group["threshold"]))
        if lang == "en":
            notes[plan_id] = notes[plan_id].replace("、", ", ")
    rest = table.drop_duplicates("plan_id").loc[lambda t: ~t["plan_id"].isin(mine["plan_id"])]
    rest = rest.assign(threshold=np.nan)
    out = pd.concat([mine, rest]).set_index("plan_id").reindex(list(dict.fromkeys(table["plan_id"]))).reset_index()
    return out, notes


def pass_rate_thresholds(corpus_or_table, *, subject: str | None = "consumer_goods", ax=None, lang: str = "zh",
                         plans: pd.DataFrame | None = None) -> Figure:
    """Dot plot: each plan's supervision pass-rate threshold for one indicator subject against the
    national 90% (dashed line).

    ``subject``: the indicator compared (``consumer_goods``, 消费品质量…, by
    default: the national goal's series); a plan whose pass rate measures
    another subject (宁夏: 工业产品 95%) is not a dot among them but a hollow
    'none set' marker naming what it sets instead.  ``subject=None`` draws a
    row per plan and subject, the subject in the row's label.  The sampling
    level (国家抽查, 省级以上抽查 …) stands beside each value.  The value
    labels stand in a column right of the axes (clear of the grid); plans
    that set no threshold get a hollow marker and 未设定 / none set at the
    left edge, placed in axes coordinates so they stay in view when the x
    range is changed.  Beyond :data:`AGGREGATE_OVER` plans a row is a
    province and every plan a dot.  ``plans`` (the plans table) gives the
    labels when a pass-rate table is passed instead of a corpus.
    """
    check_lang(lang)
    table, corpus_plans = _pass_rate_table(corpus_or_table)
    plans = plans if plans is not None else corpus_plans
    if plans is None:
        plans = table.drop_duplicates("plan_id").assign(issued_date="", province="", period_start=pd.NA)[
            ["plan_id", "jurisdiction", "level", "province", "issued_date", "period_start"]]
    values = pd.to_numeric(table["threshold"], errors="coerce").astype(float)
    table, elsewhere = _one_subject(table.assign(threshold=values), subject, lang)
    aggregated = is_aggregated(len(table))
    if aggregated:
        groups = plan_groups(plans, lang)
        table["label"] = table["plan_id"].map(groups).fillna("未知" if lang != "en" else "unknown")
    else:
        labels = plan_labels(plans, lang)
        table["label"] = table["plan_id"].map(labels).fillna(table["plan_id"])
        if subject is None and "indicator_subject" in table:  # a row per plan and subject: say which
            named = table["indicator_subject"].fillna("").astype(str).map(lambda s: subject_name(s, lang))
            table["label"] = table["label"].where(named == "", table["label"] + " · " + named)
    none_text = "none set" if lang == "en" else "未设定 / none set"
    if aggregated:
        order = (table.groupby("label")["threshold"].median().sort_values(ascending=False, na_position="last", kind="stable"))
        rows = list(order.index)
    else:
        table = table.sort_values(["threshold", "label"], ascending=[False, True], na_position="last", kind="stable")
        rows = list(table["label"])
    n = max(len(rows), 1)
    with themed():
        fig, ax, own = figure_axes(ax, (7.5, 0.42 * n + 1.9))
        if table.empty:
            no_data(ax, lang, "没有规划", "no plans")
        else:
            ypos = {label: i for i, label in enumerate(rows)}
            has = table["threshold"].notna()
            lo = float(np.nanmin(table["threshold"])) if has.any() else NATIONAL_PASS_RATE
            ax.set_xlim(min(lo - 1.5, NATIONAL_PASS_RATE - 3), 100.5)
            ax.set_ylim(n - 0.4, -0.6)  # first row on top, no row on the axis
            ax.axvline(NATIONAL_PASS_RATE, color="#c44e52", linestyle="--", linewidth=1, zorder=1)
            ax.annotate(tr(lang, f"全国目标 {NATIONAL_PASS_RATE:g}%", "national goal") if lang != "en"
                        else f"national goal {NATIONAL_PASS_RATE:g}%",
                        xy=(NATIONAL_PASS_RATE, 0), xycoords=("data", "axes fraction"), xytext=(3, 3),
                        textcoords="offset points", fontsize=8.5, color="#c44e52", ha="left", va="bottom")
            row_y = table["label"].map(ypos).to_numpy(dtype=float)
            if aggregated:  # spread the plans of a province a little, deterministically
                rank = table.groupby("label").cumcount().to_numpy()
                size = table.groupby("label")["plan_id"].transform("size").to_numpy()
                row_y = row_y + np.where(size > 1, (rank / np.maximum(size - 1, 1) - 0.5) * 0.5, 0)
            ax.scatter(table.loc[has, "threshold"], row_y[has.to_numpy()], s=46 if not aggregated else 22,
                       color=COLOURS["value"], alpha=1 if not aggregated else 0.6, zorder=3, gid="thresholds")
            right = blended_transform_factory(ax.transAxes, ax.transData)
            if aggregated:
                for label, group in table.groupby("label", sort=False):
                    n_none = int(group["threshold"].isna().sum())
                    text = f"n={len(group)}" + (f", {n_none} {'none set' if lang == 'en' else '未设定'}" if n_none else "")
                    ax.text(1.02, ypos[label], text, transform=right, va="center", fontsize=8.5, color="#333333")
            else:
                for yi, row in zip(row_y, table.itertuples()):
                    if np.isnan(row.threshold):
                        ax.scatter([0.015], [yi], transform=right, s=46, facecolors="none",
                                   edgecolors=COLOURS["none"], zorder=3, clip_on=False, gid="none_set")
                        other = elsewhere.get(row.plan_id, "")
                        text = none_text if not other else (f"none set (sets {other})" if lang == "en"
                                                            else f"未设定（另设{other}）/ none set")
                        ax.text(0.035, yi, text, transform=right, va="center", color="#707070", fontsize=9.5,
                                gid="none_set_label", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
                        continue
                    sign = {">=": "≥", "<=": "≤", "~": "≈"}.get(row.comparator, "")
                    stable = (" stable" if lang == "en" else " 稳定") if pd.notna(row.stable) and bool(row.stable) else ""
                    deadline = f" · {int(row.deadline_year)}" if pd.notna(row.deadline_year) else ""
                    sampled = sampling_name(str(getattr(row, "indicator_sampling", "") or ""), lang)
                    sampled = f" · {sampled}" if sampled else ""
                    ax.text(1.02, yi, f"{sign}{row.threshold:g}%{stable}{sampled}{deadline}", transform=right,
                            va="center", fontsize=9.5, gid="value_label")
            ax.set_yticks(range(len(rows)), rows)
            ax.grid(axis="y", visible=False)
            ax.set_xlabel(tr(lang, "监督抽查合格率目标 (%)", "pass-rate threshold (%)"))
        note = group_note(lang, len(table)) if aggregated else ""
        if aggregated:
            note += "; each dot a plan" if lang == "en" else "；每点一个规划"
        if subject is None:
            zh, en = "产品质量合格率目标（按指标对象分列）", "Pass-rate thresholds set by each plan, one row per indicator subject"
        else:
            zh = f"{subject_name(subject)}质量监督抽查合格率目标"
            en = f"Pass-rate thresholds for {subject_name(subject, 'en')} set by each plan (other indicators not plotted)"
        titles(ax, zh, en, lang, note)
        return finish(fig, own, ax)


def brand_award_targets(corpus, *, ax=None, lang: str = "zh") -> Figure:
    """Grouped bars: number of brand and award targets per plan (per province beyond :data:`AGGREGATE_OVER` plans)."""
    check_lang(lang)
    plans = corpus.plans
    counts = compare.brand_counts(corpus)
    aggregated = is_aggregated(len(plans))
    if aggregated:
        groups = plan_groups(plans, lang)
        counts = counts.assign(plan_id=counts["plan_id"].map(groups))
        order = sorted(set(groups.values()))
        names = {g: g for g in order}
    else:
        names = plan_labels(plans, lang)
        order = list(plans["plan_id"])
    table = (counts.groupby(["plan_id", "metric"]).size().unstack(fill_value=0)
             .reindex(index=order, columns=["brand", "award"], fill_value=0).fillna(0).astype(int))
    with themed():
        fig, ax, own = figure_axes(ax, (max(7.5, min(0.45 * len(order) + 3, 20)), 4.4))
        if not order:
            no_data(ax, lang, "没有规划", "no plans")
        else:
            x = np.arange(len(order))
            width = 0.38
            # metric brand: 品牌, 名牌, 著名商标, 品牌示范区; award: 质量奖 and its 提名奖 (data/targets.toml)
            for i, (metric, zh, en) in enumerate((("brand", "品牌/名牌", "brands"), ("award", "质量奖", "awards"))):
                bars = ax.bar(x + (i - 0.5) * width, table[metric], width, label=en if lang == "en" else f"{zh} {en}",
                              color=COLOURS[metric])
                if len(order) <= AGGREGATE_OVER:
                    ax.bar_label(bars, fmt="%d", fontsize=9, padding=2)
            ticks = [names[p] for p in order]
            ax.set_xticks(x, ticks)
            if len(order) > 8:
                ax.tick_params(axis="x", rotation=90)
            elif len(order) > 3 and max(len(t) for t in ticks) > 4:  # slanted: neighbours never run together
                for label in ax.get_xticklabels():
                    label.set_rotation(35)
                    label.set_horizontalalignment("right")
                    label.set_rotation_mode("anchor")
            ax.set_ylabel(tr(lang, "目标数", "number of targets"))
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.set_ylim(0, max(int(table.to_numpy().max()), 1) * 1.2)
            ax.legend(frameon=False, loc="upper right")
            if not len(counts):
                ax.text(0.5, 0.5, "没有品牌或奖项目标 / no brand or award targets" if lang != "en"
                        else "no brand or award targets", transform=ax.transAxes, ha="center", color="#555555")
        note = group_note(lang, len(plans)) if aggregated else ""
        titles(ax, "品牌与奖项目标", "Brand and award targets per plan (restatements counted once)", lang, note)
        return finish(fig, own, ax)


#: Values :func:`sector_coverage_heatmap` can show: (Chinese, English) of the colour bar.
SECTOR_VALUES = {"share_of_tasks": ("任务占比", "share of the plan's tasks"), "tasks": ("任务数", "tasks (count)"),
                 "mentions": ("提及次数", "mentions (count)")}


def sector_coverage_heatmap(corpus, *, value: str = "share_of_tasks", ax=None, lang: str = "zh") -> Figure:
    """Heatmap category × plan: the share of the plan's tasks naming the category (``value="tasks"``
    or ``"mentions"``: counts, which favour long plans; the title says so); beyond
    :data:`AGGREGATE_OVER` plans, category × province: mean share of a plan's tasks.
    Categories are named in the figure's language (家用电器 / Household appliances), never by their ids."""
    check_lang(lang)
    if value not in SECTOR_VALUES:
        raise ValueError(f"value must be one of {', '.join(SECTOR_VALUES)}, not {value!r}")
    cov = compare.sector_coverage(corpus)
    cats = categories()
    aggregated = is_aggregated(len(corpus.plans))
    if aggregated:
        groups = plan_groups(corpus.plans, lang)
        table = (cov.assign(group=cov["plan_id"].map(groups))
                 .pivot_table(index="category", columns="group", values="share_of_tasks", aggfunc="mean")
                 .reindex(index=list(cats)))
        fmt, label = ".0%", tr(lang, "任务占比（平均）", "mean share of tasks")
    else:
        labels = plan_labels(corpus.plans, lang)
        table = cov.pivot(index="category", columns="plan_id", values=value).reindex(index=list(cats), columns=corpus.plan_ids)
        table.columns = [labels[p] for p in table.columns]
        fmt = ".0%" if value == "share_of_tasks" else "d"
        label = tr(lang, *SECTOR_VALUES[value])
    table.index = [cats[c].label_en if lang == "en" else cats[c].label_zh for c in table.index]
    with themed():
        fig, ax, own = figure_axes(ax, (min(0.6 * len(table.columns) + 5.5, 20), 0.38 * len(table) + 1.9))
        if table.empty or not table.notna().to_numpy().any():
            no_data(ax, lang, "没有领域", "no sectors")
        else:
            heatmap(ax, table, fmt=fmt, label=label)
        if aggregated:
            zh, en = "各规划涉及的消费品领域（任务占比）", "Sector coverage: mean share of each plan's tasks naming a product category"
        elif value == "share_of_tasks":
            zh, en = "各规划涉及的消费品领域（任务占比）", "Sector coverage: share of each plan's tasks naming a product category"
        elif value == "tasks":
            zh, en = "各规划涉及的消费品领域（任务数，长规划偏多）", ("Sector coverage: number of tasks naming each product "
                                                         "category (counts: longer plans score higher)")
        else:
            zh, en = "各规划涉及的消费品领域（提及次数，长规划偏多）", ("Sector coverage: mentions of each product category "
                                                           "(counts: longer plans score higher)")
        titles(ax, zh, en, lang, group_note(lang, len(corpus.plans)) if aggregated else "")
        return finish(fig, own, ax)


def _similarity_table(corpus_or_table, plans):
    if isinstance(corpus_or_table, pd.DataFrame):
        return corpus_or_table, plans
    corpus = corpus_or_table

    return built_table(corpus, "plan_similarity", similarity.plan_similarity), corpus.plans


def plan_similarity_heatmap(corpus_or_table, *, value: str = "score", plans: pd.DataFrame | None = None,
                            ax=None, lang: str = "zh") -> Figure:
    """Heatmap plan × plan of task similarity (``score``) or document cosine (``doc_cosine``).

    Works from the long table (plan_a, plan_b, score, doc_cosine): a pair
    missing from it (not among a plan's top-k) is a blank cell.  Beyond
    :data:`AGGREGATE_OVER` plans the cells are province × province: the mean
    over the listed pairs of plans of the two provinces (a plan with itself
    left out).
    """
    check_lang(lang)
    table, plans = _similarity_table(corpus_or_table, plans)
    ids = list(plans["plan_id"]) if plans is not None else sorted(set(table["plan_a"]) | set(table["plan_b"]))
    aggregated = is_aggregated(len(ids))
    pairs = table[table["plan_a"] != table["plan_b"]]
    if aggregated:
        groups = plan_groups(plans, lang) if plans is not None else {p: p for p in ids}
        grouped = pairs.assign(ga=pairs["plan_a"].map(groups), gb=pairs["plan_b"].map(groups))
        # both directions of a pair count once each way: the matrix is symmetric
        both = pd.concat([grouped[["ga", "gb", value]],
                          grouped[["gb", "ga", value]].set_axis(["ga", "gb", value], axis=1)])
        order = sorted(set(groups.values()))
        matrix = both.pivot_table(index="ga", columns="gb", values=value, aggfunc="mean").reindex(index=order, columns=order)
        mask = None
    else:
        labels = plan_labels(plans, lang) if plans is not None else {}
        matrix = (pairs.pivot_table(index="plan_a", columns="plan_b", values=value, aggfunc="mean")
                  .reindex(index=ids, columns=ids))
        matrix = matrix.rename(index=lambda p: labels.get(p, p), columns=lambda p: labels.get(p, p))
        mask = np.eye(len(matrix), dtype=bool)
    n = len(matrix)
    with themed():
        fig, ax, own = figure_axes(ax, (min(0.55 * n + 4, 18), min(0.45 * n + 2.4, 16)))
        if n == 0 or not matrix.notna().to_numpy().any():
            no_data(ax, lang, "至少需要两个规划", "similarity needs two plans or more")
        else:
            heatmap(ax, matrix, fmt=".2f", label=tr(lang, "相似度", "similarity"), mask=mask, square=True,
                     vmin=0, vmax=max(float(np.nanmax(matrix.to_numpy())), 0.01))
        en = ("Plan similarity: mean best-match TF-IDF score of tasks" if value == "score"
              else "Plan similarity: document TF-IDF cosine")
        note = ""
        if aggregated:
            note = group_note(lang, len(ids)) + ("; mean over the plan pairs listed (each plan's top matches)"
                                                 if lang == "en" else "；取列出的规划对的平均")
        titles(ax, "规划间任务相似度", en, lang, note)
        return finish(fig, own, ax)


def _agency_name(lang: str):
    return agency_en if lang == "en" else (lambda a: a)


def _places(corpus) -> set[str]:
    """Canonical names that are places, collective bodies or a bureau's internal divisions, not one
    agency type (kept out of agency figures)."""
    agencies = corpus.agencies
    out = set(agencies.loc[agencies["collective"].astype(bool), "agency_canonical"])
    if "division" in agencies:
        out |= set(agencies.loc[agencies["division"].astype(bool), "agency_canonical"])
    out |= set(agencies.loc[agencies["function"].isin(PLACE_FUNCTIONS), "agency_canonical"])
    out |= {a for a in agencies["agency_canonical"].unique() if str(a).endswith(("园区", "开发区", "高新区", "新区", "政府"))}
    return out


def agency_lead_counts(corpus, *, top: int = 12, ax=None, lang: str = "zh") -> Figure:
    """Heatmap: the ``top`` canonical agencies × plan (× province beyond :data:`AGGREGATE_OVER` plans),
    tasks each leads, is responsible for or guides.

    Collective bodies (各成员单位, 市州质量监督部门) and places (parks, zones) are left out:
    they are not one agency type.
    """
    check_lang(lang)
    roles = compare.agency_roles(corpus)
    roles = roles[~roles["collective"].astype(bool) & ~roles["agency_canonical"].isin(_places(corpus))]
    roles = roles.assign(leading=roles["lead"] + roles["responsible"] + roles["guide"])
    aggregated = is_aggregated(len(corpus.plans))
    totals = roles.groupby("agency_canonical")["leading"].sum()
    totals = totals[totals > 0]
    keep = sorted(totals.index, key=lambda a: (-totals[a], a))[:top]
    if aggregated:
        groups = plan_groups(corpus.plans, lang)
        roles = roles.assign(plan_id=roles["plan_id"].map(groups))
        columns = sorted(set(groups.values()))
        names = {g: g for g in columns}
    else:
        columns = corpus.plan_ids
        names = plan_labels(corpus.plans, lang)
    name = _agency_name(lang)
    with themed():
        fig, ax, own = figure_axes(ax, (min(0.6 * len(columns) + 5, 20), 0.42 * max(len(keep), 1) + 1.9))
        if not keep:
            no_data(ax, lang, "没有规划写明牵头部门", "no task names a lead agency")
        else:
            table = (roles[roles["agency_canonical"].isin(keep)]
                     .pivot_table(index="agency_canonical", columns="plan_id", values="leading", aggfunc="sum", fill_value=0)
                     .reindex(index=keep, columns=columns, fill_value=0).fillna(0).astype(int))
            table.index = [name(a) for a in table.index]
            table.columns = [names[p] for p in table.columns]
            heatmap(ax, table, fmt="d", label=tr(lang, "任务数", "tasks"))
        titles(ax, "主要部门牵头、负责或指导的任务数", f"Tasks led, owned or guided by the top {len(keep)} agency types",
                lang, group_note(lang, len(corpus.plans)) if aggregated else "")
        return finish(fig, own, ax)


def agency_network_graph(corpus, *, min_tasks: int = 3, top: int = 15, ax=None, lang: str = "zh") -> Figure:
    """The agency network: the ``top`` canonical agencies named on the most tasks, linked when named
    on the same tasks (edges of at least ``min_tasks`` shared tasks).

    Node size is the number of tasks an agency is named for, edge width the
    number of shared tasks (both explained in a legend); agencies sit on a
    circle grouped by function, so the layout is the same every run.
    Collective bodies and places (parks, zones) are left out.
    """
    # only the agency network figure lays out a graph
    import networkx as nx

    check_lang(lang)
    edges = compare.agency_network(corpus)
    out = _places(corpus)
    edges = edges[(edges["n_tasks"] >= min_tasks) & ~edges["agency_a"].isin(out) & ~edges["agency_b"].isin(out)]
    tasks_per_agency = corpus.agencies.groupby("agency_canonical")["task_id"].nunique()
    graph = nx.Graph()
    for row in edges.itertuples():
        graph.add_edge(row.agency_a, row.agency_b, weight=int(row.n_tasks))
    if graph.number_of_nodes() > top:
        keep = sorted(graph.nodes, key=lambda n: (-tasks_per_agency.get(n, 0), n))[:top]
        kept = set(keep)  # a new graph in the edges' own order (a subgraph view may iterate a set: hash order)
        graph = nx.Graph((u, v, d) for u, v, d in graph.edges(data=True) if u in kept and v in kept)
        graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    name = _agency_name(lang)
    with themed():
        fig, ax, own = figure_axes(ax, (9, 7.5))
        if graph.number_of_nodes():
            function = corpus.agencies.groupby("agency_canonical")["function"].first()
            order = sorted(graph.nodes, key=lambda n: (function.get(n, ""), n))
            pos = nx.circular_layout(order)  # deterministic; agencies of one function side by side
            max_tasks = max(int(tasks_per_agency.get(n, 1)) for n in graph.nodes) or 1
            max_weight = max(graph[u][v]["weight"] for u, v in graph.edges) or 1

            def size(n_tasks: float) -> float:
                return 60 + 900 * n_tasks / max_tasks

            def width(weight: float) -> float:
                return 0.5 + 5 * weight / max_weight

            nx.draw_networkx_edges(graph, pos, ax=ax, width=[width(graph[u][v]["weight"]) for u, v in graph.edges],
                                   edge_color="#9ab3cf", alpha=0.6)
            nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[size(tasks_per_agency.get(n, 0)) for n in graph.nodes],
                                   node_color="#3b75af", alpha=0.9)
            for node, (x, y) in pos.items():
                # outwards from the node's edge, however big the node: a label never covers its dot
                r = float(np.hypot(x, y)) or 1.0
                gap = np.sqrt(size(tasks_per_agency.get(node, 0))) / 2 + 5
                ax.annotate(name(node), (x, y), xytext=(gap * x / r, gap * y / r), textcoords="offset points",
                            fontsize=9 if lang == "en" else 9.5, va="center", gid="agency_label",
                            ha="left" if x > 0.05 else "right" if x < -0.05 else "center")
            ax.set_xlim(-1.9, 1.9) if lang == "en" else ax.set_xlim(-1.6, 1.6)
            ax.set_ylim(-1.3, 1.3)
            sizes = sorted({max(1, round(max_tasks / 4)), max(1, round(max_tasks / 2)), max_tasks})
            weights = sorted({min_tasks, max(min_tasks, round(max_weight / 2)), max_weight})
            node_keys = [Line2D([], [], linestyle="", marker="o", markersize=np.sqrt(size(s)), color="#3b75af",
                                label=f"{s} tasks named" if lang == "en" else f"{s} 项任务 tasks") for s in sizes]
            edge_keys = [Line2D([], [], color="#9ab3cf", linewidth=width(w),
                                label=f"{w} shared tasks" if lang == "en" else f"共同任务 {w} 项 shared") for w in weights]
            ncol = max(len(node_keys), len(edge_keys))
            blank = Line2D([], [], linestyle="", label=" ")
            node_keys += [blank] * (ncol - len(node_keys))
            edge_keys += [blank] * (ncol - len(edge_keys))
            # under the circle (labels of any length run out to the right without meeting it); filled column
            # by column: node sizes on the first row, edge widths on the second
            legend_below(ax, [h for pair in zip(node_keys, edge_keys) for h in pair], offset=0.1, ncol=ncol,
                          borderpad=0.4, handleheight=3.2, handlelength=3, handletextpad=0.8, columnspacing=1.6)
        else:
            no_data(ax, lang, "没有共同任务的部门", "no agencies share tasks")
        ax.set_axis_off()
        titles(ax, "部门协作网络", f"Agency network: the top {graph.number_of_nodes()} agencies named on the same tasks", lang,
                f"edges: {min_tasks}+ shared tasks; all plans; collective bodies and places left out")
        return finish(fig, own, ax)


#: Figure name -> function of the corpus; the order of the report.
FIGURES = {
    "pass_rate_thresholds": pass_rate_thresholds,
    "brand_award_targets": brand_award_targets,
    "sector_coverage": sector_coverage_heatmap,
    "plan_similarity": plan_similarity_heatmap,
    "agency_lead_counts": agency_lead_counts,
    "agency_network": agency_network_graph,
}


def save_figure(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` (300 dpi) and ``<stem>.svg`` atomically, byte-identical for the same figure."""
    stem = Path(path_stem)
    written = []
    with themed():
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
            written.append(write_bytes_atomic(stem.with_suffix(f".{fmt}"), buf.getvalue()))
    return written


def write_figures(corpus, out_dir: str | Path = "figures", *, progress=None, lang: str = "zh") -> list[Path]:
    """Render every figure of :data:`FIGURES` into ``out_dir`` as PNG and SVG (texts in ``lang``).

    ``progress(n)`` is called after the n-th figure.  A figure that cannot be
    drawn is skipped with a warning naming it; the others are still written.
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n, (name, make) in enumerate(FIGURES.items(), start=1):
        kwargs = {"lang": lang} if "lang" in inspect.signature(make).parameters else {}
        try:
            fig = make(corpus, **kwargs)
        except Exception as err:  # noqa: BLE001 - one figure must not stop the run
            warnings.warn(f"figure {name} skipped: {type(err).__name__}: {err}", RuntimeWarning, stacklevel=2)
        else:
            written += save_figure(fig, out_dir / name)
        if progress:
            progress(n)
    return written

FIGURES.update(ESCALATION_FIGURES)
