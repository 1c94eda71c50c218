"""A folder of bad input (tests/data/bad) goes through `policycompare run` in one go, as documented.

Each bad file gets one message naming it, desktop junk is skipped silently,
a damaged file or a bad sidecar never drops its plan, and the good plans
still give every table.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import policycompare as pc
from policycompare.cli import app

from ..conftest import DATA, RAW

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
    from policycompare.run.manifest import FolderLock, OutputError

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
    from policycompare.analyze.similarity import EmptyCorpusError, similar

    with pytest.raises(EmptyCorpusError, match="no tasks"):
        similar(pc.Corpus([]), "质量")
    with pytest.raises(ValueError, match="k must be at least 1"):
        similar(corpus, "质量", k=0)
    with pytest.raises(ValueError, match="either a query text or a task_id"):
        similar(corpus)
    with pytest.raises(KeyError):
        similar(corpus, task_id="nowhere_2020:1.1")


# ------------------------------------------------------------------ issue 25: odd files beside good plans

GOOD_SEEDS = ("lingwu_2017.txt", "yancheng_2014.txt")


def _docx_bomb(path, unpacked: int) -> None:
    """A .docx whose word/document.xml inflates to ``unpacked`` bytes (built on the fly, never committed)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"/>')
        with package.open("word/document.xml", "w", force_zip64=True) as fh:
            block = "<w:p><w:r><w:t>加快推进消费品标准</w:t></w:r></w:p>".encode() * 20_000
            for _ in range(unpacked // len(block)):
                fh.write(block)


@pytest.fixture(scope="module")
def odd_run(tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("odd")
    raw = root / "raw"
    raw.mkdir()
    for name in GOOD_SEEDS:
        shutil.copy(RAW / name, raw / name)
    paragraphs = "".join(f"<p>第{i}条 加快推进消费品标准和质量提升,提高标准供给能力。" for i in range(1200))
    (raw / "unclosed_2017.html").write_text(f"<html><body>{paragraphs}</body></html>", encoding="utf-8")
    _docx_bomb(raw / "bomb_2017.docx", 256_000_000)
    odd = {"bomb_2017.docx": "refused unread (a zip bomb?)"}
    if hasattr(os, "mkfifo"):
        os.mkfifo(raw / "pipe_2017.txt")
        odd["pipe_2017.txt"] = "is a named pipe (FIFO), not a regular file"
    if os.path.exists("/dev/zero"):
        os.symlink("/dev/zero", raw / "zero_2017.txt")
        odd["zero_2017.txt"] = "is a character device, not a regular file"
    shutil.copy(RAW / "hunan_2017.txt", raw / ("湖" * 83 + ".txt"))  # 249 bytes: no room for .tmp or .meta.toml
    try:  # a GBK name, as a Chinese zip unpacks on Linux (macOS and Windows refuse such names)
        shutil.copy(RAW / "shanghai_2017.txt", raw / os.fsdecode("上海规划".encode("gbk") + b".txt"))
        gbk_name = True
    except (OSError, UnicodeError):
        gbk_name = False
    (raw / "lingwu_2017.meta.toml").mkdir()  # a sidecar that is a folder
    result = runner.invoke(app, ["run", "--raw", str(raw), "--out", str(root / "out"), "--no-figures",
                                 "--no-workbook", "-j", "1"])
    return result, root, odd, gbk_name


def test_each_odd_file_gets_one_message_and_the_good_plans_go_through(odd_run):
    result, root, odd, gbk_name = odd_run
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    warnings = pd.read_csv(root / "out" / "warnings.csv", keep_default_na=False)
    for name, message in odd.items():
        rows = warnings[warnings["source_file"] == name]
        assert len(rows) == 1 and rows.iloc[0]["severity"] == "error" and message in rows.iloc[0]["message"], name
        assert sum(name in line and message in line for line in result.output.splitlines()) == 1, name
    plans = pd.read_csv(root / "out" / "plans.csv", keep_default_na=False).set_index("plan_id")
    assert {"lingwu_2017", "yancheng_2014", "unclosed_2017"} <= set(plans.index)
    assert plans.at["unclosed_2017", "n_tasks"] >= 100, "every paragraph of the unclosed page is read"
    sidecar = warnings[warnings["message"].str.contains("lingwu_2017.meta.toml not used: is a folder")]
    assert len(sidecar) == 1 and sidecar.iloc[0]["plan_id"] == "lingwu_2017"


def test_a_name_too_long_for_the_outputs_gets_a_short_unique_id(odd_run):
    from policycompare.ingest.files import MAX_ID_BYTES

    _, root, _, _ = odd_run
    plans = pd.read_csv(root / "out" / "plans.csv", keep_default_na=False)
    row = plans[plans["source_file"] == "湖" * 83 + ".txt"].iloc[0]
    assert len(row["plan_id"].encode("utf-8")) <= MAX_ID_BYTES and row["plan_id"].startswith("湖湖湖")
    assert (root / "out" / "text" / f"{row['plan_id']}.txt").is_file()
    shown = runner.invoke(app, ["show", row["plan_id"], "--raw", str(root / "raw")])
    assert shown.exit_code == 0 and "湖南" in shown.output


def test_a_name_that_is_not_utf8_is_read_as_gb18030(odd_run):
    _, root, _, gbk_name = odd_run
    if not gbk_name:
        pytest.skip("this file system refuses names that are not UTF-8")
    plans = pd.read_csv(root / "out" / "plans.csv", keep_default_na=False).set_index("source_file")
    assert plans.at["上海规划.txt", "plan_id"] == "上海规划"
    warnings = pd.read_csv(root / "out" / "warnings.csv", keep_default_na=False)
    assert warnings["message"].str.contains("the file name is not UTF-8: read as GB18030").sum() == 1


def test_a_docx_bomb_is_refused_before_anything_is_unpacked(tmp_path, monkeypatch):
    import docx

    _docx_bomb(tmp_path / "bomb.docx", 64_000_000)
    assert (tmp_path / "bomb.docx").stat().st_size < 2_000_000

    def never(*args, **kwargs):
        raise AssertionError("python-docx was asked to open the bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(pc.PlanError, match=r"word/document.xml would unpack to 64 MB .*refused unread"):
        pc.read_plan(tmp_path / "bomb.docx")


def test_an_unexpected_error_in_one_file_is_that_files_message(tmp_path, monkeypatch):
    import policycompare.plan as plan_module

    def explode(path):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(plan_module, "read_plan", explode)
    result = plan_module.process_file(str(RAW / "lingwu_2017.txt"))
    assert result["error"].startswith("could not be read (RecursionError: maximum recursion depth exceeded)")


@pytest.mark.parametrize("content", ["42", "[1, 2]", '"text"', "null", '{"other": 1}', "{not json"])
def test_every_unreadable_cache_entry_is_a_miss(tmp_path, content):
    from policycompare.run.cache import PlanCache

    cache = PlanCache(tmp_path)
    cache.folder.mkdir(parents=True)
    (cache.folder / "abc.json").write_text(content, encoding="utf-8")
    assert cache.get("abc") is None


# ------------------------------------------------------------------ issue 25: runs that cannot finish


def _outputs(out) -> dict[str, bytes]:
    """Every output file (not the cache, not the lock)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.parts and not p.name.startswith(".policycompare.lock")}


@pytest.fixture()
def old_and_new(tmp_path):
    """A run on two plans (the old outputs), then a third plan added to the raw folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in GOOD_SEEDS:
        shutil.copy(RAW / name, raw / name)
    out = tmp_path / "out"
    args = ["run", "--raw", str(raw), "--out", str(out), "--no-figures", "--no-workbook", "-j", "1"]
    assert runner.invoke(app, args).exit_code == 0
    shutil.copy(RAW / "shanghai_2017.txt", raw / "shanghai_2017.txt")
    return raw, out, args, _outputs(out)


def test_a_full_disk_leaves_the_previous_outputs_and_says_so_in_one_line(old_and_new, monkeypatch):
    import errno

    import policycompare.run.pipeline as pipeline

    raw, out, args, before = old_and_new
    written = []
    real = pipeline.write_csv

    def fills_up(table, path):
        if len(written) == 10:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        return real(table, path)

    monkeypatch.setattr(pipeline, "write_csv", fills_up)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0] and "previous outputs" in lines[0], lines
    assert _outputs(out) == before, "all old: nothing replaced, nothing left beside"
    monkeypatch.setattr(pipeline, "write_csv", real)
    assert runner.invoke(app, args).exit_code == 0
    assert "shanghai_2017" in (out / "plans.csv").read_text(encoding="utf-8-sig")


def test_ctrl_c_exits_130_saying_the_old_outputs_are_intact(old_and_new, monkeypatch):
    import policycompare.run.pipeline as pipeline

    raw, out, args, before = old_and_new

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "write_parquet", interrupted)
    result = runner.invoke(app, args)
    assert result.exit_code == 130
    assert "interrupted" in result.output and "previous outputs" in result.output and "intact" in result.output
    assert _outputs(out) == before


KILLED = """
import os, sys, types
import policycompare.run.manifest, policycompare.run.pipeline
calls = []
def dies(real):
    def call(*args, **kwargs):
        calls.append(1)
        if len(calls) == {after}:
            os._exit(9)  # as kill -9: no cleanup, no finally
        return real(*args, **kwargs)
    return call
{setup}
from policycompare.run.pipeline import run_pipeline
run_pipeline(sys.argv[1], sys.argv[2], figures_dir=None, workbook=False, workers=1)
"""
#: Where the killed run dies: while writing its tables, or while moving them into place.
WHILE_WRITING = "policycompare.run.pipeline.write_csv = dies(policycompare.run.pipeline.write_csv)"
WHILE_SWITCHING = ("policycompare.run.manifest.os = types.SimpleNamespace(**{{k: getattr(os, k) for k in dir(os) "
                   "if not k.startswith('__')}}); policycompare.run.manifest.os.replace = dies(os.replace)")


def _killed_run(raw, out, setup: str, after: int) -> None:
    import subprocess
    import sys

    code = KILLED.format(setup=setup.replace("{{", "{").replace("}}", "}"), after=after)
    done = subprocess.run([sys.executable, "-c", code, str(raw), str(out)], capture_output=True, timeout=300,
                          check=False)
    assert done.returncode == 9, done.stderr.decode("utf-8", "replace")[-2000:]


def test_kill_9_while_writing_leaves_the_previous_set_and_the_next_run_cleans_up(old_and_new):
    from policycompare.run.manifest import STAGING

    raw, out, args, before = old_and_new
    _killed_run(raw, out, WHILE_WRITING, after=5)
    assert (out / STAGING).is_dir()
    assert {k: v for k, v in _outputs(out).items() if not k.startswith(STAGING)} == before
    assert runner.invoke(app, args).exit_code == 0
    assert not (out / STAGING).exists()
    assert "shanghai_2017" in (out / "plans.csv").read_text(encoding="utf-8-sig")


def test_kill_9_while_switching_is_finished_by_the_next_run(old_and_new, tmp_path):
    from policycompare.run.manifest import SWITCH
    from policycompare.run.pipeline import run_pipeline

    raw, out, args, before = old_and_new
    _killed_run(raw, out, WHILE_SWITCHING, after=4)  # 3 files moved, the rest not
    assert (out / SWITCH).is_file()
    result = run_pipeline(raw, out, figures_dir=None, workbook=False, workers=1)
    assert result.up_to_date, "the switch was finished: the outputs are the new run's, complete"
    clean = tmp_path / "clean"
    run_pipeline(raw, clean, figures_dir=None, workbook=False, workers=1)
    assert _outputs(out) == _outputs(clean)


def test_a_scheduler_with_nothing_listening_is_one_line(monkeypatch):
    pytest.importorskip("dask.distributed")
    import policycompare.run.engine as engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 1)
    result = runner.invoke(app, ["run", "--raw", str(RAW), "--out", "/tmp/never-written", "--no-figures",
                                 "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no Dask scheduler answers at tcp://127.0.0.1:9" in lines[0]


def test_a_scheduler_without_dask_installed_is_one_line(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as when it is not installed
    result = runner.invoke(app, ["run", "--raw", str(RAW), "--out", str(tmp_path / "out"), "--no-figures",
                                 "--scheduler", "tcp://127.0.0.1:9", "--no-cache"])
    assert result.exit_code == 2
    assert "pip install 'policycompare[cluster]'" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------ issue 25: the library's errors name things


def test_corpus_lookups_name_the_known_plans(corpus):
    with pytest.raises(KeyError, match="no plan 'nope' in the corpus; known: hunan_2017, lingwu_2017"):
        corpus["nope"]
    with pytest.raises(KeyError, match="known: hunan_2017"):
        corpus.text("nope")


def test_read_tables_on_a_missing_folder_raises():
    with pytest.raises(FileNotFoundError, match="no output folder"):
        pc.read_tables("/nonexistent/policycompare-out")


def test_a_file_that_cannot_be_replaced_stops_the_switch_and_the_next_run_finishes_it(old_and_new, monkeypatch,
                                                                                        tmp_path):
    """On Windows a CSV open in Excel cannot be replaced: one line, and the next run puts the new set in place."""
    import policycompare.run.manifest as manifest
    from policycompare.run.pipeline import run_pipeline

    raw, out, args, before = old_and_new
    real = manifest.os.replace

    def locked(source, target):
        if Path(target).name == "tasks.csv" and manifest.STAGING not in Path(target).parts:  # the switch's move
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target)

    monkeypatch.setattr(manifest.os, "replace", locked)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "tasks.csv in place (Permission denied; is it open in another program?)" in result.output
    monkeypatch.setattr(manifest.os, "replace", real)
    assert (out / manifest.SWITCH).is_file() and (out / manifest.STAGING).is_dir()
    assert run_pipeline(raw, out, figures_dir=None, workbook=False, workers=1).up_to_date
    clean = tmp_path / "clean"
    run_pipeline(raw, clean, figures_dir=None, workbook=False, workers=1)
    assert _outputs(out) == _outputs(clean)
