"""Target escalation, task adoption and diffusion on one corpus of the seed plans and the 25 dev pages.

The expected pairs were checked by hand against the texts (tests/data/dev/SOURCES.md says
which page is which; the pages are excerpts, so a parent's later targets may be cut off).
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import policycompare as pc
from policycompare import schema
from policycompare.analyze import escalation, similarity, task_pairs
from policycompare.errors import PlanError
from policycompare.parse.sidecar import read_sidecar
from policycompare.rules.gazetteer import ancestors, division_of

from ..conftest import DEV, RAW, REPO


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> pc.Corpus:
    folder = tmp_path_factory.mktemp("seeds_and_dev")
    for path in [*RAW.iterdir(), *(DEV / "raw").iterdir()]:
        shutil.copy(path, folder / path.name)
    return pc.load_corpus(folder, workers=1)


@pytest.fixture(scope="module")
def lineage(both) -> pd.DataFrame:
    return escalation.lineage(both).set_index("plan_id")


@pytest.fixture(scope="module")
def escal(both) -> pd.DataFrame:
    return escalation.target_escalation(both)


def test_gazetteer_ancestors():
    lingwu = division_of("灵武市", "宁夏回族自治区", "county")
    assert [d.name for d in ancestors(lingwu.adcode)] == ["银川市", "宁夏回族自治区"]
    assert [d.name for d in ancestors(division_of("普陀区", "上海市").adcode)] == ["上海市"]
    assert ancestors(division_of("湖南省").adcode) == []


def test_parents_are_the_nearest_ancestor_with_a_plan(lineage):
    parent = lineage["parent_id"]
    assert parent["hunan_2017"] == parent["sichuan_2018"] == parent["ningxia_2018"] == "national_2016"
    assert parent["lingwu_2017"] == "ningxia_2018"  # 银川 has no plan: the province is the nearest
    assert parent["loudi_2017"] == "hunan_2017"
    assert parent["chengdu_2017"] == parent["jiangyou_2017"] == "sichuan_2018"
    assert parent["yancheng_2014"] == "jiangsu_2016"
    assert parent["national_2016"] == "" and parent["national_2015"] == ""
    assert lineage.at["jiangyou_2017", "ancestors"] == "绵阳市 > 四川省 > 中国"


def test_parent_dates_and_flags(lineage):
    # national_2016 has no issue date: its file-name year stands in; issued before 湖南 (2017-08-24)
    assert lineage.at["national_2016", "date_source"] == "file_name"
    assert lineage.at["hunan_2017", "parent_earlier"] == True  # noqa: E712 (pandas boolean)
    # 宁夏 2018 came after 灵武 2017-10-16, 江苏 2016 after 盐城 2014: nearest in time, flagged
    assert lineage.at["lingwu_2017", "parent_earlier"] == False  # noqa: E712
    assert lineage.at["yancheng_2014", "parent_earlier"] == False  # noqa: E712
    # two plans of 2016 known to the year only: order unknown
    assert pd.isna(lineage.at["fujian_2016", "parent_earlier"])
    # the parent came later: stated as data, not left to a print
    assert lineage.at["lingwu_2017", "parent_issued_after"] == True  # noqa: E712
    assert lineage.at["yancheng_2014", "parent_issued_after"] == True  # noqa: E712
    assert lineage.at["hunan_2017", "parent_issued_after"] == False  # noqa: E712
    assert pd.isna(lineage.at["fujian_2016", "parent_issued_after"]) and pd.isna(lineage.at["national_2016",
                                                                                              "parent_issued_after"])


def test_pass_rate_escalation(escal):
    rates = escal[(escal["metric"] == "pass_rate") & escal["direction"].isin(["raised", "same", "lowered"])]
    got = {row.plan_id: (row.parent_id, row.parent_value, row.value, row.direction) for row in rates.itertuples()}
    assert got["hunan_2017"] == ("national_2016", 90.0, 90.0, "same")
    assert got["sichuan_2018"] == ("national_2016", 90.0, 91.5, "raised")
    # 宁夏's 工业产品 95 is another series than the national and 灵武's 消费品 pass rates: never compared
    assert "ningxia_2018" not in got and "lingwu_2017" not in got
    lingwu = escal[(escal["plan_id"] == "lingwu_2017") & (escal["metric"] == "pass_rate")].set_index("direction")
    assert lingwu.loc["dropped", ["parent_value", "indicator_subject"]].tolist() == [95.0, "industrial_products"]
    assert lingwu.loc["added", ["value", "indicator_subject"]].tolist() == [92.0, "consumer_goods"]
    # 四川 2023 sets a manufacturing pass rate: not compared with the national product-quality rate
    assert "sichuan_2023" not in got
    # the same subject sampled at another level is a match, and says so
    assert rates.set_index("plan_id").loc["hunan_2017", "match"] == "same_subject"  # 省级以上 vs national 国抽
    assert rates.set_index("plan_id").loc["sichuan_2018", "match"] == "same_indicator"  # 国家监督抽查 both


def test_no_direction_between_different_subjects(both, escal):
    matched = escal[escal["direction"].isin(["raised", "same", "lowered"])]
    assert len(matched) and (matched["match"].isin(escalation.MATCHES)).all()
    # each side's own subject, read from the targets table: always the same on both sides
    subject = both.targets.set_index("target_id")["indicator_subject"]
    assert (matched["parent_target_id"].map(subject) == matched["target_id"].map(subject)).all()
    sampling = both.targets.set_index("target_id")["indicator_sampling"]
    same = matched["parent_target_id"].map(sampling) == matched["target_id"].map(sampling)
    assert (matched["match"] == same.map({True: "same_indicator", False: "same_subject"})).all()
    unmatched = escal[escal["direction"].isin(["dropped", "added"])]
    assert (unmatched["match"] == "").all()


def test_parent_issued_after_on_every_pair_table(both, escal):
    lingwu = escal[escal["plan_id"] == "lingwu_2017"]
    assert len(lingwu) and lingwu["parent_issued_after"].fillna(False).all()
    assert not escal.loc[escal["plan_id"] == "hunan_2017", "parent_issued_after"].fillna(True).any()
    summary = escalation.escalation_summary(both, table=escal).set_index("plan_id")
    assert summary.at["lingwu_2017", "parent_issued_after"] == True  # noqa: E712
    adoption = escalation.adoption_summary(both).set_index("plan_id")
    assert adoption.at["lingwu_2017", "parent_issued_after"] == True  # noqa: E712
    assert adoption.at["hunan_2017", "parent_issued_after"] == False  # noqa: E712


def test_other_metrics_dropped_and_added(escal):
    hunan = escal[escal["plan_id"] == "hunan_2017"]
    same = hunan[hunan["direction"] == "same"]
    assert set(same["metric"]) == {"pass_rate", "quality_index", "standard_consistency"}
    assert (hunan["direction"] == "added").sum() == 7 and (hunan["direction"] == "dropped").sum() == 0
    # 上海 sets none of the three national targets: all dropped
    shanghai = escal[escal["plan_id"] == "shanghai_2017"]
    assert list(shanghai["direction"]) == ["dropped"] * 3
    assert shanghai["value"].isna().all() and shanghai["parent_value"].notna().all()


def test_escalation_summaries(both):
    per_plan = escalation.escalation_summary(both).set_index("plan_id")
    assert per_plan.loc["lingwu_2017", ["raised", "same", "lowered"]].tolist() == [0, 1, 0]
    assert per_plan.loc["hunan_2017", ["same", "added", "matched"]].tolist() == [3, 7, 3]
    by_level = escalation.escalation_summary(both, by="level").set_index(["level", "parent_level"])
    assert by_level.loc[("county", "province"), "lowered"] == 0
    assert by_level.loc[("province", "national"), "raised"] >= 1
    assert by_level["plans"].sum() == len(per_plan)


def test_target_levels_for_the_figure(both):
    levels = escalation.target_levels(both).set_index("plan_id")
    # consumer goods by default: 灵武 92 has no comparable parent value (宁夏 sets an industrial-products rate),
    # and its parent came later
    assert levels.loc["lingwu_2017", ["value", "direction"]].tolist() == [92.0, ""]
    assert np.isnan(levels.loc["lingwu_2017", "parent_value"])
    assert levels.loc["lingwu_2017", "parent_issued_after"] == True  # noqa: E712
    assert list(levels["level"])[0] == "national"
    assert set(levels["indicator_subject"]) == {"consumer_goods"}
    assert "ningxia_2018" not in levels.index and "sichuan_2023" not in levels.index
    anything = escalation.target_levels(both, subject=None).set_index("plan_id")
    assert anything.loc["ningxia_2018", "indicator_subject"] == "industrial_products"
    assert np.isnan(anything.loc["sichuan_2023", "parent_value"])


def test_task_scores_are_the_sparse_block_of_the_model(both):
    scores = task_pairs.task_scores(both, "ningxia_2018", "lingwu_2017")
    model = similarity.task_model(both)
    ids = model.tasks["task_id"].tolist()
    a, b = ids.index("ningxia_2018:p2"), ids.index("lingwu_2017:2")
    dense = float((model.matrix[a] @ model.matrix[b].T).toarray()[0, 0])
    row = scores[(scores["task_a"] == "ningxia_2018:p2") & (scores["task_b"] == "lingwu_2017:2")]
    assert row["score"].iloc[0] == pytest.approx(dense, abs=1e-6)
    assert set(scores["task_a"]) <= {t for t in ids if t.startswith("ningxia_2018:")}


def test_task_adoption_hand_checked(both):
    adoption = escalation.task_adoption(both)
    lingwu = adoption[(adoption["plan_id"] == "lingwu_2017") & (adoption["parent_task"] == "ningxia_2018:p2")].iloc[0]
    # 重点领域消费品与国家、国际标准一致性程度达到95%以上: 27 characters shared word for word
    assert (lingwu["status"], lingwu["task_id"], lingwu["shared_chars"]) == ("adapted", "lingwu_2017:2", 27)
    hunan = adoption[(adoption["plan_id"] == "hunan_2017") & (adoption["parent_task"] == "national_2016:p2")].iloc[0]
    # the national goals paragraph: four passages (17 + 20 + 15 + 14 characters) in 湖南's 主要目标
    assert hunan["status"] == "adapted" and hunan["shared_chars"] == 66 and hunan["task_id"].startswith("hunan_2017:2.")
    assert adoption.loc[(adoption["plan_id"] == "hunan_2017") & (adoption["parent_task"] == "national_2016:p3"),
                        "status"].item() == "dropped"  # 免责声明, the page's disclaimer
    # 娄底's one task (主要目标) shares nothing with 湖南's consumer-goods plan: every 湖南 task is dropped
    loudi = adoption[adoption["plan_id"] == "loudi_2017"]
    assert set(loudi.loc[loudi["parent_task"] != "", "status"]) == {"dropped"}
    assert set(adoption["status"]) <= set(escalation.STATUSES)


def test_copied_when_most_of_the_parent_task_is_shared(tmp_path):
    text_parent = "某省人民政府关于印发某省质量提升方案的通知\n一、主要任务\n1.推动消费品标准由生产型向消费型转变,建立健全消费品质量安全标准体系。\n2.加强质量基础设施建设,提升检验检测认证能力和水平。\n某省人民政府\n2016年5月6日\n"
    text_child = "某县人民政府关于印发某县质量提升方案的通知\n一、主要任务\n1.推动消费品标准由生产型向消费型转变,建立健全消费品质量安全标准体系。\n2.培育本县特色农产品品牌,扶持龙头企业开拓市场。\n某县人民政府\n2017年5月6日\n"
    (tmp_path / "parent_2016.txt").write_text(text_parent, encoding="utf-8")
    (tmp_path / "child_2017.txt").write_text(text_child, encoding="utf-8")
    (tmp_path / "child_2017.meta.toml").write_text('parent = "parent_2016"\n', encoding="utf-8")
    corpus = pc.load_corpus(tmp_path, workers=1)
    line = escalation.lineage(corpus).set_index("plan_id")
    assert line.at["child_2017", "parent_id"] == "parent_2016" and line.at["child_2017", "parent_source"] == "sidecar"
    assert line.at["child_2017", "parent_earlier"] == True  # noqa: E712
    adoption = escalation.task_adoption(corpus).set_index("parent_task")
    assert adoption.at["parent_2016:1.1", "status"] == "copied"
    assert adoption.at["parent_2016:1.1", "task_id"] == "child_2017:1.1"
    assert adoption.at["parent_2016:1.2", "status"] == "dropped"
    added = escalation.task_adoption(corpus)
    assert added.loc[added["status"] == "added", "task_id"].tolist() == ["child_2017:1.2"]
    summary = escalation.adoption_summary(corpus).iloc[0]
    assert (summary["copied"], summary["dropped"], summary["added"], summary["adoption_share"]) == (1, 1, 1, 0.5)


def test_sidecar_parent_is_checked(tmp_path):
    plan = tmp_path / "x_2017.txt"
    plan.write_text("x", encoding="utf-8")
    (tmp_path / "x_2017.meta.toml").write_text("parent = 3\n", encoding="utf-8")
    with pytest.raises(PlanError, match="parent"):
        read_sidecar(plan)
    (tmp_path / "x_2017.meta.toml").write_text('parent = "hunan_2017"\n', encoding="utf-8")
    assert read_sidecar(plan) == {"parent": "hunan_2017"}


def test_diffusion_hand_checked(both):
    edges = escalation.diffusion(both)
    pair = edges.set_index(["earlier_id", "later_id"])
    # 灵武 (2017-10-16) shares 35 passages with 湖南 (2017-08-24): a candidate edge 湖南 -> 灵武
    hunan_lingwu = pair.loc[("hunan_2017", "lingwu_2017")]
    assert hunan_lingwu["passages"] == 35 and hunan_lingwu["exclusive_chars"] > 400 and hunan_lingwu["days"] == 53
    assert ("lingwu_2017", "hunan_2017") not in pair.index  # edges point forward in time
    assert pair.loc[("hunan_2017", "loudi_2017"), "relation"] == "parent"
    # 长宁 2021 shares text with 普陀 2018 and 海南 2018: what it also shares with 海南 (a province,
    # higher than 普陀) is not counted for 普陀
    putuo = pair.loc[("putuo_2018", "changning_2021")]
    assert putuo["exclusive_chars"] < putuo["shared_chars"]
    assert (edges["days"] > 0).all() and (edges["exclusive_chars"] <= edges["shared_chars"]).all()
    undated = set(escalation.undated_plans(both)["plan_id"])
    assert {"national_2016", "ningxia_2018"} <= undated
    assert not (set(edges["earlier_id"]) | set(edges["later_id"])) & undated


def test_diffusion_works_from_the_reuse_rows_only(both):
    empty = pc.reuse.text_reuse(both).iloc[0:0]
    assert escalation.diffusion(both, reuse=empty).empty


def test_tables_are_registered_with_their_schemas(both):
    tables = both.tables()
    for name in ("lineage", "target_escalation", "escalation_summary", "escalation_by_level", "task_adoption",
                 "adoption_summary", "diffusion"):
        assert list(tables[name].columns) == list(schema.SCHEMAS[name]), name
        assert name in schema.DESCRIPTIONS
    assert list(tables)[-1] == "warnings"


def test_context_plans_join_the_seeds(corpus):
    joined = escalation.with_context(corpus, pc.load_corpus(REPO / "data" / "context", workers=1))
    with pytest.raises(TypeError, match="takes a corpus"):  # the analysis reads no folder
        escalation.with_context(corpus, REPO / "data" / "context")
    assert len(joined) == len(corpus) + 4 and "national_2016" in joined and "national_2016" not in corpus
    parents = escalation.lineage(joined).set_index("plan_id")["parent_id"]
    assert parents["lingwu_2017"] == "ningxia_2018" and parents["loudi_2017"] == "hunan_2017"
    # the seeds alone have no plan above them: no parent, empty escalation
    assert (escalation.lineage(corpus)["parent_id"] == "").all()
    assert escalation.target_escalation(corpus).empty and escalation.adoption_summary(corpus).empty


def test_methods_page_documents_every_new_column():
    # the escalation section of the former README, now the methods page docs/methods/escalation.md
    section = (REPO / "docs" / "methods" / "escalation.md").read_text(encoding="utf-8")
    for name in ("lineage", "target_escalation", "escalation_summary", "escalation_by_level", "task_adoption",
                 "adoption_summary", "diffusion"):
        assert f"{name}.csv" in section, name
        missing = [c for c in schema.SCHEMAS[name] if c not in section]
        assert not missing, (name, missing)


def test_escalation_by_level_counts_plans_whose_parent_came_later(both):
    by_level = escalation.escalation_summary(both, by="level").set_index(["level", "parent_level"])
    per_plan = escalation.escalation_summary(both)
    later = per_plan[per_plan["parent_issued_after"].fillna(False).astype(bool)]
    assert by_level["parent_later_plans"].sum() == len(later) > 0
    assert by_level.loc[("county", "province"), "parent_later_plans"] >= 1  # 灵武 under 宁夏 2018
