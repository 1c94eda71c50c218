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
from functools import lru_cache
from pathlib import Path

from .config import PACKAGE_DATA, PACKAGE_DIR, SIDECAR_SUFFIX
from .files import write_bytes_atomic

CACHE_DIR = Path(".cache") / "plans"


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """SHA-256 over the package's rule files and code (computed once per process)."""
    from . import __version__

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
    digest.update(path.stem.encode() + b"\0")
    try:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        digest.update(b"unreadable")
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if sidecar.is_file():
        digest.update(b"sidecar" + sidecar.read_bytes())
    return digest.hexdigest()[:32]


class PlanCache:
    """Cached results of :func:`policycompare.plan.process_file`, by :func:`plan_key`."""

    def __init__(self, out_dir: str | Path) -> None:
        self.folder = Path(out_dir) / CACHE_DIR
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The cached result for ``key``, or None (missing or unreadable entries are misses)."""
        self.used.add(key)
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, result: dict) -> None:
        self.used.add(key)
        data = json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        write_bytes_atomic(self._path(key), data.encode("utf-8"))

    def prune(self) -> int:
        """Remove entries this run did not use; returns how many."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
