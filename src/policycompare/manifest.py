"""What a run wrote: the manifest of an output folder, its fingerprint, and the folder lock.

``<out>/.policycompare-manifest.json`` lists every file the last run wrote
(relative to the output folder, with its size), a fingerprint of everything
the outputs depend on (each raw file's cache key, the options, the package's
rules and code) and a short summary of the plans for the command line.  It
lets a rerun

* stop at once when nothing changed (:func:`up_to_date`, without pandas);
* remove only the files the previous run wrote and this one did not.

A lock file keeps two runs from writing one folder at the same time.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from .cache import plan_key, rules_hash
from .files import plan_files, write_bytes_atomic

MANIFEST = ".policycompare-manifest.json"
LOCK = ".policycompare.lock"


class OutputError(Exception):
    """The output folder cannot be used (it is a file, read-only, the raw folder itself, or busy)."""


def fingerprint(raw_dir: Path, options: dict) -> str:
    """A hash of everything the outputs depend on: each raw file's cache key, the options, the code."""
    files, unsupported = plan_files(raw_dir)
    digest = hashlib.sha256(rules_hash().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + plan_key(path).encode())
    for path in unsupported:
        digest.update(b"unsupported\0" + path.name.encode())
    return digest.hexdigest()


def run_options(out_dir: Path, figures_dir: Path | None, *, workbook: bool, k: int | None, lang: str = "zh",
                exact: bool = False) -> dict:
    """The options a run's outputs depend on (part of its fingerprint).

    Paths are relative to the output folder: the same layout elsewhere gives the same manifest.
    """
    return {"workbook": workbook, "figures": os.path.relpath(figures_dir, out_dir) if figures_dir else None, "k": k,
            **({"lang": lang} if lang != "zh" else {}), **({"exact": True} if exact else {})}


def read_manifest(out_dir: Path) -> dict:
    """The manifest of ``out_dir`` ({} when there is none or it is unreadable)."""
    try:
        return json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manifest_files(manifest: dict, out_dir: Path) -> list[Path]:
    """The files a manifest lists (stored relative to the output folder)."""
    return [Path(out_dir) / name for name in manifest.get("files", {})]


def is_current(manifest: dict, stamp: str, out_dir: Path) -> bool:
    """True when the manifest has this fingerprint and every file it lists is there, of its size."""
    if manifest.get("fingerprint") != stamp:
        return False
    for path, size in zip(manifest_files(manifest, out_dir), manifest.get("files", {}).values()):
        if not path.is_file() or path.stat().st_size != size:
            return False
    return True


def up_to_date(raw_dir: Path, out_dir: Path, options: dict) -> dict | None:
    """The manifest of ``out_dir`` when its outputs are current for ``raw_dir`` and ``options``, else None."""
    manifest = read_manifest(out_dir)
    if manifest and is_current(manifest, fingerprint(Path(raw_dir), options), Path(out_dir)):
        return manifest
    return None


def remove_leftovers(manifest: dict, written: list[Path], out_dir: Path) -> list[Path]:
    """Remove files the previous run wrote and this run did not (only those)."""
    now = {p.resolve() for p in written}
    removed = []
    for path in manifest_files(manifest, out_dir):
        if path.resolve() not in now and path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def write_manifest(out_dir: Path, stamp: str, written: list[Path], summary: dict) -> Path:
    """Record what this run wrote (paths relative to ``out_dir``: the same layout elsewhere gives the same file)."""
    files = {os.path.relpath(p, out_dir): p.stat().st_size for p in written}
    data = {"fingerprint": stamp, "files": dict(sorted(files.items())), "summary": summary}
    return write_bytes_atomic(Path(out_dir) / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


class FolderLock:
    """One run per output folder at a time: a second run waits up to ``timeout`` seconds, then refuses."""

    def __init__(self, out_dir: Path, timeout: float = 600.0) -> None:
        self.path = Path(out_dir) / LOCK
        self.timeout = timeout
        self.fh = None

    def __enter__(self) -> FolderLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.fh.close()
                    raise OutputError(f"another policycompare run is writing to {self.path.parent}; "
                                      "try again when it has finished") from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        import fcntl

        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()
