"""The .xlsx writer: files that openpyxl and pandas read back cell for cell, with styles, frozen header and filter."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from policycompare.export import xlsx


def _book(rows: list[list], **sheet) -> bytes:
    cells = [[xlsx.cell_xml(f"{xlsx.column_letter(c)}{r}", v, xlsx.BOLD if r == 1 else xlsx.PLAIN)
              for c, v in enumerate(row, 1)] for r, row in enumerate(rows, 1)]
    out = io.BytesIO()
    xlsx.write_xlsx(out, [xlsx.Sheet("t", cells, len(rows), max(map(len, rows)), **sheet)],
                    created=datetime(2020, 1, 2))
    return out.getvalue()


def test_values_come_back_with_their_types():
    rows = [["text", "n", "flag", "day"],
            ["湖南 <90%> & more", 90, True, datetime(2017, 8, 24)],
            ["=SUM(A1)", 91.5, False, None],
            ["  spaced\nlines  ", -3, None, datetime(1900, 3, 1)]]
    wb = load_workbook(io.BytesIO(_book(rows, widths=(20, 8, 8, 12))))
    ws = wb["t"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == rows
    assert ws["A3"].data_type == "s"  # a formula-like text stays text
    assert ws["D2"].number_format == "yyyy-mm-dd"
    assert all(c.font.bold for c in ws[1]) and not ws["A2"].font.bold
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
    assert ws.column_dimensions["A"].width == 20


def test_pandas_reads_the_sheet():
    rows = [["plan_id", "threshold"], ["lingwu_2017", 92], ["sichuan_2018", 91.5]]
    df = pd.read_excel(io.BytesIO(_book(rows)), sheet_name="t")
    assert df["plan_id"].tolist() == ["lingwu_2017", "sichuan_2018"] and df["threshold"].tolist() == [92, 91.5]


def test_control_characters_are_dropped_not_fatal():
    rows = [["a"], ["x\x00y\x07z\x1f"]]
    assert load_workbook(io.BytesIO(_book(rows)))["t"]["A2"].value == "xyz"


def test_same_sheets_same_bytes_and_fixed_zip_times():
    rows = [["a", "b"], ["湖南", 90.0]]
    data = _book(rows)
    assert data == _book(rows)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2020-01-02T00:00:00Z" in zf.read("docProps/core.xml")


def test_column_letters():
    assert [xlsx.column_letter(i) for i in (1, 2, 26, 27, 52, 53, 702, 703, 16384)] == \
        ["A", "B", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def _column_book(values: list) -> bytes:
    cells = xlsx.column_xml(values, 1, 2)
    rows = [[xlsx.cell_xml("A1", "v", xlsx.BOLD)], *([c] for c in cells)]
    out = io.BytesIO()
    xlsx.write_xlsx(out, [xlsx.Sheet("t", rows, len(rows), 1)], created=datetime(2020, 1, 2))
    return out.getvalue()


def _expected(value):
    if isinstance(value, str):
        value = xlsx._ILLEGAL.sub("", value)
        return value or None  # an empty text is an empty cell
    return value


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=30), st.integers(-10**12, 10**12),
                          st.floats(allow_nan=False, allow_infinity=False, width=32)), min_size=1, max_size=20))
def test_a_column_of_any_values_round_trips(values):
    for data in (_book([["v"], *([v] for v in values)]), _column_book(values)):
        ws = load_workbook(io.BytesIO(data))["t"]
        got = [ws.cell(row=r, column=1).value for r in range(2, len(values) + 2)]
        assert got == [_expected(v) for v in values]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), min_size=1, max_size=20))
def test_a_text_column_round_trips_through_the_joined_escape(values):
    ws = load_workbook(io.BytesIO(_column_book(values)))["t"]
    assert [ws.cell(row=r, column=1).value for r in range(2, len(values) + 2)] == [_expected(v) for v in values]


def test_carriage_returns_survive_the_xml_parser():
    # an XML parser turns a bare \r into \n: the writer sends it as a character reference
    values = ["a\rb", " x\r", "a\r\nb"]
    for data in (_book([["v"], *([v] for v in values)]), _column_book(values)):
        ws = load_workbook(io.BytesIO(data))["t"]
        assert [ws.cell(row=r, column=1).value for r in range(2, 5)] == values


# ---------------------------------------------------------------------------------------------
# whole columns with Arrow: the same cells as cell_xml

_CELL_TEXT = st.text(alphabet=st.sampled_from(list("质量a &<>\"'\r\n\t\x00\x01\x0b\x1f") + ["\u3000", "\xa0", "\u2028",
                                                                                    "\ufffe", "𠀀", "é", "\x85"]),
                     max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(_CELL_TEXT, min_size=1, max_size=12), st.integers(1, 800), st.integers(2, 10**6),
       st.sampled_from([xlsx.PLAIN, xlsx.WRAP]))
def test_text_cells_are_cell_xml_of_each_value(values, column, first_row, style):
    letter = xlsx.column_letter(column)
    expected = [xlsx.cell_xml(f"{letter}{first_row + i}", v, style) for i, v in enumerate(values)]
    assert xlsx.text_cells(values, column, first_row, style).to_pylist() == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**6, 10**6).map(float),
                min_size=1, max_size=12), st.sampled_from([xlsx.PLAIN, xlsx.PERCENT]))
def test_number_cells_are_cell_xml_of_each_value(values, style):
    expected = [xlsx.cell_xml(f"C{2 + i}", None if v != v else v, style) for i, v in enumerate(values)]
    assert xlsx.number_cells(values, 3, 2, style).to_pylist() == expected
    ints = [int(v) for v in values if v == v and abs(v) < 1e18]
    if ints:
        assert (xlsx.number_cells(ints, 3, 2).to_pylist()
                == [xlsx.cell_xml(f"C{2 + i}", v) for i, v in enumerate(ints)])


@given(st.lists(st.none() | st.booleans(), min_size=1, max_size=12))
def test_bool_cells_are_cell_xml_of_each_value(values):
    assert xlsx.bool_cells(values, 1, 2).to_pylist() == [xlsx.cell_xml(f"A{2 + i}", v) for i, v in enumerate(values)]


def test_rows_xml_puts_the_cells_of_each_row_in_order():
    cells = [xlsx.text_cells(["a", ""], 1, 7), xlsx.number_cells([1.5, float("nan")], 2, 7)]
    assert xlsx.rows_xml(cells, 7).decode() == (
        '<row r="7"><c r="A7" t="inlineStr"><is><t>a</t></is></c><c r="B7"><v>1.5</v></c></row><row r="8"></row>')


def test_print_setup_panes_heights_and_page_breaks():
    rows = [["plan_id", "task_id", "text", "score"]] + [[f"p{i}", f"p{i}:1", "质" * 50, 0.123456] for i in range(6)]
    data = _book(rows, widths=(10, 10, 30, 8), freeze_columns=2, paper="letter", heights={2: 43.5},
                 page_breaks=[3, 5])
    ws = load_workbook(io.BytesIO(data))["t"]
    assert ws.freeze_panes == "C2" and ws.print_title_rows == "$1:$1"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth) == ("landscape", 1, 1)
    assert ws.row_dimensions[2].height == 43.5 and ws.row_dimensions[3].height is None
    assert [b.id for b in ws.row_breaks.brk] == [3, 5]
    assert ws.oddFooter.left.text == "&A"


def test_rows_xml_sets_the_heights_of_tall_rows_only():
    cells = [xlsx.text_cells(["a", "b"], 1, 4)]
    assert xlsx.rows_xml(cells, 4, [0, 29.5]).decode() == (
        '<row r="4"><c r="A4" t="inlineStr"><is><t>a</t></is></c></row>'
        '<row r="5" ht="30" customHeight="1"><c r="A5" t="inlineStr"><is><t>b</t></is></c></row>')
    score = xlsx.number_cells([0.123456], 2, 2, xlsx.SCORE).to_pylist()[0]
    assert score == f'<c r="B2" s="{xlsx.SCORE}"><v>0.123456</v></c>'  # shown 0.123 by the style, kept whole


def test_sheets_compressed_by_the_thread_are_the_sheets_made(monkeypatch):
    """The thread that deflates (xlsx._Deflater) gets the XML in pieces of PIECE_BYTES, cut across blocks;
    the entries are whole, in order, at COMPRESS_LEVEL, and the bytes are those of any other run."""
    monkeypatch.setattr(xlsx, "PIECE_BYTES", 1000)  # many pieces, blocks cut in the middle
    monkeypatch.setattr(xlsx, "AHEAD", 2)
    n = 3000
    ids = xlsx.text_cells(xlsx.at.strings(pd.array([f"任务{i}" for i in range(n)], dtype="string")), 1, 2)
    blocks = [xlsx.rows_xml([ids[i:i + 700]], 2 + i) for i in range(0, n, 700)]
    header = [[xlsx.cell_xml("A1", "task", xlsx.HEADER)]]

    def book() -> bytes:
        out = io.BytesIO()
        xlsx.write_xlsx(out, [xlsx.Sheet("a", header, n + 1, 1, blocks=iter(blocks)),
                              xlsx.Sheet("b", [[xlsx.cell_xml("A1", "x")]], 1, 1, header=False)],
                        created=datetime(2020, 1, 2))
        return out.getvalue()

    data = book()
    assert data == book()
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb["a"]["A"]] == ["task", *(f"任务{i}" for i in range(n))]
    assert wb["b"]["A1"].value == "x"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert [i.filename for i in zf.infolist()][-2:] == ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]


def test_an_error_making_a_sheet_or_writing_it_is_raised_not_a_hang(monkeypatch):
    """An error while the XML is made reaches the caller (the thread is ended); so does an error of the
    thread that compresses and writes (the file object failing)."""
    import pytest

    def broken_rows():
        yield [xlsx.cell_xml("A1", "ok")]
        raise ValueError("a cell could not be made")

    with pytest.raises(ValueError, match="could not be made"):
        xlsx.write_xlsx(io.BytesIO(), [xlsx.Sheet("t", broken_rows(), 2, 1)], created=datetime(2020, 1, 2))

    class Full(io.BytesIO):
        def write(self, data):
            if self.tell() > 2000:
                raise OSError(28, "No space left on device")
            return super().write(data)

    monkeypatch.setattr(xlsx, "PIECE_BYTES", 500)
    monkeypatch.setattr(xlsx, "AHEAD", 1)
    rows = ([xlsx.cell_xml(f"A{r}", "湖南" * 50)] for r in range(1, 5000))
    with pytest.raises(OSError, match="No space left"):
        xlsx.write_xlsx(Full(), [xlsx.Sheet("t", rows, 4999, 1)], created=datetime(2020, 1, 2))
