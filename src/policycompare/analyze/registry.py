"""The registry of every table ``policycompare run`` writes, in the order of the files and sheets.

Per-plan tables come straight from the corpus (the map's rows put together);
the others are the reduce: comparisons, similarity, text reuse.
"""

from __future__ import annotations

from typing import Callable, Protocol

import pandas as pd

from .. import schema
from . import compare, escalation, reuse, similarity
from .memory import return_free_memory

#: Tables that grow with pairs of tasks or plans: the workbook shows their top rows per plan.
DETAIL_TABLES = ("task_similarity", "text_reuse")
#: The stages of the reduce over tasks, in order (progress reports them).
STAGES = ("similarity", "text reuse", "escalation")
#: The stage that can be built in another process (``beside``) while this one builds the comparison tables
#: and the similarity: text reuse needs only the plans' texts and tasks (:class:`~.reuse.ReuseInputs`), and
#: they nothing of it.
BESIDE_STAGE = "text reuse"


class Aside(Protocol):
    """What ``beside`` returns: a stage's tables being built elsewhere."""

    def join(self) -> dict[str, pd.DataFrame]:
        """The stage's tables, by name (raises the error that stopped their building)."""

    def stop(self) -> None:
        """Stop building them (the caller met an error of its own)."""


#: beside(inputs, ready) starts :func:`~.reuse.build_tables` (``inputs``: :class:`~.reuse.ReuseInputs`) elsewhere
#: and returns an :class:`Aside`; ``ready`` is the dict of the tables built, filled as they are built:
#: those in it when the run comes to wait (:meth:`Aside.join`) may be written meanwhile.
Beside = Callable[[reuse.ReuseInputs, dict[str, pd.DataFrame]], Aside]


def build_tables(corpus, *, progress: Callable[[str, int, int], None] | None = None,
                 beside: Beside | None = None, **options) -> dict[str, pd.DataFrame]:
    """Every table of ``corpus``, by the name of its CSV file.

    ``options`` are passed on by name: ``k`` (task matches kept per task) to
    the similarity tables, ``min_len`` and ``partners`` to text reuse.
    ``progress(stage, done, total)`` hears of each stage as it starts.
    ``beside`` (see :data:`Beside`): the text reuse stage is built by it (another process, in a run) while
    this process builds the comparison tables and the similarity; the tables are the same.
    """
    report = progress or (lambda stage, done, total: None)
    reuse_options = {key: options[key] for key in ("min_len", "partners") if key in options}
    sim_options = {key: options[key] for key in ("k", "exact") if key in options}
    report("tables", 0, 4)
    built: dict[str, pd.DataFrame] = {}
    # each table a run writes: the reduce stage that builds it (None: the corpus' rows and the
    # comparisons, built for any corpus) and how (from the corpus and the tables built before it)
    builders: dict[str, tuple[str | None, Callable[[], pd.DataFrame]]] = {
        "plans": (None, lambda: corpus.plans),
        "plan_fields": (None, lambda: corpus.plan_fields),
        "tasks": (None, lambda: corpus.tasks),
        "targets": (None, lambda: corpus.targets),
        "pass_rates": (None, lambda: compare.pass_rates(corpus)),
        "brand_counts": (None, lambda: compare.brand_counts(corpus)),
        "targets_by_metric": (None, lambda: compare.targets_by_metric(corpus)),
        "targets_by_deadline": (None, lambda: compare.targets_by_deadline(corpus)),
        "agencies": (None, lambda: corpus.agencies),
        "sectors": (None, lambda: corpus.sectors),
        "agency_roles": (None, lambda: compare.agency_roles(corpus)),
        "agency_network": (None, lambda: compare.agency_network(corpus)),
        "sector_coverage": (None, lambda: compare.sector_coverage(corpus)),
        "distinctive_sectors": (None, lambda: compare.distinctive_sectors(corpus)),
        "task_similarity": ("similarity", lambda: similarity.task_similarity(corpus, **sim_options)),
        "plan_similarity": ("similarity", lambda: similarity.plan_similarity(corpus)),
        "text_reuse": ("text reuse", lambda: reuse.text_reuse(corpus, **reuse_options)),
        "reuse_share": ("text reuse", lambda: reuse.reuse_share(corpus, built["text_reuse"])),
        "lineage": ("escalation", lambda: escalation.lineage(corpus)),
        "target_escalation": ("escalation", lambda: escalation.target_escalation(corpus)),
        "escalation_summary": ("escalation", lambda: escalation.escalation_summary(corpus, table=built["target_escalation"])),
        "escalation_by_level": ("escalation", lambda: escalation.escalation_summary(
            corpus, by="level", table=built["target_escalation"])),
        "task_adoption": ("escalation", lambda: escalation.task_adoption(corpus, reuse=built["text_reuse"])),
        "adoption_summary": ("escalation", lambda: escalation.adoption_summary(corpus, table=built["task_adoption"])),
        "diffusion": ("escalation", lambda: escalation.diffusion(corpus, reuse=built["text_reuse"])),
        "warnings": (None, lambda: corpus.warnings),
    }
    if set(builders) != set(schema.TABLES):  # the list of tables is schema.TABLES, nowhere else
        raise RuntimeError(f"tables without a builder or a schema: {sorted(set(builders) ^ set(schema.TABLES))}")
    has_tasks = len(corpus.tasks) > 0
    aside_names = [name for name in schema.TABLES if builders[name][0] == BESIDE_STAGE]
    aside: Aside | None = None
    joined: dict[str, pd.DataFrame] | None = None
    stage = None
    try:
        if beside is not None and has_tasks:
            # text reuse starts first, beside every table before it (it reads only the texts and tasks);
            # ``built`` is handed over as it fills: the tables in it when the run waits are written then
            aside = beside(reuse.ReuseInputs.of(corpus, reuse_options), built)
        for name in schema.TABLES:  # in the order of the files and sheets
            table_stage, build = builders[name]
            if table_stage is not None and table_stage != stage:
                if stage is not None:
                    return_free_memory()  # the last stage's garbage, before the next one's peak
                stage = table_stage
                report(stage, STAGES.index(stage) + 1, len(STAGES) + 1)
            if aside is not None and name in aside_names:
                if joined is None:
                    joined = aside.join()
                    if sorted(joined) != sorted(aside_names):
                        raise RuntimeError(f"the stage beside built {sorted(joined)}, not {aside_names}")
                built[name] = joined[name]
            else:  # with no task, the tables of the task stages are empty with their columns
                built[name] = build() if has_tasks or table_stage is None else schema.frame(name, [])
    except BaseException:
        if aside is not None and joined is None:
            aside.stop()
        raise
    return_free_memory()
    report("tables", 4, 4)
    return {name: built[name] for name in schema.TABLES}  # built beside in this process, text reuse came first
