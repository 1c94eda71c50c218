"""Task similarity (TF-IDF on jieba words) and free-text queries across plans.

Tasks are segmented with the project's private jieba tokenizer (sector terms
and agency names kept whole, boilerplate in ``data/stopwords.txt`` dropped)
and weighted with scikit-learn's ``TfidfVectorizer`` given those tokens
directly, so no Chinese word is lost to the default ``token_pattern``.  A
character n-gram variant (``analyzer="char"``) needs no segmentation at all.

Scores are cosine similarities of L2-normalised TF-IDF rows.  The top-k search
works plan by plan on sparse rows, so memory grows with the largest plan's
tasks times the corpus, never with a dense all-pairs matrix.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import schema
from .segment import content_tokens

ANALYZERS = ("word", "char")
_NON_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_ROW_NUMBER = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）.、．]\s*)+")


def task_document(text: str) -> str:
    """The text of a task as it is compared: without its leading number and role lines."""
    text = _ROW_NUMBER.sub("", text)
    return re.sub(r"\n(?:牵头|配合|责任|指导)(?:单位|部门)[:：].*", "", text, flags=re.S)


def task_tokens(text: str) -> list[str]:
    """The word tokens of one task as the similarity model uses them (jieba content words).

    A pure function of the task's text: the per-plan stage computes it once per
    task, and the cache stores it, so jieba never runs twice over a plan.

    Examples:
        >>> task_tokens("1.加强婴幼儿配方乳粉质量监管")
        ['婴幼儿配方乳粉', '质量', '监管']
    """
    return content_tokens(task_document(text))


def _char_ngrams(text: str) -> list[str]:
    """Character 2- and 3-grams of the CJK/alphanumeric runs of ``text``."""
    grams = []
    for run in _NON_TEXT.split(text):
        for n in (2, 3):
            grams += [run[i:i + n] for i in range(len(run) - n + 1)]
    return grams


@dataclass
class TaskModel:
    """A fitted TF-IDF model of every task of a corpus."""

    tasks: pd.DataFrame  # plan_id, task_id, title, text (row i of matrix)
    vectorizer: TfidfVectorizer
    matrix: sparse.csr_matrix
    analyzer: str

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.vectorizer.transform(texts)


_MODELS: "weakref.WeakKeyDictionary[object, dict[str, object]]" = weakref.WeakKeyDictionary()


def make_vectorizer(analyzer: str = "word") -> TfidfVectorizer:
    """TF-IDF on jieba content words (``word``) or on character 2-3-grams (``char``)."""
    if analyzer not in ANALYZERS:
        raise ValueError(f"analyzer must be one of {ANALYZERS}, not {analyzer!r}")
    tokens = content_tokens if analyzer == "word" else _char_ngrams
    return TfidfVectorizer(
        analyzer=lambda doc: tokens(task_document(doc)),
        lowercase=False, token_pattern=None, sublinear_tf=True, norm="l2", dtype=np.float64,
    )


def task_model(corpus, analyzer: str = "word") -> TaskModel:
    """The TF-IDF model of the corpus' tasks (fitted once per corpus and analyzer)."""
    cache = _MODELS.setdefault(corpus, {})
    if analyzer not in cache:
        tasks = corpus.tasks[["plan_id", "task_id", "part", "title", "text"]].reset_index(drop=True)
        vectorizer = make_vectorizer(analyzer)
        matrix = vectorizer.fit_transform(tasks["text"].tolist()).tocsr()
        cache[analyzer] = TaskModel(tasks, vectorizer, matrix, analyzer)
    return cache[analyzer]


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores, best first; ties broken by position (deterministic)."""
    k = min(k, len(scores))
    if k <= 0:
        return np.array([], dtype=int)
    order = np.lexsort((np.arange(len(scores)), -scores))
    return order[:k]


def task_similarity(corpus, k: int = 5, analyzer: str = "word") -> pd.DataFrame:
    """For every task, its top ``k`` most similar tasks in each other plan.

    Columns: plan_a, task_a, plan_b, task_b, score (cosine, 0-1), rank (1 =
    best within plan_b).  Pairs with score 0 are left out.  Computed once per
    corpus, ``k`` and analyzer (a copy is returned).
    """
    cache = _MODELS.setdefault(corpus, {})
    key = f"task_similarity:{k}:{analyzer}"
    if key not in cache:
        cache[key] = _task_similarity(corpus, k, analyzer)
    return cache[key].copy()


def _task_similarity(corpus, k: int, analyzer: str) -> pd.DataFrame:
    model = task_model(corpus, analyzer)
    plans = model.tasks["plan_id"].to_numpy()
    ids = model.tasks["task_id"].to_numpy()
    rows_by_plan = {p: np.flatnonzero(plans == p) for p in dict.fromkeys(plans)}
    parts = []
    for plan_a, rows_a in rows_by_plan.items():
        block = (model.matrix[rows_a] @ model.matrix.T).toarray()  # tasks of plan_a × all tasks
        for plan_b, rows_b in rows_by_plan.items():
            if plan_b == plan_a:
                continue
            sub = block[:, rows_b]
            kk = min(k, sub.shape[1])
            # best first; among equal scores the earlier task (stable sort): deterministic
            order = np.argsort(-sub, axis=1, kind="stable")[:, :kk]
            scores = np.take_along_axis(sub, order, axis=1)
            i, r = np.nonzero(scores > 0)
            if not len(i):
                continue
            parts.append(pd.DataFrame({
                "plan_a": plan_a, "task_a": ids[rows_a[i]], "plan_b": plan_b, "task_b": ids[rows_b[order[i, r]]],
                "score": np.round(scores[i, r], 6), "rank": r + 1,
            }))
    columns = list(schema.SCHEMAS["task_similarity"])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return schema.check("task_similarity", out[columns].astype(schema.SCHEMAS["task_similarity"]))


def _best_matches(corpus, analyzer: str) -> pd.DataFrame:
    """Each task's best match in each other plan: rank 1 of the (cached) default top-k table."""
    table = task_similarity(corpus, analyzer=analyzer)
    return table[table["rank"] == 1]


def plan_similarity(corpus, analyzer: str = "word") -> pd.DataFrame:
    """Plan × plan: mean best-match score of tasks (both directions averaged) and document cosine.

    ``score`` averages, over the tasks of A, the best score in B, and the same
    from B to A; ``doc_cosine`` is the cosine of the whole plans' TF-IDF
    vectors (all tasks' text as one document, fitted on the plans).  Every
    ordered pair is a row, the diagonal included (1.0).
    """
    cache = _MODELS.setdefault(corpus, {})
    key = f"plan_similarity:{analyzer}"
    if key in cache:
        return cache[key].copy()
    best = _best_matches(corpus, analyzer)
    model = task_model(corpus, analyzer)
    n_tasks = model.tasks.groupby("plan_id").size()
    directed = best.groupby(["plan_a", "plan_b"])["score"].sum()
    plan_ids = corpus.plan_ids
    docs = [" ".join(model.tasks.loc[model.tasks["plan_id"] == p, "text"]) for p in plan_ids]
    doc_matrix = make_vectorizer(analyzer).fit_transform(docs) if docs else None
    doc_sim = (doc_matrix @ doc_matrix.T).toarray() if docs else None
    rows = []
    for i, a in enumerate(plan_ids):
        for j, b in enumerate(plan_ids):
            if a == b:
                score = doc = 1.0
            else:
                ab = directed.get((a, b), 0.0) / max(n_tasks.get(a, 0), 1)
                ba = directed.get((b, a), 0.0) / max(n_tasks.get(b, 0), 1)
                score = (ab + ba) / 2
                doc = float(doc_sim[i, j])
            rows.append({"plan_a": a, "plan_b": b, "score": round(score, 6), "doc_cosine": round(doc, 6)})
    cache[key] = schema.check("plan_similarity", schema.frame("plan_similarity", rows))
    return cache[key].copy()


def similar(corpus, query: str | None = None, *, task_id: str | None = None, k: int = 10,
            analyzer: str = "word", per_plan: int | None = None) -> pd.DataFrame:
    """Tasks most similar to a free-text ``query`` or to the task ``task_id``, best first.

    Columns: rank, score, plan_id, task_id, title, text.  With ``task_id`` the
    task itself and the other tasks of its plan are left out.  ``per_plan``
    caps how many tasks one plan may contribute.

    Examples:
        >>> similar(corpus, "推行企业标准自我声明公开", k=3)  # doctest: +SKIP
    """
    if (query is None) == (task_id is None):
        raise ValueError("give either a query text or a task_id")
    model = task_model(corpus, analyzer)
    tasks = model.tasks
    if task_id is not None:
        hits = np.flatnonzero(tasks["task_id"].to_numpy() == task_id)
        if not len(hits):
            raise KeyError(f"no task {task_id!r} in the corpus")
        vector = model.matrix[hits[0]]
        exclude = tasks["plan_id"].to_numpy() == tasks.loc[hits[0], "plan_id"]
    else:
        vector = model.transform([query])
        exclude = np.zeros(len(tasks), dtype=bool)
    scores = (model.matrix @ vector.T).toarray().ravel()
    scores[exclude] = -1.0
    rows, taken = [], {}
    for j in _top_k(scores, len(scores)):
        if scores[j] <= 0 or len(rows) >= k:
            break
        plan = tasks.loc[j, "plan_id"]
        if per_plan is not None and taken.get(plan, 0) >= per_plan:
            continue
        taken[plan] = taken.get(plan, 0) + 1
        rows.append({"rank": len(rows) + 1, "score": round(float(scores[j]), 6), "plan_id": plan,
                     "task_id": tasks.loc[j, "task_id"], "title": tasks.loc[j, "title"], "text": tasks.loc[j, "text"]})
    return pd.DataFrame(rows, columns=["rank", "score", "plan_id", "task_id", "title", "text"])


def closest_pairs(corpus, n: int = 10, analyzer: str = "word") -> pd.DataFrame:
    """The ``n`` most similar task pairs across plans, side by side (each unordered pair once).

    Columns: score, plan_a, task_a, title_a, text_a, plan_b, task_b, title_b, text_b.
    """
    best = _best_matches(corpus, analyzer)
    best = best[best["plan_a"] < best["plan_b"]]
    best = best.sort_values(["score", "task_a", "task_b"], ascending=[False, True, True], kind="stable").head(n)
    tasks = corpus.tasks.set_index("task_id")
    out = best[["score", "plan_a", "task_a", "plan_b", "task_b"]].copy()
    for side in ("a", "b"):
        out[f"title_{side}"] = out[f"task_{side}"].map(tasks["title"])
        out[f"text_{side}"] = out[f"task_{side}"].map(tasks["text"])
    cols = ["score", "plan_a", "task_a", "title_a", "text_a", "plan_b", "task_b", "title_b", "text_b"]
    return out[cols].reset_index(drop=True)
