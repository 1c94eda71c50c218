"""Text reuse: passages one plan shares word for word with another.

Local plans copy sentences from the plans above them.  Finding every shared
passage between every pair of plans is quadratic in the corpus (and a family
of near-copies shares everything with everything), so the search runs in two
steps, as in textreuse and the Legislative Influence Detector:

1. **Candidate pairs.**  Every ``min_len``-character window (shingle) of every
   plan is hashed, vectorised.  A window found in few plans (at most
   ``RARE_PLANS``) pairs up those plans exactly, so two otherwise different
   plans sharing one sentence are found.  Plans sharing much of their text
   (near-copies) are found by MinHash: each plan's signature is sorted on each
   of its components and neighbours in those orders become candidates (a
   sorted-neighbourhood LSH, linear in the corpus).  Each plan keeps its
   ``partners`` best candidates (most shared windows).
2. **Exact passages** for the kept pairs only: runs of shared windows on one
   diagonal (offset in A minus offset in B) are maximal shared passages, with
   their offsets in both normalized texts.  Windows are compared by a 64-bit
   polynomial hash: for natural text the chance that two different windows
   collide anywhere in a corpus of thousands of plans is about one in a million.
"""

from __future__ import annotations

import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import config, schema
from .arrays import run_starts
from .memory import return_free_memory

MIN_LEN = config.REUSE_MIN_LEN
#: Partner plans kept per plan (the pairs with the most shared text): the output grows linearly.
PARTNERS = config.REUSE_PARTNERS
#: A window found in at most this many plans pairs them up exactly; more often it is boilerplate
#: or a family of near-copies, found through MinHash instead.
RARE_PLANS = 50
#: MinHash components (each sorted once) and neighbours taken on each side in each order.
SIGNATURE = 16
NEIGHBOURS = 2
#: Ranges of hash values whose windows are sorted together when pairing plans up (a power of two).
HASH_PARTS = 8
#: Threads comparing candidate pairs at once (1: no threads).
THREADS = 2
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PRIME = np.uint64(1_000_003)
#: str.isalnum of every character of the Basic Multilingual Plane, looked up by code point.
_ALNUM = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
_SEED = 20161115


class _Windows:
    """The window hashes of one text (0 where a window crosses a line), sorted with their positions and as a set.

    Positions are int32 (a text is at most ``config.MAX_TEXT_CHARS`` characters): at 1,000 plans these
    arrays are the largest thing text reuse holds.
    """

    __slots__ = ("unique", "first", "count", "order")

    def __init__(self, text: str, k: int) -> None:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        n = len(codes) - k + 1
        if n <= 0:
            h = np.zeros(0, dtype=np.uint64)
        else:
            with np.errstate(over="ignore"):
                h = np.zeros(n, dtype=np.uint64)
                for j in range(k):  # polynomial hash, wrapping at 2**64
                    h = h * _PRIME + codes[j:j + n]
            newline = np.concatenate([[0], np.cumsum(codes == 10)])
            h[(newline[k:k + n] - newline[:n]) > 0] = 0
        # windows sorted by hash (then position); unique hashes with their first index and count there
        self.order = np.argsort(h, kind="stable").astype(np.int32)
        ordered = h[self.order]
        starts = run_starts(ordered)
        counts = np.diff(np.r_[starts, len(ordered)])
        valid = ordered[starts] != 0
        self.unique = ordered[starts][valid]
        self.first, self.count = starts[valid].astype(np.int32), counts[valid].astype(np.int32)


class _Marks:
    """The character classes trimming a passage of one text needs, as prefix sums and next/previous indices.

    Only the first plan of a pair is trimmed, so these are built for one plan at a time (:func:`_passages`).
    """

    __slots__ = ("next_alnum", "prev_alnum", "cjk", "opens", "closes", "last_open")

    def __init__(self, text: str) -> None:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        basic = codes < len(_ALNUM)
        alnum = _ALNUM[np.where(basic, codes, 0)]
        if not basic.all():  # beyond the Basic Multilingual Plane: ask Python
            alnum[~basic] = [chr(c).isalnum() for c in codes[~basic].tolist()]
        positions = np.arange(len(text) + 1, dtype=np.int32)
        # next_alnum[i]: first alphanumeric index >= i (len(text) if none)
        self.next_alnum = np.minimum.accumulate(np.where(np.r_[alnum, True], positions, len(text))[::-1])[::-1]
        # prev_alnum[i]: one past the last alphanumeric index < i (0 if none)
        self.prev_alnum = np.maximum.accumulate(np.where(np.r_[False, alnum], positions, 0))
        self.cjk = np.r_[0, np.cumsum((codes >= 0x4E00) & (codes <= 0x9FFF), dtype=np.int32)]
        is_open = (codes == ord("(")) | (codes == ord("（"))
        self.opens = np.r_[0, np.cumsum(is_open, dtype=np.int32)]
        # last_open[i]: index of the last opening parenthesis before i (-1 if none)
        self.last_open = np.maximum.accumulate(np.where(np.r_[False, is_open], positions - 1, -1))
        self.closes = np.r_[0, np.cumsum((codes == ord(")")) | (codes == ord("）")), dtype=np.int32)]


def _signatures(windows: list[_Windows]) -> np.ndarray:
    """MinHash signatures (plans × ``SIGNATURE``) of each plan's set of windows."""
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, 2**63, size=SIGNATURE, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=SIGNATURE, dtype=np.uint64)
    out = np.full((len(windows), SIGNATURE), np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i, w in enumerate(windows):
            if len(w.unique):
                out[i] = (w.unique[:, None] * a + b).min(axis=0)
    return out


def _candidates(windows: list[_Windows], partners: int) -> list[tuple[int, int]]:
    """Pairs of plan indices (i < j) worth an exact comparison: each plan's best ``partners``."""
    n = len(windows)
    if n < 2:
        return []
    sizes = np.array([len(w.unique) for w in windows], dtype=np.float64)
    # 1. rare windows: exact shared counts
    # the hashes of every plan sorted together, one range of hash values at a time (a hash is in one
    # range, so each range's groups are whole): sorting every window of the corpus at once took about
    # 200 MB more at 1,000 plans.  Each plan's unique hashes are sorted, so its part of a range is a slice
    edges = np.arange(1, HASH_PARTS, dtype=np.uint64) << np.uint64(64 - HASH_PARTS.bit_length() + 1)
    cuts = [np.r_[0, np.searchsorted(w.unique, edges), len(w.unique)] for w in windows]
    pair_keys = []
    for part in range(HASH_PARTS):
        pieces = [w.unique[c[part]:c[part + 1]] for w, c in zip(windows, cuts)]
        hashes = np.concatenate(pieces)
        owner = np.repeat(np.arange(n, dtype=np.int32), [len(piece) for piece in pieces])
        del pieces
        order = np.argsort(hashes, kind="stable")  # owners are in plan order: a hash's plans stay in order
        hashes, owner = hashes[order], owner[order]
        del order
        starts = run_starts(hashes)
        counts = np.diff(np.r_[starts, len(hashes)])
        del hashes
        for size in np.unique(counts[(counts >= 2) & (counts <= RARE_PLANS)]):
            group_starts = starts[counts == size]
            members = owner[group_starts[:, None] + np.arange(size)].astype(np.int64)  # groups × size, by plan
            first, second = np.triu_indices(size, k=1)
            pair_keys.append((members[:, first] * n + members[:, second]).ravel())
    shared: dict[int, float] = {}
    if pair_keys:
        keys, key_counts = np.unique(np.concatenate(pair_keys), return_counts=True)
        shared = dict(zip(keys.tolist(), key_counts.astype(float).tolist()))
    # 2. near-copies: neighbours in the order of each MinHash component
    signatures = _signatures(windows)
    for c in range(SIGNATURE):
        ranked = np.lexsort((np.arange(n), signatures[:, c]))
        for step in range(1, NEIGHBOURS + 1):
            left, right = ranked[:-step], ranked[step:]
            same = signatures[left, c] == signatures[right, c]
            for i, j in zip(left[same].tolist(), right[same].tolist()):
                i, j = min(i, j), max(i, j)
                key = i * n + j
                if key not in shared:
                    jaccard = float(np.mean(signatures[i] == signatures[j]))
                    shared[key] = jaccard / (1 + jaccard) * (sizes[i] + sizes[j])
    # 3. each plan's best partners (most shared windows; ties by plan order)
    by_plan: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for key, value in shared.items():
        i, j = divmod(key, n)
        by_plan[i].append((-value, j))
        by_plan[j].append((-value, i))
    kept = set()
    for i, options in by_plan.items():
        for _, j in sorted(options)[:partners]:
            kept.add((min(i, j), max(i, j)))
    return sorted(kept)


_NONE = np.zeros((0, 4), dtype=np.int64)


def _pair_passages(ta: str, tb: str, wa: _Windows, wb: _Windows, k: int, ma: _Marks) -> np.ndarray:
    """Maximal passages of two texts, at least ``k`` CJK characters: rows (a_start, a_end, b_start, b_end)."""
    if not len(wa.unique) or not len(wb.unique):
        return _NONE
    ia = np.minimum(np.searchsorted(wa.unique, wb.unique), len(wa.unique) - 1)
    shared = wa.unique[ia] == wb.unique
    if not shared.any():
        return _NONE
    ia, ib = ia[shared], np.flatnonzero(shared)
    lo_a, ca = wa.first[ia].astype(np.int64), wa.count[ia].astype(np.int64)
    lo_b, cb = wb.first[ib].astype(np.int64), wb.count[ib].astype(np.int64)
    if (ca == 1).all() and (cb == 1).all():
        pa, pb = wa.order[lo_a], wb.order[lo_b]
    else:  # a window repeated inside a plan: every pairing of its positions
        reps = ca * cb
        idx = np.repeat(np.arange(len(ia)), reps)
        offset = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        pa = wa.order[lo_a[idx] + offset // cb[idx]]
        pb = wb.order[lo_b[idx] + offset % cb[idx]]
    # sorted by diagonal (offset in B minus offset in A), then by position in A: one sort of one integer key
    span = len(ta) + 1
    key = np.sort((pb.astype(np.int64) - pa.astype(np.int64) + len(tb)) * span + pa)
    diagonal, pa = np.divmod(key, span)
    diagonal -= len(tb)
    breaks = np.flatnonzero((np.diff(diagonal) != 0) | (np.diff(pa) != 1)) + 1
    run_start = np.r_[0, breaks]
    run_end = np.r_[breaks, len(pa)] - 1
    # trim punctuation and spaces at both ends, vectorised; unclosed parentheses (rare) in Python
    a0 = ma.next_alnum[pa[run_start]].astype(np.int64)
    a1 = ma.prev_alnum[pa[run_end] + k].astype(np.int64)
    d = diagonal[run_start]
    keep = a1 > a0
    a0, a1, d = a0[keep], a1[keep], d[keep]
    # a parenthesis opened and not closed inside a passage ends it (as _trim does): cut before the last
    # opening parenthesis and trim again, until none is left open; a0 is alphanumeric, so a1 stays > a0
    while True:
        unclosed = np.flatnonzero((ma.opens[a1] - ma.opens[a0]) > (ma.closes[a1] - ma.closes[a0]))
        if not len(unclosed):
            break
        a1[unclosed] = ma.prev_alnum[ma.last_open[a1[unclosed]]]
    fine = (a1 > a0) & ((ma.cjk[a1] - ma.cjk[a0]) >= k)
    a0, a1, d = a0[fine], a1[fine], d[fine]
    return np.stack([a0, a1, a0 + d, a1 + d], axis=1)


def shared_passages(texts: dict[str, str], min_len: int = MIN_LEN, partners: int = PARTNERS) -> list[dict]:
    """Maximal passages of at least ``min_len`` characters shared by two texts.

    Returns dicts plan_a, plan_b (plan_a < plan_b), a_start, a_end, b_start,
    b_end, passage, sorted.  A passage must hold at least ``min_len`` Chinese
    characters after trimming punctuation and spaces at its ends, and may not
    cross a line break (a heading next to a sentence is not one passage).
    Only each text's ``partners`` best candidate partners are compared.

    Examples:
        >>> found = shared_passages({"a": "一、推动消费品标准由生产型向消费型转变。", "b": "要推动消费品标准由生产型向消费型转变"})
        >>> found[0]["passage"], found[0]["b_start"]
        ('推动消费品标准由生产型向消费型转变', 1)
    """
    names, pairs, spans = _passages(texts, min_len, partners)
    return [{"plan_a": names[i], "plan_b": names[j], "a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1,
             "passage": texts[names[i]][a0:a1]}
            for (i, j), (a0, a1, b0, b1) in zip(pairs.tolist(), spans.tolist())]


def _passages(texts: dict[str, str], min_len: int, partners: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The rows of :func:`shared_passages`, in the same order, as numbers: the sorted names, the pairs
    (rows i, j: indices into the names) and the spans (rows a_start, a_end, b_start, b_end)."""
    if min_len < 2:
        raise ValueError("min_len must be at least 2")
    if partners < 1:
        raise ValueError("partners must be at least 1")
    names = sorted(texts)
    windows = [_Windows(texts[name], min_len) for name in names]
    candidates = _candidates(windows, partners)

    # candidates are sorted by their first plan, the one whose passages are trimmed: its marks are
    # built once for its pairs and dropped after them (one plan's marks at a time, not the corpus')
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pair in candidates:
        groups[pair[0]].append(pair)

    def one_plan(i: int) -> list[np.ndarray]:
        marks = _Marks(texts[names[i]])
        return [_pair_passages(texts[names[i]], texts[names[j]], windows[i], windows[j], min_len, marks)
                for _, j in groups[i]]

    firsts = list(groups)
    if THREADS > 1 and len(firsts) > 1:  # numpy releases the GIL; results stay in the order of the pairs
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = [found for block in pool.map(one_plan, firsts) for found in block]
    else:
        results = [found for i in firsts for found in one_plan(i)]
    candidates = [pair for i in firsts for pair in groups[i]]
    pairs, spans = [], []
    for (i, j), found in zip(candidates, results):
        if len(found):
            pairs.append(np.full((len(found), 2), (i, j), dtype=np.int64))
            spans.append(found)
    pairs = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)
    spans = np.concatenate(spans) if spans else _NONE
    order = np.lexsort((spans[:, 2], spans[:, 0], pairs[:, 1], pairs[:, 0]))  # names are sorted: index order is name order
    return names, pairs[order], spans[order]


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


#: The columns of the tasks table text reuse reads (:func:`reuse_table`, :func:`share_table`).
TASK_COLUMNS = ("plan_id", "task_id", "part", "title", "char_start", "char_end")


def text_reuse(corpus, *, min_len: int = MIN_LEN, partners: int = PARTNERS) -> pd.DataFrame:
    """Passages each plan shares word for word with its ``partners`` closest plans, with the tasks they stand in.

    Columns: plan_a, task_a, plan_b, task_b, passage, length, a_start, a_end,
    b_start, b_end (offsets into each plan's normalized text).
    """
    return reuse_table({plan.plan_id: plan.text for plan in corpus}, corpus.tasks, min_len=min_len,
                       partners=partners)


@dataclass(frozen=True)
class ReuseInputs:
    """All that text reuse reads of a corpus, for a process that has no corpus (one started afresh shares
    no memory with the run and is sent these pickled; it imports this module, not the similarity's)."""

    #: each plan's normalized text by plan_id, in the corpus' order
    texts: dict[str, str]
    #: the tasks' :data:`TASK_COLUMNS`
    tasks: pd.DataFrame
    #: ``min_len`` and ``partners`` where given
    options: dict

    @classmethod
    def of(cls, corpus, options: dict) -> ReuseInputs:
        return cls({plan.plan_id: plan.text for plan in corpus}, corpus.tasks[list(TASK_COLUMNS)], dict(options))


def build_tables(inputs: ReuseInputs) -> dict[str, pd.DataFrame]:
    """The text reuse stage's tables (``text_reuse``, ``reuse_share``) from ``inputs``: those
    :func:`text_reuse` and :func:`reuse_share` build from the corpus.  The texts are dropped from
    ``inputs`` once read (the process beside holds its tables alone while it writes them, as the run
    builds the similarity's peak)."""
    table = reuse_table(inputs.texts, inputs.tasks, **inputs.options)
    inputs.texts.clear()
    return_free_memory()  # the passages' garbage, before the shares' peak
    tables = {"text_reuse": table, "reuse_share": share_table(inputs.tasks, table)}
    return_free_memory()  # the stage's garbage, before its tables are written
    return tables


def reuse_table(texts: dict[str, str], tasks: pd.DataFrame, *, min_len: int = MIN_LEN,
                partners: int = PARTNERS) -> pd.DataFrame:
    """:func:`text_reuse` from what it reads of a corpus: each plan's normalized text by plan_id and the
    tasks (their :data:`TASK_COLUMNS` suffice), as a process given no corpus builds it."""
    names, pairs, spans = _passages(texts, min_len, partners)
    return_free_memory()  # the windows' many small arrays, before the table's strings take their place
    columns = schema.SCHEMAS["text_reuse"]
    # the string columns are taken from short arrays (plan names, task ids, distinct passages) by
    # index: no Python string per row (a million rows at 1,000 plans)
    plan_names = pd.array(names, dtype=columns["plan_a"])
    task_ids = pd.array([*tasks["task_id"].tolist(), ""], dtype=columns["task_a"])  # last: no task
    place = {name: i for i, name in enumerate(names)}
    task_plan = np.array([place.get(p, -1) for p in tasks["plan_id"].tolist()], dtype=np.int64)
    starts, ends = tasks["char_start"].to_numpy(dtype=np.int64), tasks["char_end"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({
        "plan_a": plan_names.take(pairs[:, 0]),
        "task_a": task_ids.take(_task_rows(task_plan, starts, ends, pairs[:, 0], spans[:, 0])),
        "plan_b": plan_names.take(pairs[:, 1]),
        "task_b": task_ids.take(_task_rows(task_plan, starts, ends, pairs[:, 1], spans[:, 2])),
        "passage": _passage_strings(texts, names, pairs[:, 0], spans[:, 0], spans[:, 1], columns["passage"]),
        "length": spans[:, 1] - spans[:, 0],
        "a_start": spans[:, 0], "a_end": spans[:, 1], "b_start": spans[:, 2], "b_end": spans[:, 3],
    })
    return schema.check("text_reuse", out.astype(columns))


def _passage_strings(texts: dict[str, str], names: list[str], plan: np.ndarray, start: np.ndarray, end: np.ndarray,
                     dtype) -> pd.api.extensions.ExtensionArray:
    """``texts[names[plan]][start:end]`` of each row as an array of ``dtype`` (pandas' Arrow strings).

    The column's UTF-8 bytes are copied from each plan's encoded text straight into one buffer, a
    plan at a time: no Python string per row or per distinct passage.  At 1,000 plans (a million
    rows, 138 MB of passages) cutting strings and taking them by row took about 0.3 GB more at its peak.
    """
    import pyarrow as pa

    if not len(plan):
        return pd.array([], dtype=dtype)
    first = np.zeros(len(plan), dtype=np.int64)  # each row's first byte in its plan's UTF-8
    sizes = np.zeros(len(plan), dtype=np.int64)  # and its number of bytes
    by_plan = np.argsort(plan, kind="stable")
    bounds = np.r_[0, np.flatnonzero(np.diff(plan[by_plan])) + 1, len(plan)]
    groups = {}
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        rows = by_plan[lo:hi]
        text = texts[names[int(plan[rows[0]])]]
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        width = 1 + (codes >= 0x80).astype(np.int64) + (codes >= 0x800) + (codes >= 0x10000)  # UTF-8 bytes a character
        byte_at = np.r_[0, np.cumsum(width)]
        first[rows], sizes[rows] = byte_at[start[rows]], byte_at[end[rows]] - byte_at[start[rows]]
        groups[lo] = rows
    offsets = np.r_[0, np.cumsum(sizes)]
    data = np.empty(int(offsets[-1]), dtype=np.uint8)
    for rows in groups.values():
        source = np.frombuffer(texts[names[int(plan[rows[0]])]].encode("utf-8"), dtype=np.uint8)
        n = sizes[rows]
        total = int(n.sum())
        if not total:
            continue
        # the source byte of each byte of these rows: a run from each row's first byte
        from_source = np.repeat(first[rows] - (np.cumsum(n) - n), n) + np.arange(total)
        if rows[-1] - rows[0] + 1 == len(rows):  # consecutive rows (text_reuse's, by plan): one run here
            data[offsets[rows[0]]:offsets[rows[0]] + total] = source[from_source]
        else:
            data[np.repeat(offsets[rows] - (np.cumsum(n) - n), n) + np.arange(total)] = source[from_source]
    column = pa.LargeStringArray.from_buffers(len(plan), pa.py_buffer(offsets), pa.py_buffer(data))
    return pd.arrays.ArrowStringArray(pa.chunked_array([column])).astype(dtype, copy=False)


def _task_rows(task_plan: np.ndarray, starts: np.ndarray, ends: np.ndarray, plan: np.ndarray,
               positions: np.ndarray) -> np.ndarray:
    """The row of the task whose span (``starts``, ``ends``, in plan ``task_plan``) holds each (plan,
    position); ``len(starts)`` where none does (a preamble)."""
    none = len(starts)
    if not none:
        return np.zeros(len(plan), dtype=np.int64)
    pos = positions.astype(np.int64)
    span = int(max(ends.max(initial=0), pos.max(initial=0))) + 2
    order = np.lexsort((starts, task_plan))  # by plan, then start: one sorted key for every plan
    keys = task_plan[order] * span + starts[order]
    i = np.searchsorted(keys, plan.astype(np.int64) * span + pos, side="right") - 1  # the last task starting at or before
    j = order[np.maximum(i, 0)]
    inside = (i >= 0) & (task_plan[j] == plan) & (pos < ends[j])
    return np.where(inside, j, none)


def reuse_share(corpus, reuse: pd.DataFrame | None = None, *, min_len: int = MIN_LEN) -> pd.DataFrame:
    """Per task: how many of its characters stand in a passage shared with another plan.

    Columns: plan_id, task_id, part, title, n_chars, reused_chars, share,
    sources (the other plans, most shared first).  A share near 0 marks a
    local innovation, near 1 a copied task.
    """
    reuse = text_reuse(corpus, min_len=min_len) if reuse is None else reuse
    return share_table(corpus.tasks, reuse)


def share_table(tasks: pd.DataFrame, reuse: pd.DataFrame) -> pd.DataFrame:
    """:func:`reuse_share` from the corpus' tasks (their :data:`TASK_COLUMNS` suffice) and its text reuse."""
    ids = tasks["task_id"].to_numpy(dtype=object)
    # both sides of every passage as numbers: the task's row ("" or an unknown task: -1), the other
    # plan's rank among the plans named (in the order of their names), the span cut to the task
    row_of = {task_id: i for i, task_id in enumerate(ids.tolist())}
    named = plans_named(reuse)
    rank = {name: i for i, name in enumerate(named)}
    # 32-bit numbers where they fit (always, for texts of at most config.MAX_TEXT_CHARS): two rows a
    # passage, at 1,000 plans 2 million of them; 64-bit took about 0.06 GB more at this stage's peak
    ends = [tasks["char_end"], reuse["a_end"], reuse["b_end"]]
    pos = np.int32 if max(int(column.max()) if len(column) else 0 for column in ends) < 2**31 else np.int64
    task = np.concatenate([_lookup(reuse["task_a"], row_of, -1, np.int32), _lookup(reuse["task_b"], row_of, -1, np.int32)])
    other = np.concatenate([_lookup(reuse["plan_b"], rank, -1, np.int32), _lookup(reuse["plan_a"], rank, -1, np.int32)])
    start = np.concatenate([reuse["a_start"].to_numpy(dtype=pos), reuse["b_start"].to_numpy(dtype=pos)])
    end = np.concatenate([reuse["a_end"].to_numpy(dtype=pos), reuse["b_end"].to_numpy(dtype=pos)])
    known = task >= 0
    task, other, start, end = task[known], other[known], start[known], end[known]
    start = np.maximum(start, tasks["char_start"].to_numpy(dtype=pos)[task])
    end = np.minimum(end, tasks["char_end"].to_numpy(dtype=pos)[task])
    inside = end > start
    task, other, start, end = task[inside], other[inside], start[inside], end[inside]
    got = _union_lengths(task, start, end, len(ids))
    # characters shared with each other plan, per task: its sources, most shared first, ties by plan
    key = task.astype(np.int64) * max(len(named), 1) + other
    order = np.argsort(key, kind="stable")
    key = key[order]
    firsts = run_starts(key)
    chars = np.add.reduceat((end - start)[order], firsts, dtype=np.int64) if len(key) else np.zeros(0, dtype=np.int64)
    key_task, key_other = np.divmod(key[firsts], max(len(named), 1))
    ranked = np.lexsort((key_other, -chars, key_task))
    by_task: dict[int, list[str]] = defaultdict(list)
    for i, o in zip(key_task[ranked].tolist(), key_other[ranked].tolist()):
        by_task[i].append(named[o])
    n = (tasks["char_end"] - tasks["char_start"]).to_numpy(dtype=np.int64)
    rows = {
        "plan_id": tasks["plan_id"].to_numpy(dtype=object), "task_id": ids, "part": tasks["part"].to_numpy(),
        "title": tasks["title"].to_numpy(dtype=object), "n_chars": n, "reused_chars": got,
        "share": [round(r / c, 4) if c else 0.0 for r, c in zip(got.tolist(), n.tolist())],
        "sources": [",".join(by_task.get(i, ())) for i in range(len(ids))],
    }
    return schema.check("reuse_share", schema.frame("reuse_share", rows))


def plans_named(reuse: pd.DataFrame) -> list[str]:
    """The plans a ``text_reuse`` table names (either side), sorted."""
    return sorted(set(pd.unique(reuse["plan_a"]).tolist()) | set(pd.unique(reuse["plan_b"]).tolist()))


def _lookup(values: pd.Series, codes: dict, missing: int, dtype=np.int64) -> np.ndarray:
    """``codes[value]`` of each value (``missing`` where it has none) as ``dtype``, each distinct value
    looked up once."""
    found, uniques = pd.factorize(values)
    table = np.array([codes.get(u, missing) for u in uniques.tolist()] + [missing], dtype=dtype)
    return table[found]  # a missing value (code -1) takes the last entry


def _union_lengths(keys: np.ndarray, starts: np.ndarray, ends: np.ndarray, n: int) -> np.ndarray:
    """Length of the union of the intervals of each key (0 … n - 1): characters covered, per key."""
    if not len(keys):
        return np.zeros(n, dtype=np.int64)
    order = np.lexsort((starts, keys))
    keys, starts, ends = keys[order].astype(np.int64), starts[order], ends[order]
    shift = int(ends.max()) + 1  # groups apart, so a running maximum never crosses into the next key
    reach = np.maximum.accumulate(keys * shift + ends)
    before = np.r_[-1, reach[:-1]]
    first = np.r_[True, keys[1:] != keys[:-1]]
    before = np.where(first, starts, before - keys * shift)  # the furthest end of the key's earlier intervals
    covered = np.maximum(ends - np.maximum(starts, before), 0)
    return np.bincount(keys, weights=covered, minlength=n).astype(np.int64)


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
