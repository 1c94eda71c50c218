"""Figures never crash and stay readable: random subsets of the real plans (no lead agencies, no
targets, one plan, plans sharing a jurisdiction), a corpus of more than 40 plans (provinces instead
of plans), ``ax=``, ``lang="en"``, label positions of the pass-rate dot plot."""

from __future__ import annotations

import dataclasses
import io
import random
import re
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import policycompare as pc
from policycompare.analyze import escalation
from policycompare.parse.structure import Structure
from policycompare.report import figures, style
from policycompare.report import labels as figure_labels
from policycompare.report.tile_map import MAP_FIGURES

from ..conftest import DEV, RAW

LANGS = style.LANGS
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def all_plans() -> dict[str, pc.Plan]:
    """The 5 seed plans and the 25 real dev pages, parsed once."""
    seeds = pc.load_corpus(RAW, workers=1)
    dev = pc.load_corpus(DEV / "raw", workers=1)
    return {**{p.plan_id: p for p in seeds}, **{p.plan_id: p for p in dev}}


def _render(fig) -> None:
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    plt.close(fig)


def _all_figures(corpus, lang="zh") -> dict[str, object]:
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning
        for name, make in figures.FIGURES.items():
            fig = make(corpus, lang=lang)
            assert isinstance(fig, plt.Figure.__mro__[0]) or hasattr(fig, "savefig"), name
            w, h = fig.get_size_inches()
            assert 2 <= w <= 20.5 and 2 <= h <= 20.5, (name, w, h)
            # a title or subtitle broken to fit the width is read as one line
            out[name] = [t.get_text().replace("\n", " ") for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
            _render(fig)
    return out


def _strip(plan: pc.Plan, agencies: bool, targets: bool, sectors: bool) -> pc.Plan:
    return dataclasses.replace(plan, agency_rows=[] if agencies else plan.agency_rows,
                               target_rows=[] if targets else plan.target_rows,
                               sector_rows=[] if sectors else plan.sector_rows)


@pytest.mark.parametrize("seed", range(6))
def test_every_figure_draws_for_random_subsets_of_the_real_plans(all_plans, seed):
    rng = random.Random(seed)
    ids = sorted(all_plans)
    n = rng.choice([1, 2, 3, 5, 8])
    chosen = rng.sample(ids, n)
    if seed == 0:  # plans sharing a jurisdiction
        chosen = ["sichuan_2018", "sichuan_2023", "jiangsu_2016", "jiangsu_2023"]
    drop_agencies, drop_targets, drop_sectors = (rng.random() < 0.5 for _ in range(3))
    if seed == 1:  # the crash of issue 12: real pages where no task names a lead agency
        drop_agencies = drop_targets = drop_sectors = True
    plans = [_strip(all_plans[p], drop_agencies, drop_targets, drop_sectors) for p in chosen]
    corpus = pc.Corpus(plans)
    texts = _all_figures(corpus)
    if seed == 0:
        labels = figure_labels.plan_labels(corpus.plans)
        assert labels["sichuan_2018"] == "四川省 2018" and labels["sichuan_2023"] == "四川省 2023"
        for name in ("pass_rate_thresholds", "sector_coverage", "plan_similarity", "brand_award_targets"):
            if name == "brand_award_targets" and any("no brand or award targets" in t for t in texts[name]):
                continue  # no data: the figure says so (and write_figures does not write it)
            assert "四川省 2018" in texts[name] and "四川省 2023" in texts[name], name
    if seed == 1:
        assert any("no task names a lead agency" in t for t in texts["agency_lead_counts"])


def test_one_plan_gives_every_figure_with_a_note_where_there_is_nothing_to_compare(all_plans):
    texts = _all_figures(pc.Corpus([all_plans["lingwu_2017"]]))
    assert any("no data" in t for t in texts["plan_similarity"])


def _clone(plan: pc.Plan, pid: str, jurisdiction: str, province: str, issued: str, level: str | None = None) -> pc.Plan:
    """A copy of ``plan`` under another plan_id and place (rows renamed), for a large corpus without parsing."""
    old = plan.plan_id

    def fix(rows):
        return [{k: (pid + v[len(old):] if isinstance(v, str) and v.startswith(old + ":") else
                     pid if k == "plan_id" else v) for k, v in row.items()} for row in rows]

    metadata = {**plan.metadata, "jurisdiction": jurisdiction, "province": province, "issued_date": issued,
                "level": level or plan.metadata.get("level")}
    structure = Structure(sections=fix(plan.structure.sections), tasks=fix(plan.structure.tasks),
                          warnings=list(plan.structure.warnings))
    return dataclasses.replace(plan, plan_id=pid, path=plan.path.with_name(pid + plan.path.suffix), metadata=metadata,
                               structure=structure, target_rows=fix(plan.target_rows), agency_rows=fix(plan.agency_rows),
                               sector_rows=fix(plan.sector_rows))


PROVINCES = ["湖南省", "四川省", "江苏省", "浙江省", "广东省", "陕西省", "上海市"]


def family(all_plans: dict[str, pc.Plan]) -> pc.Corpus:
    """More than 40 plans of seven provinces and every level, issued on different days, under one national
    plan: the parent of all (their made-up places are not in the gazetteer), so the escalation figures
    have targets to compare, tasks to adopt and text that spreads."""
    seeds = [all_plans[p] for p in ("hunan_2017", "lingwu_2017", "shanghai_2017", "sichuan_2018", "yancheng_2014")]
    plans = [_clone(all_plans["national_2016"], "p000_2016", "中国", "", "2016-09-01", "national")]
    for i in range(1, figures.AGGREGATE_OVER + 6):
        province = PROVINCES[i % len(PROVINCES)]
        issued = f"2017-{1 + i % 12:02d}-{1 + i % 27:02d}"
        plans.append(_clone(seeds[i % len(seeds)], f"p{i:03d}_2017", f"测试{i}县", province, issued))
    return pc.Corpus(plans)


@pytest.fixture(scope="module")
def big(all_plans) -> pc.Corpus:
    return family(all_plans)


def test_beyond_forty_plans_figures_show_provinces_and_say_so(big):
    lineage = escalation.lineage(big)
    assert (lineage["parent_id"] == "p000_2016").sum() == len(big.plans) - 1  # the escalation figures have data
    for name, make in figures.FIGURES.items():
        for lang in LANGS:
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                fig = make(big, lang=lang)
                w, h = fig.get_size_inches()
                assert 2 <= w <= 20.5 and 2 <= h <= 20.5, (name, lang, w, h)
                _render(fig)
            assert time.perf_counter() - start < 30, name
            texts = [t.get_text().replace("\n", " ") for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
            assert not any("测试" in t for t in texts), f"{name}: one row per plan"
            if name == "agency_network" or name in MAP_FIGURES:  # of agencies or of provinces, never of plans
                continue
            assert any("grouped by province" in t for t in texts), name
            assert ("湖南省" if lang == "zh" else "Hunan") in texts, (name, lang)
            if lang == "en":
                assert not [t for t in texts if _CJK.search(t)], (name, [t for t in texts if _CJK.search(t)][:5])
            if name in figures.ESCALATION_FIGURES:
                ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
                assert len(ticks) <= len(PROVINCES) + 1, (name, ticks)  # one row per province, the nation on top


def test_province_similarity_works_from_a_top_k_long_table(big):
    rng = np.random.default_rng(0)
    ids = big.plan_ids
    rows = [{"plan_a": a, "plan_b": b, "score": float(rng.uniform(0.1, 0.9)), "doc_cosine": 0.5}
            for a in ids for b in rng.choice(ids, 3, replace=False) if a != b]  # top-3 only: most pairs missing
    table = pd.DataFrame(rows)
    fig = figures.plan_similarity_heatmap(table, plans=big.plans)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(set(PROVINCES) | {"全国"})
    groups = figure_labels.plan_groups(big.plans)
    expected = table.assign(ga=table["plan_a"].map(groups), gb=table["plan_b"].map(groups))
    expected = pd.concat([expected[["ga", "gb", "score"]], expected[["gb", "ga", "score"]].set_axis(["ga", "gb", "score"], axis=1)])
    value = expected[(expected["ga"] == "湖南省") & (expected["gb"] == "四川省")]["score"].mean()
    mesh = ax.collections[0]
    order = [t.get_text() for t in ax.get_yticklabels()]
    matrix = np.asarray(mesh.get_array()).reshape(len(order), len(order))
    assert matrix[order.index("湖南省"), order.index("四川省")] == pytest.approx(value)
    _render(fig)


def test_pass_rate_labels_stand_clear_of_the_grid_and_none_set_survives_restyling(corpus):
    fig = figures.pass_rate_thresholds(corpus)
    ax = fig.axes[0]
    ax.set_xlim(95, 100)  # restyled: the dots leave the view, the 'none set' markers must not
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    fig_box = fig.bbox
    values = [t for t in ax.texts if t.get_gid() == "value_label"]
    nones = [t for t in ax.texts if t.get_gid() == "none_set_label"]
    assert len(values) == 3 and len(nones) == 2
    boxes = [t.get_window_extent(renderer) for t in values]
    for box in boxes:  # right of the plotting area: no grid line runs through a label
        assert box.x0 >= axes_box.x1 and box.x1 <= fig_box.x1 + 1
    for a, b in zip(boxes, boxes[1:]):
        assert not a.overlaps(b)
    for t in nones:
        box = t.get_window_extent(renderer)
        assert axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1
    assert any(abs(line.get_xdata()[0] - figures.NATIONAL_PASS_RATE) < 1e-9 for line in ax.get_lines())
    y0, y1 = sorted(ax.get_ylim())
    ticks = ax.get_yticks()
    assert y0 < min(ticks) - 0.3 and max(ticks) + 0.3 < y1  # no row sits on the axis
    plt.close(fig)


def test_every_figure_draws_into_a_given_axes(corpus):
    fig = plt.figure(figsize=(16, 15))
    axes = fig.subplots(4, 3)
    assert len(figures.FIGURES) <= axes.size
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the caller's axes get the CJK font too
        for ax, (name, make) in zip(axes.flat, figures.FIGURES.items()):
            assert make(corpus, ax=ax) is fig, name
        _render(fig)


@pytest.fixture(scope="module")
def thirty(all_plans) -> pc.Corpus:
    """The 5 seed plans and the 25 dev pages in one corpus: national, province, city and county plans,
    parents and children, two plans of 四川, 江苏 and 福建 each."""
    return pc.Corpus([all_plans[p] for p in sorted(all_plans)])


def test_thirty_plans_label_two_plans_of_one_place_apart_in_every_figure(thirty):
    texts = _all_figures(thirty)
    for name in ("pass_rate_thresholds", "sector_coverage", "plan_similarity", "brand_award_targets",
                 "diffusion_timeline", "adoption_by_plan"):
        joined = "\n".join(texts[name])
        assert "四川省 2018" in joined and "四川省 2023" in joined, name
    # the level chart compares consumer-goods rates: 四川 2023 (a manufacturing rate) is not in it, 四川 2018 is
    joined = "\n".join(texts["target_across_levels"])
    assert "四川省 2018" in joined and "四川省 2023" not in joined
    assert "灵武市 · 县" in texts["target_across_levels"]
    # 宁夏's 95 is an industrial-products rate: no direction against 灵武's consumer-goods 92, and 宁夏 came later
    assert not any("上级 95" in t for t in texts["target_across_levels"])
    assert any(t.startswith("92") and "上级晚发布" in t and "宁夏回族自治区" in t for t in texts["target_across_levels"])
    # 四川 2018 (2018-07-04) came after 成都 2017: the label says so
    assert "成都市 ← 四川省 2018 (上级晚发布 · parent later)" in texts["adoption_by_plan"]


def _boxes(fig, texts):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return renderer, [t.get_window_extent(renderer) for t in texts]


@pytest.mark.parametrize("lang", LANGS)
def test_escalation_labels_do_not_overlap_at_thirty_plans(thirty, lang):
    fig = figures.diffusion_timeline(thirty, lang=lang)
    ax = fig.axes[0]
    plan_labels = [t for t in ax.texts if t.get_gid() == "plan_label"]
    assert len(plan_labels) >= 15  # the dated plans
    renderer, boxes = _boxes(fig, plan_labels)
    for i, a in enumerate(boxes):
        for b, other in zip(boxes[i + 1:], plan_labels[i + 1:]):
            assert not a.overlaps(b), (plan_labels[i].get_text(), other.get_text())
    plt.close(fig)
    fig = figures.target_across_levels(thirty, lang=lang, subject=None)  # every plan's first pass rate: many rows
    ax = fig.axes[0]
    notes = [t for t in ax.texts if t.get_gid() == "value_label"]
    renderer, boxes = _boxes(fig, notes)
    legend = ax.get_legend().get_window_extent(renderer)
    axes_box = ax.get_window_extent(renderer)
    ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    assert len(notes) == len(ticks) >= 10
    for a, b in zip(ticks + boxes, ticks[1:] + boxes[1:]):
        assert not a.overlaps(b)
    for box in boxes:  # the value notes stand in a column right of the axes (no grid line through them)
        assert box.x0 >= axes_box.x1 and not box.overlaps(legend)
    assert legend.y1 < axes_box.y0  # the legend below the axes, under the axis title
    plt.close(fig)


def test_english_figures_have_no_chinese(corpus, all_plans, thirty):
    for plans in (corpus, pc.Corpus([all_plans["lingwu_2017"]]), thirty):
        texts = _all_figures(plans, lang="en")
        assert set(texts) == set(figures.FIGURES)
        for name, values in texts.items():
            chinese = [t for t in values if _CJK.search(t)]
            assert not chinese, (name, chinese[:5])
    assert "Lingwu" in texts["pass_rate_thresholds"] and "Hunan" in texts["pass_rate_thresholds"]
    assert "Market regulation" in texts["agency_lead_counts"]  # 质监局, 工商局 and 市场监管局: one function (issue 24)
    assert "Lingwu · county" in texts["target_across_levels"]
    assert any(t.startswith("92") and "(parent issued later: Ningxia)" in t for t in texts["target_across_levels"])
    assert "Chengdu ← Sichuan 2018 (parent issued later)" in texts["adoption_by_plan"]
    assert {"national", "county", "Sichuan 2018", "Sichuan 2023"} <= set(texts["diffusion_timeline"])
    with pytest.raises(ValueError):
        figures.pass_rate_thresholds(corpus, lang="fr")
    for make in figures.ESCALATION_FIGURES.values():
        with pytest.raises(ValueError):
            make(corpus, lang="fr")


def test_write_figures_skips_a_failing_figure_with_a_warning(corpus, tmp_path, monkeypatch):
    def broken(corpus, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(figures.FIGURES, "brand_award_targets", broken)
    with pytest.warns(RuntimeWarning, match="brand_award_targets skipped"):
        written = figures.write_figures(corpus, tmp_path, lang="en")
    assert written.skipped["brand_award_targets"] == "error: ZeroDivisionError: boom"
    assert len(written) == 2 * (len(figures.FIGURES) - len(written.skipped))


@pytest.mark.parametrize("lang", LANGS)
def test_agency_network_labels_clear_of_their_nodes_and_of_the_legend(thirty, lang):
    fig = figures.agency_network_graph(thirty, lang=lang)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() == "agency_label"]
    renderer, boxes = _boxes(fig, labels)
    nodes = ax.collections[-1]  # drawn after the edges
    centres = ax.transData.transform(nodes.get_offsets())
    assert len(labels) == len(centres) >= 10
    legend = ax.get_legend().get_window_extent(renderer)
    for box in boxes:
        assert not box.overlaps(legend)
        for x, y in centres:
            assert not box.contains(x, y)
    plt.close(fig)
