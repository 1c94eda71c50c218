"""A ``<stem>.meta.toml`` sidecar beside a plan file: the fields a researcher sets by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..config import SIDECAR_SUFFIX, read_toml, tomllib
from ..errors import PlanError
from ..rules.gazetteer import LEVELS

#: Fields a sidecar may set.
OVERRIDABLE = (
    "title", "jurisdiction", "level", "province", "issuer", "doc_number",
    "issued_date", "period_start", "period_end", "parent",
)


def read_sidecar(plan_path: str | Path) -> dict[str, object]:
    """Fields of ``<stem>.meta.toml`` beside a plan file ({} if there is none)."""
    plan_path = Path(plan_path)
    sidecar = plan_path.with_name(plan_path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = read_toml(sidecar)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlanError(sidecar, f"invalid TOML in metadata sidecar ({exc})") from exc
    unknown = sorted(set(data) - set(OVERRIDABLE))
    if unknown:
        raise PlanError(sidecar, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(OVERRIDABLE)}")
    if "level" in data and data["level"] not in LEVELS:
        raise PlanError(sidecar, f"level must be one of {', '.join(LEVELS)}, not {data['level']!r}")
    for key in ("period_start", "period_end"):
        if key in data and (not isinstance(data[key], int) or isinstance(data[key], bool)
                            or not SIDECAR_YEARS[0] <= data[key] <= SIDECAR_YEARS[1]):
            raise PlanError(sidecar, f"{key} must be a year between {SIDECAR_YEARS[0]} and {SIDECAR_YEARS[1]}, "
                                     f"not {data[key]!r}")
    if "issued_date" in data:
        data["issued_date"] = _sidecar_date(sidecar, data["issued_date"])
    if "parent" in data and (not isinstance(data["parent"], str) or not data["parent"].strip()):
        raise PlanError(sidecar, "parent must be the plan_id of another plan (a string)")
    for key, value in data.items():
        if key not in ("period_start", "period_end", "issued_date") and not isinstance(value, str):
            raise PlanError(sidecar, f"{key} must be text (in quotes), not {value!r}")
    return data


#: Years a sidecar may give for a plan period.
SIDECAR_YEARS = (1949, 2100)


def _sidecar_date(sidecar: Path, value: object) -> str:
    """A sidecar's issued_date (a TOML date or "YYYY-MM-DD") as an ISO date; a PlanError if it is no real date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise PlanError(sidecar, f"issued_date must be a real date such as 2017-08-24, not {value!r}") from None
