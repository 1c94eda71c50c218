"""The Excel workbook: a README sheet, a Codebook sheet and one sheet per table.

Header rows are bold and frozen with an autofilter; column widths follow the
content (a CJK character counts double); long text wraps; numbers are stored
as numbers, dates as Excel dates, shares as percentages.  Every text cell
(tables, README, Codebook) is stored as text, never as a formula, so a file
named ``=1+1_2017.txt`` stays a name.  A text longer than an Excel cell
(32,767 characters) is cut with a visible note naming the CSV file that holds
it whole, and the README sheet says how many cells were cut.  A Codebook
sheet lists every column of every sheet with its meaning (``schema.COLUMNS``).
The file is byte-identical for the same tables and build date (zip entries
carry a fixed timestamp).  What goes on each sheet is decided here; the
sheets are written by :mod:`policycompare.export.xlsx` (whole columns at a time:
the 1,000-plan workbook, 3.7 million cells, in about 5 s; openpyxl would take a minute).
"""

from __future__ import annotations

import io
import math
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config, schema
from ..analyze.arrays import ranks_in_runs
from ..ingest.files import write_bytes_atomic
from . import arrow_text as at
from . import xlsx

MAX_WIDTH = 60
#: Characters an Excel cell holds.
MAX_CELL = 32_767
WRAP_OVER = 40


def build_date() -> datetime:
    """The build date recorded in the workbook: ``SOURCE_DATE_EPOCH`` if set, else today (UTC, day only)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    today = datetime.now(timezone.utc).date()
    return datetime(today.year, today.month, today.day)


#: Data rows that fit on a sheet (Excel's limit minus the header row).
MAX_ROWS = 1_048_575
#: Rows of a table turned into cells at a time (memory stays flat for long tables).
ROWS_AT_A_TIME = 20_000


_WIDE = re.compile(r"[\u2e81-\U0010ffff]")
_WIDE_RE2 = r"[\x{2e81}-\x{10ffff}]"  # the same characters for Arrow's regular expressions


def _display_width(value: object) -> int:
    r"""Width of a value's longest line, a CJK character counting double (at least MAX_WIDTH is enough to know).

    >>> _display_width("湖南 90%"), _display_width("a\nabc")
    (8, 3)
    """
    text = "" if value is None else str(value)
    if len(text) >= MAX_WIDTH and "\n" not in text:
        return len(text)
    return max((len(line) + len(line) - len(_WIDE.sub("", line)) for line in text.split("\n")), default=0)


def _column_widths(df: pd.DataFrame, sample: int = 2000) -> list[int]:
    """Display width per column from the header and the first ``sample`` rows."""
    head = df.head(sample)
    return [max(_display_width(c), _widest(head[c])) for c in df.columns]


def _widest(values: pd.Series) -> int:
    """The largest :func:`_display_width` of a column: its texts' lengths plus their wide characters, with
    Arrow; texts of several lines one by one."""
    if not len(values):
        return 0
    if not pd.api.types.is_string_dtype(values) or values.dtype == object:
        return max(_display_width(v) for v in values.tolist())
    texts = at.strings(values.astype("string"))  # a missing text is an empty cell
    lines = at.pc.match_substring(texts, "\n")
    single = texts.filter(at.pc.invert(lines))
    length = at.pc.utf8_length(single)
    narrow = at.pc.utf8_length(at.pc.replace_substring_regex(single, _WIDE_RE2, ""))
    widths = at.pc.subtract(at.pc.multiply(length, 2), narrow)
    widths = at.pc.if_else(at.pc.greater_equal(length, MAX_WIDTH), length, widths)  # as _display_width
    widest = at.pc.max(widths).as_py() or 0
    return max([widest] + [_display_width(v) for v in texts.filter(lines).to_pylist()])


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


def _values(df: pd.DataFrame, column: str, dates: set, wrapped: bool, csv_name: str) -> tuple[list, int]:
    """The cell values of a column :func:`_cells` does not make with Arrow (dates, columns of mixed Python
    objects): dates as datetimes, the rest as text (or None), text too long for a cell cut with a note; and
    its style.  The cut cells are counted beforehand, by :func:`_too_long`."""
    values = [None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
              else v if isinstance(v, str) else str(v) for v in df[column].astype(object).tolist()]
    if column in dates:
        return [_as_date(v) for v in values], xlsx.PLAIN
    for j, v in enumerate(values):
        if v is not None and len(v) > MAX_CELL:
            values[j] = _cut(v, csv_name)
    return values, xlsx.WRAP if wrapped else xlsx.PLAIN


def _table_sheet(name: str, df: pd.DataFrame) -> xlsx.Sheet:
    """One table as a sheet: bold frozen header with an autofilter, widths from content, long text wrapped."""
    dates = set(schema.DATE_COLUMNS.get(name, ()))
    percents = set(schema.PERCENT_COLUMNS.get(name, ()))
    csv_name = f"{name}.csv" if name else "the CSV file"
    widths = _column_widths(df)
    wrap_cols = {column for column, w in zip(df.columns, widths) if w > WRAP_OVER}

    header = [xlsx.cell_xml(f"{xlsx.column_letter(c)}1", str(column), xlsx.BOLD) for c, column in enumerate(df.columns, 1)]

    def blocks():
        for start in range(0, len(df), ROWS_AT_A_TIME):
            part = df.iloc[start:start + ROWS_AT_A_TIME]
            columns = [_cells(part, column, c, start + 2, dates, percents, column in wrap_cols, csv_name)
                       for c, column in enumerate(df.columns, 1)]
            yield xlsx.rows_xml(columns, start + 2)

    return xlsx.Sheet(name[:31], [header], len(df) + 1, len(df.columns), blocks=blocks() if len(df) else (),
                      widths=[max(8, min(w + 2, MAX_WIDTH)) for w in widths])


def _cells(df: pd.DataFrame, column: str, c: int, first_row: int, dates: set, percents: set, wrapped: bool,
           csv_name: str):
    """The cells of one column of a block of rows, as Arrow text: whole columns of text, numbers and flags
    at once (:func:`xlsx.text_cells` …); dates and columns of mixed values cell by cell (:func:`_values`)."""
    series = df[column]
    if column in dates or series.dtype == object:
        values, style = _values(df, column, dates, wrapped, csv_name)
        return at.strings(xlsx.column_xml(values, c, first_row, style))
    if pd.api.types.is_bool_dtype(series):
        return xlsx.bool_cells(series.to_numpy(dtype=object, na_value=None), c, first_row)
    if pd.api.types.is_numeric_dtype(series):
        style = xlsx.PERCENT if column in percents else xlsx.PLAIN
        if pd.api.types.is_integer_dtype(series) and not series.hasnans:
            return xlsx.number_cells(series.to_numpy(dtype="int64"), c, first_row, style)
        return xlsx.number_cells(series.to_numpy(dtype="float64", na_value=float("nan")), c, first_row, style)
    texts = at.strings(series.astype("string"))
    texts = at.apply_where(texts, at.pc.greater(at.pc.utf8_length(texts), MAX_CELL), lambda v: _cut(v, csv_name))
    return xlsx.text_cells(texts, c, first_row, xlsx.WRAP if wrapped else xlsx.PLAIN)


#: Detail tables (pairs of tasks, shared passages) keep this many rows per plan in the workbook.
DETAIL_ROWS_PER_PLAN = config.DETAIL_ROWS_PER_PLAN
#: Detail table -> (plan column, sort columns, ascending): which rows of each plan come first.
DETAIL_ORDER = {
    "task_similarity": ("plan_a", ["plan_a", "score", "task_a", "task_b"], [True, False, True, True]),
    "text_reuse": ("plan_a", ["plan_a", "length", "plan_b", "a_start"], [True, False, True, True]),
}


def detail_rows(name: str, df: pd.DataFrame, per_plan: int = DETAIL_ROWS_PER_PLAN) -> pd.DataFrame:
    """The first ``per_plan`` rows per plan of a detail table (best score or longest passage first).

    The rows are ranked on their key columns alone (one stable ``np.lexsort``,
    as ``sort_values(kind="stable")`` ranks them, missing values last) and
    only the rows kept are taken: a million-row table is never copied whole.
    """
    plan_column, by, ascending = DETAIL_ORDER[name]
    if not len(df):
        return df.reset_index(drop=True)
    keys = []  # most important first; np.lexsort wants them last
    for column, up in zip(by, ascending):
        values = df[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            numbers = values.to_numpy(dtype="float64", na_value=np.nan)
            missing = np.isnan(numbers)
            ranked = np.where(missing, 0.0, numbers if up else -numbers)
        else:
            codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
            missing = codes < 0
            ranked = codes if up else -codes
        keys += [missing, ranked]
    order = np.lexsort(keys[::-1])
    rank = ranks_in_runs(pd.factorize(df[plan_column])[0][order])  # each plan's rows are one run (plan sorts first)
    return df.take(order[rank < per_plan]).reset_index(drop=True)


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
    for name, df in sheets.items():
        n = _too_long(df)
        if n:
            notes[name] = notes.get(name, "") + (f" [{n:,} cell(s) longer than Excel's {MAX_CELL:,} characters cut,"
                                                 f" marked 'cut'; whole in {name}.csv]")
    built = build_date()
    readme: list[list] = [
        [_Bold("policycompare workbook"), _Bold("")],
        ["built", built.strftime("%Y-%m-%d")],
        ["policycompare version", version],
        ["plans", len(sources)],
        ["long texts", f"a text longer than an Excel cell ({MAX_CELL:,} characters) is cut with a note;"
                       " the CSV files hold every text whole"],
        ["Codebook", "the Codebook sheet lists every column of every sheet with its meaning"],
        [],
        [_Bold("sheet"), _Bold("what it holds")],
        *([name, descriptions.get(name, "") + notes.get(name, "")] for name in sheets),
        [],
        [_Bold("source file"), _Bold("sha256")],
        *([str(row.source_file), str(row.sha256)] for row in sources.itertuples()),
    ]
    codebook = [[_Bold(h) for h in ("sheet", "column", "type", "meaning")], *_codebook(sheets)]
    out = io.BytesIO()
    xlsx.write_xlsx(out, [_plain_sheet("README", readme, (28, 100), header=False),
                          _plain_sheet("Codebook", codebook, (20, 24, 10, 90), header=True),
                          *(_table_sheet(name, df) for name, df in sheets.items())],
                    created=built)
    return out.getvalue()


class _Bold(str):
    """A heading cell of the README and Codebook sheets."""


def _plain_sheet(name: str, rows: list[list], widths: tuple, header: bool) -> xlsx.Sheet:
    """A small sheet of values (README, Codebook): text stays text, however it starts, and is cut if too long."""

    def cell(c: int, r: int, value):
        if isinstance(value, str) and len(value) > MAX_CELL:
            value = _cut(value, "the CSV file")
        style = xlsx.BOLD if isinstance(value, _Bold) else xlsx.PLAIN
        return xlsx.cell_xml(f"{xlsx.column_letter(c)}{r}", str(value) if isinstance(value, str) else value, style)

    cells = [[cell(c, r, v) for c, v in enumerate(row, 1)] for r, row in enumerate(rows, 1)]
    return xlsx.Sheet(name, cells, len(rows), max(len(widths), 1), widths=widths, header=header, autofilter=False)


def _codebook(sheets: dict[str, pd.DataFrame]) -> list[list[str]]:
    """One row per column of every table sheet: sheet, column, type, meaning."""
    rows = []
    for name, df in sheets.items():
        declared = schema.SCHEMAS.get(name, {})
        for column in df.columns:
            dtype = declared.get(column, str(df[column].dtype))
            kind = ("date" if column in schema.DATE_COLUMNS.get(name, ()) else
                    "percent" if column in schema.PERCENT_COLUMNS.get(name, ()) else
                    {"string": "text", "int64": "integer", "Int64": "integer", "float64": "number",
                     "bool": "true/false", "boolean": "true/false"}.get(dtype, dtype))
            rows.append([name, str(column), kind, schema.describe(name, str(column))])
    return rows


def write_workbook(path: str | Path, tables: dict[str, pd.DataFrame], descriptions: dict[str, str],
                   sources: pd.DataFrame, version: str) -> Path:
    """Write the workbook atomically to ``path``."""
    return write_bytes_atomic(path, workbook_bytes(tables, descriptions, sources, version))
