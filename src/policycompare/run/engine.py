"""Running the map (:func:`policycompare.plan.process_file`) over many files.

Three engines behind one function, all giving the same plans in the same
order: in this process (``workers=1``), a local process pool (``workers=N``),
or a Dask distributed cluster (``scheduler="tcp://host:8786"``), where the
workers must see the raw files under the same path (a shared folder).  Results
are cached per file (:mod:`policycompare.run.cache`), so only new or changed
files are processed at all.

By default (``workers=None``) the files are processed in this process, and a
pool over every core takes the rest only when the work left pays for it: once
the parsers are loaded a plan takes tens of milliseconds, while each worker of
a pool costs a fork (or, under spawn, the package's imports and the jieba
dictionary again).  The estimate is measured as the files go (seconds per file
so far x files left), so a few plans never start a process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..errors import EngineError, PlanError
from ..plan import Plan, process_file
from .cache import PlanCache, plan_key

#: By default (``workers=None``): the seconds of work left (estimated) from which a pool takes over, by
#: start method.  Measured on 2 cores with the parsers loaded: the 30 seeds and dev pages take 0.23 s in
#: this process and 0.30 s on a forked pool of 2 (fork, pipes and pickling cost more than half the work
#: saves), so a pool pays only for about a second of work and more; a spawned worker first imports the
#: package and loads the jieba dictionary (1.2 s on a quiet machine), so it pays from about 3 s of work.
POOL_SECONDS = {"fork": 1.0, "spawn": 3.0}
#: What the map says while this process loads the parsers (the jieba dictionary: about 0.6 s, 2-3 s on a
#: busy machine), before the first plan is read.
LOADING = "loading the parsers and the jieba dictionary"


#: Seconds to wait for a Dask scheduler to answer before giving up with a message.
CONNECT_TIMEOUT = 10


@dataclass
class MapStats:
    """What a map run did: files read from the cache and files processed."""

    cached: int = 0
    processed: int = 0
    engine: str = "none"


def default_workers() -> int:
    """Worker processes for the local pool: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How worker processes start: ``fork`` on Linux (at once, the package already imported), ``spawn``
    elsewhere (macOS: fork is unsafe once Apple's frameworks or threads are loaded; Windows has no fork).

    Every parallel path gives the same outputs either way: a worker gets a path and returns plain data.
    On the seeds and the 25 dev pages (30 files, ``run -j 2``, three runs each on a loaded machine) the
    reading stage took 4.6–5.2 s with fork and 5.8–6.6 s with spawn: its workers import the package.
    """
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def map_files(
    files: Iterable[Path],
    *,
    cache: PlanCache | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[str, int], None] | None = None,
    stats: MapStats | None = None,
    keys: dict[Path, str] | None = None,
) -> list[Plan | PlanError]:
    """Process ``files`` (in the given order) into plans, or errors for unusable files.

    ``cache``: read unchanged files from it and store new results (a read-only cache stores
    nothing); ``workers``: size of the local process pool (default: this process, and a pool of every
    core for the rest when the work left pays for it; 1 = this process only); ``scheduler``: the
    address of a Dask scheduler (the map then runs on its workers); ``progress(name, n)``: called as
    results arrive, with the file name and how many files they stand for, and with ``n = 0`` and what
    is being done (:data:`LOADING`) before a long step that reads no file; ``keys``: cache keys
    (:func:`~.cache.plan_key`) the caller computed already, by path (the others are computed here).
    """
    files = [Path(f) for f in files]
    stats = stats if stats is not None else MapStats()
    results: list[dict | None] = [None] * len(files)
    known = keys or {}
    keys = [known.get(path) or plan_key(path) for path in files] if cache is not None else [""] * len(files)
    todo: list[int] = []
    for i, key in enumerate(keys):
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    stats.cached = len(files) - len(todo)
    stats.processed = len(todo)
    if progress and stats.cached:
        progress("cache", stats.cached)
    for i, result in _run(files, todo, workers=workers, scheduler=scheduler, stats=stats, progress=progress):
        results[i] = result
        if cache is not None:
            cache.put(keys[i], result)
        if progress:
            progress(files[i].name, 1)
    out: list[Plan | PlanError] = []
    for path, result in zip(files, results):
        assert result is not None
        if "error" in result:
            out.append(PlanError(path, result["error"]))
            continue
        try:
            plan = Plan.from_dict(result["plan"])
        except (KeyError, TypeError, ValueError):  # a cache entry of an older layout
            plan_result = process_file(str(path))
            if cache is not None:
                cache.put(plan_key(path), plan_result)
            if "error" in plan_result:
                out.append(PlanError(path, plan_result["error"]))
                continue
            plan = Plan.from_dict(plan_result["plan"])
        plan.path = path  # the file as found now (the cache may have been built from another folder)
        out.append(plan)
    return out


def _run(files: list[Path], todo: list[int], *, workers: int | None, scheduler: str | None, stats: MapStats,
         progress: Callable[[str, int], None] | None = None):
    """Yield ``(index, result)`` for each file index in ``todo``, in the order of ``todo``."""
    if not todo:
        return
    paths = [str(files[i]) for i in todo]
    if scheduler:
        stats.engine = f"dask {scheduler}"
        yield from zip(todo, _run_dask(paths, scheduler))
        return
    if workers is None:
        yield from _run_adaptive(todo, paths, stats, progress)
        return
    workers = max(1, workers)
    if workers == 1 or len(todo) == 1:
        stats.engine = "serial"
        _load_parsers(progress)
        for i, path in zip(todo, paths):
            yield i, process_file(path)
        return
    if start_method() == "fork":  # loaded once here, the workers share the dictionary instead of each loading it
        _load_parsers(progress)
    yield from zip(todo, _pool(paths, workers, stats))


def _run_adaptive(todo: list[int], paths: list[str], stats: MapStats, progress):
    """In this process, until the work left (seconds per file so far x files left) is worth a pool of
    every core (:data:`POOL_SECONDS`); the pool then takes the rest.  The first file is left out of
    the estimate: it compiles the patterns the extractors use."""
    stats.engine = "serial"
    _load_parsers(progress)
    cores, threshold = default_workers(), POOL_SECONDS[start_method()]
    spent: list[float] = []
    for position, (i, path) in enumerate(zip(todo, paths)):
        left = len(todo) - position
        if cores > 1 and len(spent) >= 2 and left >= 2 and sum(spent[1:]) / len(spent[1:]) * left > threshold:
            yield from zip(todo[position:], _pool(paths[position:], min(cores, left), stats,
                                                  after=len(spent)))
            return
        start = time.perf_counter()
        result = process_file(path)
        spent.append(time.perf_counter() - start)
        yield i, result


def _load_parsers(progress) -> None:
    """Load the jieba dictionary (the longest step before the first plan), saying so first."""
    from ..parse.segment import tokenizer

    if tokenizer.cache_info().currsize == 0:
        if progress:
            progress(LOADING, 0)
        tokenizer()


def _pool(paths: list[str], workers: int, stats: MapStats, *, after: int = 0):
    """Results of ``process_file`` for ``paths`` from a local pool of ``workers`` processes, in order;
    ``after``: files this process did before (said in ``stats.engine``)."""
    method = start_method()
    stats.engine = f"pool of {workers}" + ("" if method == "fork" else f" ({method})")
    if after:
        stats.engine += f" after {after} here"
    chunksize = max(1, min(16, len(paths) // (workers * 8)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                               initializer=_ignore_interrupts)
    try:
        yield from pool.map(process_file, paths, chunksize=chunksize)
    except BaseException:  # Ctrl-C or an error: the files not started yet are dropped, not waited for
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C (sent to every process of the terminal) is the parent's to handle, so that
    the run stops with one message instead of a traceback from each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_dask(paths: list[str], scheduler: str):
    """Results of ``process_file`` for ``paths`` from a Dask cluster, in the order of ``paths``."""
    try:
        # optional dependency (the cluster extra), only with --scheduler
        from dask.distributed import Client
    except ImportError as exc:
        raise EngineError("--scheduler needs Dask, which is not installed: pip install 'policycompare[cluster]' "
                          "(or run without --scheduler on this machine's cores)") from exc
    if isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout=f"{CONNECT_TIMEOUT}s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(f"no Dask scheduler answers at {scheduler} (waited {CONNECT_TIMEOUT} s): start one there "
                              "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or run without "
                              "--scheduler") from exc
    else:
        client = scheduler
    try:
        futures = client.map(process_file, paths, pure=False)
        for future in futures:  # in submission order, whatever order they finish in
            yield future.result()
    finally:
        if isinstance(scheduler, str):
            client.close()
