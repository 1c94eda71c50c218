"""The workbook prints: page setup, print titles, footer, frozen ids, scores, the Summary sheet, the paper option."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from policycompare.export import xlsx
from policycompare.export.summary import BRANDS, ESCALATION, PASS_RATES
from policycompare.export.workbook import CUT_AT, workbook_bytes
from policycompare.schema import DESCRIPTIONS

NO_SOURCES = pd.DataFrame(columns=["source_file", "sha256"])


@pytest.fixture(scope="module")
def seeds(corpus):
    tables = corpus.tables()
    data = workbook_bytes(tables, DESCRIPTIONS, corpus.plans[["source_file", "sha256"]], "test")
    return load_workbook(io.BytesIO(data)), tables


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def test_every_sheet_prints_landscape_one_page_wide_with_print_titles_and_a_footer(seeds):
    wb, tables = seeds
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9, ws.title  # A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.left.text == "&A" and ws.oddFooter.right.text == "page &P of &N"
        if ws.title in tables or ws.title == "Codebook":
            assert ws.print_title_rows == "$1:$1", ws.title  # the header row on every printed page
            assert ws.auto_filter.ref.startswith("A1:")


def test_ids_are_frozen_with_the_header(seeds):
    wb, _ = seeds
    assert wb["tasks"].freeze_panes == "C2" and _header(wb["tasks"])[:2] == ["plan_id", "task_id"]
    assert wb["targets"].freeze_panes == "C2" and _header(wb["targets"])[:2] == ["plan_id", "target_id"]
    assert wb["task_similarity"].freeze_panes == "C2"
    assert wb["plans"].freeze_panes == "B2"  # plan_id, then the title: not an id
    assert wb["Codebook"].freeze_panes == "A2"


def test_columns_are_ordered_for_reading_and_task_ids_have_their_titles_beside_them(seeds):
    wb, tables = seeds
    plans = _header(wb["plans"])
    assert plans.index("title") < plans.index("sha256") and plans[-1] == "sha256"
    tasks = _header(wb["tasks"])
    assert tasks.index("text") < tasks.index("char_start") < tasks.index("char_end")
    for name in ("task_similarity", "text_reuse"):
        header = _header(wb[name])
        assert header[header.index("task_a") + 1] == "title_a" and header[header.index("task_b") + 1] == "title_b"
    ws = wb["task_similarity"]
    titles = tables["tasks"].set_index("task_id")["title"]
    header = _header(ws)
    for row in ws.iter_rows(min_row=2, values_only=True):
        assert row[header.index("title_a")] == titles[row[header.index("task_a")]]
    codebook = {(r[0], r[1]): r[3] for r in wb["Codebook"].iter_rows(min_row=2, values_only=True)}
    assert "task_a" in codebook[("task_similarity", "title_a")]


def test_scores_are_shown_rounded_and_kept_whole(seeds):
    wb, tables = seeds
    ws = wb["task_similarity"]
    col = _header(ws).index("score") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.number_format == "0.000"
    pairs = tables["task_similarity"]
    best = pairs.loc[pairs["plan_a"] == ws.cell(row=2, column=1).value, "score"].max()
    assert cell.value == best and round(best, 3) != best  # the best pair first, its whole value
    assert ws.cell(row=2, column=_header(ws).index("rank") + 1).number_format == "General"
    ws = wb["pass_rates"]
    assert ws.cell(row=2, column=_header(ws).index("threshold") + 1).number_format == "General"  # 92, not 92.000


def test_empty_tables_are_left_out_and_the_readme_says_why(seeds):
    wb, tables = seeds
    empty = [name for name, df in tables.items() if not len(df)]
    assert empty  # the seeds have no parent plan: no escalation
    notes = {row[0]: row[1] for row in wb["README"].iter_rows(values_only=True) if row and row[0]}
    for name in empty:
        assert name not in wb.sheetnames
        assert notes[name].startswith("left out: the table has no rows") and f"{name}.csv" in notes[name]


def _most_lines(text: str, width: float) -> int:
    """At most how many printed lines a text takes in a column ``width`` wide (a character 1.8 columns at most)."""
    return sum(math.ceil(max(len(line), 1) * 1.8 / (width - 1)) for line in text.split("\n"))


def test_wrapped_rows_are_as_tall_as_their_text(seeds):
    wb, tables = seeds
    ws = wb["tasks"]
    col = _header(ws).index("text") + 1
    width = ws.column_dimensions[xlsx.column_letter(col)].width
    assert width == 60 and ws.cell(row=2, column=col).alignment.wrap_text
    widths = {c: ws.column_dimensions[xlsx.column_letter(c)].width for c in range(1, ws.max_column + 1)}
    for r in range(2, ws.max_row + 1):
        text = ws.cell(row=r, column=col).value
        chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        height = ws.row_dimensions[r].height or 15
        assert height >= 13.5 * chinese * 1.8 / (width - 1) - 14, (r, height, len(text))  # no line hidden
        most = max(_most_lines(str(cell.value), widths[cell.column]) for cell in ws[r]
                   if cell.alignment.wrap_text and cell.value)
        assert height <= math.ceil(13.5 * most + 3)  # no more than the lines the text can take (whole points)


def test_summary_sheet_comes_first_one_block_a_page(seeds):
    wb, _ = seeds
    assert wb.sheetnames[0] == "Summary"
    ws = wb["Summary"]
    first = [row[0] for row in ws.iter_rows(values_only=True)]
    starts = [first.index(title) for title, _ in (PASS_RATES, BRANDS, ESCALATION)]
    assert starts == sorted(starts)
    assert [b.id for b in ws.row_breaks.brk] == [starts[1] - 1 + 1, starts[2] - 1 + 1]  # a page ends before each block
    rows = list(ws.iter_rows(values_only=True))
    rates = rows[starts[0] + 3:starts[1] - 1]
    assert [(r[2], r[5]) for r in rates if r[5] is not None] == [("lingwu_2017", 92), ("sichuan_2018", 91.5),
                                                                 ("hunan_2017", 90)]
    assert rates[-1][:3] == ("(none set)", None, "2 plan(s)") and rates[-1][7] == "shanghai_2017, yancheng_2014"
    brands = {r[0]: r for r in rows[starts[1] + 3:starts[2] - 1]}
    assert brands["hunan_2017"][3:5] == (1, 3) and "湖南名牌产品 400个" in brands["hunan_2017"][5]
    assert brands["2 plan(s)"][1] == "(none set)" and brands["2 plan(s)"][5] == "shanghai_2017, yancheng_2014"
    assert "None here" in rows[starts[2] + 1][0]  # no plan has its parent in the seeds


def test_summary_names_the_first_plans_that_set_none_and_counts_the_rest():
    from policycompare.export.summary import MAX_NAMED, brand_block, pass_rate_block

    ids = [f"p{i:03d}" for i in range(MAX_NAMED + 5)]
    rates = pd.DataFrame({"plan_id": ids, "threshold": [95.0] + [None] * (len(ids) - 1),
                          "indicator_subject": ["consumer_goods"] + [None] * (len(ids) - 1)})
    block = pass_rate_block({"pass_rates": rates})
    assert block["plan_id"].tolist() == ["p000", f"{len(ids) - 1} plan(s)"]
    assert block["label"].iloc[1].endswith(", p060 and 4 more (pass_rates.csv)")
    plans = pd.DataFrame({"plan_id": ids, "jurisdiction": "x", "level": "county"})
    brands = brand_block({"plans": plans, "brand_counts": pd.DataFrame(
        {"plan_id": ["p001"], "metric": ["award"], "label": ["质量奖"], "value": [2.0], "unit": ["个"]})})
    assert brands["plan_id"].tolist() == ["p001", f"{len(ids) - 1} plan(s)"] and brands["awards"][0] == "质量奖 2个"


def test_letter_paper(corpus):
    tables = {"plans": corpus.plans}
    wb = load_workbook(io.BytesIO(workbook_bytes(tables, DESCRIPTIONS, NO_SOURCES, "t", paper="letter")))
    assert {ws.page_setup.paperSize for ws in wb.worksheets} == {1}
    with pytest.raises(ValueError, match="paper"):
        workbook_bytes(tables, DESCRIPTIONS, NO_SOURCES, "t", paper="legal")


def test_paper_is_a_run_option_part_of_the_fingerprint(tmp_path):
    from policycompare.run.manifest import run_options

    a4 = run_options(tmp_path, None, workbook=True, k=None)
    assert "paper" not in a4  # the fingerprints of earlier runs stay valid
    assert run_options(tmp_path, None, workbook=True, k=None, paper="letter") == {**a4, "paper": "letter"}


def test_cli_paper_option(tmp_path):
    from typer.testing import CliRunner

    from policycompare.cli import app

    result = CliRunner().invoke(app, ["run", "--raw", "data/raw", "--out", str(tmp_path / "o"), "--paper", "legal"])
    assert result.exit_code == 2 and "--paper" in result.output


def test_a_long_text_row_stays_within_a_printed_page(tmp_path):
    df = pd.DataFrame({"plan_id": ["a"], "task_id": ["a:1"], "text": ["质" * 50_000], "char_start": [0],
                       "char_end": [50_000]})
    wb = load_workbook(io.BytesIO(workbook_bytes({"tasks": df}, {}, NO_SOURCES, "t")))
    cell = wb["tasks"]["C2"].value
    assert len(cell) < CUT_AT + 120 and "text/a.txt chars 0–50000" in cell
    assert wb["tasks"].row_dimensions[2].height < 595  # shorter than a landscape A4 page
