"""Word and PDF plans: numbering, tables, merged cells, legacy .doc, and the seed plans in every format."""

from __future__ import annotations

import json

import pytest

import policycompare as pc
from policycompare.errors import PlanError
from policycompare.extract.agencies import extract_agencies
from policycompare.ingest import read_text
from policycompare.structure import parse_structure

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


def test_bare_numbers_must_count_up_to_start_a_row():
    text = ("一、主要任务\n(一)总体工作。内容。\n附件1\n任务分解表\n序号 | 任务 | 数量 | 牵头单位 |\n"
            "1 | 新增名牌产品 | 3 | 商务局 |\n2 | 培育品牌企业 | 1 | 工信局 |\n")
    annex = [t for t in parse_structure("x", text).tasks if t["part"] == "annex"]
    assert [(t["task_id"], t["title"]) for t in annex] == [("x:A1.1", "新增名牌产品"), ("x:A1.2", "培育品牌企业")]
    assert json.loads(annex[1]["table_cells"])["数量"] == "1"


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


# -- the seed plans in every format -----------------------------------------------------

from pathlib import Path  # noqa: E402

from .conftest import RAW  # noqa: E402
from .formats_helpers import plan_blocks, write_docx, write_pdf  # noqa: E402

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
    pytest.importorskip("fpdf")
    folder = tmp_path_factory.mktemp("seeds")
    out = {}
    for stem in SEEDS:
        blocks = plan_blocks(RAW / f"{stem}.txt")
        write_docx(blocks, folder / f"{stem}.docx")
        write_pdf(blocks, folder / f"{stem}.pdf")
        out[stem] = folder
    return out


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_plans_give_the_same_tables_in_every_format(seed_versions, stem, suffix):
    expected = _outcome(pc.read_plan(RAW / f"{stem}.txt"))
    got = _outcome(pc.read_plan(seed_versions[stem] / f"{stem}{suffix}"))
    assert got["tasks"] == expected["tasks"]
    assert got["targets"] == expected["targets"]
    assert got["agencies"] == expected["agencies"]
    assert len(expected["tasks"]) > 5
