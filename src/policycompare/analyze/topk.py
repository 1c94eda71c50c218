"""The corpus-wide top-k of a sparse matrix's rows by dot product, never an all-pairs matrix.

:func:`top_k_matches` is the engine behind ``similarity.task_similarity`` (and the block
helpers behind ``plan_similarity``): blocks of rows, an exact path that takes the faster
method for each block's density (a sparse product cut with ``argpartition``, or a dense
float32 screen whose near-k-th entries are rescored exactly), and a candidate search beyond
``EXACT_MAX_TASKS`` rows (feature groups searched separately, duplicates scored once,
matches of matches) whose scores are always exact.  Ties go to the lower row.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from .arrays import ranks_in_runs

#: Task rows multiplied at once in the corpus-wide top-k (memory ~ block x matching tasks).
BLOCK_ROWS = 512
#: Threads working on blocks of rows at once in the corpus-wide top-k (1: no threads).
THREADS = 2
#: Up to this many tasks the corpus-wide top-k is exact; beyond, candidates first (see top_k_matches).
EXACT_MAX_TASKS = 5_000
#: Candidates per task (shared by the feature groups searched: words, characters), and how many of a
#: task's heaviest features in each group are used to find them.
CANDIDATES = 50
CANDIDATE_FEATURES = 30
#: ...of which a task searches with the rarest while the tasks they occur in add up to at most this many.
SEARCH_POSTINGS = 8_000
#: Rounds in which each task also scores the matches of its matches (a near-copy's near-copies): the
#: search's partial scores cannot order a family of near-copies, the exact scores of its members can.
NEIGHBOUR_ROUNDS = 1
#: Exact top-k: a block of rows whose product is expected to be this dense or more (the features of
#: its rows, each counted in as many rows as hold it, per entry of the product) is screened as a dense
#: array (:class:`_Screen`) instead of a sparse product: 1.0 is ~63 % of the entries non-zero, where
#: the sparse result's indices cost more than the entries they leave out.
DENSE_HITS = 1.0
#: ...in that screen, features held by more than this share of the rows are one dense float32 matrix
#: multiplied with BLAS (at most ``SCREEN_DENSE_BYTES`` of it); the rest stay sparse.
SCREEN_DENSE_SHARE = 0.05
SCREEN_DENSE_BYTES = 256_000_000
#: ...and a row's screened entries within this of its k-th best are rescored exactly: float32 sums
#: of a few hundred products of unit-row weights are off by ~1e-6, far below it.
SCREEN_TOLERANCE = 1e-4


#: Scores closer than this are a tie (broken by the lower row): sums of the same products in another
#: order (a sparse product, a dense one, a rescoring) differ in their last bits, never by this much.
TIE = 1e-12


def _snapped(values: np.ndarray) -> np.ndarray:
    """``values`` on a grid of ``TIE``: the key that orders scores, so that last-bit noise is a tie."""
    return np.round(values / TIE) * TIE


def _row_top_k(block: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` largest entries of every row of a sparse block: (row, column, value, rank).

    Vectorised: rows longer than ``k`` are grouped by length (within 25 %),
    padded into chunks of a bounded dense buffer (at most ~4M values, a copy
    of the row data) and cut with ``np.argpartition``; every entry at least
    the k-th value (within ``TIE``) is kept (ties across the cut included), so
    the final sort by (value desc, column asc) decides ties deterministically.
    """
    indptr, indices, data = block.indptr, block.indices, block.data
    lengths = np.diff(indptr)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    big = lengths > k
    small = ~big[row_of]
    rows, cols, vals = [row_of[small]], [indices[small]], [data[small]]
    big_rows = np.flatnonzero(big)
    if len(big_rows):
        big_rows = big_rows[np.argsort(lengths[big_rows], kind="stable")]
        bucket = np.floor(np.log(lengths[big_rows]) / np.log(1.25)).astype(np.int64)
        edges = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1], True])
        for b0, b1 in zip(edges[:-1].tolist(), edges[1:].tolist()):
            group = big_rows[b0:b1]
            width = int(lengths[group[-1]])
            chunk = max(1, 4_000_000 // width)
            pos = np.arange(width)
            for c0 in range(0, len(group), chunk):
                rows_c = group[c0:c0 + chunk]
                mask = pos[None, :] < lengths[rows_c][:, None]
                idx = np.where(mask, indptr[rows_c][:, None] + pos[None, :], 0)
                padded = np.where(mask, data[idx], -np.inf)
                part = np.argpartition(-padded, k - 1, axis=1)[:, :k]
                kth = np.take_along_axis(padded, part, axis=1).min(axis=1)
                hit_r, hit_p = np.nonzero(padded >= kth[:, None] - TIE)  # the k best and every entry tied with the k-th
                picked = idx[hit_r, hit_p]
                rows.append(rows_c[hit_r])
                cols.append(indices[picked])
                vals.append(data[picked])
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.lexsort((cols, -_snapped(vals), rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    rank = ranks_in_runs(rows)
    keep = rank < k
    return rows[keep], cols[keep].astype(np.int64), vals[keep], rank[keep] + 1


def _search_matrix(matrix: sparse.csr_matrix, features: int, postings: int) -> sparse.csr_matrix:
    """Each row's search features: of its ``features`` heaviest (ties: lower column), the rarest first
    while the rows they occur in add up to at most ``postings`` (at least one feature per row)."""
    r, c, v, _ = _row_top_k(matrix, features)
    cost = np.bincount(matrix.indices, minlength=matrix.shape[1])[c]
    order = np.lexsort((c, cost, r))
    r, c, v, cost = r[order], c[order], v[order], cost[order]
    total = np.cumsum(cost)
    rank = ranks_in_runs(r)
    base = (total - cost)[np.arange(len(r)) - rank]  # the running total before each row's first feature
    keep = (rank == 0) | (total - base <= postings)
    return sparse.csr_matrix((v[keep], (r[keep], c[keep])), shape=matrix.shape)


def pair_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray, start: int, stop: int,
               step: int = 128) -> np.ndarray:
    """Exact dot products ``matrix[rows[i]] · matrix[cols[i]]`` for rows in ``[start, stop)`` (``rows`` sorted).

    ``step`` rows at a time (:func:`block_dots`): the dense layout of a block
    and the partner rows it is multiplied with stay a few tens of megabytes.
    """
    edges = [*range(start, stop, step), stop]
    cuts = np.searchsorted(rows, edges).tolist()  # where each step's rows begin in ``rows``
    parts = [block_dots(matrix, rows[i:j], cols[i:j], a, b)
             for i, j, a, b in zip(cuts[:-1], cuts[1:], edges[:-1], edges[1:])]
    return np.concatenate(parts) if parts else np.zeros(0)


def block_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray, start: int, stop: int) -> np.ndarray:
    """:func:`pair_dots` of one block of rows.

    The block's rows are laid out dense (over the features they use, one
    flat vector); the entries of the rows ``matrix[cols]`` are looked up in
    that vector, each at its partner row's offset, multiplied and summed per
    pair in feature order (the sums of a sparse row-by-row product).
    """
    if not len(cols):
        return np.zeros(0)
    block = matrix[start:stop]
    used = np.unique(block.indices)
    width = len(used) + 1
    dtype = np.int32 if (stop - start) * width < 2**31 else np.int64
    lookup = np.full(matrix.shape[1], len(used), dtype=dtype)  # a feature the block lacks: a zero column
    lookup[used] = np.arange(len(used), dtype=dtype)
    dense = np.zeros((stop - start, width))
    dense[np.repeat(np.arange(stop - start), np.diff(block.indptr)), lookup[block.indices]] = block.data
    picked = matrix[cols]
    counts = np.diff(picked.indptr)
    flat = lookup[picked.indices]
    flat += np.repeat(((rows - start) * width).astype(dtype), counts)
    if not len(flat):
        return np.zeros(len(cols))
    sums = np.add.reduceat(picked.data * dense.ravel()[flat], np.minimum(picked.indptr[:-1], len(flat) - 1))
    sums[counts == 0] = 0.0
    return sums


def map_blocks(function, starts) -> list:
    """``[function(start) for start in starts]``, on ``THREADS`` threads (sparse products and numpy
    release the GIL); results in the order of ``starts``, so the output does not depend on the threads."""
    starts = list(starts)
    if THREADS < 2 or len(starts) < 2:
        return [function(start) for start in starts]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(function, starts))


class _Screen:
    """The rows in float32 for screening products: the features many rows hold as one dense matrix
    (a BLAS product), the others sparse.  ``block(start, stop)`` is ``matrix[start:stop] @ matrix.T``
    as a dense array, each entry within ~1e-6 of the exact dot product."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        n, width = matrix.shape
        df = np.bincount(matrix.indices, minlength=width)
        common = np.flatnonzero(df > SCREEN_DENSE_SHARE * n)
        cap = SCREEN_DENSE_BYTES // (4 * max(n, 1))
        if len(common) > cap:  # the most widely held first
            common = np.sort(common[np.argsort(-df[common], kind="stable")[:cap]])
        is_common = np.zeros(width, dtype=bool)
        is_common[common] = True
        columns = matrix.tocsc()
        self.dense = np.zeros((n, len(common)), dtype=np.float32)
        for c0 in range(0, len(common), 256):  # a few columns at a time: no float64 copy of the whole
            self.dense[:, c0:c0 + 256] = columns[:, common[c0:c0 + 256]].toarray()
        self.rare = columns[:, ~is_common].tocsr().astype(np.float32)
        self.rare_t = self.rare.T.tocsr()

    def block(self, start: int, stop: int) -> np.ndarray:
        out = self.dense[start:stop] @ self.dense.T
        part = self.rare[start:stop] @ self.rare_t
        out[np.repeat(np.arange(stop - start), np.diff(part.indptr)), part.indices] += part.data
        return out


def _screened_block(matrix: sparse.csr_matrix, screen: _Screen, duplicates: "_Duplicates", groups: np.ndarray,
                    start: int, stop: int, k: int) -> tuple[tuple, np.ndarray]:
    """Exact top-k of the rows ``[start, stop)`` from a dense float32 screen: every entry within
    ``SCREEN_TOLERANCE`` of the row's screened k-th best is rescored exactly, so no true top-k entry
    is missed (an entry's screened and exact values differ by far less than half the tolerance).
    Rows whose k-th best is not clearly above zero are returned apart (for the sparse product)."""
    approx = screen.block(start, stop)
    approx[groups[start:stop, None] == groups[None, :]] = -np.inf  # the row's own plan
    kk = min(k, approx.shape[1]) - 1
    kth = -np.partition(-approx, kk, axis=1)[:, kk]
    sure = kth >= SCREEN_TOLERANCE
    hit_r, hit_c = np.nonzero((approx >= (kth - SCREEN_TOLERANCE)[:, None]) & sure[:, None])
    del approx
    found = _rescored_once(matrix, duplicates, groups, hit_r + start, hit_c, start, stop, k, limit=matrix.shape[0])
    return found, np.flatnonzero(~sure) + start


def _expected_hits(matrix: sparse.csr_matrix, df: np.ndarray, start: int, stop: int) -> float:
    """Entries the sparse product of rows ``[start, stop)`` with all rows adds up, per entry of its result."""
    lo, hi = matrix.indptr[start], matrix.indptr[stop]
    return float(df[matrix.indices[lo:hi]].sum()) / max(1, (stop - start) * matrix.shape[0])


def top_k_matches(matrix: sparse.csr_matrix, groups: np.ndarray, k: int, block_rows: int = BLOCK_ROWS,
                  candidates: int | None = None, feature_groups: tuple[int, ...] = ()
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every row, its ``k`` best-scoring rows of OTHER groups (plans) by dot product.

    Returns ``(row_a, row_b, score, rank)`` arrays, rank 1 = best.  Ties go to
    the lower row index, so output is deterministic (and the same whatever
    ``block_rows`` and ``THREADS``).  Works on ``block_rows`` rows at a time.

    ``candidates=0`` is exact, by the faster method for each block's density
    (:func:`_expected_hits`): a sparse block (``X[i:j] @ X.T``, sparse result)
    has its k best cut with ``argpartition`` on each row's data; rows of the
    same group are pushed below zero by one extra signed column per group
    (``[x, -√2·e_g] · [y, √2·e_h] = x·y - 2·[g = h]``).  A dense block (at
    least ``DENSE_HITS``) is screened as a dense float32 array
    (:class:`_Screen`: BLAS on the widely held features), each row's entries
    within ``SCREEN_TOLERANCE`` of its k-th best are cut with
    ``np.partition`` and rescored exactly.

    ``candidates`` (default: 0 up to ``EXACT_MAX_TASKS`` rows, else
    ``CANDIDATES``): with n > 0, candidate pairs come from a search in each
    group of columns (``feature_groups``: where each group begins; the word
    and the character block), are rescored exactly, the matches of matches
    added (:func:`_candidate_top_k`) and cut to k.  Scores returned are always
    exact; a true top-k match is missed only if the search did not propose it
    (recall measured in the README).
    """
    n = matrix.shape[0]
    groups = np.asarray(groups, dtype=np.int64)
    empty = (np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=np.float64),
             np.array([], dtype=np.int64))
    if n == 0 or k <= 0:
        return empty
    if candidates is None:
        candidates = 0 if n <= EXACT_MAX_TASKS else CANDIDATES
    matrix = matrix.tocsr()
    if candidates:
        return _candidate_top_k(matrix, groups, k, candidates, block_rows, empty, feature_groups)
    n_groups = int(groups.max()) + 1
    tag = sparse.csr_matrix((np.full(n, np.sqrt(2.0)), (np.arange(n), groups)), shape=(n, n_groups))
    left = sparse.hstack([matrix, -tag], format="csr")
    right_t = sparse.hstack([matrix, tag], format="csr").T.tocsr()  # CSR once: a CSC operand is converted per block
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    dense_rows = max(1, min(block_rows, 2**25 // n))  # a dense block holds ~32M float32 entries at most
    starts = []
    for start in range(0, n, block_rows):
        stop = min(start + block_rows, n)
        if _expected_hits(matrix, df, start, stop) >= DENSE_HITS:
            starts += [(s, min(s + dense_rows, stop), True) for s in range(start, stop, dense_rows)]
        else:
            starts.append((start, stop, False))
    screen = duplicates = None
    if any(dense for _, _, dense in starts):
        screen, duplicates = _Screen(matrix), _Duplicates(matrix)

    def sparse_rows(rows: np.ndarray):
        block = left[rows] @ right_t
        block.data[block.data <= 1e-12] = 0.0
        block.eliminate_zeros()
        r, cols, vals, rank = _row_top_k(block, k)
        return rows[r].astype(np.int64), cols, vals, rank.astype(np.int64)

    def one_block(part):
        start, stop, dense = part
        if not dense:
            return sparse_rows(np.arange(start, stop))
        found, rest = _screened_block(matrix, screen, duplicates, groups, start, stop, k)
        if not len(rest):
            return found
        other = sparse_rows(rest)
        rows = np.concatenate([found[0], other[0]])
        order = np.argsort(rows, kind="stable")  # each row's entries stay together, in rank order
        return tuple(np.concatenate([found[i], other[i]])[order] for i in range(4))

    out = map_blocks(one_block, starts)
    return tuple(np.concatenate([part[i] for part in out] + [empty[i]]) for i in range(4))


#: Rows sorted at a time to digest their content (:class:`_Duplicates`).
DIGEST_ROWS = 2_048


class _Duplicates:
    """Rows with the same features and values (a task copied word for word): their scores with any row
    are equal, so each is scored once, by its first row, and the others share that score."""

    def __init__(self, matrix: sparse.csr_matrix) -> None:
        n = matrix.shape[0]

        def contents(start: int, stop: int):
            """The content of each row in ``[start, stop)``: its features in order and their values.  The
            rows are sorted a block at a time (a sorted copy of the whole matrix took 0.1 GB at 1,000 plans)."""
            block = matrix[start:stop]
            if not block.has_sorted_indices:
                block = block.sorted_indices()
            ind, dat, ptr = block.indices, block.data, block.indptr.tolist()
            for a, b in zip(ptr[:-1], ptr[1:]):
                yield ind[a:b].tobytes() + dat[a:b].tobytes()

        ind, dat, ptr = matrix.indices, matrix.data, matrix.indptr

        def content(i: int) -> bytes:  # one row's, as contents() gives it (its features are distinct)
            a, b = ptr[i], ptr[i + 1]
            order = np.argsort(ind[a:b], kind="stable")
            return ind[a:b][order].tobytes() + dat[a:b][order].tobytes()

        first: dict[bytes, int] = {}  # a digest of each row's content -> the first row with it
        digests = (hashlib.blake2b(row, digest_size=16).digest()
                   for start in range(0, n, DIGEST_ROWS) for row in contents(start, min(start + DIGEST_ROWS, n)))
        self.first = np.fromiter((first.setdefault(digest, i) for i, digest in enumerate(digests)),
                                 dtype=np.int64, count=n)
        for i in np.flatnonzero(self.first != np.arange(n)).tolist():  # the same digest: the same content?
            if content(i) != content(int(self.first[i])):
                self.first[i] = i
        self.members = np.lexsort((np.arange(n), self.first))  # rows by their first row, then in order
        by_first = self.first[self.members]
        self.start = np.searchsorted(by_first, np.arange(n))
        self.count = np.searchsorted(by_first, np.arange(n), side="right") - self.start

    def expand(self, rows: np.ndarray, firsts: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """Each pair (row, first row of a class) as pairs (row, member), the class' first ``limit`` members."""
        count = np.minimum(self.count[firsts], limit)
        ends = np.cumsum(count)
        offset = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - count, count)
        return np.repeat(rows, count), self.members[np.repeat(self.start[firsts], count) + offset]


def _rescored_once(matrix: sparse.csr_matrix, duplicates: _Duplicates, groups: np.ndarray, rows: np.ndarray,
                   cols: np.ndarray, start: int, stop: int, k: int, limit: int | None = None):
    """Candidate pairs (``rows`` sorted, in ``[start, stop)``) scored exactly (:func:`pair_dots`),
    zeros and the row's own group left out, each row's ``k`` best kept (ties: lower column).  Each
    duplicate class is scored once: a candidate stands for its class, whose first ``limit`` members
    (default ``2k``; all of them for an exact result) share the class' score."""
    limit = 2 * k if limit is None else limit
    n = matrix.shape[0]
    key = np.unique(rows * n + duplicates.first[cols])
    rows, firsts = np.divmod(key, n)
    vals = pair_dots(matrix, rows, firsts, start, stop)
    keep = vals > 1e-12
    rows, firsts, vals = rows[keep], firsts[keep], vals[keep]
    count = np.minimum(duplicates.count[firsts], limit)
    rows, cols = duplicates.expand(rows, firsts, limit)
    vals = np.repeat(vals, count)
    keep = groups[rows] != groups[cols]
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((cols, -_snapped(vals), rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    rank = ranks_in_runs(rows) + 1
    keep = rank <= k
    return rows[keep].astype(np.int64), cols[keep].astype(np.int64), vals[keep], rank[keep].astype(np.int64)


def _candidate_top_k(matrix, groups, k, candidates, block_rows, empty, feature_groups):
    """:func:`top_k_matches` from candidate pairs, rescored exactly.

    Each feature group (``feature_groups``: column bounds, such as the word and
    the character block) is searched on its own (:func:`_search_matrix`) and
    proposes ``candidates / groups`` candidates by its partial score: a task
    whose rarest characters are its own typos still finds its near-copies by
    its words, and the other way round.  Candidates are scored exactly, one row
    per duplicate class (:class:`_Duplicates`); then, ``NEIGHBOUR_ROUNDS``
    times, each task also scores the matches of its matches.
    """
    n, width = matrix.shape
    n_groups = int(groups.max()) + 1
    tag = sparse.csr_matrix((np.full(n, np.sqrt(2.0)), (np.arange(n), groups)), shape=(n, n_groups))
    # partial scores only choose candidates: float32 (half the memory traffic; the exact scores come after),
    # cast before the stacking and transposing (no float64 copies of the whole matrix on the way)
    right_t = sparse.hstack([matrix.astype(np.float32), tag.astype(np.float32)], format="csr").T.tocsr()
    bounds = [0, *sorted({b for b in (feature_groups or ()) if 0 < b < width}), width]
    share = max(k, -(-candidates // (len(bounds) - 1)))
    lefts = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        part = matrix[:, lo:hi].tocsr()
        search = _search_matrix(part, CANDIDATE_FEATURES, SEARCH_POSTINGS)
        search = sparse.csr_matrix((search.data, search.indices + lo, search.indptr), shape=matrix.shape)
        lefts.append(sparse.hstack([search, -tag], format="csr").astype(np.float32))
    del tag, part, search  # the column group's copy is not kept through the search (~70 MB at 1,000 plans)
    duplicates = _Duplicates(matrix)

    def one_block(start: int):
        stop = min(start + block_rows, n)
        rows, cols = [], []
        for left in lefts:
            block = left[start:stop] @ right_t
            block.data[block.data <= 1e-12] = 0.0
            block.eliminate_zeros()
            r, c, _, _ = _row_top_k(block, share)
            rows.append(r + start)
            cols.append(c)
        return _rescored_once(matrix, duplicates, groups, np.concatenate(rows), np.concatenate(cols), start, stop, k)

    out = map_blocks(one_block, range(0, n, block_rows))
    found = tuple(np.concatenate([part[i] for part in out] + [empty[i]]) for i in range(4))
    for _ in range(NEIGHBOUR_ROUNDS):
        found = _neighbour_round(matrix, duplicates, groups, found, k, block_rows, empty)
    return found


def _neighbour_round(matrix, duplicates, groups, found, k, block_rows, empty):
    """Each row's matches and the matches of its matches, scored exactly and cut to ``k``."""
    n = matrix.shape[0]
    a, b, _, r = found
    table = np.full((n + 1, k), n, dtype=np.int64)  # row n: "no match", itself without matches
    table[a, r - 1] = b

    def one_block(start: int):
        stop = min(start + block_rows, n)
        mine = table[start:stop]
        cols = np.concatenate([mine, table[mine].reshape(stop - start, -1)], axis=1)
        rows = np.repeat(np.arange(start, stop), cols.shape[1])
        cols = cols.ravel()
        keep = cols < n
        return _rescored_once(matrix, duplicates, groups, rows[keep], cols[keep], start, stop, k)

    out = map_blocks(one_block, range(0, n, block_rows))
    return tuple(np.concatenate([part[i] for part in out] + [empty[i]]) for i in range(4))
