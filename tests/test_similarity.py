"""Task similarity, plan similarity, the query function and text reuse, checked on pairs read in the plans."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from policycompare import reuse, similarity
from policycompare.cli import app
from policycompare.similarity import make_vectorizer

from .conftest import RAW


@pytest.fixture(scope="module")
def task_sim(corpus):
    return similarity.task_similarity(corpus)


def _task(corpus, plan_id, snippet):
    tasks = corpus.tasks
    hit = tasks[(tasks["plan_id"] == plan_id) & tasks["text"].str.contains(snippet, regex=False)]
    assert len(hit), (plan_id, snippet)
    return hit.loc[hit["text"].str.len().idxmin(), "task_id"]


# (plan, snippet of a task) -> (other plan, snippet of the task that must rank in the top 3 there).
# Picked by reading the plans: the same policy instrument in different words.
PAIRS = [
    (("lingwu_2017", "放开搞活企业标准"), ("shanghai_2017", "推进消费品企业产品和服务标准自我声明公开")),
    (("hunan_2017", "夯实质量安全标准基础"), ("lingwu_2017", "加快建立健全标准体系")),
    (("hunan_2017", "做好品牌保护和宣传展示"), ("lingwu_2017", "强化宁夏名牌保护")),
    (("yancheng_2014", "加快质量诚信体系建设"), ("sichuan_2018", "强化质量信用支撑")),
    (("sichuan_2018", "质检利剑"), ("yancheng_2014", "强化重要消费品质量安全监管")),
    (("lingwu_2017", "大力弘扬精益求精的工匠精神"), ("yancheng_2014", "加强质量人才队伍建设")),
]


@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a[1][:6]}->{b[0]}" for a, b in PAIRS])
def test_matching_tasks_rank_in_the_top_three(corpus, task_sim, a, b):
    task_a, task_b = _task(corpus, *a), _task(corpus, *b)
    top = task_sim[(task_sim["task_a"] == task_a) & (task_sim["plan_b"] == b[0]) & (task_sim["rank"] <= 3)]
    assert task_b in set(top["task_b"]), top


def test_top_k_per_other_plan_and_scores_in_range(corpus, task_sim):
    per = task_sim.groupby(["task_a", "plan_b"]).size()
    assert per.max() <= 5
    assert (task_sim["plan_a"] != task_sim["plan_b"]).all()
    assert task_sim["score"].between(0, 1.000001).all()
    ranked = task_sim.sort_values(["task_a", "plan_b", "rank"])
    assert (ranked.groupby(["task_a", "plan_b"])["score"].diff().dropna() <= 1e-12).all()


def test_similarity_is_symmetric(corpus, task_sim):
    one = task_sim[(task_sim["rank"] == 1)].iloc[0]
    back = similarity.task_similarity(corpus, k=100)
    other = back[(back["task_a"] == one["task_b"]) & (back["task_b"] == one["task_a"])]
    assert other["score"].iloc[0] == pytest.approx(one["score"])


def test_plan_similarity(corpus):
    plans = similarity.plan_similarity(corpus)
    assert len(plans) == len(corpus) ** 2
    matrix = plans.pivot(index="plan_a", columns="plan_b", values="score")
    assert (matrix.values == matrix.values.T).all()
    assert all(matrix.loc[p, p] == 1.0 for p in matrix.index)
    # 灵武 copies much of 湖南's wording; both follow the national plan
    assert matrix.loc["lingwu_2017"].drop("lingwu_2017").idxmax() == "hunan_2017"
    assert plans["doc_cosine"].between(0, 1.000001).all()


def test_query_and_cli(corpus):
    hits = similarity.similar(corpus, "推行企业标准自我声明公开", k=3)
    assert hits.iloc[0]["task_id"] == _task(corpus, "shanghai_2017", "推进消费品企业产品和服务标准自我声明公开")
    assert list(hits["rank"]) == [1, 2, 3]
    by_task = similarity.similar(corpus, task_id="lingwu_2017:3.1.4", k=5, per_plan=1)
    assert "lingwu_2017" not in set(by_task["plan_id"]) and not by_task["plan_id"].duplicated().any()
    result = CliRunner().invoke(app, ["similar", "推行企业标准自我声明公开", "-k", "3", "--raw", str(RAW)])
    assert result.exit_code == 0 and "shanghai_2017:2.1.3" in result.output
    assert CliRunner().invoke(app, ["similar", "--raw", str(RAW)]).exit_code == 2
    with pytest.raises(KeyError):
        similarity.similar(corpus, task_id="nowhere:1")


def test_vectorizer_keeps_chinese_words_and_single_lexicon_terms():
    vec = make_vectorizer("word").fit(["加强婴幼儿配方乳粉监管", "规范鞋类产品标识"])
    vocab = set(vec.vocabulary_)
    assert "婴幼儿配方乳粉" in vocab and "鞋" in vocab or "鞋类" in vocab
    assert "加强" not in vocab
    char = make_vectorizer("char").fit(["企业标准自我声明"])
    assert "企业" in char.vocabulary_ and "自我声" in char.vocabulary_


def test_char_analyzer_also_finds_the_self_declaration_pair(corpus):
    sim = similarity.task_similarity(corpus, k=3, analyzer="char")
    top = sim[(sim["task_a"] == "lingwu_2017:3.1.4") & (sim["plan_b"] == "shanghai_2017")]
    assert "shanghai_2017:2.1.3" in set(top["task_b"])


def test_text_reuse_finds_the_shared_sentence(corpus):
    table = reuse.text_reuse(corpus)
    pair = table[(table["plan_a"] == "hunan_2017") & (table["plan_b"] == "lingwu_2017")]
    hit = pair[pair["passage"].str.contains("推动消费品标准由生产型向消费型、服务型转变", regex=False)]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert corpus.text("hunan_2017")[row.a_start:row.a_end] == row.passage
    assert corpus.text("lingwu_2017")[row.b_start:row.b_end] == row.passage
    assert row.task_a and row.task_b
    assert (table["length"] >= 12).all() and (table["plan_a"] < table["plan_b"]).all()


def test_reuse_min_len_and_offsets():
    texts = {"a": "一、总则\n推动消费品标准由生产型向消费型转变。其他内容完全不同啊", "b": "我们要推动消费品标准由生产型向消费型转变,别的"}
    found = reuse.shared_passages(texts, min_len=12)
    assert [r["passage"] for r in found] == ["推动消费品标准由生产型向消费型转变"]
    assert reuse.shared_passages(texts, min_len=20) == []
    # an unclosed parenthesis ends a passage: 规划(2016 -> 规划, too short to count
    found = reuse.shared_passages({"a": "规划(2016-2020年)的通知相关", "b": "提升规划(2016年的通知相关"}, min_len=4)
    assert [r["passage"] for r in found] == ["的通知相关"]


def test_reuse_share_per_task(corpus):
    share = reuse.reuse_share(corpus)
    assert len(share) == len(corpus.tasks)
    assert share["share"].between(0, 1).all()
    row = share.set_index("task_id").loc[_task(corpus, "lingwu_2017", "加快建立健全标准体系")]
    assert row["reused_chars"] >= 21 and "hunan_2017" in row["sources"].split(",")
    assert isinstance(share, pd.DataFrame)
