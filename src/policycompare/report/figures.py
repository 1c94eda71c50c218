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
from matplotlib.transforms import blended_transform_factory

from ..extract.sectors import categories
from ..ingest.files import write_bytes_atomic
from .agency_figures import agency_lead_counts, agency_network_graph

# the escalation figures belong to the report too: FIGURES lists them, pc.figures.<name> reaches them
from .escalation_figures import ESCALATION_FIGURES, adoption_by_plan, diffusion_timeline, target_across_levels  # noqa: F401
from .labels import (
    AGGREGATE_OVER,
    group_note,
    is_aggregated,
    plan_columns,
    plan_groups,
    plan_labels,
    plan_order,
    sampling_name,
    subject_name,
)

# pc.figures.use_style() and pc.figures.themed() (README): the style of every figure, for your own plots
from .style import COLOURS, DPI, NO_DATA, check_lang, figure_axes, finish, heatmap, legend_below, no_data, themed, titles, tr, use_style  # noqa: F401
from .tables import figure_tables

# the tile-grid maps of the provinces: FIGURES lists them too
from .tile_map import MAP_FIGURES, escalation_map, pass_rate_map  # noqa: F401

#: The national goal the pass-rate chart draws its reference line at (国办发〔2016〕68号: 90%).
NATIONAL_PASS_RATE = 90.0


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


def pass_rate_thresholds(source, *, subject: str | None = "consumer_goods", ax=None, lang: str = "zh",
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
    province and every plan a dot.  ``source``: a corpus, the dict of a run's
    tables (``pass_rates``, ``plans``), or the pass-rate table alone
    (``plans``, the plans table, then gives the labels).
    """
    check_lang(lang)
    tables = figure_tables(source, main="pass_rates", plans=plans)
    table, plans = tables["pass_rates"].copy(), tables["plans"]
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


def brand_award_targets(source, *, plans: pd.DataFrame | None = None, ax=None, lang: str = "zh") -> Figure:
    """Grouped bars: number of brand and award targets per plan (per province beyond :data:`AGGREGATE_OVER` plans).

    ``source``: a corpus, the dict of a run's tables (``brand_counts``, ``plans``), or the brand_counts table
    (with ``plans=``)."""
    check_lang(lang)
    tables = figure_tables(source, main="brand_counts", plans=plans)
    plans, counts = tables["plans"], tables["brand_counts"]
    aggregated = is_aggregated(len(plans))
    counts, order, names = plan_columns(plans, counts, lang)
    table = (counts.groupby(["plan_id", "metric"]).size().unstack(fill_value=0)
             .reindex(index=order, columns=["brand", "award"], fill_value=0).fillna(0).astype(int))
    with themed():
        fig, ax, own = figure_axes(ax, (max(7.5, min(0.45 * len(order) + 3, 20)), 4.4))
        if not order or not len(counts):
            no_data(ax, lang, "没有品牌或奖项目标", "no brand or award targets")
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
        note = group_note(lang, len(plans)) if aggregated else ""
        titles(ax, "品牌与奖项目标", "Brand and award targets per plan (restatements counted once)", lang, note)
        return finish(fig, own, ax)


#: Values :func:`sector_coverage_heatmap` can show: (Chinese, English) of the colour bar.
SECTOR_VALUES = {"share_of_tasks": ("任务占比", "share of the plan's tasks"), "tasks": ("任务数", "tasks (count)"),
                 "mentions": ("提及次数", "mentions (count)")}


def sector_coverage_heatmap(source, *, value: str = "share_of_tasks", plans: pd.DataFrame | None = None, ax=None,
                            lang: str = "zh") -> Figure:
    """Heatmap category × plan: the share of the plan's tasks naming the category (``value="tasks"``
    or ``"mentions"``: counts, which favour long plans; the title says so); beyond
    :data:`AGGREGATE_OVER` plans, category × province: mean share of a plan's tasks.
    Categories are named in the figure's language (家用电器 / Household appliances), never by their ids.
    ``source``: a corpus, the dict of a run's tables (``sector_coverage``, ``plans``), or the
    sector_coverage table (with ``plans=``)."""
    check_lang(lang)
    if value not in SECTOR_VALUES:
        raise ValueError(f"value must be one of {', '.join(SECTOR_VALUES)}, not {value!r}")
    tables = figure_tables(source, main="sector_coverage", plans=plans)
    cov, plans = tables["sector_coverage"], tables["plans"]
    cats = categories()
    aggregated = is_aggregated(len(plans))
    if aggregated:
        groups = plan_groups(plans, lang)
        table = (cov.assign(group=cov["plan_id"].map(groups))
                 .pivot_table(index="category", columns="group", values="share_of_tasks", aggfunc="mean")
                 .reindex(index=list(cats)))
        fmt, label = ".0%", tr(lang, "任务占比（平均）", "mean share of tasks")
    else:
        labels = plan_labels(plans, lang)
        table = cov.pivot(index="category", columns="plan_id", values=value).reindex(index=list(cats),
                                                                                     columns=plan_order(plans))
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
        titles(ax, zh, en, lang, group_note(lang, len(plans)) if aggregated else "")
        return finish(fig, own, ax)


def _similarity_table(source, plans):
    if isinstance(source, pd.DataFrame) and plans is None:  # no plans: the ids the table names
        return source, None
    tables = figure_tables(source, main="plan_similarity", plans=plans)
    return tables["plan_similarity"], tables["plans"]


def plan_similarity_heatmap(source, *, value: str = "score", plans: pd.DataFrame | None = None,
                            ax=None, lang: str = "zh") -> Figure:
    """Heatmap plan × plan of task similarity (``score``) or document cosine (``doc_cosine``).

    Works from the long table (plan_a, plan_b, score, doc_cosine): a pair
    missing from it (not among a plan's top-k) is a blank cell.  Beyond
    :data:`AGGREGATE_OVER` plans the cells are province × province: the mean
    over the listed pairs of plans of the two provinces (a plan with itself
    left out).  ``source``: a corpus, the dict of a run's tables, or the plan_similarity table.
    """
    check_lang(lang)
    table, plans = _similarity_table(source, plans)
    ids = plan_order(plans) if plans is not None else sorted(set(table["plan_a"]) | set(table["plan_b"]))
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


#: Figure name -> function of the corpus or the run's tables; the order of the report.
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


class WrittenFigures(list):
    """The files :func:`write_figures` wrote (a list of paths), with ``skipped``: figure name -> why
    it was not written (no data, or an error)."""

    def __init__(self, paths=(), skipped: dict[str, str] | None = None) -> None:
        super().__init__(paths)
        self.skipped = dict(skipped or {})


def write_figures(source, out_dir: str | Path = "figures", *, progress=None, lang: str = "zh") -> WrittenFigures:
    """Render every figure of :data:`FIGURES` into ``out_dir`` as PNG and SVG (texts in ``lang``).

    ``source``: the dict of tables a run built (``policycompare run`` passes
    them: no table is computed again), or a corpus.  ``progress(n)`` is
    called after the n-th figure.  A figure without data is not written, nor
    one that cannot be drawn (with a warning naming it); the returned list of
    files says which were skipped and why (``.skipped``).
    """
    check_lang(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = figure_tables(source)  # one set of tables for every figure: each computed at most once
    written = WrittenFigures()
    for n, (name, make) in enumerate(FIGURES.items(), start=1):
        kwargs = {"lang": lang} if "lang" in inspect.signature(make).parameters else {}
        try:
            fig = make(tables, **kwargs)
        except Exception as err:  # noqa: BLE001 - one figure must not stop the run
            warnings.warn(f"figure {name} skipped: {type(err).__name__}: {err}", RuntimeWarning, stacklevel=2)
            written.skipped[name] = f"error: {type(err).__name__}: {err}"
        else:
            reason = getattr(fig, NO_DATA, None)
            if reason:
                written.skipped[name] = reason
            else:
                written += save_figure(fig, out_dir / name)
        if progress:
            progress(n)
    return written

FIGURES.update(ESCALATION_FIGURES)
FIGURES.update(MAP_FIGURES)
