"""The whole pipeline: raw folder -> every table, text file and output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .corpus import Corpus, load_corpus
from .export import write_csv, write_text_atomic


@dataclass
class RunResult:
    corpus: Corpus
    written: list[Path]


def run_pipeline(
    raw_dir: str | Path = "data/raw",
    out_dir: str | Path = "data/processed",
    *,
    progress: Callable[[Path], None] | None = None,
) -> RunResult:
    """Build every table from ``raw_dir`` and write them to ``out_dir``.

    Writes ``<table>.csv`` for each table and ``text/<plan_id>.txt`` with the
    normalized text of each plan (the text all character offsets refer to).
    Text files of plans no longer in ``raw_dir`` are removed.
    """
    out_dir = Path(out_dir)
    corpus = load_corpus(raw_dir, progress=progress)
    written: list[Path] = []
    text_dir = out_dir / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    for plan in corpus:
        written.append(write_text_atomic(text_dir / f"{plan.plan_id}.txt", plan.text))
    for stale in sorted(text_dir.glob("*.txt")):
        if stale.stem not in corpus.plan_ids:
            stale.unlink()
    for name, table in corpus.tables().items():
        written.append(write_csv(table, out_dir / f"{name}.csv"))
    return RunResult(corpus=corpus, written=written)
