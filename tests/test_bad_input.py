"""A folder of bad input (tests/data/bad) goes through `policycompare run` in one go, as documented.

Each bad file gets one message naming it, desktop junk is skipped silently,
a damaged file or a bad sidecar never drops its plan, and the good plans
still give every table.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

import policycompare as pc
from policycompare.cli import app

from .conftest import DATA, RAW

BAD = DATA / "bad"
runner = CliRunner()

#: file -> what its one message says (errors: the file is skipped)
ERRORS = {
    "empty_2020.txt": "file is empty",
    "binary_2020.txt": "binary file",
    "english_2020.txt": "no Chinese text found",
    "nostructure_2019.txt": "no structure found",
    "fake_2016.docx": "not a valid .docx file",
    "fake_2016.pdf": "already taken by fake_2016.docx",
    "dup_2017.html": "no Chinese text found",
    "dup_2017.txt": "already taken by dup_2017.html",
    "notes_2017.xyz": "unsupported file type '.xyz'",
}
#: file -> a warning it gets while its plan still goes through
WARNINGS = {
    "damaged_2017.txt": "1 invalid or cut byte sequence(s) replaced with U+FFFD",
    "truncated_2014.txt": "ends mid-sentence",
    "badsidecar_2017.txt": "sidecar badsidecar_2017.meta.toml not used: issued_date must be a real date",
    "orphan_2018.meta.toml": "sidecar without a plan",
}
GOOD = {"=1+1_2017", "badsidecar_2017", "damaged_2017", "page_2016", "truncated_2014"}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    raw = root / "raw"
    shutil.copytree(BAD, raw)
    result = runner.invoke(app, ["run", "--raw", str(raw), "--out", str(root / "out"), "--figures", str(root / "figs")])
    return result, root


def test_the_run_goes_through_and_names_every_bad_file_once(bad_run):
    result, root = bad_run
    assert result.exit_code == 0, result.output
    warnings = pd.read_csv(root / "out" / "warnings.csv", keep_default_na=False)
    for name, message in ERRORS.items():
        rows = warnings[warnings["source_file"] == name]
        assert len(rows) == 1 and rows.iloc[0]["severity"] == "error", name
        assert message in rows.iloc[0]["message"], (name, rows.iloc[0]["message"])
        assert name in result.output
    for name, message in WARNINGS.items():
        rows = warnings[(warnings["source_file"] == name) & warnings["message"].str.contains(message, regex=False)]
        assert len(rows) == 1 and rows.iloc[0]["severity"] == "warning", (name, warnings[warnings["source_file"] == name])


def test_desktop_junk_is_skipped_silently(bad_run):
    result, root = bad_run
    warnings = pd.read_csv(root / "out" / "warnings.csv", keep_default_na=False)
    for junk in ("Thumbs.db", "desktop.ini", "~$plan_2017.docx", "plan_2017.txt~"):
        assert junk not in set(warnings["source_file"]) and junk not in result.output


def test_good_plans_give_every_table(bad_run):
    _, root = bad_run
    plans = pd.read_csv(root / "out" / "plans.csv", keep_default_na=False)
    assert set(plans["plan_id"]) == GOOD
    tasks = pd.read_csv(root / "out" / "tasks.csv", keep_default_na=False)
    assert set(tasks["plan_id"]) == GOOD
    targets = pd.read_csv(root / "out" / "targets.csv", keep_default_na=False)
    page = targets[targets["plan_id"] == "page_2016"]
    assert sorted(page["value"]) == [10.0, 90.0], "the HTML page's visible text is read, its script and menu are not"
    assert (root / "out" / "policycompare.xlsx").stat().st_size > 10_000


def test_a_folder_with_only_bad_files_exits_1_with_one_line(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("empty_2020.txt", "binary_2020.txt", "Thumbs.db"):
        shutil.copy(BAD / name, raw / name)
    result = runner.invoke(app, ["run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-figures"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "empty_2020.txt: file is empty" in result.output and "binary_2020.txt" in result.output
    assert result.output.count("no plan could be used") == 1


def test_an_empty_folder_exits_1(tmp_path):
    (tmp_path / "raw").mkdir()
    result = runner.invoke(app, ["run", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "no plan could be used" in result.output


def test_an_empty_corpus_has_every_table_with_no_rows():
    tables = pc.Corpus([]).tables()
    assert "task_similarity" in tables and all(df.empty for df in tables.values())
    assert list(tables["targets_by_metric"].columns)[0] == "plan_id"


@pytest.mark.parametrize("case", ["file", "raw", "inside_raw"])
def test_output_folder_problems_are_found_before_any_work(tmp_path, case):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    out = {"file": tmp_path / "out.txt", "raw": raw, "inside_raw": raw / "out"}[case]
    if case == "file":
        out.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["run", "--raw", str(raw), "--out", str(out), "--no-figures"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in raw.iterdir()) == sorted(p.name for p in RAW.iterdir()), "nothing written to raw"


def test_a_read_only_output_folder_is_refused(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    result = runner.invoke(app, ["run", "--raw", str(RAW), "--out", str(out), "--no-figures"])
    assert result.exit_code == 2 and "not writable" in result.output


def test_a_second_run_on_the_same_folder_waits_then_refuses(tmp_path):
    from policycompare.manifest import FolderLock, OutputError

    out = tmp_path / "out"
    with FolderLock(out):
        with pytest.raises(OutputError, match="another policycompare run"):
            with FolderLock(out, timeout=0.3):
                pass
    with FolderLock(out, timeout=0.3):  # free again once the first run ends
        pass


def test_a_file_over_the_size_limit_is_refused_up_front(tmp_path, monkeypatch):
    import policycompare.plan as plan_module

    monkeypatch.setattr(plan_module, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(pc.PlanError, match="longer than the limit of 1,000"):
        pc.read_plan(RAW / "lingwu_2017.txt")
    monkeypatch.setattr(plan_module, "MAX_FILE_BYTES", 1000)
    with pytest.raises(pc.PlanError, match="larger than the limit"):
        pc.read_plan(RAW / "lingwu_2017.txt")


def test_load_corpus_given_a_file_says_so():
    with pytest.raises(NotADirectoryError, match="not a folder"):
        pc.load_corpus(RAW / "lingwu_2017.txt")


def test_similar_raises_clear_typed_errors(corpus):
    from policycompare.similarity import EmptyCorpusError, similar

    with pytest.raises(EmptyCorpusError, match="no tasks"):
        similar(pc.Corpus([]), "质量")
    with pytest.raises(ValueError, match="k must be at least 1"):
        similar(corpus, "质量", k=0)
    with pytest.raises(ValueError, match="either a query text or a task_id"):
        similar(corpus)
    with pytest.raises(KeyError):
        similar(corpus, task_id="nowhere_2020:1.1")
