"""Writing outputs: atomically (temporary file, then rename), deterministically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

_UMASK = os.umask(0)
os.umask(_UMASK)
#: Permissions of written files: what ``open()`` would give (mkstemp alone gives 0600).
FILE_MODE = 0o666 & ~_UMASK


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """UTF-8 text, no BOM (character offsets count from the first character)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


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
