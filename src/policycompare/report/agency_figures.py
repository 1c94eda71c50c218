"""Figures of the agencies, grouped by function (``data/agency_functions.csv``): who leads the tasks, who works together.

Agencies of one function are one row or node: 质监局, 工商局, 食药监局 and
市场监管局 are all 市场监管 (market regulation), so plans from before and after
the 2018 reform line up.  A bureau's internal division (质量处, 标准化处,
省局相关处室) counts for its bureau's function: the function ``agencies.csv``
gives it, else the function of the bureau that issued the plan (四川省质监局's
plan: 市场监管).  Collective bodies (各成员单位, 市州质量监督部门), places (parks,
zones) and the government itself are left out: they are not one function.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..config import read_data_csv
from ..extract.agencies import canonical_agency
from .labels import group_note, is_aggregated, plan_columns
from .style import check_lang, figure_axes, finish, heatmap, legend_below, no_data, themed, titles, tr
from .tables import figure_tables

#: Functions of ``data/agencies.csv`` that are no agency type: places (parks, zones) and the government itself.
LEFT_OUT_FUNCTIONS = {"园区", "政府"}
#: Roles that put a task in an agency's charge (cooperating is not leading).
LEADING_ROLES = ("lead", "responsible", "guide")
#: The network keeps, for each function, its strongest links only: a hub and spokes, never a hairball.
LINKS_PER_NODE = 2


@lru_cache(maxsize=1)
def function_names() -> dict[str, tuple[str, str]]:
    """Function -> (Chinese, English) label (``data/agency_functions.csv``)."""
    return {row["function"]: (row["label_zh"], row["label_en"]) for row in read_data_csv("agency_functions.csv")}


def function_label(function: str, lang: str) -> str:
    zh, en = function_names().get(function, (function, function))
    return en if lang == "en" else zh


def agency_functions(tables) -> pd.DataFrame:
    """The ``agencies`` rows that belong to one function: plan_id, task_id, role, function.

    Divisions without a function of their own take the function of the plan's
    issuing bureau; collective bodies that are no division, places, the
    government and agencies of unknown function are left out.
    """
    agencies = tables["agencies"]
    plans = tables["plans"]
    issuer = plans.set_index("plan_id")["issuer"] if "issuer" in plans else pd.Series(dtype=object)
    bureau = {p: canonical_agency(str(name)).function if isinstance(name, str) and name else ""
              for p, name in issuer.items()}
    division = agencies["division"].fillna(False).astype(bool) if "division" in agencies else False
    collective = agencies["collective"].fillna(False).astype(bool)
    function = agencies["function"].fillna("").astype(str)
    function = function.where((function != "") | ~division, agencies["plan_id"].map(bureau).fillna(""))
    keep = (division | ~collective) & (function != "") & ~function.isin(LEFT_OUT_FUNCTIONS)
    return agencies.assign(function=function)[keep][["plan_id", "task_id", "role", "function"]]


def agency_lead_counts(source, *, top: int = 12, ax=None, lang: str = "zh") -> Figure:
    """Heatmap: the ``top`` agency functions × plan (× province beyond :data:`AGGREGATE_OVER` plans):
    tasks an agency of the function leads, is responsible for or guides (a task counted once per function).

    ``source``: a corpus or the dict of a run's tables (``agencies``, ``plans``).
    """
    check_lang(lang)
    tables = figure_tables(source, main="agencies")
    plans = tables["plans"]
    duties = agency_functions(tables)
    duties = duties[duties["role"].isin(LEADING_ROLES)].drop_duplicates(["plan_id", "task_id", "function"])
    aggregated = is_aggregated(len(plans))
    duties, columns, names = plan_columns(plans, duties, lang)
    totals = duties.groupby("function").size()
    keep = sorted(totals.index, key=lambda f: (-totals[f], f))[:top]
    with themed():
        fig, ax, own = figure_axes(ax, (min(0.6 * len(columns) + 5, 20), 0.42 * max(len(keep), 1) + 1.9))
        if not keep:
            no_data(ax, lang, "没有规划写明牵头部门", "no task names a lead agency")
        else:
            table = (duties[duties["function"].isin(keep)].groupby(["function", "plan_id"]).size().unstack(fill_value=0)
                     .reindex(index=keep, columns=columns, fill_value=0).fillna(0).astype(int))
            table.index = [function_label(f, lang) for f in table.index]
            table.columns = [names[p] for p in table.columns]
            heatmap(ax, table, fmt="d", label=tr(lang, "任务数", "tasks"))
        en = f"Tasks led, owned or guided, by agency function (the top {len(keep)})"
        note = "divisions count for their bureau; collective bodies and places left out"
        if aggregated:
            note = group_note("en", len(plans)) + "; " + note
        if lang == "en":
            titles(ax, "", en, lang, note)
        else:
            titles(ax, "各职能部门牵头、负责或指导的任务数", f"{en}\n处室计入所属部门；不含成员单位等集体与园区", lang,
                   group_note(lang, len(plans)) if aggregated else "")
        return finish(fig, own, ax)


def _function_network(duties: pd.DataFrame, min_tasks: int, top: int):
    """(tasks per function, edges {(a, b): shared tasks}) of the ``top`` functions, each function's
    :data:`LINKS_PER_NODE` strongest links of at least ``min_tasks`` shared tasks."""
    named = duties[["plan_id", "task_id", "function"]].drop_duplicates()
    per_function = named.groupby("function").size()
    nodes = sorted(per_function.index, key=lambda f: (-per_function[f], f))[:top]
    named = named[named["function"].isin(nodes)]
    pairs = named.merge(named, on=["plan_id", "task_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["function_a"] < pairs["function_b"]]
    weights = pairs.groupby(["function_a", "function_b"]).size()
    weights = weights[weights >= min_tasks]
    ranked = sorted(((pair, int(w)) for pair, w in weights.items()), key=lambda kv: (-kv[1], kv[0]))
    kept: dict[tuple[str, str], int] = {}
    for node in nodes:  # each function's strongest links (an edge stays when it is among them for either end)
        own = [(pair, w) for pair, w in ranked if node in pair][:LINKS_PER_NODE]
        kept.update(own)
    kept = dict(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])))
    linked = {f for pair in kept for f in pair}
    return {f: int(per_function[f]) for f in nodes if f in linked}, kept


def agency_network_graph(source, *, min_tasks: int = 3, top: int = 15, ax=None, lang: str = "zh") -> Figure:
    """The agency network by function: the ``top`` functions named on the most tasks, linked when named on
    the same tasks (at least ``min_tasks``), each function with its :data:`LINKS_PER_NODE` strongest links.

    The function named on the most tasks sits in the middle, the others on a
    circle around it by size, so the layout is the same every run.  Node
    size is the number of tasks a function is named for (any role), edge
    width the number of shared tasks (both in the legend).
    ``source``: a corpus or the dict of a run's tables (``agencies``, ``plans``).
    """
    check_lang(lang)
    tables = figure_tables(source, main="agencies")
    size_of, edges = _function_network(agency_functions(tables), min_tasks, top)
    with themed():
        fig, ax, own = figure_axes(ax, (9, 7.5))
        if not edges:
            no_data(ax, lang, f"没有两类部门共同承担{min_tasks}项以上任务",
                    f"no two agency functions share {min_tasks} or more tasks")
        else:
            order = sorted(size_of, key=lambda f: (-size_of[f], f))
            hub, ring = order[0], order[1:]
            angles = {f: np.pi / 2 - 2 * np.pi * i / max(len(ring), 1) for i, f in enumerate(ring)}
            pos = {hub: (0.0, 0.0), **{f: (float(np.cos(a)), float(np.sin(a))) for f, a in angles.items()}}
            max_tasks, max_weight = max(size_of.values()), max(edges.values())

            def size(n_tasks: float) -> float:
                return 60 + 1100 * n_tasks / max_tasks

            def width(weight: float) -> float:
                return 0.5 + 6 * weight / max_weight

            for (a, b), w in sorted(edges.items(), key=lambda kv: (kv[1], kv[0])):  # strongest drawn last, on top
                ax.plot([pos[a][0], pos[b][0]], [pos[a][1], pos[b][1]], color="#9ab3cf", alpha=0.75,
                        linewidth=width(w), solid_capstyle="round", zorder=1, gid="agency_edge")
            ax.scatter([pos[f][0] for f in order], [pos[f][1] for f in order], s=[size(size_of[f]) for f in order],
                       color="#3b75af", alpha=0.95, zorder=2, gid="agency_nodes")
            for f in order:
                x, y = pos[f]
                r = float(np.hypot(x, y))
                gap = np.sqrt(size(size_of[f])) / 2 + 5
                ux, uy = (x / r, y / r) if r else (0.0, 1.0)  # the hub's label above it
                ax.annotate(function_label(f, lang), (x, y), xytext=(gap * ux, gap * uy), textcoords="offset points",
                            fontsize=9 if lang == "en" else 9.5, va="center", gid="agency_label", zorder=3,
                            ha="left" if ux > 0.05 else "right" if ux < -0.05 else "center",
                            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.8})
            ax.set_xlim(-1.9, 1.9) if lang == "en" else ax.set_xlim(-1.6, 1.6)
            ax.set_ylim(-1.3, 1.3)
            ax.set_aspect("equal")
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
            legend_below(ax, [h for pair in zip(node_keys, edge_keys) for h in pair], offset=0.1, ncol=ncol,
                         borderpad=0.4, handleheight=3.2, handlelength=3, handletextpad=0.8, columnspacing=1.6)
        ax.set_axis_off()
        en = (f"Agency network by function: the top {len(size_of)} named on the same tasks" if edges
              else "Agency network by function")
        note = (f"edges: {min_tasks}+ shared tasks, each function's {LINKS_PER_NODE} strongest; all plans;\n"
                "divisions count for their bureau; collective bodies and places left out")
        if lang == "en":
            titles(ax, "", en, lang, note)
        else:
            titles(ax, "部门协作网络（按职能）", f"{en}\n边：共同任务 ≥{min_tasks} 项，每个职能取最强的 {LINKS_PER_NODE} 条；"
                   "处室计入所属部门；不含集体与园区", lang)
        return finish(fig, own, ax)
