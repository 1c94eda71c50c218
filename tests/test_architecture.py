"""The package's shape: stages as layers (import-linter), no cycle, a light map."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "policycompare"


def test_the_layers_contract_holds():
    """``lint-imports`` with the contract of pyproject.toml: each stage imports only from the stages below."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports not found: install the dev extra (pip install -e '.[dev]')")
    done = subprocess.run([exe, "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_no_import_cycle_between_modules():
    """No module reaches itself through imports (those inside functions count too)."""
    import grimp

    graph = grimp.build_graph("policycompare", cache_dir=None)
    modules = sorted(graph.modules)
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == module or module.startswith(imported + "."):
                continue  # a module and the packages it lives in
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            assert chain is None, f"cycle: {module} -> {' -> '.join(chain)}"


@pytest.mark.parametrize("seed", ["lingwu_2017.txt"])
def test_reading_a_plan_loads_no_reduce_or_figure_library(seed):
    """The map stays light: one plan read and parsed without scikit-learn, SciPy, matplotlib or networkx."""
    code = ("import sys, policycompare as pc\n"
            f"plan = pc.read_plan({str(REPO / 'data' / 'raw' / seed)!r})\n"
            "assert plan.structure.tasks and plan.task_tokens\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'matplotlib', 'networkx'})))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"loaded by read_plan: {done.stdout.strip()}"


def test_a_rerun_with_nothing_to_do_loads_no_pandas_nor_parsers(tmp_path):
    """``policycompare run`` on unchanged plans answers from the manifest: no pandas, no parsers."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(REPO / "data" / "raw" / "lingwu_2017.txt", raw)
    args = ["run", "--raw", str(raw), "--out", str(out), "--no-figures", "--no-workbook", "-j", "1", "-q"]
    code = ("import sys\nfrom policycompare.cli import app\n"
            f"sys.argv = ['policycompare', *{args!r}]\n"
            "try:\n    app()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'cn2an', 'jieba'})), "
            "' '.join(sorted(m for m in sys.modules if m.startswith(('policycompare.plan', 'policycompare.parse')))))\n")
    first = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                           timeout=300)
    assert first.returncode == 0, first.stderr
    assert "pandas" in first.stdout  # the first run did the work
    again = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                           timeout=300)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "", f"loaded by a rerun with nothing to do: {again.stdout.strip()}"


def test_a_small_top_level():
    """At most a dozen modules directly in the package; the rest live in the stage subpackages."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def _private_sklearn_names() -> set[str]:
    """Private names of the scikit-learn modules the package uses (module level and of their classes)."""
    import sklearn.feature_extraction.text
    import sklearn.preprocessing

    names = set()
    for module in (sklearn.feature_extraction.text, sklearn.preprocessing):
        for name, value in vars(module).items():
            names.add(name)
            if isinstance(value, type):
                names.update(dir(value))
    # private, but not Python's or Jupyter's protocols (__init__, _repr_html_)
    return {n for n in names if n.startswith("_") and not n.startswith("__") and not n.startswith("_repr_")}


def test_no_private_scikit_learn_name_in_the_package():
    """scikit-learn is used through its public API only: no private module, name, attribute or override."""
    private = _private_sklearn_names()
    assert "_count_vocab" in private  # the counting step ngrams.Vectorizer once overrode
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sklearn"):
                if "._" in node.module or any(alias.name.startswith("_") for alias in node.names):
                    found.append(f"{where} from {node.module} import …")
            elif isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{where} .{node.attr}")
            elif isinstance(node, ast.ClassDef):
                found += [f"{where} def {item.name}" for item in node.body
                          if isinstance(item, ast.FunctionDef) and item.name in private]
    assert not found, found


def test_no_module_over_700_lines():
    """A module longer than this does more than one thing: split it (issue 23's bar)."""
    long = {str(path.relative_to(PACKAGE)): n for path in sorted(PACKAGE.rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 700}
    assert not long, long
