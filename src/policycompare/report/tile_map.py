"""Tile-grid maps of the provinces: one square per provincial-level unit in its usual position
(``data/province_tiles.csv``), coloured by a province-level comparison; no geometry library needed.

Each province is shown by its province-level plan (plans.level == province;
prefecture and county plans are not mixed in); a province with several such
plans is shown by the latest (issue year, else the year of its plan_id), and
the subtitle says so.  A province without a province-level plan in the corpus
is a grey tile with a legend entry.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..config import read_data_csv
from .escalation_figures import ESCALATION_COLOURS
from .labels import ESCALATION_ZH, plan_labels, plan_year, subject_name
from .style import check_lang, figure_axes, finish, legend_below, no_data, themed, titles, tr
from .tables import figure_tables

#: Tile of a province without a province-level plan in the corpus, and of one whose plan sets no such target.
NO_PLAN_COLOUR, NONE_SET_COLOUR = "#e3e3e3", "#ffffff"
#: The national goal the pass-rate map centres its colours on when the corpus holds no national plan
#: that sets one (国办发〔2016〕68号: 90%).
NATIONAL_GOAL = 90.0
#: Directions a province-level target can take against the national plan's, in the map's legend order.
MAP_DIRECTIONS = ("raised", "same", "lowered", "added")


@lru_cache(maxsize=1)
def province_tiles() -> pd.DataFrame:
    """The 34 tiles: province (full name), short_zh, short_en, row, col (``data/province_tiles.csv``)."""
    tiles = pd.DataFrame(read_data_csv("province_tiles.csv"))
    return tiles.astype({"row": int, "col": int})


def _tile_of(province: str) -> str | None:
    """The tile's full name for a province as plans.province writes it (四川省, or 四川 alone)."""
    tiles = province_tiles()
    name = str(province or "")
    if name in set(tiles["province"]):
        return name
    short = tiles.loc[tiles["short_zh"] == name, "province"]
    return short.iloc[0] if len(short) else None


def province_plans(plans: pd.DataFrame) -> dict[str, str]:
    """Tile name -> the plan_id a province is shown by: its latest province-level plan."""
    chosen = plans[plans["level"] == "province"].assign(
        tile=lambda t: t["province"].map(_tile_of), year=lambda t: plan_year(t).to_numpy())
    chosen = chosen[chosen["tile"].notna()].sort_values(["tile", "year", "plan_id"], kind="stable")
    return dict(zip(chosen["tile"], chosen["plan_id"]) if len(chosen) else {})


def _several_note(plans: pd.DataFrame, lang: str) -> str:
    """What the subtitle says about provinces with more than one province-level plan."""
    by_tile = plans[plans["level"] == "province"]["province"].map(_tile_of).value_counts()
    several = int((by_tile > 1).sum())
    if lang == "en":
        base = "province-level plans only (prefecture and county plans not mixed in)"
        return base + (f"; {several} provinces with several: the latest" if several else "")
    base = "仅省级规划（不含市、县规划）"
    return base + (f"；{several} 个省份有多个省级规划：取最新" if several else "")


def _draw_tiles(ax, fills: dict[str, str], texts: dict[str, str], lang: str) -> None:
    """Every tile, ``fills[tile]`` its colour (grey when missing), its short name and ``texts[tile]`` on it."""
    for tile in province_tiles().itertuples():
        colour = fills.get(tile.province, NO_PLAN_COLOUR)
        ax.add_patch(Rectangle((tile.col - 0.46, -tile.row - 0.46), 0.92, 0.92, facecolor=colour,
                               edgecolor="#9a9a9a" if colour == NONE_SET_COLOUR else "white", linewidth=0.8,
                               gid=f"tile_{tile.short_en}"))
        dark = np.dot(to_rgb(colour), (0.299, 0.587, 0.114)) < 0.5
        ink = "white" if dark else "#222222"
        name = tile.short_en if lang == "en" else tile.short_zh
        value = texts.get(tile.province, "")
        size = 8 if len(name) <= 8 else 6.5 if len(name) <= 10 else 5.8
        ax.text(tile.col, -tile.row + (0.14 if value else 0), name, ha="center", va="center", fontsize=size,
                color=ink if tile.province in fills else "#8a8a8a", gid="tile_label")
        if value:
            ax.text(tile.col, -tile.row - 0.2, value, ha="center", va="center", fontsize=7.5, color=ink,
                    gid="tile_value")
    tiles = province_tiles()
    ax.set_xlim(tiles["col"].min() - 0.6, tiles["col"].max() + 0.6)
    ax.set_ylim(-tiles["row"].max() - 0.6, -tiles["row"].min() + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _values(tables, subject: str | None) -> pd.Series:
    """plan_id -> its pass-rate threshold of ``subject`` (the first the plan states)."""
    rates = tables["pass_rates"]
    rates = rates[pd.to_numeric(rates["threshold"], errors="coerce").notna()]
    if subject is not None and "indicator_subject" in rates:
        rates = rates[rates["indicator_subject"].fillna("").astype(str) == subject]
    return rates.drop_duplicates("plan_id").set_index("plan_id")["threshold"].astype(float)


def _reference(tables, values: pd.Series) -> tuple[float, str]:
    """The value the colours are centred on: the national plan's threshold, else the national goal (90%)."""
    plans = tables["plans"]
    national = [p for p in plans.loc[plans["level"] == "national", "plan_id"] if p in values.index]
    if national:
        latest = sorted(national, key=lambda p: (plan_year(plans[plans["plan_id"] == p]).iloc[0], p))[-1]
        return float(values[latest]), plan_labels(plans, "en").get(latest, latest)
    return NATIONAL_GOAL, ""


def pass_rate_map(source, *, subject: str | None = "consumer_goods", plans: pd.DataFrame | None = None,
                  ax=None, lang: str = "zh") -> Figure:
    """Tile map: each province's pass-rate threshold (of ``subject``) in its province-level plan,
    coloured above (red) or below (blue) the national plan's value (the national goal, 90%, when the
    corpus holds no national plan that sets one).

    ``source``: a corpus, the dict of a run's tables (``plans``, ``pass_rates``),
    or the pass-rate table (with ``plans=``).  A province whose plan sets no
    such threshold is a white tile (未设定 / none set); one without a
    province-level plan a grey tile.
    """
    check_lang(lang)
    tables = figure_tables(source, main="pass_rates", plans=plans)
    plans = tables["plans"]
    values = _values(tables, subject)
    shown = province_plans(plans)
    reference, reference_plan = _reference(tables, values)
    set_here = {tile: float(values[p]) for tile, p in shown.items() if p in values.index}
    with themed():
        fig, ax, own = figure_axes(ax, (7.5, 7.6))
        if not shown:
            no_data(ax, lang, "没有省级规划", "no province-level plan in the corpus")
        else:
            # symmetric about the reference: a colour as deep means as far above as below
            span = max([abs(v - reference) for v in set_here.values()] + [0.5]) + 0.5
            norm = Normalize(vmin=reference - span, vmax=reference + span)
            cmap = colormaps["RdBu_r"]
            fills = {tile: NONE_SET_COLOUR for tile in shown}
            fills.update({tile: cmap(norm(v)) for tile, v in set_here.items()})
            none_word = "none set" if lang == "en" else "未设定"
            texts = {tile: (f"{set_here[tile]:g}%" if tile in set_here else none_word) for tile in shown}
            _draw_tiles(ax, fills, texts, lang)
            bar = fig.colorbar(_mappable(norm, cmap), ax=ax, shrink=0.55, pad=0.02)
            bar.set_label(tr(lang, "合格率目标 (%)", "pass-rate threshold (%)"))
            legend_below(ax, [Patch(facecolor=NO_PLAN_COLOUR, label=tr(lang, "无省级规划", "no province-level plan")),
                              Patch(facecolor=NONE_SET_COLOUR, edgecolor="#9a9a9a",
                                    label=tr(lang, "未设定该目标", "plan sets no such threshold"))], offset=0.05, ncol=2)
        what = subject_name(subject, "en") if subject else "any indicator"
        if lang == "en":
            where = f"the national plan ({reference_plan}): {reference:g}%" if reference_plan else \
                f"the national goal {reference:g}%"
            titles(ax, "", f"Pass-rate threshold by province ({what})", lang,
                   f"colours centred on {where};\n{_several_note(plans, 'en')}")
        else:
            where = f"全国规划（{reference:g}%）" if reference_plan else f"全国目标 {reference:g}%"
            zh_what = subject_name(subject) if subject else ""
            titles(ax, f"各省{zh_what}质量合格率目标",
                   f"Pass-rate threshold by province ({what})\n{_several_note(plans, 'zh')}；颜色以{where}为中点", lang)
        return finish(fig, own, ax)


def _mappable(norm, cmap):
    from matplotlib.cm import ScalarMappable

    mappable = ScalarMappable(norm=norm, cmap=cmap)
    mappable.set_array([])
    return mappable


def escalation_map(source, *, metric: str = "pass_rate", subject: str | None = "consumer_goods",
                   ax=None, lang: str = "zh") -> Figure:
    """Tile map: each province's target (``metric`` of ``subject``) against the national plan's, from the
    ``target_escalation`` table: raised, same, lowered, or added (the national plan sets none).

    Only the same indicator is compared (the same metric and subject: a province's
    工业产品 rate is never set against the national 消费品 one).  A province whose
    plan sets no such target is a white tile (未设定 / none set); one without a
    province-level plan a grey tile.  Without a national plan in the corpus
    there is nothing to compare with: the figure says so (and ``policycompare
    run`` does not write it).
    """
    check_lang(lang)
    tables = figure_tables(source, main="target_escalation")
    plans = tables["plans"]
    escal = tables["target_escalation"]
    shown = province_plans(plans)
    rows = escal[(escal["parent_level"] == "national") & (escal["metric"] == metric)
                 & escal["direction"].isin(MAP_DIRECTIONS)]
    if subject is not None:
        rows = rows[rows["indicator_subject"].fillna("").astype(str) == subject]
    rows = rows.drop_duplicates("plan_id").set_index("plan_id")
    compared = set(escal.loc[escal["parent_level"] == "national", "plan_id"])
    with themed():
        fig, ax, own = figure_axes(ax, (7.5, 7.6))
        if not shown:
            no_data(ax, lang, "没有省级规划", "no province-level plan in the corpus")
        elif not (plans["level"] == "national").any() or not compared & set(shown.values()):
            no_data(ax, lang, "没有可比较的全国规划", "no national plan in the corpus to compare with")
        else:
            fills, texts = {}, {}
            for tile, plan_id in shown.items():
                if plan_id in rows.index:
                    row = rows.loc[plan_id]
                    fills[tile] = ESCALATION_COLOURS[row["direction"]]
                    texts[tile] = (f"{row['value']:g}" if pd.isna(row["parent_value"])
                                   else f"{row['value']:g} ({row['parent_value']:g})")
                else:
                    fills[tile], texts[tile] = NONE_SET_COLOUR, ("none set" if lang == "en" else "未设定")
            _draw_tiles(ax, fills, texts, lang)
            used = [d for d in MAP_DIRECTIONS if d in set(rows.loc[rows.index.isin(shown.values()), "direction"])]
            words = {"added": ("新增（全国未设）", "added (none nationally)")}
            handles = [Patch(facecolor=ESCALATION_COLOURS[d], label=tr(lang, *words[d]) if d in words
                             else tr(lang, ESCALATION_ZH[d], d)) for d in used]
            handles += [Patch(facecolor=NONE_SET_COLOUR, edgecolor="#9a9a9a", label=tr(lang, "未设定", "none set")),
                        Patch(facecolor=NO_PLAN_COLOUR, label=tr(lang, "无省级规划", "no province-level plan"))]
            legend_below(ax, handles, offset=0.05, ncol=3)
        what = f"{metric.replace('_', ' ')}{'' if subject is None else ', ' + subject_name(subject, 'en')}"
        if lang == "en":
            titles(ax, "", f"Province targets against the national plan ({what})", lang,
                   f"value (national value), the same indicator only;\n{_several_note(plans, 'en')}")
        else:
            titles(ax, "各省目标与全国规划相比", f"Province targets against the national plan ({what})\n"
                   f"数值（全国数值），仅比较同一指标；{_several_note(plans, 'zh')}", lang)
        return finish(fig, own, ax)


#: Tile maps written by ``policycompare run`` after the other figures.
MAP_FIGURES = {
    "province_pass_rate_map": pass_rate_map,
    "province_escalation_map": escalation_map,
}
