"""Writing the tables (CSV) and reading them back with their declared types."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .files import write_bytes_atomic, write_text_atomic

__all__ = ["read_table", "read_tables", "write_bytes_atomic", "write_csv", "write_text_atomic"]


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """CSV in UTF-8 with a BOM, so that Excel shows Chinese; pandas reads it back as is."""
    data = df.to_csv(index=False, lineterminator="\n")
    return write_bytes_atomic(path, data.encode("utf-8-sig"))


def read_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """One table written by ``policycompare run``, read back with its declared column types.

    Examples:
        >>> plans = read_table("data/processed", "plans")  # doctest: +SKIP
    """
    from . import schema

    path = Path(out_dir) / f"{name}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    declared = schema.SCHEMAS.get(name)
    if declared is None:
        return df
    for column, dtype in declared.items():
        if column not in df.columns:
            continue
        values = df[column]
        if dtype == "string":
            df[column] = values.astype("string")
        elif dtype in ("bool", "boolean"):
            mapped = values.map({"True": True, "False": False, "": pd.NA})
            df[column] = mapped.astype("boolean" if dtype == "boolean" or mapped.isna().any() else "bool")
        else:
            df[column] = pd.to_numeric(values.replace("", pd.NA)).astype(dtype)
    return df


def read_tables(out_dir: str | Path = "data/processed") -> dict[str, pd.DataFrame]:
    """Every table of a ``policycompare run`` output folder, by name, with declared column types."""
    from . import schema

    out_dir = Path(out_dir)
    return {name: read_table(out_dir, name) for name in schema.SCHEMAS if (out_dir / f"{name}.csv").is_file()}
