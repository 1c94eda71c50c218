"""Rule words come from the data files only (policycompare.rules)."""

from __future__ import annotations

from policycompare import compare, schema
from policycompare.config import PACKAGE_DATA, read_data_csv, read_toml
from policycompare.extract import agencies
from policycompare.rules import metric_names, part_rules, role_patterns
from policycompare.structure import classify_part


def test_every_role_word_of_the_table_is_read():
    rows = read_data_csv("agency_roles.csv")
    r = role_patterns()
    for row in rows:
        places = row["where"].split()
        if "label" in places:
            assert r.label.match(row["word"] + "单位:").group(1) == row["word"]
            assert r.label_roles[row["word"]] == row["role"]
            assert r.label_lines.search("正文\n" + row["word"] + "部门:某局")
        if "clause" in places:
            assert r.clause.search("市质监局" + row["word"]).group(1) == row["word"]
            assert r.clause_roles[row["word"]] == row["role"]
            assert r.trailing_clause.sub("", "开展抽查(市质监局" + row["word"] + ")") == "开展抽查"
        if "line" in places:
            assert r.line_roles[row["word"]] == row["role"]
    assert r.roles == ("lead", "cooperate", "responsible", "guide") == agencies.ROLES
    # the extractor uses these very patterns
    assert agencies._LABEL is r.label and agencies._CLAUSE_ROLE is r.clause


def test_longer_clause_words_win():
    r = role_patterns()
    assert r.clause.search("市质监局牵头负责").group(1) == "牵头负责"
    assert r.clause_roles["牵头负责"] == "lead" and r.clause_roles["负责"] == "responsible"


def test_parts_come_from_parts_toml():
    raw = read_toml(PACKAGE_DATA / "parts.toml")["parts"]
    assert [name for name, _ in part_rules()] == [p["name"] for p in raw]
    assert classify_part("附件2 重点任务分解表") == "annex"
    assert classify_part("保障措施") == "safeguards"


def test_metric_names_come_from_targets_toml():
    raw = read_toml(PACKAGE_DATA / "targets.toml")
    names = metric_names()
    assert set(names) == {m["name"] for m in raw["metrics"]} | {raw["other_metric"]["name"]}
    assert names[-1] == raw["other_metric"]["name"]
    assert compare.METRICS == names
    assert list(schema.SCHEMAS["targets_by_metric"])[1:] == list(names)
    assert all(schema.describe("targets_by_metric", name) for name in names)
