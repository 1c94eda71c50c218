"""Figures of escalation and diffusion (issue 15): targets across levels, adoption by plan, the diffusion timeline."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import blended_transform_factory

from ..analyze import escalation
from .labels import (
    ESCALATION_ZH,
    LEVEL_NAMES,
    direction_word,
    group_note,
    is_aggregated,
    level_name,
    plan_groups,
    plan_labels,
    plan_order,
    subject_name,
)
from .style import check_lang, figure_axes, finish, legend_below, no_data, themed, titles, tr
from .tables import figure_tables, target_levels

#: Colours of the escalation directions and adoption statuses.
ESCALATION_COLOURS = {
    "raised": "#c44e52", "same": "#8c8c8c", "lowered": "#3b75af", "dropped": "#b0b0b0", "added": "#55a868",
    "copied": "#c44e52", "adapted": "#ef8636", "": "#333333",
}
#: Markers of the levels where plans of several levels share one row (beyond :data:`AGGREGATE_OVER` plans).
LEVEL_MARKERS = {"national": "D", "province": "o", "prefecture": "s", "county": "^"}
#: The diffusion timeline beyond :data:`AGGREGATE_OVER` plans draws only this many edges, the strongest.
DIFFUSION_EDGES_SHOWN = 40


def _group_order(groups: dict[str, str], lang: str) -> list[str]:
    """Groups of :func:`plan_groups`, the nation first, unknown last, provinces by name between."""
    national, unknown = ("China (national)", "unknown") if lang == "en" else ("全国", "未知")
    names = set(groups.values())
    return ([national] if national in names else []) + sorted(names - {national, unknown}) + (
        [unknown] if unknown in names else [])


def _level_legend(ax, levels, lang: str) -> list:
    """Legend handles for the level markers (grey)."""
    return [ax.scatter([], [], marker=LEVEL_MARKERS.get(lv, "o"), color="#777777", s=30,
                       label=level_name(lv, lang, both=True)) for lv in levels]


def target_across_levels(source, *, metric: str = "pass_rate", domain: str | None = None,
                         subject: str | None = "consumer_goods", plans: pd.DataFrame | None = None, ax=None,
                         lang: str = "zh") -> Figure:
    """Dot chart: each plan's first ``metric`` target of one indicator ``subject`` by level (national →
    county), with its parent's value.

    ``subject`` (消费品 consumer goods by default; ``None``: each plan's first
    target whatever it measures, the subject named beside the value): only
    targets of the same subject are compared, so a plan whose parent sets
    another series (宁夏's 工业产品 rate under 灵武's 消费品 one) has no ring.
    A grey ring marks the parent's value and a line joins it to the plan's own
    dot, coloured by the direction (raised, same, lowered).  A row whose
    parent was issued after the plan says so (上级晚发布 / parent issued
    later): its direction, if any, is no choice of the plan's.  Beyond
    :data:`AGGREGATE_OVER` plans one row per province: each plan a dot (its
    level as the marker, the direction as the colour), the counts of
    directions at the right.  ``source``: a corpus, the dict of a run's tables
    (``targets``, ``plans``, ``lineage``, ``target_escalation``), or a
    :func:`~policycompare.analyze.escalation.target_levels` table (with ``plans=``).
    """
    check_lang(lang)
    tables = figure_tables(source, main="target_levels", plans=plans)
    table = tables["target_levels"] if isinstance(source, pd.DataFrame) else target_levels(
        tables, metric=metric, domain=domain, subject=subject)
    plans = tables["plans"]
    aggregated = is_aggregated(len(plans))
    what = (f"{metric.replace('_', ' ')}{'' if domain is None else ', ' + domain}"
            f"{'' if subject is None else ', ' + subject_name(subject, 'en')}")
    if aggregated:
        return _target_levels_by_group(table, plans, what, ax, lang)
    labels = plan_labels(plans, lang)
    parent_word = "parent" if lang == "en" else "上级"
    levels = [lv for lv in escalation.LEVEL_RANK if lv in set(table["level"])] or list(escalation.LEVEL_RANK)
    with themed():
        fig, ax, own = figure_axes(ax, (8, min(0.45 * max(len(table), 3) + 2.2, 20)))
        right_column = blended_transform_factory(ax.transAxes, ax.transData)
        y = np.arange(len(table))
        for yi, row in zip(y, table.itertuples()):
            colour = ESCALATION_COLOURS.get(row.direction, "#333333")
            if pd.notna(row.parent_value):
                ax.plot([row.parent_value, row.value], [yi, yi], color=colour, lw=1.6, zorder=1)
                ax.scatter([row.parent_value], [yi], s=60, facecolors="white", edgecolors="#8c8c8c", lw=1.4, zorder=2)
            ax.scatter([row.value], [yi], s=60, color=colour, zorder=3, clip_on=False)
            note = f"{row.value:g}"
            if subject is None and row.indicator_subject:
                note += f" {subject_name(row.indicator_subject, lang)}"
            later = tr(lang, "上级晚发布", "parent issued later") if lang != "en" else "parent issued later"
            parent_later = pd.notna(row.parent_issued_after) and bool(row.parent_issued_after)
            if row.direction:
                note += (f"  ({direction_word(row.direction, lang)}, {parent_word} {row.parent_value:g} · "
                         f"{labels.get(row.parent_id, row.parent_id)}{'; ' + later if parent_later else ''})")
            elif parent_later:
                note += f"  ({later}: {labels.get(row.parent_id, row.parent_id)})"
            # in a column right of the axes, as the pass-rate chart: clear of the grid, never out of the axes
            ax.text(1.02, yi, note, transform=right_column, va="center", fontsize=9, gid="value_label")
        ax.set_yticks(y, [f"{labels.get(p, p)} · {level_name(lv, lang)}" for p, lv in zip(table["plan_id"], table["level"])])
        ax.set_ylim(max(len(table), 1) - 0.4, -0.6)  # first row on top; no marker cut by the axes' edge
        # a band per level, national at the top
        for lv in levels:
            rows = np.flatnonzero(table["level"].to_numpy() == lv)
            if len(rows) and rows.max() < len(table) - 1:
                ax.axhline(rows.max() + 0.5, color="#dddddd", lw=0.8)
        if len(table):
            low, high = np.nanmin(np.r_[table["value"], table["parent_value"]]), np.nanmax(np.r_[table["value"], table["parent_value"]])
            pad = max(1.0, (5 - (high - low)) / 2)  # five points at least: whole-number ticks
            ax.set_xlim(low - pad, high + pad)
            ax.set_xlabel(tr(lang, "目标值", f"target value ({what})"))
            handles = [ax.scatter([], [], color=ESCALATION_COLOURS[d], label=direction_word(d, lang))
                       for d in ("raised", "same", "lowered")]
            handles.append(ax.scatter([], [], color="#333333", label=tr(lang, "无可比上级目标", "no parent target")))
            handles.append(ax.scatter([], [], facecolors="white", edgecolors="#8c8c8c", label=tr(lang, "上级规划", "parent")))
            legend_below(ax, handles)
        else:
            no_data(ax, lang, "没有规划设定该目标", f"no plan sets a {what} target")
        zh_what = "" if subject is None else f"（{subject_name(subject)}）"
        en_what = "" if subject is None else f" ({subject_name(subject, 'en')} only)"
        titles(ax, f"目标的层层传导：各级规划与上级规划{zh_what}",
                f"A target across levels: each plan's value and its parent's{en_what}", lang)
        return finish(fig, own, ax)


def _target_levels_by_group(table: pd.DataFrame, plans: pd.DataFrame, what: str, ax, lang: str) -> Figure:
    """:func:`target_across_levels` beyond :data:`AGGREGATE_OVER` plans: one row per province."""
    groups = plan_groups(plans, lang)
    table = table.assign(group=table["plan_id"].map(groups))
    order = [g for g in _group_order(groups, lang) if g in set(table["group"])]
    row_of = {g: i for i, g in enumerate(order)}
    levels = [lv for lv in LEVEL_NAMES if lv in set(table["level"])]
    spread = {lv: (i - (len(levels) - 1) / 2) * 0.16 for i, lv in enumerate(levels)}  # a level a little apart
    with themed():
        fig, ax, own = figure_axes(ax, (9, min(0.42 * max(len(order), 3) + 2.4, 20)))
        if len(table):
            for (lv, direction), part in table.groupby(["level", "direction"], sort=True):
                ax.scatter(part["value"], part["group"].map(row_of) + spread.get(lv, 0), s=26, alpha=0.75,
                           marker=LEVEL_MARKERS.get(lv, "o"), color=ESCALATION_COLOURS.get(direction, "#333333"), zorder=3)
            high = float(table["value"].max())
            low = float(table["value"].min())
            for g, part in table.groupby("group", sort=True):
                counts = part["direction"].value_counts()
                n_later = int(part["parent_issued_after"].fillna(False).astype(bool).sum())
                if lang == "en":
                    parts = [f"{int(counts[d])} {d}" for d in ("raised", "same", "lowered") if d in counts]
                    parts += [f"{n_later} with a parent issued later"] if n_later else []
                    text = f"{len(part)} plan{'' if len(part) == 1 else 's'}" + (": " + ", ".join(parts) if parts else "")
                else:
                    parts = [f"{ESCALATION_ZH[d]} {int(counts[d])}" for d in ("raised", "same", "lowered") if d in counts]
                    parts += [f"上级晚发布 {n_later}"] if n_later else []
                    text = f"{len(part)} 个规划" + ("：" + "，".join(parts) if parts else "")
                ax.annotate(text, (1, row_of[g]), xycoords=("axes fraction", "data"), xytext=(8, 0),
                            textcoords="offset points", va="center", fontsize=8.5, color="#444444")
            ax.set_yticks(np.arange(len(order)), order)
            ax.set_ylim(len(order) - 0.5, -0.5)
            ax.set_xlim(low - max(1, 0.05 * (high - low)), high + max(1, 0.05 * (high - low)))
            ax.set_xlabel(tr(lang, "目标值", f"target value ({what})"))
            handles = [ax.scatter([], [], color=ESCALATION_COLOURS[d], s=30, label=direction_word(d, lang))
                       for d in ("raised", "same", "lowered")]
            handles.append(ax.scatter([], [], color="#333333", s=30, label=tr(lang, "无可比上级目标", "no parent target")))
            handles += _level_legend(ax, levels, lang)
            legend_below(ax, handles)
        else:
            no_data(ax, lang, "没有规划设定该目标", f"no plan sets a {what} target")
        titles(ax, "目标的层层传导：各级规划与上级规划",
                "A target across levels: each plan's value, coloured by its direction against its parent's",
                lang, group_note(lang, len(plans)))
        return finish(fig, own, ax)


def adoption_by_plan(source, *, plans: pd.DataFrame | None = None, ax=None, lang: str = "zh") -> Figure:
    """Stacked bars per plan with a parent: the parent's tasks copied, adapted, dropped, and the plan's own (added).

    A plan whose parent was issued after it is labelled so (上级晚发布 / parent
    issued later): its 'copied' or 'adapted' tasks are similar wording, not
    adoption.  Beyond :data:`AGGREGATE_OVER` plans one bar per province: the
    mean over its plans that have a parent, with their number at the right.  ``source``: a corpus, the dict
    of a run's tables (``adoption_summary``, ``plans``), or the adoption_summary table (with ``plans=``).
    """
    check_lang(lang)
    tables = figure_tables(source, main="adoption_summary", plans=plans)
    plans = tables["plans"]
    summary = tables["adoption_summary"]
    statuses = ("copied", "adapted", "dropped", "added")
    aggregated = is_aggregated(len(plans))
    if aggregated:
        groups = plan_groups(plans, lang)
        grouped = summary.assign(group=summary["plan_id"].map(groups)).groupby("group")
        counts = grouped.size()
        order = [g for g in _group_order(groups, lang) if g in counts.index]
        bars = grouped[list(statuses)].mean().reindex(order)
        ticks = order
        notes = [(f"{counts[g]} plans" if lang == "en" else f"{counts[g]} 个规划") for g in order]
    else:
        labels = plan_labels(plans, lang)
        rank = {p: i for i, p in enumerate(plan_order(plans))}  # the one plan order of every figure
        summary = summary.iloc[np.argsort([rank.get(p, len(rank)) for p in summary["plan_id"]], kind="stable")]
        bars = summary[list(statuses)]
        later = tr(lang, "上级晚发布", "parent later") if lang != "en" else "parent issued later"
        # a parent issued after its plan: similar wording then is no adoption, and the label says so
        ticks = [f"{labels.get(p, p)} ← {labels.get(q, q)}" + (f" ({later})" if pd.notna(a) and bool(a) else "")
                 for p, q, a in zip(summary["plan_id"], summary["parent_id"], summary["parent_issued_after"])]
        notes = []
    with themed():
        fig, ax, own = figure_axes(ax, (8, min(0.42 * max(len(bars), 3) + 2.0, 20)))
        if len(bars):
            y = np.arange(len(bars))
            left = np.zeros(len(bars))
            for status in statuses:
                values = bars[status].to_numpy(dtype=float)
                ax.barh(y, values, left=left, height=0.6, color=ESCALATION_COLOURS[status], label=direction_word(status, lang))
                left += values
            for yi, note, end in zip(y, notes, left):
                ax.annotate(note, (end, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5,
                            color="#444444", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            ax.set_yticks(y, ticks)
            ax.set_ylim(len(bars) - 0.5, -0.5)
            ax.grid(axis="y", visible=False)  # no line through the bars' notes
            if notes:
                ax.set_xlim(0, float(left.max()) * 1.15)
            per = "mean per plan with a parent" if aggregated else "parent's tasks copied / adapted / dropped, then the plan's own"
            ax.set_xlabel(tr(lang, "任务数", f"tasks ({per})"))
            ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
        else:
            no_data(ax, lang, "没有上级规划", "no plan has a parent plan in the corpus")
        titles(ax, "下级规划对上级任务的采纳", "Adoption of the parent's tasks, per plan" if not aggregated else
                "Adoption of the parent's tasks, mean per plan", lang, group_note(lang, len(plans)) if aggregated else "")
        return finish(fig, own, ax)


def _date_zh(x: float, pos=None) -> str:
    """A date tick in Chinese: the year at a new year and on the first tick, else 7月 (or 7月15日)."""
    d = mdates.num2date(x)
    day = f"{d.month}月" if d.day == 1 else f"{d.month}月{d.day}日"
    if d.month == 1 and d.day == 1:
        return f"{d.year}年"
    return f"{d.year}年{day}" if pos == 0 else day


def diffusion_timeline(source, *, min_chars: int = 20, plans: pd.DataFrame | None = None, ax=None,
                       lang: str = "zh") -> Figure:
    """Plans on a time axis (issue date) by level, with candidate diffusion edges earlier → later.

    An arrow is drawn for each edge of :func:`policycompare.analyze.escalation.diffusion`
    with at least ``min_chars`` exclusive characters, wider for more text.
    Candidate edges only: shared text does not prove who copied whom.  Beyond
    :data:`AGGREGATE_OVER` plans one row per province (plans as unlabelled
    dots, their level as the marker) and only the :data:`DIFFUSION_EDGES_SHOWN`
    edges with the most exclusive characters.  ``source``: a corpus, the dict of a run's tables
    (``diffusion``, ``plans``), or the diffusion table (with ``plans=``).
    """
    check_lang(lang)
    tables = figure_tables(source, main="diffusion", plans=plans)
    edges = tables["diffusion"]
    edges = edges[edges["exclusive_chars"] >= min_chars]
    n_edges = len(edges)
    plans = tables["plans"]
    aggregated = is_aggregated(len(plans))
    dated = plans[pd.to_datetime(plans["issued_date"].astype(str), errors="coerce", format="%Y-%m-%d").notna()]
    rank = escalation.LEVEL_RANK
    when = {p: pd.Timestamp(d) for p, d in zip(dated["plan_id"], dated["issued_date"])}
    level_of = dict(zip(dated["plan_id"], dated["level"]))
    offsets = {}
    if aggregated:
        edges = edges.sort_values(["exclusive_chars", "later_id", "earlier_id"], ascending=[False, True, True],
                                  kind="stable").head(DIFFUSION_EDGES_SHOWN)
        groups = plan_groups(plans, lang)
        order = _group_order({p: groups[p] for p in dated["plan_id"]}, lang)
        row_of = {g: i for i, g in enumerate(order)}
        levels = [lv for lv in LEVEL_NAMES if lv in set(dated["level"])]
        for p in dated["plan_id"]:
            offsets[p] = row_of[groups[p]] + (list(LEVEL_NAMES).index(level_of[p]) - 1.5) * 0.14 \
                if level_of[p] in LEVEL_NAMES else row_of[groups[p]]
        ticks, tick_labels = list(range(len(order))), order
        height = min(0.36 * max(len(order), 4) + 2.6, 20)
    else:
        labels = plan_labels(plans, lang)
        # every dot on its level's line; a label stands on the side its arrows leave free (an arrow to a lower
        # level, or one along the same level, which bends down, leaves the top free), else the labels of one level
        # take turns above and below (further out for the third and fourth): neighbours in time never overlap
        for p in dated["plan_id"]:
            offsets[p] = rank.get(level_of[p], 4)
        down = {p: 0 for p in when}
        for a, b in zip(edges["earlier_id"], edges["later_id"]):
            if a in when and b in when:
                # an arrow to another level weighs more than a bent one along the line (it runs closer by)
                for here, there in ((a, b), (b, a)):
                    down[here] += 1 if offsets[there] == offsets[here] else 2 if offsets[there] > offsets[here] else -2
        label_at = {}
        near = max((max(when.values()) - min(when.values())) / 9, pd.Timedelta(days=60)) if when else None
        for lv, group in dated.groupby("level"):
            placed: list[str] = []
            for k, p in enumerate(sorted(group["plan_id"], key=lambda p: (when[p], p))):
                side = 1 if down[p] > 0 else -1 if down[p] < 0 else (1 if k % 2 == 0 else -1)
                taken = {label_at[q] for q in placed if when[p] - when[q] < near}  # neighbours' places
                label_at[p] = next(side * d for d in (7, 19, 31, 43) if side * d not in taken)
                placed.append(p)
        ticks, tick_labels = list(rank.values()), [level_name(lv, lang, both=True) for lv in rank]
        height = 5.2
    with themed():
        fig, ax, own = figure_axes(ax, (10, height))
        if when:
            top = max(1.0, float(edges["exclusive_chars"].max()) if len(edges) else 1.0)
            for row in edges.itertuples():
                a, b = row.earlier_id, row.later_id
                same_line = not aggregated and offsets[a] == offsets[b]  # bent below the line, not along it
                ax.annotate("", xy=(mdates.date2num(when[b]), offsets[b]), xytext=(mdates.date2num(when[a]), offsets[a]),
                            arrowprops={"arrowstyle": "->", "connectionstyle": f"arc3,rad={0.25 if same_line else 0}",
                                        "lw": (0.4 + 1.4 * row.exclusive_chars / top) if aggregated
                                        else 0.6 + 2.4 * row.exclusive_chars / top,
                                        "color": "#c44e52" if row.relation in ("parent", "ancestor") else "#7f9cc0",
                                        "alpha": 0.55 if aggregated else 0.75, "shrinkA": 5, "shrinkB": 5})
            if aggregated:
                for lv in levels:
                    ids = [p for p in when if level_of[p] == lv]
                    ax.scatter([mdates.date2num(when[p]) for p in ids], [offsets[p] for p in ids], s=22,
                               marker=LEVEL_MARKERS[lv], color="#3b75af", alpha=0.8, zorder=3)
                ax.legend(handles=_level_legend(ax, levels, lang), frameon=False, loc="upper left",
                          bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
            else:
                for p, t in when.items():
                    ax.scatter([mdates.date2num(t)], [offsets[p]], s=30, color="#3b75af", zorder=6, clip_on=False,
                               gid="plan_dot")
                    ax.annotate(labels.get(p, p), (mdates.date2num(t), offsets[p]), xytext=(0, label_at[p]),
                                textcoords="offset points", ha="center", va="bottom" if label_at[p] > 0 else "top",
                                fontsize=8, zorder=5, gid="plan_label",  # over the arrows, on a white ground
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 0.6})
            ax.margins(x=0.06)  # the first and last labels clear of the axes' edges
            ax.xaxis_date()
            locator = mdates.AutoDateLocator()  # with concise labels (2017, Apr, Jul): never crowded
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator) if lang == "en"
                                         else FuncFormatter(_date_zh))
            ax.set_yticks(ticks, tick_labels)
            ax.set_ylim(len(ticks) - 0.4, -0.6)
            ax.set_xlabel(tr(lang, "发布日期", "issue date (undated plans left out)"))
        else:
            no_data(ax, lang, "没有注明发布日期的规划", "no plan has an issue date")
        undated = len(plans) - len(dated)
        note = f"≥{min_chars} exclusive shared characters; {undated} undated plans left out;\nred: from a parent or ancestor"
        if aggregated:
            note = f"{group_note(lang, len(plans))};\nthe {len(edges)} strongest of {n_edges} edges; " + note.replace("\n", " ")
        titles(ax, "文本扩散的候选路径（早 → 晚）", "Candidate diffusion edges, earlier → later", lang, note)
        return finish(fig, own, ax)


#: Figures of issue 15, written by ``policycompare run`` after the others.
ESCALATION_FIGURES = {
    "target_across_levels": target_across_levels,
    "adoption_by_plan": adoption_by_plan,
    "diffusion_timeline": diffusion_timeline,
}
