"""Loading a folder: the plan files found, the map run over them (cached, in parallel), a :class:`~policycompare.corpus.Corpus`."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..config import PLAN_SUFFIXES, SIDECAR_SUFFIX, find_root
from ..corpus import Corpus
from ..errors import PlanError, display_name
from ..ingest.files import plan_files, plan_id_of
from ..plan import Plan
from .cache import PlanCache
from .engine import map_files

__all__ = ["collect", "load_corpus", "run_cache"]


def load_corpus(
    raw_dir: str | Path | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    cache_dir: str | Path | bool | None = True,
    progress: Callable[[str, int], None] | None = None,
) -> Corpus:
    """Read every plan in ``raw_dir`` (default: the project's ``data/raw``, found from the working folder up).

    A file that cannot be used is reported in ``corpus.errors`` and
    ``corpus.warnings`` and the other plans still go through.

    Plans that ``policycompare run`` has read before come from its cache
    (``<out>/.cache/plans/``), by the same key the run uses (the file's bytes, its name, its sidecar,
    the package's rules and code), so the corpus is the one parsing would give: on the five seeds
    after a run, a fresh Python with ``load_corpus()`` takes 0.5 s of CPU instead of 1.4 s parsing.  The cache is only read, never
    written, and the run's lock is not taken: a notebook may load while a run writes.

    Parameters:
        raw_dir: folder of plan files (.txt, .html, .docx, .doc, .pdf …; a
            ``<stem>.meta.toml`` sidecar beside a file corrects its metadata).
        workers: processes for the per-plan work (default: this process, and a pool of every core
            when the work left pays for it; 1 = in this process only; N = a pool of N).
        scheduler: a Dask scheduler address (``"tcp://host:8786"``) to run the per-plan work on a cluster.
        cache_dir: the output folder of a run whose cache to read.  ``True`` (default): the run's
            folder beside the raw folder (``data/raw`` -> ``data/processed``), when it holds a
            cache; a path: that folder; ``False`` or ``None``: no cache, every plan is parsed.
        progress: ``progress(file_name, n)`` after each file (``n`` files: the cached ones come
            at once as ``("cache", n)``), and ``progress(step, 0)`` before a long step that reads
            no file (loading the parsers).

    Returns:
        The :class:`Corpus`: its tables (``plans``, ``tasks``, ``targets``,
        ``agencies``, ``sectors``, ``warnings``) are built on first use.

    Raises:
        FileNotFoundError: ``raw_dir`` does not exist (with no argument: no
            ``data/raw`` from the working folder up).
        NotADirectoryError: ``raw_dir`` is a file.

    Examples:
        >>> corpus = load_corpus("data/raw", workers=1)
        >>> corpus.plans[["plan_id", "level"]].values.tolist()[:2]
        [['hunan_2017', 'province'], ['lingwu_2017', 'county']]
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else find_root() / "data" / "raw"
    return collect(raw_dir, cache=run_cache(raw_dir, cache_dir), workers=workers, scheduler=scheduler,
                   progress=progress)


#: The output folder of a run beside its raw folder (``data/raw`` -> ``data/processed``), as the command
#: line's defaults have it.
PROCESSED_NAME = "processed"


def run_cache(raw_dir: Path, cache_dir: str | Path | bool | None) -> PlanCache | None:
    """The read-only cache :func:`load_corpus` reads for ``cache_dir`` (its argument), or None."""
    if cache_dir is None or cache_dir is False:
        return None
    folder = raw_dir.parent / PROCESSED_NAME if cache_dir is True else Path(cache_dir)
    cache = PlanCache(folder, read_only=True)
    return cache if cache.exists() else None


def collect(raw_dir: str | Path | None, *, cache=None, workers: int | None = None, scheduler: str | None = None,
            progress: Callable[[str, int], None] | None = None, stats=None, keys: dict[Path, str] | None = None) -> Corpus:
    """:func:`load_corpus` with a given :class:`~policycompare.run.cache.PlanCache` and :class:`~policycompare.run.engine.MapStats`
    (and the files' cache keys by path, where the caller computed them: :func:`~policycompare.run.engine.map_files`)."""
    raw_dir = Path(raw_dir) if raw_dir is not None else find_root() / "data" / "raw"
    if not raw_dir.is_dir():
        if raw_dir.exists():
            raise NotADirectoryError(f"not a folder: {raw_dir} (give the folder that holds the plan files)")
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    files, unsupported = plan_files(raw_dir)
    errors = [PlanError(p, f"unsupported file type '{p.suffix}'; use {', '.join(PLAN_SUFFIXES)}") for p in unsupported]
    unique: list[Path] = []
    seen: dict[str, Path] = {}
    for path in files:
        plan_id = plan_id_of(path)
        if plan_id in seen:
            errors.append(PlanError(path, f"plan_id '{plan_id}' is already taken by {display_name(seen[plan_id])}; "
                                          "rename one file"))
            continue
        seen[plan_id] = path
        unique.append(path)
    stems = {path.stem for path in files}
    notices = [PlanError(sidecar, f"sidecar without a plan: no plan file named {sidecar.name[:-len(SIDECAR_SUFFIX)]}.* "
                                  "in the folder, so it is not used")
               for sidecar in sorted(raw_dir.glob(f"*{SIDECAR_SUFFIX}")) if sidecar.name[:-len(SIDECAR_SUFFIX)] not in stems]
    plans: list[Plan] = []
    for result in map_files(unique, cache=cache, workers=workers, scheduler=scheduler, progress=progress, stats=stats,
                            keys=keys):
        if isinstance(result, PlanError):
            errors.append(result)
        else:
            plans.append(result)
    return Corpus(plans, errors, notices)
