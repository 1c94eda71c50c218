"""The indicator key of targets (extract/indicators.py): subject and sampling level, on sentences, seeds and dev pages."""

from __future__ import annotations

import pytest

import policycompare as pc
from policycompare import schema
from policycompare.extract.indicators import find_sampling, find_subject, indicator_key, sampling_levels, subjects

from ..conftest import DEV


@pytest.fixture(scope="module")
def dev_corpus() -> pc.Corpus:
    return pc.load_corpus(DEV / "raw", workers=1)


@pytest.mark.parametrize(("label", "metric", "want"), [
    ("重点消费品国家监督抽查合格率", "pass_rate", ("consumer_goods", "national")),
    ("消费品质量省级以上监督抽查合格率", "pass_rate", ("consumer_goods", "provincial_and_above")),
    ("制造业产品质量合格率", "pass_rate", ("manufacturing_products", "unspecified")),
    ("工业产品质量监督抽查合格率", "pass_rate", ("industrial_products", "unspecified")),
    ("消费品国抽合格率", "pass_rate", ("consumer_goods", "national")),
    ("产品质量省级监督抽查合格率", "pass_rate", ("products", "provincial")),
    ("产品质量市级监督抽查合格率", "pass_rate", ("products", "municipal")),
    ("药品县级监督抽检合格率", "other", ("drugs", "county")),
    ("主要农产品质量安全抽检合格率", "other", ("agricultural_products", "unspecified")),
    ("监督抽查合格率", "pass_rate", ("", "unspecified")),
    ("知名品牌", "brand", ("", "")),  # not a rate: no sampling level
    ("消费品类宁夏名牌数量", "brand", ("consumer_goods", "")),
])
def test_tricky_labels(label, metric, want):
    assert indicator_key(label, metric=metric) == want


def test_province_and_above_is_not_province():
    assert find_sampling("省级以上监督抽查合格率") == "provincial_and_above"
    assert find_sampling("省级监督抽查合格率") == "provincial"


def test_a_list_of_levels_is_combined_not_its_last_level():
    # 靖边: 使工业产品国家、省、市、县监督抽查合格率平均值 — the label alone reads 县监督抽查合格率平均值
    subject, sampling = indicator_key("县监督抽查合格率平均值", "使工业产品国家、省、市、县监督抽查合格率平均值稳定在",
                                      metric="pass_rate", domain="product_quality")
    assert (subject, sampling) == ("industrial_products", "combined")


def test_subject_from_the_clause_only_where_the_label_names_none():
    # 宁夏: the label is cut at 、; the clause names consumer goods; an earlier clause (工业产品) does not count
    clause = "工业产品质量监督抽查合格率达到95%以上,重点领域消费品与国家、国际标准一致性程度达到"
    assert indicator_key("国际标准一致性程度", clause, clause, metric="standard_consistency")[0] == "consumer_goods"
    # a count names what it counts in its label: the sentence around it gives no subject
    assert indicator_key("知名品牌", "消费品领域培育", "消费品领域培育", metric="brand")[0] == ""


def test_domain_gives_the_subject_when_the_words_name_none():
    assert indicator_key("一次验收合格率", metric="other", domain="construction")[0] == "construction_works"


def test_leftmost_subject_wins_and_spaces_do_not_split_words():
    assert find_subject("地产农产品质量安全例行监测合格率和食品抽查合格率") == "agricultural_products"
    assert find_subject("工业产品质量") == "industrial_products"  # not products
    assert indicator_key("主要农 产品加工转化率")[0] == "agricultural_products"


def test_every_subject_and_level_has_names():
    for item in [*subjects().values(), *sampling_levels().values()]:
        assert item.zh and item.en, item
    assert "unspecified" in sampling_levels()


def test_targets_table_has_the_key_columns(corpus):
    targets = corpus.targets
    cols = list(schema.SCHEMAS["targets"])
    assert cols[cols.index("domain") + 1:cols.index("domain") + 3] == ["indicator_subject", "indicator_sampling"]
    assert schema.describe("targets", "indicator_subject") and schema.describe("targets", "indicator_sampling")
    rates = targets[targets["metric"] == "pass_rate"].set_index("plan_id")
    assert rates.loc["lingwu_2017", ["indicator_subject", "indicator_sampling"]].tolist() == [
        "consumer_goods", "unspecified"]
    assert rates.loc["hunan_2017", "indicator_sampling"] == "provincial_and_above"
    assert rates.loc["sichuan_2018", ["indicator_subject", "indicator_sampling"]].tolist() == ["consumer_goods", "national"]
    consistency = targets[targets["metric"] == "standard_consistency"].set_index("plan_id")["indicator_subject"]
    assert consistency.to_dict() == {"hunan_2017": "consumer_goods", "lingwu_2017": "consumer_goods"}
    # sampling only on rates
    assert (targets.loc[~targets["label"].str.contains("率"), "indicator_sampling"] == "").all()


def test_dev_pages_pass_rates_keep_their_series_apart(dev_corpus):
    targets = dev_corpus.targets
    general = targets[(targets["metric"] == "pass_rate") & (targets["mention"] == 1)]
    key = {p: (s, m) for p, s, m in zip(general["plan_id"], general["indicator_subject"], general["indicator_sampling"])}
    assert key["ningxia_2018"] == ("industrial_products", "unspecified")
    assert key["national_2016"] == ("consumer_goods", "national")
    assert key["fujian_2016"] == ("consumer_goods", "national")
    assert key["jingbian_2017"] == ("industrial_products", "combined")
    for plan in ("sichuan_2023", "wenzhou_2014", "yichun_2024"):
        assert key[plan] == ("manufacturing_products", "unspecified"), plan
    assert key["pingli_2016"] == ("products", "unspecified")
    # the domain and the subject agree: manufacturing pass rates are manufacturing products, food is food
    assert set(general.loc[general["domain"] == "manufacturing", "indicator_subject"]) == {"manufacturing_products"}
    other = targets[targets["domain"].isin(["food", "agricultural"])]
    assert set(other["indicator_subject"]) <= {"food", "agricultural_products"}
