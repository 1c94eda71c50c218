"""Rule words come from the data files only (policycompare.rules.readers)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from policycompare import schema
from policycompare.analyze import compare
from policycompare.config import PACKAGE_DATA, read_data_csv, read_toml
from policycompare.extract import agencies, targets
from policycompare.parse import metadata
from policycompare.parse.headings import classify_part
from policycompare.rules.readers import metric_names, part_rules, pass_rate_domain_columns, role_patterns, role_words


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


# Editing a data file changes every code path that reads it.  Each test edits a
# copy of the data folder and runs the extractors in a fresh interpreter pointed
# at it (the patterns are compiled once, at import), and checks that the same
# text gives nothing with the shipped data.

AGENCY_TEXT = "加强产品质量监督抽查(市质监局、市经信委一并负责)。\n市商务局、市农委一并负责。\n牵头科室:市统计局\n(质量提升专班负责)"
TARGET_TEXT = "到2020年,重点产品质量合格率达到95%,每季度抽查企业50家,产品质量达标率达到96%,玩具产品质量合格率达到97%。"


def _with_data(tmp_path, edits: dict, code: str):
    """``code``'s printed JSON, run with a copy of the data folder edited by ``edits`` ({file: (old, new)})."""
    data = tmp_path / "data"
    shutil.copytree(PACKAGE_DATA, data)
    for name, (old, new) in edits.items():
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    prelude = f"import json, pathlib, policycompare.config as c\nc.PACKAGE_DATA = pathlib.Path({str(data)!r})\n"
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


_AGENCY_CODE = f"""
from policycompare.extract.agencies import extract_agencies
from policycompare.rules.readers import role_patterns
t = {AGENCY_TEXT!r}
rows, _ = extract_agencies("p", t, [{{"task_id": "p:1", "char_start": 0, "char_end": len(t)}}])
r = role_patterns()
print(json.dumps({{"rows": sorted([row["role"], row["agency"]] for row in rows),
                  "clause": r.clause.search("市质监局一并负责").start(), "line": r.line.match("市质监局一并负责。").group(1)}}))
"""


def _agency_result():
    rows, _ = agencies.extract_agencies("p", AGENCY_TEXT, [{"task_id": "p:1", "char_start": 0, "char_end": len(AGENCY_TEXT)}])
    r = role_patterns()
    return {"rows": sorted([row["role"], row["agency"]] for row in rows),
            "clause": r.clause.search("市质监局一并负责").start(), "line": r.line.match("市质监局一并负责。").group(1)}


def test_every_lead_in_word_is_read_by_clauses_and_closing_lines():
    r = role_patterns()
    words = role_words()
    for before in words["after_names"]:
        for after in ("", *words["before_role"]):
            assert r.clause.search("市质监局" + before + after + "负责").start() == 4
            assert r.line.match("市质监局、市经信委" + before + after + "负责落实。").group(1) == "市质监局、市经信委"
    assert agencies._forms()["line"] is r.line
    # 一并 is no lead-in: it stays with the names, which then are no agency
    assert _agency_result() == {"rows": [], "clause": 6, "line": "市质监局一并"}


def test_editing_the_role_words_changes_clauses_lines_and_labels(tmp_path):
    edits = {"agency_role_words.toml": ('"分别", "共同"', '"分别", "一并", "共同"')}
    got = _with_data(tmp_path, edits, _AGENCY_CODE)
    assert got["clause"] == 4 and got["line"] == "市质监局"
    assert got["rows"] == sorted([["responsible", "市质监局"], ["responsible", "市经信委"],
                                  ["responsible", "市商务局"], ["responsible", "市农委"]])
    edits = {"agency_role_words.toml": ('label_nouns = ["单位", "部门"]', 'label_nouns = ["单位", "部门", "科室"]')}
    assert _with_data(tmp_path / "b", edits, _AGENCY_CODE)["rows"] == [["lead", "市统计局"]]


def test_editing_the_agency_names_changes_the_extractor(tmp_path):
    assert not agencies.looks_like_agency("质量提升专班")
    edits = {"agency_names.toml": ('"协会", "党委"]', '"协会", "党委", "专班"]')}
    got = _with_data(tmp_path, edits, _AGENCY_CODE)
    assert got["rows"] == [["responsible", "质量提升专班"]]
    edits = {"agency_names.toml": ('words = ["各",', 'words = ["全体", "各",')}
    code = "from policycompare.extract.agencies import is_collective\nprint(json.dumps(is_collective('全体党组')))"
    assert not agencies.is_collective("全体党组")
    assert _with_data(tmp_path / "b", edits, code) is True


_TARGET_CODE = f"""
from policycompare.extract.targets import extract_targets
rows = extract_targets("p", {TARGET_TEXT!r}, [], 2020)
print(json.dumps([[r["label"], r["metric"], r["domain"], r["per_year"]] for r in rows]))
"""

_SHIPPED_TARGETS = [["重点产品质量合格率", "pass_rate", "product_quality", False],
                    ["每季度抽查企业", "other", "", False],
                    ["产品质量达标率", "other", "", False],
                    ["玩具产品质量合格率", "pass_rate", "product_quality", False]]


def test_editing_the_target_words_changes_labels_per_year_and_domains(tmp_path):
    rows = targets.extract_targets("p", TARGET_TEXT, [], 2020)
    assert [[r["label"], r["metric"], r["domain"], r["per_year"]] for r in rows] == _SHIPPED_TARGETS
    edits = {"targets.toml": ('"累计"]\n# Words that make a target yearly', '"累计", "重点"]\n# Words that make a target yearly')}
    assert _with_data(tmp_path / "a", edits, _TARGET_CODE)[0][0] == "产品质量合格率"
    edits = {"targets.toml": ('per_year = ["每年",', 'per_year = ["每季度", "每年",')}
    assert _with_data(tmp_path / "b", edits, _TARGET_CODE)[1][3] is True
    edits = {"targets.toml": ('label = "合格率"', 'label = "合格率|达标率"')}
    assert _with_data(tmp_path / "c", edits, _TARGET_CODE)[2] == ["产品质量达标率", "other", "product_quality", False]


def test_a_new_pass_rate_domain_gets_its_column_everywhere(tmp_path):
    assert compare.OTHER_PASS_RATE_DOMAINS == pass_rate_domain_columns()
    assert [c for c in schema.SCHEMAS["pass_rates"] if c.startswith("threshold_")] == [
        "threshold_" + d for d in pass_rate_domain_columns()]
    edits = {"targets.toml": ('[[pass_rate_domains]]\nname = "manufacturing"',
                              '[[pass_rate_domains]]\nname = "toy"\ncolumn = 7\npattern = "玩具"\n\n'
                              '[[pass_rate_domains]]\nname = "manufacturing"')}
    code = f"""
import pandas as pd
from types import SimpleNamespace
from policycompare.analyze import compare
from policycompare import schema
from policycompare.extract.indicators import add_indicator_key
from policycompare.extract.targets import extract_targets
rows = add_indicator_key(extract_targets("p", {TARGET_TEXT!r}, [], 2020), {TARGET_TEXT!r})
corpus = SimpleNamespace(targets=pd.DataFrame(rows),
                         plans=pd.DataFrame({{"plan_id": ["p"], "jurisdiction": ["某市"], "level": ["prefecture"]}}))
rates = compare.pass_rates(corpus)
print(json.dumps({{"domains": list(compare.OTHER_PASS_RATE_DOMAINS), "columns": list(schema.SCHEMAS["pass_rates"])[-7:],
                  "about": schema.describe("pass_rates", "threshold_toy"), "toy": float(rates.loc[0, "threshold_toy"]),
                  "threshold": float(rates.loc[0, "threshold"])}}))
"""
    got = _with_data(tmp_path, edits, code)
    assert got["domains"][-1] == "toy" and got["columns"][-1] == "threshold_toy"
    assert "toy" in got["about"]
    assert got["toy"] == 97.0 and got["threshold"] == 95.0
    edits = {"targets.toml": ('name = "food"\ncolumn = 1\n', 'name = "food"\n')}
    with pytest.raises(AssertionError, match="without a column"):
        _with_data(tmp_path / "b", edits, "from policycompare import schema")


_METADATA_TEXTS = ["某市质量提升三年行动纲领\n\n一、总体要求\n加强质量工作。\n",
                   "某市质量提升专班关于印发某市质量提升方案的通知\n\n一、总体要求\n加强质量工作。\n",
                   "为对照《质量发展纲要(2011-2020年)》,现提出如下意见。\n一、总体要求\n加强质量工作。\n"]
_METADATA_CODE = f"""
from policycompare.parse.metadata import extract_metadata
found = [extract_metadata(t) for t in {_METADATA_TEXTS!r}]
print(json.dumps([found[0]["title"], found[1]["issuer"], found[2]["period_start"]]))
"""


def test_editing_the_metadata_words_changes_titles_issuers_and_periods(tmp_path):
    found = [metadata.extract_metadata(t) for t in _METADATA_TEXTS]
    assert [found[0]["title"], found[1]["issuer"], found[2]["period_start"]] == ["", "", None]
    edits = {"metadata.toml": ('"规定", "实施方案"]', '"规定", "实施方案", "纲领"]')}
    assert _with_data(tmp_path / "a", edits, _METADATA_CODE)[0] == "某市质量提升三年行动纲领"
    edits = {"metadata.toml": ('"中心", "办"]', '"中心", "办", "专班"]')}
    assert _with_data(tmp_path / "b", edits, _METADATA_CODE)[1] == "某市质量提升专班"
    edits = {"metadata.toml": ('implements = ["贯彻落实",', 'implements = ["对照", "贯彻落实",')}
    assert _with_data(tmp_path / "c", edits, _METADATA_CODE)[2] == 2011


def test_editing_the_units_changes_quantities_and_targets(tmp_path):
    text = "建成质量追溯系统5套。"
    assert [q.unit for q in targets.find_quantities(text)] == [""]
    assert targets.extract_targets("p", text, [], 2020) == []  # a number without a unit
    code = f"""
from policycompare.extract.numbers import find_quantities
from policycompare.extract.targets import extract_targets
print(json.dumps([[q.unit for q in find_quantities({text!r})],
                  [r["value_text"] for r in extract_targets("p", {text!r}, [], 2020)]]))
"""
    edits = {"targets.toml": ('"场", "期"]', '"场", "期", "套"]')}
    assert _with_data(tmp_path, edits, code) == [["套"], ["5套"]]
