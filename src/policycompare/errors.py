"""Exceptions raised for input the pipeline cannot use."""

from __future__ import annotations

from pathlib import Path


class PlanError(Exception):
    """A plan file that cannot be read, decoded or structured.

    The message always names the file and the reason, so that a run over
    many plans can report it in one line and go on with the others.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        from .ingest.files import display_name

        super().__init__(f"{display_name(self.path)}: {reason}")
