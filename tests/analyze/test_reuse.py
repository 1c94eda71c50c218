"""Text reuse: shared passages between plans and each task's reused share, checked on the seeds and
against straightforward reference implementations (the vectorised code must give the same rows)."""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np

from policycompare.analyze import reuse
from policycompare.evaluate import pairs as evaluate


def _task(corpus, plan_id, snippet):
    return evaluate.find_task(corpus, plan_id, snippet)


def test_text_reuse_finds_the_shared_sentence(corpus):
    table = reuse.text_reuse(corpus)
    pair = table[(table["plan_a"] == "hunan_2017") & (table["plan_b"] == "lingwu_2017")]
    hit = pair[pair["passage"].str.contains("推动消费品标准由生产型向消费型、服务型转变", regex=False)]
    assert len(hit) == 1
    row = hit.iloc[0]
    assert corpus.text("hunan_2017")[row.a_start:row.a_end] == row.passage
    assert corpus.text("lingwu_2017")[row.b_start:row.b_end] == row.passage
    assert row.task_a and row.task_b
    assert (table["length"] >= 12).all() and (table["plan_a"] < table["plan_b"]).all()


def test_reuse_min_len_and_offsets():
    texts = {"a": "一、总则\n推动消费品标准由生产型向消费型转变。其他内容完全不同啊", "b": "我们要推动消费品标准由生产型向消费型转变,别的"}
    found = reuse.shared_passages(texts, min_len=12)
    assert [r["passage"] for r in found] == ["推动消费品标准由生产型向消费型转变"]
    assert reuse.shared_passages(texts, min_len=20) == []
    # an unclosed parenthesis ends a passage: 规划(2016 -> 规划, too short to count
    found = reuse.shared_passages({"a": "规划(2016-2020年)的通知相关", "b": "提升规划(2016年的通知相关"}, min_len=4)
    assert [r["passage"] for r in found] == ["的通知相关"]


def test_reuse_share_per_task(corpus):
    share = reuse.reuse_share(corpus)
    assert len(share) == len(corpus.tasks)
    assert share["share"].between(0, 1).all()
    row = share.set_index("task_id").loc[_task(corpus, "lingwu_2017", "加快建立健全标准体系")]
    assert row["reused_chars"] >= 21 and "hunan_2017" in row["sources"].split(",")


def _reference_pair_passages(ta, tb, wa, wb, k):
    """The passages of two texts as the first implementation found them: runs of shared windows on one
    diagonal (a sort by diagonal, then position), each trimmed by ``reuse._trim`` in Python."""
    ia = np.minimum(np.searchsorted(wa.unique, wb.unique), len(wa.unique) - 1)
    shared = wa.unique[ia] == wb.unique
    ia, ib = ia[shared], np.flatnonzero(shared)
    pa, pb = [], []
    for x, y in zip(ia.tolist(), ib.tolist()):
        for u in range(wa.count[x]):
            for v in range(wb.count[y]):
                pa.append(wa.order[wa.first[x] + u])
                pb.append(wb.order[wb.first[y] + v])
    pairs = sorted(zip((b - a for a, b in zip(pa, pb)), pa))
    out, run = set(), []
    for d, a in pairs + [(None, None)]:
        if run and (d != run[-1][0] or a != run[-1][1] + 1):
            trimmed = reuse._trim(ta, run[0][1], run[-1][1] + k)
            if trimmed and len(reuse._CJK.findall(ta, *trimmed)) >= k:
                out.add((trimmed[0], trimmed[1], trimmed[0] + run[0][0], trimmed[1] + run[0][0]))
            run = []
        run.append((d, a))
    return out


def _random_text(rng: random.Random, n: int) -> str:
    pieces = ["推动消费品标准", "由生产型向消费型", "(2016-2020年)", "（试行）", "质量提升", "，", "。", "\n",
              "(省质监局", "负责)", "服务型转变", "加强", "监管", "12", "品牌"]
    return "".join(rng.choice(pieces) for _ in range(n))


def test_passages_equal_the_reference_on_random_texts_and_the_seeds(corpus):
    rng = random.Random(3)
    texts = [_random_text(rng, rng.randint(5, 60)) for _ in range(40)] + [plan.text for plan in corpus]
    for min_len in (4, 12):
        windows = [reuse._Windows(t, min_len) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                got = reuse._pair_passages(texts[i], texts[j], windows[i], windows[j], min_len, reuse._Marks(texts[i]))
                want = _reference_pair_passages(texts[i], texts[j], windows[i], windows[j], min_len) \
                    if len(windows[i].unique) and len(windows[j].unique) else set()
                assert set(map(tuple, got.tolist())) == want
                assert len(got) == len(want)


def test_shared_passages_rows_sorted_and_cut_where_a_parenthesis_stays_open():
    texts = {"b": "见推动标准化规划(2016-2020年的通知。另外全面提升质量(二)", "a": "推动标准化规划(2016-2020年的通知;全面提升质量(二)"}
    found = reuse.shared_passages(texts, min_len=4)
    assert [(r["plan_a"], r["passage"], r["b_start"]) for r in found] == [("a", "推动标准化规划", 1),
                                                                         ("a", "全面提升质量", 25)]
    keys = [(r["plan_a"], r["plan_b"], r["a_start"], r["b_start"]) for r in found]
    assert keys == sorted(keys)


def test_reuse_share_equals_a_loop_over_the_intervals(corpus):
    table = reuse.text_reuse(corpus)
    share = reuse.reuse_share(corpus, table)
    tasks = corpus.tasks.set_index("task_id")
    intervals, by_plan = defaultdict(list), defaultdict(lambda: defaultdict(int))
    for side, other in (("a", "plan_b"), ("b", "plan_a")):
        for task_id, s, e, plan in zip(table[f"task_{side}"], table[f"{side}_start"], table[f"{side}_end"], table[other]):
            if task_id:
                s, e = max(s, tasks.at[task_id, "char_start"]), min(e, tasks.at[task_id, "char_end"])
                if e > s:
                    intervals[task_id].append((s, e))
                    by_plan[task_id][plan] += e - s
    for row in share.itertuples():
        reused, reach = 0, tasks.at[row.task_id, "char_start"]
        for s, e in sorted(intervals[row.task_id]):
            if e > reach:
                reused += e - max(s, reach)
                reach = e
        assert row.reused_chars == reused
        shares = by_plan[row.task_id]
        assert row.sources == ",".join(sorted(shares, key=lambda p: (-shares[p], p)))
    assert share["reused_chars"].sum() > 0


def test_text_reuse_rows_are_the_shared_passages_with_the_tasks_holding_them(corpus):
    table = reuse.text_reuse(corpus)
    texts = {plan.plan_id: plan.text for plan in corpus}
    found = reuse.shared_passages(texts)
    assert len(table) == len(found) > 0
    columns = ["plan_a", "plan_b", "a_start", "a_end", "b_start", "b_end", "passage"]
    assert table[columns].to_dict("records") == found
    spans = {plan: [(t["char_start"], t["char_end"], t["task_id"]) for t in corpus[plan].structure.tasks]
             for plan in texts}

    def holder(plan, pos):  # the last task starting at or before pos, if pos is inside it
        before = [s for s in sorted(spans[plan]) if s[0] <= pos]
        return before[-1][2] if before and pos < before[-1][1] else ""

    for row in table.itertuples():
        assert row.passage == texts[row.plan_a][row.a_start:row.a_end] == texts[row.plan_b][row.b_start:row.b_end]
        assert row.length == row.a_end - row.a_start
        assert (row.task_a, row.task_b) == (holder(row.plan_a, row.a_start), holder(row.plan_b, row.b_start))
    assert (table["task_a"] != "").any() and table["passage"].duplicated().any()  # passages repeat across pairs


def test_passage_strings_cut_from_the_utf8_bytes_equal_the_slices_of_the_texts():
    """The passage column is copied from each plan's UTF-8 bytes (no Python string per row): the same strings
    as slicing the texts, for any characters (ASCII, CJK, accents, beyond the BMP), any order of rows,
    empty passages, and the same type."""
    import pandas as pd

    rng = random.Random(7)
    alphabet = "ab 1,\n推动消费品标准é😀（）"
    texts = {f"p{i}": "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for i in range(5)}
    names = sorted(texts)
    rows = [(i, a, rng.randint(a, len(texts[names[i]])))
            for i in (rng.randrange(len(names)) for _ in range(300))
            for a in [rng.randint(0, len(texts[names[i]]))]]
    plan, start, end = (np.array(column, dtype=np.int64) for column in zip(*rows))
    got = reuse._passage_strings(texts, names, plan, start, end, "string")
    expected = pd.array([texts[names[i]][a:b] for i, a, b in rows], dtype="string")
    assert got.dtype == expected.dtype
    assert got.tolist() == expected.tolist()
    by_plan = np.argsort(plan, kind="stable")  # text_reuse's rows come by plan: one run of bytes per plan
    assert reuse._passage_strings(texts, names, plan[by_plan], start[by_plan], end[by_plan], "string").tolist() == \
        [expected[k] for k in by_plan.tolist()]
    assert len(reuse._passage_strings(texts, names, plan[:0], start[:0], end[:0], "string")) == 0
