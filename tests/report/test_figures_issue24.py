"""Issue 24 (figures that go into a report as they are) and issue 23 (figures that take tables):
the tile-grid map, agencies by function, figures without data not written, integer colour bars,
one plan order, the diffusion timeline's dots and ticks, figures drawn from a run's tables."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

import policycompare as pc
from policycompare.analyze import escalation
from policycompare.report import agency_figures, figures, labels, style, tile_map
from policycompare.report.escalation_figures import ESCALATION_COLOURS
from policycompare.report.tables import figure_tables, target_levels

from ..conftest import DEV


@pytest.fixture(scope="module")
def dev() -> pc.Corpus:
    return pc.load_corpus(DEV / "raw", workers=1)


@pytest.fixture(scope="module")
def dev_tables(dev) -> dict[str, pd.DataFrame]:
    return dev.tables()


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def _tiles(fig) -> dict[str, str]:
    """Tile (English short name) -> its fill colour."""
    return {p.get_gid()[len("tile_"):]: to_hex(p.get_facecolor()) for p in fig.axes[0].patches
            if isinstance(p, Rectangle) and str(p.get_gid()).startswith("tile_")}


def _tile_text(fig, short_zh: str) -> str:
    """The value under a tile's name (the tile found by its name's position)."""
    ax = fig.axes[0]
    name = next(t for t in ax.texts if t.get_gid() == "tile_label" and t.get_text() == short_zh)
    x, y = name.get_position()
    values = [t for t in ax.texts if t.get_gid() == "tile_value" and abs(t.get_position()[0] - x) < 1e-9
              and abs(t.get_position()[1] - (y - 0.34)) < 1e-6]
    return values[0].get_text() if values else ""


def test_the_tile_file_has_34_units_each_in_its_own_square():
    tiles = tile_map.province_tiles()
    assert len(tiles) == 34 and not tiles[["row", "col"]].duplicated().any()
    assert tiles["province"].is_unique and tiles["short_en"].is_unique
    # neighbours stay neighbours: 北京 beside 天津 and 河北, 上海 beside 江苏, 广东 above 海南's row
    at = {r.short_zh: (r.row, r.col) for r in tiles.itertuples()}
    assert max(abs(at["北京"][0] - at["天津"][0]), abs(at["北京"][1] - at["天津"][1])) == 1
    assert at["上海"] == (at["江苏"][0], at["江苏"][1] + 1)
    assert at["海南"][0] > at["广东"][0]


def test_every_province_of_the_dev_pages_has_a_tile(dev):
    provinces = {p for p in dev.plans["province"].dropna() if p}
    assert all(tile_map._tile_of(p) for p in provinces), [p for p in provinces if not tile_map._tile_of(p)]


@pytest.mark.parametrize("lang", style.LANGS)
def test_pass_rate_map_a_tile_per_province_with_its_value_and_colour(dev_tables, lang):
    fig = tile_map.pass_rate_map(dev_tables, lang=lang)
    fills = _tiles(fig)
    assert len(fills) == 34
    assert fills["Beijing"] == tile_map.NO_PLAN_COLOUR  # no plan of 北京 among the dev pages: grey
    # 江苏 2023 sets 95% (above the national plan's 90%): a red tile; 福建's latest plan (2023) sets none
    red, green, blue = plt.matplotlib.colors.to_rgb(fills["Jiangsu"])
    assert red > 0.5 and red > blue
    assert fills["Fujian"] == tile_map.NONE_SET_COLOUR
    if lang == "zh":
        assert _tile_text(fig, "江苏") == "95%" and _tile_text(fig, "福建") == "未设定"
    texts = " ".join(_texts(fig))
    assert ("no province-level plan" in texts) and ("the latest" in texts or "取最新" in texts)
    assert ("无省级规划" in texts) == (lang == "zh")
    plt.close(fig)


def test_escalation_map_colours_the_direction_against_the_national_plan(dev_tables):
    fig = tile_map.escalation_map(dev_tables)
    fills = _tiles(fig)
    assert fills["Jiangsu"] == ESCALATION_COLOURS["raised"]  # 95 against the national 90, the same subject
    assert _tile_text(fig, "江苏") == "95 (90)"
    # 四川 2023 sets a 制造业产品 rate only: no same-indicator target to compare: none set
    assert fills["Sichuan"] == tile_map.NONE_SET_COLOUR and _tile_text(fig, "四川") == "未设定"
    assert fills["Hunan"] == tile_map.NO_PLAN_COLOUR  # 娄底 is a prefecture: not mixed into 湖南's tile
    assert getattr(fig, style.NO_DATA, None) is None
    plt.close(fig)


def test_without_a_national_plan_the_escalation_map_has_no_data(corpus):
    fig = tile_map.escalation_map(corpus)
    assert getattr(fig, style.NO_DATA) == "no national plan in the corpus to compare with"
    plt.close(fig)


def test_the_run_writes_the_map_and_lists_the_figures_without_data(dev_tables, tmp_path):
    written = figures.write_figures(dev_tables, tmp_path, lang="en")
    names = {p.stem for p in written}
    assert {"province_pass_rate_map", "province_escalation_map"} <= names
    # no two agency functions share three tasks among the dev pages: no empty network is written
    assert written.skipped == {"agency_network": "no two agency functions share 3 or more tasks"}
    assert not (tmp_path / "agency_network.png").exists()
    assert len(written) == 2 * (len(figures.FIGURES) - 1)


def test_an_empty_network_says_no_top_0(dev_tables):
    fig = figures.agency_network_graph(dev_tables, lang="en")
    assert getattr(fig, style.NO_DATA) == "no two agency functions share 3 or more tasks"
    assert not any("top 0" in t for t in _texts(fig))
    plt.close(fig)


def test_agencies_grouped_by_function_and_divisions_count_for_their_bureau(corpus):
    fig = figures.agency_lead_counts(corpus)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    assert rows[0] == "市场监管" and "工商局" not in rows and "质监局" not in rows  # one row for the function
    matrix = np.asarray(ax.collections[0].get_array()).reshape(len(rows), len(cols))
    # 四川 2018 gives its duties to the divisions of its 质监局 (质量处, 标准化处 …): they count for 市场监管
    assert matrix[0, cols.index("四川省")] > 0
    plt.close(fig)


def test_every_function_of_the_agency_table_has_labels():
    from policycompare.config import read_data_csv

    functions = {row["function"] for row in read_data_csv("agencies.csv") if row["function"]}
    names = agency_figures.function_names()
    assert functions <= set(names)
    assert all(en.isascii() and zh for zh, en in names.values())


def test_the_network_is_hub_and_spokes_not_a_hairball(corpus):
    fig = figures.agency_network_graph(corpus)
    edges = [line for line in fig.axes[0].get_lines() if line.get_gid() == "agency_edge"]
    nodes = [t for t in fig.axes[0].texts if t.get_gid() == "agency_label"]
    assert nodes and len(edges) <= agency_figures.LINKS_PER_NODE * len(nodes)
    plt.close(fig)


@pytest.mark.parametrize("name,kwargs", [("agency_lead_counts", {}), ("sector_coverage", {"value": "tasks"})])
def test_colour_bars_of_counts_have_integer_ticks(corpus, name, kwargs):
    fig = figures.FIGURES[name](corpus, **kwargs)
    fig.canvas.draw()
    bar = next(a for a in fig.axes if a.get_label() == "<colorbar>")
    ticks = [t for t in bar.get_yticks() if bar.get_ylim()[0] <= t <= bar.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks), ticks
    plt.close(fig)


def test_one_plan_order_across_the_figures(corpus):
    expected = [labels.plan_labels(corpus.plans)[p] for p in labels.plan_order(corpus.plans)]
    assert expected == ["上海市", "四川省", "湖南省", "盐城市", "灵武市"]  # provinces, then the city, then the county
    got = {}
    for name in ("brand_award_targets", "sector_coverage", "agency_lead_counts", "plan_similarity"):
        fig = figures.FIGURES[name](corpus)
        got[name] = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        plt.close(fig)
    assert all(order == expected for order in got.values()), got


def test_diffusion_dots_sit_on_their_level_lines_and_chinese_ticks_have_no_english(dev_tables):
    fig = figures.diffusion_timeline(dev_tables)
    ax = fig.axes[0]
    ys = [float(c.get_offsets()[0][1]) for c in ax.collections if c.get_gid() == "plan_dot"]
    assert ys and all(y in escalation.LEVEL_RANK.values() for y in ys)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks and not [t for t in ticks if re.search("[A-Za-z]", t)], ticks
    plt.close(fig)


def test_escalation_markers_are_not_cut_by_the_axes_edge(corpus):
    fig = figures.target_across_levels(corpus)
    ax = fig.axes[0]
    low, high = sorted(ax.get_ylim())
    rows = ax.get_yticks()
    assert low <= min(rows) - 0.4 and max(rows) + 0.4 <= high
    plt.close(fig)


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_figures_draw_the_same_from_a_corpus_and_from_the_runs_tables(corpus, name):
    fresh = pc.Corpus(list(corpus))  # no tables built: the figure computes what it draws
    from_corpus = figures.FIGURES[name](fresh, lang="en")
    from_tables = figures.FIGURES[name](corpus.tables(), lang="en")
    assert _texts(from_corpus) == _texts(from_tables)
    plt.close(from_corpus)
    plt.close(from_tables)


def test_figures_take_their_one_table(corpus):
    tables = corpus.tables()
    for make, table in ((figures.pass_rate_thresholds, "pass_rates"), (figures.brand_award_targets, "brand_counts"),
                        (figures.sector_coverage_heatmap, "sector_coverage"),
                        (figures.plan_similarity_heatmap, "plan_similarity"), (figures.pass_rate_map, "pass_rates")):
        fig = make(tables[table], plans=tables["plans"], lang="en")
        assert _texts(fig) == _texts(make(tables, lang="en")), make.__name__
        plt.close(fig)
    with pytest.raises(KeyError, match="agencies"):
        figures.agency_lead_counts({"plans": tables["plans"]})


def test_target_levels_from_the_tables_are_those_of_the_analysis(dev, dev_tables):
    for subject in ("consumer_goods", None):
        pd.testing.assert_frame_equal(target_levels(figure_tables(dev_tables), subject=subject),
                                      escalation.target_levels(dev, subject=subject))


@pytest.mark.parametrize("lang", style.LANGS)
def test_titles_and_subtitles_are_broken_to_fit_the_figure(corpus, lang):
    assert style.fit_lines("word " * 40, 10, 3).count("\n") >= 3
    assert style.fit_lines("仅省级规划" * 20, 10, 3).count("\n") >= 3  # a run of CJK without spaces is cut too
    for name, make in figures.FIGURES.items():
        fig = make(corpus, lang=lang)
        width = fig.get_size_inches()[0] * 0.9
        for text in fig.axes[0].texts:
            if getattr(text, "xycoords", None) == "axes fraction" and text.get_fontsize() in (9.5, 13.5):
                for line in text.get_text().split("\n"):
                    assert style._text_width(line, text.get_fontsize()) <= width, (name, line)
        plt.close(fig)
