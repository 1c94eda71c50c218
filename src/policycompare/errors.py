"""Exceptions raised for input the pipeline cannot use, and how a file is named in their messages."""

from __future__ import annotations

import os
from pathlib import Path


class PlanError(Exception):
    """A plan file that cannot be read, decoded or structured.

    The message always names the file and the reason, so that a run over
    many plans can report it in one line and go on with the others.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{display_name(self.path)}: {reason}")


class EngineError(RuntimeError):
    """The engine asked for cannot run (no Dask scheduler answers, or Dask is not installed)."""


def display_name(path: str | Path) -> str:
    """A file's name as text that can be written anywhere (CSV, JSON, the console).

    A name whose bytes are not UTF-8 (a GBK name unpacked from a Chinese zip on Linux) reaches Python
    with surrogate escapes, which no UTF-8 file can hold: it is read as GB18030 (the name as the
    researcher saw it on Windows), else with ``\\x`` escapes for the bytes.

    Examples:
        >>> import os
        >>> display_name(os.fsdecode("湖南省.txt".encode("gbk"))), display_name("湖南省.txt")
        ('湖南省.txt', '湖南省.txt')
    """
    name = Path(path).name
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "backslashreplace")
