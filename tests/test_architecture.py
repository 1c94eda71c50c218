"""The package's shape: stages as layers (import-linter), no cycle, a light map."""

from __future__ import annotations

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


def test_a_small_top_level():
    """At most a dozen modules directly in the package; the rest live in the stage subpackages."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
