"""policycompare: turn Chinese government policy plans into tidy tables and compare them.

Quick start::

    import policycompare as pc
    corpus = pc.load_corpus("data/raw")
    corpus.plans        # one row per plan
    corpus.tasks        # one row per numbered task
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .corpus import Corpus, Plan, load_corpus, read_plan
from .errors import PlanError
from .export import read_table, read_tables
from .normalize import normalize, normalize_text
from . import compare
from .pipeline import run_pipeline

try:
    __version__ = version("policycompare")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

#: Submodules loaded on first use (figures imports matplotlib and registers the CJK font).
_LAZY = ("figures", "similarity", "reuse", "report", "workbook", "segment")


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'policycompare' has no attribute {name!r}")


__all__ = [
    "Corpus",
    "compare",
    "figures",
    "reuse",
    "similarity",
    "Plan",
    "PlanError",
    "__version__",
    "load_corpus",
    "normalize",
    "normalize_text",
    "read_plan",
    "read_table",
    "read_tables",
    "run_pipeline",
]
