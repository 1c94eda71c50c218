"""Figures render Chinese with the bundled font (no missing-glyph warning) and are written as PNG and SVG."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from policycompare import figures


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
    name = figures.cjk_font()
    assert name in {f.name for f in font_manager.fontManager.ttflist}
    with figures.themed():
        assert plt.rcParams["font.sans-serif"][0] == name
        assert plt.rcParams["axes.unicode_minus"] is False
        found = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=False)
        assert found.endswith(figures.FONT_FILE)


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
    assert len(written) == 2 * len(figures.FIGURES)
    png = (tmp_path / "pass_rate_thresholds.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (tmp_path / "plan_similarity.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "<dc:date>" not in svg
