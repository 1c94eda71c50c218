"""The Excel workbook: a Summary sheet, a README sheet, a Codebook sheet and one sheet per table.

Header rows are bold and frozen with an autofilter, and so are a row's ids
(``plan_id`` and the row's own id); column widths follow the content (a CJK
character counts double); long text wraps in a readable width, its rows made
tall enough to show it; numbers are stored as numbers, dates as Excel dates,
shares as percentages, scores shown to three decimals (the value kept).
Every sheet prints landscape, one page wide, with its header row on every
page and the sheet name and page number in the footer (A4, or Letter).
Sheets are laid out for reading by the rules of ``data/workbook.toml``:
provenance columns (offsets, hashes) last, task titles beside task ids,
a text over 1,000 characters cut with a visible note naming where the whole
text is (the CSV files keep every text whole), a table with no rows left out
(the README sheet says so).  Every text cell (tables, README, Codebook) is
stored as text, never as a formula, so a file named ``=1+1_2017.txt`` stays
a name.  A Codebook sheet lists every column of every sheet with its meaning
(``schema.COLUMNS``).
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
from .summary import summary_blocks

#: How table sheets are laid out for reading and printing (column order, frozen ids, scores, long texts).
RULES = config.read_toml(config.PACKAGE_DATA / "workbook.toml")
MAX_WIDTH = RULES["text"]["wide"]
#: A column of text wider than this wraps, in a column this wide (or MAX_WIDTH for long texts).
WRAP_OVER = RULES["text"]["narrow"]
#: A text longer than this is cut in the workbook, with a note saying where it is whole.
CUT_AT = RULES["text"]["cut_at"]
#: Characters an Excel cell holds.
MAX_CELL = 32_767
#: Points per printed line of wrapped text (11-point type), a row's padding, and the columns a CJK character
#: takes when rows are made tall enough for wrapped text (LibreOffice measured 1.67 and 12.8 points a line;
#: Excel's CJK fonts take nearer 2: the heights err on the side of a blank line).
LINE_POINTS, ROW_PAD, WIDE_UNITS = 13.5, 3, 1.8
#: A column is at least as wide as this much of its header name; a longer name wraps in the header row.
HEADER_WIDTH = 12


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


def _column_widths(df: pd.DataFrame, sample: int = 2000, header: bool = True) -> list[int]:
    """Display width per column from the header (unless ``header`` is false) and the first ``sample`` rows."""
    head = df.head(sample)
    return [max(_display_width(c) if header else 0, _widest(head[c])) for c in df.columns]


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


def _cut(value: str, where: str, keep: int = CUT_AT) -> str:
    """A text too long for the workbook, cut after ``keep`` characters with a note saying so and where it is whole."""
    return value[:keep] + f" …(cut: {keep:,} of {len(value):,} characters shown; whole in {where})"


def _cut_texts(name: str, df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``df`` with every text over :data:`CUT_AT` characters cut (:func:`_cut`), and how many were cut.

    The note names the CSV file; for a text that is a span of a plan's text
    (``spans`` in ``data/workbook.toml``) also ``text/<plan_id>.txt`` and the
    characters it spans.
    """
    n = 0
    span = RULES["spans"].get(name)
    for column in df.columns:
        series = df[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series) or not len(series):
            continue
        long = (series.astype("string").str.len() > CUT_AT).fillna(False).to_numpy(dtype=bool)
        if not long.any():
            continue
        rows = df[long]
        if span and column == span[0]:
            plan, start, end = span[1:]
            wheres = [f"{name}.csv and text/{p}.txt chars {a}–{b}"
                      for p, a, b in zip(rows[plan].tolist(), rows[start].tolist(), rows[end].tolist())]
        else:
            wheres = [f"{name}.csv"] * len(rows)
        values = series.copy()
        values[long] = [_cut(str(v), w) for v, w in zip(rows[column].tolist(), wheres)]
        df = df.assign(**{column: values})
        n += int(long.sum())
    return df, n


def _as_date(value: object) -> object:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return value
    return value


def _values(df: pd.DataFrame, column: str, dates: set, wrapped: bool) -> tuple[list, int]:
    """The cell values of a column :func:`_cells` does not make with Arrow (dates, columns of mixed Python
    objects): dates as datetimes, the rest as text (or None); and its style."""
    values = [None if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))
              else v if isinstance(v, str) else str(v) for v in df[column].astype(object).tolist()]
    if column in dates:
        return [_as_date(v) for v in values], xlsx.PLAIN
    return values, xlsx.WRAP if wrapped else xlsx.PLAIN


def for_reading(name: str, df: pd.DataFrame, titles: pd.Series | None = None) -> pd.DataFrame:
    """A table's columns as its sheet shows them (``data/workbook.toml``): each task id followed by the task's
    title (``titles``: task id -> title), the provenance columns (``last``) at the end."""
    if titles is not None:
        for column, title in RULES["titles"].items():
            if column in df.columns and title not in df.columns:
                looked_up = df[column].map(titles).astype("string")
                df = df.copy()
                df.insert(df.columns.get_loc(column) + 1, title, looked_up)
    last = [c for c in RULES["last"] if c in df.columns]
    order = [c for c in df.columns if c not in last] + last
    return df if order == list(df.columns) else df[order]


def _frozen_columns(columns) -> int:
    """How many leading columns are ids (``ids`` in ``data/workbook.toml``; at most two): frozen beside the header."""
    n = 0
    for column in list(columns)[:2]:
        if column not in RULES["ids"]:
            break
        n += 1
    return n


def _text_widths(texts) -> np.ndarray:
    """The printed width of each text of an Arrow string array in columns: a character one, a three-byte (CJK)
    character :data:`WIDE_UNITS` (its bytes beyond one a character, halved, tell them)."""
    chars = at.pc.utf8_length(texts).to_numpy(zero_copy_only=False)
    size = at.pc.binary_length(texts).to_numpy(zero_copy_only=False)
    return chars + (size - chars) / 2 * (WIDE_UNITS - 1)


def _line_width(line: str) -> float:
    """:func:`_text_widths` of one line of text."""
    return len(line) + (len(line) - len(_WIDE.sub("", line))) * (WIDE_UNITS - 1)


def _lines(value: str, width: float) -> int:
    """Printed lines of a text wrapped in a column ``width`` wide."""
    per_line = max(width - 1, 1)
    return sum(max(1, math.ceil(_line_width(line) / per_line)) for line in value.split("\n"))


def _printed_lines(texts, width: float) -> np.ndarray:
    """Printed lines of each text of an Arrow string array wrapped in a column ``width`` wide: each line of a
    text of several lines wraps on its own (split with Arrow, summed per text)."""
    per_line = max(width - 1, 1)
    lines = at.pc.split_pattern(texts, "\n")
    parts = np.maximum(np.ceil(_text_widths(lines.flatten()) / per_line), 1)
    offsets = lines.offsets.to_numpy()
    return np.add.reduceat(np.append(parts, 0), offsets[:-1])[: len(texts)] if len(parts) else np.ones(len(texts))


def _heights(part: pd.DataFrame, wrapped: dict[str, float]) -> np.ndarray | None:
    """Row heights in points that show every line of the wrapped columns (``wrapped``: column -> width), 0 for
    a row of one line; None when no column wraps."""
    if not wrapped:
        return None
    lines = np.ones(len(part))
    for column, width in wrapped.items():
        lines = np.maximum(lines, _printed_lines(at.strings(part[column].astype("string")), width))
    return np.where(lines > 1, lines * LINE_POINTS + ROW_PAD, 0)


def _table_sheet(name: str, df: pd.DataFrame, paper: str = "a4") -> xlsx.Sheet:
    """One table as a sheet: bold frozen header with an autofilter, ids frozen, widths from content, long text
    wrapped in rows tall enough to show it."""
    dates = set(schema.DATE_COLUMNS.get(name, ()))
    percents = set(schema.PERCENT_COLUMNS.get(name, ()))
    widths = _column_widths(df.head(2000), header=False)
    sheet_widths = [max(8, min(w + 2, MAX_WIDTH), min(_display_width(column) + 2, HEADER_WIDTH))
                    for column, w in zip(df.columns, widths)]
    wrapped = {}
    for c, (column, w) in enumerate(zip(df.columns, widths)):
        if w > WRAP_OVER and column not in dates and not pd.api.types.is_numeric_dtype(df[column]):
            longest = at.pc.max(at.pc.utf8_length(at.strings(df[column].astype("string")))).as_py() or 0
            sheet_widths[c] = MAX_WIDTH if longest > RULES["text"]["long_over"] else WRAP_OVER
            wrapped[column] = sheet_widths[c]

    header = [xlsx.cell_xml(f"{xlsx.column_letter(c)}1", str(column), xlsx.HEADER) for c, column in enumerate(df.columns, 1)]
    header_lines = max((_lines(str(column), w) for column, w in zip(df.columns, sheet_widths)), default=1)

    def blocks():
        for start in range(0, len(df), ROWS_AT_A_TIME):
            part = df.iloc[start:start + ROWS_AT_A_TIME]
            columns = [_cells(part, column, c, start + 2, dates, percents, column in wrapped)
                       for c, column in enumerate(df.columns, 1)]
            yield xlsx.rows_xml(columns, start + 2, _heights(part, wrapped))

    return xlsx.Sheet(name[:31], [header], len(df) + 1, len(df.columns), blocks=blocks() if len(df) else (),
                      widths=sheet_widths, freeze_columns=_frozen_columns(df.columns), paper=paper,
                      heights={1: header_lines * LINE_POINTS + ROW_PAD} if header_lines > 1 else {})


def _cells(df: pd.DataFrame, column: str, c: int, first_row: int, dates: set, percents: set, wrapped: bool):
    """The cells of one column of a block of rows, as Arrow text: whole columns of text, numbers and flags
    at once (:func:`xlsx.text_cells` …); dates and columns of mixed values cell by cell (:func:`_values`)."""
    series = df[column]
    if column in dates or series.dtype == object:
        values, style = _values(df, column, dates, wrapped)
        return at.strings(xlsx.column_xml(values, c, first_row, style))
    if pd.api.types.is_bool_dtype(series):
        return xlsx.bool_cells(series.to_numpy(dtype=object, na_value=None), c, first_row)
    if pd.api.types.is_numeric_dtype(series):
        style = (xlsx.PERCENT if column in percents else xlsx.SCORE if column in RULES["rounded"]
                 and pd.api.types.is_float_dtype(series) else xlsx.PLAIN)
        if pd.api.types.is_integer_dtype(series) and not series.hasnans:
            return xlsx.number_cells(series.to_numpy(dtype="int64"), c, first_row, style)
        return xlsx.number_cells(series.to_numpy(dtype="float64", na_value=float("nan")), c, first_row, style)
    return xlsx.text_cells(at.strings(series.astype("string")), c, first_row, xlsx.WRAP if wrapped else xlsx.PLAIN)


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
                   version: str, paper: str = "a4") -> bytes:
    """The workbook as bytes: Summary and README sheets first, then one sheet per table in the given order.

    The detail tables (``task_similarity``, ``text_reuse``) hold their first
    rows per plan; a table longer than an Excel sheet keeps its first rows;
    a table with no rows has no sheet; the README sheet says so for each (the
    CSV file has every row).  ``paper``: ``"a4"`` or ``"letter"``, the paper
    every sheet is set up to print on.
    """
    if paper not in xlsx.PAPER:
        raise ValueError(f"paper must be one of {', '.join(xlsx.PAPER)}, not {paper!r}")
    titles = None
    if "tasks" in tables and {"task_id", "title"} <= set(tables["tasks"].columns):
        titles = tables["tasks"].drop_duplicates("task_id").set_index("task_id")["title"]
    sheets = {}
    notes = {}
    left_out = []
    for name, df in tables.items():
        if not len(df):
            left_out.append(name)
            continue
        if name in DETAIL_ORDER:
            shown = detail_rows(name, df)
            if len(shown) < len(df):
                notes[name] = (f" [the first {DETAIL_ROWS_PER_PLAN} rows per plan, {len(shown):,} of {len(df):,};"
                               f" every row is in {name}.csv]")
            df = shown
        if len(df) > MAX_ROWS:
            notes[name] = f" [first {MAX_ROWS:,} of {len(df):,} rows; every row is in {name}.csv]"
            df = df.head(MAX_ROWS)
        df, n = _cut_texts(name, for_reading(name, df, titles))
        if n:
            notes[name] = notes.get(name, "") + (f" [{n:,} text(s) longer than {CUT_AT:,} characters cut,"
                                                 f" marked 'cut'; whole in {name}.csv]")
        sheets[name] = df
    built = build_date()
    readme: list[list] = [
        [_Bold("policycompare workbook"), _Bold("")],
        ["built", built.strftime("%Y-%m-%d")],
        ["policycompare version", version],
        ["plans", len(sources)],
        ["Summary", "the Summary sheet holds the comparisons a report quotes, each on one printed page"],
        ["long texts", f"wrapped {MAX_WIDTH} characters wide (a Chinese character counts two), each row as tall as"
                       f" its text; a text longer than {CUT_AT:,} characters is cut with a note saying how much is"
                       " shown and where it is whole (the CSV file; for a task's text or a shared passage also"
                       " text/<plan_id>.txt and its characters): the CSV files hold every text whole"],
        ["columns", "ids first (frozen with the header), task titles beside task ids, offsets and hashes last;"
                    " scores shown to three decimals (the cell keeps the whole value)"],
        ["printing", f"every sheet prints landscape on {paper.upper() if paper == 'a4' else 'Letter'} paper, one page"
                     " wide, the header row on every page, the sheet name and page number in the footer"
                     " (policycompare run --paper letter for Letter)"],
        ["Codebook", "the Codebook sheet lists every column of every sheet with its meaning"],
        [],
        [_Bold("sheet"), _Bold("what it holds")],
        *([name, descriptions.get(name, "") + notes.get(name, "")] for name in sheets),
        *([name, f"left out: the table has no rows for these plans ({name}.csv has its header only);"
                 f" {descriptions.get(name, '')}"] for name in left_out),
        [],
        [_Bold("source file"), _Bold("sha256")],
        *([str(row.source_file), str(row.sha256)] for row in sources.itertuples()),
    ]
    codebook = [[_Bold(h) for h in ("sheet", "column", "type", "meaning")], *_codebook(sheets)]
    summary_rows, breaks, widths = _summary_rows(tables)
    out = io.BytesIO()
    xlsx.write_xlsx(out, [_plain_sheet("Summary", summary_rows, widths, header=False, paper=paper,
                                       page_breaks=breaks, wrap_from=3),
                          _plain_sheet("README", readme, (24, 100), header=False, paper=paper),
                          _plain_sheet("Codebook", codebook, (20, 24, 10, 90), header=True, paper=paper),
                          *(_table_sheet(name, df, paper) for name, df in sheets.items())],
                    created=built)
    return out.getvalue()


class _Bold(str):
    """A heading cell of the Summary, README and Codebook sheets."""


#: Widest column of the Summary sheet; wider texts wrap.
SUMMARY_MAX_WIDTH = 30


def _summary_rows(tables: dict[str, pd.DataFrame]) -> tuple[list[list], list[int], list[int]]:
    """The Summary sheet's rows, block after block (:func:`.summary.summary_blocks`): a bold title, a line
    saying what it shows, a bold header and its rows; the rows after which a printed page ends; the widths
    of the columns (the blocks share them)."""
    rows: list[list] = []
    breaks = []
    widths: list[int] = []
    for title, note, block in summary_blocks(tables):
        values = [[None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v for v in row]
                  for row in block.astype(object).itertuples(index=False)]
        header = [_Bold(str(c)) for c in block.columns]
        widths += [8] * (len(header) - len(widths))
        for c, name in enumerate(header):  # a long column name wraps
            widths[c] = max(widths[c], min(_display_width(name) + 2, HEADER_WIDTH))
        for row in values:
            for c, v in enumerate(row):
                widths[c] = max(widths[c], min(_display_width(v) + 2, SUMMARY_MAX_WIDTH))
        rows += [[_Bold(title)], [note], header, *values, []]
        breaks.append(len(rows))
    return rows, breaks[:-1], widths


def _plain_sheet(name: str, rows: list[list], widths, header: bool, paper: str = "a4",
                 page_breaks=(), wrap_from: int = 2) -> xlsx.Sheet:
    """A small sheet of values (Summary, README, Codebook): text stays text, however it starts; a text wider
    than its column (from column ``wrap_from`` on) wraps, its row as tall as its lines; a text too long for a
    cell is cut; the header, if any, is frozen with a filter."""
    heights = {}

    def cell(c: int, r: int, value):
        style = xlsx.BOLD if isinstance(value, _Bold) else xlsx.PLAIN
        if isinstance(value, str):
            if len(value) > MAX_CELL:
                value = _cut(value, "the CSV file", MAX_CELL - 200)
            if c >= wrap_from and c <= len(widths) and _display_width(value) > widths[c - 1] - 2:
                lines = _lines(value, widths[c - 1])
                style = xlsx.HEADER if style == xlsx.BOLD else xlsx.WRAP
                if lines > 1:
                    heights[r] = max(heights.get(r, 0), lines * LINE_POINTS + ROW_PAD)
            value = str(value)
        return xlsx.cell_xml(f"{xlsx.column_letter(c)}{r}", value, style)

    cells = [[cell(c, r, v) for c, v in enumerate(row, 1)] for r, row in enumerate(rows, 1)]
    return xlsx.Sheet(name, cells, len(rows), max(len(widths), 1), widths=widths, header=header, autofilter=header,
                      paper=paper, heights=heights, page_breaks=page_breaks)


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
            meaning = schema.describe(name, str(column)) or next(
                (f"the title of the task {source} names (from the tasks table; in the workbook only)"
                 for source, title in RULES["titles"].items() if title == column), "")
            rows.append([name, str(column), kind, meaning])
    return rows


def write_workbook(path: str | Path, tables: dict[str, pd.DataFrame], descriptions: dict[str, str],
                   sources: pd.DataFrame, version: str, paper: str = "a4") -> Path:
    """Write the workbook atomically to ``path`` (``paper``: ``"a4"`` or ``"letter"``)."""
    return write_bytes_atomic(path, workbook_bytes(tables, descriptions, sources, version, paper))
