"""Path constants and defaults (cookiecutter-data-science style).

Commands take these as defaults; every one of them can be overridden on the
command line or by passing paths to the library functions.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
FIGURES_DIR = Path("figures")

#: File suffixes read as plans; everything else in the raw folder is skipped
#: (sidecar ``*.meta.toml`` files) or reported as unsupported.
PLAN_SUFFIXES = (".txt", ".text", ".htm", ".html", ".docx", ".doc", ".wps", ".pdf")
SIDECAR_SUFFIX = ".meta.toml"

#: Largest plan file read (PDF and Word files carry images: generous); larger files are refused up front.
MAX_FILE_BYTES = 100_000_000
#: Longest text taken as one plan (a plan is rarely over 100,000 characters; the longest seed has 8,349).
#: Every stage is linear in the text, so this bounds a run's time and memory per file.
MAX_TEXT_CHARS = 2_000_000
IGNORED_SUFFIXES = (".toml", ".md", ".gitkeep")

# -- library defaults: the default options of the public functions, in one place ------------
# Each module reads its default from here (``similarity.TOP_K`` is ``config.TOP_K``), so a
# project can see every default at once; pass the option to change it for one call.

#: Matches kept per task in ``task_similarity`` (``policycompare run -k``) and returned by ``similar``.
TOP_K = 10
#: Lowest score ``similarity.similar`` returns.  Queries about something no plan speaks of
#: (天气, 电影, 量子芯片: tried on the seeds and dev pages) score at most 0.11 against every task;
#: real queries' best matches score 0.13-0.46, and true paraphrase pairs 0.09-0.31 (README).
MIN_SCORE = 0.12
#: Shortest passage (characters) ``reuse.text_reuse`` reports as shared word for word.
REUSE_MIN_LEN = 12
#: Partner plans ``reuse.text_reuse`` keeps per plan (the pairs with the most shared text).
REUSE_PARTNERS = 10
#: Escalation thresholds (README, "Escalation and diffusion", for the score distributions behind them):
#: bigram Dice of two target labels to count as the same target; share of a parent task's characters
#: shared word for word to count as copied; task similarity to count as adapted.
LABEL_SIMILARITY = 0.45
COPY_SHARE = 0.5
ADAPT_SCORE = 0.2
#: Beyond this many plans, per-plan figures show provinces.
AGGREGATE_OVER = 40
#: Rows per plan of the detail tables (task pairs, shared passages) in the workbook.
DETAIL_ROWS_PER_PLAN = 20


def read_data_csv(name: str) -> list[dict[str, str]]:
    """A CSV file of the package data folder as rows; lines starting with ``#`` are comments."""
    with open(PACKAGE_DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def read_toml(path: str | Path) -> dict:
    """A TOML file as a dict (raises ``tomllib.TOMLDecodeError`` on bad syntax)."""
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def find_root(start: str | Path | None = None) -> Path:
    """The project folder: the first of ``start`` (default: the working directory) and its
    parents that holds ``data/raw``.  Notebooks in ``notebooks/`` use it to find the plans.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / RAW_DIR).is_dir():
            return folder
    raise FileNotFoundError(f"no folder with {RAW_DIR} found at or above {here}")
