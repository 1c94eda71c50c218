"""The README and the documentation site: the codebook page follows the schema, the site builds
with ``mkdocs build --strict``, the README stays short, its links resolve, and its test command
is the one CI runs."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from policycompare import schema

from .conftest import REPO

DOCS = REPO / "docs"


def _codebook_script():
    spec = importlib.util.spec_from_file_location("codebook_script", REPO / "scripts" / "codebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_codebook_page_is_the_generators_output():
    generated = _codebook_script().render()
    committed = (DOCS / "codebook.md").read_text(encoding="utf-8")
    assert committed == generated, "docs/codebook.md drifted from policycompare.schema: run python scripts/codebook.py"


def test_codebook_lists_every_column_of_every_table_with_its_meaning():
    page = (DOCS / "codebook.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+)\n(.*?)(?=^##|\Z)", page, flags=re.M | re.S))
    assert set(sections) == set(schema.SCHEMAS)
    for table, columns in schema.SCHEMAS.items():
        rows = dict(re.findall(r"^\| (\w+) \| [^|]+ \| (.+) \|$", sections[table], flags=re.M))
        rows.pop("column")  # the header row
        assert list(rows) == list(columns), table
        assert all(meaning.strip() for meaning in rows.values()), table
        assert schema.DESCRIPTIONS[table][:40] in sections[table].replace("\\|", "|")


def test_codebook_generator_refuses_a_table_it_does_not_place(monkeypatch):
    script = _codebook_script()
    monkeypatch.setitem(schema.SCHEMAS, "new_table", {"plan_id": "string"})
    with pytest.raises(ValueError, match="missing \\['new_table'\\]"):
        script.render()


def test_readme_is_short_and_its_test_command_is_what_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("\n") <= 250
    ci_command = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    commands = [line for block in blocks for line in block.splitlines() if "pytest" in line]
    assert commands == [ci_command]
    assert '".[dev,docs]"' in ci_command  # so the suite's mkdocs build runs under CI


def test_readme_links_point_at_existing_pages():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs/)[^)#]+)(?:#[^)]*)?\)", readme)
    assert len(links) >= 10
    missing = sorted({link for link in links if not (REPO / link).is_file()})
    assert not missing


def test_mkdocs_build_strict(tmp_path):
    needed = ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")
    if any(importlib.util.find_spec(name) is None for name in needed):
        reason = "mkdocs, mkdocs-material or mkdocstrings[python] is not installed: pip install -e '.[docs]'"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(REPO / "mkdocs.yml"),
                             "--site-dir", str(tmp_path / "site")],
                            cwd=REPO, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert (site / "codebook" / "index.html").is_file()
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    # the public API (pc.load_corpus, pc.compare, pc.validate …) under the modules that define it
    for name in ("policycompare.run.load.load_corpus", "policycompare.plan.read_plan",
                 "policycompare.export.tables.read_tables", "policycompare.analyze.compare",
                 "policycompare.analyze.similarity", "policycompare.analyze.reuse", "policycompare.analyze.escalation",
                 "policycompare.report.figures", "policycompare.report.findings", "policycompare.evaluate.gold"):
        assert f'id="{name}"' in api, name
