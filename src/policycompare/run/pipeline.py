"""The whole pipeline: raw folder -> every table, text file, the workbook and the figures.

A run maps every plan file (cached, in parallel: :mod:`.engine`), reduces the
plans to the corpus tables (:mod:`.tables`) and writes them.  What it writes
is listed in a manifest (``<out>/.policycompare-manifest.json``) with a
fingerprint of its inputs and options, so

* a rerun with nothing changed finds the same fingerprint and the files in
  place, and stops at once;
* a rerun removes only files the previous run wrote and this one did not
  (a plan taken out of the raw folder), never anything else in the folders;
* the new files are written beside the old ones (``.policycompare-new/``) and
  switched in when all are written (:func:`.manifest.switch`), so a run that
  fails (a full disk) or is stopped (Ctrl-C, ``kill -9``) leaves the previous
  outputs as a complete set.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import __version__, schema
from ..corpus import Corpus
from ..export.tables import read_table, write_csv, write_parquet
from ..export.workbook import write_workbook
from ..ingest.files import plan_files, write_text_atomic
from ..schema import DESCRIPTIONS
from .cache import PlanCache, plan_key
from .engine import MapStats
from .load import collect
from .manifest import (
    MANIFEST,
    SWITCH,
    FolderLock,
    Interrupted,
    OutputError,
    WriteError,
    discard,
    fingerprint,
    is_current,
    read_manifest,
    recover,
    remove_leftovers,
    run_options,
    staging,
    switch,
)

__all__ = ["MANIFEST", "Interrupted", "OutputError", "RunResult", "WORKBOOK", "WriteError", "check_folders",
           "run_options", "run_pipeline"]

WORKBOOK = "policycompare.xlsx"
#: From this many plans on, text reuse is built by another process (started afresh) while this one builds the
#: similarity; that process writes the texts and text reuse's tables, this one the tables built before it.
BESIDE_MIN_PLANS = 200

#: progress(stage, done, total): a stage name ("reading", "tables", …) and its count; "stage: what" says
#: what the stage is doing while its count stands still ("reading: loading the parsers …").
Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    """What a run did: the corpus (None when nothing had changed), files written, timings."""

    corpus: Corpus | None
    written: list[Path]
    plans: pd.DataFrame
    warnings: pd.DataFrame
    up_to_date: bool = False
    map_stats: MapStats = field(default_factory=MapStats)
    seconds: dict[str, float] = field(default_factory=dict)
    removed: list[Path] = field(default_factory=list)
    #: figures not written: name -> why (no data, or an error)
    skipped_figures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunSettings:
    """What one run reads and writes and how: :func:`run_pipeline`'s arguments, checked."""

    raw_dir: Path
    out_dir: Path
    figures_dir: Path | None
    workbook: bool
    workers: int | None
    scheduler: str | None
    use_cache: bool
    k: int | None
    lang: str
    #: the options the outputs depend on (:func:`~policycompare.run.manifest.run_options`, part of the fingerprint)
    options: dict
    #: the output folders a run replaces (out_dir, and figures_dir when it is another folder)
    folders: list[Path]


class Stopwatch:
    """Seconds per stage of a run: :meth:`lap` adds the time since the last lap to a stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._clock
        self._clock = now


def check_folders(raw_dir: Path, out_dir: Path, figures_dir: Path | None) -> None:
    """Refuse output folders that cannot work, before any work is done."""
    raw = raw_dir.resolve()
    for name, folder in (("output", out_dir), ("figures", figures_dir)):
        if folder is None:
            continue
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"the {name} folder {folder} is a file")
        resolved = folder.resolve()
        if resolved == raw or raw in resolved.parents:
            raise OutputError(f"the {name} folder {folder} is (inside) the raw folder {raw_dir}: raw files are never written to")
        probe = folder
        while not probe.exists():
            probe = probe.parent
        if not os.access(probe, os.W_OK | os.X_OK):
            raise OutputError(f"the {name} folder {folder} is not writable")


def run_pipeline(
    raw_dir: str | Path = "data/raw",
    out_dir: str | Path = "data/processed",
    *,
    figures_dir: str | Path | None = "figures",
    workbook: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    use_cache: bool = True,
    k: int | None = None,
    progress: Progress | None = None,
    lang: str = "zh",
    exact: bool = False,
    paper: str = "a4",
) -> RunResult:
    """Build every table from ``raw_dir`` and write them to ``out_dir``.

    Writes ``<table>.csv`` and ``<table>.parquet`` for each table,
    ``text/<plan_id>.txt`` with the normalized text of each plan (the text
    all character offsets refer to), the workbook ``policycompare.xlsx`` and
    the figures as PNG and SVG.  Every file is written atomically; a rerun
    with nothing changed stops at once (``RunResult.up_to_date``).

    Parameters:
        raw_dir: folder of plan files; never modified.
        out_dir: folder for the tables (and the plan cache, ``.cache/``).
        figures_dir: folder for the figures; ``None``: no figures.
        workbook: write the Excel workbook.
        workers: processes for the per-plan work (default: every core when the work pays for a pool).
        scheduler: a Dask scheduler address: the per-plan work runs on that cluster.
        use_cache: read unchanged plans from the cache (``False``: parse every plan again).
        k: matches kept per task in ``task_similarity`` (default 10).
        progress: ``progress(stage, done, total)`` as the run moves on.
        lang: language of the figures: ``zh`` (Chinese, English subtitles) or ``en``.
        exact: the exact top-k in ``task_similarity`` at any corpus size (slower beyond 5,000 tasks).
        paper: the paper the workbook's sheets are set up to print on: ``a4`` or ``letter``.

    Returns:
        A :class:`RunResult`: the corpus, the files written, the plans and
        warnings tables, seconds per stage.

    Raises:
        FileNotFoundError: ``raw_dir`` is not a folder.
        OutputError: an output folder cannot be written, is inside ``raw_dir``,
            or another run holds it.
        WriteError: (an OutputError) the new outputs could not all be written,
            e.g. the disk is full; the previous outputs are left as they were.
        Interrupted: (a KeyboardInterrupt) Ctrl-C; its message says the
            previous outputs are intact (or the new ones complete).

    Examples:
        >>> result = run_pipeline("data/raw", "data/processed")  # doctest: +SKIP
        >>> result.plans[["plan_id", "n_tasks"]]  # doctest: +SKIP
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    figures_dir = Path(figures_dir) if figures_dir is not None else None
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    check_folders(raw_dir, out_dir, figures_dir)
    report = progress or (lambda stage, done, total: None)
    if paper not in ("a4", "letter"):
        raise ValueError(f"paper must be a4 or letter, not {paper!r}")
    options = run_options(out_dir, figures_dir, workbook=workbook, k=k, lang=lang, exact=exact, paper=paper)
    folders = [out_dir] + ([figures_dir] if figures_dir is not None and figures_dir != out_dir else [])
    with FolderLock(out_dir):
        recover(out_dir, folders)  # a switch a stopped run left half done; its staged files
        try:
            return _run(RunSettings(raw_dir, out_dir, figures_dir, workbook, workers, scheduler, use_cache, k, lang,
                                    options, folders), report)
        except Interrupted:
            raise
        except KeyboardInterrupt:
            discard(folders)
            raise Interrupted(f"the run was interrupted; nothing was replaced: the previous outputs in {out_dir} "
                              "are intact") from None
        except BaseException:
            if not (out_dir / SWITCH).exists():  # a switch under way keeps its staged files for the next run
                discard(folders)
            raise


def _run(run: RunSettings, report: Progress) -> RunResult:
    watch = Stopwatch()
    lap, seconds = watch.lap, watch.seconds
    raw_dir, out_dir, use_cache, k, options = run.raw_dir, run.out_dir, run.use_cache, run.k, run.options
    files = plan_files(raw_dir)[0]
    keys = {path: plan_key(path) for path in files}  # each file hashed once: for the fingerprint and the cache
    stamp = fingerprint(raw_dir, options, keys)
    manifest = read_manifest(out_dir)
    if use_cache and is_current(manifest, stamp, out_dir):
        lap("check")
        return RunResult(corpus=None, written=[], plans=read_table(out_dir, "plans"),
                         warnings=read_table(out_dir, "warnings"), up_to_date=True, seconds=seconds)
    cache = PlanCache(out_dir)
    stats = MapStats()
    done = 0

    def tick(name: str, n: int) -> None:
        nonlocal done
        done += n
        report("reading" if n else f"reading: {name}", done, len(files))  # n = 0: what the map is loading

    report("reading", 0, len(files))
    corpus = collect(raw_dir, cache=cache if use_cache else None, workers=run.workers, scheduler=run.scheduler,
                     progress=tick, stats=stats, keys=keys)
    lap("read")
    segment = sys.modules.get("policycompare.parse.segment")  # loaded if plans were parsed in this process
    if segment is not None:
        segment.release_tokenizer()  # the reduce never segments again: ~65 MB less at its peak
    if k is not None:
        corpus.options["k"] = k
    if options.get("exact"):
        corpus.options["exact"] = True
    aside = _Written()
    if len(corpus):
        beside = None
        if len(corpus) >= BESIDE_MIN_PLANS:
            def beside(inputs, ready):
                return _WriteAside(inputs, ready, out_dir, aside)
        tables = corpus.tables(progress=report, beside=beside)
        # the reduce's modules: loaded only when there is something to reduce
        from ..analyze.memory import return_free_memory
        from ..analyze.similarity import release_models

        release_models(corpus)  # the figures draw from the built tables; writing needs no model
        return_free_memory()
    else:
        tables = {}
    lap("tables")
    try:
        written, skipped = _write(corpus, tables, staging(out_dir), staging(run.figures_dir) if run.figures_dir else None,
                                  run.workbook, run.lang, report, lap, aside, run.options.get("paper", "a4"))
    except OSError as err:  # a full disk, a quota, a file in the way: one line, the old outputs stay
        raise _write_error(err, out_dir) from err
    plans = corpus.plans if len(corpus) else _empty("plans")
    removed: list[Path] = []
    if written:  # a run that wrote nothing (no usable plan) leaves no manifest: it is never "up to date"
        written, removed = switch(out_dir, written, run.folders, stamp, _summary(plans, corpus.warnings, skipped),
                                  manifest)
    else:
        discard(run.folders)
        removed = remove_leftovers(manifest, written, out_dir)
    if use_cache:
        cache.prune()
    lap("finish")
    return RunResult(corpus=corpus, written=written, plans=plans, warnings=corpus.warnings,
                     map_stats=stats, seconds={**seconds, **aside.seconds}, removed=removed, skipped_figures=skipped)


def _write_error(err: OSError, out_dir: Path) -> WriteError:
    where = f" ({err.filename})" if getattr(err, "filename", None) else ""
    return WriteError(f"could not write the new outputs: {err.strerror or err}{where}; nothing was replaced: "
                      f"the previous outputs in {out_dir} are intact")


@dataclass
class _Written:
    """Files written while text reuse was built beside (:class:`_WriteAside`): the texts (None: not written there), and by table."""

    texts: list[Path] | None = None
    tables: dict[str, list[Path]] = field(default_factory=dict)
    #: seconds per step in that process ("aside: …"; they overlap with the stages of this one)
    seconds: dict[str, float] = field(default_factory=dict)


def _write_texts(texts: dict[str, str], out_dir: Path) -> list[Path]:
    """``text/<plan_id>.txt`` of each normalized text (by plan_id)."""
    text_dir = out_dir / "text"
    return [write_text_atomic(text_dir / f"{plan_id}.txt", text) for plan_id, text in texts.items()]


def _write_table(name: str, table: pd.DataFrame, out_dir: Path) -> list[Path]:
    return [write_csv(table, out_dir / f"{name}.csv"),
            write_parquet(table, out_dir / f"{name}.parquet", name)]  # types survive


class _WriteAside:
    """The text reuse stage built by another process (:class:`_Background`) while this one builds the
    similarity (an :class:`~policycompare.analyze.registry.Aside`).

    That process is started afresh (it shares no memory with this one, whose pages a forked one would
    keep) and is sent only what text reuse reads (``inputs``); it writes the texts, builds
    text reuse, writes its tables and ends.  When this one comes to wait for it (:meth:`join`), it writes
    the tables built by then (``ready``, the dict the run fills) while a thread waits for that process
    and reads text reuse's tables back from their Parquet files (the types are kept: the same tables);
    every file is recorded in ``written``.
    """

    def __init__(self, inputs, ready: dict[str, pd.DataFrame], out_dir: Path, written: _Written) -> None:
        self._written, self._out_dir, self._ready = written, out_dir, ready
        self._background = _Background(_build_aside, inputs, staging(out_dir))

    def join(self) -> dict[str, pd.DataFrame]:
        folder = staging(self._out_dir)
        ready = dict(self._ready)  # those built by now
        back: dict = {}

        def read_back() -> None:  # (a thread) Arrow reads Parquet with the GIL released
            try:
                back["result"] = self._background.join()
                back["tables"] = {name: read_table(folder, name) for name in back["result"][1]}
            except BaseException as err:  # noqa: BLE001 - raised below, in the run's thread
                back["error"] = err

        reader = threading.Thread(target=read_back, daemon=True)
        reader.start()
        try:
            try:
                files = {name: _write_table(name, table, folder) for name, table in ready.items()}
            except BaseException:  # an error here (or Ctrl-C): that process is not waited for
                self._background.kill()
                reader.join()
                raise
            reader.join()
            if "error" in back:
                raise back["error"]
        except OSError as err:  # writing here or there: a full disk …
            raise _write_error(err, self._out_dir) from err
        texts, built_files, seconds = back["result"]
        tables = back["tables"]
        self._written.texts = texts
        self._written.tables.update(files)
        self._written.tables.update(built_files)
        self._written.seconds.update(seconds)
        return tables

    def stop(self) -> None:
        self._background.stop()


def _build_aside(inputs, out_dir: Path):
    """(in the other process) The texts written, then text reuse's tables built from ``inputs`` (a
    :class:`~policycompare.analyze.reuse.ReuseInputs`) and written: the texts' paths, the tables' paths
    by name and the seconds of each step (the tables are read back from their files: they are not sent)."""
    from ..analyze.reuse import build_tables

    watch = Stopwatch()
    texts = _write_texts(inputs.texts, out_dir)
    watch.lap("aside: writing")
    tables = build_tables(inputs)
    watch.lap("aside: text reuse")
    files = {name: _write_table(name, table, out_dir) for name, table in tables.items()}
    watch.lap("aside: writing")
    return texts, files, watch.seconds


def _write(corpus, tables, out_dir: Path, figures_dir: Path | None, workbook: bool, lang: str, report, lap,
           aside: _Written | None = None, paper: str = "a4") -> tuple[list[Path], dict[str, str]]:
    """Write the workbook, texts, tables and figures into (staging) folders (those ``aside`` wrote already
    are listed, not written again); returns the files written and the figures skipped (name -> why)."""
    aside = aside or _Written()
    written: list[Path] = []
    skipped: dict[str, str] = {}
    report("writing tables", 0, len(corpus) + len(tables))
    written += aside.texts if aside.texts is not None else _write_texts({plan.plan_id: plan.text for plan in corpus}, out_dir)
    for name, table in tables.items():
        written += aside.tables[name] if name in aside.tables else _write_table(name, table, out_dir)
    report("writing tables", len(corpus) + len(tables), len(corpus) + len(tables))
    lap("csv")
    if workbook and tables:
        report("workbook", 0, len(tables))
        written.append(write_workbook(out_dir / WORKBOOK, tables, DESCRIPTIONS, corpus.plans[["source_file", "sha256"]],
                                      __version__, paper))
        report("workbook", len(tables), len(tables))
    lap("workbook")
    if figures_dir is not None and len(corpus):
        # matplotlib and the CJK font load only for a run that draws figures
        from ..report.figures import FIGURES, write_figures

        report("figures", 0, len(FIGURES))
        figures = write_figures(tables, figures_dir, lang=lang, progress=lambda n: report("figures", n, len(FIGURES)))
        written += figures
        skipped = figures.skipped
    lap("figures")
    return written, skipped


def _summary(plans: pd.DataFrame, warnings: pd.DataFrame, skipped: dict[str, str] | None = None) -> dict:
    """What the command line prints after a run, kept in the manifest for a rerun with nothing to do."""
    return {
        "plans": plans[["plan_id", "level", "n_tasks"]].astype(object).values.tolist(),
        "warnings": warnings[["source_file", "plan_id", "severity", "message"]].astype(object).values.tolist(),
        "skipped_figures": [[name, why] for name, why in (skipped or {}).items()],
    }


def _empty(table: str) -> pd.DataFrame:
    return schema.frame(table, [])


#: What the process beside runs: this process' import path first, then :func:`_serve`.
_BOOT = ("import pickle, sys; sys.path[:] = pickle.load(sys.stdin.buffer); "
         "from policycompare.run.pipeline import _serve; _serve()")


class _Background:
    """``fn(*args)`` in a Python process started afresh (on every system); :meth:`join` returns its
    result or raises its error.

    ``fn`` and its arguments must pickle (``fn`` a module's function): a thread of this process sends
    them through the new process' standard input, so this one goes on at once while that one starts;
    the result comes back, pickled, through its standard output.  Both are streamed: a large object is
    never held whole as bytes on either side.  Nothing of this process' memory is shared (a forked
    process kept every page this one wrote to meanwhile: at 1,000 plans that took a run over 2 GB), and
    unlike multiprocessing's spawn it never imports the script that started this one (a script that
    calls :func:`run_pipeline` needs no ``__main__`` guard).  Ctrl-C reaches this process only (the other
    ignores it), which stops the other one.
    """

    def __init__(self, fn, *args) -> None:
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {}
        with _sigint_ignored():  # on POSIX the new process inherits Ctrl-C ignored (through exec)
            self._process = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, **options)
        self._send_error: BaseException | None = None
        self._exitcode: int | None = None
        self._sender = threading.Thread(target=self._send, args=((fn, args),), daemon=True)
        self._sender.start()

    def _send(self, message) -> None:
        """(a thread) The import path and ``message`` pickled into the process' standard input; an error
        is kept for :meth:`join` and stops the process."""
        pipe = self._process.stdin
        try:
            pickle.dump(sys.path, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # it stopped (a broken pipe): join() reports it
            pass
        except BaseException as err:  # noqa: BLE001 - an argument that does not pickle: raised by join()
            self._send_error = err
            self._process.kill()
        finally:
            try:
                pipe.close()  # the end of its input, whatever happened: it never waits for more
            except OSError:
                pass

    def join(self):
        if self._process is None:
            raise RuntimeError("the process beside was stopped")
        try:
            ok, value = pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):  # it stopped before or while sending
            self._end()
            if self._send_error is not None:
                raise self._send_error from None
            raise OutputError(f"the process writing beside this one stopped (exit code {self._exitcode})") from None
        self._end()
        if not ok:
            raise value
        return value

    def kill(self) -> None:
        """Kill the process, whichever thread waits in :meth:`join` (which then raises)."""
        process = self._process
        if process is not None:
            process.kill()

    def stop(self) -> None:
        """End the process without waiting for its result (the caller met an error of its own)."""
        if self._process is not None:
            self._process.kill()
            self._end()

    def _end(self) -> None:
        """Wait for the process to exit and the thread sending to it to end; close the pipes."""
        self._exitcode = self._process.wait()
        self._sender.join()
        for pipe in (self._process.stdin, self._process.stdout):
            try:
                pipe.close()
            except OSError:  # its buffer could not be flushed: the process is gone
                pass
        self._process = None


@contextmanager
def _sigint_ignored():
    """Ctrl-C ignored in this process while a process is started (on POSIX, in the main thread): the
    started one inherits it and so never prints a traceback of its own; this one handles Ctrl-C."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, saved)


def _serve() -> None:
    """(the process beside, started by :class:`_Background`) ``fn(*args)`` read from standard input, its
    result or its error written to standard output, both pickled; anything printed goes to stderr."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not enter the result
    with out:
        try:
            fn, args = pickle.load(sys.stdin.buffer)
            result = fn(*args)
        except BaseException as err:  # noqa: BLE001 - handed to the parent, which raises it
            try:
                message = pickle.dumps((False, err), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - an error that does not pickle: its text
                message = pickle.dumps((False, OutputError(f"{type(err).__name__}: {err}")))
            out.write(message)
            return
        pickle.dump((True, result), out, protocol=pickle.HIGHEST_PROTOCOL)  # streamed
