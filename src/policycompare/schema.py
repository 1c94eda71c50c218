"""Columns of every table, declared once and checked before a table leaves the library."""

from __future__ import annotations

import pandas as pd

from .rules.readers import metric_descriptions, metric_names, pass_rate_domain_columns

#: table -> {column: pandas dtype}
SCHEMAS: dict[str, dict[str, str]] = {
    "plans": {
        "plan_id": "string", "source_file": "string", "sha256": "string", "title": "string",
        "jurisdiction": "string", "jurisdiction_en": "string", "level": "string", "province": "string",
        "issuer": "string", "doc_number": "string", "issued_date": "string", "period_start": "Int64", "period_end": "Int64",
        "n_tasks": "int64", "n_sections": "int64",
        "n_goals": "int64", "n_task_items": "int64", "n_key_areas": "int64", "n_safeguards": "int64",
        "n_annex": "int64", "n_other": "int64",
        "n_chars": "int64", "encoding": "string", "t2s_changed": "int64", "glosses_removed": "int64",
        "noise_lines": "int64", "overridden": "string",
    },
    "plan_fields": {
        "plan_id": "string", "field": "string", "value": "string", "source": "string",
        "char_start": "Int64", "char_end": "Int64", "evidence": "string",
    },
    "tasks": {
        "plan_id": "string", "task_id": "string", "part": "string", "section_path": "string",
        "number": "string", "depth": "int64", "title": "string", "text": "string",
        "char_start": "int64", "char_end": "int64", "source": "string", "table_cells": "string",
    },
    "targets": {
        "plan_id": "string", "target_id": "string", "task_id": "string", "part": "string",
        "metric": "string", "domain": "string", "indicator_subject": "string", "indicator_sampling": "string",
        "label": "string", "value": "float64", "value_max": "float64",
        "unit": "string", "comparator": "string", "stable": "bool", "per_year": "bool",
        "deadline_year": "Int64", "deadline_source": "string", "value_text": "string",
        "sentence": "string", "char_start": "int64", "char_end": "int64", "mention": "int64",
    },
    "pass_rates": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "threshold": "float64",
        "indicator_subject": "string", "indicator_sampling": "string", "domain": "string", "comparator": "string", "stable": "boolean", "deadline_year": "Int64", "label": "string",
        "sentence": "string", "task_id": "string", "target_id": "string",
        **{f"threshold_{domain}": "float64" for domain in pass_rate_domain_columns()},
    },
    "brand_counts": {
        "plan_id": "string", "metric": "string", "label": "string", "value": "float64", "value_max": "float64",
        "unit": "string", "comparator": "string", "per_year": "bool", "deadline_year": "Int64",
        "sentence": "string", "task_id": "string", "target_id": "string",
    },
    "targets_by_metric": {"plan_id": "string", **{metric: "int64" for metric in metric_names()}},
    "targets_by_deadline": {"plan_id": "string", "deadline_year": "string", "targets": "int64"},
    "agencies": {
        "plan_id": "string", "task_id": "string", "role": "string", "agency": "string",
        "agency_canonical": "string", "agency_canonical_en": "string", "function": "string", "collective": "bool",
        "division": "bool", "char_start": "int64", "char_end": "int64",
    },
    "sectors": {
        "plan_id": "string", "task_id": "string", "term": "string", "category": "string",
        "char_start": "int64", "char_end": "int64",
    },
    "agency_roles": {
        "plan_id": "string", "agency_canonical": "string", "function": "string", "collective": "bool",
        "division": "bool", "lead": "int64", "cooperate": "int64", "responsible": "int64", "guide": "int64", "n_tasks": "int64",
    },
    "agency_network": {
        "agency_a": "string", "agency_b": "string", "n_tasks": "int64", "n_plans": "int64", "plans": "string",
    },
    "sector_coverage": {
        "plan_id": "string", "category": "string", "label_zh": "string", "national": "bool",
        "mentions": "int64", "tasks": "int64", "share_of_tasks": "float64", "terms": "string",
    },
    "distinctive_sectors": {"plan_id": "string", "term": "string", "categories": "string", "mentions": "int64"},
    # library tables (returned by functions, not written by a run)
    "similar": {"rank": "int64", "score": "float64", "plan_id": "string", "task_id": "string", "title": "string",
                "text": "string"},
    "rank_in_plan": {"rank": "int64", "task_id": "string", "score": "float64", "cosine": "float64", "clause": "float64",
                     "title": "string"},
    "closest_pairs": {"score": "float64", "plan_a": "string", "task_a": "string", "title_a": "string", "text_a": "string",
                      "plan_b": "string", "task_b": "string", "title_b": "string", "text_b": "string"},
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
        "parent_level": "string", "parent_date": "string", "parent_earlier": "boolean",
        "parent_issued_after": "boolean", "parent_source": "string", "note": "string",
    },
    "target_escalation": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "parent_id": "string",
        "parent_jurisdiction": "string", "parent_level": "string", "parent_issued_after": "boolean",
        "metric": "string", "domain": "string", "indicator_subject": "string",
        "unit": "string", "parent_indicator_sampling": "string", "parent_target_id": "string", "parent_label": "string",
        "parent_value": "float64", "parent_comparator": "string", "parent_deadline_year": "Int64",
        "indicator_sampling": "string", "target_id": "string", "label": "string",
        "value": "float64", "comparator": "string", "deadline_year": "Int64", "match": "string",
        "label_similarity": "float64", "difference": "float64", "direction": "string", "stricter": "boolean",
    },
    "escalation_summary": {
        "plan_id": "string", "jurisdiction": "string", "level": "string", "parent_id": "string",
        "parent_level": "string", "parent_issued_after": "boolean", "raised": "int64", "same": "int64",
        "lowered": "int64", "dropped": "int64", "added": "int64", "matched": "int64",
    },
    "escalation_by_level": {
        "level": "string", "parent_level": "string", "plans": "int64", "parent_later_plans": "int64",
        "raised": "int64", "same": "int64",
        "lowered": "int64", "dropped": "int64", "added": "int64", "matched": "int64",
    },
    "task_adoption": {
        "plan_id": "string", "parent_id": "string", "parent_issued_after": "boolean", "status": "string",
        "parent_task": "string", "task_id": "string", "score": "float64", "shared_chars": "int64", "share": "float64",
        "parent_title": "string", "title": "string",
    },
    "adoption_summary": {
        "plan_id": "string", "parent_id": "string", "parent_issued_after": "boolean", "parent_tasks": "int64",
        "copied": "int64",
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

#: Tables that answer a query (``pc.similarity.similar`` …, ``policycompare similar``); a run writes all the others.
QUERY_TABLES = ("similar", "rank_in_plan", "closest_pairs")
#: The tables ``policycompare run`` writes, in the order of the files and the workbook's sheets
#: (:func:`policycompare.analyze.registry.build_tables` builds each).
TABLES = tuple(name for name in SCHEMAS if name not in QUERY_TABLES)

#: One line per table: what a row is (README sheet of the workbook, ``policycompare tables``).
DESCRIPTIONS = {
    "plans": "one row per plan: jurisdiction, level, issuer, doc number, dates, period, task counts",
    "plan_fields": "one row per plan and metadata field found: where it came from (header, signature, portal, running text …), with the evidence and its offsets",
    "tasks": "one row per numbered task: section path, title, full text, character offsets",
    "targets": "one row per mention of a quantitative target: value, unit, comparator, deadline, metric, sentence",
    "pass_rates": "one row per plan and indicator subject: its supervision pass-rate threshold (one empty row when none)",
    "brand_counts": "one row per brand or award target (restatements dropped)",
    "targets_by_metric": "plan x metric: number of distinct targets",
    "targets_by_deadline": "plan x deadline year: number of distinct targets (years with none left out)",
    "agencies": "one row per agency named for a task in one role (lead, cooperate, responsible, guide)",
    "sectors": "one row per product-sector mention and category",
    "agency_roles": "plan x canonical agency: tasks led, cooperated on, responsible for, guided",
    "agency_network": "pairs of canonical agencies named on the same task, weighted by tasks",
    "sector_coverage": "plan x sector category: mentions, tasks, share of tasks, terms",
    "distinctive_sectors": "sector terms named by one plan only (its local specialities), most mentioned first",
    "similar": "tasks most similar to a query text or task, best first (similarity.similar)",
    "rank_in_plan": "one plan's tasks ranked against one task (similarity.rank_in_plan)",
    "closest_pairs": "the most similar task pairs across plans, side by side (similarity.closest_pairs)",
    "task_similarity": "for every task, its top-k most similar tasks across the corpus, other plans only (words + characters TF-IDF cosine)",
    "plan_similarity": "plan x plan (every pair up to 300 plans, else each plan's top-k plans): mean best-match task score and document cosine",
    "text_reuse": "passages two plans share word for word (at least 12 characters), with offsets in both",
    "reuse_share": "per task: share of its characters found in another plan",
    "lineage": "one row per plan: ancestors in the gazetteer, date used, parent plan (nearest ancestor with a plan)",
    "target_escalation": ("child target vs parent target of the same subject: values, deadlines, raised/same/lowered, "
                          "match; dropped and added"),
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
            df[column] = df[column].astype(object).fillna("").astype(str).astype("string")
        else:
            df[column] = df[column].astype(dtype)
    return df


def check(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Raise if ``df`` does not have exactly the declared columns of ``table``."""
    expected = list(SCHEMAS[table])
    if list(df.columns) != expected:
        raise ValueError(f"table {table!r} has columns {list(df.columns)}, expected {expected}")
    return df


#: Columns that hold ISO dates (``YYYY-MM-DD`` text in the tables): Excel dates in the workbook,
#: dates in Parquet and in :func:`policycompare.read_tables`.
DATE_COLUMNS = {"plans": ("issued_date",)}
#: Columns that hold shares (0–1): percentages in the workbook.
PERCENT_COLUMNS = {"sector_coverage": ("share_of_tasks",), "reuse_share": ("share",)}

_PASS_RATE_DOMAIN = "first pass rate (%) of the {} domain; empty when the plan sets none"

#: Meaning of every column, by column name (the same name means the same in every table) and,
#: where a table uses a name its own way, by ``table.column``.  The workbook's Codebook sheet reads it.
COLUMNS: dict[str, str] = {
    "plan_id": "plan: the file stem of the raw file, e.g. hunan_2017",
    "source_file": "raw file name",
    "sha256": "SHA-256 of the raw file's bytes",
    "title": "title of the plan",
    "jurisdiction": "place whose government issued the plan (中国 for national documents)",
    "jurisdiction_en": "the jurisdiction in English (province names official, other places in pinyin)",
    "level": "national, province, prefecture or county",
    "province": "province of the jurisdiction (empty for national documents)",
    "issuer": "issuing body",
    "doc_number": "the plan's document number (文号), empty when it has none",
    "issued_date": "date of issue",
    "period_start": "first year of the plan period",
    "period_end": "last year of the plan period",
    "n_tasks": "number of tasks",
    "n_sections": "number of sections (units with children)",
    "n_goals": "tasks in the goals part",
    "n_task_items": "tasks in the main-tasks part",
    "n_key_areas": "tasks in the key-areas part",
    "n_safeguards": "tasks in the safeguards part",
    "n_annex": "tasks in annexes",
    "n_other": "tasks in other parts",
    "n_chars": "length of the normalized text in characters",
    "encoding": "encoding the file was read with",
    "t2s_changed": "characters changed by traditional-to-simplified conversion",
    "glosses_removed": "pinyin glosses removed",
    "noise_lines": "web-page noise lines dropped",
    "overridden": "fields set by a .meta.toml sidecar",
    "field": "a column of plans: title, jurisdiction, level, province, issuer, doc_number, issued_date, period_start, period_end (parent: sidecar)",
    "plan_fields.value": "the field's value in plans",
    "plan_fields.source": "where it came from: header (a line of the head: title line, doc-number line), signature, title (read off the title: issuer before 关于, place, period), portal (a portal or law-site block: 发布机构, 发文字号, 成文日期, 索引号), running_text (a sentence: a news report's X印发《…》, 我市/全省, a place named, 到2025年), cited_document (the plan it implements), doc_number (the place its prefix abbreviates), gazetteer (level and province of the jurisdiction), inferred (period start = issue year), sidecar",
    "plan_fields.char_start": "offset where the evidence starts in the normalized text; empty for gazetteer, inferred, sidecar and portal fields dropped from the text",
    "plan_fields.char_end": "offset where the evidence ends in the normalized text",
    "evidence": "the words the field was read from (for gazetteer and inferred: the value it was derived from)",
    "task_id": ("task: <plan_id>:<positions>, e.g. hunan_2017:3.1.2; a unit cut before each duty of its paragraph "
                "gives <id>, <id>-2, <id>-3 …; a paragraph before the first heading p1, p2 …"),
    "part": "part of the plan: goals, tasks, key_areas, safeguards, annex or other",
    "section_path": "titles of the headings above the task, joined by ' > '",
    "number": "the task's number as written",
    "depth": "depth in the heading tree",
    "tasks.title": "the task's first clause",
    "text": "the task's whole text",
    "char_start": "offset where the row's text starts in the normalized text",
    "char_end": "offset where the row's text ends in the normalized text",
    "source": ("body, table (annex table row), annex, paragraph, or duty (the second and later duty of a "
               "paragraph that assigns duties to several subjects in turn)"),
    "table_cells": "for table rows: the row's cells by column header (JSON)",
    "target_id": "target: <plan_id>:t<char_start>",
    "metric": "kind of target: " + ", ".join(metric_names()),
    "domain": "domain of a pass rate: product_quality, manufacturing, food, agricultural, drug, construction, service, other",
    "indicator_subject": ("what the indicator measures, as its words say: consumer_goods, industrial_products, "
                          "manufacturing_products, key_products, food, agricultural_products, drugs, medical_devices, "
                          "cosmetics, special_equipment, construction_works, services, products; empty when they name "
                          "none (data/indicators.toml)"),
    "indicator_sampling": ("for pass and sampling rates, whose inspections: national, provincial_and_above, provincial, "
                           "municipal, county, combined (several levels), unspecified; empty for other targets"),
    "label": "the measured noun phrase",
    "value": "the number as written",
    "value_max": "upper end of a range",
    "unit": "unit of the value (%, 个, 项 …)",
    "comparator": ">= (at least), <= (at most), ~ (about) or eq (exactly: 达到; not = , which a spreadsheet reads as a formula)",
    "stable": "true for stable-at wording (稳定在, 保持在)",
    "per_year": "true when 每年 (every year) governs the number",
    "deadline_year": "year by which the target is to be met",
    "deadline_source": "text (stated in the sentence) or period (the plan's period end)",
    "value_text": "the quantity as written",
    "sentence": "the whole sentence",
    "mention": "1 for the first statement of a target in a plan, 2… for restatements",
    "threshold": "the plan's product-quality pass-rate threshold (%) for the row's indicator_subject; empty when it sets none",
    **{f"threshold_{domain}": _PASS_RATE_DOMAIN.format(domain) for domain in pass_rate_domain_columns()},
    **{f"targets_by_metric.{metric}": metric_descriptions()[metric] for metric in metric_names()},
    "targets_by_deadline.deadline_year": "the year a target is due (`none`: no deadline)",
    "targets_by_deadline.targets": "distinct targets due that year (restatements dropped)",
    "distinctive_sectors.term": "the sector term as written",
    "distinctive_sectors.categories": "its sector categories, `|`-separated",
    "distinctive_sectors.mentions": "times the plan names it",
    "similar.rank": "1 = best match",
    "similar.score": "cosine of the query's and the task's rows in the task model (0-1)",
    "rank_in_plan.rank": "1 = best task of the plan",
    "rank_in_plan.score": "cosine + clause weight x clause: the order of the rows",
    "rank_in_plan.cosine": "the corpus-wide score of the two tasks (as in task_similarity)",
    "rank_in_plan.clause": "the clause alignment: best-matching clauses of the two tasks",
    "closest_pairs.score": "cosine of the two tasks (as in task_similarity)",
    "closest_pairs.title_a": "the tasks' titles",
    "closest_pairs.title_b": "the tasks' titles",
    "closest_pairs.text_a": "the tasks' full texts",
    "closest_pairs.text_b": "the tasks' full texts",
    "role": "lead, cooperate, responsible or guide",
    "agency": "the agency's name as written",
    "agency_canonical": ("one name per kind of agency, jurisdiction stripped and level-neutral (科技部门 for 省科技厅, "
                         "市科技局 and 县科技局; the plan's level is plans.level); kinds with the same function across "
                         "the 2018 reform share one name (质监局 and 市场监管局: 市场监管局)"),
    "agency_canonical_en": "the canonical agency in English (agency_en of data/agencies.csv)",
    "function": "policy function grouping agency types merged or renamed over time",
    "collective": "true for a body standing for several agencies",
    "division": "true for an internal division of one bureau (质量处, 标准化处), not an agency type of its own",
    "term": "the sector term as written",
    "category": "sector category",
    "lead": "tasks the agency leads",
    "cooperate": "tasks the agency cooperates on",
    "responsible": "tasks the agency is responsible for",
    "guide": "tasks the agency guides",
    "agency_roles.n_tasks": "distinct tasks naming the agency in any role",
    "agency_a": "first agency of the pair (alphabetically)",
    "agency_b": "second agency of the pair",
    "agency_network.n_tasks": "tasks naming both agencies",
    "n_plans": "plans where the pair meets",
    "plans": "those plans",
    "label_zh": "Chinese label of the category",
    "national": "true for the nine key categories of 国办发〔2016〕68号",
    "mentions": "mentions of the category's terms",
    "sector_coverage.tasks": "tasks naming the category",
    "share_of_tasks": "share of the plan's tasks naming the category",
    "terms": "terms used, most used first",
    "plan_a": "first plan",
    "task_a": "task of the first plan",
    "plan_b": "second plan",
    "task_b": "task of the second plan",
    "score": "similarity 0–1 (TF-IDF cosine; for plans: mean best-match score of their tasks)",
    "rank": "rank of the match within the other plan",
    "doc_cosine": "cosine of the two whole plans' TF-IDF vectors",
    "passage": "the passage both plans share word for word",
    "length": "length of the passage in characters",
    "a_start": "offset of the passage in the first plan's normalized text",
    "a_end": "end of the passage in the first plan's normalized text",
    "b_start": "offset of the passage in the second plan's normalized text",
    "b_end": "end of the passage in the second plan's normalized text",
    "reuse_share.title": "the task's first clause",
    "reused_chars": "characters of the task found in another plan",
    "share": "share of the task's characters found in another plan (0 local wording, 1 copied)",
    "sources": "the other plans, most shared first",
    "severity": "error (the file was skipped) or warning (read, with a caveat)",
    "message": "what happened",
    # escalation and diffusion (policycompare.analyze.escalation; README codebook)
    "adoption_summary.adapted": "parent tasks the plan rewrote (a similar task, score at least the adapt threshold)",
    "adoption_summary.added": "the plan's own tasks with no parent counterpart",
    "adoption_summary.adoption_share": "(copied + adapted) / parent_tasks",
    "adoption_summary.copied": "parent tasks copied by the plan (mostly shared text)",
    "adoption_summary.dropped": "parent tasks with no copied or similar task in the plan",
    "adoption_summary.local_share": "added / tasks",
    "adoption_summary.parent_id": "the parent plan (empty when no ancestor has a plan)",
    "adoption_summary.parent_tasks": "tasks of the parent plan",
    "adoption_summary.tasks": "tasks of the plan",
    "diffusion.days": "issue dates and the days between them",
    "diffusion.earlier_date": "issue dates and the days between them",
    "diffusion.earlier_id": "the plan issued first and the one issued later",
    "diffusion.earlier_level": "levels",
    "diffusion.exclusive_chars": "of those, the ones the later plan does not also share with a plan issued before it at a higher level than the earlier plan (text both could have taken from above)",
    "diffusion.exclusive_share": "exclusive_chars / the later plan's characters",
    "diffusion.later_date": "issue dates and the days between them",
    "diffusion.later_id": "the plan issued first and the one issued later",
    "diffusion.later_level": "levels",
    "diffusion.passages": "shared passages",
    "diffusion.relation": "of the earlier plan to the later: `parent`, `ancestor`, `child` (the later plan is the earlier one's parent), `same_province`, `other`",
    "diffusion.shared_chars": "characters of the later plan in passages shared with the earlier one (union)",
    "escalation_by_level.added": "number of the plan's own targets (or tasks) with no counterpart in the parent",
    "escalation_by_level.dropped": "number of the parent's targets (or tasks) with no counterpart in the plan",
    "escalation_by_level.lowered": "number of matched targets set lower than the parent's",
    "escalation_by_level.matched": "raised + same + lowered",
    "escalation_by_level.parent_later_plans": ("plans of this row whose parent was issued after them (their "
                                               "differences are no choice against the parent)"),
    "escalation_by_level.parent_level": "the parent plan (empty when no ancestor has a plan)",
    "escalation_by_level.raised": "number of the plan's targets set higher than the parent's (matched targets)",
    "escalation_by_level.same": "number of matched targets set at the parent's value",
    "escalation_summary.added": "number of the plan's own targets (or tasks) with no counterpart in the parent",
    "escalation_summary.dropped": "number of the parent's targets (or tasks) with no counterpart in the plan",
    "escalation_summary.lowered": "number of matched targets set lower than the parent's",
    "escalation_summary.matched": "raised + same + lowered",
    "escalation_summary.parent_id": "the parent plan (empty when no ancestor has a plan)",
    "escalation_summary.parent_level": "the parent plan (empty when no ancestor has a plan)",
    "escalation_summary.raised": "number of the plan's targets set higher than the parent's (matched targets)",
    "escalation_summary.same": "number of matched targets set at the parent's value",
    "lineage.ancestors": "the chain above the plan, nearest first, e.g. `银川市 > 宁夏回族自治区 > 中国` (empty for national plans)",
    "lineage.date_source": "the date used: ISO date (`issued_date`) or a year (`file_name`, `period_start`); empty when unknown",
    "lineage.note": "a sidecar `parent` that names no plan of the corpus",
    "lineage.parent_date": "the parent plan (empty when no ancestor has a plan)",
    "lineage.parent_earlier": "true when the parent was issued before the plan, false when after (nearest in time taken), empty when the order is unknown (same year, dates known to the year only)",
    "lineage.parent_id": "the parent plan (empty when no ancestor has a plan)",
    "parent_issued_after": ("true when the parent plan is known to be issued after the plan (the plan could not "
                            "follow, lower or drop a target that did not exist yet); false when before or the same "
                            "day; empty when unknown (a missing date, the same year known to the year only)"),
    "target_escalation.match": ("how strictly the pair compares one thing: `same_indicator` (subject and sampling "
                                "level agree), `same_subject` (different sampling levels); empty for dropped and added "
                                "rows. Targets of different subjects are never paired"),
    "target_escalation.parent_indicator_sampling": "the parent's target (empty for `added`)",
    "lineage.parent_jurisdiction": "the parent plan (empty when no ancestor has a plan)",
    "lineage.parent_level": "the parent plan (empty when no ancestor has a plan)",
    "lineage.parent_source": "`gazetteer` or `sidecar`",
    "lineage.plan_date": "the date used: ISO date (`issued_date`) or a year (`file_name`, `period_start`); empty when unknown",
    "target_escalation.difference": "child value − parent value",
    "target_escalation.direction": "`raised` (higher number), `same`, `lowered`; `dropped` (the parent's target, no counterpart), `added` (the child's own)",
    "target_escalation.label_similarity": "bigram Dice of the two labels (0–1)",
    "target_escalation.parent_comparator": "the parent's target (empty for `added`)",
    "target_escalation.parent_deadline_year": "the parent's target (empty for `added`)",
    "target_escalation.parent_id": "its parent (from `lineage`)",
    "target_escalation.parent_jurisdiction": "its parent (from `lineage`)",
    "target_escalation.parent_label": "the parent's target (empty for `added`)",
    "target_escalation.parent_level": "its parent (from `lineage`)",
    "target_escalation.parent_target_id": "the parent's target (empty for `added`)",
    "target_escalation.parent_value": "the parent's target (empty for `added`)",
    "target_escalation.stricter": "whether the child's number is the more demanding one: higher, or lower when both set a ceiling (`<=`); empty for `same` and unmatched rows",
    "task_adoption.parent_id": "the child plan and its parent",
    "task_adoption.parent_task": "the parent's task (empty for `added`)",
    "task_adoption.parent_title": "the two tasks' titles",
    "task_adoption.shared_chars": "characters of the parent task (for `added`: of the child task) in passages shared with the other plan, and their part of the task",
    "task_adoption.status": "`copied`: at least `copy_share` (0.5) of the parent task's characters stand in passages shared word for word with the child (`text_reuse`); `adapted`: its best child task scores at least `adapt_score` (0.2, TF-IDF cosine); `dropped`: neither; `added`: a child task that copies less than half of its text from the parent and scores under 0.2 with every parent task",
}


def describe(table: str, column: str) -> str:
    """Meaning of ``column`` of ``table`` ('' when not described)."""
    return COLUMNS.get(f"{table}.{column}") or COLUMNS.get(column, "")
