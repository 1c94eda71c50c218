"""Figures with Chinese labels that render on a machine with no CJK system font.

Importing this module registers Noto Sans CJK SC (OFL), shipped by the
``mplfonts`` package from PyPI, with matplotlib by its file
(``fontManager.addfont``), so neither fontconfig nor matplotlib's font cache
needs to know it.  Every plot function takes a corpus (or the DataFrame it
draws) and returns the matplotlib Figure, so notebooks can restyle it;
:func:`write_figures` saves them all as PNG (300 dpi) and SVG.

Examples:
    >>> from policycompare import figures
    >>> fig = figures.pass_rate_thresholds(corpus)  # doctest: +SKIP
    >>> fig.axes[0].set_xlim(80, 100)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure

from .export import write_bytes_atomic

FONT_FILE = "NotoSansCJKsc-Regular.otf"
DPI = 300
#: Heatmaps with more plans than this drop the numbers in their cells (unreadable, and slow to draw).
ANNOTATE_UP_TO = 15
PALETTE = "Blues"
#: Colours of the role and metric categories, fixed so that every figure agrees.
COLOURS = {"brand": "#3b75af", "award": "#ef8636", "none": "#b0b0b0", "value": "#3b75af"}


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the bundled CJK font with matplotlib; return its family name.

    Raises RuntimeError when the font package is missing (it is a dependency
    of policycompare, so this means a broken install).
    """
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the CJK font package 'mplfonts' is not installed; reinstall policycompare")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.exists():
        raise RuntimeError(f"CJK font not found at {path}; reinstall mplfonts")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def style() -> dict:
    """matplotlib rc settings of every policycompare figure (seaborn whitegrid + the CJK font)."""
    rc = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook", font_scale=0.9)}
    rc.update({
        # concrete family names, not the generic "sans-serif": text keeps the CJK font even
        # when a figure is drawn or saved outside this style's context
        "font.family": [cjk_font(), "DejaVu Sans"],
        "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "policycompare",
        "figure.dpi": 100,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "axes.titlelocation": "left",
    })
    return rc


def _new_figure(figsize: tuple[float, float]):
    """A Figure with one Axes, outside pyplot: nothing is shown or kept behind the caller's back.

    Notebooks display the returned Figure (once); scripts save it; no pyplot
    state accumulates when many figures are drawn.
    """
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def use_style() -> None:
    """Make the policycompare style (and the CJK font) the default for every later plot."""
    plt.rcParams.update(style())


@contextmanager
def themed():
    """Context in which figures get the policycompare style."""
    with plt.rc_context(style()):
        yield


cjk_font()


def _titles(fig, ax, zh: str, en: str) -> None:
    """Chinese title with an English subtitle under it, both flush left above the axes."""
    ax.annotate(en, xy=(0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                fontsize=9.5, color="#555555", ha="left", va="bottom")
    ax.annotate(zh, xy=(0, 1), xycoords="axes fraction", xytext=(0, 21), textcoords="offset points",
                fontsize=13.5, ha="left", va="bottom")


def _heatmap(ax, data: pd.DataFrame, *, fmt: str, label: str, **kwargs) -> None:
    """A heatmap in the house style: numbers in the cells up to ``ANNOTATE_UP_TO`` columns,
    a labelled colour bar, no axis titles or grid, upright labels (vertical x labels past 8 columns)."""
    sns.heatmap(data, annot=len(data.columns) <= ANNOTATE_UP_TO, fmt=fmt, cmap=PALETTE, linewidths=0.5,
                cbar_kws={"label": label}, ax=ax, **kwargs)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0 if len(ax.get_xticklabels()) <= 8 else 90)
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)


def plan_labels(plans: pd.DataFrame) -> dict[str, str]:
    """plan_id -> short label (jurisdiction; plan_id when missing or shared by two plans)."""
    names = plans.set_index("plan_id")["jurisdiction"].fillna("").astype(str)
    counts = names[names != ""].value_counts()
    return {pid: (name if name and counts.get(name, 0) == 1 else pid) for pid, name in names.items()}


def pass_rate_thresholds(corpus_or_table) -> Figure:
    """Bars: each plan's supervision pass-rate threshold; plans without one are labelled so."""
    from . import compare

    table = corpus_or_table if isinstance(corpus_or_table, pd.DataFrame) else compare.pass_rates(corpus_or_table)
    table = table.copy()
    labels = table["jurisdiction"].where(table["jurisdiction"] != "", table["plan_id"]).astype(str)
    table["label"] = labels
    table = table.sort_values(["threshold", "label"], ascending=[False, True], na_position="last", kind="stable")
    with themed():
        fig, ax = _new_figure(figsize=(7, 0.55 * len(table) + 1.6))
        values = table["threshold"].astype(float).to_numpy()
        y = np.arange(len(table))
        has = ~np.isnan(values)
        low = np.nanmin(values) if has.any() else 80.0
        start = max(0.0, np.floor(low / 10) * 10 - 10)
        ax.barh(y[has], values[has] - start, left=start, color=COLOURS["value"], height=0.6)
        for yi, v, row in zip(y, values, table.itertuples()):
            if np.isnan(v):
                ax.text(start + 0.3, yi, "未设定 / none set", va="center", color=COLOURS["none"], fontsize=10)
            else:
                sign = {">=": "≥", "<=": "≤", "~": "≈"}.get(row.comparator, "")
                stable = " 稳定" if pd.notna(row.stable) and bool(row.stable) else ""
                deadline = f" · {int(row.deadline_year)}" if pd.notna(row.deadline_year) else ""
                ax.text(v + 0.2, yi, f"{sign}{v:g}%{stable}{deadline}", va="center", fontsize=10)
        ax.set_yticks(y, table["label"])
        ax.invert_yaxis()
        ax.set_xlim(start, 100 + 2)
        ax.set_xlabel("监督抽查合格率目标 (%) · pass-rate threshold")
        _titles(fig, ax, "消费品质量监督抽查合格率目标", "Pass-rate thresholds set by each plan")
        fig.tight_layout()
    return fig


def brand_award_targets(corpus) -> Figure:
    """Grouped bars: number of brand and award targets per plan, with the promised numbers listed."""
    from . import compare

    plans = corpus.plans
    counts = compare.brand_counts(corpus)
    labels = plan_labels(plans)
    order = list(plans["plan_id"])
    table = (counts.groupby(["plan_id", "metric"]).size().unstack(fill_value=0)
             .reindex(index=order, columns=["brand", "award"], fill_value=0))
    with themed():
        fig, ax = _new_figure(figsize=(7.5, 4.2))
        x = np.arange(len(order))
        width = 0.38
        for i, (metric, zh) in enumerate((("brand", "品牌"), ("award", "奖项/名牌"))):
            bars = ax.bar(x + (i - 0.5) * width, table[metric], width, label=f"{zh} {metric}", color=COLOURS[metric])
            ax.bar_label(bars, fmt="%d", fontsize=9, padding=2)
        ax.set_xticks(x, [labels[p] for p in order])
        ax.set_ylabel("目标数 · number of targets")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(frameon=False, loc="upper right")
        ax.margins(y=0.15)
        _titles(fig, ax, "品牌与奖项目标", "Brand and award targets per plan (restatements counted once)")
        fig.tight_layout()
    return fig


def sector_coverage_heatmap(corpus, value: str = "tasks") -> Figure:
    """Heatmap plan × sector category: number of tasks naming the category (or ``value="mentions"``)."""
    from . import compare
    from .extract.sectors import categories

    cov = compare.sector_coverage(corpus)
    labels = plan_labels(corpus.plans)
    cats = categories()
    table = cov.pivot(index="category", columns="plan_id", values=value).reindex(index=list(cats), columns=corpus.plan_ids)
    table.index = [f"{cats[c].label_zh} · {c}" for c in table.index]
    table.columns = [labels[p] for p in table.columns]
    with themed():
        fig, ax = _new_figure(figsize=(min(1.1 * len(table.columns) + 4.5, 20), 0.38 * len(table) + 1.8))
        _heatmap(ax, table, fmt="d", label="任务数 · tasks")
        _titles(fig, ax, "各规划涉及的消费品领域", "Sector coverage: tasks naming each product category")
        fig.tight_layout()
    return fig


def plan_similarity_heatmap(corpus_or_table, value: str = "score", plans: pd.DataFrame | None = None) -> Figure:
    """Heatmap plan × plan of task similarity (``score``) or document cosine (``doc_cosine``)."""
    from . import similarity

    if isinstance(corpus_or_table, pd.DataFrame):
        table = corpus_or_table
        labels = plan_labels(plans) if plans is not None else {}
    else:
        table = similarity.plan_similarity(corpus_or_table)
        labels = plan_labels(corpus_or_table.plans)
    matrix = table.pivot(index="plan_a", columns="plan_b", values=value)
    matrix = matrix.rename(index=lambda p: labels.get(p, p), columns=lambda p: labels.get(p, p))
    mask = np.eye(len(matrix), dtype=bool)
    n = len(matrix)
    with themed():
        fig, ax = _new_figure(figsize=(min(1.1 * n + 3, 16), min(0.9 * n + 1.8, 14)))
        _heatmap(ax, matrix, fmt=".2f", label="相似度 · similarity", mask=mask, square=True)
        en = "Plan similarity: mean best-match TF-IDF score of tasks" if value == "score" else "Plan similarity: document TF-IDF cosine"
        _titles(fig, ax, "规划间任务相似度", en)
        fig.tight_layout()
    return fig


def agency_lead_counts(corpus, top: int = 12) -> Figure:
    """Heatmap: the ``top`` canonical agencies × plan, tasks each leads, is responsible for or guides.

    Collective bodies (各成员单位, 市州质量监督部门) are left out: they are not one agency type.
    """
    from . import compare

    roles = compare.agency_roles(corpus)
    roles = roles[~roles["collective"]]
    roles = roles.assign(leading=roles["lead"] + roles["responsible"] + roles["guide"])
    labels = plan_labels(corpus.plans)
    totals = roles.groupby("agency_canonical")["leading"].sum()
    totals = totals[totals > 0]
    keep = sorted(totals.index, key=lambda a: (-totals[a], a))[:top]
    table = (roles[roles["agency_canonical"].isin(keep)]
             .pivot_table(index="agency_canonical", columns="plan_id", values="leading", aggfunc="sum", fill_value=0)
             .reindex(index=keep, columns=corpus.plan_ids, fill_value=0))
    table.columns = [labels[p] for p in table.columns]
    with themed():
        fig, ax = _new_figure(figsize=(min(1.1 * len(table.columns) + 3.5, 20), 0.42 * max(len(table), 1) + 1.8))
        _heatmap(ax, table.astype(int), fmt="d", label="任务数 · tasks")
        _titles(fig, ax, "主要部门牵头、负责或指导的任务数", f"Tasks led, owned or guided by the top {len(table)} agency types")
        fig.tight_layout()
    return fig


def agency_network(corpus, min_tasks: int = 3, top: int = 25) -> Figure:
    """The agency network: canonical agencies named on the same tasks (edges of at least ``min_tasks``).

    Node size is the number of tasks an agency is named for, edge width the
    number of shared tasks; agencies sit on a circle grouped by function, so
    the layout is the same every run.
    Collective bodies are left out.
    """
    import networkx as nx

    from . import compare

    edges = compare.agency_network(corpus)
    collective = set(corpus.agencies.loc[corpus.agencies["collective"], "agency_canonical"])
    edges = edges[(edges["n_tasks"] >= min_tasks) & ~edges["agency_a"].isin(collective) & ~edges["agency_b"].isin(collective)]
    tasks_per_agency = corpus.agencies.groupby("agency_canonical")["task_id"].nunique()
    graph = nx.Graph()
    for row in edges.itertuples():
        graph.add_edge(row.agency_a, row.agency_b, weight=row.n_tasks)
    if graph.number_of_nodes() > top:
        keep = sorted(graph.nodes, key=lambda n: (-tasks_per_agency.get(n, 0), n))[:top]
        graph = graph.subgraph(keep).copy()
    with themed():
        fig, ax = _new_figure(figsize=(8, 7))
        if graph.number_of_nodes():
            function = corpus.agencies.groupby("agency_canonical")["function"].first()
            order = sorted(graph.nodes, key=lambda n: (function.get(n, ""), n))
            pos = nx.circular_layout(order)  # deterministic; agencies of one function side by side
            widths = [0.3 + 0.2 * graph[u][v]["weight"] for u, v in graph.edges]
            sizes = [40 + 18 * tasks_per_agency.get(n, 0) for n in graph.nodes]
            nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#9ab3cf", alpha=0.6)
            nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color="#3b75af", alpha=0.9)
            for node, (x, y) in pos.items():
                ax.text(1.12 * x, 1.12 * y, node, fontsize=9.5, va="center",
                        ha="left" if x > 0.05 else "right" if x < -0.05 else "center")
            ax.set_xlim(-1.45, 1.45)
            ax.set_ylim(-1.25, 1.25)
        else:
            ax.text(0.5, 0.5, "没有共同任务的部门 / no shared tasks", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        _titles(fig, ax, "部门协作网络", f"Agencies named on the same tasks (edges: {min_tasks}+ shared tasks; all plans)")
        fig.tight_layout()
    return fig


#: Figure name -> function of the corpus; the order of the report.
FIGURES = {
    "pass_rate_thresholds": pass_rate_thresholds,
    "brand_award_targets": brand_award_targets,
    "sector_coverage": sector_coverage_heatmap,
    "plan_similarity": plan_similarity_heatmap,
    "agency_lead_counts": agency_lead_counts,
    "agency_network": agency_network,
}


def save_figure(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` (300 dpi) and ``<stem>.svg`` atomically, byte-identical for the same figure."""
    import io

    stem = Path(path_stem)
    written = []
    with themed():
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
            written.append(write_bytes_atomic(stem.with_suffix(f".{fmt}"), buf.getvalue()))
    return written


def write_figures(corpus, out_dir: str | Path = "figures", *, progress=None) -> list[Path]:
    """Render every figure of :data:`FIGURES` into ``out_dir`` as PNG and SVG.

    ``progress(n)`` is called after the n-th figure.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for n, (name, make) in enumerate(FIGURES.items(), start=1):
        written += save_figure(make(corpus), out_dir / name)
        if progress:
            progress(n)
    return written


# --------------------------------------------------------------------------- escalation and diffusion (issue 15)

#: Colours of the escalation directions and adoption statuses.
ESCALATION_COLOURS = {
    "raised": "#c44e52", "same": "#8c8c8c", "lowered": "#3b75af", "dropped": "#b0b0b0", "added": "#55a868",
    "copied": "#c44e52", "adapted": "#ef8636", "": "#333333",
}
_LEVEL_ZH = {"national": "全国 national", "province": "省 province", "prefecture": "市 prefecture", "county": "县 county"}


def target_across_levels(corpus, metric: str = "pass_rate", domain: str | None = None, ax=None) -> Figure:
    """Dot chart: each plan's first ``metric`` target by level (national → county), with its parent's value.

    A grey ring marks the parent's value and a line joins it to the plan's own
    dot, coloured by the direction (raised, same, lowered); plans whose parent
    sets no comparable target have no ring.
    """
    from . import escalation

    table = escalation.target_levels(corpus, metric, domain)
    labels = plan_labels(corpus.plans)
    levels = [lv for lv in escalation.LEVEL_RANK if lv in set(table["level"])] or list(escalation.LEVEL_RANK)
    with themed():
        if ax is None:
            fig, ax = _new_figure(figsize=(8, 0.45 * max(len(table), 3) + 2.2))
        else:
            fig = ax.figure
        y = np.arange(len(table))
        for yi, row in zip(y, table.itertuples()):
            colour = ESCALATION_COLOURS.get(row.direction, "#333333")
            if pd.notna(row.parent_value):
                ax.plot([row.parent_value, row.value], [yi, yi], color=colour, lw=1.6, zorder=1)
                ax.scatter([row.parent_value], [yi], s=60, facecolors="white", edgecolors="#8c8c8c", lw=1.4, zorder=2)
            ax.scatter([row.value], [yi], s=60, color=colour, zorder=3)
            note = f"{row.value:g}"
            if row.direction:
                note += f"  ({row.direction}, 上级 {row.parent_value:g} · {labels.get(row.parent_id, row.parent_id)})"
            right = np.nanmax([row.value, row.parent_value])
            ax.annotate(note, (right, yi), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
        ax.set_yticks(y, [f"{labels.get(p, p)} · {(_LEVEL_ZH.get(lv) or lv or '?').split()[0]}" for p, lv in
                          zip(table["plan_id"], table["level"])])
        ax.invert_yaxis()
        # a band per level, national at the top
        for lv in levels:
            rows = np.flatnonzero(table["level"].to_numpy() == lv)
            if len(rows) and rows.max() < len(table) - 1:
                ax.axhline(rows.max() + 0.5, color="#dddddd", lw=0.8)
        if len(table):
            low, high = np.nanmin(np.r_[table["value"], table["parent_value"]]), np.nanmax(np.r_[table["value"], table["parent_value"]])
            ax.set_xlim(low - 1, high + 0.6 * max(high - low, 4) + 2)
        else:
            ax.text(0.5, 0.5, "没有该目标 / no such target", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(f"目标值 · target value ({metric}{'' if domain is None else ', ' + domain})")
        handles = [ax.scatter([], [], color=ESCALATION_COLOURS[d], label=zh) for d, zh in
                   (("raised", "加码 raised"), ("same", "持平 same"), ("lowered", "降低 lowered"))]
        handles.append(ax.scatter([], [], color="#333333", label="无可比上级目标 no parent target"))
        handles.append(ax.scatter([], [], facecolors="white", edgecolors="#8c8c8c", label="上级规划 parent"))
        ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
        _titles(fig, ax, "目标的层层传导：各级规划与上级规划", "A target across levels: each plan's value and its parent's")
        fig.tight_layout()
    return fig


def adoption_by_plan(corpus, ax=None) -> Figure:
    """Stacked bars per plan with a parent: the parent's tasks copied, adapted, dropped, and the plan's own (added)."""
    from . import escalation

    summary = escalation.adoption_summary(corpus)
    labels = plan_labels(corpus.plans)
    with themed():
        if ax is None:
            fig, ax = _new_figure(figsize=(8, 0.5 * max(len(summary), 2) + 2.0))
        else:
            fig = ax.figure
        y = np.arange(len(summary))
        left = np.zeros(len(summary))
        for status, zh in (("copied", "照搬 copied"), ("adapted", "改写 adapted"), ("dropped", "未采纳 dropped"),
                           ("added", "新增 added")):
            values = summary[status].to_numpy(dtype=float)
            ax.barh(y, values, left=left, height=0.6, color=ESCALATION_COLOURS[status], label=zh)
            left += values
        ax.set_yticks(y, [f"{labels.get(p, p)} ← {labels.get(q, q)}" for p, q in zip(summary["plan_id"], summary["parent_id"])])
        ax.invert_yaxis()
        ax.set_xlabel("任务数 · tasks (parent's tasks copied / adapted / dropped, then the plan's own)")
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
        if not len(summary):
            ax.text(0.5, 0.5, "没有上级规划 / no parent plans", ha="center", va="center", transform=ax.transAxes)
        _titles(fig, ax, "下级规划对上级任务的采纳", "Adoption of the parent's tasks, per plan")
        fig.tight_layout()
    return fig


def diffusion_timeline(corpus, min_chars: int = 20, ax=None) -> Figure:
    """Plans on a time axis (issue date) by level, with candidate diffusion edges earlier → later.

    An arrow is drawn for each edge of :func:`policycompare.escalation.diffusion`
    with at least ``min_chars`` exclusive characters, wider for more text.
    Candidate edges only: shared text does not prove who copied whom.
    """
    import matplotlib.dates as mdates

    from . import escalation

    edges = escalation.diffusion(corpus)
    edges = edges[edges["exclusive_chars"] >= min_chars]
    plans = corpus.plans
    dated = plans[pd.to_datetime(plans["issued_date"].astype(str), errors="coerce", format="%Y-%m-%d").notna()]
    labels = plan_labels(plans)
    rank = escalation.LEVEL_RANK
    when = {p: pd.Timestamp(d) for p, d in zip(dated["plan_id"], dated["issued_date"])}
    # plans of one level spread a little so that labels of the same day do not overlap
    offsets = {}
    for lv, group in dated.groupby("level"):
        for k, p in enumerate(sorted(group["plan_id"], key=lambda p: (when[p], p))):
            offsets[p] = rank.get(lv, 4) + (k % 3 - 1) * 0.22
    with themed():
        if ax is None:
            fig, ax = _new_figure(figsize=(10, 5.2))
        else:
            fig = ax.figure
        top = max(1.0, float(edges["exclusive_chars"].max()) if len(edges) else 1.0)
        for row in edges.itertuples():
            a, b = row.earlier_id, row.later_id
            ax.annotate("", xy=(mdates.date2num(when[b]), offsets[b]), xytext=(mdates.date2num(when[a]), offsets[a]),
                        arrowprops={"arrowstyle": "->", "lw": 0.6 + 2.4 * row.exclusive_chars / top,
                                    "color": "#c44e52" if row.relation in ("parent", "ancestor") else "#7f9cc0",
                                    "alpha": 0.75, "shrinkA": 5, "shrinkB": 5})
        for p, t in when.items():
            ax.scatter([mdates.date2num(t)], [offsets[p]], s=30, color="#3b75af", zorder=3)
            ax.annotate(labels.get(p, p), (mdates.date2num(t), offsets[p]), xytext=(0, 6), textcoords="offset points",
                        ha="center", fontsize=8)
        ax.xaxis_date()
        ax.set_yticks(list(rank.values()), [_LEVEL_ZH[lv] for lv in rank])
        ax.set_ylim(len(rank) - 0.4, -0.6)
        ax.set_xlabel("发布日期 · issue date (undated plans left out)")
        undated = len(plans) - len(dated)
        _titles(fig, ax, "文本扩散的候选路径（早 → 晚）",
                f"Candidate diffusion edges, earlier → later (≥{min_chars} exclusive shared characters; "
                f"{undated} undated plans left out; red: from a parent or ancestor)")
        fig.tight_layout()
    return fig


#: Figures of issue 15, written by ``policycompare run`` after the others.
ESCALATION_FIGURES = {
    "target_across_levels": target_across_levels,
    "adoption_by_plan": adoption_by_plan,
    "diffusion_timeline": diffusion_timeline,
}
FIGURES.update(ESCALATION_FIGURES)
