"""The tables a figure draws, whatever it was given: a corpus, the dict of a run's tables, or one table.

Every figure function takes ``source``: a :class:`~policycompare.corpus.Corpus`
(its tables are computed when needed, or taken from ``corpus.tables()`` when a
run built them already), the dict of tables ``policycompare run`` built (by the
name of their CSV file: ``plans``, ``pass_rates``, ``agencies`` …), or the one
DataFrame the figure draws (with ``plans=`` for the labels).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..analyze import compare, escalation, similarity


def _escalation(name: str):
    return lambda corpus: getattr(escalation, name)(corpus)


#: Tables a figure may draw -> how to compute one from a corpus (when no run built it).
COMPUTE = {
    "plans": lambda corpus: corpus.plans,
    "agencies": lambda corpus: corpus.agencies,
    "targets": lambda corpus: corpus.targets,
    "pass_rates": compare.pass_rates,
    "brand_counts": compare.brand_counts,
    "agency_roles": compare.agency_roles,
    "agency_network": compare.agency_network,
    "sector_coverage": compare.sector_coverage,
    "plan_similarity": similarity.plan_similarity,
    "lineage": _escalation("lineage"),
    "target_escalation": _escalation("target_escalation"),
    "adoption_summary": _escalation("adoption_summary"),
    "diffusion": _escalation("diffusion"),
}


class FigureTables(Mapping):
    """The tables of a figure's ``source`` by name, each computed at most once (see the module's doc)."""

    def __init__(self, source, *, main: str | None = None, plans: pd.DataFrame | None = None) -> None:
        self._corpus = None
        self._tables: dict[str, pd.DataFrame] = {}
        if isinstance(source, FigureTables):
            self._corpus, self._tables = source._corpus, source._tables
        elif isinstance(source, pd.DataFrame):
            if main is None:
                raise TypeError("this figure takes a corpus or the dict of a run's tables, not one DataFrame")
            self._tables = {main: source}
            self._tables["plans"] = plans if plans is not None else _plans_of(source)
        elif isinstance(source, Mapping):
            self._tables = dict(source)
        else:
            self._corpus = source
            built = getattr(source, "built_tables", None)
            self._tables = dict((built() if built else None) or {})
        if plans is not None:
            self._tables["plans"] = plans

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            if self._corpus is None or name not in COMPUTE:
                raise KeyError(f"table {name!r} is needed for this figure and was not given "
                               f"(pass a corpus, or the dict of tables a run builds)")
            self._tables[name] = COMPUTE[name](self._corpus)
        return self._tables[name]

    def __iter__(self):
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __contains__(self, name) -> bool:
        return name in self._tables or (self._corpus is not None and name in COMPUTE)


def figure_tables(source, *, main: str | None = None, plans: pd.DataFrame | None = None) -> FigureTables:
    """:class:`FigureTables` of ``source`` (``main``: the table a lone DataFrame stands for)."""
    return FigureTables(source, main=main, plans=plans)


def _plans_of(table: pd.DataFrame) -> pd.DataFrame:
    """A plans table with what a figure's labels need, from a table that has a plan_id (and maybe more)."""
    ids = list(dict.fromkeys(table["plan_id"])) if "plan_id" in table else []
    first = table.drop_duplicates("plan_id").set_index("plan_id") if ids else pd.DataFrame()

    def column(name: str, default):
        return [first.at[p, name] if name in first else default for p in ids]

    return pd.DataFrame({"plan_id": ids, "jurisdiction": column("jurisdiction", ""), "level": column("level", ""),
                         "province": [""] * len(ids), "issued_date": [""] * len(ids),
                         "period_start": pd.array([pd.NA] * len(ids), dtype="Int64")})


def target_levels(tables: FigureTables, *, metric: str = "pass_rate", domain: str | None = None,
                  subject: str | None = "consumer_goods") -> pd.DataFrame:
    """:func:`policycompare.analyze.escalation.target_levels` from the tables ``targets``, ``plans``,
    ``lineage`` and ``target_escalation`` (the same rows, in the same order)."""
    return escalation.target_levels_of(tables["targets"], tables["plans"], tables["lineage"],
                                       tables["target_escalation"], metric=metric, domain=domain, subject=subject)
