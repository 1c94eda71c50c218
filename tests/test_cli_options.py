"""Command-line options of issue 14: --version, -h, run --quiet/--verbose/--lang; Jupyter reprs."""

from __future__ import annotations

import re

from typer.testing import CliRunner

import policycompare as pc
from policycompare.cli import app

from .conftest import RAW


def test_version_and_short_help():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"policycompare {pc.__version__}"
    result = CliRunner().invoke(app, ["-h"])
    assert result.exit_code == 0 and "run" in result.output and "--version" in result.output
    result = CliRunner().invoke(app, ["run", "-h"])
    assert result.exit_code == 0 and "--verbose" in result.output and "--lang" in result.output


def test_run_verbose_names_every_stage_with_counts_and_english_figures(tmp_path):
    out, figs = tmp_path / "out", tmp_path / "figs"
    result = CliRunner().invoke(app, ["run", "--raw", str(RAW), "--out", str(out), "--figures", str(figs),
                                      "--no-workbook", "-j", "1", "--verbose", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for stage in ("reading", "writing tables", "figures"):
        assert re.search(rf"\[\s*[\d.]+ s\] {stage}\s+\d+/\d+", result.output), (stage, result.output)
    for stage in ("similarity", "text reuse", "workbook"):  # the stages of the tables step are named too
        assert stage in result.output or stage == "workbook", (stage, result.output)
    assert "reading          5/5" in result.output
    assert (figs / "pass_rate_thresholds.png").is_file()


def test_run_quiet_prints_nothing_and_bad_options_are_refused(tmp_path):
    result = CliRunner().invoke(app, ["run", "--raw", str(RAW), "--out", str(tmp_path / "o"), "--no-figures",
                                      "--no-workbook", "-j", "1", "--quiet"])
    assert result.exit_code == 0 and result.output.strip() == ""
    result = CliRunner().invoke(app, ["run", "--raw", str(RAW), "--out", str(tmp_path / "o"), "--lang", "fr"])
    assert result.exit_code == 2 and "--lang" in result.output
    result = CliRunner().invoke(app, ["run", "--raw", str(RAW), "--out", str(tmp_path / "o"), "-q", "-v"])
    assert result.exit_code == 2


def test_plan_and_corpus_reprs_are_short_and_html_summaries_hold_metadata_counts_warnings(corpus):
    plan = corpus["hunan_2017"]
    assert len(repr(plan)) < 200 and len(repr(corpus)) < 100
    html = plan._repr_html_()
    assert "湖南省" in html and "39 tasks" in html and "warning" in html and len(html) < 5000
    html = corpus._repr_html_()
    assert "5 plans" in html and "lingwu_2017" in html and "灵武市" in html and len(html) < 10000
    assert "<script" not in html


def test_tables_carry_english_names(corpus):
    plans = corpus.plans.set_index("plan_id")
    assert plans.loc["lingwu_2017", "jurisdiction_en"] == "Lingwu"
    assert plans.loc["hunan_2017", "jurisdiction_en"] == "Hunan"
    agencies = corpus.agencies
    assert (agencies.loc[agencies["agency_canonical"] == "市场监管局", "agency_canonical_en"]
            == "Market Regulation Bureau").all()
    assert (agencies["agency_canonical_en"] != "").all()


def test_places_in_english():
    from policycompare.english import agency_en, jurisdiction_en

    assert [jurisdiction_en(n) for n in ("陕西省", "山西省", "内蒙古自治区", "长宁区", "平利县", "中国", "")] == \
        ["Shaanxi", "Shanxi", "Inner Mongolia", "Changning District", "Pingli County", "China", ""]
    assert agency_en("工信部") == "Ministry of Industry & IT"


def test_run_progress_has_one_counter_per_stage_says_what_loads_and_fits_100_columns():
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from policycompare.cli import RunProgress

    loading = "reading: loading the parsers and the jieba dictionary, " + "很长的说明" * 20
    for width in (200, 60):
        console = Console(file=io.StringIO(), force_terminal=True, width=width, color_system=None)
        shown = RunProgress(console, verbose=True)
        with console.capture() as log:
            shown("starting: loading pandas, scikit-learn, the table code", 0, 0)
            shown("reading", 0, 25000)
            shown(loading, 0, 25000)
            screens = [shown.bar.get_renderable()]
            shown("reading", 25000, 25000)
            shown("tables", 0, 4)
            shown("similarity", 1, 4)
            screens.append(shown.bar.get_renderable())
        logged = log.get().splitlines()
        assert max(cell_len(line) for line in logged) <= RunProgress.WIDTH, logged
        assert any(line.endswith("… loading pandas, scikit-learn, the table code") for line in logged)
        assert re.search(r"\] reading +0/25000\n.*\] reading +… loading the parsers", "\n".join(logged)), logged
        assert re.search(r"\] similarity +1/4$", logged[-1]), "the -v log keeps the lines the benchmark reads"
        shots = []
        for screen in screens:
            with console.capture() as bars:
                console.print(screen)
            shots.append(bars.get().splitlines())
            assert max(cell_len(line) for line in shots[-1]) <= min(width, RunProgress.WIDTH), shots[-1]
        assert [line.split()[0] for line in shots[0]] == ["reading"], "the start's note gave way to the stage"
        assert "0/25000" in shots[0][0] and "loading the" in shots[0][0], "what the stage is loading"
        assert [line.split()[0] for line in shots[1]] == ["reading", "tables"], "one bar and one count per stage"
        assert "1/4" in shots[1][1] and shots[1][1].rstrip().endswith("similarity"), "a step of tables: its note"
