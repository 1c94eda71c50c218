"""Files on disk, without pandas: which files of a folder are plans, and atomic writes.

Kept free of heavy imports so that a rerun with nothing to do (see
:mod:`policycompare.run.manifest`) answers in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import IGNORED_SUFFIXES, PLAN_SUFFIXES, SIDECAR_SUFFIX
from ..errors import display_name

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


#: Longest plan_id, in UTF-8 bytes: ``text/<plan_id>.txt``, written through a temporary
#: ``.<plan_id>.txt.XXXXXXXX.tmp``, must stay under the 255-byte limit of a file name (ext4, APFS, NTFS).
MAX_ID_BYTES = 200


def plan_id_of(path: str | Path) -> str:
    """The plan_id of a plan file: its stem, made safe for the files named after it.

    A stem of more than :data:`MAX_ID_BYTES` UTF-8 bytes is cut and given ``~`` and 8 hex digits of its
    hash (unique, the same every run); a name that is not UTF-8 is read as :func:`display_name` says.
    The original name stays in ``plans.source_file``.

    Examples:
        >>> plan_id_of("data/raw/hunan_2017.txt")
        'hunan_2017'
        >>> long = plan_id_of("湖" * 83 + ".txt")
        >>> len(long.encode("utf-8")) <= MAX_ID_BYTES, long[-9:]
        (True, '~d1bd83f6')
    """
    stem = Path(display_name(path)).stem
    if len(stem.encode("utf-8")) <= MAX_ID_BYTES:
        return stem

    tail = "~" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    cut = stem
    while len((cut + tail).encode("utf-8")) > MAX_ID_BYTES:
        cut = cut[:-1]
    return cut + tail


def is_regular(path: str | Path) -> bool:
    """True for a regular file (a symlink to one counts); False for a folder, a named pipe, a device
    (a link to ``/dev/zero``), a socket, or a name that is gone."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def file_kind(path: str | Path) -> str:
    """What a path is, in words, for a message: ``a named pipe (FIFO)``, ``a device``, ``a folder`` …"""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISREG, "a regular file")):
        if test(mode):
            return kind
    return "not a regular file"


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


