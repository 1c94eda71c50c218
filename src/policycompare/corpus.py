"""The corpus: the plans of a folder, collected after the map, and their tables.

:func:`policycompare.run.load.load_corpus` finds the plan files, runs the map
(:mod:`policycompare.run.engine`: cached, in parallel) and returns a :class:`Corpus`,
whose per-plan tables are the plans' extracted rows put together.  Corpus-level
tables (comparisons, similarity, text reuse) are built by
:mod:`policycompare.analyze.registry` on demand.
"""

from __future__ import annotations

from functools import cached_property
from html import escape
from typing import Callable, Iterable

import pandas as pd

from . import schema
from .errors import PlanError, display_name
from .ingest.files import plan_id_of
from .plan import Plan, with_agency_en

__all__ = ["Corpus"]

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
        """Word tokens of every task (``parse.tokens.task_tokens``), aligned with the rows of :attr:`tasks`."""
        return [tokens for plan in self for tokens in plan.task_tokens]

    @cached_property
    def targets(self) -> pd.DataFrame:
        return schema.frame("targets", [row for plan in self for row in plan.target_rows])

    @cached_property
    def agencies(self) -> pd.DataFrame:
        return with_agency_en(schema.frame("agencies", [row for plan in self for row in plan.agency_rows]),
                              {name: en for plan in self for name, en in plan.agencies_en.items()})

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

    def tables(self, progress: Callable[[str, int, int], None] | None = None, beside=None) -> dict[str, pd.DataFrame]:
        """Every table ``policycompare run`` writes, by the name of its CSV file (built once).

        ``progress(stage, done, total)`` hears of each stage while they are built; ``beside`` builds
        the text reuse stage elsewhere (:data:`policycompare.analyze.registry.Beside`: a run starts another Python process for it).
        """
        if self._tables is None:
            # the reduce loads scikit-learn and SciPy: only when the tables are asked for
            from .analyze.registry import build_tables

            self._tables = build_tables(self, progress=progress, beside=beside, **self.options)
        return dict(self._tables)

    def built_tables(self) -> dict[str, pd.DataFrame] | None:
        """The tables if :meth:`tables` has built them already, else None (nothing is built)."""
        return None if self._tables is None else dict(self._tables)
