"""Runs wherever researchers work: a Python without fcntl/resource and with only `spawn` (as on Windows),
no file opened with the locale's encoding, a GBK console, paths with spaces and Chinese characters, CRLF.

``tests/data/notposix/sitecustomize.py.txt`` is a copy of ``shared/tools/notposix/sitecustomize.py``: put on
PYTHONPATH as ``sitecustomize.py`` it makes this Linux Python look like Windows where policycompare could trip.
It is stored under another name so that pytest's ``--doctest-modules`` never imports it into the test process.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import DATA, DEV, RAW

VENDORED = DATA / "notposix" / "sitecustomize.py.txt"

#: Run the command line in a fresh interpreter; EncodingWarning raised from policycompare's own modules is an
#: error there (other packages' are not ours to fix). Workers started with spawn inherit -X warn_default_encoding
#: and print theirs to stderr, which the test reads.
RUNNER = ("import sys, warnings; "
          "warnings.filterwarnings('error', category=EncodingWarning, module=r'policycompare(\\.|$)'); "
          "from policycompare.cli import app; sys.argv[0] = 'policycompare'; app()")


def cli(args: list[str], *, env: dict | None = None, flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    environ = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, *flags, "-c", RUNNER, *args], capture_output=True, env=environ,
                          timeout=600, check=False)


@pytest.fixture(scope="module")
def notposix(tmp_path_factory) -> Path:
    """A folder to put on PYTHONPATH: the vendored sitecustomize.py."""
    folder = tmp_path_factory.mktemp("notposix")
    shutil.copy(VENDORED, folder / "sitecustomize.py")
    return folder


def csv_digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def seeds_and_dev(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("portable") / "raw"
    raw.mkdir()
    for folder in (RAW, DEV / "raw"):
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy(path, raw / path.name)
    return raw


def test_a_run_on_a_windows_like_python_gives_the_csvs_of_a_normal_run(seeds_and_dev, notposix, tmp_path):
    """Done-when of issue 25: `run -j 2` on the seeds and the dev pages, without fcntl and fork."""
    from policycompare.run.pipeline import run_pipeline

    normal = run_pipeline(seeds_and_dev, tmp_path / "normal", figures_dir=None, workers=2, use_cache=False)
    assert normal.map_stats.engine.startswith("pool of 2")
    done = cli(["run", "--raw", str(seeds_and_dev), "--out", str(tmp_path / "notposix"), "--no-figures", "-j", "2",
                "--no-cache"], env={"PYTHONPATH": str(notposix)}, flags=("-X", "warn_default_encoding"))
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, stderr[-2000:]
    assert "pool of 2 (spawn)" in done.stdout.decode("utf-8"), "the workers must have started with spawn"
    assert not [line for line in stderr.splitlines() if "EncodingWarning" in line and "policycompare" in line]
    assert csv_digests(tmp_path / "notposix") == csv_digests(tmp_path / "normal")
    assert len(csv_digests(tmp_path / "normal")) > 20


def test_the_windows_like_python_really_lacks_fcntl_and_fork(notposix):
    probe = ("import multiprocessing\ntry:\n    import fcntl\n    print('fcntl')\nexcept ImportError:\n"
             "    print('no fcntl')\nprint(multiprocessing.get_all_start_methods())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(notposix)})
    assert done.stdout.split("\n")[:2] == ["no fcntl", "['spawn']"]


def test_start_method_is_fork_only_on_linux(monkeypatch):
    from policycompare.run import engine

    for platform, expected in (("linux", "fork"), ("darwin", "spawn"), ("win32", "spawn")):
        monkeypatch.setattr(sys, "platform", platform)
        if platform == "linux" and "fork" not in __import__("multiprocessing").get_all_start_methods():
            continue
        assert engine.start_method() == expected


def test_a_gbk_console_does_not_crash_on_characters_it_lacks(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "lingwu_2017.txt", raw / "灵武 规划🙂.txt")  # an emoji: not in GBK
    done = cli(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), "--no-figures", "--no-workbook", "-j", "1"],
               env={"PYTHONIOENCODING": "gbk"})
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")[-2000:]
    assert "灵武 规划?" in done.stdout.decode("gbk")


def test_paths_with_spaces_and_chinese_characters_and_crlf_lines(tmp_path):
    from policycompare.run.pipeline import run_pipeline

    raw = tmp_path / "原始 文件"
    raw.mkdir()
    lf = (RAW / "lingwu_2017.txt").read_bytes()
    (raw / "灵武 2017.txt").write_bytes(lf.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    shutil.copy(RAW / "lingwu_2017.txt", raw / "lingwu_2017.txt")
    out = tmp_path / "输出 结果"
    result = run_pipeline(raw, out, figures_dir=tmp_path / "图 表", workbook=True, workers=1)
    assert sorted(result.plans["plan_id"]) == ["lingwu_2017", "灵武 2017"]
    tasks = pd.read_csv(out / "tasks.csv", dtype=str, keep_default_na=False)
    crlf, plain = (tasks[tasks["plan_id"] == p].reset_index(drop=True) for p in ("灵武 2017", "lingwu_2017"))
    assert crlf[["title", "text", "char_start", "char_end"]].equals(plain[["title", "text", "char_start", "char_end"]])
    assert (out / "text" / "灵武 2017.txt").read_text(encoding="utf-8") == \
        (out / "text" / "lingwu_2017.txt").read_text(encoding="utf-8")
    assert (tmp_path / "图 表" / "agency_network.png").is_file()


def test_the_agency_network_figure_is_the_same_in_every_process(tmp_path):
    script = ("import hashlib, io, sys; import policycompare as pc; from policycompare.report.figures import "
              "agency_network_graph; c = pc.load_corpus(sys.argv[1], workers=1); f = agency_network_graph(c); "
              "b = io.BytesIO(); f.savefig(b, format='png', metadata={'Software': None}); "
              "print(hashlib.sha256(b.getvalue()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(RAW)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(digests) == 1


def test_the_folder_lock_without_fcntl_or_msvcrt_waits_and_takes_over_a_dead_runs_lock(tmp_path, monkeypatch):
    from policycompare.run.manifest import LOCK, FolderLock, OutputError

    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fails, as on a Python without them
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    out = tmp_path / "out"
    with FolderLock(out):
        with pytest.raises(OutputError, match="another policycompare run"):
            with FolderLock(out, timeout=0.3):
                pass
    assert not (out / (LOCK + ".pid")).exists()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    (out / (LOCK + ".pid")).write_text(dead, encoding="ascii")  # left by a run killed with kill -9
    with FolderLock(out, timeout=2):
        pass
