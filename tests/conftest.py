"""Shared fixtures: the repository's raw plans and the hand-made gold answers in ../shared/gold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import policycompare as pc

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
GOLD = REPO.parent / "shared" / "gold"


def read_gold(name: str) -> pd.DataFrame:
    path = GOLD / name
    if not path.exists():
        pytest.fail(f"gold file {path} not found: tests expect ../shared beside the checkout")
    # keep_default_na=False: an empty cell is an empty string, never NaN
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def corpus() -> pc.Corpus:
    return pc.load_corpus(RAW)


@pytest.fixture(scope="session")
def gold_plans() -> pd.DataFrame:
    return read_gold("plans.csv")


@pytest.fixture(scope="session")
def gold_agencies() -> pd.DataFrame:
    return read_gold("agencies.csv")
