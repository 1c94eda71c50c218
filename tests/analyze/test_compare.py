"""Comparison tables of policycompare.analyze.compare on the five seed plans (pass rates and brands: tests/extract/test_targets.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from policycompare import schema
from policycompare.analyze import compare


def test_targets_by_deadline_is_tidy_and_adds_up_to_the_targets_by_metric(corpus):
    table = compare.targets_by_deadline(corpus)
    assert list(table.columns) == list(schema.SCHEMAS["targets_by_deadline"])
    assert not table.duplicated(["plan_id", "deadline_year"]).any()
    by_metric = compare.targets_by_metric(corpus).set_index("plan_id")
    totals = by_metric.sum(axis=1)
    assert table.groupby("plan_id")["targets"].sum().to_dict() == {p: n for p, n in totals.items() if n}
    # 上海 sets no quantitative target; 盐城's only one is due in 2014; the 2016 plans aim at 2020
    assert "shanghai_2017" not in set(table["plan_id"])
    assert table[table["plan_id"] == "yancheng_2014"][["deadline_year", "targets"]].values.tolist() == [["2014", 1]]
    assert set(table[table["plan_id"].isin(["hunan_2017", "lingwu_2017", "sichuan_2018"])]["deadline_year"]) == {"2020"}


def test_distinctive_sectors_are_named_by_one_plan_only(corpus):
    table = compare.distinctive_sectors(corpus)
    assert list(table.columns) == list(schema.SCHEMAS["distinctive_sectors"])
    assert table.groupby("term")["plan_id"].nunique().max() == 1
    named_by = corpus.sectors.groupby("term")["plan_id"].nunique()
    assert (named_by[table["term"]] == 1).all()
    lingwu = table[table["plan_id"] == "lingwu_2017"]
    assert lingwu.iloc[0]["term"] == "羊绒" and lingwu.iloc[0]["categories"] == "apparel"
    assert "彝绣" in set(table[table["plan_id"] == "sichuan_2018"]["term"])
    # most mentioned first within each plan
    for _, rows in table.groupby("plan_id"):
        assert rows["mentions"].is_monotonic_decreasing


@pytest.mark.parametrize("top", [1, 3])
def test_distinctive_sectors_top_keeps_the_most_mentioned(corpus, top):
    full = compare.distinctive_sectors(corpus)
    cut = compare.distinctive_sectors(corpus, top=top)
    assert cut.groupby("plan_id").size().max() == top
    assert cut.equals(full.groupby("plan_id", sort=False).head(top).reset_index(drop=True))


def test_options_are_keyword_only(corpus):
    with pytest.raises(TypeError):
        compare.distinctive_sectors(corpus, 3)


# -- like with like (issue 21): one pass-rate threshold per plan and indicator subject ------------


def test_pass_rates_keep_subjects_apart_with_subject_and_sampling_beside_the_value(with_parents):
    rates = compare.pass_rates(with_parents)
    assert list(rates.columns) == list(schema.SCHEMAS["pass_rates"])
    assert not rates.duplicated(["plan_id", "indicator_subject"]).any()
    by_plan = rates.set_index("plan_id")
    assert by_plan.loc["ningxia_2018", ["threshold", "indicator_subject", "indicator_sampling"]].tolist() == [
        95.0, "industrial_products", "unspecified"]
    assert by_plan.loc["national_2016", ["threshold", "indicator_subject", "indicator_sampling"]].tolist() == [
        90.0, "consumer_goods", "national"]
    # a plan that sets none keeps one row, with NaN and no subject
    assert by_plan.loc["shanghai_2017", "indicator_subject"] == "" and pd.isna(by_plan.loc["shanghai_2017", "threshold"])
    consumer = compare.pass_rates(with_parents, subject="consumer_goods").set_index("plan_id")
    assert len(consumer) == len(with_parents.plans)
    assert pd.isna(consumer.loc["ningxia_2018", "threshold"])  # 宁夏's 95 measures industrial products
    assert consumer.loc[["lingwu_2017", "sichuan_2018", "hunan_2017"], "threshold"].tolist() == [92.0, 91.5, 90.0]


def test_a_plan_with_two_subjects_has_two_rows_first_stated_first():
    from types import SimpleNamespace

    from policycompare.extract.indicators import add_indicator_key
    from policycompare.extract.targets import extract_targets

    text = "到2025年,工业产品质量监督抽查合格率达到95%,消费品质量国家监督抽查合格率达到92%,食品抽检合格率达到98%。"
    rows = add_indicator_key(extract_targets("p", text, [], 2025), text)
    corpus = SimpleNamespace(targets=schema.frame("targets", rows),
                             plans=pd.DataFrame({"plan_id": ["p"], "jurisdiction": ["某省"], "level": ["province"]}))
    rates = compare.pass_rates(corpus)
    assert rates[["threshold", "indicator_subject", "indicator_sampling"]].values.tolist() == [
        [95.0, "industrial_products", "unspecified"], [92.0, "consumer_goods", "national"]]
    assert rates["threshold_food"].tolist() == [98.0, 98.0]  # the other domains' columns on each of its rows
