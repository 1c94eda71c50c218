"""Task similarity on hand-checked pairs: the model against the crude baseline and the former ranker.

    python scripts/evaluate_similarity.py            # dev pairs + the seeds' easy cases
    python scripts/evaluate_similarity.py --loo      # also leave-one-out choice of the weights
    python scripts/evaluate_similarity.py --scale 200    # top-k timing and recall against the exact top-k:
                                                         # 200 perturbed copies of the 5 seeds = 1,000 plans, 34,200 tasks

Dev pairs: tests/data/dev/gold/similar_pairs.csv over the five seeds (data/raw) and the 25
development pages (tests/data/dev/raw) read together as ONE corpus.  Easy cases:
tests/data/similar_pairs_seeds.csv over the seeds alone.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

import policycompare as pc
from policycompare.analyze import similarity
from policycompare.evaluate import pairs as evaluate

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
DEV = ROOT / "tests" / "data" / "dev"
NAMES = {"hybrid": "model (words + chars, clause re-rank)", "char": "baseline: char 2-3-gram TF-IDF",
         "word": "former ranker: jieba words TF-IDF"}


def table(corpus, pairs, title):
    out = evaluate.compare_rankers(corpus, pairs)
    out.insert(1, "what", out["ranker"].map(NAMES))
    print(f"\n{title} ({len(pairs)} pairs)")
    print(out.to_string(index=False))


def score_distribution(corpus, pairs):
    rows = evaluate.evaluate(corpus, pairs, "hybrid")
    for title, cols in (("rank_in_plan score (cosine + clause weight x clause alignment)", ("score", "distractor_score")),
                        ("corpus-wide cosine (what `similar` and task_similarity show)", ("cosine", "distractor_cosine"))):
        print(f"\n{title}, model:")
        for name, col in zip(("true pair", "best distractor"), cols):
            v = rows[col].to_numpy()
            print(f"  {name:16s} min {v.min():.3f}  median {np.median(v):.3f}  max {v.max():.3f}")
        margin = rows[cols[0]] - rows[cols[1]]
        print(f"  margin true - distractor: min {margin.min():+.3f}  median {margin.median():+.3f}  max {margin.max():+.3f}")
    full = similarity.task_similarity(corpus, k=10)
    q = full.groupby("task_a")["score"].max().quantile([0.1, 0.5, 0.9]).round(3).to_dict()
    print(f"  every task's best match in the corpus: 10% {q[0.1]}, median {q[0.5]}, 90% {q[0.9]}")
    r1 = full[full["rank"] == 10]["score"]
    print(f"  score of the 10th match: median {r1.median():.3f}")


def ablation(corpus, pairs):
    """The clause alignment at one granularity only (sentences: the former re-rank; comma parts), in-sample
    at its own leave-one-out's most chosen weights and cross-validated."""
    saved = similarity.CLAUSE_SPLITS
    print("\nclause granularities (in-sample at the most chosen weights | leave-one-out):")
    try:
        for name, splits in (("sentences and comma parts (model)", saved),
                             ("sentences only (former re-rank)", (similarity._CLAUSE_END,)),
                             ("comma parts only", (similarity._PART_END,))):
            similarity.CLAUSE_SPLITS = splits
            loo = evaluate.leave_one_out(corpus, pairs)
            w, c = loo.groupby(["word_weight", "clause_weight"]).size().idxmax()
            saved_w = similarity.WORD_WEIGHT
            similarity.WORD_WEIGHT = w
            similarity._MODELS.pop(corpus, None)
            ins = evaluate.summary(evaluate.evaluate(corpus, pairs, "hybrid", clause_weight=c))
            similarity.WORD_WEIGHT = saved_w
            similarity._MODELS.pop(corpus, None)
            print(f"  {name:36s} word {w}, clause {c}: {ins} | {evaluate.summary(loo)}")
    finally:
        similarity.CLAUSE_SPLITS = saved


class SyntheticCorpus:
    """Just what the similarity code reads from a corpus: tasks, task_tokens, plan_ids."""

    def __init__(self, tasks: pd.DataFrame, task_tokens: list[list[str]]) -> None:
        self.tasks, self.task_tokens = tasks, task_tokens
        self.plan_ids = sorted(tasks["plan_id"].unique())


def synthetic(copies: int, seed: int = 0):
    """A corpus-like object of ``copies`` perturbed copies of the seeds' tasks (tokens reused, as the cache would)."""
    base = pc.load_corpus(RAW)
    tasks, tokens = base.tasks.reset_index(drop=True), base.task_tokens
    rng = random.Random(seed)
    frames, toks = [], []
    for c in range(copies):
        t = tasks[["plan_id", "task_id", "part", "title", "text"]].copy()
        t["plan_id"] = t["plan_id"] + f"_c{c}"
        t["task_id"] = t["plan_id"] + ":" + t["task_id"].str.split(":").str[1]
        texts = []
        for text in t["text"]:
            chars = list(re.sub(r"\d+", lambda m: str(rng.randint(1, 99)), text))
            for _ in range(3):  # swap three characters
                i = rng.randrange(len(chars) - 1) if len(chars) > 1 else 0
                chars[i:i + 2] = chars[i:i + 2][::-1]
            texts.append("".join(chars))
        t["text"] = texts
        frames.append(t)
        toks += [list(x) for x in tokens]
    return SyntheticCorpus(pd.concat(frames, ignore_index=True), toks)


def scale(copies: int):
    corpus = synthetic(copies)
    n = len(corpus.tasks)
    t0 = time.perf_counter()
    model = similarity.task_model(corpus)
    t1 = time.perf_counter()
    top = similarity.task_similarity(corpus, k=10)
    t2 = time.perf_counter()
    plans = similarity.plan_similarity(corpus)
    t3 = time.perf_counter()
    exact = similarity.task_similarity(corpus, k=10, exact=True)
    t4 = time.perf_counter()
    print(f"\nscale: {copies} copies of the seeds = {len(corpus.plan_ids)} plans, {n} tasks, "
          f"{model.matrix.shape[1]} features, {model.matrix.nnz} non-zeros")
    print(f"  fit {t1 - t0:.1f} s; task_similarity top-10 {t2 - t1:.1f} s ({len(top)} rows); "
          f"plan_similarity {t3 - t2:.1f} s ({len(plans)} rows); exact top-10 {t4 - t3:.1f} s")
    pairs = set(zip(exact["task_a"], exact["task_b"]))
    first = exact[exact["rank"] == 1].set_index("task_a")
    mine = top[top["rank"] == 1].set_index("task_a").reindex(first.index)
    lost = int(((first["score"] >= 0.5) & (mine["score"].fillna(0) < 0.5)).sum())
    print(f"  of the exact top-10 pairs {len(pairs & set(zip(top['task_a'], top['task_b']))) / len(pairs):.2%} found, "
          f"of the exact best matches {(mine['task_b'] == first['task_b']).mean():.2%} at rank 1; "
          f"{lost} tasks whose exact best scores >= 0.5 got a best below")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loo", action="store_true", help="leave-one-out choice of the weights on the dev pairs")
    parser.add_argument("--scale", type=int, default=0,
                        help="time the top-k on this many perturbed copies of the five seeds (200: 1,000 plans, 34,200 tasks)")
    args = parser.parse_args()
    dev = evaluate.load_dev_corpus([RAW, DEV / "raw"])
    dev_pairs = evaluate.read_pairs(DEV / "gold" / "similar_pairs.csv")
    table(dev, dev_pairs, "dev pairs (seeds + 25 dev pages as one corpus)")
    table(pc.load_corpus(RAW), evaluate.read_pairs(ROOT / "tests" / "data" / "similar_pairs_seeds.csv"),
          "seeds' easy cases")
    score_distribution(dev, dev_pairs)
    if args.loo:
        loo = evaluate.leave_one_out(dev, dev_pairs)
        print("\nleave-one-out (weights chosen on the other 14 pairs):", evaluate.summary(loo))
        print(loo.groupby(["word_weight", "clause_weight"]).size().rename("times chosen").to_string())
        ablation(dev, dev_pairs)
    if args.scale:
        scale(args.scale)


if __name__ == "__main__":
    main()
