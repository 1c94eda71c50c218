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


WORKBOOK = "policycompare.xlsx"


def run_pipeline(
    raw_dir: str | Path = "data/raw",
    out_dir: str | Path = "data/processed",
    *,
    figures_dir: str | Path | None = "figures",
    workbook: bool = True,
    progress: Callable[[Path], None] | None = None,
) -> RunResult:
    """Build every table from ``raw_dir`` and write them to ``out_dir``.

    Writes ``<table>.csv`` for each table, ``text/<plan_id>.txt`` with the
    normalized text of each plan (the text all character offsets refer to),
    the workbook ``policycompare.xlsx`` (unless ``workbook=False``) and the
    figures as PNG and SVG into ``figures_dir`` (``None``: no figures).
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
    tables = corpus.tables()
    for name, table in tables.items():
        written.append(write_csv(table, out_dir / f"{name}.csv"))
    if workbook and len(corpus):
        from . import __version__
        from .schema import DESCRIPTIONS
        from .workbook import write_workbook

        written.append(write_workbook(out_dir / WORKBOOK, tables, DESCRIPTIONS,
                                      corpus.plans[["source_file", "sha256"]], __version__))
    if figures_dir is not None and len(corpus):
        from .figures import write_figures

        written += write_figures(corpus, figures_dir)
    return RunResult(corpus=corpus, written=written)
