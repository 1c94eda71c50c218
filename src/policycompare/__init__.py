"""policycompare: turn Chinese government policy plans into tidy tables and compare them.

Quick start::

    import policycompare as pc
    corpus = pc.load_corpus("data/raw")
    corpus.plans        # one row per plan
    corpus.tasks        # one row per numbered task
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policycompare")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

#: Public names and the modules they live in, imported on first use: ``import policycompare``
#: stays light (no pandas), so the command line answers a rerun with nothing to do at once.
_NAMES = {
    "Corpus": "corpus", "Plan": "plan", "load_corpus": "run.load", "read_plan": "plan",
    "PlanError": "errors", "normalize": "parse.normalize", "normalize_text": "parse.normalize",
    "run_pipeline": "run.pipeline", "read_table": "export.tables", "read_tables": "export.tables",
    "side_by_side": "report.sidebyside", "write_side_by_side": "report.sidebyside",
}
#: Modules reachable as attributes, by their short names (figures imports matplotlib and registers the CJK font).
_MODULES = {
    "compare": "analyze.compare", "similarity": "analyze.similarity", "reuse": "analyze.reuse",
    "escalation": "analyze.escalation", "tables": "analyze.registry", "figures": "report.figures",
    "findings": "report.findings", "notebooks": "run.notebooks", "workbook": "export.workbook",
    "segment": "parse.segment", "validate": "evaluate.gold", "engine": "run.engine", "cache": "run.cache",
}


def __getattr__(name: str):
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module(f".{_MODULES[name]}", __name__)
    raise AttributeError(f"module 'policycompare' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES) | set(_MODULES))


__all__ = [
    "Corpus",
    "compare",
    "escalation",
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
    "side_by_side",
    "write_side_by_side",
]
