"""Text reuse: passages one plan shares word for word with another.

Local plans copy sentences from the plans above them.  Every ``min_len``-
character window (shingle) of every plan is indexed once; two plans share a
passage where a run of shingles matches on the same diagonal (offset in A
minus offset in B), and each maximal run is one passage, exact and with its
offsets in both normalized texts.  This is the seed-and-extend idea of
textreuse and the Legislative Influence Detector, exact because the texts are
already normalized (simplified characters, half-width punctuation).
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pandas as pd

from . import schema
from .structure import TaskIndex

MIN_LEN = 12
#: A shingle found more often than this in the corpus is boilerplate, not reuse evidence.
MAX_OCCURRENCES = 50
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _seeds(texts: dict[str, str], k: int) -> dict[tuple[str, str], dict[int, list[int]]]:
    """Shared shingles as seeds[(plan_a, plan_b)][diagonal] = starts in plan_a.

    Shingles are hashed into one numpy array and sorted, so memory stays at a
    few numbers per character of the corpus; equal hashes are checked for
    equal text, so a hash collision cannot make a false seed.
    """
    names = sorted(texts)
    hashes, plan_idx, positions = [], [], []
    for n, plan_id in enumerate(names):
        text = texts[plan_id]
        count = max(len(text) - k + 1, 0)
        hashes.append(np.fromiter((hash(text[i:i + k]) if "\n" not in text[i:i + k] else 0 for i in range(count)),
                                  dtype=np.int64, count=count))
        plan_idx.append(np.full(count, n, dtype=np.int32))
        positions.append(np.arange(count, dtype=np.int64))
    if not hashes:
        return {}
    h, pl, pos = np.concatenate(hashes), np.concatenate(plan_idx), np.concatenate(positions)
    order = np.lexsort((pos, pl, h))
    h, pl, pos = h[order], pl[order], pos[order]
    bounds = np.flatnonzero(np.diff(h)) + 1
    seeds: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for start, end in zip(np.r_[0, bounds], np.r_[bounds, len(h)]):
        size = end - start
        if size < 2 or size > MAX_OCCURRENCES or h[start] == 0 or pl[start] == pl[end - 1]:
            continue
        hits = [(names[pl[i]], int(pos[i])) for i in range(start, end)]
        by_text: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for plan_id, i in hits:
            by_text[texts[plan_id][i:i + k]].append((plan_id, i))
        for group in by_text.values():
            for pa, ia in group:
                for pb, ib in group:
                    if pa < pb:
                        seeds[(pa, pb)][ib - ia].append(ia)
    return seeds


def shared_passages(texts: dict[str, str], min_len: int = MIN_LEN) -> list[dict]:
    """Maximal passages of at least ``min_len`` characters shared by two texts.

    Returns dicts plan_a, plan_b (plan_a < plan_b), a_start, a_end, b_start,
    b_end, passage.  A passage must hold at least ``min_len`` Chinese
    characters after trimming punctuation and spaces at its ends, and may not
    cross a line break (a heading next to a sentence is not one passage).
    """
    if min_len < 2:
        raise ValueError("min_len must be at least 2")
    seeds = _seeds(texts, min_len)
    out = []
    for (pa, pb), diagonals in sorted(seeds.items()):
        ta = texts[pa]
        for diagonal, starts in sorted(diagonals.items()):
            starts.sort()
            run_start = prev = starts[0]
            for s in starts[1:] + [None]:
                if s is not None and s == prev + 1:
                    prev = s
                    continue
                a_start, a_end = run_start, prev + min_len
                passage = _trim(ta, a_start, a_end)
                if passage:
                    a0, a1 = passage
                    if len(_CJK.findall(ta[a0:a1])) >= min_len:
                        out.append({"plan_a": pa, "plan_b": pb, "a_start": a0, "a_end": a1,
                                    "b_start": a0 + diagonal, "b_end": a1 + diagonal, "passage": ta[a0:a1]})
                if s is not None:
                    run_start = prev = s
    out.sort(key=lambda r: (r["plan_a"], r["plan_b"], r["a_start"], r["b_start"]))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop punctuation and spaces at both ends of a passage."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    # a parenthesis opened and not closed inside the passage ends it: 规划(201 -> 规划
    passage = text[start:end]
    cut = max(passage.rfind("("), passage.rfind("（"))
    if cut >= 0 and passage.count(")") + passage.count("）") < passage.count("(") + passage.count("（"):
        return _trim(text, start, start + cut)
    return (start, end) if end > start else None


def text_reuse(corpus, min_len: int = MIN_LEN) -> pd.DataFrame:
    """Shared passages between every pair of plans, with the tasks they stand in.

    Columns: plan_a, task_a, plan_b, task_b, passage, length, a_start, a_end,
    b_start, b_end (offsets into each plan's normalized text).
    """
    texts = {plan.plan_id: plan.text for plan in corpus}
    index = {plan.plan_id: TaskIndex(plan.structure.tasks) for plan in corpus}

    def task_at(plan_id: str, pos: int) -> str:
        task = index[plan_id].at(pos)
        return task["task_id"] if task else ""

    rows = []
    for r in shared_passages(texts, min_len):
        rows.append({
            "plan_a": r["plan_a"], "task_a": task_at(r["plan_a"], r["a_start"]),
            "plan_b": r["plan_b"], "task_b": task_at(r["plan_b"], r["b_start"]),
            "passage": r["passage"], "length": r["a_end"] - r["a_start"],
            "a_start": r["a_start"], "a_end": r["a_end"], "b_start": r["b_start"], "b_end": r["b_end"],
        })
    return schema.check("text_reuse", schema.frame("text_reuse", rows))


def reuse_share(corpus, reuse: pd.DataFrame | None = None, min_len: int = MIN_LEN) -> pd.DataFrame:
    """Per task: how many of its characters stand in a passage shared with another plan.

    Columns: plan_id, task_id, part, title, n_chars, reused_chars, share,
    sources (the other plans, most shared first).  A share near 0 marks a
    local innovation, near 1 a copied task.
    """
    reuse = text_reuse(corpus, min_len) if reuse is None else reuse
    intervals: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for r in reuse.itertuples():
        intervals[(r.plan_a, r.task_a)].append((r.a_start, r.a_end, r.plan_b))
        intervals[(r.plan_b, r.task_b)].append((r.b_start, r.b_end, r.plan_a))
    rows = []
    for task in corpus.tasks.itertuples():
        start, end = task.char_start, task.char_end
        by_plan: dict[str, int] = defaultdict(int)
        clipped = []
        for s, e, other in intervals.get((task.plan_id, task.task_id), []):
            s, e = max(s, start), min(e, end)
            if e > s:
                by_plan[other] += e - s
                clipped.append((s, e))
        reused, reach = 0, start
        for s, e in sorted(clipped):  # length of the union of the intervals
            if e > reach:
                reused += e - max(s, reach)
                reach = e
        n = end - start
        sources = sorted(by_plan, key=lambda p: (-by_plan[p], p))
        rows.append({
            "plan_id": task.plan_id, "task_id": task.task_id, "part": task.part, "title": task.title,
            "n_chars": n, "reused_chars": reused, "share": round(reused / n, 4) if n else 0.0,
            "sources": ",".join(sources),
        })
    return schema.check("reuse_share", schema.frame("reuse_share", rows))


def reuse_by_plan(share: pd.DataFrame) -> pd.DataFrame:
    """Per plan, from :func:`reuse_share`: tasks, mean and max share, tasks over half copied."""
    grouped = share.groupby("plan_id")
    out = pd.DataFrame({
        "tasks": grouped.size(),
        "mean_share": grouped["share"].mean().round(4),
        "max_share": grouped["share"].max(),
        "tasks_over_half": grouped["share"].apply(lambda s: int((s > 0.5).sum())),
        "reused_chars": grouped["reused_chars"].sum(),
    })
    return out.reset_index()
