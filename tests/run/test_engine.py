"""The map over many files: cache, process pool and Dask give the same outputs as a plain serial run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

import policycompare as pc
from policycompare.plan import Plan, process_file
from policycompare.run.engine import MapStats, map_files
from policycompare.run.pipeline import MANIFEST, run_pipeline

from ..conftest import RAW


def outputs(folder: Path) -> dict[str, str]:
    """SHA-256 of every output file (the cache and the run's bookkeeping left out)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts and p.name not in (MANIFEST, ".policycompare.lock")}


@pytest.fixture()
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


def new_plan(raw: Path) -> Path:
    """A sixth plan: 灵武's text under another county's name."""
    text = (RAW / "lingwu_2017.txt").read_text(encoding="utf-8").replace("灵武", "永宁")
    path = raw / "yongning_2018.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run(raw: Path, out: Path, **options):
    return run_pipeline(raw, out, figures_dir=None, workbook=False, **options)


def test_plan_survives_json_unchanged():
    import json

    plan = pc.read_plan(RAW / "lingwu_2017.txt")
    again = Plan.from_dict(json.loads(json.dumps(plan.to_dict(), ensure_ascii=False)))
    assert again == plan
    assert again.structure.tasks == plan.structure.tasks and again.task_tokens == plan.task_tokens


def test_process_file_returns_plain_data_or_the_reason(tmp_path):
    bad = tmp_path / "empty_2020.txt"
    bad.write_bytes(b"")
    assert process_file(str(bad)) == {"error": "file is empty"}
    good = process_file(str(RAW / "hunan_2017.txt"))
    assert good["plan"]["plan_id"] == "hunan_2017" and good["plan"]["metadata"]["jurisdiction"] == "湖南省"


def test_rerun_reads_the_cache_and_parses_only_the_new_plan(raw, tmp_path):
    out = tmp_path / "out"
    first = run(raw, out)
    assert (first.map_stats.processed, first.map_stats.cached) == (5, 0)
    again = run(raw, out)
    assert again.up_to_date and again.corpus is None, "nothing changed: the run stops at once"
    assert len(again.plans) == 5
    new_plan(raw)
    third = run(raw, out)
    assert (third.map_stats.processed, third.map_stats.cached) == (1, 5), "only the new plan is parsed"
    assert "yongning_2018" in third.corpus.plan_ids
    fresh = run(raw, tmp_path / "fresh", use_cache=False)
    assert fresh.map_stats.processed == 6
    assert outputs(out) == outputs(tmp_path / "fresh"), "cached and uncached outputs are byte-identical"


def test_a_removed_plan_disappears_and_only_our_files_are_removed(raw, tmp_path):
    out = tmp_path / "out"
    extra = new_plan(raw)
    run(raw, out)
    mine = out / "text" / "my_notes.txt"
    mine.write_text("a researcher's own file", encoding="utf-8")
    assert (out / "text" / "yongning_2018.txt").exists()
    extra.unlink()
    result = run(raw, out)
    assert "yongning_2018" not in set(result.plans["plan_id"])
    for table in ("tasks", "targets", "agencies", "sectors", "task_similarity"):
        text = (out / f"{table}.csv").read_text(encoding="utf-8-sig")
        assert "yongning_2018" not in text, table
    assert not (out / "text" / "yongning_2018.txt").exists()
    assert mine.read_text(encoding="utf-8") == "a researcher's own file", "a file the run did not write stays"
    assert len(list((out / ".cache" / "plans").glob("*.json"))) == 5, "unused cache entries are pruned"


def test_a_renamed_plan_is_parsed_under_its_new_id(raw, tmp_path):
    out = tmp_path / "out"
    run(raw, out)
    (raw / "lingwu_2017.txt").rename(raw / "lingwu_2017b.txt")
    result = run(raw, out)
    assert result.map_stats.processed == 1
    ids = set(result.corpus.tasks["plan_id"])
    assert "lingwu_2017b" in ids and "lingwu_2017" not in ids


def test_changed_sidecar_invalidates_the_cached_plan(raw, tmp_path):
    out = tmp_path / "out"
    run(raw, out)
    (raw / "sichuan_2018.meta.toml").write_text('issuer = "四川省质量技术监督局"\n', encoding="utf-8")
    result = run(raw, out)
    assert result.map_stats.processed == 1
    row = result.plans.set_index("plan_id").loc["sichuan_2018"]
    assert row["issuer"] == "四川省质量技术监督局" and row["overridden"] == "issuer"


def test_process_pool_gives_the_serial_result(raw, tmp_path):
    new_plan(raw)
    serial = run(raw, tmp_path / "serial", workers=1, use_cache=False)
    pooled = run(raw, tmp_path / "pooled", workers=2, use_cache=False)
    assert serial.map_stats.engine == "serial" and pooled.map_stats.engine == "pool of 2"
    assert outputs(tmp_path / "serial") == outputs(tmp_path / "pooled")


def test_map_files_keeps_the_order_of_the_files_and_reports_errors(tmp_path):
    bad = tmp_path / "bad_2020.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    files = [RAW / "yancheng_2014.txt", bad, RAW / "hunan_2017.txt", RAW / "lingwu_2017.txt", RAW / "shanghai_2017.txt"]
    stats = MapStats()
    results = map_files(files, workers=2, stats=stats)
    assert stats.engine == "pool of 2"
    assert [type(r).__name__ for r in results] == ["Plan", "PlanError", "Plan", "Plan", "Plan"]
    assert [r.plan_id for r in results if isinstance(r, Plan)] == ["yancheng_2014", "hunan_2017", "lingwu_2017", "shanghai_2017"]
    assert "binary" in results[1].reason


def test_dask_cluster_gives_the_local_result(raw, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    local = run(raw, tmp_path / "local", use_cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run(raw, tmp_path / "dask", scheduler=cluster.scheduler_address, use_cache=False)
    assert remote.map_stats.engine.startswith("dask") and remote.map_stats.processed == 5
    assert local.map_stats.engine != remote.map_stats.engine
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_an_interrupted_pool_stops_without_mapping_the_rest(tmp_path, monkeypatch, method):
    """Ctrl-C while the pool works: the files not started are dropped (not waited for), no worker is left."""
    import multiprocessing
    import time

    import policycompare.run.engine as engine

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setattr(engine, "start_method", lambda: method)
    files = sorted(RAW.glob("*.txt")) * 8  # 40 files
    results = engine._run(files, list(range(len(files))), workers=2, scheduler=None, stats=MapStats())
    next(results)
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        results.throw(KeyboardInterrupt)
    assert time.perf_counter() - start < 20, "the remaining files were dropped, not mapped"
    assert not multiprocessing.active_children()


def test_spawned_workers_give_the_serial_plans(raw, monkeypatch):
    import policycompare.run.engine as engine

    files = sorted(raw.glob("*.txt"))
    serial = [p.to_dict() for p in map_files(files, workers=1)]
    monkeypatch.setattr(engine, "start_method", lambda: "spawn")
    stats = MapStats()
    spawned = [p.to_dict() for p in map_files(files, workers=2, stats=stats)]
    assert stats.engine == "pool of 2 (spawn)"
    assert spawned == serial
