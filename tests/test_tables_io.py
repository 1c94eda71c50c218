"""Parquet beside every CSV; ``pc.read_tables`` gives the declared types back (nullable ints, booleans, dates)."""

from __future__ import annotations

import pandas as pd
import pytest

import policycompare as pc
from policycompare import schema

from .conftest import RAW


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("io")
    pc.run_pipeline(RAW, out, figures_dir=None, workbook=False, workers=1)
    return out


def _expected_dtype(name: str, column: str) -> str:
    if column in schema.DATE_COLUMNS.get(name, ()):
        return "datetime64[ns]"
    return schema.SCHEMAS[name][column]


def test_every_table_has_parquet_beside_its_csv(out):
    for csv in out.glob("*.csv"):
        assert csv.with_suffix(".parquet").is_file(), csv.name


@pytest.mark.parametrize("source", ["parquet", "csv"])
def test_read_tables_gives_the_declared_types(out, tmp_path, source):
    folder = out
    if source == "csv":  # an output folder without Parquet reads the CSVs with the same types
        folder = tmp_path / "csv"
        folder.mkdir()
        for csv in out.glob("*.csv"):
            (folder / csv.name).write_bytes(csv.read_bytes())
    tables = pc.read_tables(folder)
    assert "plans" in tables and "pass_rates" in tables
    for name, df in tables.items():
        assert list(df.columns) == list(schema.SCHEMAS[name]), name
        for column in df.columns:
            assert str(df[column].dtype) == _expected_dtype(name, column), (source, name, column, df[column].dtype)
    plans = tables["plans"].set_index("plan_id")
    assert plans.loc["lingwu_2017", "issued_date"].year == 2017
    assert str(plans["period_start"].dtype) == "Int64"
    rates = tables["pass_rates"].set_index("plan_id")
    assert pd.isna(rates.loc["shanghai_2017", "stable"]) and bool(rates.loc["lingwu_2017", "stable"])
    assert rates.loc["sichuan_2018", "threshold"] == 91.5


def test_parquet_and_csv_read_back_the_same_tables(out, tmp_path):
    from_parquet = pc.read_tables(out)
    for csv in out.glob("*.csv"):
        (tmp_path / csv.name).write_bytes(csv.read_bytes())
    from_csv = pc.read_tables(tmp_path)
    for name in from_parquet:
        pd.testing.assert_frame_equal(from_parquet[name], from_csv[name], check_exact=False, obj=name)


def test_parquet_is_byte_identical_on_a_rerun(out, tmp_path):
    again = tmp_path / "again"
    pc.run_pipeline(RAW, again, figures_dir=None, workbook=False, workers=1, use_cache=False)
    for path in out.glob("*.parquet"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
