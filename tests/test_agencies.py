"""Agencies against tests/data/gold/agencies.csv and agency_synonyms.csv, plus the forms they are written in."""

from __future__ import annotations

import pytest

from policycompare.extract.agencies import (
    canonical_agency,
    extract_agencies,
    is_collective,
    split_names,
)

from .conftest import read_gold

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
