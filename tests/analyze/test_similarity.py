"""Task similarity, plan similarity, the query function and text reuse, checked on pairs read in the plans."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.preprocessing import normalize
from typer.testing import CliRunner

import policycompare as pc
from policycompare.analyze import ngrams, similarity, topk
from policycompare.analyze.similarity import make_vectorizer
from policycompare.cli import app
from policycompare.evaluate import pairs as evaluate
from policycompare.parse import segment

from ..conftest import DATA, DEV, RAW


@pytest.fixture(scope="module")
def task_sim(corpus):
    return similarity.task_similarity(corpus)


@pytest.fixture(scope="module")
def dev_corpus():
    """The five seeds and the 25 development pages, read together as one corpus."""
    return evaluate.load_dev_corpus([RAW, DEV / "raw"])


def _task(corpus, plan_id, snippet):
    return evaluate.find_task(corpus, plan_id, snippet)


# (plan, snippet of a task) -> (other plan, snippet of the task that must rank in the top 3 there).
# Picked by reading the plans: the same policy instrument in different words.
SEED_PAIRS = evaluate.read_pairs(DATA / "similar_pairs_seeds.csv")
PAIRS = [((r.plan_a, r.snippet_a), (r.plan_b, r.snippet_b)) for r in SEED_PAIRS.itertuples()]


@pytest.mark.parametrize("a, b", PAIRS, ids=[f"{a[1][:6]}->{b[0]}" for a, b in PAIRS])
def test_matching_tasks_rank_in_the_top_three(corpus, a, b):
    task_a, task_b = _task(corpus, *a), _task(corpus, *b)
    top = similarity.rank_in_plan(corpus, task_a, b[0], k=3)
    assert task_b in set(top["task_id"]), top


def test_rank_in_plan_columns_and_cli(corpus):
    top = similarity.rank_in_plan(corpus, "lingwu_2017:3.1.4", "shanghai_2017", k=3)
    assert list(top.columns) == ["rank", "task_id", "score", "cosine", "clause", "title"]
    assert list(top["rank"]) == [1, 2, 3] and top["task_id"].iloc[0] == "shanghai_2017:2.1.3"
    assert (top["score"].diff().dropna() <= 0).all()
    full = similarity.task_similarity(corpus, k=500)
    pair = full[(full["task_a"] == "lingwu_2017:3.1.4") & (full["task_b"] == top["task_id"].iloc[0])]
    assert pair["score"].iloc[0] == pytest.approx(top["cosine"].iloc[0], abs=1e-6)  # same corpus-wide score
    result = CliRunner().invoke(app, ["similar", "--task", "lingwu_2017:3.1.4", "--in", "shanghai_2017",
                                      "-k", "3", "--format", "csv", "--raw", str(RAW)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "rank,task_id,rerank_score,score,clause,title" and len(lines) == 4  # one name per quantity
    assert "shanghai_2017:2.1.3" in lines[1]
    row = lines[1].split(",")
    assert float(row[2]) == pytest.approx(top["score"].iloc[0]) and float(row[3]) == pytest.approx(top["cosine"].iloc[0])
    shown = CliRunner().invoke(app, ["similar", "--task", "lingwu_2017:3.1.4", "--in", "shanghai_2017", "-k", "3",
                                     "--raw", str(RAW)], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "rerank_score" in shown.output and f"{top['score'].iloc[0]:.3f}" in shown.output
    assert f"{top['cosine'].iloc[0]:.3f}" in shown.output
    with pytest.raises(KeyError):
        similarity.rank_in_plan(corpus, "lingwu_2017:3.1.4", "nowhere")


def test_top_k_across_the_corpus_and_scores_in_range(corpus, task_sim):
    per = task_sim.groupby("task_a").size()
    assert per.max() <= 10 and len(per) == len(corpus.tasks)
    assert (task_sim["plan_a"] != task_sim["plan_b"]).all()
    assert task_sim["score"].between(0, 1.000001).all()
    ranked = task_sim.sort_values(["task_a", "rank"])
    assert (ranked.groupby("task_a")["score"].diff().dropna() <= 1e-12).all()
    assert (ranked.groupby("task_a")["rank"].diff().dropna() == 1).all()
    # the blocked top-k equals a brute-force ranking of all other-plan tasks
    model = similarity.task_model(corpus)
    dense = (model.matrix @ model.matrix.T).toarray()  # test only: 170 tasks
    plans = model.tasks["plan_id"].to_numpy()
    for i in (0, 40, 100):
        scores = np.where(plans != plans[i], dense[i], -1)
        expect = model.tasks["task_id"].to_numpy()[np.lexsort((np.arange(len(scores)), -scores))[:10]]
        got = task_sim[task_sim["task_a"] == model.tasks["task_id"].iloc[i]].sort_values("rank")["task_b"]
        assert list(got) == list(expect)


def test_top_k_blocks_one_long_plan_and_ties_deterministic():
    rng = np.random.default_rng(0)
    x = sparse.random(300, 40, density=0.2, random_state=rng, format="csr")
    x.data = np.round(x.data, 1)  # many exact ties
    x = normalize(x)
    groups = np.r_[np.zeros(250, dtype=int), np.arange(1, 51)]  # one plan of 250 tasks and 50 small ones
    one = topk.top_k_matches(x, groups, k=5, block_rows=7)
    two = topk.top_k_matches(x, groups, k=5, block_rows=1000)
    for u, v in zip(one, two):
        assert np.array_equal(u, v)
    a, b, s, r = one
    assert (groups[a] != groups[b]).all() and (r <= 5).all()
    dense = (x @ x.T).toarray()
    for i in (0, 249, 260):
        scores = np.where(groups != groups[i], dense[i], -1)
        order = np.lexsort((np.arange(300), -scores))[:5]
        order = order[scores[order] > 1e-12]
        assert list(b[a == i]) == list(order)


def test_similarity_is_symmetric(corpus, task_sim):
    one = task_sim[(task_sim["rank"] == 1)].iloc[0]
    back = similarity.task_similarity(corpus, k=500)
    other = back[(back["task_a"] == one["task_b"]) & (back["task_b"] == one["task_a"])]
    assert other["score"].iloc[0] == pytest.approx(one["score"])


def test_plan_similarity(corpus):
    plans = similarity.plan_similarity(corpus)
    assert len(plans) == len(corpus) ** 2
    matrix = plans.pivot(index="plan_a", columns="plan_b", values="score")
    assert np.allclose(matrix.values, matrix.values.T)
    assert all(matrix.loc[p, p] == 1.0 for p in matrix.index)
    # 灵武 copies much of 湖南's wording; both follow the national plan
    assert matrix.loc["lingwu_2017"].drop("lingwu_2017").idxmax() == "hunan_2017"
    assert plans["doc_cosine"].between(0, 1.000001).all()
    # the large-corpus path keeps each plan's k most similar plans, from the top-k table
    top = similarity.plan_similarity(corpus, all_pairs=False, k=2)
    assert (top.groupby("plan_a").size() <= 2).all() and (top["plan_a"] != top["plan_b"]).all()
    best = top.sort_values("score", ascending=False).drop_duplicates("plan_a").set_index("plan_a")["plan_b"]
    assert best["lingwu_2017"] == "hunan_2017"


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


def test_variants_and_contract():
    assert similarity.apply_variants("实施差别化监管,推行自我申明,装修装饰材料") == "实施差异化监管,推行自我声明,装饰装修材料"
    assert similarity.compare_text("28.建设检验检测公共服务平台。 | 认证处 | 市州质量监督部门") == "建设检验检测公共服务平台。"
    assert similarity.compare_text("1.加强计量。(省质监局、省经信委等按职责分工负责)") == "加强计量。"
    assert similarity._swap_table({"装修装饰", "装饰装修", "质量标准"}) == {"装修装饰": "装修装饰", "装饰装修": "装修装饰"}
    tokens = similarity.task_tokens("1.加强婴幼儿配方乳粉质量监管")
    assert tokens == ["婴幼儿配方乳粉", "质量", "监管"] and all(isinstance(t, str) for t in tokens)


def test_corpus_level_code_does_not_run_jieba(monkeypatch):
    corpus = pc.load_corpus(RAW)
    corpus.task_tokens  # the per-plan stage's output

    def fail(*args, **kwargs):
        raise AssertionError("jieba called in corpus-level code")

    monkeypatch.setattr(segment, "words", fail)
    for analyzer in similarity.ANALYZERS:
        similarity.task_similarity(corpus, analyzer=analyzer)
        similarity.plan_similarity(corpus, analyzer=analyzer)
    similarity.rank_in_plan(corpus, "lingwu_2017:3.1.4", "shanghai_2017")


def test_vectorizer_keeps_chinese_words_and_single_lexicon_terms():
    vec = make_vectorizer("word").fit(["加强婴幼儿配方乳粉监管", "规范鞋类产品标识"])
    vocab = set(vec.vocabulary_)
    assert "婴幼儿配方乳粉" in vocab and "鞋" in vocab or "鞋类" in vocab
    assert "加强" not in vocab
    char = make_vectorizer("char").fit(["企业标准自我声明"])
    assert "企业" in char.vocabulary_ and "自我声" in char.vocabulary_


def test_char_analyzer_also_finds_the_self_declaration_pair(corpus):
    top = similarity.rank_in_plan(corpus, "lingwu_2017:3.1.4", "shanghai_2017", k=3, analyzer="char")
    assert "shanghai_2017:2.1.3" in set(top["task_id"])


def test_candidate_top_k_scores_are_exact_and_recall_high(corpus, monkeypatch):
    """Large corpora find candidates with each task's heaviest features, then rescore exactly (seeds here)."""
    monkeypatch.setattr(topk, "CANDIDATE_FEATURES", 30)
    model = similarity.task_model(corpus)
    codes, _ = similarity._plan_codes(model)
    exact = topk.top_k_matches(model.matrix, codes, k=10, candidates=0)
    a, b, s, r = topk.top_k_matches(model.matrix, codes, k=10, candidates=50, block_rows=50)
    dots = np.asarray(model.matrix[a].multiply(model.matrix[b]).sum(axis=1)).ravel()
    assert np.allclose(s, dots) and (codes[a] != codes[b]).all() and (r <= 10).all()
    found = set(zip(a.tolist(), b.tolist()))
    truth = set(zip(exact[0].tolist(), exact[1].tolist()))
    assert len(found & truth) / len(truth) >= 0.95  # measured 0.965 (rank-1 matches: 0.994)


def test_similar_leaves_out_matches_below_the_minimum_score(corpus):
    from policycompare.analyze.similarity import MIN_SCORE

    for nonsense in ("今天天气很好我们去公园散步", "周末去看电影吃火锅"):
        assert similarity.similar(corpus, nonsense).empty, nonsense
        assert not similarity.similar(corpus, nonsense, min_score=0).empty  # every score is still there on demand
    hits = similarity.similar(corpus, "推行企业标准自我声明公开", k=3)
    assert len(hits) == 3 and (hits["score"] >= MIN_SCORE).all()
    with pytest.warns(UserWarning, match="no Chinese characters"):
        assert similarity.similar(corpus, "hello world").empty


def test_similar_cli_names_the_query_task_and_hints_at_latin_queries():
    from typer.testing import CliRunner

    from policycompare.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["similar", "--task", "lingwu_2017:3.1.4", "-k", "3", "--raw", str(RAW)])
    assert result.exit_code == 0, result.output
    assert "lingwu_2017:3.1.4 of lingwu_2017 (灵武市): 放开搞活企业标准" in result.output
    assert "shanghai_2017:2.1.3" in result.output
    result = runner.invoke(app, ["similar", "hello", "--raw", str(RAW)])
    assert result.exit_code == 1 and "no Chinese characters" in result.output


def _brute_top_k(dense: np.ndarray, groups: np.ndarray, k: int) -> list[list[int]]:
    """Per row: the k best columns of other groups with a score above zero, ties (scores within
    ``topk.TIE``: the same sums in another order) to the lower column."""
    out = []
    for i in range(dense.shape[0]):
        scores = np.where(groups != groups[i], dense[i], -1.0)
        order = np.lexsort((np.arange(len(scores)), -topk._snapped(scores)))[:k]
        out.append([int(j) for j in order if scores[j] > 1e-12])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_row_top_k_equals_a_dense_sort_ties_included(seed):
    rng = np.random.default_rng(seed)
    x = sparse.random(80, 400, density=0.3, random_state=rng, format="csr")
    x.data = np.round(x.data * 4) / 4  # few distinct values: ties at every cut
    x.eliminate_zeros()
    for k in (1, 3, 10, 200):
        rows, cols, vals, rank = topk._row_top_k(x, k)
        for i in range(x.shape[0]):
            lo, hi = x.indptr[i], x.indptr[i + 1]
            order = np.lexsort((x.indices[lo:hi], -x.data[lo:hi]))[:k]
            assert list(cols[rows == i]) == list(x.indices[lo:hi][order])
            assert list(vals[rows == i]) == list(x.data[lo:hi][order])
            assert list(rank[rows == i]) == list(range(1, len(order) + 1))


def test_pair_dots_are_the_exact_dot_products():
    rng = np.random.default_rng(5)
    x = normalize(sparse.random(60, 90, density=0.2, random_state=rng, format="csr"))
    rows = np.repeat(np.arange(10, 30), 7)
    cols = rng.integers(0, 60, size=len(rows))
    dots = topk.pair_dots(x, rows, cols, 10, 30)
    assert np.allclose(dots, (x @ x.T).toarray()[rows, cols], rtol=0, atol=1e-15)
    for step in (1, 3, 7, 20, 64):  # rows taken a few at a time: the same sums, bit for bit
        assert np.array_equal(topk.pair_dots(x, rows, cols, 10, 30, step=step), dots)
    gaps = np.array([10, 10, 17, 29])  # rows without partners in some steps
    assert np.array_equal(topk.pair_dots(x, gaps, cols[:4], 10, 30, step=3),
                          topk.pair_dots(x, gaps, cols[:4], 10, 30))


@pytest.mark.parametrize("seed", [0, 7])
def test_fast_top_k_equals_brute_force_with_ties(seed, monkeypatch):
    """Exact mode, and candidate mode when the search covers every feature, give the dense brute-force top-k."""
    rng = np.random.default_rng(seed)
    x = sparse.random(240, 60, density=0.15, random_state=rng, format="csr")
    x.data = np.round(x.data, 1)
    x = normalize(x).tolil()
    x[5], x[6], x[100] = x[4], x[4], x[4]  # duplicate rows: exact ties between columns
    x = x.tocsr()
    groups = rng.integers(0, 30, size=240)
    truth = _brute_top_k((x @ x.T).toarray(), groups, 7)
    monkeypatch.setattr(topk, "CANDIDATE_FEATURES", 60)
    monkeypatch.setattr(topk, "SEARCH_POSTINGS", 10**9)
    for candidates, threads in ((0, 1), (0, 2), (240, 1), (240, 2)):
        monkeypatch.setattr(topk, "THREADS", threads)
        for block_rows in (1, 13, 512):
            a, b, s, r = topk.top_k_matches(x, groups, k=7, block_rows=block_rows, candidates=candidates)
            assert [list(b[a == i]) for i in range(240)] == truth
            assert np.allclose(s, np.asarray(x[a].multiply(x[b]).sum(axis=1)).ravel())
            assert all(list(r[a == i]) == list(range(1, len(truth[i]) + 1)) for i in range(240))


def test_library_tables_go_through_the_schema_and_options_are_keyword_only(corpus):
    from policycompare import schema

    tables = {
        "similar": similarity.similar(corpus, "推行企业标准自我声明公开", k=3),
        "rank_in_plan": similarity.rank_in_plan(corpus, "lingwu_2017:3.1.4", "shanghai_2017", k=3),
        "closest_pairs": similarity.closest_pairs(corpus, n=3),
    }
    for name, table in tables.items():
        assert list(table.columns) == list(schema.SCHEMAS[name]), name
        assert len(table) == 3 and table["score"].is_monotonic_decreasing, name
    empty = similarity.similar(corpus, "天气预报")
    assert empty.empty and list(empty.columns) == list(schema.SCHEMAS["similar"])
    for call in (lambda: similarity.task_similarity(corpus, 5), lambda: similarity.closest_pairs(corpus, 3),
                 lambda: similarity.plan_similarity(corpus, "word")):
        with pytest.raises(TypeError):
            call()


# ---------------------------------------------------------------------------------------------
# the counted fit (policycompare.analyze.ngrams) is scikit-learn's fit, to the bit


def _same_fit(fast, slow):
    """Same vocabularies, idf, swaps and matrix: the same entries in the same order in every row."""
    for block in ("word_vectorizer", "char_vectorizer"):
        a, b = getattr(fast, block), getattr(slow, block)
        assert a.vocabulary_ == b.vocabulary_, block
        assert np.array_equal(a.idf_, b.idf_), block
    assert fast.swaps == slow.swaps
    x, y = fast.matrix, slow.matrix
    assert x.shape == y.shape and x.nnz == y.nnz
    assert np.array_equal(x.indptr, y.indptr) and np.array_equal(x.indices, y.indices)
    assert np.array_equal(x.data, y.data)  # bit for bit (float sums later follow the row order)
    assert np.allclose(x.toarray(), y.toarray(), rtol=0, atol=1e-12)


def _fits(tasks, token_lists):
    texts = tasks["text"].tolist()
    return (similarity._fit_hybrid(tasks, texts, token_lists),
            similarity._fit_hybrid(tasks, texts, token_lists, counted=False))


def test_counted_fit_equals_scikit_learn_on_the_seeds(corpus):
    tasks = corpus.tasks[["plan_id", "task_id", "part", "title", "text"]].reset_index(drop=True)
    fast, slow = _fits(tasks, corpus.task_tokens)
    _same_fit(fast, slow)
    assert len(fast.char_vectorizer.vocabulary_) > 5000 and len(fast.word_vectorizer.vocabulary_) > 1000
    # the fitted vectorizers transform new texts as scikit-learn's: queries and clause rows
    query = ["推行企业标准自我声明公开,建设检验检测公共服务平台。(省质监局负责)"]
    assert np.array_equal(fast.rows(query).toarray(), slow.rows(query).toarray())
    for split in similarity.CLAUSE_SPLITS:
        assert np.array_equal(fast.clause_block(query, split)[0].toarray(), slow.clause_block(query, split)[0].toarray())
    model = similarity.task_model(corpus)  # the corpus' model is the counted one
    assert np.array_equal(model.matrix.indices, fast.matrix.indices) and np.array_equal(model.matrix.data, fast.matrix.data)


TRICKY = [  # (task text, its tokens)
    ("1.加强质量监管,实施差别化监管。", ["质量", "监管", "实施", "差别化", "监管"]),
    ("", []),  # an empty task
    ("。。。——", []),  # punctuation only: no n-gram at all
    ("𠀀𠀁质量𠀂标准🙂质量", ["质量", "标准", "质量"]),  # characters beyond the BMP separate runs
    ("质量 标准\n检验\t检测\r\n质量", ["质量", "标准", "检验", "检测", "质量"]),  # spaces and line ends
    ("质量质量质量质量", ["质量", "质量", "质量", "质量"]),  # one n-gram many times
    ("ISO9001认证,GB/T 19001 abc ABC aB", ["ISO9001", "认证", "GB"]),  # letters and digits are text
    ("计量标准体系和标准计量服务质量", ["计量标准", "体系", "标准计量", "服务", "质量"]),  # swapped compounds
    ("推进自我申明公开,质量提升 | 省质监局 | 市州质量监督部门", ["自我申明", "公开", "质量", "提升"]),  # an annex row
    ("a", ["a"]),
]


@pytest.mark.parametrize("max_df", [(1.0, 1.0), (0.5, 0.7), (0.2, 0.3)])
def test_counted_fit_equals_scikit_learn_on_tricky_texts(monkeypatch, max_df):
    """Empty and punctuation-only tasks, non-BMP characters, whitespace, repeats, Latin letters and
    digits, variants and swapped compounds; terms over max_df (质量 is in most tasks) pruned alike."""
    monkeypatch.setattr(similarity, "MAX_DF", max_df[0])
    monkeypatch.setattr(similarity, "CHAR_MAX_DF", max_df[1])
    tasks = pd.DataFrame({"plan_id": "p", "task_id": [f"p:{i}" for i in range(len(TRICKY))], "part": "",
                          "title": "", "text": [t for t, _ in TRICKY]})
    fast, slow = _fits(tasks, [list(tokens) for _, tokens in TRICKY])
    _same_fit(fast, slow)
    if max_df[0] < 1:
        assert "质量" not in fast.word_vectorizer.vocabulary_ and "质" not in fast.char_vectorizer.vocabulary_
    assert set(fast.swaps) == {"计量标准", "标准计量"} and len(set(fast.swaps.values())) == 1
    assert "差异化" in fast.word_vectorizer.vocabulary_ and "差别化" not in fast.word_vectorizer.vocabulary_
    assert fast.matrix[1].nnz == 0 and fast.matrix[2].nnz == 0  # the empty tasks keep empty rows


def test_counted_char_grams_split_where_char_grams_split():
    """Every code point: n-grams of exactly the characters ``char_grams`` keeps (TEXT_RANGES = _NON_TEXT)."""
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for sizes in ((1,), (1, 2)):
        assert ngrams.char_gram_counts([text], sizes).terms == list(dict.fromkeys(similarity.char_grams(text, sizes)))


@pytest.mark.parametrize("sizes", [(1, 2), (2, 1), (1, 2, 3), (3,)])
def test_counted_vectorizer_equals_scikit_learn_with_pruning(monkeypatch, sizes):
    """Any n-gram sizes up to 3, min_df and integer max_df, and texts read in small chunks."""
    monkeypatch.setattr(ngrams, "CHUNK_CHARS", 7)
    texts = [t for t, _ in TRICKY] * 2 + ["质量标准质量", "标准质量", "质量\ud800标准"]  # a lone surrogate: not text
    for options in ({}, {"min_df": 2}, {"max_df": 5, "min_df": 2}, {"max_df": 0.4, "sublinear_tf": True}):
        fast, slow = ngrams.Vectorizer(analyzer=similarity._identity, **options), similarity._tfidf(False)
        slow.set_params(**options)
        x = fast.fit_transform(ngrams.char_gram_counts(iter(texts), sizes))
        y = slow.fit_transform(similarity.char_grams(t, sizes) for t in texts)
        assert fast.vocabulary_ == slow.vocabulary_ and np.array_equal(fast.idf_, slow.idf_), options
        assert np.array_equal(x.indptr, y.indptr) and np.array_equal(x.indices, y.indices)
        assert np.array_equal(x.data, y.data), options


def test_counted_word_model_and_errors(corpus):
    model = similarity.task_model(corpus, analyzer="word")
    reference = similarity._tfidf(sublinear=True).fit_transform(list(corpus.task_tokens))
    assert np.array_equal(model.matrix.indices, reference.indices) and np.array_equal(model.matrix.data, reference.data)
    counts = ngrams.token_counts([[], []])
    with pytest.raises(ValueError, match="empty vocabulary"):
        similarity._tfidf(False).fit(counts)
    counts = ngrams.char_gram_counts(["质量"])
    similarity._tfidf(False).fit(counts)
    with pytest.raises(ValueError, match="used by an earlier fit"):
        similarity._tfidf(False).fit(counts)
    with pytest.raises(ValueError, match="sizes"):
        ngrams.char_gram_counts(["质量"], (4,))


# ---------------------------------------------------------------------------------------------
# the candidate search against the exact top-k (issue 26)


class _TypoCorpus:
    """What the similarity code reads from a corpus: tasks and task_tokens (no plan files)."""

    def __init__(self, tasks: pd.DataFrame, task_tokens: list[list[str]]) -> None:
        self.tasks, self.task_tokens = tasks, task_tokens


@pytest.fixture(scope="module")
def typo_corpus(corpus):
    """16 copies of the seeds' tasks, each character replaced at 3 % by one of a few hundred others (the
    typos of OCR or mojibake: characters rare in the corpus, a task's rarest features), numbers changed."""
    import random
    import re

    rng = random.Random(26)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 20_000, 61)]  # characters spread over the CJK block
    tasks = corpus.tasks[["plan_id", "task_id", "part", "title", "text"]].reset_index(drop=True)
    frames, tokens = [], []
    for copy in range(16):
        frame = tasks.copy()
        frame["plan_id"] = frame["plan_id"] + f"_c{copy}"
        frame["task_id"] = frame["plan_id"] + ":" + frame["task_id"].str.split(":").str[1]
        texts = []
        for text in frame["text"]:
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 99)), text)
            texts.append("".join(rng.choice(pool) if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.03 else ch
                                 for ch in text))
        frame["text"] = texts
        frames.append(frame)
        tokens += [similarity.task_tokens(t) for t in texts]
    return _TypoCorpus(pd.concat(frames, ignore_index=True), tokens)


def _recall(found: pd.DataFrame, exact: pd.DataFrame) -> tuple[float, float, int]:
    pairs = set(zip(exact["task_a"], exact["task_b"]))
    share = len(pairs & set(zip(found["task_a"], found["task_b"]))) / len(pairs)
    first = exact[exact["rank"] == 1].set_index("task_a")
    mine = found[found["rank"] == 1].set_index("task_a").reindex(first.index)
    rank1 = float((mine["task_b"] == first["task_b"]).mean())
    lost = int(((first["score"] >= 0.5) & (mine["score"].fillna(0) < 0.5)).sum())
    return share, rank1, lost


def test_candidate_search_finds_the_exact_top_k_despite_typos(typo_corpus, monkeypatch):
    """The default search (forced here below EXACT_MAX_TASKS) against task_similarity(exact=True)."""
    exact = similarity.task_similarity(typo_corpus, exact=True)
    monkeypatch.setattr(topk, "EXACT_MAX_TASKS", 0)
    found = similarity.task_similarity(typo_corpus)
    share, rank1, lost = _recall(found, exact)
    assert share >= 0.995 and rank1 >= 0.999 and lost == 0, (share, rank1, lost)
    # scores are exact: a pair found in both tables has the same score
    both = found.merge(exact, on=["task_a", "task_b"], suffixes=("", "_exact"))
    assert len(both) and (both["score"] == both["score_exact"]).all()
    again = similarity._task_similarity(typo_corpus, 10, "hybrid")
    pd.testing.assert_frame_equal(again, found)  # deterministic


def test_no_task_loses_a_best_match_to_its_own_typos(typo_corpus, monkeypatch):
    """Each task's best match is found whenever it scores >= 0.5, also where the task's heaviest search
    features are its own typos; the former search (one group of features, no round of matches of
    matches) lost some of them on the same corpus.  The search budget is cut to this small corpus'
    scale (at 1,000 plans a task's words are each in hundreds of tasks)."""
    monkeypatch.setattr(topk, "SEARCH_POSTINGS", 50)
    model = similarity.task_model(typo_corpus)
    codes, _ = similarity._plan_codes(model)
    exact = topk.top_k_matches(model.matrix, codes, 10, candidates=0)
    words = len(model.word_vectorizer.vocabulary_)
    best = np.zeros(model.matrix.shape[0])
    best[exact[0][exact[3] == 1]] = exact[2][exact[3] == 1]
    for feature_groups, rounds in (((words,), 1), ((), 0)):
        monkeypatch.setattr(topk, "NEIGHBOUR_ROUNDS", rounds)
        a, b, s, r = topk.top_k_matches(model.matrix, codes, 10, candidates=50, feature_groups=feature_groups)
        found = np.zeros_like(best)
        found[a[r == 1]] = s[r == 1]
        lower = int((found < best - 1e-9).sum())
        if rounds:
            assert not ((best >= 0.5) & (found < 0.5)).any() and lower == 0
        else:
            assert lower > 0  # what the search now avoids


def test_exact_top_k_screens_dense_blocks_and_equals_the_sparse_product(typo_corpus, monkeypatch):
    """exact=True screens dense blocks as float32 arrays and rescores; the result is the plain sparse
    block search's, pair for pair and rank for rank, whatever the blocks and threads."""
    model = similarity.task_model(typo_corpus)
    codes, _ = similarity._plan_codes(model)
    df = np.bincount(model.matrix.indices, minlength=model.matrix.shape[1])
    assert topk._expected_hits(model.matrix, df, 0, 512) >= topk.DENSE_HITS  # the dense path
    screened = topk.top_k_matches(model.matrix, codes, 10, candidates=0)
    monkeypatch.setattr(topk, "DENSE_HITS", float("inf"))
    plain = topk.top_k_matches(model.matrix, codes, 10, candidates=0)
    for i in (0, 1, 3):
        assert np.array_equal(screened[i], plain[i])
    assert np.allclose(screened[2], plain[2], rtol=0, atol=1e-12)
    monkeypatch.setattr(topk, "DENSE_HITS", 1.0)
    monkeypatch.setattr(topk, "THREADS", 1)
    other = topk.top_k_matches(model.matrix, codes, 10, candidates=0, block_rows=333)
    for u, v in zip(screened, other):
        assert np.array_equal(u, v)


def test_exact_option_reaches_the_top_k_and_the_run_fingerprint(corpus, tmp_path, monkeypatch):
    """task_similarity(exact=True) is the exact top-k whatever the size; run --exact changes the options
    a run's outputs depend on (so a rerun with it is not 'up to date'), and its absence changes nothing."""
    from policycompare.run.manifest import run_options

    small = similarity.task_similarity(corpus)  # 170 tasks: exact anyway
    monkeypatch.setattr(topk, "EXACT_MAX_TASKS", 0)
    for name, value in (("SEARCH_POSTINGS", 1), ("CANDIDATES", 10), ("NEIGHBOUR_ROUNDS", 0)):  # a poor search
        monkeypatch.setattr(topk, name, value)
    similarity._MODELS.pop(corpus, None)
    pd.testing.assert_frame_equal(similarity.task_similarity(corpus, exact=True), small)
    searched = similarity.task_similarity(corpus)
    assert not searched.equals(small) and len(searched.merge(small, on=["task_a", "task_b"])) < len(small)
    similarity._MODELS.pop(corpus, None)
    plain = run_options(tmp_path, None, workbook=True, k=None)
    assert "exact" not in plain and run_options(tmp_path, None, workbook=True, k=None, exact=True) == {**plain, "exact": True}
