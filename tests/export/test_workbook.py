"""The Excel workbook: every sheet, frozen bold header, autofilter, numbers as numbers, no formula injection."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from policycompare.export.workbook import (
    DETAIL_ORDER,
    DETAIL_ROWS_PER_PLAN,
    build_date,
    detail_rows,
    for_reading,
    workbook_bytes,
)
from policycompare.ingest.files import write_bytes_atomic
from policycompare.schema import DESCRIPTIONS


@pytest.fixture(scope="module")
def book(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "policycompare.xlsx"
    tables = corpus.tables()
    write_bytes_atomic(path, workbook_bytes(tables, DESCRIPTIONS, corpus.plans[["source_file", "sha256"]], "test"))
    return load_workbook(path), tables


def _titles(tables):
    return tables["tasks"].drop_duplicates("task_id").set_index("task_id")["title"]


def test_every_table_with_rows_has_a_sheet_with_frozen_bold_header_and_filter(book):
    wb, tables = book
    shown = [name for name, df in tables.items() if len(df)]
    assert wb.sheetnames == ["Summary", "README", "Codebook", *shown]
    for name in shown:
        df = for_reading(name, tables[name], _titles(tables))
        ws = wb[name]
        assert ws.freeze_panes in ("A2", "B2", "C2")
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert [c.value for c in ws[1]] == list(df.columns)
        assert set(df.columns) >= set(tables[name].columns)
        assert all(c.font.bold for c in ws[1])
        if name in DETAIL_ORDER:  # the first rows per plan, best first
            shown = detail_rows(name, df)
            assert ws.max_row == len(shown) + 1
            assert shown.groupby(DETAIL_ORDER[name][0]).size().max() <= DETAIL_ROWS_PER_PLAN
        else:
            assert ws.max_row == len(df) + 1


def test_readme_sheet_lists_sheets_sources_and_version(book, corpus):
    wb, tables = book
    values = [row[0] for row in wb["README"].iter_rows(values_only=True)]
    assert all(name in values for name in tables)
    assert all(name in values for name in corpus.plans["source_file"])
    assert "policycompare version" in values and "built" in values


def test_numbers_are_numbers_and_text_is_text(book):
    wb, _ = book
    ws = wb["pass_rates"]
    header = [c.value for c in ws[1]]
    col = header.index("threshold") + 1
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)}
    assert values["lingwu_2017"] == 92 and values["sichuan_2018"] == 91.5
    assert values["shanghai_2017"] is None
    assert isinstance(values["hunan_2017"], (int, float))


def test_text_starting_like_a_formula_stays_text(tmp_path):
    df = pd.DataFrame({"text": ["=SUM(A1:A3)", "+86 12315", "-GB/T 1", "@home", "plain"], "n": [1, 2, 3, 4, 5]})
    path = tmp_path / "x.xlsx"
    write_bytes_atomic(path, workbook_bytes({"t": df}, {}, pd.DataFrame(columns=["source_file", "sha256"]), "test"))
    ws = load_workbook(path)["t"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == list(df["text"])
    assert all(c.data_type == "s" for c in cells)
    assert [ws.cell(row=r, column=2).data_type for r in range(2, 7)] == ["n"] * 5


def test_same_tables_same_bytes(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    df = pd.DataFrame({"a": ["湖南", "四川"], "b": [90.0, 91.5]})
    src = pd.DataFrame({"source_file": ["x.txt"], "sha256": ["0" * 64]})
    assert workbook_bytes({"t": df}, {}, src, "1") == workbook_bytes({"t": df}, {}, src, "1")
    assert build_date().year == 2023


def test_a_table_longer_than_a_sheet_is_cut_and_the_readme_says_so(tmp_path, monkeypatch):
    import policycompare.export.workbook as workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    df = pd.DataFrame({"n": range(10)})
    path = tmp_path / "long.xlsx"
    write_bytes_atomic(path, workbook_bytes({"long": df}, {"long": "numbers"}, pd.DataFrame(columns=["source_file", "sha256"]), "t"))
    wb = load_workbook(path)
    assert wb["long"].max_row == 4
    notes = {row[0]: row[1] for row in wb["README"].iter_rows(values_only=True) if row and row[0]}
    assert "first 3 of 10 rows" in notes["long"] and "long.csv" in notes["long"]


def test_detail_tables_keep_the_best_rows_of_each_plan_and_the_readme_says_so(tmp_path):
    rows = [{"plan_a": p, "task_a": f"{p}:{i}", "plan_b": "z", "task_b": "z:1", "score": s, "rank": 1}
            for p in ("a", "b") for i, s in enumerate([0.1, 0.9, 0.5] * 10)]
    df = pd.DataFrame(rows)
    shown = detail_rows("task_similarity", df, per_plan=2)
    assert shown["plan_a"].tolist() == ["a", "a", "b", "b"]
    assert shown["score"].tolist() == [0.9, 0.9, 0.9, 0.9]
    path = tmp_path / "d.xlsx"
    write_bytes_atomic(path, workbook_bytes({"task_similarity": df}, {"task_similarity": "pairs"},
                                            pd.DataFrame(columns=["source_file", "sha256"]), "t"))
    wb = load_workbook(path)
    assert wb["task_similarity"].max_row == 2 * DETAIL_ROWS_PER_PLAN + 1
    notes = {row[0]: row[1] for row in wb["README"].iter_rows(values_only=True) if row and row[0]}
    assert f"first {DETAIL_ROWS_PER_PLAN} rows per plan" in notes["task_similarity"]
    assert "task_similarity.csv" in notes["task_similarity"]


def _readme(wb) -> list:
    return [c for row in wb["README"].iter_rows() for c in row if c.value is not None]


def test_no_cell_of_any_sheet_is_a_formula(tmp_path):
    src = pd.DataFrame({"source_file": ["=1+1_2017.txt", "+x.txt", "@y.txt", "-z.txt"], "sha256": ["=0", "1", "2", "3"]})
    df = pd.DataFrame({"plan_id": ["=HYPERLINK(\"x\")"], "n": [1]})
    path = tmp_path / "f.xlsx"
    write_bytes_atomic(path, workbook_bytes({"plans": df}, {"plans": "=cmd"}, src, "=1"))
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    values = [c.value for c in _readme(wb)]
    assert "=1+1_2017.txt" in values and "+x.txt" in values


def test_a_long_text_is_cut_with_a_note_saying_where_it_is_whole_and_the_readme_says_so(tmp_path):
    from policycompare.export.workbook import CUT_AT

    long = "质" * (CUT_AT + 500)
    df = pd.DataFrame({"plan_id": ["a", "b"], "text": [long, "short"], "char_start": [10, 0], "char_end": [1510, 5]})
    other = pd.DataFrame({"plan_id": ["a"], "message": ["x" * (CUT_AT + 1)]})
    path = tmp_path / "l.xlsx"
    write_bytes_atomic(path, workbook_bytes({"tasks": df, "warnings": other}, {"tasks": "tasks"},
                                            pd.DataFrame(columns=["source_file", "sha256"]), "t"))
    wb = load_workbook(path)
    cell = wb["tasks"]["B2"].value
    assert cell.startswith("质" * CUT_AT + " …(cut: 1,000 of 1,500 characters shown")
    assert cell.endswith("whole in tasks.csv and text/a.txt chars 10–1510)")
    assert wb["tasks"]["B3"].value == "short"
    assert wb["warnings"]["B2"].value.endswith("whole in warnings.csv)")  # not a span of a plan's text
    notes = {row[0]: row[1] for row in wb["README"].iter_rows(values_only=True) if row and row[0]}
    assert "1 text(s) longer than 1,000 characters cut" in notes["tasks"]
    assert "1,000 characters is cut" in notes["long texts"]
    height = wb["tasks"].row_dimensions[2].height  # the cut text's row shows its lines, and no more than a page
    assert 200 < height < 700 and wb["tasks"].row_dimensions[3].height in (None, 15)


def test_dates_are_excel_dates_and_shares_percentages(book):
    import datetime as dt

    wb, tables = book
    ws = wb["plans"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("issued_date") + 1)
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "yyyy-mm-dd"
    ws = wb["sector_coverage"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("share_of_tasks") + 1)
    assert isinstance(cell.value, float) and cell.number_format == "0.0%"


def test_codebook_lists_every_column_of_every_sheet_with_its_meaning(book):
    wb, tables = book
    rows = list(wb["Codebook"].iter_rows(values_only=True))
    assert rows[0] == ("sheet", "column", "type", "meaning")
    listed = {(r[0], r[1]): r for r in rows[1:]}
    for name, df in tables.items():
        if not len(df):
            assert name not in {r[0] for r in rows}
            continue
        for column in for_reading(name, df, _titles(tables)).columns:
            assert (name, column) in listed, (name, column)
            assert listed[(name, column)][3], f"{name}.{column} has no meaning"
    assert listed[("plans", "issued_date")][2] == "date"
    assert listed[("sector_coverage", "share_of_tasks")][2] == "percent"


def test_column_widths_from_arrow_are_those_of_each_value():
    from policycompare.export.workbook import _display_width, _widest

    texts = ["湖南 90%", "a\nabcdef", None, "x" * 200, "质" * 70, "", "𠀀a"]
    series = pd.Series(texts, dtype="string")
    assert _widest(series) == max(_display_width("" if v is None else v) for v in texts)
    assert _widest(series.head(0)) == 0
    numbers = pd.Series([1.5, 123456.25, None], dtype="float64")
    assert _widest(numbers) == max(_display_width(v) for v in numbers.tolist())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_detail_rows_are_those_of_a_stable_sort_and_head_per_plan(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame({
        "plan_a": pd.array(rng.choice(["p1", "p2", "p3", "p10", None], n), dtype="string"),
        "task_a": pd.array([f"t{i % 7}" for i in range(n)], dtype="string"),
        "plan_b": pd.array(rng.choice(["q", "r", "s"], n), dtype="string"),
        "task_b": pd.array(rng.choice(["u", "v", None], n), dtype="string"),
        "score": np.where(rng.random(n) < 0.05, np.nan, rng.choice([0.5, 0.25, 1.0, 0.75], n)),
        "length": rng.integers(0, 4, n), "a_start": rng.integers(0, 9, n),
    })
    for name, (plan, by, ascending) in DETAIL_ORDER.items():
        expected = (df.sort_values(by, ascending=ascending, kind="stable")
                    .groupby(plan, sort=False, dropna=False).head(3).reset_index(drop=True))
        pd.testing.assert_frame_equal(detail_rows(name, df, per_plan=3), expected)
