"""What a run wrote: the manifest of an output folder, its fingerprint, and the folder lock.

``<out>/.policycompare-manifest.json`` lists every file the last run wrote
(relative to the output folder, with its size), a fingerprint of everything
the outputs depend on (each raw file's cache key, the options, the package's
rules and code) and a short summary of the plans for the command line.  It
lets a rerun

* stop at once when nothing changed (:func:`up_to_date`, without pandas);
* remove only the files the previous run wrote and this one did not.

A lock file keeps two runs from writing one folder at the same time.

The outputs change as one set: a run writes its files into ``.policycompare-new/``
beside the old ones (in the output folder and in the figures folder) and only
when every file is written moves them into place (:func:`switch`).  A run that
fails or is stopped before that (a full disk, Ctrl-C, ``kill -9``) leaves the
previous outputs as they were; one stopped while moving (a fraction of a
second) is finished by the next run from the journal
``.policycompare-switch.json`` (:func:`recover`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from ..ingest.files import plan_files, write_bytes_atomic
from .cache import plan_key, rules_hash

MANIFEST = ".policycompare-manifest.json"
LOCK = ".policycompare.lock"
#: Where a run writes its new outputs, inside each output folder, before they are switched in.
STAGING = ".policycompare-new"
#: The list of moves of a switch under way (removed when it is done).
SWITCH = ".policycompare-switch.json"


class OutputError(Exception):
    """The output folder cannot be used (it is a file, read-only, the raw folder itself, or busy)."""


class WriteError(OutputError):
    """The new outputs could not be written (a full disk, a quota, a file in the way); nothing was replaced."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run; the message says what state the outputs are in."""


def fingerprint(raw_dir: Path, options: dict, keys: dict[Path, str] | None = None) -> str:
    """A hash of everything the outputs depend on: each raw file's cache key, the options, the code.

    ``keys``: the files' cache keys where the caller has them already (a run hashes each file once).
    """
    files, unsupported = plan_files(raw_dir)
    keys = keys or {}
    digest = hashlib.sha256(rules_hash().encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        key = keys.get(path) or plan_key(path)
        digest.update(os.fsencode(path.name) + b"\0" + key.encode())
    for path in unsupported:
        digest.update(b"unsupported\0" + os.fsencode(path.name))
    return digest.hexdigest()


def run_options(out_dir: Path, figures_dir: Path | None, *, workbook: bool, k: int | None, lang: str = "zh",
                exact: bool = False, paper: str = "a4") -> dict:
    """The options a run's outputs depend on (part of its fingerprint).

    Paths are relative to the output folder: the same layout elsewhere gives the same manifest.
    """
    return {"workbook": workbook, "figures": os.path.relpath(figures_dir, out_dir) if figures_dir else None, "k": k,
            **({"lang": lang} if lang != "zh" else {}), **({"exact": True} if exact else {}),
            **({"paper": paper} if paper != "a4" else {})}


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
    if manifest.get("fingerprint") != stamp or (Path(out_dir) / SWITCH).exists():
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


def staging(folder: Path) -> Path:
    """The folder a run writes ``folder``'s new files into."""
    return Path(folder) / STAGING


def switch(out_dir: Path, staged: list[Path], folders: list[Path], stamp: str, summary: dict, previous: dict
           ) -> tuple[list[Path], list[Path]]:
    """Move every staged file into place, remove the previous run's leftovers, write the manifest.

    ``staged``: the files written under ``staging(folder)`` of one of ``folders``; ``previous``: the
    manifest before this run.  The moves are recorded first, so a run stopped half way is finished by
    :func:`recover`.  Returns the files in place and the leftovers removed.
    """
    out_dir = Path(out_dir)
    moves = []
    for path in staged:
        folder = next(f for f in folders if staging(f) in path.parents)
        final = folder / path.relative_to(staging(folder))
        moves.append([os.path.relpath(path, out_dir), os.path.relpath(final, out_dir)])
    journal = {"moves": moves, "folders": [os.path.relpath(f, out_dir) for f in folders], "fingerprint": stamp,
               "summary": summary, "previous": previous}
    write_bytes_atomic(out_dir / SWITCH, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    with _interrupt_deferred():
        return _finish(out_dir, journal)


def recover(out_dir: Path, folders: list[Path]) -> None:
    """Finish a switch a stopped run left half done, and remove what stopped runs left in staging."""
    out_dir = Path(out_dir)
    try:
        journal = json.loads((out_dir / SWITCH).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None
    if isinstance(journal, dict) and "moves" in journal:
        with _interrupt_deferred():
            _finish(out_dir, journal)
    (out_dir / SWITCH).unlink(missing_ok=True)
    discard(folders)


def discard(folders: list[Path]) -> None:
    """Remove the staging folders (a run that failed before its switch: the old outputs stay)."""
    for folder in folders:
        shutil.rmtree(staging(folder), ignore_errors=True)


def _finish(out_dir: Path, journal: dict) -> tuple[list[Path], list[Path]]:
    placed = []
    for source, target in journal["moves"]:
        source, target = out_dir / source, out_dir / target
        if source.is_file():  # not moved yet (a run stopped in the middle moved the others)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            except OSError as err:  # Windows: a CSV open in Excel cannot be replaced
                raise WriteError(f"could not put {target} in place ({err.strerror or err}; is it open in another "
                                 "program?): close it and run again, which finishes putting the new outputs in "
                                 "place") from err
        placed.append(target)
    removed = remove_leftovers(journal.get("previous") or {}, placed, out_dir)
    write_manifest(out_dir, journal["fingerprint"], placed, journal["summary"])
    (out_dir / SWITCH).unlink(missing_ok=True)
    discard([out_dir / f for f in journal.get("folders", [])])
    return placed, removed


class _interrupt_deferred:
    """Ctrl-C waits until the block is done (the moves of a switch take a fraction of a second), then
    stops the run with the outputs complete.  Only in the main thread, where signals arrive."""

    def __enter__(self):
        self._caught = False
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._catch)
        return self

    def _catch(self, signum, frame) -> None:
        self._caught = True

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        if self._caught and exc[0] is None:
            raise Interrupted("the run was interrupted just after its new outputs were put in place: "
                              "they are complete")


class FolderLock:
    """One run per output folder at a time: a second run waits up to ``timeout`` seconds, then refuses.

    The lock is the operating system's, on ``<out>/.policycompare.lock``: ``fcntl.flock`` on Linux and
    macOS, ``msvcrt.locking`` on Windows; both let go when the process ends, however it ends (``kill -9``
    included).  On a Python with neither, a file created exclusively holds the run's process id, and a
    file left by a process that is gone is taken over.
    """

    def __init__(self, out_dir: Path, timeout: float = 600.0) -> None:
        self.path = Path(out_dir) / LOCK
        self.timeout = timeout
        self._fh = None
        self._owned: Path | None = None

    def __enter__(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        while not self._try():
            if time.monotonic() > deadline:
                raise OutputError(f"another policycompare run is writing to {self.path.parent}; "
                                  "try again when it has finished")
            time.sleep(0.2)
        return self

    def _try(self) -> bool:
        """Take the lock if it is free (True), else False."""
        try:
            # POSIX only
            import fcntl
        except ImportError:
            fcntl = None
        if fcntl is not None:
            fh = open(self.path, "a+b")  # noqa: SIM115 - held open while the run lasts
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held by another run (EWOULDBLOCK)
                fh.close()
                return False
            self._fh = fh
            return True
        try:
            # Windows only
            import msvcrt
        except ImportError:
            msvcrt = None
        if msvcrt is not None:  # pragma: no cover - Windows
            fh = open(self.path, "a+b")  # noqa: SIM115
            try:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                fh.close()
                return False
            self._fh = fh
            return True
        return self._try_exclusive_file()

    def _try_exclusive_file(self) -> bool:
        marker = self.path.with_name(LOCK + ".pid")
        try:
            fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(marker.read_text(encoding="ascii").strip() or 0)
            except (OSError, ValueError):
                return False
            if pid and not _alive(pid):  # left by a run that was killed
                marker.unlink(missing_ok=True)
            return False
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
        self._owned = marker
        return True

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            self._fh.close()  # closing the file lets go of the lock
            self._fh = None
        if self._owned is not None:
            self._owned.unlink(missing_ok=True)
            self._owned = None


def _alive(pid: int) -> bool:
    """Whether a process with this id is running (POSIX; on Windows os.kill would end it: assumed alive)."""
    if sys.platform == "win32":  # pragma: no cover - never reached there (msvcrt exists)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, SystemError):
        return True
    return True
