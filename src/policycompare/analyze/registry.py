"""The registry of every table ``policycompare run`` writes, in the order of the files and sheets.

Per-plan tables come straight from the corpus (the map's rows put together);
the others are the reduce: comparisons, similarity, text reuse.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from .memory import return_free_memory

#: Tables that grow with pairs of tasks or plans: the workbook shows their top rows per plan.
DETAIL_TABLES = ("task_similarity", "text_reuse")


def build_tables(corpus, *, progress: Callable[[str, int, int], None] | None = None,
                 **options) -> dict[str, pd.DataFrame]:
    """Every table of ``corpus``, by the name of its CSV file.

    ``options`` are passed on by name: ``k`` (task matches kept per task) to
    the similarity tables, ``min_len`` and ``partners`` to text reuse.
    ``progress(stage, done, total)`` hears of each stage as it starts.
    """
    from .. import schema
    from . import compare, escalation, reuse, similarity

    report = progress or (lambda stage, done, total: None)
    reuse_options = {key: options[key] for key in ("min_len", "partners") if key in options}
    sim_options = {key: options[key] for key in ("k",) if key in options}
    report("tables", 0, 4)
    tables = {
        "plans": corpus.plans,
        "plan_fields": corpus.plan_fields,
        "tasks": corpus.tasks,
        "targets": corpus.targets,
        "pass_rates": compare.pass_rates(corpus),
        "brand_counts": compare.brand_counts(corpus),
        "targets_by_metric": compare.targets_by_metric(corpus),
        "targets_by_deadline": compare.targets_by_deadline(corpus),
        "agencies": corpus.agencies,
        "sectors": corpus.sectors,
        "agency_roles": compare.agency_roles(corpus),
        "agency_network": compare.agency_network(corpus),
        "sector_coverage": compare.sector_coverage(corpus),
        "distinctive_sectors": compare.distinctive_sectors(corpus),
    }
    report("similarity", 1, 4)
    if len(corpus.tasks):
        tables["task_similarity"] = similarity.task_similarity(corpus, **sim_options)
        tables["plan_similarity"] = similarity.plan_similarity(corpus)
        return_free_memory()
        report("text reuse", 2, 4)
        text_reuse = reuse.text_reuse(corpus, **reuse_options)
        tables["text_reuse"] = text_reuse
        tables["reuse_share"] = reuse.reuse_share(corpus, text_reuse)
        return_free_memory()
        report("escalation", 3, 4)
        tables["lineage"] = escalation.lineage(corpus)
        escal = tables["target_escalation"] = escalation.target_escalation(corpus)
        tables["escalation_summary"] = escalation.escalation_summary(corpus, table=escal)
        tables["escalation_by_level"] = escalation.escalation_summary(corpus, by="level", table=escal)
        adoption = tables["task_adoption"] = escalation.task_adoption(corpus, reuse=text_reuse)
        tables["adoption_summary"] = escalation.adoption_summary(corpus, table=adoption)
        tables["diffusion"] = escalation.diffusion(corpus, reuse=text_reuse)
    else:  # an empty corpus: every table with its columns and no rows
        for name in ("task_similarity", "plan_similarity", "text_reuse", "reuse_share", "lineage",
                     "target_escalation", "escalation_summary", "escalation_by_level", "task_adoption",
                     "adoption_summary", "diffusion"):
            tables[name] = schema.frame(name, [])
    tables["warnings"] = corpus.warnings
    return_free_memory()
    report("tables", 4, 4)
    return tables
