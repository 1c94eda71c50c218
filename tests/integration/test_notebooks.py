"""The notebooks: stored without outputs, thin (no def/class), executed top to bottom, exported by `policycompare report`."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from typer.testing import CliRunner

from policycompare.cli import app
from policycompare.run.notebooks import build_report, execute_notebook, notebook_files

from ..conftest import RAW, REPO

NOTEBOOKS = REPO / "notebooks"
EXPECTED = ["01_corpus_overview", "02_targets_and_pass_rates", "03_task_similarity", "04_agencies_and_sectors",
            "05_escalation_and_diffusion"]


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _outputs_text(nb) -> str:
    parts = []
    for cell in _code(nb):
        for out in cell.outputs:
            parts.append(out.get("text", ""))
            parts += [str(v) for k, v in out.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(parts)


def test_the_notebooks_exist():
    assert [p.stem for p in notebook_files(NOTEBOOKS)] == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_stored_without_outputs_and_thin(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in _code(nb):
        assert cell.outputs == [] and cell.execution_count is None, f"{name}: stored output in {cell.source[:40]!r}"
        assert not any(line.lstrip().startswith(("def ", "class ")) for line in cell.source.splitlines()), \
            f"{name}: put functions in the library, not the notebook"
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert markdown and all(any("\u4e00" <= ch <= "\u9fff" for ch in m) and any(ch.isascii() and ch.isalpha() for ch in m)
                            for m in markdown), "markdown explains in Chinese and English"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return {run.notebook.stem: run for run in build_report(NOTEBOOKS, out)}


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_top_to_bottom_and_exports_html(report, name):
    run = report[name]
    assert run.error is None, run.error
    assert run.html.exists() and run.html.stat().st_size > 10_000
    nb = run.executed
    for cell in _code(nb):
        for out in cell.outputs:
            assert out.output_type != "error", out
            if out.output_type == "stream" and out.name == "stderr":
                assert "missing from font" not in out.text and "Traceback" not in out.text, out.text
    n_figures = sum(c.source.count("pc.figures.") for c in _code(nb))
    images = sum("image/png" in out.get("data", {}) for c in _code(nb) for out in c.outputs)
    assert images == n_figures, "each figure is shown once"


def test_notebooks_show_the_findings(report):
    overview = _outputs_text(report["01_corpus_overview"].executed)
    assert "lingwu_2017" in overview and "稳定在92%以上" in overview.replace(" ", "")
    targets = _outputs_text(report["02_targets_and_pass_rates"].executed)
    assert "91.5" in targets and "no threshold: Shanghai and Yancheng" in targets  # English sentences in English
    similarity = _outputs_text(report["03_task_similarity"].executed)
    assert "shanghai_2017:2.1.3" in similarity
    agencies = _outputs_text(report["04_agencies_and_sectors"].executed)
    assert "质监局" in agencies and "白酒" in agencies and "羊绒" in agencies
    escalation = _outputs_text(report["05_escalation_and_diffusion"].executed)
    # the seeds with the context excerpts of data/context: national 90 -> 湖南 90, 四川 91.5 (consumer goods);
    # 宁夏's 95 measures industrial products: compared with nothing; 宁夏 2018 came after 灵武 2017
    assert "Hunan 90% against China's 90% (consumer goods, same, other sampling level)" in escalation
    assert "Sichuan 91.5% against China's 90% (consumer goods, raised)" in escalation
    assert "95% against" not in escalation and "Ningxia industrial products 95%" in escalation
    assert "Lingwu (2017-10-16) under Ningxia (2018)" in escalation
    assert "the parent was issued later: similar wording, not adoption" in escalation
    assert "lingwu_2017 (2017-10-16) shares 531 characters with hunan_2017" in escalation


def _run_with_a_new_plan(tmp_path, notebook: str):
    """A project of the seeds plus newtown_2019 (灵武's text) with one notebook, executed: (project, notebook)."""
    project = tmp_path / "project"
    shutil.copytree(RAW, project / "data" / "raw")
    shutil.copy(RAW / "lingwu_2017.txt", project / "data" / "raw" / "newtown_2019.txt")
    (project / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / f"{notebook}.ipynb", project / "notebooks")
    return project, execute_notebook(project / "notebooks" / f"{notebook}.ipynb")


def test_a_new_plan_dropped_into_raw_shows_up_on_rerun(tmp_path):
    _, nb = _run_with_a_new_plan(tmp_path, "01_corpus_overview")
    assert "newtown_2019" in _outputs_text(nb)


def test_report_command_names_a_missing_folder(tmp_path):
    result = CliRunner().invoke(app, ["report", "--notebooks", str(tmp_path / "none"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no notebooks" in result.output


@pytest.mark.parametrize("name", EXPECTED)
def test_first_cell_says_what_question_the_notebook_answers(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert "Question" in nb.cells[0].source and "问题" in nb.cells[0].source


@pytest.mark.parametrize("name", EXPECTED)
def test_each_html_page_is_titled_by_its_notebook(report, name):
    from policycompare.run.notebooks import notebook_title

    title = notebook_title(report[name].executed)
    assert title and title.startswith(name[:2])
    html = report[name].html.read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in html


def test_sentences_that_state_results_are_computed_from_the_tables(report, corpus):
    from policycompare.report import findings as rep

    assert rep.overview_findings(corpus) in _outputs_text(report["01_corpus_overview"].executed)
    targets = _outputs_text(report["02_targets_and_pass_rates"].executed)
    assert rep.pass_rate_findings(corpus) in targets
    assert "灵武市 92%、四川省 91.5%（国家抽查）、湖南省 90%（省级以上抽查）；上海市、盐城市没有设定合格率目标。" in targets
    agencies = _outputs_text(report["04_agencies_and_sectors"].executed)
    assert rep.agency_findings(corpus) in agencies and rep.sector_findings(corpus) in agencies
    # notebooks 01-04 end with a summary computed from the data, shown as Markdown
    for name, summary in (("01_corpus_overview", rep.overview_findings), ("02_targets_and_pass_rates", rep.target_findings),
                          ("03_task_similarity", rep.similarity_findings),
                          ("04_agencies_and_sectors", rep.agency_sector_findings)):
        last = report[name].executed.cells[-1]
        markdown = [o["data"]["text/markdown"] for o in last.outputs if "text/markdown" in o.get("data", {})]
        assert markdown == [summary(corpus)._repr_markdown_()], name
    for name in ("02_targets_and_pass_rates", "04_agencies_and_sectors"):
        markdown = " ".join(c.source for c in report[name].executed.cells if c.cell_type == "markdown")
        assert "91.5" not in markdown and "羊绒" not in markdown, f"{name}: a result written by hand in the prose"


def test_computed_sentences_follow_a_new_plan(tmp_path):
    import policycompare as pc
    from policycompare.report import findings as rep

    project, nb = _run_with_a_new_plan(tmp_path, "02_targets_and_pass_rates")
    text = _outputs_text(nb)
    expected = rep.pass_rate_findings(pc.load_corpus(project / "data" / "raw", workers=1))
    assert expected in text
    assert "灵武市 2017 92%、灵武市 2019 92%、四川省 91.5%（国家抽查）" in text  # two plans of one place, told apart
