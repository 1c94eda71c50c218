from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

import policycompare as pc
from policycompare.errors import PlanError
from policycompare.parse.metadata import extract_metadata
from policycompare.rules.gazetteer import find_division, short_name

from ..conftest import RAW

GOLD_COLUMNS = ["jurisdiction", "level", "province", "issuer", "doc_number", "issued_date", "period_start", "period_end"]


def test_plans_match_gold_on_every_column(corpus, gold_plans):
    ours = corpus.plans.set_index("plan_id")
    assert sorted(ours.index) == sorted(gold_plans["plan_id"])
    mismatches = []
    for row in gold_plans.itertuples(index=False):
        for column in GOLD_COLUMNS:
            value = ours.at[row.plan_id, column]
            ours_str = "" if pd.isna(value) else str(value)
            if ours_str != getattr(row, column):
                mismatches.append((row.plan_id, column, ours_str, getattr(row, column)))
    print(f"plans.csv: {len(gold_plans) * len(GOLD_COLUMNS) - len(mismatches)}/{len(gold_plans) * len(GOLD_COLUMNS)} cells match gold")
    assert mismatches == []


def test_plan_rows_carry_provenance(corpus):
    plans = corpus.plans
    assert list(plans["source_file"]) == [f"{pid}.txt" for pid in plans["plan_id"]]
    assert plans["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (plans["n_tasks"] > 0).all()
    hunan = plans.set_index("plan_id").loc["hunan_2017"]
    assert hunan["title"] == "湖南省人民政府办公厅关于贯彻《消费品标准和质量提升规划(2016-2020年)》的实施意见"


@pytest.mark.parametrize(
    "name, context, level, province",
    [
        ("灵武市人民政府办公室", "宁夏 银川", "county", "宁夏回族自治区"),
        ("盐城市人民政府办公室", "", "prefecture", "江苏省"),
        ("上海市人民政府办公厅", "", "province", "上海市"),
        ("宁夏回族自治区人民政府", "", "province", "宁夏回族自治区"),
        ("浦东新区人民政府", "上海", "county", "上海市"),
        ("义乌市人民政府", "浙江 金华", "county", "浙江省"),
        ("延边朝鲜族自治州人民政府", "", "prefecture", "吉林省"),
    ],
)
def test_gazetteer_levels(name, context, level, province):
    division = find_division(name, context)
    assert division is not None
    assert (division.level, division.province) == (level, province)


def test_short_names():
    assert short_name("灵武市") == "灵武"
    assert short_name("新疆维吾尔自治区") == "新疆"


def test_metadata_from_a_minimal_plan():
    text = "\n".join([
        "某某县人民政府关于印发某某县质量提升行动方案(2019-2022年)的通知",
        "某政发〔2019〕12号",
        "各乡镇人民政府:",
        "一、工作目标",
        "到2022年,产品质量合格率达到95%。",
        "义乌市人民政府",
        "二〇一九年三月五日",
    ])
    meta = extract_metadata(text)
    assert meta["title"] == "某某县人民政府关于印发某某县质量提升行动方案(2019-2022年)的通知"
    assert meta["doc_number"] == "某政发〔2019〕12号"
    assert meta["issuer"] == "义乌市人民政府"
    assert meta["issued_date"] == "2019-03-05"
    assert (meta["period_start"], meta["period_end"]) == (2019, 2022)
    assert (meta["jurisdiction"], meta["level"]) == ("义乌市", "county")


def test_cited_document_numbers_are_not_the_plans_own(corpus):
    plans = corpus.plans.set_index("plan_id")
    assert plans.at["yancheng_2014", "doc_number"] == ""  # cites 国发〔2012〕9号 in its preamble
    assert plans.at["lingwu_2017", "doc_number"] == ""  # cites a broken 国办发〔201668)


def test_sidecar_overrides_fields(tmp_path):
    shutil.copy(RAW / "sichuan_2018.txt", tmp_path / "sichuan_2018.txt")
    (tmp_path / "sichuan_2018.meta.toml").write_text(
        'issuer = "四川省质量技术监督局"\ndoc_number = "川质监发〔2018〕99号"\nperiod_end = 2021\n', encoding="utf-8"
    )
    plan = pc.read_plan(tmp_path / "sichuan_2018.txt")
    assert plan.metadata["issuer"] == "四川省质量技术监督局"
    assert plan.metadata["doc_number"] == "川质监发〔2018〕99号"
    assert plan.metadata["period_end"] == 2021
    assert plan.metadata["level"] == "province"  # untouched fields stay
    assert plan.plan_row()["overridden"] == "doc_number,issuer,period_end"
    corpus = pc.load_corpus(tmp_path)
    assert corpus.plans.at[0, "issuer"] == "四川省质量技术监督局"
    assert len(corpus) == 1  # the sidecar is not read as a plan


@pytest.mark.parametrize(
    "content, message",
    [
        ('colour = "red"\n', "unknown field(s) colour"),
        ('level = "city"\n', "level must be one of"),
        ("period_end = '2020'\n", "period_end must be a year"),
        ("period_end = 20200\n", "period_end must be a year between 1949 and 2100"),
        ('issued_date = "2017-02-30"\n', "issued_date must be a real date"),
        ("issued_date = 2017\n", "issued_date must be a real date"),
        ("issuer = 3\n", "issuer must be text"),
        ("issuer = \n", "invalid TOML"),
    ],
)
def test_bad_sidecar_names_the_file(tmp_path, content, message):
    from policycompare.parse.sidecar import read_sidecar

    shutil.copy(RAW / "lingwu_2017.txt", tmp_path / "lingwu_2017.txt")
    (tmp_path / "lingwu_2017.meta.toml").write_text(content, encoding="utf-8")
    with pytest.raises(PlanError, match=re.escape(message)) as info:
        read_sidecar(tmp_path / "lingwu_2017.txt")
    assert "lingwu_2017.meta.toml" in str(info.value)
    # the plan itself still goes through, without the overrides, and the warning names both files
    plan = pc.read_plan(tmp_path / "lingwu_2017.txt")
    assert plan.overridden == () and plan.metadata["jurisdiction"] == "灵武市"
    warning = next(w for w in plan.warnings if "sidecar" in w)
    assert "lingwu_2017.meta.toml" in warning and message in warning and plan.path.name == "lingwu_2017.txt"


def test_sidecar_dates_are_normalised(tmp_path):
    shutil.copy(RAW / "lingwu_2017.txt", tmp_path / "lingwu_2017.txt")
    (tmp_path / "lingwu_2017.meta.toml").write_text("issued_date = 2017-10-16\nperiod_end = 2021\n", encoding="utf-8")
    plan = pc.read_plan(tmp_path / "lingwu_2017.txt")
    assert plan.metadata["issued_date"] == "2017-10-16" and plan.metadata["period_end"] == 2021
    assert plan.overridden == ("issued_date", "period_end")
