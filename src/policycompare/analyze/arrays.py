"""Array idioms the corpus-level stages share: runs of equal values in a sorted array."""

from __future__ import annotations

import numpy as np


def run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal consecutive values begins (none for no values).

    Examples:
        >>> run_starts(np.array([3, 3, 5, 7, 7, 7])).tolist(), run_starts(np.array([])).tolist()
        ([0, 2, 3], [])
    """
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def ranks_in_runs(values: np.ndarray) -> np.ndarray:
    """0-based place of each value within its run of equal consecutive values.

    Examples:
        >>> ranks_in_runs(np.array([3, 3, 5, 7, 7, 7])).tolist()
        [0, 1, 0, 0, 1, 2]
    """
    starts = run_starts(values)
    return np.arange(len(values)) - np.repeat(starts, np.diff(np.r_[starts, len(values)]))
