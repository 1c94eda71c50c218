"""Files on disk, without pandas: which files of a folder are plans, and atomic writes.

Kept free of heavy imports so that a rerun with nothing to do (see
:mod:`policycompare.manifest`) answers in a fraction of a second.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .config import IGNORED_SUFFIXES, PLAN_SUFFIXES, SIDECAR_SUFFIX

#: Files that desktop systems and editors leave in folders: never plans, skipped silently.
JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def is_junk(name: str) -> bool:
    """Desktop and editor leftovers: ``Thumbs.db``, ``desktop.ini``, ``~$x.docx`` lock files, ``x.txt~`` backups.

    Examples:
        >>> [is_junk(n) for n in ("Thumbs.db", "~$plan.docx", "plan.txt~", ".hidden", "hunan_2017.txt")]
        [True, True, True, True, False]
    """
    lower = name.lower()
    return lower in JUNK_NAMES or name.startswith(("~$", ".")) or name.endswith(("~", ".swp", ".tmp", ".bak"))


def plan_files(raw_dir: str | Path) -> tuple[list[Path], list[Path]]:
    """Plan files in ``raw_dir`` (sorted) and files there of a type that cannot be read.

    Sidecars, folders, hidden files and desktop junk (:func:`is_junk`) are skipped.
    """
    plans, unsupported = [], []
    for path in sorted(Path(raw_dir).iterdir()):
        name = path.name
        if path.is_dir() or is_junk(name) or name.endswith(SIDECAR_SUFFIX):
            continue
        if path.suffix.lower() in PLAN_SUFFIXES:
            plans.append(path)
        elif path.suffix.lower() not in IGNORED_SUFFIXES:
            unsupported.append(path)
    return plans, unsupported


_UMASK = os.umask(0)
os.umask(_UMASK)
#: Permissions of written files: what ``open()`` would give (mkstemp alone gives 0600).
FILE_MODE = 0o666 & ~_UMASK


@contextmanager
def open_atomic(path: str | Path) -> Iterator:
    """A binary file to write ``path`` through: a temporary file in the same folder, put in place
    when the block ends without an error (and removed when it raises)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    with open_atomic(path) as fh:
        fh.write(data)
    return Path(path)


def write_text_atomic(path: str | Path, text: str) -> Path:
    """UTF-8 text, no BOM (character offsets count from the first character)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


