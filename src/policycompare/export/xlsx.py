"""A fast, deterministic writer of the .xlsx package format for plain tables.

openpyxl (write-only) writes about 70,000 cells a second here and xlsxwriter
(constant memory) about 50,000: a 1,000-plan corpus has about 4 million
cells, a minute of the run.  Tables need only a small part of SpreadsheetML:
text, numbers, booleans, seven styles (plain, bold header, wrapped text, date,
percentage, a score to three decimals, a wrapped bold header), column widths,
row heights, a frozen header row and id columns, an autofilter, and what a
printout needs (landscape A4 or Letter fitted to one page wide, the header row
on every page, a footer with the sheet name and page number, page breaks).
This module writes exactly that, streaming each sheet into the zip file.  Long
tables are made a block of rows at a time, whole columns at once with Arrow
string kernels (:func:`text_cells`, :func:`number_cells`, :func:`bool_cells`,
:func:`rows_xml`; the rare text that needs escaping is done in Python), the
same cells as :func:`cell_xml` makes one by one: the 1,000-plan workbook
(3.7 million cells) in about 5 s against 7.5 s cell by cell, half of it
spent compressing; a thread now compresses while the next rows are made
(:class:`_Deflater`), at zlib level 5: about 3.5 s.

* Text is an inline string (``t="inlineStr"``): never a formula, whatever it
  starts with, and no shared-string table to build.  Characters XML 1.0 does
  not allow (control characters) are dropped; an empty text is an empty cell.
* Numbers are written with ``repr`` (shortest round trip), dates as Excel
  serial days with a ``yyyy-mm-dd`` format.
* The zip entries carry a fixed timestamp and the document properties the
  build date given: the same sheets give the same bytes.

Files open in Excel, LibreOffice, openpyxl and pandas (``read_excel``); the
test suite reads them back with openpyxl.
"""

from __future__ import annotations

import math
import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

import numpy as np

from . import arrow_text as at

#: Cell styles (index into ``cellXfs`` of the style sheet below); SCORE shows three decimals, the value kept whole.
PLAIN, BOLD, WRAP, DATE, PERCENT, SCORE, HEADER = range(7)
#: Paper sizes of a printout (SpreadsheetML's ``paperSize`` codes).
PAPER = {"a4": 9, "letter": 1}
#: Rows streamed into the zip file at a time.
CHUNK_ROWS = 5_000
#: zlib level of the entries: the 255 MB of XML of a 1,000-plan workbook deflate to 26.7 MB in 1.7 s at 5,
#: to 25.9 MB in 2.5 s at zlib's default 6 (34.9 MB in 1.0 s at 1).
COMPRESS_LEVEL = 5

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_EPOCH = datetime(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="0.0%"/>'
    '<numFmt numFmtId="166" formatCode="0.000"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def column_letter(index: int) -> str:
    """Excel's column name of a 1-based column index.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
    ('A', 'Z', 'AA', 'AAA')
    """
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_date(value: datetime) -> float:
    """Excel's serial day number of a date (1900 date system).

    >>> excel_date(datetime(2016, 11, 15))
    42689
    """
    days = (value - _EPOCH).total_seconds() / 86400
    return int(days) if days == int(days) else days


#: XML parsers turn a bare carriage return into a line feed: written as a character reference it survives.
_ENTITIES = {"\r": "&#13;"}


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value), _ENTITIES)


def _t(text: str) -> str:
    """An escaped text element; ``xml:space`` only where leading or trailing white space must survive."""
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _number(value: float | int) -> str | None:
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(int(value))


def cell_xml(ref: str, value: object, style: int = PLAIN) -> str:
    """One cell: text, number, boolean or date (a ``datetime``); ``""`` for an empty cell (None or ``""``).

    >>> cell_xml("A1", "=1+1"), cell_xml("A2", " <b> ")
    ('<c r="A1" t="inlineStr"><is><t>=1+1</t></is></c>', '<c r="A2" t="inlineStr"><is><t xml:space="preserve"> &lt;b&gt; </t></is></c>')
    >>> cell_xml("B2", 91.5), cell_xml("C2", True), cell_xml("D2", None)
    ('<c r="B2"><v>91.5</v></c>', '<c r="C2" t="b"><v>1</v></c>', '')
    """
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, str):
        text = _text(value)
        return f'<c r="{ref}" t="inlineStr"{s}><is>{_t(text)}</is></c>' if text else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{DATE}"><v>{excel_date(value)}</v></c>'
    number = _number(value)
    return "" if number is None else f'<c r="{ref}"{s}><v>{number}</v></c>'


def column_xml(values: Sequence[object], column: int, first_row: int, style: int = PLAIN) -> list[str]:
    """The cells of one column of Python values, from row ``first_row`` down, cell by cell (:func:`cell_xml`);
    long columns of text, numbers or flags are made faster by :func:`text_cells` and the like."""
    letter = column_letter(column)
    return [cell_xml(f"{letter}{r}", v, style) for r, v in enumerate(values, first_row)]


# ---------------------------------------------------------------------------------------------
# whole columns at once (Arrow): the same cells as cell_xml, without a Python step per cell

#: Characters ``str.isspace`` holds for (all below U+3001): a text starting or ending with one
#: gets ``xml:space="preserve"``.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def _re2_chars(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


#: A text whose cell Python makes (RE2 syntax): something to escape or drop, or white space at an end.
_CAREFUL = (r"[&<>\r\x{0}-\x{8}\x{b}\x{c}\x{e}-\x{1f}\x{fffe}\x{ffff}]"
            f"|^[{_re2_chars(_SPACES)}]|[{_re2_chars(_SPACES)}]$")


def _row_numbers(first_row: int, n: int):
    return at.strings(at.pa.array(np.arange(first_row, first_row + n, dtype=np.int64)))


def _refs(column: int, first_row: int, n: int):
    return at.join(f'<c r="{column_letter(column)}', _row_numbers(first_row, n))


def text_cells(texts, column: int, first_row: int, style: int = PLAIN):
    """The cells of a text column (an Arrow string array, ``""`` for an empty cell) from row ``first_row`` down:
    for every value what :func:`cell_xml` gives, made with Arrow kernels (texts needing escapes in Python)."""
    texts = at.strings(texts)
    s = f' s="{style}"' if style else ""
    inner = at.join("<t>", texts, "</t>")
    careful = at.pc.match_substring_regex(texts, _CAREFUL)
    if at.pc.any(careful).as_py():
        made = [(_t(t) if (t := _text(v)) else "") for v in texts.filter(careful).to_pylist()]
        inner = at.pc.replace_with_mask(inner, careful, at.pa.array(made, type=at.TEXT))
    empty = at.pc.or_(at.pc.equal(texts, at.scalar("")), at.pc.equal(inner, at.scalar("")))
    cells = at.join(_refs(column, first_row, len(texts)), f'" t="inlineStr"{s}><is>', inner, "</is></c>")
    return at.choose(empty, "", cells)


def number_cells(values, column: int, first_row: int, style: int = PLAIN):
    """The cells of a numeric column (floats with NaN for missing, or ints), as :func:`cell_xml` makes them."""
    numbers = at.format_each(values, lambda v: _number(v) or "")  # "": an empty cell (NaN, infinity)
    s = f' s="{style}"' if style else ""
    cells = at.join(_refs(column, first_row, len(numbers)), f'"{s}><v>', numbers, "</v></c>")
    return at.choose(at.pc.equal(numbers, at.scalar("")), "", cells)


def bool_cells(values, column: int, first_row: int, style: int = PLAIN):
    """The cells of a boolean column (``None`` for missing), as :func:`cell_xml` makes them."""
    flags = at.pa.array(values, type=at.pa.bool_())
    s = f' s="{style}"' if style else ""
    cells = at.join(_refs(column, first_row, len(flags)), f'" t="b"{s}><v>', at.choose(flags, "1", "0"), "</v></c>")
    return at.strings(cells)


def rows_xml(columns: Sequence, first_row: int, heights=None) -> bytes:
    """``<row>`` elements of cells made by :func:`text_cells`, :func:`number_cells`, :func:`bool_cells`
    (or any Arrow string arrays of cell XML, one per column), numbered from ``first_row``; ``heights``, a
    height in points per row (0: the default height), sets the rows that hold wrapped text."""
    rows = _row_numbers(first_row, len(columns[0]))
    if heights is None:
        return at.buffer(at.join('<row r="', rows, '">', *columns, "</row>"))
    tall = at.pa.array(np.asarray(heights) > 0)
    points = at.strings(at.pa.array(np.ceil(np.asarray(heights, dtype=np.float64)).astype(np.int64)))  # whole points, up
    attrs = at.choose(tall, at.join('" ht="', points, '" customHeight="1'), "")
    return at.buffer(at.join('<row r="', rows, attrs, '">', *columns, "</row>"))


@dataclass
class Sheet:
    """One worksheet: its rows as lists of cell XML, column widths, and whether row 1 is a frozen, filtered header.

    ``rows`` may be any iterable (a generator keeps memory flat); ``blocks``,
    rows already made as XML, follow them; ``n_rows`` and ``n_columns`` give
    the sheet's size for the autofilter and dimension.  Every sheet prints
    in landscape on ``paper`` (a key of :data:`PAPER`), one page wide, with
    the sheet name and page number in the footer; a header row is repeated
    on every printed page (print titles).
    """

    name: str
    rows: Iterable[Sequence[str]]
    n_rows: int
    n_columns: int
    widths: Sequence[float] = ()
    header: bool = True
    autofilter: bool = True
    #: rows made elsewhere as XML (``<row>`` elements, e.g. by :func:`rows_xml`), written after ``rows``
    blocks: Iterable[bytes] = ()
    #: leading columns frozen beside the header (the ids of a row)
    freeze_columns: int = 0
    paper: str = "a4"
    #: rows of ``rows`` (1-based) -> height in points (rows of wrapped text)
    heights: Mapping[int, float] = field(default_factory=dict)
    #: a printed page ends after each of these rows
    page_breaks: Sequence[int] = ()

    @property
    def ref(self) -> str:
        return f"A1:{column_letter(max(self.n_columns, 1))}{max(self.n_rows, 1)}"

    @property
    def absolute_ref(self) -> str:
        return f"$A$1:${column_letter(max(self.n_columns, 1))}${max(self.n_rows, 1)}"


def _pane(sheet: Sheet) -> str:
    """The frozen header row and id columns, and a selection in each pane (as Excel writes them)."""
    if not sheet.header:
        return ""
    x = sheet.freeze_columns
    if not x:
        return ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>')
    top_left, right = f"{column_letter(x + 1)}2", f"{column_letter(x + 1)}1"
    return (f'<pane xSplit="{x}" ySplit="1" topLeftCell="{top_left}" activePane="bottomRight" state="frozen"/>'
            f'<selection pane="topRight" activeCell="{right}" sqref="{right}"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            f'<selection pane="bottomRight" activeCell="{top_left}" sqref="{top_left}"/>')


def _sheet_head(sheet: Sheet, selected: bool) -> str:
    view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "") + ">" + _pane(sheet)
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths, 1))
    return (f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="{sheet.ref}"/>'
            f"<sheetViews>{view}</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
            + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")


#: The printed footer: the sheet name on the left, "page 3 of 12" on the right (``&`` codes of SpreadsheetML).
FOOTER = "&amp;L&amp;A&amp;Rpage &amp;P of &amp;N"


def _sheet_tail(sheet: Sheet) -> str:
    auto = f'<autoFilter ref="{sheet.ref}"/>' if sheet.autofilter and sheet.header else ""
    breaks = "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in sheet.page_breaks)
    return (f'</sheetData>{auto}<printOptions gridLines="1"/>'
            '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.6" header="0.25" footer="0.25"/>'
            f'<pageSetup paperSize="{PAPER[sheet.paper]}" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            f"<headerFooter><oddFooter>{FOOTER}</oddFooter></headerFooter>"
            + (f'<rowBreaks count="{len(sheet.page_breaks)}" manualBreakCount="{len(sheet.page_breaks)}">'
               f"{breaks}</rowBreaks>" if breaks else "")
            + "</worksheet>")


def _sheet_xml(sheet: Sheet, selected: bool) -> Iterator[bytes]:
    """The worksheet's XML, a block of rows at a time."""
    yield _sheet_head(sheet, selected).encode()
    chunk: list[str] = []
    heights = sheet.heights
    for r, row in enumerate(sheet.rows, start=1):
        height = f' ht="{heights[r]:g}" customHeight="1"' if r in heights else ""
        chunk.append(f'<row r="{r}"{height}>{"".join(row)}</row>')
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()
    yield from sheet.blocks
    yield _sheet_tail(sheet).encode()


#: Pieces of XML made ahead of the thread that compresses them (:class:`_Deflater`), and their size: 48 MB
#: at most (the sheets' XML comes in bursts; with 2 pieces of 8 MB the two threads overlapped half as much).
AHEAD = 24
PIECE_BYTES = 2 << 20
_END = object()


class _Deflater:
    """Entries of ``zf`` compressed and written by a thread while the caller makes the next blocks of XML.

    zlib and the file's writes release the GIL, so making the XML (mostly Python and Arrow) and deflating it
    run on two cores: about half of the workbook's time was compressing.  The entries, and so the bytes of
    the file, are those of writing them in this thread, in the same order.
    """

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self._zf = zf
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def write(self, path: str, blocks: Iterable[bytes]) -> None:
        """The entry ``path`` of ``blocks`` (queued; an error of the thread is raised here or by :meth:`close`)."""
        self._put(path)
        pending: list[bytes] = []
        size = 0
        for block in blocks:
            view = memoryview(block)
            for start in range(0, len(view), PIECE_BYTES):  # pieces of about PIECE_BYTES: the memory ahead is bounded
                piece = view[start:start + PIECE_BYTES]
                pending.append(piece)
                size += len(piece)
                if size >= PIECE_BYTES:
                    self._put(b"".join(pending))
                    pending, size = [], 0
        if pending:
            self._put(b"".join(pending))
        self._put(None)

    def _put(self, item) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def _work(self) -> None:
        out = None
        try:
            while (item := self._queue.get()) is not _END:
                if isinstance(item, str):
                    out = self._zf.open(_entry(item), "w", force_zip64=True)
                elif item is None:
                    out.close()
                    out = None
                else:
                    out.write(item)
        except BaseException as err:  # noqa: BLE001 - raised in the caller's thread
            self._error = err
            while self._queue.get() is not _END:  # the caller goes on until it sees the error
                pass
        finally:
            if out is not None:  # stopped within an entry: closed, so the zip file can be closed
                try:
                    out.close()
                except Exception:  # noqa: BLE001 - the first error is the one reported
                    pass

    def close(self, report: bool = True) -> None:
        """Wait for every queued entry to be written; ``report``: raise the thread's error, if any."""
        self._queue.put(_END)
        self._thread.join()
        if report and self._error is not None:
            raise self._error


def _entry(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL  # an entry given as a ZipInfo keeps its own level (the file's is not used)
    info.external_attr = 0o600 << 16
    return info


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def write_xlsx(target, sheets: Sequence[Sheet], *, created: datetime, creator: str = "policycompare") -> None:
    """Write ``sheets`` as an .xlsx file to ``target`` (a path or a binary file object).

    The first sheet is the selected one; a header sheet gets a hidden
    ``_FilterDatabase`` name as Excel itself writes for an autofilter, and a
    ``Print_Titles`` name: its row 1 is printed at the top of every page.
    """
    names = [sheet.name[:31] for sheet in sheets]
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    sheet_entries = "".join(f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                            for i, n in enumerate(names, 1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quote_sheet(n))}!{sheet.absolute_ref}</definedName>"
        for i, (n, sheet) in enumerate(zip(names, sheets)) if sheet.autofilter and sheet.header)
    filters += "".join(  # the header row on every printed page
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(_quote_sheet(n))}!$1:$1</definedName>'
        for i, (n, sheet) in enumerate(zip(names, sheets)) if sheet.header)
    workbook = (f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheet_entries}</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "")
                + "</workbook>")
    n = len(sheets)
    workbook_rels = (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
                     + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                               for i in range(1, n + 1))
                     + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1))
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    rels = (f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    core = (f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f"<Application>{escape(creator)}</Application></Properties>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, text in (("[Content_Types].xml", content_types), ("_rels/.rels", rels),
                           ("docProps/core.xml", core), ("docProps/app.xml", app),
                           ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
                           ("xl/styles.xml", _STYLES)):
            zf.writestr(_entry(path), text.encode())
        deflater = _Deflater(zf)
        try:
            for i, sheet in enumerate(sheets, 1):
                deflater.write(f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet, selected=i == 1))
        except BaseException:
            deflater.close(report=False)  # this error is the one raised
            raise
        deflater.close()
