"""The per-plan cache: a rerun reads every unchanged plan instead of parsing it again.

One JSON file per plan under ``<out>/.cache/plans/``, named by a key that
hashes everything the plan's result depends on: the raw file's bytes (its
SHA-256), the plan_id (the file stem: task ids carry it), the sidecar's bytes,
the package version, the rule files in ``policycompare/data`` and the package's
own code.  Change any of them and the key changes, so a stale entry is never
read; entries no longer used are removed at the end of a run.  JSON, never
pickle: the cache can be read by anything and cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..config import PACKAGE_DATA, PACKAGE_DIR, SIDECAR_SUFFIX
from ..ingest.files import is_regular, write_bytes_atomic

CACHE_DIR = Path(".cache") / "plans"


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """SHA-256 over the package's rule files and code (computed once per process)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DATA.rglob("*")) + sorted(PACKAGE_DIR.rglob("*.py")):
        if path.is_file():
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def plan_key(path: Path) -> str:
    """The cache key of one plan file: its bytes, stem, sidecar, and the rules and code."""
    digest = hashlib.sha256()
    digest.update(rules_hash().encode())
    digest.update(os.fsencode(path.stem) + b"\0")  # bytes: a name that is not UTF-8 has a key too
    digest.update(_file_digest(path))
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if is_regular(sidecar):
        digest.update(b"sidecar" + _file_digest(sidecar))
    return digest.hexdigest()[:32]


def _file_digest(path: Path) -> bytes:
    """SHA-256 of a regular file, read in blocks (bounded memory); a marker for anything else.

    A named pipe would block for ever and a link to ``/dev/zero`` never ends: neither is read here
    (:func:`policycompare.plan.read_plan` refuses them with a message).
    """
    if not is_regular(path):
        return b"not a regular file"
    file_hash = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                file_hash.update(block)
    except OSError:
        return b"unreadable"
    return file_hash.digest()


class PlanCache:
    """Cached results of :func:`policycompare.plan.process_file`, by :func:`plan_key`.

    ``read_only``: :meth:`put` and :meth:`prune` do nothing (:func:`~policycompare.run.load.load_corpus`
    reads the cache of a run's output folder, which only the run, holding its lock, writes).  Reading
    while a run writes is safe: an entry is written to a temporary file and renamed into place
    (:func:`~policycompare.ingest.files.write_bytes_atomic`), so a reader sees the whole old entry, the
    whole new one or none (a miss: the plan is parsed).
    """

    def __init__(self, out_dir: str | Path, *, read_only: bool = False) -> None:
        self.folder = Path(out_dir) / CACHE_DIR
        self.read_only = read_only
        self.used: set[str] = set()

    def exists(self) -> bool:
        """Whether the folder holds a cache at all (a run has written one)."""
        return self.folder.is_dir()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The cached result for ``key``, or None (missing or unreadable entries are misses: a damaged
        file, JSON that is not an object, an object without a result)."""
        self.used.add(key)
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8", errors="surrogatepass"))
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not ("plan" in entry or "error" in entry):
            return None
        return entry

    def put(self, key: str, result: dict) -> None:
        self.used.add(key)
        if self.read_only:
            return
        data = json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        # surrogatepass: the path of a file whose name is not UTF-8 comes back as it went in
        try:
            write_bytes_atomic(self._path(key), data.encode("utf-8", "surrogatepass"))
        except OSError:  # a full disk: the plan is parsed again next time; writing the outputs says what ran out
            pass

    def prune(self) -> int:
        """Remove entries this run did not use; returns how many."""
        removed = 0
        if not self.read_only and self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
