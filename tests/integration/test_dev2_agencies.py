"""Agency rows on tests/data/dev2 (duties in running text), scored with validate as the dev pages are.

The dev2 pages assign duties in running text rather than in (牵头单位:…) labels:
"X要会同Y…", "(X、Y负责落实)", "X、Y等相关部门,要切实抓好…", "各级政府要…",
"市政府将…", "成立X,负责…", and paragraphs holding several duties in turn.
"""

from __future__ import annotations

import pandas as pd

from policycompare.evaluate import gold as validate

from ..conftest import DEV2


def test_agency_rows_on_dev2_pages(dev2_corpus):
    gold = pd.read_csv(DEV2 / "gold" / "agencies.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    score = validate.score_agencies(dev2_corpus.agencies, dev2_corpus.tasks, gold)
    misses = score.misses()
    print("\n" + str(score))
    if len(misses):
        print(misses[["plan_id", "task_snippet", "role", "agencies", "task_id", "found"]].to_string())
    assert score.counts["rows"] == 18
    assert score.counts["exact"] / score.counts["rows"] >= 0.90, misses.to_string()


def test_a_paragraph_of_several_duties_is_cut_into_one_task_per_subject(dev2_corpus):
    tasks = dev2_corpus.tasks
    pieces = tasks[tasks["source"] == "duty"]
    assert len(pieces)
    text = {pid: dev2_corpus.text(pid) for pid in set(pieces["plan_id"])}
    for row in pieces.itertuples():
        assert text[row.plan_id][row.char_start:row.char_end] == row.text
    # the pieces of one unit tile its text in order, without overlap
    for base_id, group in pieces.groupby(pieces["task_id"].str.replace(r"-\d+$", "", regex=True)):
        first = tasks[tasks["task_id"] == base_id].iloc[0]
        ends = [int(first["char_end"]), *group["char_end"].astype(int)]
        starts = group["char_start"].astype(int).tolist()
        assert all(end <= start for end, start in zip(ends, starts)), base_id


def test_every_running_text_agency_points_at_its_name(dev2_corpus):
    for row in dev2_corpus.agencies.itertuples():
        written = dev2_corpus.text(row.plan_id)[row.char_start:row.char_end]
        assert written.replace("\n", "").replace(" ", "") == row.agency, row
