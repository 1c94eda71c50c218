"""Targets against tests/data/gold/targets.csv, and the rejection rules."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from policycompare.analyze import compare
from policycompare.extract.numbers import find_quantities, to_decimal
from policycompare.extract.targets import extract_targets

from ..conftest import read_gold


def _same(a: float, b: str) -> bool:
    if b == "":
        return a is None or (isinstance(a, float) and math.isnan(a))
    return a is not None and not (isinstance(a, float) and math.isnan(a)) and float(a) == float(b)


def match_gold(targets: pd.DataFrame, gold: pd.DataFrame) -> tuple[list[int], list[int]]:
    """Indices of gold rows matched, and of predicted rows matching some gold row."""
    matched_gold, matched_pred = set(), set()
    for gi, g in gold.iterrows():
        cand = targets[(targets["plan_id"] == g["plan_id"]) & (targets["unit"] == g["unit"])]
        for pi, p in cand.iterrows():
            if _same(p["value"], g["value"]) and _same(p["value_max"], g["value_max"]) and g["snippet"] in p["sentence"]:
                matched_gold.add(gi)
                matched_pred.add(pi)
    return sorted(matched_gold), sorted(matched_pred)


@pytest.fixture(scope="module")
def gold_targets() -> pd.DataFrame:
    return read_gold("targets.csv")


def test_recall_and_precision_against_gold(corpus, gold_targets):
    targets = corpus.targets
    matched_gold, matched_pred = match_gold(targets, gold_targets)
    required = gold_targets[gold_targets["required"] == "1"]
    missed = required.loc[~required.index.isin(matched_gold)]
    recall = 1 - len(missed) / len(required)
    precision = len(matched_pred) / len(targets)
    unmatched = targets.loc[~targets.index.isin(matched_pred), ["plan_id", "value_text", "sentence"]]
    print(f"\ntargets: {len(targets)} predicted, {len(required)} required gold rows")
    print(f"recall (required) = {recall:.3f}; precision = {precision:.3f}")
    print("unmatched predictions:\n" + unmatched.to_string())
    assert missed.empty, f"required gold targets missed:\n{missed.to_string()}"
    assert precision >= 0.95


def test_shanghai_has_no_target(corpus):
    assert (corpus.targets["plan_id"] == "shanghai_2017").sum() == 0


def test_pass_rates(corpus):
    rates = compare.pass_rates(corpus).set_index("plan_id")
    assert rates.loc["lingwu_2017", "threshold"] == 92
    assert rates.loc["hunan_2017", "threshold"] == 90
    assert rates.loc["sichuan_2018", "threshold"] == 91.5
    for plan_id in ("lingwu_2017", "hunan_2017", "sichuan_2018"):
        assert rates.loc[plan_id, "comparator"] == ">="
        assert bool(rates.loc[plan_id, "stable"]) is True
    assert math.isnan(rates.loc["shanghai_2017", "threshold"])
    assert math.isnan(rates.loc["yancheng_2014", "threshold"])


def test_gold_metrics_for_pass_rate_brand_award(corpus, gold_targets):
    targets = corpus.targets
    wrong = []
    for gi, g in gold_targets[gold_targets["metric"].isin(["pass_rate", "brand", "award"])].iterrows():
        _, preds = match_gold(targets, gold_targets.loc[[gi]])
        for pi in preds:
            if targets.at[pi, "metric"] != g["metric"]:
                wrong.append((g["snippet"], targets.at[pi, "metric"], g["metric"]))
    assert wrong == []


def test_every_value_is_in_the_text_at_its_offsets(corpus):
    for row in corpus.targets.itertuples():
        span = corpus.text(row.plan_id)[row.char_start:row.char_end]
        assert span == row.value_text
        assert row.sentence in corpus.text(row.plan_id)


def test_task_ids_of_targets_exist(corpus):
    task_ids = set(corpus.tasks["task_id"])
    assert set(corpus.targets["task_id"]) - {""} <= task_ids


def test_restatements_are_later_mentions(corpus):
    t = corpus.targets
    sichuan = t[(t["plan_id"] == "sichuan_2018") & (t["value"] == 290)]
    assert list(sichuan["mention"]) == [1, 2]
    assert (t[t["plan_id"] != "sichuan_2018"]["mention"] == 1).all()


def test_brand_counts(corpus):
    brands = compare.brand_counts(corpus)
    lingwu = brands[brands["plan_id"] == "lingwu_2017"]
    assert sorted(lingwu["value"]) == [3, 18, 45]
    hunan = brands[brands["plan_id"] == "hunan_2017"].set_index("value")
    assert set(hunan.index) == {400, 3, 6, 16}
    assert hunan.loc[400, "metric"] == "brand" and hunan.loc[16, "metric"] == "award"
    assert not brands.duplicated(["plan_id", "metric", "value", "unit"]).any()


def test_targets_by_metric_has_every_plan(corpus):
    table = compare.targets_by_metric(corpus).set_index("plan_id")
    assert list(table.index) == corpus.plan_ids
    assert table.loc["shanghai_2017"].sum() == 0
    assert table.loc["hunan_2017", "award"] == 3


@pytest.mark.parametrize(
    "written, value",
    [("91.5", "91.5"), ("一万", "10000"), ("5万", "50000"), ("百", "100"), ("十二", "12"), ("两", "2"), ("1.5万", "15000")],
)
def test_numbers_as_written(written, value):
    assert str(to_decimal(written)) == value


@pytest.mark.parametrize(
    "sentence, value, value_max, unit, comparator, stable, per_year",
    [
        ("消费品质量监督抽查合格率稳定在92%以上。", 92, None, "%", ">=", True, False),
        ("全省重点消费品国家监督抽查合格率保持在91.5%以上。", 91.5, None, "%", ">=", True, False),
        ("每年至少开展1-2个产品质量现状调查评估。", 1, 2, "个", ">=", False, True),
        ("每年至少开展1至2个产品质量现状调查评估。", 1, 2, "个", ">=", False, True),
        ("每年制定50项左右地方标准。", 50, None, "项", "~", False, True),
        ("推动10000家ISO获证企业升级换版。", 10000, None, "家", "eq", False, False),
        ("培育一万家诚信企业。", 10000, None, "家", "eq", False, False),
        ("新增知名品牌不少于5万个。", 50000, None, "个", ">=", False, False),
        ("产品质量合格率达到百分之九十五。", 95, None, "%", "eq", False, False),
        ("抽查不合格率控制在3%以下。", 3, None, "%", "<=", False, False),
        ("消费品质量指数稳定在84以上。", 84, None, "", ">=", True, False),
        ("重点领域主要消费品标准与国际标准一致性程度达到95%以上。", 95, None, "%", ">=", False, False),
    ],
)
def test_target_forms(sentence, value, value_max, unit, comparator, stable, per_year):
    rows = extract_targets("x", sentence, [], 2020)
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["value"] == value
    assert row["value_max"] == value_max
    assert (row["unit"], row["comparator"], row["stable"], row["per_year"]) == (unit, comparator, stable, per_year)
    assert sentence[row["char_start"]:row["char_end"]] == row["value_text"]


@pytest.mark.parametrize(
    "sentence",
    [
        "到2020年,实现标准体系基本完善。",
        "各市州质量监督部门于2018年7月31日前报省局提升办。",
        "根据《关于印发消费品标准和质量提升规划(2016-2020年)的通知》(国办发〔2016〕68号)精神。",
        "根据银川市有关方案(银政办发〔201788)要求。",
        "执行GB/T29187-2012和DB31/T1028-2016等标准。",
        "充分发挥12315、12345、12365等投诉热线的作用。",
        "经省局2018年第4次局长办公会审议通过。",
        "借助“10·14世界标准日”“3·15国际消费者权益日”开展宣传。",
        "利用质量月、标准化日、3.15、中国品牌日等活动。",
        "按照“五位一体”总体布局和“四个全面”战略布局,实现“三个转变”。",
        "持续推进“双百”行动,实施“六大人才”工程,融入“一带一路”,对接中国制造2025。",
        "同一企业的同一规格型号产品,6个月内不得重复抽查。",
        "着力培育发展一批有影响力的团体标准,利用两种手段。",
        "以党的十八大、十八届三中全会和自治区第十二次党代会精神为指导。",
    ],
)
def test_not_targets(sentence):
    assert extract_targets("x", sentence, [], 2020) == []


def test_deadline_from_text_or_period():
    rows = extract_targets("x", "力争到2025年,培育名牌产品400个以上。合格率达到95%。", [], 2020)
    assert [(r["deadline_year"], r["deadline_source"]) for r in rows] == [(2025, "text"), (2020, "period")]


def test_quantities_keep_offsets():
    text = "合格率达到91.5%以上,培育1-2个品牌"
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


# -- issue 22: past statistics, counts of the article, lists (synthetic sentences) --------------


def _rows(sentence: str, period_end: int | None = 2020) -> list[dict]:
    return extract_targets("x", "一、目标\n" + sentence + "\n", [], period_end)


@pytest.mark.parametrize(
    "sentence",
    [
        "截至9月底,全市已建成质量检测中心15个。",
        "今年以来,全县抽查产品120批次,合格率为93.5%。",
        "上半年省级监督抽查合格率为91.2%,同比提高3个百分点。",
        "全县累计抽查食品300批次,省级监督抽查合格率同比提高2个百分点。",
        "全区标准化示范项目已达35个。",
        "今年全市新增12个区获批筹建示范区。",
        "“十二五”期间,全市培育名牌产品80个。",
        "截至2018年底,建成检测中心5个。",
        "某市质量品牌企业数是2010年的5倍。",
        "五年来,全省累计培育名牌产品300个。",
        "目前全市有检验检测机构52家。",
        "全省培育了知名品牌45个。",
    ],
)
def test_past_statistics_are_not_targets(sentence):
    assert _rows(sentence) == []


@pytest.mark.parametrize(
    "sentence, period_end, values",
    [
        ("截至目前已建成5个,到2025年建成质量检测中心20个。", 2020, [20]),  # the future marker comes last
        ("“十二五”期间,全市培育名牌产品80个。", 2015, [80]),  # the plan's own five-year period
        ("“十三五”期间,全市将培育名牌产品80个。", 2020, [80]),
        ("截至2025年底,建成检测中心5个。", 2020, [5]),
        ("到2020年比“十二五”末翻番,名牌产品达到50个。", 2020, [50]),  # 比…末 is a base, not the past
        ("使用量比上年减少2%。", 2020, [2]),
        ("质量品牌综合竞争力位居西部第一,培育知名品牌10个。", 2020, [10]),
        ("合格率由目前的85%提高到90%。", 2020, [85, 90]),  # 目前的 names a base
        ("2021年上半年,完成企业质量培训100家。", 2022, [100]),
        ("推动100家单位制定企业标准。", 2020, [100]),
    ],
)
def test_future_targets_next_to_past_words_stay(sentence, period_end, values):
    assert [r["value"] for r in _rows(sentence, period_end)] == values


@pytest.mark.parametrize(
    "sentence",
    [
        "本次方案提出18项具体工作举措。",
        "方案安排12项具体工作,明确4个方面重点任务。",
        "市市场监管局等15家部门联合印发方案。",
        "省质监局等9个厅局关于印发行动方案的通知。",
        "考核实行百分制,满分为100分。",
        "考核结果分3个等级。",
    ],
)
def test_counts_of_the_article_and_scoring_rules_are_not_targets(sentence):
    assert _rows(sentence) == []


def test_listed_values_take_their_listed_labels():
    rows = _rows("到2025年,省级、市级和县级标准化示范项目分别达到300个、200个和50个。")
    assert [(r["value"], r["label"], r["metric"]) for r in rows] == [
        (300, "省级标准化示范项目", "standards"), (200, "市级标准化示范项目", "standards"),
        (50, "县级标准化示范项目", "standards")]
    rows = _rows("培育国家级和省级知名品牌分别达到10个和30个。")
    assert [(r["value"], r["label"], r["metric"]) for r in rows] == [
        (10, "国家级知名品牌", "brand"), (30, "省级知名品牌", "brand")]
    rows = _rows("到2025年,全省质量奖企业、知名品牌和地理标志产品,分别达到28个、200个和50个。")
    assert [(r["value"], r["label"], r["metric"]) for r in rows] == [
        (28, "质量奖企业", "award"), (200, "知名品牌", "brand"), (50, "地理标志产品", "other")]


def test_later_values_of_a_run_measure_what_the_first_measures():
    rows = _rows("到2025年,新增绿色产品认证企业40家、60家以上。")
    assert [(r["value"], r["label"], r["comparator"]) for r in rows] == [
        (40, "绿色产品认证企业", "eq"), (60, "绿色产品认证企业", ">=")]


def test_later_values_of_a_run_keep_the_first_values_metric_and_domain():
    rows = _rows("加强对进口产品的质量监管,使产品质量抽查合格率分年度达到92%、95%。")
    assert [(r["value"], r["metric"], r["domain"]) for r in rows] == [(92, "other", "other"), (95, "other", "other")]
    rows = _rows("对获奖企业分别奖励300万元和150万元。")
    assert [(r["value"], r["unit"], r["metric"]) for r in rows] == [(3_000_000, "元", "other"), (1_500_000, "元", "other")]


def test_one_value_per_year_is_a_series_without_a_single_threshold():
    rows = _rows("2021—2023年,产品质量监督抽查合格率逐年达到90%、91%、92%。")
    assert [(r["value"], r["metric"], r["domain"], r["per_year"], r["deadline_year"]) for r in rows] == [
        (90, "other", "product_quality", False, 2021), (91, "other", "product_quality", False, 2022),
        (92, "other", "product_quality", False, 2023)]
    assert {r["label"] for r in rows} == {"产品质量监督抽查合格率"}


@pytest.mark.parametrize("sentence", [
    "产品质量监督抽查合格率2016年、2017年、2018年分别达到89%、90%、91%。",
    "2016年、2017年和2018年产品质量监督抽查合格率分别达到89%、90%、91%。",
])
def test_values_for_listed_years_are_a_series(sentence):
    rows = _rows(sentence, 2018)
    assert [(r["value"], r["label"], r["metric"], r["deadline_year"]) for r in rows] == [
        (89, "产品质量监督抽查合格率", "other", 2016), (90, "产品质量监督抽查合格率", "other", 2017),
        (91, "产品质量监督抽查合格率", "other", 2018)]


def test_listed_rates_take_their_own_domains():
    rows = _rows("产品质量合格率和食品合格率分别达到90%和95%。")
    assert [(r["value"], r["metric"], r["domain"]) for r in rows] == [(90, "pass_rate", "product_quality"),
                                                                      (95, "other", "food")]


def test_a_food_rate_never_restates_an_industrial_rate_of_the_same_value():
    rows = _rows("工业产品监督抽查合格率逐年达到89%、91%,食品监督抽查合格率逐年达到91%、92%。")
    assert [(r["value"], r["domain"], r["mention"]) for r in rows] == [
        (89, "product_quality", 1), (91, "product_quality", 1), (91, "food", 1), (92, "food", 1)]


@pytest.mark.parametrize(
    "sentence, value, unit, metric, comparator",
    [
        ("使产品质量抽查合格率达到92 ;", 92, "", "pass_rate", "eq"),  # the page lost its % sign
        ("监督抽查不合格企业整改率达到100。", 100, "", "other", "eq"),
        ("2025年全市制造业质量竞争力指数达85", 85, "", "quality_index", "eq"),  # a headline without 到
        ("培育20多个区域品牌。", 20, "个", "brand", ">="),
        ("新增30余家标准化良好行为企业。", 30, "家", "other", ">="),
        ("人均培训经费达到5万元/人。", 50000, "元/人", "other", "eq"),
        ("每年抽检食品4批次/千人。", 4, "批次/千人", "other", "eq"),
        ("对获得市长质量奖的企业奖励50万元。", 500000, "元", "other", "eq"),  # a prize, not a count of awards
    ],
)
def test_list_and_unit_forms(sentence, value, unit, metric, comparator):
    rows = _rows(sentence)
    assert [(r["value"], r["unit"], r["metric"], r["comparator"]) for r in rows] == [(value, unit, metric, comparator)]


@pytest.mark.parametrize(
    "sentence, metric, domain",
    [
        ("加强对进口产品的质量监管,使产品质量抽查合格率达到93%。", "other", "other"),
        ("主要旅游商品的质量抽查合格率达到90%。", "other", "other"),
        ("使产品质量监督抽查合格率达到93%。", "pass_rate", "product_quality"),
        ("加强质量监管,使产品质量监督抽查合格率达到93%。", "pass_rate", "product_quality"),
    ],
)
def test_rates_of_named_products_are_not_the_general_pass_rate(sentence, metric, domain):
    assert [(r["metric"], r["domain"]) for r in _rows(sentence)] == [(metric, domain)]


def test_a_headline_without_到_and_its_repetition_in_the_body_are_one_target():
    text = "2025年全市制造业质量竞争力指数达85\n一、目标\n到2025年,全市制造业质量竞争力指数达到85以上。\n"
    rows = extract_targets("x", text, [], None)
    assert [(r["value"], r["metric"], r["deadline_year"], r["deadline_source"], r["mention"]) for r in rows] == [
        (85, "quality_index", 2025, "text", 1), (85, "quality_index", 2025, "text", 2)]


def test_a_five_year_period_is_past_against_the_latest_deadline_of_a_report_without_period():
    text = "“十二五”期间,全市培育名牌产品80个。到2020年,全市培育名牌产品120个。"
    assert [r["value"] for r in extract_targets("x", text, [], None)] == [120]


def test_a_rate_of_another_subject_is_no_restatement():
    """Same value, both general domains, but 消费品 and 制造业产品 are two series: each is mention 1."""
    text = "一、目标\n到2025年,制造业产品质量合格率达到93%以上,消费品质量合格率达到93%。\n"
    rows = [r for r in extract_targets("x", text, [], 2025) if r["metric"] == "pass_rate"]
    assert [(r["indicator_subject"], r["mention"]) for r in rows] == [
        ("manufacturing_products", 1), ("consumer_goods", 1)]
