from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycompare.parse.headings import classify_part, first_clause, match_heading
from policycompare.parse.structure import parse_structure


@pytest.mark.parametrize(
    "line, expected",
    [
        ("一、指导思想", ("cn_dun", 1, "一、", 1)),
        ("十二、附则", ("cn_dun", 1, "十二、", 12)),
        ("(一)切实优化消费品标准供给结构", ("cn_paren", 2, "(一)", 1)),
        ("（三）落实企业质量主体责任", ("cn_paren", 2, "（三）", 3)),
        ("1.加快建立健全标准体系。", ("num_dot", 3, "1.", 1)),
        ("3、推动湖南标准走出去。", ("num_dot", 3, "3、", 3)),
        ("18. 制定家电数码、电线电缆产品先进指标体系", ("num_dot", 3, "18.", 18)),
        ("(2)开展比对", ("num_paren", 4, "(2)", 2)),
        ("②推广经验", ("circled", 5, "②", 2)),
        ("第三章 主要任务", ("chapter", 0, "第三章", 3)),
    ],
)
def test_headings(line, expected):
    assert match_heading(line) == expected


@pytest.mark.parametrize("line", ["2018年7月4日", "3.15国际消费者权益日", "12315投诉热线", "2016-2020年", "91.5%以上", "附件1"])
def test_not_headings(line):
    assert match_heading(line) is None


def test_numerals_and_parts():
    assert [match_heading(f"{x}、标题")[3] for x in ["一", "九", "十", "十一", "二十", "三十五"]] == [1, 9, 10, 11, 20, 35]
    assert classify_part("主要任务") == "tasks"
    assert classify_part("重点领域") == "key_areas"
    assert classify_part("工作要求") == "safeguards"
    assert classify_part("重点目标") == "goals"
    assert classify_part("指导思想") == "other"
    assert classify_part("大力营造公平竞争的发展环境") is None
    assert first_clause("(市质量技监局负责)") == "(市质量技监局负责)"


def test_every_task_text_is_its_span_of_the_normalized_text(corpus):
    for row in corpus.tasks.itertuples():
        text = corpus.text(row.plan_id)
        assert text[row.char_start:row.char_end] == row.text, row.task_id
        assert row.text.strip() == row.text and row.text


def test_task_ids_are_unique_and_well_formed(corpus):
    tasks = corpus.tasks
    assert tasks["task_id"].is_unique
    assert tasks["task_id"].str.fullmatch(r"[a-z0-9_]+:(A\d+\.)?(\d+(\.\d+)*|p\d+)(-\d+)?").all()
    assert (tasks["task_id"].str.split(":").str[0] == tasks["plan_id"]).all()
    assert set(tasks["part"]) <= {"goals", "tasks", "key_areas", "safeguards", "annex", "other"}


def test_gold_agency_snippets_lie_inside_a_task_of_their_plan(corpus, gold_agencies):
    tasks = corpus.tasks
    missing = []
    for row in gold_agencies.drop_duplicates(["plan_id", "task_snippet"]).itertuples():
        texts = tasks.loc[tasks["plan_id"] == row.plan_id, "text"]
        if not texts.str.contains(row.task_snippet, regex=False).any():
            missing.append((row.plan_id, row.task_snippet))
    assert missing == []


def test_lingwu_has_25_main_tasks_including_section_eight(corpus):
    tasks = corpus.tasks
    main = tasks[(tasks["plan_id"] == "lingwu_2017") & (tasks["part"] == "tasks")]
    assert len(main) == 25
    assert main["section_path"].str.startswith("主要任务").all()
    eight = main.set_index("task_id").loc["lingwu_2017:3.8"]
    assert eight["title"] == "完善出口消费品质量安全监管体系"
    assert "同标同线同质" in eight["text"]
    first = main.set_index("task_id").loc["lingwu_2017:3.1.1"]
    assert first["title"] == "加快建立健全标准体系"
    assert first["section_path"] == "主要任务 > 切实优化消费品标准供给结构"
    assert "牵头单位:市场监管局" in first["text"]  # a task's span keeps its agency lines


def test_hunan_structure(corpus):
    tasks = corpus.tasks.set_index("task_id")
    assert tasks.loc["hunan_2017:3.1.2", "title"] == "提高标准供给能力"
    assert tasks.loc["hunan_2017:2.2", "part"] == "goals"
    assert tasks.loc["hunan_2017:4.1", "part"] == "key_areas"
    assert tasks.loc["hunan_2017:5.5", "part"] == "safeguards"
    # the closing signature is not part of the last task
    assert "2017年8月24日" not in tasks.loc["hunan_2017:5.5", "text"]
    assert "湖南省人民政府办公厅" not in tasks.loc["hunan_2017:5.5", "text"]


def test_sichuan_annex_table_rows_become_tasks(corpus):
    tasks = corpus.tasks
    annex = tasks[(tasks["plan_id"] == "sichuan_2018") & (tasks["part"] == "annex")]
    assert len(annex) == 36
    assert (annex["source"] == "table").all()
    row18 = annex.set_index("task_id").loc["sichuan_2018:A1.18"]
    cells = json.loads(row18["table_cells"])
    assert list(cells) == ["内容", "指导单位", "责任单位", "配合单位"]
    assert cells["指导单位"] == "标准化处 监督处"
    assert cells["责任单位"] == "市州质量监督部门"
    assert cells["配合单位"] == "省质检院"
    row3 = json.loads(annex.set_index("task_id").loc["sichuan_2018:A1.3", "table_cells"])
    assert row3["配合单位"] == "质量处科技处、认证处、审评中心"
    assert annex.set_index("task_id").loc["sichuan_2018:A1.32", "section_path"].endswith("工作要求")
    # the cover letter's attachment list is not a heading
    assert not tasks["title"].eq("四川省重点消费品质量提升台账").any()


def test_duplicate_written_numbers_still_give_unique_ids():
    text = "一、目标\n(一)甲项工作。内容。\n三、主要工作\n(一)乙项工作。内容。\n三、工作要求\n(一)丙项工作。内容。\n"
    tasks = parse_structure("x", text).tasks
    assert [t["task_id"] for t in tasks] == ["x:1.1", "x:2.1", "x:3.1"]
    assert [t["part"] for t in tasks] == ["goals", "tasks", "safeguards"]


def test_stray_number_does_not_turn_the_tree_upside_down():
    text = "说明\n1.这是封面中的一句话,不是任务。\n一、主要任务\n(一)第一项。\n1.细项一。内容。\n2.细项二。内容。\n(二)第二项。内容。\n"
    ids = [t["task_id"] for t in parse_structure("x", text).tasks]
    assert ids == ["x:1", "x:2.1.1", "x:2.1.2", "x:2.2"]


def test_unnumbered_plan_yields_paragraph_tasks():
    text = "某县关于加强质量工作的意见\n加强质量基础设施建设,提升检验检测能力,服务企业发展需要。\n推行企业标准自我声明公开,接受社会监督,提升标准水平。\n"
    structure = parse_structure("x", text)
    assert [t["task_id"] for t in structure.tasks] == ["x:p1", "x:p2"]
    assert structure.tasks[1]["title"] == "推行企业标准自我声明公开,接受社会监督,提升标准水平"
    assert any("one task per paragraph" in w for w in structure.warnings)


def test_one_line_table_rows_in_an_annex():
    text = "一、主要任务\n(一)总体工作。内容。\n附件1\n任务分解表\n内容 | 牵头单位 | 配合单位 |\n1. 开展标准比对 | 市场监管局 | 工信局 |\n2. 推广质量管理 | 工信局 | 财政局、科技局 |\n"
    tasks = parse_structure("x", text).tasks
    annex = [t for t in tasks if t["part"] == "annex"]
    assert [t["task_id"] for t in annex] == ["x:A1.1", "x:A1.2"]
    assert json.loads(annex[1]["table_cells"]) == {"内容": "2. 推广质量管理", "牵头单位": "工信局", "配合单位": "财政局、科技局"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["一、总体要求", "二、主要任务", "(一)加强标准。内容,内容。", "(二)提升质量。内容。",
                                 "1.细项。内容。", "2.细项。", "(1)小项。", "附件1", "内容 | 牵头单位 |",
                                 "1. 表格行 | 市场监管局 |", "正文段落,没有编号。", "2019年1月1日", "|", "某某局"]),
                min_size=0, max_size=25))
def test_structure_properties(lines):
    text = "\n".join(lines) + "\n"
    structure = parse_structure("x", text)
    ids = [t["task_id"] for t in structure.tasks]
    assert len(ids) == len(set(ids))
    for task in structure.tasks:
        assert text[task["char_start"]:task["char_end"]] == task["text"]
        assert task["char_start"] < task["char_end"]
