"""Task similarity, plan similarity and free-text queries across plans.

The default model (``analyzer="hybrid"``) represents every task by ONE sparse
row, the weighted concatenation of two L2-normalised TF-IDF blocks:

* words: the task's jieba content words (:func:`~policycompare.parse.tokens.task_tokens`, computed once per
  task by the per-plan stage and read from ``corpus.task_tokens``), with the
  variant table ``data/variants.csv`` and order-swapped compounds merged;
  raw term frequency (a word the task repeats is what the task is about);
* characters: character 1- and 2-grams of the task text without its number,
  its role clause and its annex agency columns, variants merged; sublinear
  term frequency.  They catch paraphrases jieba cuts differently.

The score of two tasks is the dot product of their rows, a cosine in [0, 1]:
``WORD_WEIGHT * cos_words + (1 - WORD_WEIGHT) * cos_chars``.  The corpus-wide
top-k works by blocks of sparse rows (``X[i:j] @ X.T``, never a dense
all-pairs matrix), also inside one very long plan.

:func:`rank_in_plan` (one task against the tasks of one other plan) adds a
clause-level re-ranking: ``score = cosine + CLAUSE_WEIGHT * clause``, where
``clause`` is a soft alignment of the two tasks' clauses on the character
block, at two granularities averaged: sentences (split at 。;！？) and their
comma parts (also split at ,，:：).  At each granularity every clause takes
its best match in the other task, averaged over the clauses, both ways.  A
paraphrase often shares one phrase (``推动检验检测服务平台建设``) inside a
long sentence about other things: the comma parts find it, the sentences keep
the context.  The weights were chosen by leave-one-out cross-validation on the
development pairs (``scripts/evaluate_similarity.py --loo``).

``analyzer="word"`` is the former ranker (TF-IDF on jieba words alone) and
``analyzer="char"`` the crude baseline (TF-IDF on character 2-3-grams of the
raw task text); both are kept for comparison.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .. import config, schema
from ..config import TOP_K, read_data_csv
from ..parse.segment import content_tokens
from ..parse.tokens import task_document, task_tokens
from ..rules.patterns import CJK, SENTENCE_BREAKS, SENTENCE_END_MARKS
from ..rules.readers import role_patterns
from . import ngrams, topk
from .arrays import run_starts
from .topk import BLOCK_ROWS, map_blocks, pair_dots, top_k_matches

ANALYZERS = ("hybrid", "word", "char")
DEFAULT_ANALYZER = "hybrid"
#: Share of the word block in the hybrid score (the rest is the character block); leave-one-out choice.
WORD_WEIGHT = 0.4
#: Weight of the clause alignment added by :func:`rank_in_plan`; leave-one-out choice.
CLAUSE_WEIGHT = 0.5
#: Words and character n-grams in more than this share of the tasks are left out of the hybrid
#: model: they say little about a task and make every pair of tasks overlap (a slow, dense product).
MAX_DF = 1.0
#: Character n-gram sizes of the character block, and the largest share of tasks a character n-gram may occur in.
CHAR_SIZES = (1, 2)
CHAR_MAX_DF = 1.0
#: Up to this many plans, :func:`plan_similarity` gives every ordered pair (the heatmap needs them).
ALL_PAIRS_MAX_PLANS = 300

_NON_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")  # the complement of ngrams.TEXT_RANGES
_CLAUSE_END = SENTENCE_BREAKS
_PART_END = re.compile(f"[{SENTENCE_END_MARKS}\n,，:：]+")
#: The clause granularities of the clause alignment: sentences, and their comma parts.
CLAUSE_SPLITS = (_CLAUSE_END, _PART_END)


@lru_cache(maxsize=1)
def variants() -> dict[str, str]:
    """``data/variants.csv``: variant spelling -> canonical spelling."""
    return {row["variant"]: row["canonical"] for row in read_data_csv("variants.csv")}


@lru_cache(maxsize=1)
def _variant_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(variants(), key=len, reverse=True))))


def apply_variants(text: str) -> str:
    """``text`` with every variant of ``data/variants.csv`` replaced by its canonical form.

    Examples:
        >>> apply_variants("实施差别化监管,推行自我申明")
        '实施差异化监管,推行自我声明'
    """
    table = variants()
    return _variant_pattern().sub(lambda m: table[m.group(0)], text) if table else text


def compare_text(text: str) -> str:
    """What the character block reads: the task without number, role lines, trailing role clause
    (``(省质监局…负责)``) and annex agency columns, variants merged."""
    doc = task_document(text)
    if "|" in doc:  # an annex table row: the task is its first substantial cell, the rest are agencies
        cells = [c.strip() for c in doc.split("|")]
        doc = next((c for c in cells if len(CJK.findall(c)) >= 6), doc)
    return apply_variants(role_patterns().trailing_clause.sub("", doc.rstrip()))


def char_grams(text: str, sizes: tuple[int, ...] = (1, 2)) -> list[str]:
    """Character n-grams of the CJK/alphanumeric runs of ``text`` (no n-gram across punctuation)."""
    grams = []
    for run in _NON_TEXT.split(text):
        for n in sizes:
            grams += [run[i:i + n] for i in range(len(run) - n + 1)]
    return grams


def _clauses(text: str, split: re.Pattern = _CLAUSE_END) -> list[str]:
    """Clauses (split at 。;！？ and line ends, or at ``split``) with at least 4 Chinese characters;
    the whole text if none.

    Examples:
        >>> _clauses("推进检验检测资源整合,推动检验检测服务平台建设。强化质量理论研究")
        ['推进检验检测资源整合,推动检验检测服务平台建设', '强化质量理论研究']
        >>> _clauses("推进检验检测资源整合,推动检验检测服务平台建设。强化质量理论研究", _PART_END)
        ['推进检验检测资源整合', '推动检验检测服务平台建设', '强化质量理论研究']
    """
    found = [c for c in split.split(text) if len(CJK.findall(c)) >= 4]
    return found or [text]


def _swap_table(vocabulary) -> dict[str, str]:
    """Four-character words whose halves also occur swapped (装修装饰 / 装饰装修) -> one spelling."""
    vocab = set(vocabulary)
    table = {}
    for word in vocab:
        if len(word) == 4 and CJK.fullmatch(word[0]) and word[2:] + word[:2] in vocab:
            table[word] = min(word, word[2:] + word[:2])
    return table


def _identity(doc):
    return doc


def _tfidf(sublinear: bool, max_df: float = 1.0) -> ngrams.Vectorizer:
    """A TF-IDF vectorizer of ready-made term lists, which also fits from :class:`ngrams.Counts`."""
    return ngrams.Vectorizer(analyzer=_identity, lowercase=False, token_pattern=None, max_df=max_df,
                             sublinear_tf=sublinear, norm="l2", dtype=np.float64)


def make_vectorizer(analyzer: str = "word") -> TfidfVectorizer:
    """A text vectorizer for the single-block analyzers: jieba content words (``word``) or
    character 2-3-grams of the raw text (``char``, the crude baseline)."""
    if analyzer == "word":
        return TfidfVectorizer(analyzer=lambda doc: content_tokens(task_document(doc)), lowercase=False,
                               token_pattern=None, sublinear_tf=True, norm="l2", dtype=np.float64)
    if analyzer == "char":
        return TfidfVectorizer(analyzer="char", ngram_range=(2, 3), lowercase=False, dtype=np.float64)
    raise ValueError(f"make_vectorizer takes 'word' or 'char', not {analyzer!r}")


@dataclass
class TaskModel:
    """A fitted model of every task of a corpus: row i of ``matrix`` is task i of ``tasks``."""

    tasks: pd.DataFrame  # plan_id, task_id, part, title, text
    matrix: sparse.csr_matrix  # one L2-normalised sparse row per task
    analyzer: str
    word_vectorizer: TfidfVectorizer | None = None
    char_vectorizer: TfidfVectorizer | None = None
    swaps: dict[str, str] | None = None

    def _words(self, tokens: list[str]) -> list[str]:
        table = variants()
        out = [apply_variants(t) if table else t for t in tokens]
        return [self.swaps.get(t, t) for t in out] if self.swaps else out

    def _char_doc(self, text: str) -> list[str]:
        return char_grams(compare_text(text), CHAR_SIZES)

    def rows(self, texts: list[str], tokens: list[list[str]] | None = None) -> sparse.csr_matrix:
        """Rows of the model for new texts (``tokens``: their :func:`~policycompare.parse.tokens.task_tokens`, computed if not given)."""
        if self.analyzer == "char":
            return self.char_vectorizer.transform(texts).tocsr()
        if tokens is None:
            tokens = [task_tokens(t) for t in texts]
        if self.analyzer == "word":
            return self.word_vectorizer.transform(tokens).tocsr()
        words = self.word_vectorizer.transform([self._words(t) for t in tokens])
        chars = self.char_vectorizer.transform([self._char_doc(t) for t in texts])
        return _combine(words, chars)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.rows(texts)

    def clause_rows(self, text: str, split: re.Pattern = _CLAUSE_END) -> sparse.csr_matrix:
        """L2-normalised character-block rows of the clauses of one task (hybrid model)."""
        return self.clause_block([text], split)[0]

    def clause_block(self, texts: list[str], split: re.Pattern = _CLAUSE_END) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The clause rows of several tasks at once (one transform) and where each task's rows start
        (``starts[i]:starts[i + 1]``)."""
        clauses = [_clauses(compare_text(t), split) for t in texts]
        starts = np.cumsum([0] + [len(c) for c in clauses])
        grams = [char_grams(c, CHAR_SIZES) for cs in clauses for c in cs]
        return normalize(self.char_vectorizer.transform(grams)).tocsr(), starts


def clause_alignment(model: TaskModel, text: str, others: list[str]) -> np.ndarray:
    """The clause alignment of one task with each of ``others`` (0-1, 1 = same clauses).

    At each granularity of :data:`CLAUSE_SPLITS` (sentences, comma parts), every
    clause of one task takes its best cosine among the clauses of the other,
    averaged over the clauses, and the two directions are averaged; the
    granularities are averaged.  Rows of all ``others`` are made in one
    transform per granularity, so the cost is linear in their clauses.
    """
    out = np.zeros(len(others))
    if not others:
        return out
    for split in CLAUSE_SPLITS:
        mine = model.clause_rows(text, split)
        rows, starts = model.clause_block(others, split)
        sims = (mine @ rows.T).toarray()  # clauses of the task x clauses of all others
        forward = np.maximum.reduceat(sims, starts[:-1], axis=1).mean(axis=0)  # the task's clauses' best in each other
        backward = np.add.reduceat(sims.max(axis=0), starts[:-1]) / np.diff(starts)  # each other's clauses' best in the task
        out += (forward + backward) / 2
    return out / len(CLAUSE_SPLITS)


def _combine(words: sparse.spmatrix, chars: sparse.spmatrix) -> sparse.csr_matrix:
    """hstack of the two L2-normalised blocks, weighted so that a row keeps norm 1.

    The blocks (fresh from a vectorizer, the caller's own) are weighted in place: at 1,000 plans a
    weighted copy of each held about 0.1 GB more at the fit's peak (the same values either way)."""
    words, chars = sparse.csr_matrix(words), sparse.csr_matrix(chars)
    words.data *= np.sqrt(WORD_WEIGHT)
    chars.data *= np.sqrt(1 - WORD_WEIGHT)
    return sparse.hstack([words, chars], format="csr")


_MODELS: "weakref.WeakKeyDictionary[object, dict[str, object]]" = weakref.WeakKeyDictionary()


def release_models(corpus) -> None:
    """Drop the corpus' fitted task models (matrices, vocabularies), keeping the tables computed from them.

    A run calls this once its tables are built: writing them needs no model.  A later call that needs
    a model fits it again.
    """
    cache = _MODELS.get(corpus)
    if cache:
        for analyzer in ANALYZERS:
            cache.pop(analyzer, None)


def _check(analyzer: str) -> None:
    if analyzer not in ANALYZERS:
        raise ValueError(f"analyzer must be one of {ANALYZERS}, not {analyzer!r}")


def task_model(corpus, *, analyzer: str = DEFAULT_ANALYZER) -> TaskModel:
    """The model of the corpus' tasks (fitted once per corpus and analyzer).

    Word tokens come from ``corpus.task_tokens`` (jieba is not run again);
    character n-grams are recomputed from ``corpus.tasks["text"]``.  Both are
    counted by :mod:`ngrams` (arrays, no Python step per n-gram) for the same
    fit as scikit-learn's (the tests compare them bit for bit).
    """
    _check(analyzer)
    cache = _MODELS.setdefault(corpus, {})
    if analyzer in cache:
        return cache[analyzer]
    tasks = corpus.tasks[["plan_id", "task_id", "part", "title", "text"]].reset_index(drop=True)
    texts = tasks["text"].tolist()
    if analyzer == "char":
        vec = make_vectorizer("char")
        model = TaskModel(tasks, vec.fit_transform(texts).tocsr(), analyzer, char_vectorizer=vec)
    elif analyzer == "word":
        vec = _tfidf(sublinear=True)
        model = TaskModel(tasks, vec.fit_transform(ngrams.token_counts(corpus.task_tokens)).tocsr(), analyzer,
                          word_vectorizer=vec)
    else:
        model = _fit_hybrid(tasks, texts, corpus.task_tokens)
    cache[analyzer] = model
    return model


def _fit_hybrid(tasks: pd.DataFrame, texts: list[str], token_lists: list[list[str]], *,
                counted: bool = True) -> TaskModel:
    """The hybrid model of ``texts`` and their :func:`~policycompare.parse.tokens.task_tokens` (``token_lists``).

    The two blocks are counted by :mod:`ngrams` (arrays: no Python step per token
    or n-gram); ``counted=False`` lets scikit-learn count the same terms (the
    reference the tests compare with; the same vocabularies, matrix and idf).
    """
    model = TaskModel(tasks, None, "hybrid", _tfidf(False, MAX_DF), _tfidf(True, min(MAX_DF, CHAR_MAX_DF)))

    def spell(distinct: list[str]) -> list[str]:  # each distinct token once: variants, then swapped compounds
        once = [apply_variants(t) for t in distinct]
        model.swaps = _swap_table(set(once))
        return model._words(once)

    if counted:
        words = model.word_vectorizer.fit_transform(ngrams.token_counts(token_lists, spell))
        chars = model.char_vectorizer.fit_transform(
            ngrams.char_gram_counts(map(compare_text, texts), CHAR_SIZES))
    else:
        table = variants()
        spelled: dict[str, str] = {}  # each distinct token's canonical spelling, looked up once
        mapped = [[spelled[t] if t in spelled else spelled.setdefault(t, apply_variants(t)) for t in toks]
                  if table else list(toks) for toks in token_lists]
        model.swaps = _swap_table({t for toks in mapped for t in toks})
        # generators: each document's tokens and n-grams exist only while they are counted
        words = model.word_vectorizer.fit_transform(model._words(t) for t in mapped)
        del mapped
        chars = model.char_vectorizer.fit_transform(model._char_doc(t) for t in texts)
    model.matrix = _combine(words, chars)
    return model


# ---------------------------------------------------------------------------------------------
# corpus-wide top-k by blocks of sparse rows


def _plan_codes(model: TaskModel) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(model.tasks["plan_id"], sort=True)
    return codes.astype(np.int64), list(uniques)


def task_similarity(corpus, *, k: int = TOP_K, analyzer: str = DEFAULT_ANALYZER, exact: bool = False) -> pd.DataFrame:
    """For every task, its top ``k`` most similar tasks across the whole corpus (other plans only).

    Columns: plan_a, task_a, plan_b, task_b, score (cosine, 0-1), rank (1 =
    best match of task_a anywhere in the corpus).  Pairs with score 0 are left
    out.  Rows: at most ``k`` per task, so the table grows linearly with the
    corpus.  Up to ``EXACT_MAX_TASKS`` tasks, and with ``exact=True`` at any
    size, the top ``k`` are exact (by the faster exact method for the corpus'
    density, :func:`top_k_matches`); beyond, they come from a candidate search
    whose recall the README gives.  Computed once per corpus, ``k``, analyzer
    and ``exact`` (a copy is returned).
    """
    cache = _MODELS.setdefault(corpus, {})
    key = f"task_similarity:{k}:{analyzer}:{exact or len(corpus.tasks) <= topk.EXACT_MAX_TASKS}"
    if key not in cache:
        cache[key] = _task_similarity(corpus, k, analyzer, exact)
    return cache[key].copy()


def _task_similarity(corpus, k: int, analyzer: str, exact: bool = False) -> pd.DataFrame:
    model = task_model(corpus, analyzer=analyzer)
    codes, _ = _plan_codes(model)
    groups = (len(model.word_vectorizer.vocabulary_),) if analyzer == "hybrid" else ()
    a, b, score, rank = top_k_matches(model.matrix, codes, k, candidates=0 if exact else None, feature_groups=groups)
    plans = model.tasks["plan_id"].to_numpy()
    ids = model.tasks["task_id"].to_numpy()
    out = pd.DataFrame({"plan_a": plans[a], "task_a": ids[a], "plan_b": plans[b], "task_b": ids[b],
                        "score": np.round(np.minimum(score, 1.0), 6), "rank": rank})
    columns = schema.SCHEMAS["task_similarity"]
    return schema.check("task_similarity", out[list(columns)].astype(columns))


# ---------------------------------------------------------------------------------------------
# plan similarity


def plan_similarity(corpus, *, analyzer: str = DEFAULT_ANALYZER, all_pairs: bool | None = None,
                    k: int = 10) -> pd.DataFrame:
    """Plan × plan: mean best-match score of tasks (both directions averaged) and document cosine.

    ``score`` averages, over the tasks of A, the best score in B, and the same
    from B to A; ``doc_cosine`` is the cosine of the plans' vectors (the sum of
    their task rows).  With ``all_pairs`` (default: at most
    ``ALL_PAIRS_MAX_PLANS`` plans) every ordered pair is a row, the diagonal
    included (1.0), the best matches computed exactly by blocks of task rows.
    Beyond that each plan keeps its ``k`` most similar plans, and a task's best
    match in B is read from its corpus-wide top-k (:func:`task_similarity`;
    0 when B is not among them), so the cost stays linear in the corpus.
    """
    _check(analyzer)
    model = task_model(corpus, analyzer=analyzer)
    codes, plan_ids = _plan_codes(model)
    if all_pairs is None:
        all_pairs = len(plan_ids) <= ALL_PAIRS_MAX_PLANS
    cache = _MODELS.setdefault(corpus, {})
    key = f"plan_similarity:{analyzer}:{all_pairs}:{k}"
    if key in cache:
        return cache[key].copy()
    n_plans = len(plan_ids)
    n_tasks = np.bincount(codes, minlength=n_plans).astype(np.float64)
    membership = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(n_plans, len(codes)))
    docs = normalize(membership @ model.matrix)
    if all_pairs:
        directed = _best_match_sums(model.matrix, codes, n_plans)
        mean = directed / np.maximum(n_tasks, 1)[:, None]
        score = (mean + mean.T) / 2
        np.fill_diagonal(score, 1.0)
        doc = (docs @ docs.T).toarray()
        np.fill_diagonal(doc, 1.0)
        ia, ib = np.meshgrid(np.arange(n_plans), np.arange(n_plans), indexing="ij")
        ia, ib = ia.ravel(), ib.ravel()
        values, doc_values = score[ia, ib], doc[ia, ib]
    else:
        ia, ib, values = _plan_top_k(corpus, analyzer, codes, plan_ids, n_tasks, k)
        doc_values = np.zeros(len(ia))
        for start in range(0, n_plans, 128):  # ia is sorted: pairs of 128 plans at a time
            lo, hi = np.searchsorted(ia, [start, start + 128])
            doc_values[lo:hi] = pair_dots(docs, ia[lo:hi], ib[lo:hi], start, min(start + 128, n_plans))
    names = np.array(plan_ids, dtype=object)
    out = pd.DataFrame({"plan_a": names[ia], "plan_b": names[ib],
                        "score": np.round(np.minimum(values, 1.0), 6), "doc_cosine": np.round(np.minimum(doc_values, 1.0), 6)})
    columns = schema.SCHEMAS["plan_similarity"]
    cache[key] = schema.check("plan_similarity", out[list(columns)].astype(columns).reset_index(drop=True))
    return cache[key].copy()


def _best_match_sums(matrix: sparse.csr_matrix, codes: np.ndarray, n_plans: int,
                     block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """directed[a, b] = sum over tasks of plan a of their best score in plan b (small corpora: plans²).

    Columns are ordered by plan, so in each row of a sparse block the entries
    of one plan are contiguous and their maximum is one ``np.maximum.reduceat``.
    """
    directed = np.zeros((n_plans, n_plans))
    perm = np.argsort(codes, kind="stable")
    col_codes = codes[perm]
    right_t = matrix[perm].T.tocsr()  # CSR once: a CSC operand is converted on every block

    def one_block(start: int):
        block = (matrix[start:start + block_rows] @ right_t).tocsr()
        if not block.nnz:
            return None
        block.sort_indices()
        rows = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
        key = rows * n_plans + col_codes[block.indices]
        starts = run_starts(key)
        best = np.maximum.reduceat(block.data, starts)
        rows_a, plans_b = np.divmod(key[starts], n_plans)
        return codes[start + rows_a], plans_b, best

    for part in map_blocks(one_block, range(0, matrix.shape[0], block_rows)):
        if part is not None:  # added in the order of the blocks: the same sums whatever the threads
            np.add.at(directed, part[:2], part[2])
    return directed


def _plan_top_k(corpus, analyzer, codes, plan_ids, n_tasks, k):
    """Large corpora: plan scores from the tasks' corpus-wide top-k, each plan's k best plans."""
    cache = _MODELS.setdefault(corpus, {})
    exact = f"task_similarity:{max(k, 10)}:{analyzer}:True" in cache  # a run with --exact: the same table
    table = task_similarity(corpus, k=max(k, 10), analyzer=analyzer, exact=exact)
    index = {p: i for i, p in enumerate(plan_ids)}
    a = table["plan_a"].map(index).to_numpy()
    b = table["plan_b"].map(index).to_numpy()
    best = pd.DataFrame({"task": table["task_a"].to_numpy(), "a": a, "b": b, "s": table["score"].to_numpy()})
    best = best.groupby(["task", "a", "b"], sort=False)["s"].max().reset_index()
    directed = best.groupby(["a", "b"])["s"].sum()
    directed = directed / n_tasks[directed.index.get_level_values("a")]
    mean = directed.add(directed.rename_axis(["b", "a"]).reorder_levels(["a", "b"]), fill_value=0.0) / 2
    frame = mean.rename("s").reset_index()
    frame = frame.sort_values(["a", "s", "b"], ascending=[True, False, True], kind="stable")
    frame = frame.groupby("a", sort=True).head(k)
    return frame["a"].to_numpy(), frame["b"].to_numpy(), frame["s"].to_numpy()


# ---------------------------------------------------------------------------------------------
# queries


def _task_row(model: TaskModel, task_id: str) -> int:
    hits = np.flatnonzero(model.tasks["task_id"].to_numpy() == task_id)
    if not len(hits):
        raise KeyError(f"no task {task_id!r} in the corpus")
    return int(hits[0])


def _order(scores: np.ndarray) -> np.ndarray:
    """Indices by score, best first; ties broken by position (deterministic)."""
    return np.lexsort((np.arange(len(scores)), -scores))


def rank_in_plan(corpus, task_id: str, plan_id: str, *, k: int | None = 3,
                 analyzer: str = DEFAULT_ANALYZER, clause_weight: float | None = None) -> pd.DataFrame:
    """Plan ``plan_id``'s ``k`` best tasks for the task ``task_id`` (all of them with ``k=None``).

    Columns: rank, task_id, score, cosine, clause, title.  ``cosine`` is the
    corpus-wide score (the dot product of the two task rows, as in
    :func:`task_similarity`); ``clause`` the clause alignment
    (:func:`clause_alignment`; hybrid model only, else 0); ``score = cosine + clause_weight * clause`` orders the rows
    (``clause_weight`` defaults to ``CLAUSE_WEIGHT``; 0 turns re-ranking off).

    Examples:
        >>> rank_in_plan(corpus, "lingwu_2017:3.1.4", "shanghai_2017", k=3)["task_id"].tolist()
        ['shanghai_2017:2.1.3', 'shanghai_2017:2.3.2', 'shanghai_2017:2.1.2']
    """
    model = task_model(corpus, analyzer=analyzer)
    row = _task_row(model, task_id)
    rows = np.flatnonzero(model.tasks["plan_id"].to_numpy() == plan_id)
    if not len(rows):
        raise KeyError(f"no plan {plan_id!r} in the corpus")
    cosine = (model.matrix[rows] @ model.matrix[row].T).toarray().ravel()
    weight = CLAUSE_WEIGHT if clause_weight is None else clause_weight
    clause = np.zeros(len(rows))
    if analyzer == "hybrid" and weight:
        texts = model.tasks["text"].to_numpy()
        clause = clause_alignment(model, texts[row], list(texts[rows]))
    score = cosine + weight * clause
    order = _order(score)[: k if k is not None else len(rows)]
    picked = rows[order]
    out = pd.DataFrame({
        "rank": np.arange(1, len(order) + 1), "task_id": model.tasks["task_id"].to_numpy()[picked],
        "score": np.round(score[order], 6), "cosine": np.round(cosine[order], 6),
        "clause": np.round(clause[order], 6), "title": model.tasks["title"].to_numpy()[picked],
    })
    return schema.check("rank_in_plan", out.astype(schema.SCHEMAS["rank_in_plan"]))


class EmptyCorpusError(ValueError):
    """A similarity query on a corpus without any task."""


#: Default lowest score :func:`similar` returns (``config.MIN_SCORE``: how it was chosen is noted there).
MIN_SCORE = config.MIN_SCORE


def similar(corpus, query: str | None = None, *, task_id: str | None = None, k: int = TOP_K,
            analyzer: str = DEFAULT_ANALYZER, per_plan: int | None = None,
            min_score: float = MIN_SCORE) -> pd.DataFrame:
    """Tasks most similar to a free-text ``query`` or to the task ``task_id``, best first.

    Columns: rank, score, plan_id, task_id, title, text.  ``score`` is the
    cosine of the model rows (as in :func:`task_similarity`); tasks scoring
    below ``min_score`` (default :data:`MIN_SCORE`) are left out, so a query
    about something no plan speaks of returns nothing.  A query without any
    Chinese character returns nothing, with a warning.  With ``task_id``
    the task itself and the other tasks of its plan are left out.  ``per_plan``
    caps how many tasks one plan may contribute.

    Raises ``ValueError`` for ``k`` or ``per_plan`` below 1, :class:`EmptyCorpusError`
    for a corpus without tasks and ``KeyError`` for an unknown ``task_id``.

    Examples:
        >>> similar(corpus, "推行企业标准自我声明公开", k=3)["task_id"].tolist()
        ['shanghai_2017:2.1.3', 'lingwu_2017:3.1.4', 'sichuan_2018:2.2.2']
        >>> len(similar(corpus, "今天天气很好"))  # nothing any plan speaks of
        0
    """
    if (query is None) == (task_id is None):
        raise ValueError("give either a query text or a task_id")
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    if per_plan is not None and per_plan < 1:
        raise ValueError(f"per_plan must be at least 1, not {per_plan}")
    if not len(corpus.tasks):
        raise EmptyCorpusError("the corpus has no tasks to compare with (no plan could be read?)")
    if query is not None and not CJK.search(query):
        import warnings

        warnings.warn(f"the query {query!r} has no Chinese characters; the plans are in Chinese", stacklevel=2)
        return schema.frame("similar", [])
    model = task_model(corpus, analyzer=analyzer)
    tasks = model.tasks
    plans = tasks["plan_id"].to_numpy()
    if task_id is not None:
        row = _task_row(model, task_id)
        vector = model.matrix[row]
        exclude = plans == plans[row]
    else:
        vector = model.rows([query])
        exclude = np.zeros(len(tasks), dtype=bool)
    scores = (model.matrix @ vector.T).toarray().ravel()
    scores[exclude] = -1.0
    rows, taken = [], {}
    for j in _order(scores):
        if scores[j] <= 1e-12 or scores[j] < min_score or len(rows) >= k:
            break
        plan = plans[j]
        if per_plan is not None and taken.get(plan, 0) >= per_plan:
            continue
        taken[plan] = taken.get(plan, 0) + 1
        rows.append({"rank": len(rows) + 1, "score": round(min(float(scores[j]), 1.0), 6), "plan_id": plan,
                     "task_id": tasks.loc[j, "task_id"], "title": tasks.loc[j, "title"], "text": tasks.loc[j, "text"]})
    return schema.check("similar", schema.frame("similar", rows))


def closest_pairs(corpus, *, n: int = 10, analyzer: str = DEFAULT_ANALYZER) -> pd.DataFrame:
    """The ``n`` most similar task pairs across plans, side by side (each unordered pair once).

    Columns: score, plan_a, task_a, title_a, text_a, plan_b, task_b, title_b, text_b
    (``plan_a`` < ``plan_b``).  Read from the corpus-wide top-k table.
    """
    table = task_similarity(corpus, analyzer=analyzer)
    swap = table["plan_a"] > table["plan_b"]
    pairs = table[["score", "plan_a", "task_a", "plan_b", "task_b"]].copy()
    for left, right in (("plan_a", "plan_b"), ("task_a", "task_b")):
        pairs.loc[swap, [left, right]] = table.loc[swap, [right, left]].to_numpy()
    pairs = pairs.drop_duplicates(["task_a", "task_b"])
    best = pairs.sort_values(["score", "task_a", "task_b"], ascending=[False, True, True], kind="stable").head(n)
    tasks = corpus.tasks.set_index("task_id")
    out = best.copy()
    for side in ("a", "b"):
        out[f"title_{side}"] = out[f"task_{side}"].map(tasks["title"])
        out[f"text_{side}"] = out[f"task_{side}"].map(tasks["text"])
    columns = schema.SCHEMAS["closest_pairs"]
    return schema.check("closest_pairs", out[list(columns)].fillna("").astype(columns).reset_index(drop=True))
