"""Fixtures shared by the tests and by the examples in the package's docstrings.

The docstring examples (run by ``--doctest-modules``) find ``corpus``, the
five seed plans of ``data/raw``, in their namespace, so an example shows real
numbers and is checked like a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parent / "data" / "raw"


@pytest.fixture(scope="session")
def seed_corpus():
    """The five seed plans of data/raw, read once per test session."""
    import policycompare as pc

    return pc.load_corpus(RAW)


@pytest.fixture(autouse=True)
def _corpus_for_docstring_examples(request, doctest_namespace):
    if type(request.node).__name__ == "DoctestItem" and "corpus" in request.node.dtest.docstring:
        doctest_namespace["corpus"] = request.getfixturevalue("seed_corpus")
