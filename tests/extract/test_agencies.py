"""Agencies against tests/data/gold/agencies.csv and agency_synonyms.csv, plus the forms they are written in."""

from __future__ import annotations

import pytest

import policycompare as pc
from policycompare.extract.agencies import (
    canonical_agency,
    extract_agencies,
    is_collective,
    is_division,
    split_names,
)
from policycompare.parse.structure import parse_structure

from ..conftest import DEV, read_gold

GOLD_ROWS = read_gold("agencies.csv").to_dict("records")


def _task_with(corpus, plan_id: str, snippet: str) -> str:
    tasks = corpus.tasks[(corpus.tasks["plan_id"] == plan_id) & corpus.tasks["text"].str.contains(snippet, regex=False)]
    assert len(tasks), f"no task of {plan_id} contains {snippet!r}"
    return tasks.loc[tasks["text"].str.len().idxmin(), "task_id"]


@pytest.mark.parametrize("row", GOLD_ROWS, ids=[f"{r['plan_id']}:{r['task_snippet'][:8]}:{r['role']}" for r in GOLD_ROWS])
def test_gold_agencies(corpus, row):
    task_id = _task_with(corpus, row["plan_id"], row["task_snippet"])
    found = corpus.agencies[corpus.agencies["task_id"] == task_id]
    expected = {a for a in row["agencies"].split("、") if a}
    if row["role"] == "any":
        assert not expected
        assert found.empty, f"{task_id} should have no agency, has {found['agency'].tolist()}"
    else:
        assert set(found.loc[found["role"] == row["role"], "agency"]) == expected


def test_gold_synonym_groups_share_one_canonical_name_and_groups_differ():
    synonyms = read_gold("agency_synonyms.csv")
    by_group = synonyms.groupby("group")["surface"].apply(lambda s: {canonical_agency(x).canonical for x in s})
    for group, names in by_group.items():
        assert len(names) == 1, f"{group}: {names}"
    canon = [next(iter(names)) for names in by_group]
    assert len(set(canon)) == len(canon)


def test_no_duplicate_agency_within_a_task_and_role(corpus):
    assert not corpus.agencies.duplicated(["task_id", "role", "agency"]).any()


def test_offsets_point_at_the_name_in_the_normalized_text(corpus):
    for row in corpus.agencies.itertuples():
        written = corpus.text(row.plan_id)[row.char_start:row.char_end]
        assert written.replace("\n", "").replace(" ", "") == row.agency, row


def test_collective_bodies_are_kept_and_flagged(corpus):
    agencies = corpus.agencies
    for name in ("质量强省领导小组各成员单位", "各区政府", "市州质量监督部门"):
        rows = agencies[agencies["agency"] == name]
        assert len(rows) and rows["collective"].all(), name
    assert not agencies.loc[agencies["agency"] == "省质监局", "collective"].any()


def test_every_plan_has_agencies_and_roles_are_known(corpus):
    assert set(corpus.agencies["plan_id"]) == set(corpus.plan_ids)
    assert set(corpus.agencies["role"]) <= {"lead", "cooperate", "responsible", "guide"}


def test_functions_group_merged_agencies():
    assert {canonical_agency(n).function for n in ("省质监局", "盐城工商局", "市食品药品监管局", "市场监管局")} == {"市场监管"}
    assert canonical_agency("省质监局").canonical != canonical_agency("省工商局").canonical


@pytest.mark.parametrize("name, stripped", [
    ("湖南保监局", "保监局"), ("上海出入境检验检疫局", "检验检疫局"), ("盐城出入境检验检疫局", "检验检疫局"),
    ("市场监管局", "市场监管局"), ("省委宣传部", "宣传部"), ("市政府法制办", "法制办"),
])
def test_canonical_strips_the_jurisdiction(name, stripped):
    assert canonical_agency(name).canonical == stripped


def test_unknown_names_are_reported_not_dropped(corpus):
    text = "1.建设数据平台。\n牵头单位:市大数据管理中心\n配合单位:市质监局"
    task = {"task_id": "x:1", "char_start": 0, "char_end": len(text), "table_cells": ""}
    rows, unknown = extract_agencies("x", text, [task])
    assert [(r["role"], r["agency"]) for r in rows] == [("lead", "市大数据管理中心"), ("cooperate", "市质监局")]
    assert unknown == ["市大数据管理中心"]


def test_names_broken_over_lines_are_joined_and_run_on_lines_kept():
    text = "1.任务。\n配合单位:组织部、科技局、教\n体局、住建局、\n高新区\n2.下一项。"
    task = {"task_id": "x:1", "char_start": 0, "char_end": text.index("2."), "table_cells": ""}
    rows, _ = extract_agencies("x", text, [task])
    assert [r["agency"] for r in rows] == ["组织部", "科技局", "教体局", "住建局", "高新区"]


def test_parenthesis_that_is_prose_gives_no_agency():
    text = "1.实施人才工程。(“六大人才”工程:即创新型专业技术领军人才培养工程)开展试点(2017-2020年)。"
    task = {"task_id": "x:1", "char_start": 0, "char_end": len(text), "table_cells": ""}
    assert extract_agencies("x", text, [task])[0] == []


@pytest.mark.parametrize("clause, expected", [
    ("(市发展改革委牵头,市质监局、市商务局配合)", [("lead", "市发展改革委"), ("cooperate", "市质监局"), ("cooperate", "市商务局")]),
    ("(省质监局、省经信委等按职责分工负责)", [("responsible", "省质监局"), ("responsible", "省经信委")]),
    ("(市城乡建设局、市水利局等部门共同负责)", [("responsible", "市城乡建设局"), ("responsible", "市水利局")]),
    ("(各县(市、区)人民政府负责)", [("responsible", "各县(市、区)人民政府")]),
])
def test_parenthetical_role_clauses(clause, expected):
    text = "1.开展某项工作。" + clause
    task = {"task_id": "x:1", "char_start": 0, "char_end": len(text), "table_cells": ""}
    rows, _ = extract_agencies("x", text, [task])
    assert [(r["role"], r["agency"]) for r in rows] == expected


def test_names_written_together_or_with_a_space_are_split():
    assert [n for n, _, _ in split_names("质量处科技处、认证处", 0)] == ["质量处", "科技处", "认证处"]
    assert [n for n, _, _ in split_names("标准化处 监督处", 0)] == ["标准化处", "监督处"]
    assert [n for n, _, _ in split_names("省局培训中心、国家统计局湖南调查总队", 0)] == ["省局培训中心", "国家统计局湖南调查总队"]


def test_is_collective():
    assert is_collective("市标准化工作联席会议各成员单位")
    assert not is_collective("市经济信息化委")


# -- duties in running text (issue 22) --------------------------------------------------------


def _found(text: str) -> list[tuple[str, str]]:
    rows, _ = extract_agencies("x", text, [{"task_id": "x:1", "char_start": 0, "char_end": len(text), "table_cells": ""}])
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["agency"]
    return [(r["role"], r["agency"]) for r in rows]


@pytest.mark.parametrize("text, expected", [
    # the subject of a duty, with a modal word: responsible
    ("(三)加强保障。县政府将设立质量工作奖励资金。", [("responsible", "县政府")]),
    ("各级人民政府要把标准化工作列入议事日程,加强领导。", [("responsible", "各级人民政府")]),
    ("为此,区市场监管局应当定期通报抽查结果。", [("responsible", "区市场监管局")]),
    ("市标准化办公室每年组织对各区县开展考核。", [("responsible", "市标准化办公室")]),
    ("市质量办可根据年度工作对指标作出调整。", [("responsible", "市质量办")]),
    # X负责… / X牵头… in running text
    ("加强监督。县发改局负责统筹协调,各相关部门配合。", [("responsible", "县发改局")]),
    ("县市场监管局牵头制定地方标准。", [("lead", "县市场监管局")]),
    # a list closed by 等相关部门, the comma before the modal
    ("县发改局、县工信局、县商务局等相关部门,要切实抓好各自职责范围内的工作。",
     [("responsible", "县发改局"), ("responsible", "县工信局"), ("responsible", "县商务局")]),
    # X要会同Y: X leads (a generic Y is left out)
    ("市质量强市办要会同有关部门制定考核办法。", [("lead", "市质量强市办")]),
    # 由X牵头 and 由X(以下简称Y)牵头: X leads
    ("评估工作由市标准化工作领导小组办公室(以下简称市标准办)牵头,会同各成员单位组织实施。",
     [("lead", "市标准化工作领导小组办公室")]),
    # 成立X,负责…
    ("成立县品牌建设工作领导小组,负责品牌建设的统筹协调。", [("responsible", "县品牌建设工作领导小组")]),
    # 要求各…部门: the bodies a notice asks to act
    ("市政府办公室印发《方案》,要求各区各部门认真抓好落实。", [("responsible", "各区各部门")]),
    # a label followed by the list it stands for gives the list; a generic tail is dropped
    ("各县政府及三大牵头单位(县质监局、县商务局)、相关单位要加强协作。",
     [("responsible", "各县政府"), ("responsible", "县质监局"), ("responsible", "县商务局")]),
    # 和 joins one collective body, or two agencies
    ("各有关部门和单位要加强领导,健全机制。", [("responsible", "各有关部门和单位")]),
    ("县质量办和各乡镇政府要加强监督检查。", [("responsible", "县质量办"), ("responsible", "各乡镇政府")]),
    ("市工业和信息化局要加强指导。", [("responsible", "市工业和信息化局")]),
])
def test_duties_in_running_text(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "对落实不到位的单位要追究责任。",          # the units are the object of 追究
    "企业要落实质量主体责任。",                # 企业 is not an agency
    "考核要点见附件,主要对产品质量进行考核。",  # 要点, 主要: no modal
    "县政府要求企业加强自律。",                # 要求 + a non-collective object
    "推动各区县、各部门按时完成任务。",        # objects of 推动, not subjects
    "该局将进一步加强监管。",                  # an anaphor names no body
    "到2020年,全市将建成10个示范区。",        # a place, not an agency
])
def test_running_text_that_assigns_no_duty(text):
    assert _found(text) == []


def test_a_label_or_role_clause_outranks_running_text():
    assert _found("1.加强抽查。各部门要密切配合。\n牵头单位:县市场监管局") == [("lead", "县市场监管局")]
    assert _found("1.加强抽查,各部门要密切配合。(县市场监管局负责)") == [("responsible", "县市场监管局")]


def test_a_paragraph_of_several_duties_becomes_one_task_per_duty():
    text = ("一、总体要求\n坚持质量第一。\n二、保障措施\n"
            "县质量办要会同有关部门制定考核办法。各乡镇政府要对本地质量工作负总责,建立考核制度。"
            "县政府将对成绩突出的单位予以奖励。\n三、其他\n加强宣传,营造氛围,形成合力。")
    tasks = parse_structure("x", text).tasks
    duty = [t for t in tasks if t["task_id"].startswith("x:2")]
    assert [t["task_id"] for t in duty] == ["x:2", "x:2-2", "x:2-3"]
    assert [t["source"] for t in duty] == ["body", "duty", "duty"]
    assert duty[1]["text"] == "各乡镇政府要对本地质量工作负总责,建立考核制度。"
    for t in tasks:
        assert text[t["char_start"]:t["char_end"]] == t["text"]
    rows, _ = extract_agencies("x", text, duty)
    assert [(r["task_id"], r["role"], r["agency"]) for r in rows] == [
        ("x:2", "lead", "县质量办"), ("x:2-2", "responsible", "各乡镇政府"), ("x:2-3", "responsible", "县政府")]


def test_a_paragraph_assigned_by_a_role_clause_is_not_cut():
    text = "一、保障措施\n(一)加强领导。县政府要加强领导。各部门要密切配合。(县市场监管局、县工信局负责)\n(二)加强宣传。开展宣传活动。"
    tasks = parse_structure("x", text).tasks
    assert [t["task_id"] for t in tasks] == ["x:1.1", "x:1.2"]


def test_a_duty_before_the_first_heading_is_a_task():
    text = "关于印发方案的通知\n县政府印发《方案》,要求各乡镇各部门结合实际认真贯彻落实。\n一、主要任务\n加强质量监管,开展抽查工作。"
    tasks = parse_structure("x", text).tasks
    assert tasks[0]["task_id"] == "x:p1" and tasks[0]["text"].startswith("县政府印发")
    assert _found(tasks[0]["text"]) == [("responsible", "各乡镇各部门")]


# -- level-neutral canonical agencies (issue 21) ------------------------------------------------


@pytest.mark.parametrize("names, canonical", [
    (("省科技厅", "市科技局", "科技局", "市科委"), "科技部门"),
    (("省农业厅", "农牧局", "县农业农村局"), "农业农村部门"),
    (("省公安厅", "公安局"), "公安部门"),
    (("省商务厅", "市商务委", "市商务局"), "商务部门"),
    (("省教育厅", "教体局"), "教育部门"),
    # the same function across the 2018 reform: one kind
    (("省质监局", "市质量技监局", "质量技术监督局", "市场监管局", "县市场监督管理局"), "市场监管局"),
])
def test_canonical_names_the_kind_without_a_level(names, canonical):
    assert {canonical_agency(n).canonical for n in names} == {canonical}


def test_central_ministries_keep_their_level():
    assert canonical_agency("科技部").canonical == "科技部"
    assert canonical_agency("科技部").function == canonical_agency("县科技局").function == "科技"


@pytest.fixture(scope="module")
def dev_pages() -> pc.Corpus:
    return pc.load_corpus(DEV / "raw")


def test_no_county_or_prefecture_agency_claims_a_provinces_level(corpus, dev_pages, dev2_corpus):
    checked = 0
    for c in (corpus, dev_pages, dev2_corpus):
        rows = c.agencies.merge(c.plans[["plan_id", "level"]], on="plan_id")
        below = rows[rows["level"].isin(["county", "prefecture"])]
        checked += len(below)
        wrong = below[below["agency_canonical"].str.endswith("厅")]
        assert wrong.empty, wrong[["plan_id", "agency", "agency_canonical"]].to_string()
    assert checked > 100


def test_lingwu_county_agencies_are_named_by_kind(corpus):
    lingwu = corpus.agencies[corpus.agencies["plan_id"] == "lingwu_2017"]
    canonical = {name: set(group) for name, group in lingwu.groupby("agency")["agency_canonical"]}
    assert canonical["科技局"] == {"科技部门"} and canonical["农牧局"] == {"农业农村部门"}
    assert canonical["公安局"] == {"公安部门"} and canonical["市场监管局"] == {"市场监管局"}


@pytest.mark.parametrize("name, division", [
    ("质量处", True), ("标准化处", True), ("省局相关处室", True), ("县局稽查股", True),
    ("省质监局", False), ("省质检院", False), ("省局培训中心", False), ("食安办", False),
])
def test_internal_divisions_of_a_bureau_are_marked(name, division):
    assert is_division(name) is division


def test_sichuan_divisions_are_marked_in_the_table(corpus):
    agencies = corpus.agencies
    divisions = agencies[agencies["agency"].isin(["质量处", "标准化处", "科技处"])]
    assert len(divisions) and divisions["division"].all()
    assert not agencies.loc[agencies["agency"].str.endswith("局"), "division"].any()


def test_one_duty_after_a_line_break_leaves_the_unit_whole():
    text = "一、加强组织领导。\n各乡镇要高度重视。\n县质监局要会同有关部门定期开展检查。\n二、其他\n加强宣传工作,形成合力。"
    tasks = parse_structure("x", text).tasks
    assert [t["task_id"] for t in tasks] == ["x:1", "x:2"]
    assert _found(tasks[0]["text"]) == [("lead", "县质监局")]
