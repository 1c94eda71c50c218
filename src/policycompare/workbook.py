"""The Excel workbook: a README sheet and one sheet per table, written with openpyxl.

Header rows are bold and frozen with an autofilter; column widths follow the
content (a CJK character counts double); long text wraps; numbers are stored
as numbers, dates as Excel dates, shares as percentages.  Every text cell
(tables, README, Codebook) is stored as text, never as a formula, so a file
named ``=1+1_2017.txt`` stays a name.  A text longer than an Excel cell
(32,767 characters) is cut with a visible note naming the CSV file that holds
it whole, and the README sheet says how many cells were cut.  A Codebook
sheet lists every column of every sheet with its meaning (``schema.COLUMNS``).
The file is byte-identical for the same tables and build date (zip entries
carry a fixed timestamp).
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
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .export import write_bytes_atomic

MAX_WIDTH = 60
#: Characters an Excel cell holds.
MAX_CELL = 32_767
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


#: Data rows that fit on a sheet (Excel's limit minus the header row).
MAX_ROWS = 1_048_575


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return max((len(line) + sum(1 for ch in line if ord(ch) > 0x2E80) for line in text.split("\n")), default=0)


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        value = value.item()
    return value


def _column_widths(df: pd.DataFrame, sample: int = 2000) -> list[int]:
    """Display width per column from the header and the first ``sample`` rows."""
    head = df.head(sample)
    return [max([_display_width(c)] + [_display_width(v) for v in head[c].tolist()]) for c in df.columns]


def _cut(value: str, csv_name: str) -> str:
    """A text too long for an Excel cell, cut with a note saying so and where the whole text is."""
    note = f" … [cut: {len(value):,} characters, the whole text is in {csv_name}]"
    return value[: MAX_CELL - len(note)] + note


def _as_date(value: object) -> object:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return value
    return value


def _too_long(df: pd.DataFrame) -> int:
    """Number of text cells longer than an Excel cell."""
    n = 0
    for column in df.columns:
        if not pd.api.types.is_numeric_dtype(df[column]) and not pd.api.types.is_bool_dtype(df[column]):
            n += int((df[column].astype("string").str.len() > MAX_CELL).sum())
    return n


def _write_sheet(ws, df: pd.DataFrame, name: str = "") -> int:
    """One table on a write-only sheet (fast and lean for long tables); returns the number of cells cut."""
    from . import schema

    dates = set(schema.DATE_COLUMNS.get(name, ()))
    percents = set(schema.PERCENT_COLUMNS.get(name, ()))
    csv_name = f"{name}.csv" if name else "the CSV file"
    cut = 0
    widths = _column_widths(df)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(width + 2, MAX_WIDTH))
    ws.freeze_panes = "A2"
    last_col = get_column_letter(max(len(df.columns), 1))
    ws.auto_filter.ref = f"A1:{last_col}{len(df) + 1}"
    bold = Font(bold=True)
    header = []
    for name in df.columns:
        cell = WriteOnlyCell(ws, value=str(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    wrap_cols = {i for i, w in enumerate(widths) if w > WRAP_OVER}

    def text_cell(value: str, wrapped: bool):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # text, never a formula
        if wrapped:
            cell.alignment = wrap
        return cell

    def styled_cell(value, number_format: str):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = number_format
        return cell

    columns = []
    for i, column in enumerate(df.columns):
        values = [_cell_value(v) for v in df[column].tolist()]
        if column in dates:
            values = [styled_cell(d, "yyyy-mm-dd") if isinstance(d := _as_date(v), datetime) else v for v in values]
        elif column in percents and pd.api.types.is_numeric_dtype(df[column]):
            values = [styled_cell(v, "0.0%") if v is not None else v for v in values]
        if not pd.api.types.is_numeric_dtype(df[column]) and not pd.api.types.is_bool_dtype(df[column]):
            long = [j for j, v in enumerate(values) if isinstance(v, str) and len(v) > MAX_CELL]
            for j in long:
                values[j] = _cut(values[j], csv_name)
            cut += len(long)
            # a cell object only where a string needs wrapping or protection from being a formula
            wrapped = i in wrap_cols
            values = [text_cell(v, wrapped) if isinstance(v, str) and (wrapped or v.startswith(_FORMULA_START))
                      else v for v in values]
        columns.append(values)
    for row in zip(*columns):
        ws.append(row)
    return cut


#: Detail tables (pairs of tasks, shared passages) keep this many rows per plan in the workbook.
DETAIL_ROWS_PER_PLAN = 20
#: Detail table -> (plan column, sort columns, ascending): which rows of each plan come first.
DETAIL_ORDER = {
    "task_similarity": ("plan_a", ["plan_a", "score", "task_a", "task_b"], [True, False, True, True]),
    "text_reuse": ("plan_a", ["plan_a", "length", "plan_b", "a_start"], [True, False, True, True]),
}


def detail_rows(name: str, df: pd.DataFrame, per_plan: int = DETAIL_ROWS_PER_PLAN) -> pd.DataFrame:
    """The first ``per_plan`` rows per plan of a detail table (best score or longest passage first)."""
    plan_column, by, ascending = DETAIL_ORDER[name]
    ranked = df.sort_values(by, ascending=ascending, kind="stable")
    return ranked.groupby(plan_column, sort=False).head(per_plan).reset_index(drop=True)


def workbook_bytes(tables: dict[str, pd.DataFrame], descriptions: dict[str, str], sources: pd.DataFrame,
                   version: str) -> bytes:
    """The workbook as bytes: README sheet first, then one sheet per table in the given order.

    The detail tables (``task_similarity``, ``text_reuse``) hold their first
    rows per plan; a table longer than an Excel sheet keeps its first rows;
    the README sheet says so for each (the CSV file has every row).
    """
    sheets = {}
    notes = {}
    for name, df in tables.items():
        if name in DETAIL_ORDER and len(df):
            shown = detail_rows(name, df)
            if len(shown) < len(df):
                notes[name] = (f" [the first {DETAIL_ROWS_PER_PLAN} rows per plan, {len(shown):,} of {len(df):,};"
                               f" every row is in {name}.csv]")
            df = shown
        if len(df) > MAX_ROWS:
            notes[name] = f" [first {MAX_ROWS:,} of {len(df):,} rows; every row is in {name}.csv]"
            df = df.head(MAX_ROWS)
        sheets[name] = df
    built = build_date()
    wb = Workbook(write_only=True)
    readme = wb.create_sheet("README")
    bold = Font(bold=True)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100

    def text(ws, value, font=None):
        """A text cell: never a formula, whatever the text starts with (a file named =1+1_2017.txt)."""
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(ws, value=value if len(value) <= MAX_CELL else _cut(value, "the CSV file"))
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    def heading(*values: str) -> list:
        return [text(readme, value, bold) for value in values]

    for name, df in sheets.items():
        n = _too_long(df)
        if n:
            notes[name] = notes.get(name, "") + (f" [{n:,} cell(s) longer than Excel's {MAX_CELL:,} characters cut,"
                                                 f" marked 'cut'; whole in {name}.csv]")
    readme.append(heading("policycompare workbook", ""))
    readme.append([text(readme, "built"), text(readme, built.strftime("%Y-%m-%d"))])
    readme.append([text(readme, "policycompare version"), text(readme, version)])
    readme.append([text(readme, "plans"), len(sources)])
    readme.append([text(readme, "long texts"), text(readme, f"a text longer than an Excel cell ({MAX_CELL:,} characters) "
                                                          "is cut with a note; the CSV files hold every text whole")])
    readme.append([text(readme, "Codebook"), text(readme, "the Codebook sheet lists every column of every sheet with its meaning")])
    readme.append([])
    readme.append(heading("sheet", "what it holds"))
    for name in sheets:
        readme.append([text(readme, name), text(readme, descriptions.get(name, "") + notes.get(name, ""))])
    readme.append([])
    readme.append(heading("source file", "sha256"))
    for row in sources.itertuples():
        readme.append([text(readme, str(row.source_file)), text(readme, str(row.sha256))])
    _write_codebook(wb.create_sheet("Codebook"), sheets, text, bold)
    for name, df in sheets.items():
        _write_sheet(wb.create_sheet(title=name[:31]), df, name)
    wb.properties.creator = "policycompare"
    wb.properties.created = built
    wb.properties.modified = built
    buf = io.BytesIO()
    wb.save(buf)
    return _fix_zip_times(buf.getvalue(), built)


def _write_codebook(ws, sheets: dict[str, pd.DataFrame], text, bold) -> None:
    """One row per column of every table sheet: sheet, column, type, meaning."""
    from . import schema

    for letter, width in zip("ABCD", (20, 24, 10, 90)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.append([text(ws, h, bold) for h in ("sheet", "column", "type", "meaning")])
    for name, df in sheets.items():
        declared = schema.SCHEMAS.get(name, {})
        for column in df.columns:
            dtype = declared.get(column, str(df[column].dtype))
            kind = ("date" if column in schema.DATE_COLUMNS.get(name, ()) else
                    "percent" if column in schema.PERCENT_COLUMNS.get(name, ()) else
                    {"string": "text", "int64": "integer", "Int64": "integer", "float64": "number",
                     "bool": "true/false", "boolean": "true/false"}.get(dtype, dtype))
            ws.append([text(ws, name), text(ws, str(column)), text(ws, kind), text(ws, schema.describe(name, str(column)))])


def _fix_zip_times(data: bytes, built: datetime) -> bytes:
    """Same content, fixed zip timestamps and core-property dates: byte-identical reruns."""
    stamp = built.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
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
