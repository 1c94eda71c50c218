"""Handing freed memory back to the system between the stages of the reduce."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def return_free_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    The reduce builds and drops millions of small objects (n-grams, passages); the allocator keeps
    the freed pages, so the process would carry its largest stage's peak into the next one (about
    250 MB at 1,000 plans).  Arrow's own allocator (pandas' strings) is asked to do the same.
    """
    if "pyarrow" in sys.modules:  # only once pandas' strings have used it
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl): nothing to do
        pass
