"""Writing outputs: atomically (temporary file, then rename), deterministically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)
#: Permissions of written files: what ``open()`` would give (mkstemp alone gives 0600).
FILE_MODE = 0o666 & ~_UMASK


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """UTF-8 text, no BOM (character offsets count from the first character)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with a BOM, so that Excel shows Chinese; pandas reads it back as is."""
    data = df.to_csv(index=False, lineterminator="\n")
    return write_bytes_atomic(path, data.encode("utf-8-sig"))
