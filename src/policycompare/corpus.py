"""The corpus: the plans of a folder, collected after the map, and their tables.

:func:`load_corpus` finds the plan files, runs the map (:mod:`.engine`: cached,
in parallel) and returns a :class:`Corpus`, whose per-plan tables are the
plans' extracted rows put together.  Corpus-level tables (comparisons,
similarity, text reuse) are built by :mod:`.tables` on demand.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import schema
from .config import PLAN_SUFFIXES, SIDECAR_SUFFIX, find_root
from .errors import PlanError
from .ingest.files import display_name, plan_files, plan_id_of
from .plan import Plan, read_plan

__all__ = ["Corpus", "Plan", "load_corpus", "plan_files", "read_plan"]

class Corpus:
    """All plans of a folder; the tables are pandas DataFrames with exactly the CSV columns.

    Attributes:
        plans: one row per plan (metadata and counts).
        tasks: one row per task.
        targets: one row per quantitative target (each mention).
        agencies: one row per agency named for a task, with its role.
        sectors: one row per product-sector mention and category.
        warnings: one row per problem met (errors name files that were skipped).
    """

    def __init__(self, plans: Iterable[Plan], errors: Iterable[PlanError] = (),
                 notices: Iterable[PlanError] = ()) -> None:
        self._plans = {plan.plan_id: plan for plan in sorted(plans, key=lambda p: p.plan_id)}
        self.errors = sorted(errors, key=lambda e: e.path.name)
        #: problems with files beside the plans that skipped nothing (a sidecar without its plan)
        self.notices = sorted(notices, key=lambda e: e.path.name)
        self._tables: dict[str, pd.DataFrame] | None = None
        #: options of the corpus-level tables (see :func:`policycompare.analyze.registry.build_tables`)
        self.options: dict[str, object] = {}

    def __repr__(self) -> str:
        n_tasks = sum(len(p.structure.tasks) for p in self)
        return f"<Corpus: {len(self._plans)} plans, {n_tasks} tasks, {len(self.errors)} errors>"

    #: Plans listed by :meth:`_repr_html_` (the rest are counted).
    HTML_ROWS = 20

    def _repr_html_(self) -> str:
        """Jupyter: counts, one line per plan (the first :attr:`HTML_ROWS`), errors and warnings."""
        from html import escape

        plans = list(self)
        n_warn = {p.plan_id: len(p.warnings) for p in plans}
        counts = [("plans", len(plans)), ("tasks", sum(len(p.structure.tasks) for p in plans)),
                  ("targets", sum(len(p.target_rows) for p in plans)),
                  ("agencies named", sum(len(p.agency_rows) for p in plans)),
                  ("sector mentions", sum(len(p.sector_rows) for p in plans)),
                  ("files skipped", len(self.errors)), ("warnings", sum(n_warn.values()))]
        html = ("<div><strong>Corpus</strong>: " + escape(", ".join(f"{n:,} {k}" for k, n in counts)) +
                "<table><tr><th>plan_id</th><th>jurisdiction</th><th>level</th><th>issued</th>"
                "<th>tasks</th><th>targets</th><th>warnings</th></tr>")
        for plan in plans[: self.HTML_ROWS]:
            m = plan.metadata
            cells = [plan.plan_id, m.get("jurisdiction") or "", m.get("level") or "", m.get("issued_date") or "",
                     len(plan.structure.tasks), len(plan.target_rows), n_warn[plan.plan_id]]
            html += "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>"
        html += "</table>"
        if len(plans) > self.HTML_ROWS:
            html += f"<div>… and {len(plans) - self.HTML_ROWS:,} more plans (corpus.plans has them all)</div>"
        if self.errors:
            items = "".join(f"<li>{escape(e.path.name)}: {escape(e.reason)}</li>" for e in self.errors[:10])
            html += f"<details open><summary>{len(self.errors)} file(s) skipped</summary><ul>{items}</ul></details>"
        return html + "</div>"

    def __len__(self) -> int:
        return len(self._plans)

    def __iter__(self):
        return iter(self._plans.values())

    def __getitem__(self, plan_id: str) -> Plan:
        try:
            return self._plans[plan_id]
        except KeyError:
            raise self._unknown(plan_id) from None

    def _unknown(self, plan_id: object) -> KeyError:
        """The KeyError for a plan_id not in the corpus, naming the known ones (as the command line does)."""
        known = list(self._plans)
        shown = ", ".join(known[:20]) + (f" … ({len(known)} plans)" if len(known) > 20 else "")
        return KeyError(f"no plan {plan_id!r} in the corpus; known: {shown or '(none)'}")

    def __contains__(self, plan_id: object) -> bool:
        return plan_id in self._plans

    @property
    def plan_ids(self) -> list[str]:
        return list(self._plans)

    def text(self, plan_id: str) -> str:
        """Normalized text of one plan."""
        return self[plan_id].text

    @cached_property
    def plans(self) -> pd.DataFrame:
        return schema.frame("plans", [plan.plan_row() for plan in self])

    @cached_property
    def plan_fields(self) -> pd.DataFrame:
        """Where each plan's metadata fields came from: one row per plan and field with a value."""
        return schema.frame("plan_fields", [row for plan in self for row in plan.field_rows])

    @cached_property
    def tasks(self) -> pd.DataFrame:
        return schema.frame("tasks", [task for plan in self for task in plan.structure.tasks])

    @cached_property
    def task_tokens(self) -> list[list[str]]:
        """Word tokens of every task (``similarity.task_tokens``), aligned with the rows of :attr:`tasks`."""
        return [tokens for plan in self for tokens in plan.task_tokens]

    @cached_property
    def targets(self) -> pd.DataFrame:
        return schema.frame("targets", [row for plan in self for row in plan.target_rows])

    @cached_property
    def agencies(self) -> pd.DataFrame:
        from .plan import with_agency_en

        return with_agency_en(schema.frame("agencies", [row for plan in self for row in plan.agency_rows]))

    @cached_property
    def sectors(self) -> pd.DataFrame:
        return schema.frame("sectors", [row for plan in self for row in plan.sector_rows])

    @cached_property
    def warnings(self) -> pd.DataFrame:
        rows = [
            {"source_file": display_name(err.path), "plan_id": plan_id_of(err.path), "severity": "error",
             "message": err.reason}
            for err in self.errors
        ]
        rows += [
            {"source_file": display_name(note.path), "plan_id": display_name(note.path).split(".")[0],
             "severity": "warning",
             "message": note.reason}
            for note in self.notices
        ]
        rows += [
            {"source_file": display_name(plan.path), "plan_id": plan.plan_id, "severity": "warning",
             "message": message}
            for plan in self for message in plan.warnings
        ]
        return schema.frame("warnings", rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table ``policycompare run`` writes, by the name of its CSV file (built once)."""
        if self._tables is None:
            from .analyze.registry import build_tables

            self._tables = build_tables(self, **self.options)
        return dict(self._tables)


def load_corpus(
    raw_dir: str | Path | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    cache_dir: str | Path | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Corpus:
    """Read every plan in ``raw_dir`` (default: the project's ``data/raw``, found from the working folder up).

    A file that cannot be used is reported in ``corpus.errors`` and
    ``corpus.warnings`` and the other plans still go through.

    Parameters:
        raw_dir: folder of plan files (.txt, .html, .docx, .doc, .pdf …; a
            ``<stem>.meta.toml`` sidecar beside a file corrects its metadata).
        workers: processes for the per-plan work (default: every core; 1 = in this process).
        scheduler: a Dask scheduler address (``"tcp://host:8786"``) to run the per-plan work on a cluster.
        cache_dir: an output folder (such as ``data/processed``) whose cache holds unchanged plans.
        progress: ``progress(file_name, n)`` after each file.

    Returns:
        The :class:`Corpus`: its tables (``plans``, ``tasks``, ``targets``,
        ``agencies``, ``sectors``, ``warnings``) are built on first use.

    Raises:
        FileNotFoundError: ``raw_dir`` does not exist (with no argument: no
            ``data/raw`` from the working folder up).
        NotADirectoryError: ``raw_dir`` is a file.

    Examples:
        >>> corpus = load_corpus("data/raw", workers=1)
        >>> corpus.plans[["plan_id", "level"]].values.tolist()[:2]
        [['hunan_2017', 'province'], ['lingwu_2017', 'county']]
    """
    from .run.cache import PlanCache

    cache = PlanCache(cache_dir) if cache_dir is not None else None
    return collect(raw_dir, cache=cache, workers=workers, scheduler=scheduler, progress=progress)


def collect(raw_dir: str | Path | None, *, cache=None, workers: int | None = None, scheduler: str | None = None,
            progress: Callable[[str, int], None] | None = None, stats=None) -> Corpus:
    """:func:`load_corpus` with a given :class:`~policycompare.run.cache.PlanCache` and :class:`~policycompare.run.engine.MapStats`."""
    from .run.engine import map_files

    raw_dir = Path(raw_dir) if raw_dir is not None else find_root() / "data" / "raw"
    if not raw_dir.is_dir():
        if raw_dir.exists():
            raise NotADirectoryError(f"not a folder: {raw_dir} (give the folder that holds the plan files)")
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    files, unsupported = plan_files(raw_dir)
    errors = [PlanError(p, f"unsupported file type '{p.suffix}'; use {', '.join(PLAN_SUFFIXES)}") for p in unsupported]
    unique: list[Path] = []
    seen: dict[str, Path] = {}
    for path in files:
        plan_id = plan_id_of(path)
        if plan_id in seen:
            errors.append(PlanError(path, f"plan_id '{plan_id}' is already taken by {display_name(seen[plan_id])}; "
                                          "rename one file"))
            continue
        seen[plan_id] = path
        unique.append(path)
    stems = {path.stem for path in files}
    notices = [PlanError(sidecar, f"sidecar without a plan: no plan file named {sidecar.name[:-len(SIDECAR_SUFFIX)]}.* "
                                  "in the folder, so it is not used")
               for sidecar in sorted(raw_dir.glob(f"*{SIDECAR_SUFFIX}")) if sidecar.name[:-len(SIDECAR_SUFFIX)] not in stems]
    plans: list[Plan] = []
    for result in map_files(unique, cache=cache, workers=workers, scheduler=scheduler, progress=progress, stats=stats):
        if isinstance(result, PlanError):
            errors.append(result)
        else:
            plans.append(result)
    return Corpus(plans, errors, notices)
