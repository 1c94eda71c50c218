"""Targets against tests/data/gold/targets.csv, and the rejection rules."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from policycompare import compare
from policycompare.extract.numbers import find_quantities, to_decimal
from policycompare.extract.targets import extract_targets

from .conftest import read_gold


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
        ("推动10000家ISO获证企业升级换版。", 10000, None, "家", "=", False, False),
        ("培育一万家诚信企业。", 10000, None, "家", "=", False, False),
        ("新增知名品牌不少于5万个。", 50000, None, "个", ">=", False, False),
        ("产品质量合格率达到百分之九十五。", 95, None, "%", "=", False, False),
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
