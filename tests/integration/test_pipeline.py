"""The command line and the whole pipeline, on a copy of data/raw."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from policycompare.cli import app

from ..conftest import RAW

runner = CliRunner()


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def raw_copy(tmp_path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def test_run_writes_tables_and_texts(raw_copy, tmp_path):
    out = tmp_path / "processed"
    before = digest(raw_copy)
    result = runner.invoke(app, ["run", "--raw", str(raw_copy), "--out", str(out), "--figures", str(tmp_path / "figs")])
    assert result.exit_code == 0, result.output
    assert "5 plans" in result.output
    from policycompare.report.figures import FIGURES

    # the seeds have no plan with a parent plan and no national plan: those two figures have no data, are not
    # written, and the run says so (the tile map of the provinces is written with the others)
    skipped = {"adoption_by_plan", "province_escalation_map"}
    for name in FIGURES:
        for suffix in (".png", ".svg"):
            if name in skipped:
                assert not (tmp_path / "figs" / f"{name}{suffix}").exists()
            else:
                assert (tmp_path / "figs" / f"{name}{suffix}").stat().st_size > 10_000
    said = " ".join(result.output.split())
    assert "figures not written: adoption_by_plan (no plan has a parent plan in the corpus)" in said
    assert "province_escalation_map (no national plan in the corpus to compare with)" in said
    manifest = json.loads((out / ".policycompare-manifest.json").read_text(encoding="utf-8"))
    assert {name for name, _ in manifest["summary"]["skipped_figures"]} == skipped
    assert digest(raw_copy) == before, "raw files must never be modified"
    for name in ("plans.csv", "tasks.csv", "warnings.csv", "agencies.csv", "sectors.csv",
                 "agency_roles.csv", "agency_network.csv", "sector_coverage.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    agencies = pd.read_csv(out / "agencies.csv", keep_default_na=False)
    assert {"lead", "cooperate", "responsible", "guide"} == set(agencies["role"])
    plans = pd.read_csv(out / "plans.csv", dtype=str, keep_default_na=False)
    assert sorted(plans["plan_id"]) == ["hunan_2017", "lingwu_2017", "shanghai_2017", "sichuan_2018", "yancheng_2014"]
    tasks = pd.read_csv(out / "tasks.csv", keep_default_na=False)
    for plan_id in plans["plan_id"]:
        text = (out / "text" / f"{plan_id}.txt").read_text(encoding="utf-8")
        for row in tasks[tasks["plan_id"] == plan_id].itertuples():
            assert text[row.char_start:row.char_end] == row.text
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


def test_run_is_deterministic(raw_copy, tmp_path, monkeypatch):
    # the workbook records the build day; pin it so that a run across midnight cannot differ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("a", "b"):
        args = ["run", "--raw", str(raw_copy), "--out", str(tmp_path / name), "--figures", str(tmp_path / name / "figures")]
        assert runner.invoke(app, args).exit_code == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert (tmp_path / "a" / "policycompare.xlsx").exists()
    assert len(list((tmp_path / "a" / "figures").glob("*.png"))) >= 5


def test_bad_files_get_one_message_and_the_others_go_through(raw_copy, tmp_path):
    (raw_copy / "empty_2020.txt").write_bytes(b"")
    (raw_copy / "binary_2020.txt").write_bytes(bytes(range(256)) * 8)
    (raw_copy / "scan_2020.pdf").write_bytes(b"%PDF-1.4")
    (raw_copy / "english_2020.txt").write_text("An English memo without any structure.\n" * 10, encoding="utf-8")
    (raw_copy / "notes.md").write_text("# notes for myself", encoding="utf-8")  # ignored
    out = tmp_path / "processed"
    result = runner.invoke(app, ["run", "--raw", str(raw_copy), "--out", str(out), "--no-figures"])
    assert result.exit_code == 0, result.output
    warnings = pd.read_csv(out / "warnings.csv", keep_default_na=False)
    errors = warnings[warnings["severity"] == "error"].set_index("source_file")["message"]
    assert set(errors.index) == {"empty_2020.txt", "binary_2020.txt", "scan_2020.pdf", "english_2020.txt"}
    assert errors["empty_2020.txt"] == "file is empty"
    assert "binary" in errors["binary_2020.txt"]
    assert "not a valid PDF" in errors["scan_2020.pdf"]  # .pdf is read now: a damaged one is named
    for name in errors.index:
        assert result.output.count(name) == 1, f"one message per bad file: {name}"
    plans = pd.read_csv(out / "plans.csv", keep_default_na=False)
    assert len(plans) == 5
    strict = runner.invoke(app, ["run", "--raw", str(raw_copy), "--out", str(out), "--strict", "--no-figures"])
    assert strict.exit_code == 1


def test_a_new_plan_shows_up_on_rerun_and_a_removed_one_goes(raw_copy, tmp_path):
    out = tmp_path / "processed"
    runner.invoke(app, ["run", "--raw", str(raw_copy), "--out", str(out), "--no-figures"])
    (raw_copy / "newcounty_2019.txt").write_text(
        "某某县人民政府办公室关于印发某某县消费品质量提升实施方案的通知\n一、主要任务\n"
        "(一)推行企业标准自我声明公开。到2020年,产品质量监督抽查合格率达到93%以上。(县市场监管局负责)\n"
        "(二)加强品牌建设。培育知名品牌。(县工信局负责)\n某某县人民政府办公室\n2019年5月6日\n",
        encoding="gb18030",
    )
    (raw_copy / "lingwu_2017.txt").unlink()
    result = runner.invoke(app, ["run", "--raw", str(raw_copy), "--out", str(out), "--no-figures"])
    assert result.exit_code == 0, result.output
    plans = pd.read_csv(out / "plans.csv", dtype=str, keep_default_na=False).set_index("plan_id")
    assert "lingwu_2017" not in plans.index
    assert plans.at["newcounty_2019", "issued_date"] == "2019-05-06"
    assert plans.at["newcounty_2019", "encoding"] == "gb18030"
    assert not (out / "text" / "lingwu_2017.txt").exists()
    tasks = pd.read_csv(out / "tasks.csv", keep_default_na=False)
    assert list(tasks.loc[tasks["plan_id"] == "newcounty_2019", "task_id"]) == ["newcounty_2019:1.1", "newcounty_2019:1.2"]


def test_show_prints_metadata_and_outline(raw_copy):
    result = runner.invoke(app, ["show", "lingwu_2017", "--raw", str(raw_copy)])
    assert result.exit_code == 0, result.output
    assert "灵武市人民政府办公室" in result.output
    assert "lingwu_2017:3.1.1" in result.output and "加快建立健全标准体系" in result.output
    missing = runner.invoke(app, ["show", "nowhere_2020", "--raw", str(raw_copy)])
    assert missing.exit_code == 2
    assert "no plan 'nowhere_2020'" in missing.output


def test_library_api_matches_the_csv_columns(corpus, tmp_path):
    from policycompare.schema import SCHEMAS

    for name, table in corpus.tables().items():
        assert list(table.columns) == list(SCHEMAS[name])


# what the tests give the process beside: module functions (it is started afresh and imports them)
def _twice(x):
    return x * 2


def _cannot_write(path):
    raise PermissionError(f"cannot write {path}")


def _table(n):
    import numpy as np

    return pd.DataFrame({"passage": [f"第{i}条" for i in range(n)], "length": np.arange(n)}).astype(
        {"passage": "string"})


def _dies():
    import os

    os._exit(3)


#: set by a test in this process; the process beside sees the value this module gives it
MARK = "as imported"


def _mark():
    return MARK


def _full_disk(inputs, out_dir):
    raise OSError(28, "No space left on device")


def _slow(inputs, out_dir):
    import time

    time.sleep(60)


def _beside() -> list:
    """The processes beside this one a run started (pipeline._Background), still running."""
    import psutil

    return [child for child in psutil.Process().children(recursive=True)
            if child.is_running() and child.status() != psutil.STATUS_ZOMBIE and "_serve()" in " ".join(child.cmdline())]


def test_an_error_in_the_background_process_reaches_the_caller(tmp_path):
    from policycompare.run.pipeline import _Background

    assert _Background(_twice, 21).join() == 42
    with pytest.raises(PermissionError, match="cannot write"):
        _Background(_cannot_write, tmp_path / "book.xlsx").join()


def test_the_background_process_streams_a_large_result_and_a_death_is_one_error():
    from policycompare.run.pipeline import OutputError, _Background

    pd.testing.assert_frame_equal(_Background(_table, 300_000).join(), _table(300_000))  # beyond a pipe's buffer
    big = _table(200_000)  # sent to it, streamed too, while this process goes on
    pd.testing.assert_frame_equal(_Background(pd.DataFrame.copy, big).join(), big)
    with pytest.raises(OutputError, match="exit code 3"):
        _Background(_dies).join()
    with pytest.raises(AttributeError, match="pickle"):  # an argument that does not pickle: its error, no hang
        _Background(_twice, lambda: 1).join()


def test_the_process_beside_is_started_afresh_and_shares_nothing_of_this_one(monkeypatch):
    """Issue 26's memory: a forked process kept every page this one wrote to meanwhile (the run's peak went
    over 2 GB at 1,000 plans); the process beside is a new Python, on every system, given only its arguments."""
    import sys

    from policycompare.run.pipeline import _Background

    monkeypatch.setattr(sys.modules[__name__], "MARK", "set in this process")
    assert _mark() == "set in this process"
    assert _Background(_mark).join() == "as imported"


def test_a_script_without_a_main_guard_can_start_the_process_beside(tmp_path):
    """The process beside never imports the script that started it (multiprocessing's spawn would: a
    script calling run_pipeline at its top level would run again there)."""
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text("from policycompare.run.pipeline import _Background\n"
                      "print('started')\n"
                      "print(_Background(len, 'abcd').join())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["started", "4"]


def test_text_reuse_built_beside_the_similarity_gives_the_same_files(raw_copy, tmp_path, monkeypatch):
    """Issue 26: another process builds text reuse (and writes the texts and its own tables) while the run
    builds the similarity; the files and their order are those of a run without it, and the tables this
    process holds (text reuse's read back from their Parquet files) are the same, types and all."""
    import policycompare.run.pipeline as pipeline

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pipeline, "BESIDE_MIN_PLANS", 10**9)
    here = pipeline.run_pipeline(raw_copy, tmp_path / "here", figures_dir=None, workers=1)
    monkeypatch.setattr(pipeline, "BESIDE_MIN_PLANS", 1)
    beside = pipeline.run_pipeline(raw_copy, tmp_path / "beside", figures_dir=None, workers=1)
    assert "aside: text reuse" in beside.seconds and "aside: text reuse" not in here.seconds
    assert [p.relative_to(tmp_path / "beside") for p in beside.written] == \
        [p.relative_to(tmp_path / "here") for p in here.written]
    assert digest(tmp_path / "here") == digest(tmp_path / "beside")
    for name, table in here.corpus.built_tables().items():  # the parent holds every table, as built here
        pd.testing.assert_frame_equal(beside.corpus.built_tables()[name], table)


def test_an_error_in_the_process_beside_is_reported_and_nothing_is_left_running(raw_copy, tmp_path, monkeypatch):
    import policycompare.run.pipeline as pipeline

    monkeypatch.setattr(pipeline, "BESIDE_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "_build_aside", _full_disk)  # (in the process beside) a full disk
    with pytest.raises(pipeline.WriteError, match="No space left on device; nothing was replaced"):
        pipeline.run_pipeline(raw_copy, tmp_path / "out", figures_dir=None, workers=1)
    assert not _beside()
    assert not (tmp_path / "out" / ".policycompare-new").exists()  # the staged files are discarded


@pytest.mark.parametrize("error", [RuntimeError("similarity failed"), KeyboardInterrupt()])
def test_an_error_here_while_text_reuse_is_built_beside_stops_that_process(raw_copy, tmp_path, monkeypatch, error):
    import time

    import policycompare.run.pipeline as pipeline
    from policycompare.analyze import similarity

    def fails(*args, **kwargs):
        assert _beside()  # text reuse is being built beside
        raise error

    monkeypatch.setattr(pipeline, "BESIDE_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "_build_aside", _slow)  # (in the process beside) still at work when this one fails
    monkeypatch.setattr(similarity, "plan_similarity", fails)
    start = time.perf_counter()
    expected = pipeline.Interrupted if isinstance(error, KeyboardInterrupt) else RuntimeError
    with pytest.raises(expected):
        pipeline.run_pipeline(raw_copy, tmp_path / "out", figures_dir=None, workers=1)
    assert time.perf_counter() - start < 50  # the run did not wait for it
    assert not _beside()  # stopped, not left running
    assert not (tmp_path / "out" / ".policycompare-new").exists()


def test_a_full_disk_here_while_waiting_for_text_reuse_stops_that_process(raw_copy, tmp_path, monkeypatch):
    """While the run waits for text reuse it writes the tables built so far; an error there kills the
    process beside (still at work) instead of waiting for it, and nothing staged is left."""
    import time

    import policycompare.run.pipeline as pipeline

    real = pipeline._write_table

    def full(name, table, out_dir):
        if name == "task_similarity":  # built by this process: written while it waits
            assert _beside()
            raise OSError(28, "No space left on device")
        return real(name, table, out_dir)

    monkeypatch.setattr(pipeline, "BESIDE_MIN_PLANS", 1)
    monkeypatch.setattr(pipeline, "_build_aside", _slow)
    monkeypatch.setattr(pipeline, "_write_table", full)
    start = time.perf_counter()
    with pytest.raises(pipeline.WriteError, match="No space left on device; nothing was replaced"):
        pipeline.run_pipeline(raw_copy, tmp_path / "out", figures_dir=None, workers=1)
    assert time.perf_counter() - start < 50
    assert not _beside()
    assert not (tmp_path / "out" / ".policycompare-new").exists()


def test_a_run_hashes_each_raw_file_once(raw_copy, tmp_path, monkeypatch):
    """Issue 23: the fingerprint and the cache keys come from one hash of each file's bytes."""
    import policycompare.run.cache as cache

    hashed = []
    real = cache._file_digest

    def counted(path):
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(cache, "_file_digest", counted)
    result = pipeline_run(raw_copy, tmp_path / "out")
    assert result.map_stats.processed == 5
    assert sorted(hashed) == sorted(p.name for p in raw_copy.iterdir())
    hashed.clear()
    assert pipeline_run(raw_copy, tmp_path / "out").up_to_date  # a rerun: the fingerprint alone
    assert sorted(hashed) == sorted(p.name for p in raw_copy.iterdir())


def pipeline_run(raw: Path, out: Path):
    from policycompare.run.pipeline import run_pipeline

    return run_pipeline(raw, out, figures_dir=None, workbook=False, workers=1)


def test_run_names_the_reports_built_on_other_plans(raw_copy, tmp_path):
    """Issue 21 point 5: a report built before a plan was added is named as stale; a current one is not."""
    from policycompare.run.notebooks import inputs_stamp, report_stamp, stale_reports, stamp_page

    figures = tmp_path / "figs"
    figures.mkdir()
    page = "<html><head><title>x</title></head><body><p>findings</p></body></html>"
    stamp, n_plans = inputs_stamp(raw_copy)
    assert n_plans == 5
    (figures / "01_corpus_overview.html").write_text(stamp_page(page, stamp, n_plans, "2026-11-30"), encoding="utf-8")
    args = ["run", "--raw", str(raw_copy), "--out", str(tmp_path / "out"), "--figures", str(figures),
            "--no-workbook", "-j", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "stale" not in result.output
    assert report_stamp(figures / "01_corpus_overview.html") == {"stamp": stamp, "plans": 5, "built": "2026-11-30"}
    assert "Built 2026-11-30 from 5 plan files" in (figures / "01_corpus_overview.html").read_text(encoding="utf-8")
    shutil.copy(raw_copy / "lingwu_2017.txt", raw_copy / "lingwu_copy_2017.txt")
    assert [p.name for p, _ in stale_reports(figures, raw_copy)] == ["01_corpus_overview.html"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "stale reports" in line)
    assert "01_corpus_overview.html (built 2026-11-30 from 5 plan files" in line and "6 now" in line
    assert "policycompare report" in line
