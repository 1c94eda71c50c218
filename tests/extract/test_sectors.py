"""Sectors against tests/data/gold/sectors.csv, the lexicon file and the comparison tables of issue 4."""

from __future__ import annotations

import pytest

from policycompare.analyze import compare
from policycompare.extract.sectors import categories, extract_sectors, lexicon

from ..conftest import read_gold

GOLD_ROWS = read_gold("sectors.csv").to_dict("records")


@pytest.mark.parametrize("row", GOLD_ROWS, ids=[f"{r['plan_id']}:{r['term']}" for r in GOLD_ROWS])
def test_gold_sectors(corpus, row):
    found = corpus.sectors[(corpus.sectors["plan_id"] == row["plan_id"]) & (corpus.sectors["term"] == row["term"])]
    assert len(found), f"{row['term']} not found in {row['plan_id']}"
    allowed = set(row["categories"].split("|"))
    assert set(found["category"]) & allowed, (row, set(found["category"]))


def test_lexicon_categories_are_declared_and_national_nine_come_first():
    cats = list(categories())
    assert cats[:9] == ["appliances", "electronics", "home_furnishing", "apparel", "infant_elderly",
                        "cosmetics", "culture_sports", "traditional_culture", "food"]
    assert {c for cs in lexicon().values() for c in cs} <= set(cats)
    assert set(lexicon()["婴幼儿配方乳粉"]) == {"food", "infant_elderly"}


def test_longest_term_wins_and_two_categories_give_two_rows():
    text = "1.加强婴幼儿配方乳粉和儿童用品监管。"
    rows = extract_sectors("x", text, [{"task_id": "x:1", "char_start": 0, "char_end": len(text)}])
    assert [(r["term"], r["category"]) for r in rows] == [
        ("婴幼儿配方乳粉", "food"), ("婴幼儿配方乳粉", "infant_elderly"), ("儿童用品", "infant_elderly")]
    assert all(text[r["char_start"]:r["char_end"]] == r["term"] for r in rows)


def test_terms_inside_agency_names_are_not_sectors():
    text = "(市食品药品监管局负责)"
    assert extract_sectors("x", text, []) == []


def test_offsets_and_task_ids(corpus):
    tasks = corpus.tasks.set_index("task_id")
    for row in corpus.sectors.itertuples():
        assert corpus.text(row.plan_id)[row.char_start:row.char_end] == row.term
        if row.task_id:
            assert tasks.loc[row.task_id, "char_start"] <= row.char_start < tasks.loc[row.task_id, "char_end"]


def test_sector_coverage_has_every_plan_and_category(corpus):
    cov = compare.sector_coverage(corpus)
    assert len(cov) == len(corpus) * len(categories())
    yancheng = cov[cov["plan_id"] == "yancheng_2014"].set_index("category")
    assert yancheng.loc["fuels", "mentions"] >= 1 and "车用汽柴油" in yancheng.loc["fuels", "terms"]
    assert (cov["tasks"] <= cov["mentions"]).all()


def test_agency_roles_counts_tasks(corpus):
    roles = compare.agency_roles(corpus)
    yc = roles[(roles["plan_id"] == "yancheng_2014")].set_index("agency_canonical")
    # 质监局 and 市场监管局 are one kind (issue 21: the same function across the 2018 reform)
    assert yc.loc["市场监管局", "lead"] >= 8
    lingwu = roles[roles["plan_id"] == "lingwu_2017"].set_index("agency_canonical")
    assert lingwu.loc["市场监管局", "lead"] >= 10
    agencies = corpus.agencies
    expected = agencies[(agencies["plan_id"] == "yancheng_2014") & (agencies["agency_canonical"] == "市场监管局")]
    assert yc.loc["市场监管局", "n_tasks"] == expected["task_id"].nunique()


def test_agency_network_is_symmetric_free_and_weighted(corpus):
    net = compare.agency_network(corpus)
    assert (net["agency_a"] < net["agency_b"]).all()
    assert not net.duplicated(["agency_a", "agency_b"]).any()
    top = net.iloc[0]
    assert top["n_tasks"] == net["n_tasks"].max()
    # 质监局 (canonical 市场监管局) and 经信委 share tasks in hunan, shanghai and yancheng
    pair = net[(net["agency_a"] == "市场监管局") & (net["agency_b"] == "经信委")].iloc[0]
    assert {"hunan_2017", "shanghai_2017", "yancheng_2014"} <= set(pair["plans"].split(","))


def test_lexicon_terms_and_agency_names_segment_as_one_word():
    from policycompare.parse.segment import content_tokens, words

    assert "婴幼儿配方乳粉" in words("严格婴幼儿配方乳粉生产许可")
    assert "车用汽柴油" in words("开展车用汽柴油质量整治")
    assert "市场监管局" in words("由市场监管局牵头")
    assert "加强" not in content_tokens("加强智能家居标准研制")
    assert "智能家居" in content_tokens("加强智能家居标准研制")
