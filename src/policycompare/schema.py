"""Columns of every table, declared once and checked before a table leaves the library."""

from __future__ import annotations

import pandas as pd

#: table -> {column: pandas dtype}
SCHEMAS: dict[str, dict[str, str]] = {
    "plans": {
        "plan_id": "string", "source_file": "string", "sha256": "string", "title": "string",
        "jurisdiction": "string", "level": "string", "province": "string", "issuer": "string",
        "doc_number": "string", "issued_date": "string", "period_start": "Int64", "period_end": "Int64",
        "n_tasks": "int64", "n_sections": "int64",
        "n_goals": "int64", "n_task_items": "int64", "n_key_areas": "int64", "n_safeguards": "int64",
        "n_annex": "int64", "n_other": "int64",
        "n_chars": "int64", "encoding": "string", "t2s_changed": "int64", "glosses_removed": "int64",
        "noise_lines": "int64", "overridden": "string",
    },
    "tasks": {
        "plan_id": "string", "task_id": "string", "part": "string", "section_path": "string",
        "number": "string", "depth": "int64", "title": "string", "text": "string",
        "char_start": "int64", "char_end": "int64", "source": "string", "table_cells": "string",
    },
    "targets": {
        "plan_id": "string", "target_id": "string", "task_id": "string", "part": "string",
        "metric": "string", "domain": "string", "label": "string", "value": "float64", "value_max": "float64",
        "unit": "string", "comparator": "string", "stable": "bool", "per_year": "bool",
        "deadline_year": "Int64", "deadline_source": "string", "value_text": "string",
        "sentence": "string", "char_start": "int64", "char_end": "int64", "mention": "int64",
    },
    "pass_rates": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "threshold": "float64",
        "domain": "string", "comparator": "string", "stable": "boolean", "deadline_year": "Int64", "label": "string",
        "sentence": "string", "task_id": "string", "target_id": "string",
        "threshold_food": "float64", "threshold_agricultural": "float64", "threshold_drug": "float64",
        "threshold_construction": "float64", "threshold_service": "float64", "threshold_other": "float64",
    },
    "brand_counts": {
        "plan_id": "string", "metric": "string", "label": "string", "value": "float64", "value_max": "float64",
        "unit": "string", "comparator": "string", "per_year": "bool", "deadline_year": "Int64",
        "sentence": "string", "task_id": "string", "target_id": "string",
    },
    "targets_by_metric": {
        "plan_id": "string", "pass_rate": "int64", "standard_consistency": "int64", "self_declaration": "int64",
        "brand": "int64", "award": "int64", "standards": "int64", "quality_index": "int64", "other": "int64",
    },
    "agencies": {
        "plan_id": "string", "task_id": "string", "role": "string", "agency": "string",
        "agency_canonical": "string", "function": "string", "collective": "bool",
        "char_start": "int64", "char_end": "int64",
    },
    "sectors": {
        "plan_id": "string", "task_id": "string", "term": "string", "category": "string",
        "char_start": "int64", "char_end": "int64",
    },
    "agency_roles": {
        "plan_id": "string", "agency_canonical": "string", "function": "string", "collective": "bool",
        "lead": "int64", "cooperate": "int64", "responsible": "int64", "guide": "int64", "n_tasks": "int64",
    },
    "agency_network": {
        "agency_a": "string", "agency_b": "string", "n_tasks": "int64", "n_plans": "int64", "plans": "string",
    },
    "sector_coverage": {
        "plan_id": "string", "category": "string", "label_zh": "string", "national": "bool",
        "mentions": "int64", "tasks": "int64", "share_of_tasks": "float64", "terms": "string",
    },
    "task_similarity": {
        "plan_a": "string", "task_a": "string", "plan_b": "string", "task_b": "string",
        "score": "float64", "rank": "int64",
    },
    "plan_similarity": {
        "plan_a": "string", "plan_b": "string", "score": "float64", "doc_cosine": "float64",
    },
    "text_reuse": {
        "plan_a": "string", "task_a": "string", "plan_b": "string", "task_b": "string",
        "passage": "string", "length": "int64",
        "a_start": "int64", "a_end": "int64", "b_start": "int64", "b_end": "int64",
    },
    "reuse_share": {
        "plan_id": "string", "task_id": "string", "part": "string", "title": "string",
        "n_chars": "int64", "reused_chars": "int64", "share": "float64", "sources": "string",
    },
    "lineage": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "ancestors": "string",
        "plan_date": "string", "date_source": "string", "parent_id": "string", "parent_jurisdiction": "string",
        "parent_level": "string", "parent_date": "string", "parent_earlier": "boolean", "parent_source": "string",
        "note": "string",
    },
    "target_escalation": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "parent_id": "string",
        "parent_jurisdiction": "string", "parent_level": "string", "metric": "string", "domain": "string",
        "unit": "string", "parent_target_id": "string", "parent_label": "string", "parent_value": "float64",
        "parent_comparator": "string", "parent_deadline_year": "Int64", "target_id": "string", "label": "string",
        "value": "float64", "comparator": "string", "deadline_year": "Int64", "label_similarity": "float64",
        "difference": "float64", "direction": "string", "stricter": "boolean",
    },
    "escalation_summary": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "parent_id": "string",
        "parent_level": "string", "raised": "int64", "same": "int64", "lowered": "int64", "dropped": "int64",
        "added": "int64", "matched": "int64",
    },
    "escalation_by_level": {
        "level": "string", "parent_level": "string", "plans": "int64", "raised": "int64", "same": "int64",
        "lowered": "int64", "dropped": "int64", "added": "int64", "matched": "int64",
    },
    "task_adoption": {
        "plan_id": "string", "parent_id": "string", "status": "string", "parent_task": "string",
        "task_id": "string", "score": "float64", "shared_chars": "int64", "share": "float64",
        "parent_title": "string", "title": "string",
    },
    "adoption_summary": {
        "plan_id": "string", "parent_id": "string", "parent_tasks": "int64", "copied": "int64",
        "adapted": "int64", "dropped": "int64", "added": "int64", "tasks": "int64",
        "adoption_share": "float64", "local_share": "float64",
    },
    "diffusion": {
        "earlier_id": "string", "later_id": "string", "earlier_date": "string", "later_date": "string",
        "days": "int64", "earlier_level": "string", "later_level": "string", "relation": "string",
        "passages": "int64", "shared_chars": "int64", "exclusive_chars": "int64", "exclusive_share": "float64",
    },
    "warnings": {
        "source_file": "string", "plan_id": "string", "severity": "string", "message": "string",
    },
}

#: One line per table: what a row is (README sheet of the workbook, ``policycompare tables``).
DESCRIPTIONS = {
    "plans": "one row per plan: jurisdiction, level, issuer, doc number, dates, period, task counts",
    "tasks": "one row per numbered task: section path, title, full text, character offsets",
    "targets": "one row per mention of a quantitative target: value, unit, comparator, deadline, metric, sentence",
    "pass_rates": "one row per plan: its supervision pass-rate threshold (empty when none)",
    "brand_counts": "one row per brand or award target (restatements dropped)",
    "targets_by_metric": "plan x metric: number of distinct targets",
    "agencies": "one row per agency named for a task in one role (lead, cooperate, responsible, guide)",
    "sectors": "one row per product-sector mention and category",
    "agency_roles": "plan x canonical agency: tasks led, cooperated on, responsible for, guided",
    "agency_network": "pairs of canonical agencies named on the same task, weighted by tasks",
    "sector_coverage": "plan x sector category: mentions, tasks, share of tasks, terms",
    "task_similarity": "for every task, its top-k most similar tasks across the corpus, other plans only (words + characters TF-IDF cosine)",
    "plan_similarity": "plan x plan (every pair up to 300 plans, else each plan's top-k plans): mean best-match task score and document cosine",
    "text_reuse": "passages two plans share word for word (at least 12 characters), with offsets in both",
    "reuse_share": "per task: share of its characters found in another plan",
    "lineage": "one row per plan: ancestors in the gazetteer, date used, parent plan (nearest ancestor with a plan)",
    "target_escalation": "child target vs parent target: values, deadlines, raised/same/lowered; dropped and added",
    "escalation_summary": "per plan with a parent: targets raised, same, lowered, dropped, added",
    "escalation_by_level": "per level and parent level: plans and targets raised, same, lowered, dropped, added",
    "task_adoption": "parent task vs its best child task: copied/adapted/dropped; child tasks added locally",
    "adoption_summary": "per plan with a parent: parent tasks copied, adapted, dropped; local tasks; shares",
    "diffusion": "earlier -> later plan: text shared and not shared with an earlier higher-level plan (candidate edges)",
    "warnings": "one row per problem met while reading the plans",
}

#: Part name -> plans column counting its tasks.
PART_COUNT_COLUMNS = {
    "goals": "n_goals", "tasks": "n_task_items", "key_areas": "n_key_areas",
    "safeguards": "n_safeguards", "annex": "n_annex", "other": "n_other",
}


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the declared columns and dtypes of ``table``."""
    schema = SCHEMAS[table]
    df = pd.DataFrame(rows, columns=list(schema))
    for column, dtype in schema.items():
        if dtype == "string":
            df[column] = df[column].fillna("").astype(str).astype("string")
        else:
            df[column] = df[column].astype(dtype)
    return df


def check(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Raise if ``df`` does not have exactly the declared columns of ``table``."""
    expected = list(SCHEMAS[table])
    if list(df.columns) != expected:
        raise ValueError(f"table {table!r} has columns {list(df.columns)}, expected {expected}")
    return df
