"""The Excel workbook: a README sheet and one sheet per table, written with openpyxl.

Header rows are bold and frozen with an autofilter; column widths follow the
content (a CJK character counts double); long text wraps; numbers are stored
as numbers.  A text cell starting with ``=``, ``+``, ``-`` or ``@`` is stored
as text, never as a formula.  The file is byte-identical for the same tables
and build date (zip entries carry a fixed timestamp).
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .export import write_bytes_atomic

MAX_WIDTH = 60
WRAP_OVER = 40
_FORMULA_START = ("=", "+", "-", "@")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def build_date() -> datetime:
    """The build date recorded in the workbook: ``SOURCE_DATE_EPOCH`` if set, else today (UTC, day only)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    today = datetime.now(timezone.utc).date()
    return datetime(today.year, today.month, today.day)


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    longest = max((len(line) + sum(1 for ch in line if ord(ch) > 0x2E80) for line in text.split("\n")), default=0)
    return longest


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    return value


def _write_sheet(ws, df: pd.DataFrame) -> None:
    bold = Font(bold=True)
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = bold
    wrap_cols = set()
    widths = [_display_width(c) for c in df.columns]
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for c, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = value
                if value.startswith(_FORMULA_START):
                    cell.data_type = "s"  # text, never a formula
            else:
                cell.value = value
            width = _display_width(value)
            widths[c - 1] = max(widths[c - 1], min(width, MAX_WIDTH))
            if width > WRAP_OVER:
                wrap_cols.add(c)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(width + 2, MAX_WIDTH))
    wrap = Alignment(wrap_text=True, vertical="top")
    for c in sorted(wrap_cols):
        for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
            cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(df.columns), 1))}{max(len(df) + 1, 1)}"


def workbook_bytes(tables: dict[str, pd.DataFrame], descriptions: dict[str, str], sources: pd.DataFrame,
                   version: str) -> bytes:
    """The workbook as bytes: README sheet first, then one sheet per table in the given order."""
    built = build_date()
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    bold = Font(bold=True)
    lines = [
        ("policycompare workbook", ""),
        ("built", built.strftime("%Y-%m-%d")),
        ("policycompare version", version),
        ("plans", str(len(sources))),
        ("", ""),
        ("sheet", "what it holds"),
    ]
    lines += [(name, descriptions.get(name, "")) for name in tables]
    lines += [("", ""), ("source file", "sha256")]
    lines += [(row.source_file, row.sha256) for row in sources.itertuples()]
    for key, value in lines:
        readme.append([key, value])
    for row in readme.iter_rows():
        if row[0].value in ("policycompare workbook", "sheet", "source file"):
            for cell in row:
                cell.font = bold
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100
    for name, df in tables.items():
        _write_sheet(wb.create_sheet(title=name[:31]), df)
    wb.properties.creator = "policycompare"
    wb.properties.created = built
    wb.properties.modified = built
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip_times(buf.getvalue(), built)


def _fix_zip_times(data: bytes, built: datetime) -> bytes:
    """Same content, fixed zip timestamps and core-property dates: byte-identical reruns."""
    stamp = built.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                                 lambda m: m.group(1) + stamp.encode() + m.group(2), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def write_workbook(path: str | Path, tables: dict[str, pd.DataFrame], descriptions: dict[str, str],
                   sources: pd.DataFrame, version: str) -> Path:
    """Write the workbook atomically to ``path``."""
    return write_bytes_atomic(path, workbook_bytes(tables, descriptions, sources, version))
