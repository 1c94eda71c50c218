"""Plans and the corpus: runs the stages for each file and builds the tables."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import schema
from .config import IGNORED_SUFFIXES, PLAN_SUFFIXES, SIDECAR_SUFFIX
from .doubts import doubts
from .errors import PlanError
from .ingest import RawText, read_text
from .metadata import extract_metadata, read_sidecar
from .normalize import Normalized, normalize_text
from .structure import Structure, parse_structure


@dataclass
class Plan:
    """One plan: its normalized text, metadata and structure."""

    plan_id: str
    path: Path
    sha256: str
    raw: RawText
    normalized: Normalized
    metadata: dict[str, object]
    structure: Structure
    overridden: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The normalized text; every character offset refers to it."""
        return self.normalized.text

    @property
    def tasks(self) -> pd.DataFrame:
        return schema.frame("tasks", self.structure.tasks)

    def plan_row(self) -> dict[str, object]:
        parts = Counter(task["part"] for task in self.structure.tasks)
        row: dict[str, object] = {
            "plan_id": self.plan_id,
            "source_file": self.path.name,
            "sha256": self.sha256,
            **self.metadata,
            "n_tasks": len(self.structure.tasks),
            "n_sections": len(self.structure.sections),
            "n_chars": len(self.text),
            "encoding": self.raw.encoding,
            "t2s_changed": self.normalized.stats["t2s_changed"],
            "glosses_removed": self.normalized.stats["glosses_removed"],
            "noise_lines": self.normalized.stats["noise_lines"],
            "overridden": ",".join(self.overridden),
        }
        for part, column in schema.PART_COUNT_COLUMNS.items():
            row[column] = parts.get(part, 0)
        return row


def read_plan(path: str | Path) -> Plan:
    """Read, normalize and structure one plan file.

    Raises :class:`~policycompare.errors.PlanError` (naming the file) when the
    file cannot be used.
    """
    path = Path(path)
    raw = read_text(path)
    normalized = normalize_text(raw.text)
    plan_id = path.stem
    warnings = list(raw.warnings)
    if normalized.stats["mojibake_removed"]:
        warnings.append(f"removed {normalized.stats['mojibake_removed']} mojibake fragment(s) ('?' in place of characters)")
    if normalized.stats["t2s_changed"] < 0:
        warnings.append("traditional -> simplified conversion changed the text length; offsets are still exact")
    metadata = extract_metadata(normalized.text, normalized.portal_fields)
    sidecar = read_sidecar(path)
    metadata.update(sidecar)
    for key in ("title", "jurisdiction", "level", "issued_date"):
        if not metadata.get(key):
            warnings.append(f"could not find the plan's {key}; set it in {path.stem}{SIDECAR_SUFFIX}")
    structure = parse_structure(plan_id, normalized.text)
    if not structure.tasks:
        raise PlanError(path, "no structure found: no numbered headings, paragraphs or tables to take tasks from")
    warnings.extend(structure.warnings)
    warnings.extend(doubts(normalized.text, metadata, structure.tasks, fields=False))
    return Plan(
        plan_id=plan_id,
        path=path,
        sha256=raw.sha256,
        raw=raw,
        normalized=normalized,
        metadata=metadata,
        structure=structure,
        overridden=tuple(sorted(sidecar)),
        warnings=warnings,
    )


def plan_files(raw_dir: str | Path) -> tuple[list[Path], list[Path]]:
    """Plan files in ``raw_dir`` (sorted) and files there of a type that cannot be read."""
    plans, unsupported = [], []
    for path in sorted(Path(raw_dir).iterdir()):
        name = path.name
        if path.is_dir() or name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
            continue
        if path.suffix.lower() in PLAN_SUFFIXES:
            plans.append(path)
        elif path.suffix.lower() not in IGNORED_SUFFIXES:
            unsupported.append(path)
    return plans, unsupported


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

    def __init__(self, plans: Iterable[Plan], errors: Iterable[PlanError] = ()) -> None:
        self._plans = {plan.plan_id: plan for plan in sorted(plans, key=lambda p: p.plan_id)}
        self.errors = list(errors)
        self._tables: dict[str, pd.DataFrame] | None = None

    def __repr__(self) -> str:
        return f"<Corpus: {len(self._plans)} plans, {len(self.tasks)} tasks, {len(self.errors)} errors>"

    def __len__(self) -> int:
        return len(self._plans)

    def __iter__(self):
        return iter(self._plans.values())

    def __getitem__(self, plan_id: str) -> Plan:
        return self._plans[plan_id]

    @property
    def plan_ids(self) -> list[str]:
        return list(self._plans)

    def text(self, plan_id: str) -> str:
        """Normalized text of one plan."""
        return self._plans[plan_id].text

    @cached_property
    def plans(self) -> pd.DataFrame:
        return schema.frame("plans", [plan.plan_row() for plan in self])

    @cached_property
    def tasks(self) -> pd.DataFrame:
        return schema.frame("tasks", [task for plan in self for task in plan.structure.tasks])

    @cached_property
    def task_tokens(self) -> list[list[str]]:
        """Word tokens of every task (``similarity.task_tokens``), aligned with the rows of :attr:`tasks`."""
        from .similarity import task_tokens

        return [task_tokens(text) for text in self.tasks["text"]]

    @cached_property
    def targets(self) -> pd.DataFrame:
        from .extract.targets import extract_targets

        rows = []
        for plan in self:
            end = plan.metadata.get("period_end")
            rows += extract_targets(plan.plan_id, plan.text, plan.structure.tasks, int(end) if end else None)
        return schema.frame("targets", rows)

    @cached_property
    def _agencies(self) -> tuple[pd.DataFrame, dict[str, list[str]]]:
        from .extract.agencies import extract_agencies

        rows, unknown = [], {}
        for plan in self:
            found, names = extract_agencies(plan.plan_id, plan.text, plan.structure.tasks)
            rows += found
            unknown[plan.plan_id] = names
        return schema.frame("agencies", rows), unknown

    @property
    def agencies(self) -> pd.DataFrame:
        return self._agencies[0]

    @cached_property
    def sectors(self) -> pd.DataFrame:
        from .extract.sectors import extract_sectors

        rows = []
        for plan in self:
            rows += extract_sectors(plan.plan_id, plan.text, plan.structure.tasks)
        return schema.frame("sectors", rows)

    @cached_property
    def warnings(self) -> pd.DataFrame:
        rows = [
            {"source_file": err.path.name, "plan_id": err.path.stem, "severity": "error", "message": err.reason}
            for err in self.errors
        ]
        rows += [
            {"source_file": plan.path.name, "plan_id": plan.plan_id, "severity": "warning", "message": message}
            for plan in self for message in plan.warnings
        ]
        unknown = self._agencies[1]
        rows += [
            {"source_file": plan.path.name, "plan_id": plan.plan_id, "severity": "warning",
             "message": "agency names not in the agency table (policycompare/data/agencies.csv): " + "、".join(unknown[plan.plan_id])}
            for plan in self if unknown[plan.plan_id]
        ]
        return schema.frame("warnings", rows)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by the name of its CSV file (computed once per corpus)."""
        if self._tables is None:
            self._tables = self._build_tables()
        return dict(self._tables)

    def _build_tables(self) -> dict[str, pd.DataFrame]:
        from . import compare, reuse, similarity

        text_reuse = reuse.text_reuse(self)
        return {
            "plans": self.plans,
            "tasks": self.tasks,
            "targets": self.targets,
            "pass_rates": compare.pass_rates(self),
            "brand_counts": compare.brand_counts(self),
            "targets_by_metric": compare.targets_by_metric(self),
            "agencies": self.agencies,
            "sectors": self.sectors,
            "agency_roles": compare.agency_roles(self),
            "agency_network": compare.agency_network(self),
            "sector_coverage": compare.sector_coverage(self),
            "task_similarity": similarity.task_similarity(self),
            "plan_similarity": similarity.plan_similarity(self),
            "text_reuse": text_reuse,
            "reuse_share": reuse.reuse_share(self, text_reuse),
            "warnings": self.warnings,
        }


def load_corpus(raw_dir: str | Path = "data/raw", *, progress: Callable[[Path], None] | None = None) -> Corpus:
    """Read every plan in ``raw_dir``.

    A file that cannot be used is reported in ``corpus.errors`` and
    ``corpus.warnings`` and the other plans still go through.

    Examples:
        >>> corpus = load_corpus("data/raw")  # doctest: +SKIP
        >>> corpus.plans[["plan_id", "level"]]  # doctest: +SKIP
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    files, unsupported = plan_files(raw_dir)
    errors = [PlanError(p, f"unsupported file type '{p.suffix}'; use .txt, .html or .docx") for p in unsupported]
    plans: list[Plan] = []
    seen: dict[str, Path] = {}
    for path in files:
        if progress:
            progress(path)
        if path.stem in seen:
            errors.append(PlanError(path, f"plan_id '{path.stem}' is already taken by {seen[path.stem].name}; rename one file"))
            continue
        try:
            plan = read_plan(path)
        except PlanError as err:
            errors.append(err)
            continue
        seen[path.stem] = path
        plans.append(plan)
    return Corpus(plans, errors)
