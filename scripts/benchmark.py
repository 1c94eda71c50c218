"""Speed and memory of the pipeline on a synthetic corpus of N copies of data/raw.

Targets are checked here, never in a timed unit test:

    python scripts/benchmark.py --copies 40    # 200 plans

prints plans/second and peak memory (tracemalloc) for load + every table.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

import policycompare as pc

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--max-seconds-per-plan", type=float, default=0.5)
    parser.add_argument("--max-peak-mb", type=float, default=1500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for k in range(args.copies):
            for src in sorted((ROOT / "data" / "raw").glob("*.txt")):
                shutil.copy(src, raw / f"{src.stem}_c{k}{src.suffix}")
        n = len(list(raw.iterdir()))
        tracemalloc.start()
        t0 = time.perf_counter()
        result = pc.run_pipeline(raw, Path(tmp) / "out", figures_dir=Path(tmp) / "figures")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    per_plan = elapsed / n
    peak_mb = peak / 1e6
    print(f"{n} plans, {len(result.corpus.tasks)} tasks, {len(result.corpus.targets)} targets")
    print(f"{elapsed:.2f} s in all, {per_plan * 1000:.1f} ms per plan, peak {peak_mb:.0f} MB (tracemalloc)")
    ok = per_plan <= args.max_seconds_per_plan and peak_mb <= args.max_peak_mb
    print("OK" if ok else "SLOWER OR BIGGER THAN THE TARGET")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
