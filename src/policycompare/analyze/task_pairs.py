"""The tasks of a parent plan and a child plan side by side: their similarity (the task model's rows)
and the stretches of text they share (text_reuse passages), for :func:`~policycompare.analyze.escalation.task_adoption`."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from . import similarity


def task_scores(corpus, parent_id: str, child_id: str) -> pd.DataFrame:
    """Similarity of every task of ``parent_id`` with every task of ``child_id``: task_a, task_b, score.

    The one place this module touches the similarity model: a sparse product
    of the two plans' TF-IDF rows (pairs with score 0 are absent), never a
    dense all-pairs matrix.
    """
    index = TaskIndex(corpus)
    rows_a, rows_b, score = index.scores(parent_id, child_id)
    return pd.DataFrame({"task_a": index.ids[rows_a], "task_b": index.ids[rows_b], "score": score})


class TaskIndex:
    """The task model's rows by plan, their task ids, and each id's place in sorted order (for ties)."""

    def __init__(self, corpus) -> None:
        model = similarity.task_model(corpus)
        self.matrix = model.matrix
        self.ids = model.tasks["task_id"].to_numpy(dtype=object)
        self.rows = pd.Series(np.arange(len(self.ids))).groupby(model.tasks["plan_id"].to_numpy(dtype=object),
                                                                  sort=False).indices
        self.key = np.empty(len(self.ids), dtype=np.int64)
        self.key[np.argsort(self.ids, kind="stable")] = np.arange(len(self.ids))

    def scores(self, parent_id: str, child_id: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows of the parent's and the child's tasks and their score (pairs with score 0 absent), unordered."""
        empty = np.zeros(0, dtype=np.int64)
        rows_a, rows_b = self.rows.get(parent_id, empty), self.rows.get(child_id, empty)
        product = (self.matrix[rows_a] @ self.matrix[rows_b].T).tocoo()
        return rows_a[product.row], rows_b[product.col], np.round(product.data, 6)


def union_length(intervals: list[tuple[int, int]]) -> int:
    total, reach = 0, -1
    for s, e in sorted(intervals):
        if e > reach:
            total += e - max(s, reach)
            reach = e
    return total


REUSE_COLUMNS = ("task_a", "a_start", "a_end", "task_b", "b_start", "b_end")


def shared_by_task(reuse: pd.DataFrame, groups: dict, parent_id: str, child_id: str,
                    columns: dict[str, np.ndarray] | None = None) -> tuple[dict, dict, dict]:
    """From text_reuse rows of one pair (``groups``: row positions by (plan_a, plan_b)): the shared
    intervals of each parent task and of each child task, and for each parent task the shared
    length per child task.  ``columns``: :func:`reuse_columns` (made once by the caller)."""
    if columns is None:
        columns = reuse_columns(reuse)
    if parent_id < child_id:
        rows = groups.get((parent_id, child_id), [])
        names = ("task_a", "a_start", "a_end", "task_b", "b_start", "b_end")
    else:
        rows = groups.get((child_id, parent_id), [])
        names = ("task_b", "b_start", "b_end", "task_a", "a_start", "a_end")
    p_int, c_int = defaultdict(list), defaultdict(list)
    holders: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    picked = [columns[name][rows].tolist() for name in names]
    for a, a0, a1, b, b0, b1 in zip(*picked):
        if a:
            p_int[a].append((a0, a1))
        if b:
            c_int[b].append((b0, b1))
        if a and b:
            holders[a][b] += a1 - a0
    return dict(p_int), dict(c_int), {a: dict(by_child) for a, by_child in holders.items()}


def reuse_columns(reuse: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of ``reuse`` that :func:`shared_by_task` reads, as arrays: offsets as integers, task ids as
    objects sharing one Python string per distinct id (not one per row: a million rows at 1,000 plans)."""
    columns = {}
    for name in REUSE_COLUMNS:
        if name.startswith("task_"):
            codes, ids = pd.factorize(reuse[name])
            shared = np.array([*ids.tolist(), ""], dtype=object)  # last: a missing value (code -1)
            columns[name] = shared[codes]
        else:
            columns[name] = reuse[name].to_numpy(dtype=np.int64)
    return columns


def clipped(intervals: list[tuple[int, int]], start: int, end: int) -> int:
    return union_length([(max(s, start), min(e, end)) for s, e in intervals if min(e, end) > max(s, start)])
