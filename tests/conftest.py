"""Shared fixtures: the repository's raw plans and the hand-made gold answers in tests/data/gold.

The gold files are copies of the project's hand-made answers, so the tests need nothing
beside the checkout.  ``tests/data/dev`` holds the 25 real development pages and their gold;
``tests/data/dev2`` the 24 pages of other genres (news reports, running-text duties, past statistics).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import policycompare as pc

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
DATA = REPO / "tests" / "data"
GOLD = DATA / "gold"
DEV = DATA / "dev"
DEV2 = DATA / "dev2"


def read_gold(name: str) -> pd.DataFrame:
    path = GOLD / name
    if not path.exists():
        pytest.fail(f"gold file {path} not found")
    # keep_default_na=False: an empty cell is an empty string, never NaN
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def corpus(seed_corpus) -> pc.Corpus:
    """The five seed plans (read once: the same object the docstring examples use)."""
    return seed_corpus


@pytest.fixture(scope="session")
def gold_plans() -> pd.DataFrame:
    return read_gold("plans.csv")


@pytest.fixture(scope="session")
def gold_agencies() -> pd.DataFrame:
    return read_gold("agencies.csv")


@pytest.fixture(scope="session")
def dev2_corpus() -> pc.Corpus:
    """The 24 dev2 pages (news reports, running-text duties, past statistics, lists), read once."""
    return pc.load_corpus(DEV2 / "raw")


@pytest.fixture(scope="session")
def with_parents(corpus, tmp_path_factory) -> pc.Corpus:
    """The seeds with the national 2016 and 宁夏 2018 pages beside them (as notebook 05 reads its context)."""
    import shutil

    from policycompare.analyze import escalation

    folder = tmp_path_factory.mktemp("parents")
    for name in ("national_2016.txt", "ningxia_2018.txt"):
        shutil.copy(DEV / "raw" / name, folder / name)
    return escalation.with_context(corpus, pc.load_corpus(folder, workers=1))
