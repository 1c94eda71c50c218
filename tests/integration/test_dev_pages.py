"""The 25 real development pages (tests/data/dev) scored with policycompare.evaluate.gold, and
one parametrized unit test per class of fix, on synthetic sentences (never the pages themselves).

The scores are printed (``pytest -s``) and asserted: plan metadata >= 0.95 of scored fields
exact, targets F1 >= 0.95, every pass-rate threshold exact, every agency row exact.
"""

from __future__ import annotations

import difflib
import math
import random

import pandas as pd
import pytest

import policycompare as pc
from policycompare.analyze import compare
from policycompare.evaluate import gold as validate
from policycompare.extract import targets as targets_mod
from policycompare.extract.agencies import canonical_agency, extract_agencies
from policycompare.extract.targets import extract_targets, pass_rate_domain
from policycompare.parse.doubts import doubts
from policycompare.parse.metadata import extract_metadata, resolve_stripped_date, strip_label_prefix
from policycompare.parse.places import doc_number_place
from policycompare.rules.gazetteer import find_division, short_name

from ..conftest import DEV

#: Sentences the dev gold documents as left out (SOURCES.md, "Gold conventions"): the
#: national summary's headline occurs twice, identically, so it has no unique snippet.
#: Extracting it is not wrong; it is not scored.
UNSCORED = pd.DataFrame([{"plan_id": "national_2016", "snippet": "国家标准委:2020年消费品国抽合格率稳定在90%以上"}])


def dev_gold(name: str) -> pd.DataFrame:
    return pd.read_csv(DEV / "gold" / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def dev_corpus() -> pc.Corpus:
    return pc.load_corpus(DEV / "raw")


def test_every_dev_page_is_read(dev_corpus):
    assert len(dev_corpus) == 25 and not dev_corpus.errors
    assert set(dev_gold("plans.csv")["plan_id"]) == set(dev_corpus.plan_ids)


def test_plan_metadata_on_dev_pages(dev_corpus):
    score = validate.score_plans(dev_corpus.plans, dev_gold("plans.csv"))
    print("\n" + str(score))
    print(score.misses().to_string())
    assert score.counts["scored"] == 157
    assert score.counts["share"] >= 0.95


def test_targets_on_dev_pages(dev_corpus):
    score = validate.score_targets(dev_corpus.targets, dev_gold("targets.csv"), unscored=UNSCORED)
    print("\n" + str(score))
    print(score.misses()[["side", "plan_id", "snippet", "status", "found_metric"]].to_string())
    assert score.counts["f1"] >= 0.95
    assert score.counts["precision"] >= 0.95 and score.counts["recall"] >= 0.95


def test_pass_rate_thresholds_on_dev_pages(dev_corpus):
    score = validate.score_pass_rates(compare.pass_rates(dev_corpus), dev_gold("targets.csv"), dev_corpus.plan_ids)
    print("\n" + str(score))
    assert score.counts["exact"] == score.counts["plans"] == 25, score.misses().to_string()


def test_agencies_on_dev_pages(dev_corpus):
    score = validate.score_agencies(dev_corpus.agencies, dev_corpus.tasks, dev_gold("agencies.csv"))
    print("\n" + str(score))
    assert score.counts["exact"] == score.counts["rows"] == 6, score.misses().to_string()


def test_other_pass_rates_have_their_own_columns(dev_corpus):
    rates = compare.pass_rates(dev_corpus).set_index("plan_id")
    assert {"domain", "threshold_food", "threshold_agricultural", "threshold_drug"} <= set(rates.columns)
    general = dev_corpus.targets[dev_corpus.targets["metric"] == "pass_rate"]
    assert set(general["domain"]) <= {"product_quality", "manufacturing"}


# -- validate: the matching rules themselves ---------------------------------------------------


def _targets(rows):
    base = {"value_max": None, "unit": "%", "metric": "pass_rate", "value_text": ""}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_score_targets_counts_metric_glosses_required_and_unscored():
    gold = pd.DataFrame([
        {"plan_id": "a", "value": "92", "value_max": "", "unit": "%", "metric": "pass_rate|other", "per_year": "0",
         "required": "1", "snippet": "合格率達(dá)到92%"},
        {"plan_id": "a", "value": "3000", "value_max": "", "unit": "亿元", "metric": "other", "per_year": "0",
         "required": "0", "snippet": "总值3000亿元"},
        {"plan_id": "a", "value": "5", "value_max": "", "unit": "个", "metric": "brand", "per_year": "0",
         "required": "1", "snippet": "品牌5个"},
    ])
    found = _targets([
        {"plan_id": "a", "value": 92.0, "metric": "other", "sentence": "制造业合格率达到92%以上。"},
        {"plan_id": "a", "value": 3000.0, "unit": "亿元", "metric": "other", "sentence": "总值3000亿元。"},
        {"plan_id": "a", "value": 5.0, "unit": "个", "metric": "other", "sentence": "培育品牌5个。"},
        {"plan_id": "a", "value": 7.0, "unit": "个", "metric": "other", "sentence": "头条:7个。"},
    ])
    score = validate.score_targets(found, gold, unscored=pd.DataFrame([{"plan_id": "a", "snippet": "头条"}]))
    # 92 matches (glosses stripped, t2s, metric allowed); 3000 亿元 is neither counted nor a false
    # positive; 5个 has the wrong metric (missed and a false positive); 7个 is unscored
    assert score.counts["true_positives"] == 1 and score.counts["false_positives"] == 1
    assert score.counts["ignored"] == 2 and score.counts["found_gold"] == 1 and score.counts["required_gold"] == 2
    assert (score.table["status"] == "wrong metric").sum() == 1


def test_score_plans_skips_star_and_compares_years_as_numbers():
    found = pd.DataFrame([{"plan_id": "a", "level": "county", "period_end": 2020, "issuer": "x"}])
    gold = pd.DataFrame([{"plan_id": "a", "level": "county", "period_end": "2020", "issuer": "*"}])
    score = validate.score_plans(found, gold, fields=("level", "period_end", "issuer"))
    assert score.counts == {"scored": 2, "exact": 2, "share": 1.0}


def test_score_pass_rates_nan_means_none():
    table = pd.DataFrame([{"plan_id": "a", "threshold": math.nan}, {"plan_id": "b", "threshold": 90.0}])
    gold = pd.DataFrame([{"plan_id": "b", "value": "90", "metric": "pass_rate"},
                         {"plan_id": "a", "value": "98", "metric": "other"}])
    assert validate.score_pass_rates(table, gold).counts == {"plans": 2, "exact": 2}


# -- metadata, one test per class of fix --------------------------------------------------------


def _meta(*lines: str, portal: dict | None = None) -> dict:
    return extract_metadata("\n".join(lines) + "\n", portal)


@pytest.mark.parametrize("line, iso", [
    ("二○一三年四月一日", "2013-04-01"),
    ("二〇一九年十二月三十一日", "2019-12-31"),
    ("二O一六年十月十日", "2016-10-10"),
    ("2017 年 11 月 27 日", "2017-11-27"),
])
def test_signature_dates_in_chinese_numerals_and_with_spaces(line, iso):
    meta = _meta("某某县人民政府关于印发质量工作方案的通知", "某某县人民政府办公室", line, "一、目标")
    assert meta["issued_date"] == iso


@pytest.mark.parametrize("digits, known, iso", [
    ("202365", [], "2023-06-05"),
    ("20161207", [], "2016-12-07"),
    ("2016127", [], ""),                   # 1-27 or 12-7: never guessed
    ("2016127", ["2016-12-09"], "2016-12-07"),
    ("2016127", ["2016-02-01"], "2016-01-27"),
])
def test_stripped_dates_resolved_only_when_unambiguous(digits, known, iso):
    assert resolve_stripped_date(digits, known) == iso


def test_stripped_signature_date_uses_the_portal_date_and_signature_beats_posting():
    meta = _meta("某市质量强市工作领导小组", "2019114", "一、目标", portal={"发布日期": "2019-11-20"})
    assert meta["issued_date"] == "2019-11-04"
    meta = _meta("某市质量强市工作领导小组", "2019114", "一、目标")
    assert meta["issued_date"] == ""
    # the portal's dates do not resolve it (another year): left empty, the posting date is no stand-in
    meta = _meta("某市质量强市工作领导小组", "2019114", "一、目标", portal={"发布日期": "2020-01-20"})
    assert meta["issued_date"] == ""
    meta = _meta("某某市人民政府", "2019年3月5日", "一、目标", portal={"发布日期": "2019-03-20"})
    assert meta["issued_date"] == "2019-03-05"


@pytest.mark.parametrize("line, number", [
    ("某政办发〔2017〕49号", "某政办发〔2017〕49号"),
    ("某政发[2016]12号", "某政发〔2016〕12号"),
    ("某府办(2018)7号", "某府办〔2018〕7号"),
    ("某府发 〔 2014 〕 5 号", "某府发〔2014〕5号"),
    ("某办〔201638号", "某办〔2016〕38号"),
])
def test_doc_numbers_in_any_bracket_with_spaces_or_a_lost_bracket(line, number):
    assert _meta("某某县人民政府关于加强质量工作的意见", line, "一、目标")["doc_number"] == number


def test_cited_doc_numbers_are_not_the_plans_own():
    meta = _meta("某某县人民政府关于加强质量工作的意见",
                 "为贯彻落实《某省人民政府关于质量强省的意见》(某政发〔2016〕8号),提出如下意见。", "一、目标")
    assert meta["doc_number"] == ""
    meta = _meta("某某市人民政府关于加强质量工作的意见(某政发〔2017〕28号 2017年10月17日)", "一、目标")
    assert (meta["doc_number"], meta["issued_date"]) == ("某政发〔2017〕28号", "2017-10-17")


@pytest.mark.parametrize("title, period", [
    ("某某市“十三五”质量发展规划", (2016, 2020)),
    ("某某区质量提升“十四五”规划", (2021, 2025)),
    ("某某市标准化发展纲要(2011—2020年)", (2011, 2020)),
    ("某某市质量提升方案(2023–2025年)", (2023, 2025)),
    ("某某市质量提升方案(2023－2025年)", (2023, 2025)),
    ("2014年某某市质量强市建设行动计划", (2014, 2014)),
])
def test_periods_from_titles(title, period):
    meta = _meta(title, "一、目标")
    assert (meta["period_start"], meta["period_end"]) == period


def test_period_end_is_the_plans_own_horizon_not_a_long_range_vision():
    meta = _meta("某某省质量强省建设实施意见", "某某省人民政府", "2023年3月10日", "一、目标",
                 "到2025年,合格率达到95%。到2035年,质量强省基础更加牢固。")
    assert (meta["period_start"], meta["period_end"]) == (2023, 2025)


def test_period_broken_under_the_title_and_of_the_implemented_plan():
    meta = _meta("某某市标准化发展战略纲要", "(2011—2020年)", "一、基础")
    assert (meta["period_start"], meta["period_end"]) == (2011, 2020)
    meta = _meta("各市人民政府:", "为贯彻落实《国务院办公厅关于印发某某规划(2016—2020年)的通知》,提出以下意见。", "一、总体要求")
    assert (meta["period_start"], meta["period_end"]) == (2016, 2020)


@pytest.mark.parametrize("line, title", [
    ("[ 标 题 ]某某市质量提升行动方案", "某某市质量提升行动方案"),
    ("【标题】某某市质量提升行动方案", "某某市质量提升行动方案"),
    ("原标题:某某市质量提升行动方案", "某某市质量提升行动方案"),
    ("文件名称 某某市质量提升行动方案", "某某市质量提升行动方案"),
])
def test_portal_label_prefixes_are_not_part_of_the_title(line, title):
    assert strip_label_prefix(line) == title
    assert _meta(line, "一、目标")["title"] == title


def test_portal_label_values_never_become_fields():
    meta = _meta("某某市质量提升行动方案", "一、目标",
                 portal={"文号": "关 键 词:质量强市", "发布机构": "市政府办"})
    assert meta["doc_number"] == ""
    meta = _meta("索 引 号:1234/2020-01 发布机构:某某市人民政府", "文 号: 关 键 词:质量", "某某市质量提升行动方案", "一、目标")
    assert meta["doc_number"] == ""


def test_banner_and_commentary_lines_are_not_titles():
    meta = _meta("『图文解读』 一图读懂《某某市质量提升行动方案》", "某某市质量提升行动方案", "一、目标")
    assert meta["title"] == "某某市质量提升行动方案"


def test_portal_blocks_with_several_bracketed_labels_on_a_line():
    meta = _meta("[ 索 引 号 ] 1150/2025-00007 [ 主题分类 ] 质量监督", "[ 发布机构 ] 某县政府办 [ 发文字号 ] 某府发〔2024〕14号",
                 "[ 标 题 ] 某某县人民政府关于印发某某方案的通知", "[ 成文日期 ] 2024-04-19 [ 发布日期 ] 2024-05-06",
                 "某某县人民政府关于印发某某方案的通知", "一、目标")
    assert (meta["doc_number"], meta["issued_date"]) == ("某府发〔2024〕14号", "2024-04-19")
    assert meta["title"] == "某某县人民政府关于印发某某方案的通知"


def test_portal_blocks_written_in_the_text():
    meta = _meta("•【制定机关】某某省人民政府办公厅", "•【公布日期】2016.10.25", "•【字号】某府办〔2016〕112号",
                 "某某省人民政府办公厅关于加强质量工作的意见", "一、目标")
    assert (meta["issued_date"], meta["doc_number"]) == ("2016-10-25", "某府办〔2016〕112号")
    meta = _meta("发布机构 | 某某市人民政府 | ||", "文件号 | 制发日期 | 2023-03-10 |", "一、目标")
    assert meta["issued_date"] == "2023-03-10" and meta["doc_number"] == ""
    meta = _meta("索引号", "/2023-00243", "发布机构", "市市场监督管理局", "发布日期", "2023-06-08", "文号", "有效性",
                 "一、目标")
    assert (meta["issued_date"], meta["doc_number"]) == ("2023-06-08", "")


@pytest.mark.parametrize("title, issuer", [
    ("湖北省人民政府办公厅转发国务院办公厅关于印发某某规划的通知", "湖北省人民政府办公厅"),
    ("湖北省人民政府办公厅批转省质监局关于某某意见的通知", "湖北省人民政府办公厅"),
    ("武汉市人民政府关于印发某某方案的通知", "武汉市人民政府"),
])
def test_transfer_wording_keeps_only_the_issuing_body(title, issuer):
    assert _meta(title, "一、目标")["issuer"] == issuer


def test_issuer_without_a_place_is_completed_from_the_jurisdiction():
    meta = _meta("武汉市人民政府办公厅关于印发某某方案的通知", "市政府办公室", "2019年3月5日", "一、目标")
    assert meta["issuer"] == "武汉市政府办公室"


@pytest.mark.parametrize("name, short, level", [
    ("石柱土家族自治县", "石柱", "county"),
    ("恩施土家族苗族自治州", "恩施", "prefecture"),
    ("围场满族蒙古族自治县", "围场", "county"),
    ("宁夏回族自治区", "宁夏", "province"),
])
def test_ethnic_autonomy_names(name, short, level):
    assert short_name(name) == short
    assert find_division(name + "人民政府").level == level


@pytest.mark.parametrize("issuer, name, level, province", [
    ("上海市普陀区人民政府", "普陀区", "county", "上海市"),
    ("北京市朝阳区人民政府办公室", "朝阳区", "county", "北京市"),
    ("四川省江油市人民政府", "江油市", "county", "四川省"),
    ("上海市人民政府办公厅", "上海市", "province", "上海市"),
])
def test_districts_of_municipalities_are_counties(issuer, name, level, province):
    div = find_division(issuer)
    assert (div.name, div.level, div.province) == (name, level, province)


@pytest.mark.parametrize("number, context, name", [
    ("湘政办发〔2017〕49号", "", "湖南省"),
    ("川府发〔2014〕5号", "", "四川省"),
    ("闽质强省办〔2023〕2号", "", "福建省"),
    ("陕政发〔2022〕16号", "", "陕西省"),
    ("娄政发〔2017〕28号", "娄底各县市区", "娄底市"),
    ("温政办〔2014〕98号", "温州市各县(市、区)", "温州市"),
])
def test_doc_number_prefixes_name_the_jurisdiction(number, context, name):
    assert doc_number_place(number, context).name == name


def test_jurisdiction_from_the_doc_number_and_from_body_words():
    meta = _meta("娄政发〔2017〕28号", "各县市区人民政府:", "为加快娄底质量发展,提出以下意见。", "一、目标")
    assert (meta["jurisdiction"], meta["level"], meta["province"]) == ("娄底市", "prefecture", "湖南省")
    meta = _meta("各市、县人民政府:", "为推进全省质量工作,支持平潭综合实验区建设,经省政府同意,提出以下意见。", "一、目标")
    assert (meta["jurisdiction"], meta["level"]) == ("福建省", "province")
    meta = _meta("各县区:", "结合宜春实际,我市制定本方案,质量强市走在全省前列。", "一、目标")
    assert (meta["jurisdiction"], meta["level"]) == ("宜春市", "prefecture")


@pytest.mark.parametrize("lines", [
    ("国务院办公厅关于印发某某行动计划的通知", "一、目标"),
    ("国办发〔2015〕19号", "各省人民政府:", "一、目标"),
    ("中共中央 国务院关于开展质量提升行动的指导意见", "一、目标"),
])
def test_national_documents(lines):
    meta = _meta(*lines)
    assert (meta["jurisdiction"], meta["level"]) == ("中国", "national")


# -- targets, one test per class of fix ---------------------------------------------------------


def _found(sentence: str) -> list[tuple[float, float | None, str, str]]:
    text = "一、目标\n" + sentence + "\n"
    rows = extract_targets("x", text, [], 2025)
    return [(r["value"], r["value_max"], r["unit"], r["metric"]) for r in rows]


@pytest.mark.parametrize("sentence, value, unit", [
    ("公共服务质量满意度达到85分以上。", 85, "分"),
    ("到2025年,制造业质量竞争力指数达到86。", 86, ""),
    ("建设高标准农田5万亩。", 50000, "亩"),
    ("培育家庭农场示范户200户。", 200, "户"),
    ("新建标准化厂房3000平方米。", 3000, "平方米"),
    ("全年发放质量惠民消费券1000张。", 1000, "张"),
    ("安排质量奖励资金500万元。", 5000000, "元"),  # 万 folded into the value (dev2 gold convention)
    ("质量品牌产业产值达到50亿元。", 50, "亿元"),
    ("优等品率提高2个百分点。", 2, "个百分点"),
    ("每年开展质量培训20期以上。", 20, "期"),
    ("举办质量月活动50场。", 50, "场"),
    ("人均质量奖励达到5000元。", 5000, "元"),
])
def test_units_and_unitless_indexes_are_found(sentence, value, unit):
    assert (value, unit) in [(v, u) for v, _, u, _ in _found(sentence)]


@pytest.mark.parametrize("sentence", [
    "发布日期:2020-01-01 浏览量:1463次",
    "阅读次数:87次",
    "2021-05-06 12:00 293人看过",
    "定量目标主要有3个:一是提高标准水平。",
    "《实施方案》围绕某市5个产业集群,提出工作措施。",
    "从质量基础、质量环境等6个方面提出工作措施。",
    "提出培育壮大某某产业4项质量措施。",
    "本次检查历时20分钟。",
    "在产品质量、工程质量、服务质量3个方面明确了40项具体的量化指标。",
    "突出了装备制造、消费品、建设工程、文化旅游4个行业和领域。",
])
def test_page_furniture_and_reporting_sentences_are_not_targets(sentence):
    assert _found(sentence) == []


@pytest.mark.parametrize("label, domain", [
    ("消费品质量国家监督抽查合格率", "product_quality"),
    ("工业产品质量监督抽查合格率", "product_quality"),
    ("产品质量合格率", "product_quality"),
    ("制造业产品质量合格率", "manufacturing"),
    ("农产品质量安全例行监测合格率", "agricultural"),
    ("食品抽检合格率", "food"),
    ("基本药品抽查合格率", "drug"),
    ("大中型工程项目一次验收合格率", "construction"),
    ("服务质量合格率", "service"),
    ("计量器具检定合格率", "other"),
])
def test_pass_rate_domains(label, domain):
    assert pass_rate_domain(label) == domain


@pytest.mark.parametrize("sentence, value", [
    ("新增国家标准、地方标准和团体标准2项以上。", 2),
    ("推动涂料、家具、陶瓷砖等3种产品开展绿色产品认证。", 3),
])
def test_a_list_of_kinds_before_a_goal_count_is_still_a_target(sentence, value):
    assert value in [v for v, _, _, _ in _found(sentence)]


def test_only_general_pass_rates_are_metric_pass_rate():
    rows = _found("主要农产品质量安全监测合格率达到96%以上,制造业产品质量合格率达到92%以上。")
    assert (96, None, "%", "other") in rows and (92, None, "%", "pass_rate") in rows


def test_counted_noun_runs_on_over_list_items():
    rows = _found("培育10个具有自主知识产权、质量竞争力强、品牌附加值高的品牌。")
    assert rows == [(10, None, "个", "brand")]


def test_restatement_buckets_give_the_pairwise_result():
    rng = random.Random(7)
    words = ["合格率", "消费品合格率", "品牌", "知名品牌", "标准", "团体标准", "企业"]
    rows = [{"metric": rng.choice(["pass_rate", "brand"]), "value": float(rng.choice([1, 2, 90])), "value_max": None,
             "unit": rng.choice(["%", "个"]), "per_year": rng.random() < 0.2, "label": rng.choice(words)}
            for _ in range(200)]
    expected = []
    for i, row in enumerate(rows):
        same = [e for e in rows[:i] if all(e[k] == row[k] for k in ("metric", "value", "value_max", "unit", "per_year"))]
        expected.append(1 + sum(difflib.SequenceMatcher(None, e["label"], row["label"]).ratio() >= 0.5 for e in same))
    targets_mod._number_mentions(rows)
    assert [r["mention"] for r in rows] == expected


# -- agencies -----------------------------------------------------------------------------------


def _agencies(text: str) -> list[tuple[str, str]]:
    rows, _ = extract_agencies("x", text, [{"task_id": "x:1", "char_start": 0, "char_end": len(text)}])
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["agency"]
    return [(r["role"], r["agency"]) for r in rows]


def test_a_closing_line_names_the_responsible_agencies():
    found = _agencies("1.加强质量监管。开展抽查。\n县市场监管局、县工信局负责落实。")
    assert found == [("responsible", "县市场监管局"), ("responsible", "县工信局")]


def test_first_listed_agency_leads_when_the_note_says_so():
    found = _agencies("1.加强监管(责任单位:市市场监管局、市工信局、市商务局,排在第一位的为牵头部门)。")
    assert found == [("lead", "市市场监管局"), ("responsible", "市工信局"), ("responsible", "市商务局")]


def test_x_jointly_with_y_gives_x_as_lead():
    found = _agencies("1.加强督查。市质监局要会同市发展改革委、市经信委定期开展检查。")
    assert ("lead", "市质监局") in found and ("cooperate", "市经信委") in found


@pytest.mark.parametrize("name, canonical, function", [
    ("质检总局", "质检总局", "市场监管"),
    ("工业和信息化部", "工信部", "工业和信息化"),
    ("人力资源社会保障部", "人社部", "人力资源社会保障"),
    ("发展改革委", "发改委", "发展改革"),
    ("科技部", "科技部", "科技"),
    ("财政部", "财政部", "财政"),
    ("国资委", "国资委", "国有资产监管"),
    ("知识产权局", "知识产权局", "市场监管"),
    ("教育部", "教育部", "教育"),
])
def test_central_ministries_are_known(name, canonical, function):
    info = canonical_agency(name)
    assert (info.canonical, info.function, info.known) == (canonical, function, True)


# -- doubts -------------------------------------------------------------------------------------


def test_doubts_truncated_text_single_task_and_missing_fields():
    meta = {"title": "某市质量提升方案", "jurisdiction": "", "issued_date": ""}
    found = doubts("某市质量提升方案\n一、目标\n到2020年,合格率达到", meta, [{"task_id": "x:1"}])
    assert any("truncated" in m for m in found) and any("one task" in m for m in found)
    assert any("jurisdiction not found" in m for m in found) and any("date not found" in m for m in found)
    complete = doubts("某市质量提升方案\n一、目标\n合格率达到90%。\n某市人民政府\n2020年1月2日\n",
                      {"title": "某市质量提升方案", "jurisdiction": "某市", "issued_date": "2020-01-02"},
                      [{"task_id": "x:1"}, {"task_id": "x:2"}])
    assert complete == []


def test_doubts_title_from_a_longer_line_and_unresolved_stripped_date():
    found = doubts("据报道,某市质量提升方案近日出台,内容如下。\n2016127\n", {"title": "某市质量提升方案", "jurisdiction": "x",
                                                                 "issued_date": ""}, [{}, {}], fields=False)
    assert any("title taken" in m for m in found) and any("2016127" in m for m in found)


# -- classes met on other real pages ------------------------------------------------------------


def test_issuer_line_above_a_title_starting_with_guanyu():
    meta = _meta("某某旗人民政府办公室", "关于印发推进质量强旗战略实施方案的通知", "各部门:", "一、目标")
    assert meta["title"] == "某某旗人民政府办公室关于印发推进质量强旗战略实施方案的通知"
    meta = _meta("剑阁县人民政府", "关于加快推进质量强县的实施意见", "一、目标")
    assert (meta["issuer"], meta["jurisdiction"], meta["level"]) == ("剑阁县人民政府", "剑阁县", "county")


def test_place_named_after_guanyu_yinfa_in_the_title():
    meta = _meta("关于印发城阳区质量强区建设发展规划(2016-2020年)的通知", "一、基础")
    assert (meta["jurisdiction"], meta["level"], meta["province"]) == ("城阳区", "county", "山东省")


def test_wo_qu_is_a_district_word_not_a_province_word():
    meta = _meta("各街道:", "为提高我区质量总体水平,结合城阳实际,全区各部门要落实。", "一、目标")
    assert (meta["jurisdiction"], meta["level"]) == ("城阳区", "county")


@pytest.mark.parametrize("sentence", [
    "国家标准委印发《关于同意某市等34个城市创建示范城市的函》。",
])
def test_numbers_inside_cited_titles_are_not_targets(sentence):
    assert _found(sentence) == []


def test_past_achievement_sections_give_no_targets():
    text = "一、发展基础\n(一)取得的主要成效\n1.产品质量稳中有升。食品抽查合格率达到97.7%。\n二、发展目标\n(一)产品质量\n1.到2025年,产品质量监督抽查合格率达到95%以上。\n"
    from policycompare.parse.structure import parse_structure

    rows = extract_targets("x", text, parse_structure("x", text).tasks, 2025)
    assert [(r["value"], r["metric"]) for r in rows] == [(95, "pass_rate")]


def test_a_note_in_parentheses_is_not_the_label_and_headings_give_the_domain():
    rows = extract_targets("x", "一、目标\n工业产品质量监督抽查合格率达到90%以上(旗市监局负责)。\n", [], None)
    assert rows[0]["label"] == "工业产品质量监督抽查合格率"
    assert pass_rate_domain("交验合格率", "交验合格率达到100%", "竣工交付使用的工程质量达到国家标准,交验合格率达到100%。") \
        == "construction"
    assert pass_rate_domain("合格率", "", "", "二、目标 > (三)工程质量目标") == "construction"
    assert pass_rate_domain("高速公路总体合格率") == "construction"


def test_banner_and_league_prefixes_of_agencies():
    assert canonical_agency("旗市监局").canonical == "市场监管局"


def test_a_dated_sentence_is_not_a_signature():
    meta = _meta("某某县质量提升行动方案", "国务院办公厅2016年9月6日印发了《消费品标准和质量提升规划》。", "一、目标")
    assert (meta["issuer"], meta["issued_date"]) == ("", "")
    meta = _meta("杭州市人民政府关于印发某某方案的通知 杭政函〔2016〕190号 各区人民政府:",
                 "杭州市人民政府 2016年12月23日 关于某某的实施方案", "一、目标")
    assert (meta["issuer"], meta["issued_date"], meta["doc_number"]) == ("杭州市人民政府", "2016-12-23", "杭政函〔2016〕190号")
