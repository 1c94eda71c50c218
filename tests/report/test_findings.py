"""Findings: computed sentences that name every tied item, get plurals right, stay English in English,
and say when a parent plan was issued after its plan."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

import policycompare as pc
from policycompare.analyze import compare
from policycompare.report import findings

_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_sector_findings_name_every_tied_category(corpus):
    zh, en = findings.sector_findings(corpus).split("\n")
    cov = compare.sector_coverage(corpus)
    per_category = cov[cov["mentions"] > 0].groupby("label_zh")["plan_id"].nunique()
    tied = per_category[per_category == per_category.max()]
    assert len(tied) == 7  # seven categories are named by all five seeds (sector_coverage.csv)
    assert all(label in zh for label in tied.index) and "7 个并列" in zh and "全部 5 个规划" in zh
    assert "(all 5 plans; 7 tie)" in en and "Household appliances" in en and "Food and related products" in en
    untied = per_category[per_category < per_category.max()].index
    assert not any(f"{label}、" in zh.split("；")[0] or zh.split("；")[0].endswith(label) for label in untied)


def test_agency_findings_name_every_agency_tied_with_the_last(monkeypatch):
    roles = pd.DataFrame({
        "plan_id": ["a", "a", "b", "b", "b"], "agency_canonical": ["质监局", "经信委", "商务厅", "科技厅", "工商局"],
        "collective": [False] * 5, "lead": [9, 5, 3, 3, 3], "responsible": [0] * 5, "guide": [0] * 5,
        "division": [False] * 5,
    })
    # an internal division (质量处) leading more tasks than any agency is still no agency of its own
    roles = pd.concat([roles, pd.DataFrame({"plan_id": ["b"], "agency_canonical": ["质量处"], "collective": [False],
                                            "lead": [20], "responsible": [0], "guide": [0], "division": [True]})])
    monkeypatch.setattr(compare, "agency_roles", lambda corpus: roles)
    zh, en = findings.agency_findings(SimpleNamespace(), top=3).split("\n")
    assert "质量处" not in zh
    for name in ("质监局", "经信委", "商务厅", "科技厅", "工商局"):
        assert name in zh
    assert "第 3 名并列，共 5 个" in zh and "(5, tied at rank 3)" in en
    assert "(9 tasks in 1 plan)" in en and not _CJK.search(en)


def test_overview_names_tied_plans_and_counts_in_the_right_number(monkeypatch):
    plans = pd.DataFrame({"plan_id": ["a_2017", "b_2017"], "jurisdiction": ["灵武市", "湖南省"], "level": ["county", "province"],
                          "n_tasks": [1, 1], "issued_date": ["", ""], "period_start": [pd.NA, pd.NA], "province": ["", ""]})
    zh, en = findings.overview_findings(SimpleNamespace(plans=plans)).split("\n")
    assert "灵武市、湖南省（各 1 项）" in zh
    assert en.startswith("2 plans (1 county-level, 1 provincial), 2 tasks;") and "Lingwu and Hunan (1 task each)" in en
    one = findings.overview_findings(SimpleNamespace(plans=plans.iloc[:1])).split("\n")[1]
    assert one.startswith("1 plan (1 county-level), 1 task;")


def test_english_lines_are_english(with_parents):
    for make in (findings.overview_findings, findings.pass_rate_findings, findings.agency_findings,
                 findings.sector_findings, findings.timing_findings, findings.escalation_findings,
                 findings.adoption_findings, findings.target_findings, findings.similarity_findings):
        lines = make(with_parents).split("\n")
        chinese, english = lines[0::2], lines[1::2]
        assert all(_CJK.search(line) for line in chinese), make.__name__
        assert english and not any(_CJK.search(line) for line in english), (make.__name__, english)


def test_timing_is_stated_wherever_a_parent_came_later(with_parents):
    zh, en = findings.timing_findings(with_parents).split("\n")
    assert "灵武市（2017-10-16）的上级宁夏回族自治区（2018）" in zh
    assert "Lingwu (2017-10-16) under Ningxia (2018)" in en
    zh, en = findings.escalation_findings(with_parents).split("\n")
    # 宁夏's industrial-products 95 is compared with nothing; 湖南 against the nation: the same subject
    assert "95% 对" not in zh and "宁夏回族自治区 工业产品 95%" in zh
    assert "Hunan 90% against China's 90% (consumer goods, same, other sampling level)" in en
    zh, en = findings.adoption_findings(with_parents).split("\n")
    lingwu = [part for part in en.split("; ") if part.startswith("Lingwu")]
    assert lingwu and "(the parent was issued later: similar wording, not adoption)" in en.split("Lingwu")[1].split(
        "Ningxia ←")[0]
    assert "灵武市 ← 宁夏回族自治区" in zh and "上级发布在后" in zh


def test_pass_rates_are_stated_one_subject_at_a_time(with_parents):
    zh, en = findings.pass_rate_findings(with_parents).split("\n")
    consumer, industrial = zh.split("；")[0], zh.split("；")[1]
    assert "消费品" in consumer and "宁夏" not in consumer
    assert industrial.startswith("工业产品") and "宁夏回族自治区 95%" in industrial
    assert "consumer goods: Lingwu 92%, Sichuan 91.5% (national sampling)" in en
    assert "industrial products: Ningxia 95%" in en


def test_findings_show_as_markdown_and_print_as_text(corpus):
    text = findings.overview_findings(corpus)
    assert isinstance(text, str) and text.count("\n") == 1
    assert text._repr_markdown_() == text.replace("\n", "\n\n")
    from IPython.lib.pretty import pretty

    assert pretty(text) == str(text)  # Jupyter's plain text: the sentences, not a quoted repr


def test_readme_and_docs_examples_print_what_the_code_prints(corpus):
    import doctest

    from ..conftest import REPO

    # the README's examples moved to docs/ with its sections (the findings ones to docs/outputs.md)
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    blocks = [b.split("```", 1)[0] for b in text.split("```python\n")[1:]]
    examples = "\n".join(b for b in blocks if b.lstrip().startswith(">>>"))
    assert "pc.findings" in examples
    test = doctest.DocTestParser().get_doctest(examples, {"pc": pc, "corpus": corpus}, "README and docs", "docs/", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 2
