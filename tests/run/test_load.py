"""load_corpus after a run (issue 24): the run's cache read, never written; a pool only when it pays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import policycompare as pc
from policycompare.run import engine
from policycompare.run.cache import CACHE_DIR
from policycompare.run.engine import LOADING, MapStats
from policycompare.run.load import collect, run_cache
from policycompare.run.pipeline import run_pipeline

from ..conftest import RAW

TABLES = ("plans", "plan_fields", "tasks", "targets", "agencies", "sectors", "warnings")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project folder (``data/raw`` with the seeds) after one ``policycompare run`` into ``data/processed``."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(RAW, root / "data" / "raw")
    run_pipeline(root / "data" / "raw", root / "data" / "processed", figures_dir=None, workbook=False, workers=1)
    return root


def entries(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in sorted(folder.iterdir())}


def test_the_runs_cache_gives_the_tables_of_a_fresh_parse(project, monkeypatch):
    monkeypatch.chdir(project / "data")  # the default raw folder is found from here up
    cache = project / "data" / "processed" / CACHE_DIR
    before = entries(cache)
    seen: list[tuple[str, int]] = []
    cached = pc.load_corpus(progress=lambda name, n: seen.append((name, n)))
    fresh = pc.load_corpus(project / "data" / "raw", cache_dir=False)
    assert seen == [("cache", 5)], "every plan from the cache: nothing parsed, no parser loaded"
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(cached, name), getattr(fresh, name), check_exact=True)
    assert cached.task_tokens == fresh.task_tokens
    assert [p.path for p in cached] == [p.path for p in fresh], "the plans point at the raw files as found now"
    assert entries(cache) == before, "load_corpus never writes into a run's cache"


def test_a_changed_plan_is_parsed_and_the_cache_is_left_alone(project, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(project / "data" / "raw", raw)
    path = raw / "lingwu_2017.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("灵武市", "永宁县"), encoding="utf-8")
    before = entries(project / "data" / "processed" / CACHE_DIR)
    stats = MapStats()
    corpus = collect(raw, cache=run_cache(raw, project / "data" / "processed"), stats=stats)
    assert (stats.cached, stats.processed) == (4, 1)
    assert corpus["lingwu_2017"].metadata["jurisdiction"] != pc.read_plan(RAW / "lingwu_2017.txt").metadata["jurisdiction"]
    assert entries(project / "data" / "processed" / CACHE_DIR) == before


def test_no_cache_beside_the_raw_folder_or_asked_for_none(project, tmp_path):
    raw = tmp_path / "plans"
    shutil.copytree(RAW, raw)
    assert run_cache(raw, True) is None, "no processed folder beside it"
    assert run_cache(project / "data" / "raw", False) is None and run_cache(project / "data" / "raw", None) is None
    assert run_cache(project / "data" / "raw", True).read_only


def test_a_small_corpus_is_parsed_here_without_a_pool_saying_what_loads_first(monkeypatch):
    monkeypatch.setattr(engine, "default_workers", lambda: 2)
    from policycompare.parse.segment import tokenizer

    tokenizer.cache_clear()  # as in a fresh process (another test may have loaded it)
    seen: list[tuple[str, int]] = []
    stats = MapStats()
    collect(RAW, cache=None, stats=stats, progress=lambda name, n: seen.append((name, n)))
    assert stats.engine == "serial" and stats.processed == 5
    assert seen[0] == (LOADING, 0) and [n for _, n in seen[1:]] == [1] * 5


def test_the_pool_takes_over_when_the_work_left_pays_for_it(monkeypatch):
    monkeypatch.setattr(engine, "default_workers", lambda: 2)
    monkeypatch.setattr(engine, "POOL_SECONDS", {"fork": 0.0, "spawn": 0.0})  # any work left pays
    files = sorted(RAW.glob("*.txt"))
    stats = MapStats()
    pooled = engine.map_files(files, stats=stats)
    assert stats.engine.startswith("pool of 2") and stats.engine.endswith("after 2 here"), stats.engine
    assert [p.to_dict() for p in pooled] == [p.to_dict() for p in engine.map_files(files, workers=1)]


def test_show_and_similar_answer_from_the_runs_cache(project, monkeypatch):
    from typer.testing import CliRunner

    from policycompare.cli import app

    raw = str(project / "data" / "raw")
    runner = CliRunner()
    commands = (["show", "hunan_2017", "--raw", raw],
                ["similar", "推行企业标准自我声明公开", "-k", "5", "--format", "csv", "--raw", raw])
    parsed = [runner.invoke(app, [*command, "--no-cache"]) for command in commands]

    def no_parsing(path):
        raise AssertionError(f"{path} was parsed, not read from the cache")

    monkeypatch.setattr(engine, "process_file", no_parsing)
    for command, expected in zip(commands, parsed):
        cached = runner.invoke(app, command)
        assert cached.exit_code == expected.exit_code == 0, cached.output
        assert cached.output == expected.output and "hunan_2017" in cached.output
    other = project / "elsewhere"
    shutil.copytree(project / "data" / "raw", other / "plans")
    cached = runner.invoke(app, ["show", "lingwu_2017", "--raw", str(other / "plans"),
                                 "--out", str(project / "data" / "processed")])
    assert cached.exit_code == 0 and "lingwu_2017:3.1.1" in cached.output, "--out names the run's folder"
