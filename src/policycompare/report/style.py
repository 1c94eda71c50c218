"""The look of every figure: the bundled CJK font (registered on import), the rc style, and the
helpers that lay out titles, axes and heatmaps in the figure's language."""

from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import ScaledTranslation

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


def new_figure(figsize: tuple[float, float]):
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


#: Languages of the figure texts: ``zh`` (Chinese title, English subtitle) or ``en`` (English only).
LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def tr(lang: str, zh: str, en: str) -> str:
    """The Chinese text with its English after it (``zh``), or the English alone (``en``)."""
    return en if lang == "en" else f"{zh} · {en}"


def _text_width(text: str, fontsize: float) -> float:
    """Estimated width in inches of one line: a CJK character is an em wide, any other about half."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.56 for ch in text)
    return ems * fontsize / 72


def fit_lines(text: str, fontsize: float, width: float) -> str:
    """``text`` broken at spaces (inside a run of CJK characters after its punctuation, else anywhere) into
    lines no wider than ``width`` inches, as estimated by :func:`_text_width`; existing line breaks kept."""
    out = []
    for line in text.split("\n"):
        words = [w for w in line.replace("；", "；\0").replace("，", "，\0").replace(" ", " \0").split("\0") if w]
        current = ""
        for word in words:
            while _text_width(word, fontsize) > width:  # a run longer than a line: cut it
                room = current if _text_width(current, fontsize) < width * 0.5 else ""
                if current and not room:
                    out.append(current.rstrip())
                    current = ""
                cut = len(word)
                while cut > 1 and _text_width(current + word[:cut], fontsize) > width:
                    cut -= 1
                out.append((current + word[:cut]).rstrip())
                current, word = "", word[cut:]
            if current and _text_width(current + word.rstrip(), fontsize) > width:
                out.append(current.rstrip())
                current = ""
            current += word
        out.append(current.rstrip())
    return "\n".join(out)


def titles(ax, zh: str, en: str, lang: str = "zh", note: str = "") -> None:
    """Title and subtitle flush left above the axes: Chinese over English (``zh``), or English over ``note``.

    Each is broken into lines that fit the figure's width (an estimate from the characters: deterministic)."""
    title, subtitle = (en, note) if lang == "en" else (zh, en + (f" ({note})" if note else ""))
    width = ax.figure.get_size_inches()[0] * 0.9
    title, subtitle = fit_lines(title, 13.5, width), fit_lines(subtitle, 9.5, width)
    if subtitle:
        ax.annotate(subtitle, xy=(0, 1), xycoords="axes fraction", xytext=(0, 6), textcoords="offset points",
                    fontsize=9.5, color="#555555", ha="left", va="bottom")
    lines = subtitle.count("\n") + 1  # a long subtitle may be broken over lines: the title stands above them all
    ax.annotate(title, xy=(0, 1), xycoords="axes fraction", xytext=(0, 21 + 12.5 * (lines - 1) if subtitle else 6),
                textcoords="offset points", fontsize=13.5, ha="left", va="bottom")


def figure_axes(ax, figsize: tuple[float, float]):
    """(figure, axes, whether this call made the figure): a new Figure unless the caller gave ``ax``."""
    if ax is not None:
        return ax.figure, ax, False
    fig, ax = new_figure(figsize)
    return fig, ax, True


def finish(fig, own: bool, ax=None) -> Figure:
    """Lay out a figure this module made; on a caller's axes (made outside the style, so its tick
    labels carry matplotlib's default font) give every text the CJK font."""
    if own:
        fig.tight_layout()
    elif ax is not None:
        family = [cjk_font(), "DejaVu Sans"]
        for axes in [ax] + [a for a in fig.axes if a.get_label() == "<colorbar>"]:
            for text in axes.findobj(Text):
                text.set_fontfamily(family)
    return fig


#: Attribute of a Figure drawn without data: why (English); :func:`write_figures` does not write such a figure.
NO_DATA = "policycompare_no_data"


def no_data(ax, lang: str, zh: str, en: str) -> None:
    """A figure without data: a note in the middle of empty axes.  The figure is returned (a notebook
    shows why it is empty) and marked (:data:`NO_DATA`): ``write_figures`` skips it and says why."""
    setattr(ax.figure, NO_DATA, en)
    ax.text(0.5, 0.5, tr(lang, f"没有数据：{zh}", f"no data: {en}") if lang != "en" else f"no data: {en}",
            ha="center", va="center", transform=ax.transAxes, color="#555555", fontsize=11, wrap=True)
    ax.set_axis_off()


def heatmap(ax, data: pd.DataFrame, *, fmt: str, label: str, **kwargs) -> None:
    """A heatmap in the house style: numbers in the cells up to ``ANNOTATE_UP_TO`` columns,
    a labelled colour bar, no axis titles or grid, upright labels (vertical x labels past 8 columns)."""
    cbar = {"label": label, **({"format": PercentFormatter(1.0, decimals=0)} if fmt.endswith("%") else {})}
    if fmt == "d":  # counts: whole-number ticks on the colour bar (never 2.5 tasks)
        cbar["ticks"] = MaxNLocator(integer=True)
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


def legend_below(ax, handles, offset: float = 0.62, **options) -> None:
    """A legend ``offset`` inches under the axes (clear of the tick labels and the axis title), whatever their height."""
    below = ax.transAxes + ScaledTranslation(0, -offset, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, frameon=False, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
              **{"fontsize": 8.5, "ncol": 3, **options})
