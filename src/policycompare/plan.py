"""The map: one plan file -> one :class:`Plan`, every per-plan table already extracted.

:func:`read_plan` runs every stage that needs only the one file (ingest ->
normalize -> metadata -> structure -> targets, agencies, sectors -> similarity
tokens).  It reads no other plan and keeps no state, so the same function runs
in this process, in a process pool or on a Dask worker, and its result is plain
data: :meth:`Plan.to_dict` is JSON (the cache stores it), :meth:`Plan.from_dict`
gives the identical plan back.  Corpus-level work (TF-IDF, similarity, text
reuse, comparisons) happens afterwards on the collected plans.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, fields
from html import escape
from pathlib import Path
from sys import intern

import pandas as pd

from . import schema
from .config import MAX_FILE_BYTES, MAX_TEXT_CHARS, SIDECAR_SUFFIX
from .errors import PlanError, display_name
from .ingest.files import file_kind, is_regular, plan_id_of
from .parse.structure import Structure

#: Bump when the layout of :meth:`Plan.to_dict` changes (cached plans of another layout are rebuilt).
FORMAT = 2


@dataclass
class Plan:
    """One plan: its normalized text, metadata, structure and extracted rows.

    Every character offset of every row refers to :attr:`text`.
    """

    plan_id: str
    path: Path
    sha256: str
    text: str
    encoding: str
    kind: str
    stats: dict[str, int]
    metadata: dict[str, object]
    structure: Structure
    overridden: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    target_rows: list[dict] = field(default_factory=list)
    agency_rows: list[dict] = field(default_factory=list)
    unknown_agencies: list[str] = field(default_factory=list)
    sector_rows: list[dict] = field(default_factory=list)
    #: rows of the ``plan_fields`` table: where each metadata field came from (``metadata.field_rows``)
    field_rows: list[dict] = field(default_factory=list)
    #: word tokens of each task (``parse.tokens.task_tokens``), aligned with ``structure.tasks``
    task_tokens: list[list[str]] = field(default_factory=list)
    #: English names made where the plan was parsed (jieba and pypinyin are loaded there, so the reduce
    #: never loads them): the jurisdiction's (name -> English) and each canonical agency's
    jurisdictions_en: dict[str, str] = field(default_factory=dict)
    agencies_en: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        title = str(self.metadata.get("title") or "")
        title = title if len(title) <= 30 else title[:29] + "…"
        return (f"<Plan {self.plan_id}: {self.metadata.get('jurisdiction') or '?'} "
                f"({self.metadata.get('level') or '?'}), {len(self.structure.tasks)} tasks, "
                f"{len(self.target_rows)} targets, {len(self.warnings)} warnings — {title}>")

    def _repr_html_(self) -> str:
        """Jupyter: the plan's metadata, counts and warnings (not its text)."""
        meta = self.metadata
        period = "–".join(str(meta[k]) for k in ("period_start", "period_end") if meta.get(k))
        fields = [("plan_id", self.plan_id), ("title", meta.get("title")), ("jurisdiction", meta.get("jurisdiction")),
                  ("level", meta.get("level")), ("province", meta.get("province")), ("issuer", meta.get("issuer")),
                  ("doc_number", meta.get("doc_number")), ("issued_date", meta.get("issued_date")), ("period", period),
                  ("file", self.path.name)]
        counts = [("tasks", len(self.structure.tasks)), ("sections", len(self.structure.sections)),
                  ("targets", len(self.target_rows)), ("agencies named", len(self.agency_rows)),
                  ("sector mentions", len(self.sector_rows)), ("characters", len(self.text))]
        rows = "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td style='text-align:left'>{escape(str(v or ''))}</td></tr>"
                       for k, v in fields)
        rows += "<tr><th style='text-align:left'>counts</th><td style='text-align:left'>" + escape(
            ", ".join(f"{n:,} {k}" for k, n in counts)) + "</td></tr>"
        html = f"<div><strong>Plan {escape(self.plan_id)}</strong><table>{rows}</table>"
        if self.warnings:
            items = "".join(f"<li>{escape(w)}</li>" for w in self.warnings[:10])
            more = f"<li>… {len(self.warnings) - 10} more</li>" if len(self.warnings) > 10 else ""
            html += f"<details><summary>{len(self.warnings)} warning(s)</summary><ul>{items}{more}</ul></details>"
        else:
            html += "<div>no warnings</div>"
        return html + "</div>"

    @property
    def tasks(self) -> pd.DataFrame:
        return schema.frame("tasks", self.structure.tasks)

    @property
    def targets(self) -> pd.DataFrame:
        return schema.frame("targets", self.target_rows)

    @property
    def agencies(self) -> pd.DataFrame:
        return with_agency_en(schema.frame("agencies", self.agency_rows), self.agencies_en)

    @property
    def sectors(self) -> pd.DataFrame:
        return schema.frame("sectors", self.sector_rows)

    @property
    def plan_fields(self) -> pd.DataFrame:
        return schema.frame("plan_fields", self.field_rows)

    def plan_row(self) -> dict[str, object]:
        """The plan's row of the ``plans`` table."""
        parts = Counter(task["part"] for task in self.structure.tasks)
        row: dict[str, object] = {
            "plan_id": self.plan_id,
            "source_file": display_name(self.path),
            "sha256": self.sha256,
            **self.metadata,
            "jurisdiction_en": self.english_jurisdiction(),
            "n_tasks": len(self.structure.tasks),
            "n_sections": len(self.structure.sections),
            "n_chars": len(self.text),
            "encoding": self.encoding,
            "t2s_changed": self.stats["t2s_changed"],
            "glosses_removed": self.stats["glosses_removed"],
            "noise_lines": self.stats["noise_lines"],
            "overridden": ",".join(self.overridden),
        }
        for part, column in schema.PART_COUNT_COLUMNS.items():
            row[column] = parts.get(part, 0)
        # in the order of plans.csv, whatever order the metadata came in (a cached plan's is sorted by name)
        order = schema.SCHEMAS["plans"]
        return {**{column: row[column] for column in order if column in row},
                **{column: value for column, value in row.items() if column not in order}}

    def english_jurisdiction(self) -> str:
        """The English name of the plan's jurisdiction (as made when it was parsed, else made now)."""
        name = str(self.metadata.get("jurisdiction") or "")
        return self.jurisdictions_en[name] if name in self.jurisdictions_en else jurisdiction_en(name)

    def to_dict(self) -> dict:
        """Plain JSON-able data (paths as strings, tuples as lists)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["path"] = str(self.path)
        out["overridden"] = list(self.overridden)
        out["structure"] = {"sections": self.structure.sections, "tasks": self.structure.tasks,
                            "warnings": self.structure.warnings}
        out["format"] = FORMAT
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        """The plan :meth:`to_dict` was made from (its rows kept, their short strings interned: :func:`_share`)."""
        data = dict(data)
        if data.pop("format", None) != FORMAT:
            raise ValueError("cached plan of another format")
        data["path"] = Path(data["path"])
        data["overridden"] = tuple(data["overridden"])
        data["structure"] = Structure(**data["structure"])
        for rows in (data["structure"].tasks, data.get("target_rows", ()), data.get("agency_rows", ()),
                     data.get("sector_rows", ()), data.get("field_rows", ())):
            for row in rows:
                _share(row)
        data["task_tokens"] = [list(map(intern, tokens)) for tokens in data.get("task_tokens", ())]
        return cls(**data)


#: Strings of a row at most this long are shared between plans (:func:`sys.intern`).
SHARED_CHARS = 64


def _share(row: dict) -> None:
    """Intern the short string values of ``row`` (in place): one object per distinct string.

    JSON gives every occurrence its own string, and a corpus repeats the same few thousand words,
    plan ids, roles and categories millions of times (at 1,000 plans the task tokens alone held
    about 1.9 million strings, 6,000 of them distinct).
    """
    for key, value in row.items():
        if type(value) is str and len(value) <= SHARED_CHARS:
            row[key] = intern(value)


def jurisdiction_en(name: str) -> str:
    # English names (jieba, the agency table, pypinyin) load only where they are made
    from .english import jurisdiction_en as english

    return english(name)


def with_agency_en(agencies: pd.DataFrame, known: dict[str, str] | None = None) -> pd.DataFrame:
    """The agencies table with ``agency_canonical_en`` filled from ``data/agencies.csv`` (:func:`agency_en`):
    from ``known`` (canonical -> English, as :func:`read_plan` made them) where it has the name."""
    if len(agencies):
        known = known or {}
        names = agencies["agency_canonical"].astype(str)
        english = {n: known[n] if n in known else agency_en(n) for n in names.unique()}
        agencies["agency_canonical_en"] = names.map(english).astype("string")
    return agencies


def agency_en(name: str) -> str:
    # English names (jieba, the agency table, pypinyin) load only where they are made
    from .english import agency_en as english

    return english(name)


def read_plan(path: str | Path) -> Plan:
    """Read one plan file and extract everything that needs only this file.

    Raises :class:`~policycompare.errors.PlanError` (naming the file) when the
    file cannot be used.

    Examples:
        >>> plan = read_plan("data/raw/lingwu_2017.txt")
        >>> plan.metadata["jurisdiction"], plan.metadata["level"]
        ('灵武市', 'county')
    """
    # the parsers (jieba, cn2an, OpenCC) load when a file is read, not when a cached Plan is
    from .extract.agencies import extract_agencies
    from .extract.sectors import extract_sectors
    from .extract.targets import extract_targets
    from .ingest.text import read_text
    from .parse.doubts import doubts, source_doubts
    from .parse.metadata import field_rows, read_metadata
    from .parse.normalize import normalize_text
    from .parse.sidecar import read_sidecar
    from .parse.structure import parse_structure
    from .parse.tokens import task_tokens

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not is_regular(path):  # a named pipe would block for ever, a link to /dev/zero never end
        raise PlanError(path, f"is {file_kind(path)}, not a regular file: only regular files are read")
    if size > MAX_FILE_BYTES:
        raise PlanError(path, f"file of {size / 1e6:.0f} MB is larger than the limit of {MAX_FILE_BYTES / 1e6:.0f} MB "
                              "(policycompare.config.MAX_FILE_BYTES); split it or raise the limit")
    raw = read_text(path)
    if len(raw.text) > MAX_TEXT_CHARS:
        raise PlanError(path, f"text of {len(raw.text):,} characters is longer than the limit of {MAX_TEXT_CHARS:,} "
                              "(policycompare.config.MAX_TEXT_CHARS; a plan is rarely over 100,000); "
                              "split the file or raise the limit")
    normalized = normalize_text(raw.text)
    plan_id = plan_id_of(path)
    text = normalized.text
    warnings = [w.removeprefix(f"{path.name}: ") for w in raw.warnings]  # the table names the file
    if display_name(path) != path.name:
        warnings.append(f"the file name is not UTF-8: read as GB18030 ({display_name(path)}); rename the file "
                        "to keep it the same everywhere")
    if plan_id != Path(display_name(path)).stem:
        warnings.append(f"the file name is too long for the files named after the plan: plan_id '{plan_id}'")
    if normalized.stats["mojibake_removed"]:
        warnings.append(f"removed {normalized.stats['mojibake_removed']} mojibake fragment(s) ('?' in place of characters)")
    if normalized.stats["t2s_changed"] < 0:
        warnings.append("traditional -> simplified conversion changed the text length; offsets are still exact")
    metadata, sources = read_metadata(text, normalized.portal_fields)
    sidecar_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    try:
        if not os.path.lexists(sidecar_path):  # also when the plan's name leaves no room for ".meta.toml"
            sidecar = {}
        elif not is_regular(sidecar_path):  # a folder, a pipe: never opened
            raise PlanError(sidecar_path, f"is {file_kind(sidecar_path)}, not a file")
        else:
            sidecar = read_sidecar(path)
    except PlanError as err:  # a bad sidecar never drops its plan: read it without the overrides
        sidecar = {}
        warnings.append(f"sidecar {display_name(err.path)} not used: {err.reason}")
    except OSError as exc:
        sidecar = {}
        warnings.append(f"sidecar {display_name(sidecar_path)} not used: cannot read it ({exc.strerror or exc})")
    metadata.update(sidecar)
    for key in ("title", "jurisdiction", "level", "issued_date"):
        if not metadata.get(key):
            warnings.append(f"could not find the plan's {key}; set it in {path.stem}{SIDECAR_SUFFIX}")
    structure = parse_structure(plan_id, text)
    if not structure.tasks:
        raise PlanError(path, "no structure found: no numbered headings, paragraphs or tables to take tasks from")
    warnings.extend(structure.warnings)
    warnings.extend(doubts(text, metadata, structure.tasks, fields=False))
    warnings.extend(source_doubts({k: v for k, v in sources.items() if k not in sidecar}))
    tasks = structure.tasks
    end = metadata.get("period_end")
    agencies, unknown = extract_agencies(plan_id, text, tasks)
    if unknown:
        warnings.append("agency names not in the agency table (policycompare/data/agencies.csv): " + "、".join(unknown))
    jurisdiction = str(metadata.get("jurisdiction") or "")
    return Plan(
        plan_id=plan_id,
        path=path,
        sha256=raw.sha256,
        text=text,
        encoding=raw.encoding,
        kind=raw.kind,
        stats=dict(normalized.stats),
        metadata=metadata,
        structure=structure,
        overridden=tuple(sorted(sidecar)),
        warnings=warnings,
        target_rows=extract_targets(plan_id, text, tasks, int(end) if end else None),
        agency_rows=agencies,
        unknown_agencies=unknown,
        sector_rows=extract_sectors(plan_id, text, tasks),
        field_rows=field_rows(plan_id, text, metadata, sources, sidecar),
        task_tokens=[task_tokens(task["text"]) for task in tasks],
        jurisdictions_en={jurisdiction: jurisdiction_en(jurisdiction)},
        agencies_en={name: agency_en(name) for name in sorted({str(row["agency_canonical"]) for row in agencies})},
    )


def process_file(path: str) -> dict:
    """The map's unit of work for a pool or a Dask worker: a path in, plain data out.

    Returns ``{"plan": Plan.to_dict()}`` or ``{"error": reason}`` for a file
    that cannot be used; never raises a :class:`PlanError`.
    """
    try:
        return {"plan": read_plan(path).to_dict()}
    except PlanError as err:
        return {"error": err.reason}
    except Exception as err:  # noqa: BLE001 - one odd file never takes the run down: its message
        return {"error": f"could not be read ({type(err).__name__}: {str(err)[:200] or 'no message'}); "
                         "please report this file"}
