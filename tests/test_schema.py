"""The schema: one declaration of every table's columns, types and meanings."""

from __future__ import annotations

import pandas as pd
import pytest

from policycompare import schema


def test_every_table_and_column_is_described():
    assert set(schema.DESCRIPTIONS) == set(schema.SCHEMAS)
    undescribed = [(t, c) for t, columns in schema.SCHEMAS.items() for c in columns if not schema.describe(t, c)]
    assert undescribed == []


def test_declared_types_are_pandas_types():
    for table, columns in schema.SCHEMAS.items():
        for column, dtype in columns.items():
            pd.api.types.pandas_dtype(dtype)  # raises on an unknown name
    assert set(schema.DATE_COLUMNS) <= set(schema.SCHEMAS) and set(schema.PERCENT_COLUMNS) <= set(schema.SCHEMAS)
    for table, columns in {**schema.DATE_COLUMNS, **schema.PERCENT_COLUMNS}.items():
        assert set(columns) <= set(schema.SCHEMAS[table])


def test_frame_has_exactly_the_declared_columns_and_types():
    df = schema.frame("targets_by_deadline", [{"plan_id": "a", "deadline_year": "2020", "targets": 3},
                                              {"plan_id": "b", "deadline_year": None, "targets": 1}])
    assert list(df.columns) == ["plan_id", "deadline_year", "targets"]
    assert df["targets"].dtype == "int64" and pd.api.types.is_string_dtype(df["plan_id"])
    assert df.loc[1, "deadline_year"] == ""  # a missing text is '' (as in the CSV)
    empty = schema.frame("plans", [])
    assert list(empty.columns) == list(schema.SCHEMAS["plans"]) and empty.empty
    assert str(empty["period_start"].dtype) == "Int64"


def test_check_names_the_table_and_the_columns_it_expected():
    good = schema.frame("warnings", [])
    assert schema.check("warnings", good) is good
    with pytest.raises(ValueError, match="warnings.*expected"):
        schema.check("warnings", good.drop(columns="message"))


def test_describe_prefers_the_table_specific_meaning():
    assert schema.describe("plans", "plan_id")
    assert schema.describe("lineage", "parent_id") != schema.describe("plans", "nonexistent") == ""


def test_a_run_writes_the_tables_of_schema_in_their_order(corpus):
    """The list of tables is written once (schema.TABLES): the registry builds exactly those, in order."""
    assert list(corpus.tables()) == list(schema.TABLES)
    assert not set(schema.QUERY_TABLES) & set(schema.TABLES) and set(schema.TABLES) | set(schema.QUERY_TABLES) == set(schema.SCHEMAS)
    for name, table in corpus.tables().items():
        assert list(table.columns) == list(schema.SCHEMAS[name]), name
