"""Evaluation of task similarity on hand-checked pairs: hit@1, hit@3 and mean reciprocal rank.

A pairs file has the columns ``plan_a, snippet_a, plan_b, snippet_b`` (and
optionally ``topic``): the task of plan_a containing snippet_a makes the same
commitment as the task of plan_b containing snippet_b.  For each pair, plan_b's
tasks are ranked for the task of plan_a (:func:`policycompare.analyze.similarity.rank_in_plan`);
the pair is a hit@1 when the right task comes first, a hit@3 when it is in the
top three.  Rankers: ``hybrid`` (the model), ``word`` (the former jieba-word
TF-IDF ranker) and ``char`` (the crude baseline: TF-IDF on character 2-3-grams).

Examples:
    >>> corpus = load_dev_corpus(["data/raw", "tests/data/dev/raw"])  # doctest: +SKIP
    >>> summary(evaluate(corpus, read_pairs("tests/data/dev/gold/similar_pairs.csv")))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from ..analyze import similarity
from ..corpus import Corpus
from ..ingest.files import plan_files
from ..plan import read_plan

RANKERS = ("hybrid", "char", "word")


def load_dev_corpus(folders: Iterable[str | Path]) -> Corpus:
    """The plans of several folders read together as ONE corpus (plan ids must be unique)."""
    plans = [read_plan(path) for folder in folders for path in plan_files(folder)[0]]
    return Corpus(plans)


def read_pairs(path: str | Path) -> pd.DataFrame:
    """A pairs CSV (``plan_a, snippet_a, plan_b, snippet_b[, topic]``), empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def find_task(corpus, plan_id: str, snippet: str) -> str:
    """The task of ``plan_id`` whose text contains ``snippet`` (the shortest if several)."""
    tasks = corpus.tasks
    hit = tasks[(tasks["plan_id"] == plan_id) & tasks["text"].str.contains(snippet, regex=False)]
    if hit.empty:
        raise KeyError(f"no task of {plan_id!r} contains {snippet!r}")
    return str(hit.loc[hit["text"].str.len().idxmin(), "task_id"])


def evaluate(corpus, pairs: pd.DataFrame, ranker: str = similarity.DEFAULT_ANALYZER,
             clause_weight: float | None = None) -> pd.DataFrame:
    """One row per pair: task_a, task_b, the rank of task_b among plan_b's tasks, its score and the
    best-scoring other task of plan_b (the distractor) with its score."""
    rows = []
    for pair in pairs.itertuples(index=False):
        task_a = find_task(corpus, pair.plan_a, pair.snippet_a)
        task_b = find_task(corpus, pair.plan_b, pair.snippet_b)
        ranked = similarity.rank_in_plan(corpus, task_a, pair.plan_b, k=None, analyzer=ranker,
                                         clause_weight=clause_weight)
        hit = ranked[ranked["task_id"] == task_b].iloc[0]
        other = ranked[ranked["task_id"] != task_b]
        rows.append({
            "plan_a": pair.plan_a, "task_a": task_a, "plan_b": pair.plan_b, "task_b": task_b,
            "rank": int(hit["rank"]), "score": float(hit["score"]), "cosine": float(hit["cosine"]),
            "distractor": other["task_id"].iloc[0] if len(other) else "",
            "distractor_score": float(other["score"].iloc[0]) if len(other) else np.nan,
            "distractor_cosine": float(other["cosine"].iloc[0]) if len(other) else np.nan,
        })
    return pd.DataFrame(rows)


def summary(ranks: pd.DataFrame | Iterable[int]) -> dict[str, float]:
    """hit@1, hit@3 (counts), n and mean reciprocal rank of an :func:`evaluate` table or of ranks."""
    r = np.asarray(ranks["rank"] if isinstance(ranks, pd.DataFrame) else list(ranks), dtype=float)
    return {"n": len(r), "hit@1": int((r == 1).sum()), "hit@3": int((r <= 3).sum()),
            "mrr": round(float((1 / r).mean()), 3) if len(r) else float("nan")}


def compare_rankers(corpus, pairs: pd.DataFrame, rankers: Iterable[str] = RANKERS) -> pd.DataFrame:
    """One row per ranker: n, hit@1, hit@3, mrr."""
    return pd.DataFrame([{"ranker": name, **summary(evaluate(corpus, pairs, name))} for name in rankers])


def leave_one_out(corpus, pairs: pd.DataFrame, word_weights=(0.3, 0.4, 0.5),
                  clause_weights=(0.0, 0.25, 0.5, 0.75, 1.0)) -> pd.DataFrame:
    """Leave-one-out choice of (word weight, clause weight): for each pair, the setting that ranks
    the OTHER pairs best (hit@1, then hit@3, then MRR) is used to rank the held-out pair.  Ties go
    to the first setting of the grid (smaller weights first), never to the module's current
    constants, so the held-out pair cannot leak in through the defaults.  One row per pair:
    chosen settings and held-out rank (:func:`summary` of it is the cross-validated score).

    Refits the model once per word weight (the module default is restored afterwards).
    """
    saved = similarity.WORD_WEIGHT
    ranks = {}
    try:
        for w in word_weights:
            similarity.WORD_WEIGHT = w
            similarity._MODELS.pop(corpus, None)
            for c in clause_weights:
                ranks[(w, c)] = evaluate(corpus, pairs, "hybrid", clause_weight=c)["rank"].to_numpy()
    finally:
        similarity.WORD_WEIGHT = saved
        similarity._MODELS.pop(corpus, None)
    order = {setting: i for i, setting in enumerate(ranks)}

    def key(setting, held):
        r = np.delete(ranks[setting], held).astype(float)
        return ((r == 1).sum(), (r <= 3).sum(), (1 / r).mean(), -order[setting])

    rows = []
    for held in range(len(pairs)):
        best = max(ranks, key=lambda s: key(s, held))
        rows.append({"pair": held, "word_weight": best[0], "clause_weight": best[1], "rank": int(ranks[best][held])})
    return pd.DataFrame(rows)
