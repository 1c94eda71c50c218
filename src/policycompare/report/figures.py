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

from .. import config
from ..ingest.files import write_bytes_atomic

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


#: Beyond this many plans, per-plan figures show provinces (each plan still a dot where it can be).
AGGREGATE_OVER = config.AGGREGATE_OVER
#: Languages of the figure texts: ``zh`` (Chinese title, English subtitle) or ``en`` (English only).
LANGS = ("zh", "en")
#: The national goal the pass-rate chart draws its reference line at (国办发〔2016〕68号: 90%).
NATIONAL_PASS_RATE = 90.0
#: Function of ``data/agencies.csv`` whose entries are places (parks, zones), not agencies.
PLACE_FUNCTIONS = {"园区"}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def _tr(lang: str, zh: str, en: str) -> str:
    """The Chinese text with its English after it (``zh``), or the English alone (``en``)."""
    return en if lang == "en" else f"{zh} · {en}"


def _titles(ax, zh: str, en: str, lang: str = "zh", note: str = "") -> None:
    """Title and subtitle flush left above the axes: Chinese over English (``zh``), or English over ``note``."""
    title, subtitle = (en, note) if lang == "en" else (zh, en + (f" ({note})" if note else ""))
    if subtitle:
        ax.annotate(subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                    fontsize=9.5, color="#555555", ha="left", va="bottom")
    lines = subtitle.count("\n") + 1  # a long subtitle may be broken over lines: the title stands above them all
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(0, 21 + 12.5 * (lines - 1) if subtitle else 6),
                textcoords="offset points", fontsize=13.5, ha="left", va="bottom")


def _axes(ax, figsize: tuple[float, float]):
    """(figure, axes, whether this call made the figure): a new Figure unless the caller gave ``ax``."""
    if ax is not None:
        return ax.figure, ax, False
    fig, ax = _new_figure(figsize)
    return fig, ax, True


def _finish(fig, own: bool, ax=None) -> Figure:
    """Lay out a figure this module made; on a caller's axes (made outside the style, so its tick
    labels carry matplotlib's default font) give every text the CJK font."""
    if own:
        fig.tight_layout()
    elif ax is not None:
        from matplotlib.text import Text

        family = [cjk_font(), "DejaVu Sans"]
        for axes in [ax] + [a for a in fig.axes if a.get_label() == "<colorbar>"]:
            for text in axes.findobj(Text):
                text.set_fontfamily(family)
    return fig


def _no_data(ax, lang: str, zh: str, en: str) -> None:
    """A figure without data: a note in the middle of empty axes (the figure is still made and saved)."""
    ax.text(0.5, 0.5, _tr(lang, f"没有数据：{zh}", f"no data: {en}") if lang != "en" else f"no data: {en}",
            ha="center", va="center", transform=ax.transAxes, color="#555555", fontsize=11, wrap=True)
    ax.set_axis_off()


def _heatmap(ax, data: pd.DataFrame, *, fmt: str, label: str, **kwargs) -> None:
    """A heatmap in the house style: numbers in the cells up to ``ANNOTATE_UP_TO`` columns,
    a labelled colour bar, no axis titles or grid, upright labels (vertical x labels past 8 columns)."""
    from matplotlib.ticker import PercentFormatter

    cbar = {"label": label, **({"format": PercentFormatter(1.0, decimals=0)} if fmt.endswith("%") else {})}
    if kwargs.get("square"):  # a square grid is shorter than its axes: keep the colour bar below the titles
        cbar["shrink"] = 0.8
    sns.heatmap(data, annot=len(data.columns) <= ANNOTATE_UP_TO and len(data) <= 40, fmt=fmt, cmap=PALETTE,
                linewidths=0.5 if max(data.shape) <= 60 else 0, cbar_kws=cbar, ax=ax, **kwargs)
    ax.set_xlabel("")
    ax.set_ylabel("")
    long_labels = max((len(str(c)) for c in data.columns), default=0) > 4
    if len(data.columns) > 8:
        ax.tick_params(axis="x", rotation=90)
    elif long_labels:  # slanted, so that neighbouring labels never run into each other
        for label in ax.get_xticklabels():
            label.set_rotation(35)
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
    else:
        ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)


def _plan_year(plans: pd.DataFrame) -> pd.Series:
    """Year of each plan for its label: issue year, else the year in its plan_id, else its period start."""
    issued = plans["issued_date"].fillna("").astype(str).str.extract(r"^(\d{4})", expand=False)
    from_id = plans["plan_id"].astype(str).str.extract(r"((?:19|20)\d\d)(?!.*\d)", expand=False)
    start = plans["period_start"].astype("string").fillna("") if "period_start" in plans else ""
    year = issued.fillna(from_id).fillna(start if isinstance(start, pd.Series) else "")
    return year.fillna("").astype(str)


def plan_labels(plans: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """plan_id -> short label: the jurisdiction (romanised with ``lang="en"``), with the year when two
    plans share it (上海市 2017 / 上海市 2018), with the plan_id when that is not enough; the plan_id
    when the jurisdiction is missing."""
    from ..english import jurisdiction_en

    _check_lang(lang)
    if plans.empty:
        return {}
    names = plans["jurisdiction"].fillna("").astype(str)
    if lang == "en":
        names = names.map(jurisdiction_en)
    names.index = plans["plan_id"].to_numpy()
    ids = pd.Series(plans["plan_id"].to_numpy(), index=names.index)
    base = names.where(names != "", ids)
    year = pd.Series(_plan_year(plans).to_numpy(), index=names.index)
    id_year = pd.Series(plans["plan_id"].astype(str).str.extract(r"((?:19|20)\d\d)(?!.*\d)", expand=False)
                        .fillna("").to_numpy(), index=names.index)
    label = base
    for suffix in (year, id_year, ids):  # the issue year; the year in the file name; the plan_id
        clash = label.map(label.value_counts()) > 1
        if not clash.any():
            break
        label = label.where(~clash | (suffix == ""), base + " " + suffix)
    return label.to_dict()


def plan_groups(plans: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """plan_id -> the group a plan is shown in beyond :data:`AGGREGATE_OVER` plans: its province
    (全国 / China for national documents, 未知 / unknown when the page names none)."""
    from ..english import jurisdiction_en

    out = {}
    for row in plans[["plan_id", "province", "level"]].itertuples(index=False):
        province = str(row.province or "")
        if row.level == "national" or province in ("中国", "全国"):
            out[row.plan_id] = "China (national)" if lang == "en" else "全国"
        elif province:
            out[row.plan_id] = jurisdiction_en(province) if lang == "en" else province
        else:
            out[row.plan_id] = "unknown" if lang == "en" else "未知"
    return out


def _aggregated(n_plans: int) -> bool:
    return n_plans > AGGREGATE_OVER


def _group_note(lang: str, n_plans: int) -> str:
    return (f"{n_plans} plans grouped by province" if lang == "en"
            else f"{n_plans} 个规划按省份汇总 / {n_plans} plans grouped by province")


def _pass_rate_table(corpus_or_table):
    from ..analyze import compare

    if isinstance(corpus_or_table, pd.DataFrame):
        return corpus_or_table.copy(), None
    return compare.pass_rates(corpus_or_table), corpus_or_table.plans


def subject_name(subject: str, lang: str = "zh") -> str:
    """An indicator subject (``consumer_goods``) in Chinese (消费品) or English (consumer goods); '' stays ''."""
    from ..extract.indicators import subjects

    named = subjects().get(subject)
    if named is None:
        return subject
    return named.en if lang == "en" else named.zh


def sampling_name(sampling: str, lang: str = "zh") -> str:
    """A sampling level (``national``) in Chinese (国家抽查) or English (national); '' and unspecified give ''."""
    from ..extract.indicators import sampling_levels

    named = sampling_levels().get(sampling)
    if named is None or sampling == "unspecified":
        return ""
    return named.en if lang == "en" else named.zh


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
    from matplotlib.transforms import blended_transform_factory

    _check_lang(lang)
    table, corpus_plans = _pass_rate_table(corpus_or_table)
    plans = plans if plans is not None else corpus_plans
    if plans is None:
        plans = table.drop_duplicates("plan_id").assign(issued_date="", province="", period_start=pd.NA)[
            ["plan_id", "jurisdiction", "level", "province", "issued_date", "period_start"]]
    values = pd.to_numeric(table["threshold"], errors="coerce").astype(float)
    table, elsewhere = _one_subject(table.assign(threshold=values), subject, lang)
    aggregated = _aggregated(len(table))
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
        fig, ax, own = _axes(ax, (7.5, 0.42 * n + 1.9))
        if table.empty:
            _no_data(ax, lang, "没有规划", "no plans")
        else:
            ypos = {label: i for i, label in enumerate(rows)}
            has = table["threshold"].notna()
            lo = float(np.nanmin(table["threshold"])) if has.any() else NATIONAL_PASS_RATE
            ax.set_xlim(min(lo - 1.5, NATIONAL_PASS_RATE - 3), 100.5)
            ax.set_ylim(n - 0.4, -0.6)  # first row on top, no row on the axis
            ax.axvline(NATIONAL_PASS_RATE, color="#c44e52", linestyle="--", linewidth=1, zorder=1)
            ax.annotate(_tr(lang, f"全国目标 {NATIONAL_PASS_RATE:g}%", "national goal") if lang != "en"
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
            ax.set_xlabel(_tr(lang, "监督抽查合格率目标 (%)", "pass-rate threshold (%)"))
        note = _group_note(lang, len(table)) if aggregated else ""
        if aggregated:
            note += "; each dot a plan" if lang == "en" else "；每点一个规划"
        if subject is None:
            zh, en = "产品质量合格率目标（按指标对象分列）", "Pass-rate thresholds set by each plan, one row per indicator subject"
        else:
            zh = f"{subject_name(subject)}质量监督抽查合格率目标"
            en = f"Pass-rate thresholds for {subject_name(subject, 'en')} set by each plan (other indicators not plotted)"
        _titles(ax, zh, en, lang, note)
        return _finish(fig, own, ax)


def brand_award_targets(corpus, *, ax=None, lang: str = "zh") -> Figure:
    """Grouped bars: number of brand and award targets per plan (per province beyond :data:`AGGREGATE_OVER` plans)."""
    from ..analyze import compare

    _check_lang(lang)
    plans = corpus.plans
    counts = compare.brand_counts(corpus)
    aggregated = _aggregated(len(plans))
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
        fig, ax, own = _axes(ax, (max(7.5, min(0.45 * len(order) + 3, 20)), 4.4))
        if not order:
            _no_data(ax, lang, "没有规划", "no plans")
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
            ax.set_ylabel(_tr(lang, "目标数", "number of targets"))
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.set_ylim(0, max(int(table.to_numpy().max()), 1) * 1.2)
            ax.legend(frameon=False, loc="upper right")
            if not len(counts):
                ax.text(0.5, 0.5, "没有品牌或奖项目标 / no brand or award targets" if lang != "en"
                        else "no brand or award targets", transform=ax.transAxes, ha="center", color="#555555")
        note = _group_note(lang, len(plans)) if aggregated else ""
        _titles(ax, "品牌与奖项目标", "Brand and award targets per plan (restatements counted once)", lang, note)
        return _finish(fig, own, ax)


#: Values :func:`sector_coverage_heatmap` can show: (Chinese, English) of the colour bar.
SECTOR_VALUES = {"share_of_tasks": ("任务占比", "share of the plan's tasks"), "tasks": ("任务数", "tasks (count)"),
                 "mentions": ("提及次数", "mentions (count)")}


def sector_coverage_heatmap(corpus, *, value: str = "share_of_tasks", ax=None, lang: str = "zh") -> Figure:
    """Heatmap category × plan: the share of the plan's tasks naming the category (``value="tasks"``
    or ``"mentions"``: counts, which favour long plans; the title says so); beyond
    :data:`AGGREGATE_OVER` plans, category × province: mean share of a plan's tasks.
    Categories are named in the figure's language (家用电器 / Household appliances), never by their ids."""
    from ..analyze import compare
    from ..extract.sectors import categories

    _check_lang(lang)
    if value not in SECTOR_VALUES:
        raise ValueError(f"value must be one of {', '.join(SECTOR_VALUES)}, not {value!r}")
    cov = compare.sector_coverage(corpus)
    cats = categories()
    aggregated = _aggregated(len(corpus.plans))
    if aggregated:
        groups = plan_groups(corpus.plans, lang)
        table = (cov.assign(group=cov["plan_id"].map(groups))
                 .pivot_table(index="category", columns="group", values="share_of_tasks", aggfunc="mean")
                 .reindex(index=list(cats)))
        fmt, label = ".0%", _tr(lang, "任务占比（平均）", "mean share of tasks")
    else:
        labels = plan_labels(corpus.plans, lang)
        table = cov.pivot(index="category", columns="plan_id", values=value).reindex(index=list(cats), columns=corpus.plan_ids)
        table.columns = [labels[p] for p in table.columns]
        fmt = ".0%" if value == "share_of_tasks" else "d"
        label = _tr(lang, *SECTOR_VALUES[value])
    table.index = [cats[c].label_en if lang == "en" else cats[c].label_zh for c in table.index]
    with themed():
        fig, ax, own = _axes(ax, (min(0.6 * len(table.columns) + 5.5, 20), 0.38 * len(table) + 1.9))
        if table.empty or not table.notna().to_numpy().any():
            _no_data(ax, lang, "没有领域", "no sectors")
        else:
            _heatmap(ax, table, fmt=fmt, label=label)
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
        _titles(ax, zh, en, lang, _group_note(lang, len(corpus.plans)) if aggregated else "")
        return _finish(fig, own, ax)


def _similarity_table(corpus_or_table, plans):
    if isinstance(corpus_or_table, pd.DataFrame):
        return corpus_or_table, plans
    corpus = corpus_or_table
    from ..analyze import similarity

    return _built(corpus, "plan_similarity", similarity.plan_similarity), corpus.plans


def _built(corpus, name: str, compute):
    """The corpus' table ``name`` as a run built it (``corpus.tables()``), else ``compute(corpus)``."""
    built = getattr(corpus, "built_tables", None)
    cached = built() if built else None
    if cached and name in cached:
        return cached[name]
    return compute(corpus)


def plan_similarity_heatmap(corpus_or_table, *, value: str = "score", plans: pd.DataFrame | None = None,
                            ax=None, lang: str = "zh") -> Figure:
    """Heatmap plan × plan of task similarity (``score``) or document cosine (``doc_cosine``).

    Works from the long table (plan_a, plan_b, score, doc_cosine): a pair
    missing from it (not among a plan's top-k) is a blank cell.  Beyond
    :data:`AGGREGATE_OVER` plans the cells are province × province: the mean
    over the listed pairs of plans of the two provinces (a plan with itself
    left out).
    """
    _check_lang(lang)
    table, plans = _similarity_table(corpus_or_table, plans)
    ids = list(plans["plan_id"]) if plans is not None else sorted(set(table["plan_a"]) | set(table["plan_b"]))
    aggregated = _aggregated(len(ids))
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
        fig, ax, own = _axes(ax, (min(0.55 * n + 4, 18), min(0.45 * n + 2.4, 16)))
        if n == 0 or not matrix.notna().to_numpy().any():
            _no_data(ax, lang, "至少需要两个规划", "similarity needs two plans or more")
        else:
            _heatmap(ax, matrix, fmt=".2f", label=_tr(lang, "相似度", "similarity"), mask=mask, square=True,
                     vmin=0, vmax=max(float(np.nanmax(matrix.to_numpy())), 0.01))
        en = ("Plan similarity: mean best-match TF-IDF score of tasks" if value == "score"
              else "Plan similarity: document TF-IDF cosine")
        note = ""
        if aggregated:
            note = _group_note(lang, len(ids)) + ("; mean over the plan pairs listed (each plan's top matches)"
                                                 if lang == "en" else "；取列出的规划对的平均")
        _titles(ax, "规划间任务相似度", en, lang, note)
        return _finish(fig, own, ax)


def _agency_name(lang: str):
    from ..english import agency_en

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
    from ..analyze import compare

    _check_lang(lang)
    roles = compare.agency_roles(corpus)
    roles = roles[~roles["collective"].astype(bool) & ~roles["agency_canonical"].isin(_places(corpus))]
    roles = roles.assign(leading=roles["lead"] + roles["responsible"] + roles["guide"])
    aggregated = _aggregated(len(corpus.plans))
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
        fig, ax, own = _axes(ax, (min(0.6 * len(columns) + 5, 20), 0.42 * max(len(keep), 1) + 1.9))
        if not keep:
            _no_data(ax, lang, "没有规划写明牵头部门", "no task names a lead agency")
        else:
            table = (roles[roles["agency_canonical"].isin(keep)]
                     .pivot_table(index="agency_canonical", columns="plan_id", values="leading", aggfunc="sum", fill_value=0)
                     .reindex(index=keep, columns=columns, fill_value=0).fillna(0).astype(int))
            table.index = [name(a) for a in table.index]
            table.columns = [names[p] for p in table.columns]
            _heatmap(ax, table, fmt="d", label=_tr(lang, "任务数", "tasks"))
        _titles(ax, "主要部门牵头、负责或指导的任务数", f"Tasks led, owned or guided by the top {len(keep)} agency types",
                lang, _group_note(lang, len(corpus.plans)) if aggregated else "")
        return _finish(fig, own, ax)


def agency_network_graph(corpus, *, min_tasks: int = 3, top: int = 15, ax=None, lang: str = "zh") -> Figure:
    """The agency network: the ``top`` canonical agencies named on the most tasks, linked when named
    on the same tasks (edges of at least ``min_tasks`` shared tasks).

    Node size is the number of tasks an agency is named for, edge width the
    number of shared tasks (both explained in a legend); agencies sit on a
    circle grouped by function, so the layout is the same every run.
    Collective bodies and places (parks, zones) are left out.
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    from ..analyze import compare

    _check_lang(lang)
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
        fig, ax, own = _axes(ax, (9, 7.5))
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
            _legend_below(ax, [h for pair in zip(node_keys, edge_keys) for h in pair], offset=0.1, ncol=ncol,
                          borderpad=0.4, handleheight=3.2, handlelength=3, handletextpad=0.8, columnspacing=1.6)
        else:
            _no_data(ax, lang, "没有共同任务的部门", "no agencies share tasks")
        ax.set_axis_off()
        _titles(ax, "部门协作网络", f"Agency network: the top {graph.number_of_nodes()} agencies named on the same tasks", lang,
                f"edges: {min_tasks}+ shared tasks; all plans; collective bodies and places left out")
        return _finish(fig, own, ax)


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
    import io

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
    import inspect
    import warnings

    _check_lang(lang)
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


# --------------------------------------------------------------------------- escalation and diffusion (issue 15)

#: Colours of the escalation directions and adoption statuses.
ESCALATION_COLOURS = {
    "raised": "#c44e52", "same": "#8c8c8c", "lowered": "#3b75af", "dropped": "#b0b0b0", "added": "#55a868",
    "copied": "#c44e52", "adapted": "#ef8636", "": "#333333",
}
#: Level -> (Chinese, English) name, national first.
LEVEL_NAMES = {"national": ("全国", "national"), "province": ("省", "province"), "prefecture": ("市", "prefecture"),
               "county": ("县", "county")}
#: Markers of the levels where plans of several levels share one row (beyond :data:`AGGREGATE_OVER` plans).
LEVEL_MARKERS = {"national": "D", "province": "o", "prefecture": "s", "county": "^"}
#: Directions of a target and statuses of a parent's task, in Chinese.
ESCALATION_ZH = {"raised": "加码", "same": "持平", "lowered": "降低", "copied": "照搬", "adapted": "改写",
                 "dropped": "未采纳", "added": "新增"}
#: The diffusion timeline beyond :data:`AGGREGATE_OVER` plans draws only this many edges, the strongest.
DIFFUSION_EDGES_SHOWN = 40


def _level_name(level: str, lang: str, both: bool = False) -> str:
    """全国 / national …: the Chinese name (with the English after it when ``both``), or the English."""
    zh, en = LEVEL_NAMES.get(level, (level or "?", level or "unknown"))
    return en if lang == "en" else f"{zh} {en}" if both else zh


def _word(key: str, lang: str) -> str:
    """A direction or status (raised, copied …) in the figure's language: 加码 raised, or raised."""
    return key if lang == "en" else f"{ESCALATION_ZH.get(key, key)} {key}"


def _group_order(groups: dict[str, str], lang: str) -> list[str]:
    """Groups of :func:`plan_groups`, the nation first, unknown last, provinces by name between."""
    national, unknown = ("China (national)", "unknown") if lang == "en" else ("全国", "未知")
    names = set(groups.values())
    return ([national] if national in names else []) + sorted(names - {national, unknown}) + (
        [unknown] if unknown in names else [])


def _level_legend(ax, levels, lang: str) -> list:
    """Legend handles for the level markers (grey)."""
    return [ax.scatter([], [], marker=LEVEL_MARKERS.get(lv, "o"), color="#777777", s=30,
                       label=_level_name(lv, lang, both=True)) for lv in levels]


def _legend_below(ax, handles, offset: float = 0.62, **options) -> None:
    """A legend ``offset`` inches under the axes (clear of the tick labels and the axis title), whatever their height."""
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0, -offset, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
              **{"fontsize": 8.5, "ncol": 3, **options})


def target_across_levels(corpus, *, metric: str = "pass_rate", domain: str | None = None,
                         subject: str | None = "consumer_goods", ax=None, lang: str = "zh") -> Figure:
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
    directions at the right.
    """
    from matplotlib.transforms import blended_transform_factory

    from ..analyze import escalation

    _check_lang(lang)
    table = escalation.target_levels(corpus, metric=metric, domain=domain, subject=subject)
    plans = corpus.plans
    aggregated = _aggregated(len(plans))
    what = f"{metric}{'' if domain is None else ', ' + domain}{'' if subject is None else ', ' + subject_name(subject, 'en')}"
    if aggregated:
        return _target_levels_by_group(table, plans, what, ax, lang)
    labels = plan_labels(plans, lang)
    parent_word = "parent" if lang == "en" else "上级"
    levels = [lv for lv in escalation.LEVEL_RANK if lv in set(table["level"])] or list(escalation.LEVEL_RANK)
    with themed():
        fig, ax, own = _axes(ax, (8, min(0.45 * max(len(table), 3) + 2.2, 20)))
        right_column = blended_transform_factory(ax.transAxes, ax.transData)
        y = np.arange(len(table))
        for yi, row in zip(y, table.itertuples()):
            colour = ESCALATION_COLOURS.get(row.direction, "#333333")
            if pd.notna(row.parent_value):
                ax.plot([row.parent_value, row.value], [yi, yi], color=colour, lw=1.6, zorder=1)
                ax.scatter([row.parent_value], [yi], s=60, facecolors="white", edgecolors="#8c8c8c", lw=1.4, zorder=2)
            ax.scatter([row.value], [yi], s=60, color=colour, zorder=3)
            note = f"{row.value:g}"
            if subject is None and row.indicator_subject:
                note += f" {subject_name(row.indicator_subject, lang)}"
            later = _tr(lang, "上级晚发布", "parent issued later") if lang != "en" else "parent issued later"
            parent_later = pd.notna(row.parent_issued_after) and bool(row.parent_issued_after)
            if row.direction:
                note += (f"  ({_word(row.direction, lang)}, {parent_word} {row.parent_value:g} · "
                         f"{labels.get(row.parent_id, row.parent_id)}{'; ' + later if parent_later else ''})")
            elif parent_later:
                note += f"  ({later}: {labels.get(row.parent_id, row.parent_id)})"
            # in a column right of the axes, as the pass-rate chart: clear of the grid, never out of the axes
            ax.text(1.02, yi, note, transform=right_column, va="center", fontsize=9, gid="value_label")
        ax.set_yticks(y, [f"{labels.get(p, p)} · {_level_name(lv, lang)}" for p, lv in zip(table["plan_id"], table["level"])])
        ax.invert_yaxis()
        # a band per level, national at the top
        for lv in levels:
            rows = np.flatnonzero(table["level"].to_numpy() == lv)
            if len(rows) and rows.max() < len(table) - 1:
                ax.axhline(rows.max() + 0.5, color="#dddddd", lw=0.8)
        if len(table):
            low, high = np.nanmin(np.r_[table["value"], table["parent_value"]]), np.nanmax(np.r_[table["value"], table["parent_value"]])
            pad = max(1.0, (5 - (high - low)) / 2)  # five points at least: whole-number ticks
            ax.set_xlim(low - pad, high + pad)
            ax.set_xlabel(_tr(lang, "目标值", f"target value ({what})"))
            handles = [ax.scatter([], [], color=ESCALATION_COLOURS[d], label=_word(d, lang)) for d in ("raised", "same", "lowered")]
            handles.append(ax.scatter([], [], color="#333333", label=_tr(lang, "无可比上级目标", "no parent target")))
            handles.append(ax.scatter([], [], facecolors="white", edgecolors="#8c8c8c", label=_tr(lang, "上级规划", "parent")))
            _legend_below(ax, handles)
        else:
            _no_data(ax, lang, "没有规划设定该目标", f"no plan sets a {what} target")
        zh_what = "" if subject is None else f"（{subject_name(subject)}）"
        en_what = "" if subject is None else f" ({subject_name(subject, 'en')} only)"
        _titles(ax, f"目标的层层传导：各级规划与上级规划{zh_what}",
                f"A target across levels: each plan's value and its parent's{en_what}", lang)
        return _finish(fig, own, ax)


def _target_levels_by_group(table: pd.DataFrame, plans: pd.DataFrame, what: str, ax, lang: str) -> Figure:
    """:func:`target_across_levels` beyond :data:`AGGREGATE_OVER` plans: one row per province."""
    groups = plan_groups(plans, lang)
    table = table.assign(group=table["plan_id"].map(groups))
    order = [g for g in _group_order(groups, lang) if g in set(table["group"])]
    row_of = {g: i for i, g in enumerate(order)}
    levels = [lv for lv in LEVEL_NAMES if lv in set(table["level"])]
    spread = {lv: (i - (len(levels) - 1) / 2) * 0.16 for i, lv in enumerate(levels)}  # a level a little apart
    with themed():
        fig, ax, own = _axes(ax, (9, min(0.42 * max(len(order), 3) + 2.4, 20)))
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
            ax.set_xlabel(_tr(lang, "目标值", f"target value ({what})"))
            handles = [ax.scatter([], [], color=ESCALATION_COLOURS[d], s=30, label=_word(d, lang))
                       for d in ("raised", "same", "lowered")]
            handles.append(ax.scatter([], [], color="#333333", s=30, label=_tr(lang, "无可比上级目标", "no parent target")))
            handles += _level_legend(ax, levels, lang)
            _legend_below(ax, handles)
        else:
            _no_data(ax, lang, "没有规划设定该目标", f"no plan sets a {what} target")
        _titles(ax, "目标的层层传导：各级规划与上级规划",
                "A target across levels: each plan's value, coloured by its direction against its parent's",
                lang, _group_note(lang, len(plans)))
        return _finish(fig, own, ax)


def adoption_by_plan(corpus, *, ax=None, lang: str = "zh") -> Figure:
    """Stacked bars per plan with a parent: the parent's tasks copied, adapted, dropped, and the plan's own (added).

    A plan whose parent was issued after it is labelled so (上级晚发布 / parent
    issued later): its 'copied' or 'adapted' tasks are similar wording, not
    adoption.  Beyond :data:`AGGREGATE_OVER` plans one bar per province: the
    mean over its plans that have a parent, with their number at the right.
    """
    from ..analyze import escalation

    _check_lang(lang)
    summary = _built(corpus, "adoption_summary", escalation.adoption_summary)
    statuses = ("copied", "adapted", "dropped", "added")
    aggregated = _aggregated(len(corpus.plans))
    if aggregated:
        groups = plan_groups(corpus.plans, lang)
        grouped = summary.assign(group=summary["plan_id"].map(groups)).groupby("group")
        counts = grouped.size()
        order = [g for g in _group_order(groups, lang) if g in counts.index]
        bars = grouped[list(statuses)].mean().reindex(order)
        ticks = order
        notes = [(f"{counts[g]} plans" if lang == "en" else f"{counts[g]} 个规划") for g in order]
    else:
        labels = plan_labels(corpus.plans, lang)
        bars = summary[list(statuses)]
        later = _tr(lang, "上级晚发布", "parent later") if lang != "en" else "parent issued later"
        # a parent issued after its plan: similar wording then is no adoption, and the label says so
        ticks = [f"{labels.get(p, p)} ← {labels.get(q, q)}" + (f" ({later})" if pd.notna(a) and bool(a) else "")
                 for p, q, a in zip(summary["plan_id"], summary["parent_id"], summary["parent_issued_after"])]
        notes = []
    with themed():
        fig, ax, own = _axes(ax, (8, min(0.42 * max(len(bars), 3) + 2.0, 20)))
        if len(bars):
            y = np.arange(len(bars))
            left = np.zeros(len(bars))
            for status in statuses:
                values = bars[status].to_numpy(dtype=float)
                ax.barh(y, values, left=left, height=0.6, color=ESCALATION_COLOURS[status], label=_word(status, lang))
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
            ax.set_xlabel(_tr(lang, "任务数", f"tasks ({per})"))
            ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5)
        else:
            _no_data(ax, lang, "没有上级规划", "no plan has a parent plan in the corpus")
        _titles(ax, "下级规划对上级任务的采纳", "Adoption of the parent's tasks, per plan" if not aggregated else
                "Adoption of the parent's tasks, mean per plan", lang, _group_note(lang, len(corpus.plans)) if aggregated else "")
        return _finish(fig, own, ax)


def diffusion_timeline(corpus, *, min_chars: int = 20, ax=None, lang: str = "zh") -> Figure:
    """Plans on a time axis (issue date) by level, with candidate diffusion edges earlier → later.

    An arrow is drawn for each edge of :func:`policycompare.analyze.escalation.diffusion`
    with at least ``min_chars`` exclusive characters, wider for more text.
    Candidate edges only: shared text does not prove who copied whom.  Beyond
    :data:`AGGREGATE_OVER` plans one row per province (plans as unlabelled
    dots, their level as the marker) and only the :data:`DIFFUSION_EDGES_SHOWN`
    edges with the most exclusive characters.
    """
    import matplotlib.dates as mdates

    from ..analyze import escalation

    _check_lang(lang)
    edges = _built(corpus, "diffusion", escalation.diffusion)
    edges = edges[edges["exclusive_chars"] >= min_chars]
    n_edges = len(edges)
    plans = corpus.plans
    aggregated = _aggregated(len(plans))
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
        # plans of one level spread a little so that labels of the same day do not overlap
        for lv, group in dated.groupby("level"):
            for k, p in enumerate(sorted(group["plan_id"], key=lambda p: (when[p], p))):
                offsets[p] = rank.get(lv, 4) + (k % 3 - 1) * 0.22
        ticks, tick_labels = list(rank.values()), [_level_name(lv, lang, both=True) for lv in rank]
        height = 5.2
    with themed():
        fig, ax, own = _axes(ax, (10, height))
        if when:
            top = max(1.0, float(edges["exclusive_chars"].max()) if len(edges) else 1.0)
            for row in edges.itertuples():
                a, b = row.earlier_id, row.later_id
                ax.annotate("", xy=(mdates.date2num(when[b]), offsets[b]), xytext=(mdates.date2num(when[a]), offsets[a]),
                            arrowprops={"arrowstyle": "->", "lw": (0.4 + 1.4 * row.exclusive_chars / top) if aggregated
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
                    ax.scatter([mdates.date2num(t)], [offsets[p]], s=30, color="#3b75af", zorder=6)  # over the labels
                    ax.annotate(labels.get(p, p), (mdates.date2num(t), offsets[p]), xytext=(0, 6),
                                textcoords="offset points", ha="center", fontsize=8, zorder=5, gid="plan_label",
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.6})
            ax.xaxis_date()
            locator = mdates.AutoDateLocator()  # with concise labels (2017, Apr, Jul): never crowded
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            ax.set_yticks(ticks, tick_labels)
            ax.set_ylim(len(ticks) - 0.4, -0.6)
            ax.set_xlabel(_tr(lang, "发布日期", "issue date (undated plans left out)"))
        else:
            _no_data(ax, lang, "没有注明发布日期的规划", "no plan has an issue date")
        undated = len(plans) - len(dated)
        note = f"≥{min_chars} exclusive shared characters; {undated} undated plans left out;\nred: from a parent or ancestor"
        if aggregated:
            note = f"{_group_note(lang, len(plans))};\nthe {len(edges)} strongest of {n_edges} edges; " + note.replace("\n", " ")
        _titles(ax, "文本扩散的候选路径（早 → 晚）", "Candidate diffusion edges, earlier → later", lang, note)
        return _finish(fig, own, ax)


#: Figures of issue 15, written by ``policycompare run`` after the others.
ESCALATION_FIGURES = {
    "target_across_levels": target_across_levels,
    "adoption_by_plan": adoption_by_plan,
    "diffusion_timeline": diffusion_timeline,
}
FIGURES.update(ESCALATION_FIGURES)
