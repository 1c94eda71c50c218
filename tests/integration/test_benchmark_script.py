"""scripts/benchmark.py's own logic: the targets it checks and the stage times it reads (no timing here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "benchmark.py"
spec = importlib.util.spec_from_file_location("benchmark_script", SCRIPT)
benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(benchmark)


def _row(n, cold_vs_floor=2.0, peak=1.5, unchanged=0.01, plus_one=0.1, output=400.0):
    return {"plans": n, "cold_vs_floor": cold_vs_floor, "peak_gb": peak, "unchanged_vs_cold": unchanged,
            "plus_one_vs_cold": plus_one, "output_mb": output}


def test_check_applies_the_speed_and_memory_targets_at_a_thousand_plans():
    assert benchmark.check([_row(1000)]) == []
    misses = benchmark.check([_row(1000, cold_vs_floor=2.6, peak=2.1, unchanged=0.06, plus_one=0.2)])
    assert len(misses) == 4 and all(m.startswith("N=1000") for m in misses)
    assert benchmark.check([_row(100, cold_vs_floor=4.0, peak=2.5)]) == []  # small corpora: start-up dominates


def test_check_wants_memory_and_outputs_linear_in_the_plans():
    assert benchmark.check([_row(1000, peak=1.9, output=400), _row(10_000, peak=13.3, output=4000)]) == []
    misses = benchmark.check([_row(1000, peak=1.0, output=400), _row(10_000, peak=15.0, output=6000)])
    assert [m.split(":")[1].strip().split(" grew")[0] for m in misses] == ["peak memory", "output size"]


def test_stage_seconds_reads_the_times_run_v_prints():
    log = "\n".join([
        "[    0.0 s] reading          0/5", "[    2.3 s] reading          5/5", "[    3.4 s] tables           0/4",
        "[    4.6 s] similarity       1/4", "[    4.7 s] text reuse       2/4", "[    4.9 s] escalation       3/4",
        "[    5.0 s] tables           4/4", "[    5.0 s] workbook         0/25", "[    5.1 s] writing tables   0/30",
        "[    5.6 s] writing tables   30/30", "[    5.9 s] workbook         25/25",
        "warning hunan_2017.txt: removed 8 mojibake fragment(s)",
    ])
    got = benchmark.stage_seconds(log, total=7.0)
    assert got == {"map_s": 3.4, "compare_s": 1.2, "similarity_s": 0.1, "reuse_s": 0.2, "escalation_s": 0.1,
                   "write_s": 0.9, "other_s": 1.1}


def test_recall_counts_pairs_best_matches_and_lost_bests():
    import pandas as pd

    exact = pd.DataFrame({"task_a": ["a", "a", "b", "b", "c"], "task_b": ["x", "y", "x", "z", "y"],
                          "score": [0.9, 0.5, 0.6, 0.4, 0.3], "rank": [1, 2, 1, 2, 1]})
    found = pd.DataFrame({"task_a": ["a", "a", "b", "b", "c"], "task_b": ["x", "w", "z", "v", "y"],
                          "score": [0.9, 0.2, 0.4, 0.1, 0.3], "rank": [1, 2, 1, 2, 1]})
    got = benchmark.recall(found, exact)
    assert got == {"recall_pairs": 3 / 5, "recall_rank1": 2 / 3, "lost_best": 1, "worse_best": 1}
    assert benchmark.recall(exact, exact) == {"recall_pairs": 1.0, "recall_rank1": 1.0, "lost_best": 0, "worse_best": 0}
    misses = benchmark.check([{**_row(1000), **got}])
    assert len(misses) == 1 and "similarity recall 60.00%" in misses[0]
