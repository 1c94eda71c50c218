"""Word and PDF plans: numbering, tables, merged cells, legacy .doc, and the seed plans in every format."""

from __future__ import annotations

import json

import pytest

import policycompare as pc
from policycompare.errors import PlanError
from policycompare.extract.agencies import extract_agencies
from policycompare.ingest.text import read_text
from policycompare.parse.structure import parse_structure

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls  # noqa: E402

# -- helpers: Word documents with automatic numbering ----------------------------------


def add_numbering(document, levels: list[tuple[str, str]], num_id: int = 90, abstract_id: int = 90) -> int:
    """Add a list definition (one ``(numFmt, lvlText)`` per level) to the document; returns its numId."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>')
    first_num = numbering.find(num.tag)
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements come before num elements
    else:
        numbering.append(abstract)
    numbering.append(num)
    return num_id


def numbered(document, text: str, num_id: int, level: int):
    """A paragraph whose number exists only as Word numbering."""
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


CN_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def test_word_numbering_is_rebuilt_as_the_visible_number(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县消费品标准和质量提升实施方案")
    num = add_numbering(document, CN_LEVELS)
    numbered(document, "总体要求", num, 0)
    numbered(document, "工作目标。到2020年,消费品质量监督抽查合格率达到92%以上。", num, 1)
    numbered(document, "主要任务", num, 0)
    numbered(document, "优化标准供给", num, 1)
    numbered(document, "加快建立健全标准体系。推动消费品标准由生产型向消费型转变。", num, 2)
    numbered(document, "2020年前完成标准比对。", num, 2)
    numbered(document, "提升质量水平。开展质量提升行动。", num, 1)
    for i in range(10):
        numbered(document, f"第{i + 3}项重点工作。", num, 0)
    path = tmp_path / "plan.docx"
    document.save(path)
    lines = read_text(path).text.split("\n")
    assert lines[:8] == [
        "某县消费品标准和质量提升实施方案",
        "一、总体要求",
        "（一）工作目标。到2020年,消费品质量监督抽查合格率达到92%以上。",
        "二、主要任务",
        "（一）优化标准供给",  # the second-level counter restarts under a new first-level item
        "1.加快建立健全标准体系。推动消费品标准由生产型向消费型转变。",
        "2. 2020年前完成标准比对。",  # a space keeps the number apart from a leading digit
        "（二）提升质量水平。开展质量提升行动。",
    ]
    assert lines[-1] == "十二、第12项重点工作。"
    tasks = parse_structure("x", read_text(path).text).tasks
    by_id = {t["task_id"]: t for t in tasks}
    assert by_id["x:2.1.1"]["title"] == "加快建立健全标准体系"
    assert by_id["x:2.1.2"]["title"] == "2020年前完成标准比对"
    assert by_id["x:2.2"]["title"] == "提升质量水平"


def test_list_number_style_gives_numbers(tmp_path):
    document = docx.Document()
    document.add_paragraph("某县消费品标准和质量提升实施方案,推进消费品质量提升。")
    document.add_paragraph("加强标准体系建设。", style="List Number")
    document.add_paragraph("推行企业标准自我声明公开。", style="List Number")
    path = tmp_path / "plan.docx"
    document.save(path)
    assert read_text(path).text.split("\n")[1:] == ["1.加强标准体系建设。", "2.推行企业标准自我声明公开。"]


def annex_table_document():
    """A plan whose annex is a task table: bare 序号 cells, a category row across all columns,
    a lead agency merged down two rows."""
    document = docx.Document()
    document.add_paragraph("某市消费品质量提升行动方案")
    document.add_paragraph("一、主要任务")
    document.add_paragraph("(一)提升消费品质量。按照附件1的分工推进各项工作,确保取得实效。")
    document.add_paragraph("附件1")
    document.add_paragraph("重点任务分解表")
    rows = [
        ("序号", "任务", "牵头单位", "配合单位"),
        ("标准提升", "", "", ""),
        ("1", "开展消费品标准比对。到2020年主要消费品国际标准转化率达到95%以上。", "市场监管局", "工信局、商务局"),
        ("2", "推行企业标准自我声明公开。", "", "科技局"),
        ("3", "培育消费品品牌,新增省级名牌产品10个。", "商务局", ""),
    ]
    table = document.add_table(rows=len(rows), cols=4)
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            if value:
                table.cell(i, j).text = value
    table.cell(1, 0).merge(table.cell(1, 3))  # category row: one cell across the table (gridSpan)
    table.cell(2, 2).merge(table.cell(3, 2))  # 市场监管局 leads rows 1 and 2 (vMerge)
    return document


def test_docx_task_table_bare_numbers_and_merged_cells(tmp_path):
    path = tmp_path / "city_2018.docx"
    annex_table_document().save(path)
    lines = read_text(path).text.split("\n")
    assert lines[5:] == [
        "序号 | 任务 | 牵头单位 | 配合单位 |",
        "标准提升 |",
        "1 | 开展消费品标准比对。到2020年主要消费品国际标准转化率达到95%以上。 | 市场监管局 | 工信局、商务局 |",
        "2 | 推行企业标准自我声明公开。 | 市场监管局 | 科技局 |",
        "3 | 培育消费品品牌,新增省级名牌产品10个。 | 商务局 |  |",
    ]
    plan = pc.read_plan(path)
    annex = [t for t in plan.structure.tasks if t["part"] == "annex"]
    assert [t["task_id"] for t in annex] == ["city_2018:A1.1", "city_2018:A1.2", "city_2018:A1.3"]
    assert [t["title"] for t in annex] == ["开展消费品标准比对", "推行企业标准自我声明公开", "培育消费品品牌,新增省级名牌产品10个"]
    assert [t["number"] for t in annex] == ["1", "2", "3"]
    assert annex[0]["section_path"].endswith("标准提升")
    assert json.loads(annex[2]["table_cells"]) == {"序号": "3", "任务": "培育消费品品牌,新增省级名牌产品10个。",
                                                   "牵头单位": "商务局", "配合单位": ""}
    rows, _ = extract_agencies(plan.plan_id, plan.text, plan.structure.tasks)
    found = {(r["task_id"].split(":")[1], r["role"], r["agency"]) for r in rows}
    assert found == {
        ("A1.1", "lead", "市场监管局"), ("A1.1", "cooperate", "工信局"), ("A1.1", "cooperate", "商务局"),
        ("A1.2", "lead", "市场监管局"), ("A1.2", "cooperate", "科技局"),
        ("A1.3", "lead", "商务局"),
    }
    for r in rows:
        assert plan.text[r["char_start"]:r["char_end"]] == r["agency"]


def test_auto_numbered_serial_cells_become_task_rows(tmp_path):
    document = docx.Document()
    for text in ("某县消费品质量提升行动方案", "一、主要任务", "(一)按照附件推进各项工作,确保取得实效。", "附件1", "任务分解表"):
        document.add_paragraph(text)
    num = add_numbering(document, [("decimal", "%1")], num_id=91, abstract_id=91)
    table = document.add_table(rows=3, cols=3)
    for j, value in enumerate(("序号", "任务", "责任单位")):
        table.cell(0, j).text = value
    for i, (task, agency) in enumerate((("开展标准比对。", "市场监管局"), ("推行自我声明公开。", "工信局")), start=1):
        cell = table.cell(i, 0).paragraphs[0]
        num_pr = cell._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num
        table.cell(i, 1).text = task
        table.cell(i, 2).text = agency
    path = tmp_path / "county_2019.docx"
    document.save(path)
    assert read_text(path).text.split("\n")[-2:] == ["1 | 开展标准比对。 | 市场监管局 |", "2 | 推行自我声明公开。 | 工信局 |"]
    plan = pc.read_plan(path)
    annex = [t for t in plan.structure.tasks if t["part"] == "annex"]
    assert [(t["task_id"], t["title"]) for t in annex] == [("county_2019:A1.1", "开展标准比对"), ("county_2019:A1.2", "推行自我声明公开")]
    rows, _ = extract_agencies(plan.plan_id, plan.text, plan.structure.tasks)
    assert [(r["task_id"], r["role"], r["agency"]) for r in rows] == [
        ("county_2019:A1.1", "responsible", "市场监管局"), ("county_2019:A1.2", "responsible", "工信局")]


def test_bare_numbers_must_count_up_to_start_a_row():
    text = ("一、主要任务\n(一)总体工作。内容。\n附件1\n任务分解表\n序号 | 任务 | 数量 | 牵头单位 |\n"
            "1 | 新增名牌产品 | 3 | 商务局 |\n2 | 培育品牌企业 | 1 | 工信局 |\n")
    annex = [t for t in parse_structure("x", text).tasks if t["part"] == "annex"]
    assert [(t["task_id"], t["title"]) for t in annex] == [("x:A1.1", "新增名牌产品"), ("x:A1.2", "培育品牌企业")]
    assert json.loads(annex[1]["table_cells"])["数量"] == "1"


def test_annex_heading_in_a_merged_first_row_of_the_table():
    text = ("一、主要任务\n(一)总体工作。内容。\n附件1 重点任务分解表 |\n序号 | 任务 | 牵头单位 |\n"
            "1 | 开展标准比对。 | 市场监管局 |\n2 | 推行自我声明。 | 工信局 |\n")
    annex = [t for t in parse_structure("x", text).tasks if t["part"] == "annex"]
    assert [t["title"] for t in annex] == ["开展标准比对", "推行自我声明"]
    assert annex[0]["section_path"] == "附件1 > 重点任务分解表"


def test_category_column_before_the_number_keeps_cells_under_their_headers():
    text = ("一、主要任务\n(一)总体工作。内容。\n附件1\n任务分解表\n类别 | 序号 | 任务 | 牵头单位 |\n"
            "标准提升 | 1 | 开展标准比对。 | 市场监管局 |\n标准提升 | 2 | 推行自我声明。 | 工信局 |\n")
    annex = [t for t in parse_structure("x", text).tasks if t["part"] == "annex"]
    assert [t["title"] for t in annex] == ["开展标准比对", "推行自我声明"]
    assert json.loads(annex[1]["table_cells"]) == {"序号": "2", "任务": "推行自我声明。", "牵头单位": "工信局"}
    assert annex[1]["section_path"].endswith("标准提升")


# -- legacy Word ------------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_without_a_converter_says_what_to_install(tmp_path, monkeypatch, suffix):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    path = tmp_path / f"old_2016{suffix}"
    path.write_bytes(OLE2 + b"\x00" * 600)
    with pytest.raises(PlanError) as info:
        read_text(path)
    message = str(info.value)
    assert message.startswith(f"old_2016{suffix}: ")
    assert "antiword" in message and "LibreOffice" in message and "apt-get install antiword" in message


def test_legacy_word_that_is_no_word_file(tmp_path):
    path = tmp_path / "fake.doc"
    path.write_bytes("一、主要任务".encode("utf-8") * 20)
    with pytest.raises(PlanError, match="fake.doc: not a Word .doc file"):
        read_text(path)


def test_a_docx_saved_as_doc_is_read_as_docx(tmp_path):
    path = tmp_path / "plan.doc"
    annex_table_document().save(path)
    result = read_text(path)
    assert "1 | 开展消费品标准比对" in result.text
    assert any("is a .docx file" in w for w in result.warnings)


def test_a_failing_converter_is_one_message(tmp_path, monkeypatch):
    import shutil

    fake = tmp_path / "antiword"
    fake.write_text("#!/bin/sh\necho 'I am not a Word document.' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(fake) if name == "antiword" else None)
    path = tmp_path / "old.doc"
    path.write_bytes(OLE2 + b"\x00" * 600)
    with pytest.raises(PlanError, match="old.doc: could not convert the Word file: antiword failed"):
        read_text(path)


@pytest.fixture(scope="module")
def real_doc(tmp_path_factory):
    """The sichuan seed plan as a real Word 97 .doc, written by LibreOffice (skipped without it)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    from .formats_helpers import plan_blocks, write_docx

    folder = tmp_path_factory.mktemp("doc")
    write_docx(plan_blocks(RAW / "sichuan_2018.txt"), folder / "sichuan_2018.docx")
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to",
                    "doc", "--outdir", str(folder), str(folder / "sichuan_2018.docx")], capture_output=True, timeout=180)
    path = folder / "sichuan_2018.doc"
    if not path.exists():
        pytest.skip("LibreOffice could not write a .doc here")
    (folder / "sichuan_2018.docx").unlink()
    return path


@pytest.mark.parametrize("tool", ["soffice", "antiword"])
def test_a_real_doc_gives_the_same_tables_as_the_text(real_doc, tool, monkeypatch):
    import shutil

    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed")
    which = shutil.which
    hidden = {"soffice", "libreoffice"} if tool == "antiword" else {"antiword"}
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in hidden else which(name, *a, **k))
    result = read_text(real_doc)
    assert result.encoding == tool and result.kind == "doc"
    assert _outcome(pc.read_plan(real_doc)) == _outcome(pc.read_plan(RAW / "sichuan_2018.txt"))


# -- PDF ---------------------------------------------------------------------------------

from policycompare.ingest import pdf as ingest_pdf  # noqa: E402
from policycompare.ingest.pdf import _assemble, _Line, _Page, _Table  # noqa: E402

LONG = ("（一）加快建立健全标准体系。推动消费品标准由生产型向消费型、服务型转变,提高标准供给能力,"
        "到2020年消费品质量监督抽查合格率达到92%以上,重点领域主要消费品与国际标准一致性程度达到95%以上,"
        "在家用电器、消费类电子产品等领域培育一批消费品品牌。")
ROWS = [(str(i), f"开展第{i}项重点工作,推动消费品标准和质量提升,形成一批可复制推广的经验做法。",
         "市场监管局" if i % 2 else "工信局", "商务局、科技局") for i in range(1, 31)]


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory):
    """fpdf2 with the bundled Noto Sans CJK (CFF outlines): a task table over two pages, headers, page numbers."""
    pytest.importorskip("fpdf")
    from .formats_helpers import Table, write_pdf

    table = Table(header=["序号", "任务", "牵头单位", "配合单位"], rows=[list(r) for r in ROWS])
    blocks = ["某市消费品质量提升行动方案", "一、主要任务", LONG, "二、保障措施", "(一)加强组织领导。", "附件1",
              "重点任务分解表", table]
    path = tmp_path_factory.mktemp("pdf") / "city_2018.pdf"
    pages = write_pdf(blocks, path)
    assert pages >= 2
    return path


def test_pdf_text_headers_page_numbers_and_wrapped_lines(table_pdf):
    result = read_text(table_pdf)
    assert result.kind == "pdf" and result.warnings == ()
    lines = result.text.split("\n")
    assert lines[:6] == ["某市消费品质量提升行动方案", "一、主要任务", LONG, "二、保障措施", "(一)加强组织领导。", "附件1"]
    assert not any("人民政府办公室文件" in line for line in lines)  # running header
    assert not any(line.startswith("- ") for line in lines)  # page numbers


def test_pdf_task_table_across_two_pages_reads_as_rows(table_pdf):
    lines = read_text(table_pdf).text.split("\n")
    start = lines.index("序号 | 任务 | 牵头单位 | 配合单位 |")
    assert lines[start + 1:] == [" | ".join(row) + " |" for row in ROWS]  # the repeated header row is gone
    plan = pc.read_plan(table_pdf)
    annex = [t for t in plan.structure.tasks if t["part"] == "annex"]
    assert [t["task_id"] for t in annex] == [f"city_2018:A1.{i}" for i in range(1, 31)]
    assert annex[29]["title"] == "开展第30项重点工作,推动消费品标准和质量提升,形成一批可复制推广的经验做法"
    rows, _ = extract_agencies(plan.plan_id, plan.text, plan.structure.tasks)
    assert {(r["task_id"], r["role"], r["agency"]) for r in rows if r["task_id"].endswith(":A1.30")} == {
        ("city_2018:A1.30", "lead", "工信局"), ("city_2018:A1.30", "cooperate", "商务局"),
        ("city_2018:A1.30", "cooperate", "科技局")}


def test_pdf_cells_merged_down_rows_are_repeated_and_across_columns_written_once(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("p", fontName="STSong-Light", fontSize=11, leading=16)
    data = [["序号", "任务", "牵头单位", "配合单位"], ["标准提升", "", "", ""],
            ["1", "开展消费品标准比对。", "市场监管局", "工信局"], ["2", "推行企业标准自我声明公开。", "", "科技局"],
            ["3", "培育消费品品牌。", "商务局", ""]]
    table = Table(data, colWidths=[40, 200, 90, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "STSong-Light", 10),
                               ("SPAN", (0, 1), (3, 1)), ("SPAN", (2, 2), (2, 3)), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    path = tmp_path / "merged.pdf"
    story = [Paragraph(t, style) for t in ("某市消费品质量提升行动方案", "一、主要任务", "(一)按照附件推进各项工作,确保取得实效。",
                                           "附件1", "重点任务分解表")]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story + [table])
    lines = read_text(path).text.split("\n")
    assert lines[5:] == ["序号 | 任务 | 牵头单位 | 配合单位 |", "标准提升 |", "1 | 开展消费品标准比对。 | 市场监管局 | 工信局 |",
                         "2 | 推行企业标准自我声明公开。 | 市场监管局 | 科技局 |", "3 | 培育消费品品牌。 | 商务局 |  |"]


def line(text, top, x1=500.0):
    return _Line(text, 50.0, x1, top, top + 12, 12.0)


def test_tables_continued_on_the_next_page_are_joined():
    header = ["序号", "任务", "牵头单位"]
    page1 = _Page([line("附件1", 700), _Table(710, [header, ["1", "开展标准比对", "市场监管局"], ["2", "推行企业", "工信局"]])],
                  right=500)
    # page 2: running header, the header row repeated, the rest of row 2, row 3, a page number
    page2 = _Page([line("某市人民政府文件", 20), _Table(40, [header, ["", "标准自我声明公开", ""], ["3", "培育品牌", "商务局"]]),
                   line("第 2 页", 800, 300)], right=500)
    page1.items.insert(0, line("某市人民政府文件", 20))
    page1.items.append(line("第 1 页", 800, 300))
    assert _assemble([page1, page2]).split("\n") == [
        "附件1", "序号 | 任务 | 牵头单位 |", "1 | 开展标准比对 | 市场监管局 |", "2 | 推行企业标准自我声明公开 | 工信局 |",
        "3 | 培育品牌 | 商务局 |"]
    # the header row not repeated
    page2.items[1] = _Table(40, [["3", "培育品牌", "商务局"]])
    assert _assemble([page1, page2]).split("\n")[-2:] == ["2 | 推行企业 | 工信局 |", "3 | 培育品牌 | 商务局 |"]


@pytest.mark.parametrize("number", ["- 3 -", "— 3 —", "第3页", "第 3 页 共 12 页", "3/12", "3", "Page 3 of 12"])
def test_page_numbers_are_dropped(number):
    pages = [_Page([line("一、主要任务。", 100), line(number, 800, 300)], right=500)]
    assert _assemble(pages) == "一、主要任务。"


def test_wrapped_lines_are_rejoined_only_where_the_page_wrapped():
    pages = [_Page([
        line("某市消费品质量提升行动方案", 50, 300),  # a short line: not wrapped
        line("一、主要任务", 70, 150),
        line("(一)加快建立健全标准体系,推动消费品标准由生产型向消费型", 90),  # runs to the margin
        line("转变。提高标准供给能力。", 110, 250),
        line("牵头单位:市场监管局、工信局、商务局、科技局、财政局、发改局、", 130),
        line("教体局、住建局", 150, 200),  # a list going on
        line("利用质量月、标准化日、计量日、3.", 170),
        line("15、中国品牌日等活动,加强宣传。", 190, 300),  # a number cut by the wrap, not a heading
        line("(二)提升质量水平,开展质量提升行动,推动消费品质量提升", 210),
        line("(三)下一项。", 230, 200),  # a heading is never glued to the line above
    ], right=500)]
    assert _assemble(pages).split("\n") == [
        "某市消费品质量提升行动方案", "一、主要任务", "(一)加快建立健全标准体系,推动消费品标准由生产型向消费型转变。提高标准供给能力。",
        "牵头单位:市场监管局、工信局、商务局、科技局、财政局、发改局、教体局、住建局",
        "利用质量月、标准化日、计量日、3.15、中国品牌日等活动,加强宣传。",
        "(二)提升质量水平,开展质量提升行动,推动消费品质量提升", "(三)下一项。"]



def cjk_line(text, top, x1=500.0, x0=50.0):
    return _Line(text, x0, x1, top, top + 12, 12.0, 12.0)


def test_a_line_ending_a_sentence_is_continued_only_when_it_is_full_and_the_next_is_not_indented():
    pages = [_Page([
        cjk_line("(一)建立质量追溯制度,推动企业落实质量追溯制度。", 90, 495),  # full: the page wrapped at 。
        cjk_line("实施消费品风险监测。(省质监局负责)", 110, 300),
        cjk_line("(二)加强宣传,营造规划实施的良好氛围,提振市场消费信心。", 130, 499),
        cjk_line("(省委宣传部负责)", 150, 200),  # the duty of the task above, wrapped at 。 (not a heading)
        cjk_line("加强监管,提高监督抽查整体水平,推动企业质量提升工作。", 170, 470),  # 2.5 em short: a paragraph end
        cjk_line("强化执法,开展专项行动,打击制售假冒伪劣消费品行为。", 190, 498),
        cjk_line("推动企业开展质量对标,实施质量提升行动。", 210, 400, x0=74),  # indented: a new paragraph
        cjk_line("建立激励机制,对质量提升先进企业予以政策支持和激励。", 230, 499),
        cjk_line("(三)下一项。", 250, 200),  # a heading is never glued to the line above
    ], right=500)]
    assert _assemble(pages).split("\n") == [
        "(一)建立质量追溯制度,推动企业落实质量追溯制度。实施消费品风险监测。(省质监局负责)",
        "(二)加强宣传,营造规划实施的良好氛围,提振市场消费信心。(省委宣传部负责)",
        "加强监管,提高监督抽查整体水平,推动企业质量提升工作。",
        "强化执法,开展专项行动,打击制售假冒伪劣消费品行为。",
        "推动企业开展质量对标,实施质量提升行动。",
        "建立激励机制,对质量提升先进企业予以政策支持和激励。",
        "(三)下一项。"]


def test_the_right_margin_of_a_page_of_short_lines_is_that_of_the_other_pages():
    def page(k):
        return _Page([cjk_line(f"第{k}页推动消费品标准由生产型向消费型转变,提高消费品供给质量。", 100, 500),
                      cjk_line("推动企业开展质量对标。", 120, 200)], right=500)

    # the last page's widest line is not full: it ends a paragraph, the signature is a line of its own
    last = _Page([cjk_line("各地要结合实际,认真抓好贯彻落实。", 100, 300), cjk_line("湖南省人民政府办公厅", 120, 250)], right=300)
    assert _assemble([page(1), page(2), last]).split("\n")[-2:] == ["各地要结合实际,认真抓好贯彻落实。", "湖南省人民政府办公厅"]


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("根據國(s", "hù)量的標準", "根據國(shù)量的標準"),  # a pinyin gloss cut by the wrap: one syllable
    ("加強(q", "iáng)化監管", "加強(qiáng)化監管"),
    ("提升標準(zhǔ", "n)水平", "提升標準(zhǔn)水平"),
    ("参照世界银行(World", "Bank)的标准", "参照世界银行(World Bank)的标准"),  # two English words: a word space
])
def test_a_pinyin_gloss_cut_by_the_wrap_is_joined_without_a_space(first, second, joined):
    pages = [_Page([cjk_line(first, 100, 500), cjk_line(second, 120, 300)], right=500)]
    assert _assemble(pages) == joined


def test_a_line_of_one_character_pdfium_drops_is_read_from_pdfminer(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    from .formats_helpers import write_pdf_cid

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    tail = "开展相关工作。(市质量技监局负责"
    room = A4[0] - 40 * mm - 2 - pdfmetrics.stringWidth(tail, "STSong-Light", 11)
    fill = "质" * int(room // pdfmetrics.stringWidth("质", "STSong-Light", 11))
    path = tmp_path / "lone_2017.pdf"
    write_pdf_cid(["一、主要任务", fill + tail + ")", "二、保障措施"], path)  # the ")" wraps to a line of its own
    assert read_text(path).text.split("\n")[1:4] == ["一、主要任务", fill + tail + ")", "二、保障措施"]

def _textless_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150)  # a scan is an image; any page without text will do
    pdf.output(str(path))


def test_a_scanned_pdf_without_ocr_is_one_clear_error(tmp_path, monkeypatch):
    pytest.importorskip("fpdf")
    monkeypatch.setattr(ingest_pdf, "tesseract_chi_sim", lambda: None)
    path = tmp_path / "scan_2019.pdf"
    _textless_pdf(path)
    with pytest.raises(PlanError) as info:
        read_text(path)
    assert str(info.value).startswith("scan_2019.pdf: has no text layer (a scanned PDF?)")
    assert "tesseract-ocr-chi-sim" in str(info.value)


def test_a_pdf_whose_fonts_have_no_unicode_map_is_treated_like_a_scan(tmp_path, monkeypatch, table_pdf):
    monkeypatch.setattr(ingest_pdf, "tesseract_chi_sim", lambda: None)
    raw = table_pdf.read_bytes()
    assert b"/ToUnicode" in raw
    path = tmp_path / "cid.pdf"
    path.write_bytes(raw.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: the file stays valid
    with pytest.raises(PlanError, match=r"cid.pdf: has a text layer without a Unicode map \(\(cid:…\) glyphs\)"):
        read_text(path)


def _tesseract_tsv(lines: list[tuple[str, int]]) -> str:
    """Tesseract TSV output: one word row (level 5) per space-separated word, line by line."""
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for n, (text, top) in enumerate(lines, start=1):
        left = 200
        for k, word in enumerate(text.split(" "), start=1):
            rows.append(f"5\t1\t{n}\t1\t1\t{k}\t{left}\t{top}\t{50 * len(word)}\t50\t95.0\t{word}")
            left += 50 * len(word) + 10
    return "\n".join(rows) + "\n"


def test_ocr_is_used_when_tesseract_with_chi_sim_is_installed(tmp_path, monkeypatch):
    pytest.importorskip("fpdf")
    import shutil

    tsv = tmp_path / "page.tsv"
    tsv.write_text(_tesseract_tsv([("某 市 消费品质量提升行动方案", 300), ("一、 主要任务", 400),
                                   ("(一) 加快建立健全标准体系。推动 消费品标准提升。", 500), ("- 1 -", 3300)]), encoding="utf-8")
    fake = tmp_path / "tesseract"
    fake.write_text(f"#!/bin/sh\nif [ \"$1\" = \"--list-langs\" ]; then echo 'List of available languages (2):'; "
                    f"echo chi_sim; echo eng; exit 0; fi\ncat '{tsv}'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: str(fake) if name == "tesseract" else None)
    path = tmp_path / "scan.pdf"
    _textless_pdf(path)
    result = read_text(path)
    assert result.text.split("\n") == ["某市消费品质量提升行动方案", "一、主要任务", "(一)加快建立健全标准体系。推动消费品标准提升。"]
    assert result.encoding == "ocr"
    assert "read by Tesseract OCR" in result.warnings[0] and "scan.pdf" in result.warnings[0]


def test_real_ocr_of_a_rendered_page(tmp_path, table_pdf):
    """With Tesseract and chi_sim installed (skipped otherwise): a page image without text is read by OCR."""
    from policycompare.ingest.pdf import tesseract_chi_sim

    if tesseract_chi_sim() is None:
        pytest.skip("Tesseract with chi_sim is not installed")
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(table_pdf)[0].render(scale=200 / 72).to_pil().convert("L")
    path = tmp_path / "scan.pdf"
    image.crop((0, 0, image.width, image.height // 4)).save(path, resolution=200)
    result = read_text(path)
    assert result.encoding == "ocr"
    assert "主要任务" in result.text and "消费品" in result.text


def test_damaged_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(PlanError, match="broken.pdf: not a valid PDF"):
        read_text(path)


# -- the seed plans in every format -----------------------------------------------------


from ..conftest import RAW  # noqa: E402
from .formats_helpers import numbered_blocks, plan_blocks, write_docx, write_pdf_cid  # noqa: E402

SEEDS = sorted(p.stem for p in RAW.glob("*.txt"))


def _outcome(plan: pc.Plan) -> dict[str, object]:
    corpus = pc.Corpus([plan])
    tasks = sorted((t["task_id"].split(":")[1], t["title"]) for t in plan.structure.tasks)
    targets = sorted((r.task_id.split(":")[1] if r.task_id else "", r.metric, str(r.value), str(r.value_max), r.unit)
                     for r in corpus.targets.itertuples())
    agencies = sorted((r.task_id.split(":")[1], r.role, r.agency) for r in corpus.agencies.itertuples())
    return {"tasks": tasks, "targets": targets, "agencies": agencies}


@pytest.fixture(scope="module")
def seed_versions(tmp_path_factory):
    pytest.importorskip("reportlab")
    folder = tmp_path_factory.mktemp("seeds")
    out = {}
    for stem in SEEDS:
        blocks = plan_blocks(RAW / f"{stem}.txt")
        write_docx(blocks, folder / f"{stem}.docx")
        write_pdf_cid(blocks, folder / f"{stem}.pdf")
        (folder / "numbered").mkdir(exist_ok=True)
        write_docx(numbered_blocks(RAW / f"{stem}.txt"), folder / "numbered" / f"{stem}.docx")
        out[stem] = folder
    return out


@pytest.mark.parametrize("suffix", [".docx", ".pdf", "numbered/.docx"])
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_plans_give_the_same_tables_in_every_format(seed_versions, stem, suffix):
    """Text, Word, PDF, and Word whose heading numbers exist only as automatic numbering."""
    expected = _outcome(pc.read_plan(RAW / f"{stem}.txt"))
    folder, suffix = (seed_versions[stem] / "numbered", ".docx") if suffix.startswith("numbered") else (seed_versions[stem], suffix)
    if folder.name == "numbered":  # the headings hold no numbers of their own: Word numbers them
        from policycompare.parse.headings import match_heading

        paragraphs = docx.Document(folder / f"{stem}.docx").paragraphs
        numbered = [p.text for p in paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
        assert len(numbered) >= 5 and not any(match_heading(text) for text in numbered)
    got = _outcome(pc.read_plan(folder / f"{stem}{suffix}"))
    assert got["tasks"] == expected["tasks"]
    assert got["targets"] == expected["targets"]
    assert got["agencies"] == expected["agencies"]
    assert len(expected["tasks"]) > 5


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_damaged_pdf_and_word_files_give_a_plan_error_never_a_traceback(tmp_path, kind, table_pdf):
    import random

    if kind == "pdf":
        raw = table_pdf.read_bytes()
    else:
        annex_table_document().save(tmp_path / "source.docx")
        raw = (tmp_path / "source.docx").read_bytes()
    rng = random.Random(12)
    for k in range(12):
        damaged = bytearray(raw)
        if k % 3 == 0:
            damaged = damaged[: rng.randrange(16, len(damaged))]  # cut short
        else:
            for _ in range(30):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"damaged_{k}.{kind}"
        path.write_bytes(bytes(damaged))
        try:
            read_text(path)
        except PlanError as err:
            assert err.path == path
