"""Figures render Chinese with the bundled font (no missing-glyph warning) and are written as PNG and SVG."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

import policycompare as pc
from policycompare.report import figures, style


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_figure_renders_chinese_without_missing_glyphs(corpus, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" is a UserWarning
        fig = figures.FIGURES[name](corpus)
        try:
            texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
            assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts), "no Chinese label"
            for fmt in ("png", "svg"):
                fig.savefig(io.BytesIO(), format=fmt)
        finally:
            plt.close(fig)


def test_font_is_registered_from_the_package_file():
    name = style.cjk_font()
    assert name in {f.name for f in font_manager.fontManager.ttflist}
    with style.themed():
        assert plt.rcParams["font.sans-serif"][0] == name
        assert plt.rcParams["axes.unicode_minus"] is False
        found = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=False)
        assert found.endswith(style.FONT_FILE)


def test_plot_functions_return_figures_that_can_be_restyled(corpus):
    fig = figures.pass_rate_thresholds(corpus)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:3] == ["灵武市", "四川省", "湖南省"]  # highest threshold first
    notes = [t.get_text() for t in ax.texts]
    assert any("92%" in t for t in notes) and sum("未设定" in t for t in notes) == 2  # 上海, 盐城 set none
    ax.set_xlim(85, 95)
    plt.close(fig)


def test_write_figures_png_and_svg(corpus, tmp_path):
    written = figures.write_figures(corpus, tmp_path)
    assert {p.suffix for p in written} == {".png", ".svg"}
    # the seeds have no national plan and no plan with a parent: those figures have no data and are not written
    assert written.skipped == {"adoption_by_plan": "no plan has a parent plan in the corpus",
                               "province_escalation_map": "no national plan in the corpus to compare with"}
    assert len(written) == 2 * (len(figures.FIGURES) - len(written.skipped))
    assert not (tmp_path / "adoption_by_plan.png").exists()
    png = (tmp_path / "pass_rate_thresholds.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (tmp_path / "plan_similarity.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "<dc:date>" not in svg


# -- like with like (issue 21): one indicator per chart, meaning in the titles ------------------


def _texts(fig):
    """Every text of ``fig``, a title or subtitle broken to fit the width read as one line."""
    return [t.get_text().replace("\n", " ") for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def test_pass_rate_chart_plots_one_indicator_and_names_it(with_parents):
    fig = figures.pass_rate_thresholds(with_parents)
    ax = fig.axes[0]
    texts = _texts(fig)
    assert any(t.startswith("消费品质量监督抽查合格率目标") for t in texts)
    # 宁夏 95 is an industrial-products rate: no dot among the consumer-goods ones, a hollow marker naming it
    dots = [c for c in ax.collections if c.get_gid() == "thresholds"][0].get_offsets()
    assert 95.0 not in set(float(x) for x, _ in dots)
    assert "未设定（另设工业产品 95%）/ none set" in texts
    assert sum(c.get_gid() == "none_set" for c in ax.collections) == 3  # 上海, 盐城, 宁夏
    # the sampling level beside the value: 湖南 省级以上, 四川 national
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "value_label"]
    assert "≥90% 稳定 · 省级以上抽查 · 2020" in notes and any("91.5%" in t and "国家抽查" in t for t in notes)
    plt.close(fig)
    every = figures.pass_rate_thresholds(with_parents, subject=None, lang="en")
    labels = [t.get_text() for t in every.axes[0].get_yticklabels()]
    assert "Ningxia · industrial products" in labels and "Lingwu · consumer goods" in labels
    assert any("one row per indicator subject" in t for t in _texts(every))
    plt.close(every)


def test_sector_heatmap_shows_shares_with_chinese_category_names(corpus):
    fig = figures.sector_coverage_heatmap(corpus)
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert "家用电器" in rows and not any("_" in r or r.isascii() for r in rows)
    cells = [t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()]  # the annotations, not the titles
    assert len(cells) == 5 * 18 and all(c.endswith("%") for c in cells)
    assert any("任务占比" in t for t in _texts(fig))
    plt.close(fig)
    counts = figures.sector_coverage_heatmap(corpus, value="tasks")
    assert any("counts: longer plans score higher" in t for t in _texts(counts))
    plt.close(counts)
    with pytest.raises(ValueError):
        figures.sector_coverage_heatmap(corpus, value="share")


def test_brand_chart_labels_brands_and_awards_apart(corpus):
    fig = figures.brand_award_targets(corpus)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["品牌/名牌 brands", "质量奖 awards"]
    plt.close(fig)


def test_notebook_02_restyle_keeps_the_none_set_markers_hollow(corpus):
    import nbformat

    from ..conftest import REPO

    nb = nbformat.read(REPO / "notebooks" / "02_targets_and_pass_rates.ipynb", as_version=4)
    cell = [c.source for c in nb.cells if c.cell_type == "code" and "ax.set_xlim(85, 96)" in c.source]
    assert len(cell) == 1
    scope = {"pc": pc, "corpus": corpus}
    exec(cell[0], scope)  # the notebook's restyle example, as a reader runs it
    ax = scope["fig"].axes[0]
    hollow = [c for c in ax.collections if c.get_gid() == "none_set"]
    assert len(hollow) == 2  # 上海, 盐城
    for markers in hollow:
        assert all(face[3] == 0 for face in markers.get_facecolors())  # still unfilled: no data at 85%
    dots = [c for c in ax.collections if c.get_gid() == "thresholds"][0]
    assert tuple(round(x, 3) for x in dots.get_facecolors()[0][:3]) == (0.165, 0.616, 0.561)  # #2a9d8f
    plt.close(scope["fig"])
