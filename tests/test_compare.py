"""Comparison tables of policycompare.compare on the five seed plans (pass rates and brands: test_targets.py)."""

from __future__ import annotations

import pytest

from policycompare import compare, schema


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
