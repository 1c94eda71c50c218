"""Term counts of many documents at once, for the TF-IDF fit of the task model (numpy, no loop per n-gram).

scikit-learn's ``TfidfVectorizer.fit_transform`` counts terms in Python, one
dictionary lookup per token or character n-gram: at 1,000 plans (34,000 tasks,
some 20 million n-grams) that is most of the task model's fit.  This module
counts the same terms with arrays:

* :func:`token_counts`: the documents' tokens are factorized once
  (two dictionaries built at C speed); a spelling function runs once per
  distinct token;
* :func:`char_gram_counts`: the documents are joined into one array of code
  points; an n-gram of text characters is one integer (16 bits per character,
  text characters are all below U+A000), the n-grams of every document are
  made by array shifts, then factorized.

Both return :class:`Counts`, the count matrix exactly as scikit-learn's
``CountVectorizer`` counts: terms numbered in order of first occurrence, each
row's entries in that order.  :class:`Vectorizer` is a TF-IDF vectorizer whose
``fit_transform`` also takes such counts; it does the steps after counting as
``CountVectorizer.fit_transform`` does (max_df/min_df pruning, the sorted
vocabulary) and hands the count matrix to scikit-learn's public
``TfidfTransformer`` (idf, sublinear tf, the L2 norm), so the fitted vectorizer
and its matrix are the same, down to the order of each row's entries (which
decides the order of float sums in later products).  New documents are counted
by a ``CountVectorizer`` with the fitted vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from numbers import Integral

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer

#: Code point ranges of the characters n-grams are made of (CJK unified ideographs, ASCII letters and
#: digits); every other character separates runs.  ``similarity.char_grams`` splits at the same
#: characters (a test checks every code point).
TEXT_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x4E00, 0x9FFF))
_BITS = 16  # every text character is below 2**16
_MAX_SIZE = 3  # n-grams up to 3 characters fit in an int64


@dataclass
class Counts:
    """``matrix[d, j]``: how often term ``terms[j]`` occurs in document ``d`` (float64 CSR, canonical);
    terms numbered in order of their first occurrence, the documents read in order."""

    matrix: sparse.csr_matrix
    terms: list[str]


class Vectorizer:
    """A TF-IDF vectorizer whose ``fit``/``fit_transform`` also take :class:`Counts` instead of documents
    (and then take over the counts' matrix: it becomes the fitted matrix).

    Built from scikit-learn's public parts only: with documents it is a ``TfidfVectorizer``; with
    counts, the steps after counting are done here as ``CountVectorizer.fit_transform`` does them
    (binary, max_df/min_df/max_features pruning, the sorted vocabulary), the idf is a
    ``TfidfTransformer`` fitted on the count matrix, and new documents are counted by a
    ``CountVectorizer`` with the fitted vocabulary.  The same vocabulary, idf and matrix, bit for bit
    (tests/analyze/test_similarity.py compares them with ``TfidfVectorizer``'s own fit).
    Parameters are ``TfidfVectorizer``'s.
    """

    def __init__(self, **params):
        self.params = TfidfVectorizer(**params).get_params()
        self.vocabulary_: dict[str, int] | None = None
        self.fitted: TfidfVectorizer | tuple[CountVectorizer, TfidfTransformer] | None = None

    def get_params(self, deep: bool = True) -> dict:
        return dict(self.params)

    def set_params(self, **params) -> Vectorizer:
        self.params = TfidfVectorizer(**{**self.params, **params}).get_params()
        return self

    @property
    def idf_(self) -> np.ndarray:
        fitted = self.fitted
        return fitted.idf_ if isinstance(fitted, TfidfVectorizer) else fitted[1].idf_

    def fit(self, documents, y=None) -> Vectorizer:
        self.fit_transform(documents)
        return self

    def fit_transform(self, documents, y=None) -> sparse.csr_matrix:
        if not isinstance(documents, Counts):
            vectorizer = TfidfVectorizer(**self.params)
            matrix = vectorizer.fit_transform(documents)
            self.fitted, self.vocabulary_ = vectorizer, vectorizer.vocabulary_
            return matrix
        vocabulary, matrix = self._counted(documents)
        idf_params = TfidfTransformer().get_params()
        tfidf = TfidfTransformer(**{key: self.params[key] for key in idf_params})
        tfidf.fit(matrix)
        counter = CountVectorizer(**{key: value for key, value in self.params.items() if key not in idf_params})
        counter.set_params(vocabulary=vocabulary)
        self.fitted, self.vocabulary_ = (counter, tfidf), vocabulary
        return tfidf.transform(matrix, copy=False)

    def transform(self, documents) -> sparse.csr_matrix:
        if self.fitted is None:
            raise ValueError("the vectorizer is not fitted")
        if isinstance(self.fitted, TfidfVectorizer):
            return self.fitted.transform(documents)
        counter, tfidf = self.fitted
        return tfidf.transform(counter.transform(documents), copy=False)

    def _counted(self, counts: Counts) -> tuple[dict[str, int], sparse.csr_matrix]:
        """The vocabulary and count matrix ``CountVectorizer.fit_transform`` makes of the same counts:
        its steps after counting, in its order (the entries of each row stay in the counted order)."""
        if self.params["vocabulary"] is not None:
            raise ValueError("counts fit a vectorizer without a fixed vocabulary")
        if counts.matrix is None:
            raise ValueError("these counts were used by an earlier fit")
        if not counts.terms:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        matrix, counts.matrix = counts.matrix, None  # used up: freed as scikit-learn's own counts are
        vocabulary = dict(zip(counts.terms, range(len(counts.terms))))
        if self.params["binary"]:
            matrix.data.fill(1)
        max_df, min_df, max_features = self.params["max_df"], self.params["min_df"], self.params["max_features"]
        n_doc = matrix.shape[0]
        high = max_df if isinstance(max_df, Integral) else max_df * n_doc
        low = min_df if isinstance(min_df, Integral) else min_df * n_doc
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        if max_features is not None:
            matrix = _sort_terms(matrix, vocabulary)
        matrix = _prune_terms(matrix, vocabulary, high, low, max_features)
        if max_features is None:
            matrix = _sort_terms(matrix, vocabulary)
        return vocabulary, matrix


def _sort_terms(matrix: sparse.csr_matrix, vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Terms numbered in sorted order (``vocabulary`` changed in place); each row's entries keep their order."""
    remap = np.empty(len(vocabulary), dtype=matrix.indices.dtype)
    for new, (term, old) in enumerate(sorted(vocabulary.items())):
        vocabulary[term] = new
        remap[old] = new
    matrix.indices = remap.take(matrix.indices, mode="clip")
    return matrix


def _prune_terms(matrix: sparse.csr_matrix, vocabulary: dict[str, int], high: float, low: float,
                 limit: int | None) -> sparse.csr_matrix:
    """Terms in more than ``high`` or fewer than ``low`` documents left out, and all but the ``limit``
    most frequent (``vocabulary`` changed in place)."""
    docs = np.bincount(matrix.indices, minlength=matrix.shape[1])  # documents each term occurs in
    mask = (docs <= high) & (docs >= low)
    if limit is not None and mask.sum() > limit:
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        keep = np.zeros(len(docs), dtype=bool)
        keep[np.where(mask)[0][(-totals[mask]).argsort()[:limit]]] = True
        mask = keep
    new_numbers = np.cumsum(mask) - 1
    for term, old in list(vocabulary.items()):
        if mask[old]:
            vocabulary[term] = new_numbers[old]
        else:
            del vocabulary[term]
    kept = np.where(mask)[0]
    if len(kept) == 0:
        raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    return matrix[:, kept]


class _Rows:
    """Count rows added chunk after chunk: occurrences (document, term id) -> CSR pieces."""

    def __init__(self):
        self.pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, docs: np.ndarray, ids: np.ndarray, n_docs: int) -> None:
        """``docs``: the document (0 to ``n_docs - 1``, non-decreasing) of each occurrence; ``ids``: its term."""
        indptr = np.r_[0, np.cumsum(np.bincount(docs, minlength=n_docs))]
        rows = sparse.csr_matrix((np.ones(len(ids), dtype=np.int32), ids, indptr),
                                 shape=(n_docs, int(ids.max()) + 1 if len(ids) else 0))
        rows.sum_duplicates()  # each row's term ids ascending, repeats added up
        self.pieces.append((np.diff(rows.indptr), rows.indices, rows.data))

    def matrix(self, n_terms: int) -> sparse.csr_matrix:
        """All the rows, float64 counts (as scikit-learn's count matrix: int32 indices up to 2**31 entries);
        the pieces are freed one by one as they are copied."""
        nnz = sum(len(p[1]) for p in self.pieces)
        index = np.int64 if max(nnz, n_terms) > np.iinfo(np.int32).max else np.int32
        indptr = np.zeros(sum(len(p[0]) for p in self.pieces) + 1, dtype=index)
        indices = np.empty(nnz, dtype=index)
        data = np.empty(nnz, dtype=np.float64)
        row = at = 0
        self.pieces.reverse()
        while self.pieces:
            lengths, ids, counts = self.pieces.pop()
            indptr[row + 1:row + 1 + len(lengths)] = at + np.cumsum(lengths)
            indices[at:at + len(ids)] = ids
            data[at:at + len(ids)] = counts
            row, at = row + len(lengths), at + len(ids)
        out = sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_terms))
        out.has_canonical_format = True
        return out


def token_counts(documents: Iterable[Sequence[str]],
                 spell: Callable[[list[str]], list[str]] | None = None) -> Counts:
    """Counts of the tokens of each document; ``spell`` maps the list of distinct tokens (in order of
    first occurrence) to the terms counted for them (called once, e.g. to merge variant spellings).

    Examples:
        >>> c = token_counts([["质量", "标准", "质量"], [], ["标准"]])
        >>> c.terms, c.matrix.toarray().tolist()
        (['质量', '标准'], [[2.0, 1.0], [0.0, 0.0], [0.0, 1.0]])
    """
    documents = documents if isinstance(documents, list) else list(documents)
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    # dicts, not pd.factorize: that caches a UTF-8 copy inside every token string (15 MB at 1,000 plans)
    terms = list(dict.fromkeys(chain.from_iterable(documents)))  # in order of first occurrence
    number = dict(zip(terms, range(len(terms))))
    if spell is not None:  # the spellings numbered by first occurrence too
        spelled = spell(terms)
        terms = list(dict.fromkeys(spelled))
        merged = dict(zip(terms, range(len(terms))))
        number = {token: merged[term] for token, term in zip(number, spelled)}
    ids = np.fromiter(map(number.__getitem__, chain.from_iterable(documents)), dtype=np.int64, count=int(lengths.sum()))
    rows = _Rows()
    rows.add(np.repeat(np.arange(len(documents)), lengths), ids, len(documents))
    return Counts(rows.matrix(len(terms)), terms)


class _FirstSeen:
    """Integers numbered in order of first occurrence, over arrays given one after another."""

    def __init__(self):
        self.known = np.empty(0, dtype=np.int64)  # ascending
        self.ids = np.empty(0, dtype=np.int64)  # number of each known value

    def number(self, values: np.ndarray) -> np.ndarray:
        """The number of each of ``values`` (new values get the next numbers, in order of occurrence)."""
        local, distinct = pd.factorize(values)  # distinct values in order of first occurrence
        at = np.searchsorted(self.known, distinct)
        seen = at < len(self.known)
        seen[seen] = self.known[at[seen]] == distinct[seen]
        ids = np.empty(len(distinct), dtype=np.int64)
        ids[seen] = self.ids[at[seen]]
        new = np.flatnonzero(~seen)
        ids[new] = len(self.known) + np.arange(len(new))
        new = new[np.argsort(distinct[new])]  # inserted in ascending order, also where several go at one place
        self.known = np.insert(self.known, at[new], distinct[new])
        self.ids = np.insert(self.ids, at[new], ids[new])
        return ids[local]

    def values(self) -> np.ndarray:
        """The values by number."""
        out = np.empty_like(self.known)
        out[self.ids] = self.known
        return out


def _is_text(points: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(points), dtype=bool)
    for lo, hi in TEXT_RANGES:
        mask |= (points >= lo) & (points <= hi)
    return mask


def _grams(texts: Sequence[str], sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The n-grams of ``texts`` as integers in the order :func:`char_gram_counts` reads them, and the
    text (0, 1, ...) of each."""
    width = max(sizes)
    # one array of code points, a separator (not a text character) after each text
    points = np.frombuffer("".join(t + "\n" for t in texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    text = _is_text(points)
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int32), [len(t) + 1 for t in texts])
    # runs of text characters: where each starts, its length, the run of each text position
    first = text & ~np.r_[False, text[:-1]]
    starts = np.flatnonzero(first)
    lengths = np.flatnonzero(text & ~np.r_[text[1:], False]) + 1 - starts
    run_of = np.cumsum(first) - 1
    # a run's n-grams come size after size: where each size's block starts in the run's stretch
    per_size = [np.maximum(lengths - n + 1, 0) for n in sizes]
    before = np.cumsum([np.zeros_like(lengths)] + per_size[:-1], axis=0)  # grams of the earlier sizes
    total = np.sum(per_size, axis=0)
    run_base = np.cumsum(total) - total
    codes = np.empty(int(total.sum()), dtype=np.int64)
    docs = np.empty(len(codes), dtype=np.int32)
    in_text = np.r_[0, np.cumsum(text)]
    for s, n in enumerate(sizes):
        at = np.flatnonzero(in_text[n:] - in_text[:-n] == n)  # the n characters from here are all text
        run = run_of[at]
        where = run_base[run] + before[s][run] + (at - starts[run])
        code = np.zeros(len(at), dtype=np.int64)
        for k in range(n):  # first character in the highest bits; missing characters are 0 (sort first)
            code |= points[at + k].astype(np.int64) << (_BITS * (width - 1 - k))
        codes[where] = code
        docs[where] = doc_of[at]
    return codes, docs


#: Characters of text read at once by :func:`char_gram_counts` (its arrays are a few times this many).
CHUNK_CHARS = 1 << 20


def char_gram_counts(texts: Iterable[str], sizes: tuple[int, ...] = (1, 2)) -> Counts:
    """Counts of the character n-grams of ``sizes`` of each text, as ``similarity.char_grams`` lists them:
    inside runs of text characters (:data:`TEXT_RANGES`), for each run its n-grams of each size in turn.
    ``texts`` may be a generator: it is read :data:`CHUNK_CHARS` characters at a time.

    Examples:
        >>> c = char_gram_counts(["质量,质量", "标准"])
        >>> c.terms
        ['质', '量', '质量', '标', '准', '标准']
        >>> c.matrix.toarray().tolist()
        [[2.0, 2.0, 2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]]
    """
    if not sizes or min(sizes) < 1 or max(sizes) > _MAX_SIZE:
        raise ValueError(f"n-gram sizes must be 1 to {_MAX_SIZE}, not {sizes}")
    numbers, rows = _FirstSeen(), _Rows()

    def add(chunk: list[str]) -> None:
        codes, docs = _grams(chunk, sizes)
        rows.add(docs, numbers.number(codes), len(chunk))

    chunk: list[str] = []
    size = 0
    for text in texts:
        chunk.append(text)
        size += len(text) + 1
        if size >= CHUNK_CHARS:
            add(chunk)
            chunk, size = [], 0
    if chunk:
        add(chunk)
    width = max(sizes)
    distinct = numbers.values()
    chars = np.stack([(distinct >> (_BITS * (width - 1 - k))) & 0xFFFF for k in range(width)], axis=1)
    terms = np.ascontiguousarray(chars, dtype=np.uint32).view(f"<U{width}").ravel().tolist()  # trailing 0s dropped
    return Counts(rows.matrix(len(terms)), terms)
