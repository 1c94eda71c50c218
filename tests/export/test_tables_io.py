"""Parquet beside every CSV; ``pc.read_tables`` gives the declared types back (nullable ints, booleans, dates)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import policycompare as pc
from policycompare import schema

from ..conftest import RAW


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


# ---------------------------------------------------------------------------------------------
# the CSV writer: pandas' bytes, made column by column with Arrow

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policycompare.export.tables import CSV_ROWS, csv_rows, write_csv  # noqa: E402

_TEXT = st.text(alphabet=st.sampled_from(list('质量a ,"\n\r\t\'#-;') + ["\u2028", "\x85", "𠀀", "é"]), max_size=8)


def _pandas_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXT | st.none(), st.integers(-10**12, 10**12), st.none() | st.integers(0, 99),
                          st.floats(allow_nan=True, allow_infinity=True), st.none() | st.booleans(), st.booleans()),
                max_size=12))
def test_csv_rows_are_the_bytes_pandas_writes(rows):
    df = pd.DataFrame(rows, columns=["text", "n", "maybe_n", "x", "maybe_flag", "flag"])
    df = df.astype({"text": "string", "n": "int64", "maybe_n": "Int64", "x": "float64", "maybe_flag": "boolean",
                    "flag": "bool"})
    assert csv_rows(df) == _pandas_csv(df).split(b"\n", 1)[1]


def test_negative_zero_keeps_its_sign_beside_zero():
    df = pd.DataFrame({"x": [0.0, -0.0, 0.0, float("nan"), -0.0], "n": [1, 2, 3, 4, 5]})
    assert csv_rows(df) == _pandas_csv(df).split(b"\n", 1)[1] == b"0.0,1\n-0.0,2\n0.0,3\n,4\n-0.0,5\n"


@settings(max_examples=50, deadline=None)
@given(st.lists(_TEXT | st.none(), max_size=6))
def test_a_table_of_one_column_quotes_its_empty_fields_as_pandas_does(values):
    df = pd.DataFrame({"only": pd.array(values, dtype="string")})
    assert csv_rows(df) == _pandas_csv(df).split(b"\n", 1)[1]


def test_written_tables_are_pandas_csv_with_a_bom(out, tmp_path):
    for name, df in pc.read_tables(out).items():
        df = df.copy()
        for column in schema.DATE_COLUMNS.get(name, ()):  # dates are written as ISO text
            df[column] = df[column].dt.strftime("%Y-%m-%d").astype("string").fillna("")
        written = (out / f"{name}.csv").read_bytes()
        assert written.startswith(b"\xef\xbb\xbf") and written[3:] == _pandas_csv(df), name


def test_a_long_table_is_written_in_blocks_with_the_same_bytes(tmp_path):
    n = CSV_ROWS + 7
    df = pd.DataFrame({"id": pd.array([f"p{i % 13},{i}" for i in range(n)], dtype="string"),
                       "score": [i / 7 for i in range(n)]})
    path = write_csv(df, tmp_path / "long.csv")
    assert path.read_bytes() == b"\xef\xbb\xbf" + _pandas_csv(df)
    assert pd.read_csv(path, encoding="utf-8-sig")["score"].tolist() == df["score"].tolist()


def test_a_damaged_parquet_is_named_and_its_csv_read(out, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    (folder / "plans.parquet").write_bytes((folder / "plans.parquet").read_bytes()[:200])  # cut short
    with pytest.warns(RuntimeWarning, match=r"plans.parquet is damaged .*reading plans.csv instead"):
        plans = pc.read_tables(folder)["plans"]
    original = pc.read_tables(out)["plans"]
    assert plans["plan_id"].tolist() == original["plan_id"].tolist()
    assert plans["n_tasks"].tolist() == original["n_tasks"].tolist()
    (folder / "plans.csv").unlink()
    with pytest.raises(ValueError, match="plans.parquet is damaged .*no plans.csv beside it"):
        pc.read_tables(folder)
