"""Two plans side by side: one self-contained HTML page to read the evidence before citing a number.

The page holds both plans' metadata, their tasks aligned in two columns (each
row a task of the plan and its counterpart in the reference, or a task of one
of them alone), the passages they share word for word marked with ``<mark>``,
and each pair of targets with its direction.  Nothing is computed here that
the library does not compute elsewhere:

* the alignment is :func:`~policycompare.analyze.escalation.task_adoption` for
  the pair (the reference in the parent's place, so any two plans work);
* the marks are the passages of :func:`~policycompare.analyze.reuse.text_reuse`
  between the two plans (offsets into their normalized texts);
* the target pairs are :func:`~policycompare.analyze.escalation.target_escalation`
  for the pair: same indicator only, raised / same / lowered, and whether the
  reference was issued after the plan (``parent_issued_after``).

The page needs no network, no script and no font beyond the system's: the CSS
is inline, every text is escaped, and the same plans give the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..analyze import escalation, reuse, task_pairs
from ..corpus import Corpus
from ..ingest.files import write_text_atomic
from ..plan import Plan

#: Statuses of a row of the aligned tasks, in the order of the summary.  The first four are
#: task_adoption's; ``similar``: a task of the plan like a reference task whose best counterpart is another.
STATUSES = ("copied", "adapted", "added", "similar", "dropped")
#: Directions of a target pair (target_escalation's), in the order of the summary.
DIRECTIONS = escalation.DIRECTIONS
#: The page's words, (Chinese, English).  The statuses and directions are those of the figures.
WORDS = {
    "copied": ("照搬", "adopted"), "adapted": ("改写", "adapted"), "added": ("新增", "own"),
    "similar": ("相近", "similar"), "dropped": ("未采纳", "not taken up"),
    "raised": ("加码", "raised"), "same": ("持平", "same"), "lowered": ("降低", "lowered"),
    "title": ("两个规划对照", "Two plans side by side"),
    "plan": ("规划", "plan"), "reference": ("参照规划", "reference"), "field": ("字段", "field"),
    "plan_id": ("编号", "plan_id"), "doc_title": ("标题", "title"), "jurisdiction": ("地区", "jurisdiction"),
    "level": ("层级", "level"), "issuer": ("发文机关", "issuer"), "doc_number": ("文号", "document number"),
    "date": ("日期", "date"), "period": ("规划期", "period"), "n_tasks": ("任务数", "tasks"),
    "n_chars": ("字数", "characters"), "source_file": ("文件", "file"),
    "summary": ("概览", "Summary"), "tasks": ("任务对照", "Tasks"), "targets": ("目标对照", "Targets"),
    "status": ("关系", "relation"), "indicator": ("指标", "indicator"), "direction": ("方向", "direction"),
    "deadline": ("期限", "by"), "shared": ("逐字相同的段落", "passages shared word for word"),
    "none": ("无", "none"), "no_targets": ("两个规划都没有可比的定量目标。", "Neither plan sets a target."),
    "score": ("相似度", "similarity"), "share_word": ("共享", "shared"), "see_row": ("见第 {} 行", "see row {}"),
    "closest": ("最接近", "closest"), "chars": ("字", "characters"),
    "same_indicator": ("同一指标", "same indicator"), "same_subject": ("同一对象，抽查层级不同", "same subject, other sampling"),
    "issued_date": ("发文日期", "issue date"), "file_name": ("文件名中的年份", "year in the file name"),
    "period_start": ("规划期起始年", "first year of the period"),
    "ref_later": ("参照规划晚于该规划发布", "reference issued later"),
    "parent_is": ("参照规划是该规划在层级链中的上级规划。", "The reference is the plan's parent in the lineage."),
    "parent_other": ("该规划在本语料中的上级规划是 {}；此处按要求与参照规划对照。",
                     "The plan's parent in this corpus is {}; it is compared here with the reference asked for."),
    "parent_none": ("该规划在本语料中没有上级规划；此处与参照规划对照。",
                    "The plan has no parent in this corpus; it is compared here with the reference asked for."),
    "after": ("参照规划发布晚于该规划：该规划的目标不可能是对它的回应。",
              "The reference was issued after the plan: the plan could not follow its targets."),
    "before": ("参照规划发布早于该规划。", "The reference was issued before the plan."),
    "unknown": ("两者发布的先后不能确定。", "Which of the two was issued first is not known."),
    "legend": ("照搬：参照任务至少 {:.0%} 的文字逐字出现在该规划中；改写：相似度至少 {:.2f}；"
               "新增：该规划自己的任务；相近：像某个参照任务，但那个任务的最佳对应是另一项；"
               "未采纳：参照任务在该规划中没有对应。<span class=\"shared\">标记</span>的是两者逐字相同的段落（至少 {} 个汉字）。",
               "adopted: at least {:.0%} of the reference task's text stands word for word in the plan; "
               "adapted: similarity at least {:.2f}; own: a task of the plan alone; similar: like a reference "
               "task whose best counterpart is another; not taken up: a reference task with no counterpart. "
               "<span class=\"shared\">Marked</span>: passages both share word for word (at least {} Chinese characters)."),
}
_LEVELS = {"national": ("全国", "national"), "province": ("省级", "province"), "prefecture": ("市级", "prefecture"),
           "county": ("县级", "county")}
_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Droid Sans Fallback",
sans-serif;margin:1.5em;color:#222;line-height:1.55;font-size:15px}
h1{font-size:1.35em;margin:0 0 .6em}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid #bbb;break-after:avoid}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f0f0f0}table.meta td:first-child{white-space:nowrap;width:8em}
table.tasks td.plan,table.tasks td.ref{width:45%}td.status{width:10%;text-align:center;font-size:.9em}
.tid{font-family:monospace;font-size:.85em;color:#555}.path{font-size:.85em;color:#777}
.text{white-space:pre-wrap;margin-top:.2em}.num{text-align:right;white-space:nowrap}.note{color:#555;font-size:.9em}
.sentence{font-size:.85em;color:#666}mark,.shared{background:#ffe08a;padding:0 .05em}
tr.copied td.status{background:#d9f2d9}tr.adapted td.status{background:#e6eefb}tr.added td.status{background:#fdebd3}
tr.similar td.status{background:#f0e6fa}tr.dropped td.status{background:#eee}
span.raised{color:#1a7f37;font-weight:bold}span.lowered{color:#b42318;font-weight:bold}span.same{color:#555}
@media print{body{margin:0;font-size:11pt}tr{break-inside:avoid}mark{outline:1px solid #b58900}a{color:inherit}}
"""


def _as_corpus(data) -> Corpus:
    if isinstance(data, Corpus):
        return data
    plans = list(data) if isinstance(data, Iterable) else None
    if not plans or not all(isinstance(p, Plan) for p in plans):
        raise TypeError("side_by_side takes a corpus or plans (pc.load_corpus(folder), [pc.read_plan(a), pc.read_plan(b)])")
    return Corpus(plans)


def _check_pair(corpus: Corpus, plan_id: str, reference_id: str) -> None:
    for name in (plan_id, reference_id):
        corpus[name]  # a KeyError naming the known plans when it is not one
    if plan_id == reference_id:
        raise ValueError(f"compare two different plans, not {plan_id!r} with itself")


def pair_reuse(corpus, plan_id: str, reference_id: str) -> pd.DataFrame:
    """The passages two plans share word for word (``text_reuse`` rows of the pair, whatever other plans
    the corpus holds: text_reuse of the whole corpus keeps each plan's closest partners only)."""
    corpus = _as_corpus(corpus)
    _check_pair(corpus, plan_id, reference_id)
    return reuse.text_reuse(Corpus([corpus[plan_id], corpus[reference_id]]))


def aligned_tasks(corpus, plan_id: str, reference_id: str, *, reuse_rows: pd.DataFrame | None = None,
                  copy_share: float = escalation.COPY_SHARE, adapt_score: float = escalation.ADAPT_SCORE) -> pd.DataFrame:
    """The rows of the page's task table: every task of both plans, aligned, in the plan's order.

    Columns: status (:data:`STATUSES`), task_id (the plan's task, "" for a
    reference task not taken up), reference_task ("" for the plan's own
    task), score (TF-IDF cosine), share (of the reference task's text shared
    word for word; for own and similar tasks: of the plan's task).  A task
    of the plan that is the counterpart of two reference tasks has two rows.
    Reference tasks not taken up stand after the row of the reference task
    before them.  ``reuse_rows``: :func:`pair_reuse`, already computed.

    Examples:
        >>> rows = aligned_tasks(corpus, "lingwu_2017", "hunan_2017")
        >>> rows["status"].value_counts().to_dict()
        {'adapted': 27, 'dropped': 11, 'added': 9, 'similar': 3, 'copied': 1}
    """
    corpus = _as_corpus(corpus)
    _check_pair(corpus, plan_id, reference_id)
    if reuse_rows is None:
        reuse_rows = pair_reuse(corpus, plan_id, reference_id)
    adoption = escalation.task_adoption(corpus, pairs=[(plan_id, reference_id)], reuse=reuse_rows,
                                        copy_share=copy_share, adapt_score=adapt_score)
    tasks = corpus.tasks
    mine = tasks.loc[tasks["plan_id"] == plan_id, "task_id"].tolist()
    theirs = tasks.loc[tasks["plan_id"] == reference_id, "task_id"].tolist()
    at = {task_id: i for i, task_id in enumerate(mine)}
    ref_at = {task_id: i for i, task_id in enumerate(theirs)}
    rows, last = [], -1
    for row in adoption.itertuples():
        if row.status in ("copied", "adapted"):
            last = at[row.task_id]
            rows.append(((last, 0, ref_at[row.parent_task]), row.status, row.task_id, row.parent_task, row.score, row.share))
        elif row.status == "dropped":
            rows.append(((last, 1, ref_at[row.parent_task]), "dropped", "", row.parent_task, row.score, row.share))
        else:
            rows.append(((at[row.task_id], 0, -1), "added", row.task_id, "", row.score, row.share))
    placed = {r[2] for r in rows}
    left = [t for t in mine if t not in placed]
    if left:  # like a reference task, but not its best counterpart: the closest reference task beside it
        scores = task_pairs.task_scores(corpus, reference_id, plan_id)
        scores = scores[scores["task_b"].isin(left)].sort_values(["task_b", "score", "task_a"],
                                                                ascending=[True, False, True], kind="stable")
        best = scores.drop_duplicates("task_b").set_index("task_b")
        by_id, spans = tasks.set_index("task_id"), _intervals(reuse_rows, plan_id)
        for task_id in left:
            ref, score = (best.at[task_id, "task_a"], float(best.at[task_id, "score"])) if task_id in best.index else ("", 0.0)
            rows.append(((at[task_id], 0, -1), "similar", task_id, ref, score, _shared_share(by_id.loc[task_id], spans)))
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame([r[1:] for r in rows], columns=["status", "task_id", "reference_task", "score", "share"])


def _shared_share(task: pd.Series, spans: list[tuple[int, int]]) -> float:
    """The share of ``task``'s text (a row of the tasks table) inside ``spans`` (of its plan's text)."""
    n = int(task["char_end"] - task["char_start"])
    covered = task_pairs.clipped(spans, int(task["char_start"]), int(task["char_end"]))
    return round(covered / n, 4) if n else 0.0


def _intervals(reuse_rows: pd.DataFrame, plan_id: str) -> list[tuple[int, int]]:
    """The spans of ``plan_id``'s text in the passages of ``reuse_rows`` (either side), sorted, without overlaps.

    Each span lies inside one passage, so its text is in the other plan too: two passages that touch or
    overlap (taken from two places of the other plan) stay two spans, the second cut where the first ends.
    """
    spans = []
    for side in ("a", "b"):
        rows = reuse_rows[reuse_rows[f"plan_{side}"] == plan_id]
        spans += list(zip(rows[f"{side}_start"].astype(int).tolist(), rows[f"{side}_end"].astype(int).tolist()))
    out: list[tuple[int, int]] = []
    reach = -1
    for start, end in sorted(spans):
        if end > reach:
            out.append((max(start, reach), end))
            reach = end
    return out


def _marked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` escaped, with each shared span inside it in ``<mark>``."""
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if e <= s:
            continue
        out += [html.escape(text[pos:s]), f"<mark>{html.escape(text[s:e])}</mark>"]
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def side_by_side(corpus, plan_id: str, reference_id: str, *, lang: str = "zh") -> str:
    """One self-contained HTML page comparing ``plan_id`` with ``reference_id`` (any two plans of ``corpus``).

    ``corpus``: a corpus (its other plans only weigh the words of the task
    similarity) or two plans read with ``read_plan``.  ``lang``: the page's
    own words in Chinese (``zh``) or English (``en``); the plans' texts stay
    as written.  Same plans, same bytes.

    Examples:
        >>> page = side_by_side(corpus, "lingwu_2017", "hunan_2017")
        >>> page.startswith("<!DOCTYPE html>"), page.count("<mark>") > 0
        (True, True)
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be one of zh, en, not {lang!r}")
    corpus = _as_corpus(corpus)
    _check_pair(corpus, plan_id, reference_id)
    w = {key: pair[lang == "en"] for key, pair in WORDS.items()}
    reuse_rows = pair_reuse(corpus, plan_id, reference_id)
    rows = aligned_tasks(corpus, plan_id, reference_id, reuse_rows=reuse_rows)
    first_row = _row_numbers(rows)
    targets = escalation.target_escalation(corpus, pairs=[(plan_id, reference_id)])
    pair = escalation.lineage(corpus).set_index("plan_id")
    plans = corpus.plans.set_index("plan_id")
    name = {p: str(plans.at[p, "jurisdiction"] or p) for p in (plan_id, reference_id)}
    if lang == "en":
        name = {p: str(plans.at[p, "jurisdiction_en"] or p) for p in name}
    title = f"{name[plan_id]} ({plan_id}) ↔ {name[reference_id]} ({reference_id})"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        f'<head><meta charset="utf-8"><title>{html.escape(w["title"] + ": " + title)}</title>'
        f'<meta name="generator" content="policycompare"><style>{_CSS}</style></head>',
        "<body>",
        f"<h1>{html.escape(w['title'])}: {html.escape(title)}</h1>",
        _metadata(corpus, plans, pair, plan_id, reference_id, w, lang),
        _summary(corpus, rows, targets, reuse_rows, plan_id, reference_id, w),
        _targets(corpus, targets, w, first_row),
        _tasks(corpus, rows, reuse_rows, plan_id, reference_id, w, first_row),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def write_side_by_side(corpus, plan_id: str, reference_id: str, path: str | Path, *, lang: str = "zh") -> Path:
    """Write :func:`side_by_side` to ``path`` (UTF-8, written whole or not at all); return the path."""
    return write_text_atomic(path, side_by_side(corpus, plan_id, reference_id, lang=lang))


def _cell(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def _metadata(corpus, plans, pair, plan_id, reference_id, w, lang) -> str:
    def period(p):
        start, end = plans.at[p, "period_start"], plans.at[p, "period_end"]
        return "–".join(_cell(x) for x in (start, end)) if pd.notna(start) or pd.notna(end) else ""

    def date(p):
        text, source = pair.at[p, "plan_date"], pair.at[p, "date_source"]
        return f"{_cell(text)} <span class=\"note\">({_cell(w.get(source, source))})</span>" if text else ""

    fields = [
        ("doc_title", lambda p: _cell(plans.at[p, "title"])), ("plan_id", _cell),
        ("jurisdiction", lambda p: _cell(plans.at[p, "jurisdiction"]) + (
            f" ({_cell(plans.at[p, 'jurisdiction_en'])})" if lang == "en" and plans.at[p, "jurisdiction_en"] else "")),
        ("level", lambda p: _cell(_LEVELS.get(plans.at[p, "level"], ("", ""))[lang == "en"] or plans.at[p, "level"])),
        ("issuer", lambda p: _cell(plans.at[p, "issuer"])), ("doc_number", lambda p: _cell(plans.at[p, "doc_number"])),
        ("date", date), ("period", period), ("n_tasks", lambda p: _cell(plans.at[p, "n_tasks"])),
        ("n_chars", lambda p: _cell(plans.at[p, "n_chars"])), ("source_file", lambda p: _cell(plans.at[p, "source_file"])),
    ]
    out = [f"<table class=\"meta\"><tr><th>{w['field']}</th><th>{w['plan']}</th><th>{w['reference']}</th></tr>"]
    for key, show in fields:
        out.append(f"<tr><td>{w[key]}</td><td>{show(plan_id)}</td><td>{show(reference_id)}</td></tr>")
    out.append("</table>")
    parent = pair.at[plan_id, "parent_id"]
    relation = (w["parent_is"] if parent == reference_id else
                w["parent_other"].format(parent) if parent else w["parent_none"])
    when = escalation.pair_lineage(corpus, [(plan_id, reference_id)]).iloc[0]["parent_issued_after"]
    timing = w["unknown"] if pd.isna(when) else w["after"] if when else w["before"]
    out.append(f"<p class=\"note\">{html.escape(relation)} {html.escape(timing)}</p>")
    return "\n".join(out)


def _summary(corpus, rows, targets, reuse_rows, plan_id, reference_id, w) -> str:
    counts = rows["status"].value_counts()
    directions = targets["direction"].value_counts()
    tasks = ", ".join(f"{w[s]} {int(counts.get(s, 0))}" for s in STATUSES)
    goals = ", ".join(f"{w[d]} {int(directions.get(d, 0))}" for d in DIRECTIONS[:3])
    shared = []
    for p, label in ((plan_id, w["plan"]), (reference_id, w["reference"])):
        n = len(corpus.text(p))
        covered = sum(e - s for s, e in _intervals(reuse_rows, p))
        shared.append(f"{label} {covered} / {n} {w['chars']} ({covered / n:.0%})" if n else f"{label} 0")
    return (f"<h2>{w['summary']}</h2>\n<ul class=\"summary\">"
            f"<li>{w['tasks']}: {tasks}</li>"
            f"<li>{w['targets']}: {goals}</li>"
            f"<li>{w['shared']}: {len(reuse_rows)}; {'; '.join(shared)}</li></ul>\n"
            f"<p class=\"note\">{w['legend'].format(escalation.COPY_SHARE, escalation.ADAPT_SCORE, reuse.MIN_LEN)}</p>")


_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _target_cell(targets, target_id, link) -> str:
    if not target_id:
        return ""
    t = targets.loc[target_id]
    value = f"{_COMPARATORS.get(t['comparator'], '')}{t['value']:g}{_cell(t['unit'])}" if pd.notna(t["value"]) else ""
    by = f" ({int(t['deadline_year'])})" if pd.notna(t["deadline_year"]) else ""
    where = f'<a href="#{link}" class="tid">{_cell(t["task_id"])}</a>' if link else f'<span class="tid">{_cell(t["task_id"])}</span>'
    return (f"<div><b>{_cell(value)}</b>{by} {_cell(t['label'])}</div><div>{where}</div>"
            f"<div class=\"sentence\" lang=\"zh-CN\">{_cell(t['sentence'])}</div>")


def _targets(corpus, table, w, first_row) -> str:
    out = [f"<h2>{w['targets']}</h2>"]
    if table.empty:
        return "\n".join([*out, f"<p>{w['no_targets']}</p>"])
    targets = corpus.targets.set_index("target_id")
    out.append(f"<table class=\"targets\"><thead><tr><th>{w['plan']}</th><th>{w['direction']}</th>"
               f"<th>{w['reference']}</th></tr></thead><tbody>")
    for row in table.itertuples():
        mine = row.target_id if isinstance(row.target_id, str) else ""
        theirs = row.parent_target_id if isinstance(row.parent_target_id, str) else ""
        word = w.get(row.direction, "") if row.direction in ("raised", "same", "lowered") else ""
        if row.direction in ("raised", "lowered", "same"):
            notes = [f"{row.difference:+g}" if pd.notna(row.difference) else "", w.get(row.match, row.match)]
            if pd.notna(row.parent_issued_after) and bool(row.parent_issued_after):  # no number to follow yet
                notes.append(w["ref_later"])
            middle = (f"<span class=\"{row.direction}\">{word}</span>"
                      f"<div class=\"note\">{' · '.join(_cell(n) for n in notes if n)}</div>")
        else:
            middle = f"<span class=\"note\">{w['added'] if row.direction == 'added' else w['dropped']}</span>"
        mine_cell = _target_cell(targets, mine, first_row.get(("plan", str(targets.at[mine, "task_id"])) if mine else None))
        ref_cell = _target_cell(targets, theirs, first_row.get(("ref", str(targets.at[theirs, "task_id"])) if theirs else None))
        out.append(f"<tr class=\"{row.direction}\"><td>{mine_cell}</td><td class=\"status\">{middle}</td><td>{ref_cell}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _row_numbers(rows) -> dict[tuple[str, str], str]:
    """(side, task_id) -> the anchor of the first row showing that task."""
    first: dict[tuple[str, str], str] = {}
    for n, row in enumerate(rows.itertuples(), start=1):
        if row.task_id:
            first.setdefault(("plan", row.task_id), f"row-{n}")
        if row.reference_task and row.status != "similar":  # a similar row names its closest reference task only
            first.setdefault(("ref", row.reference_task), f"row-{n}")
    return first


def _task_cell(tasks, text, task_id, spans, shown_in, w) -> str:
    if not task_id:
        return ""
    head = f"<div class=\"tid\">{html.escape(task_id)}</div>"
    if shown_in:
        number = shown_in.split("-")[1]
        return head + f"<div class=\"note\"><a href=\"#{shown_in}\">{html.escape(w['see_row'].format(number))}</a></div>"
    task = tasks.loc[task_id]
    path = f"<div class=\"path\">{_cell(task['section_path'])}</div>" if task["section_path"] else ""
    body = _marked(text, int(task["char_start"]), int(task["char_end"]), spans)
    return f"{head}{path}<div class=\"text\" lang=\"zh-CN\">{body}</div>"


def _tasks(corpus, rows, reuse_rows, plan_id, reference_id, w, first_row) -> str:
    tasks = corpus.tasks.set_index("task_id")
    texts = {p: corpus.text(p) for p in (plan_id, reference_id)}
    spans = {p: _intervals(reuse_rows, p) for p in (plan_id, reference_id)}
    out = [f"<h2>{w['tasks']}</h2>",
           f"<table class=\"tasks\"><thead><tr><th>{w['plan']}: {html.escape(plan_id)}</th><th>{w['status']}</th>"
           f"<th>{w['reference']}: {html.escape(reference_id)}</th></tr></thead><tbody>"]
    for n, row in enumerate(rows.itertuples(), start=1):
        anchor = f"row-{n}"
        mine_seen = first_row.get(("plan", row.task_id))
        mine = _task_cell(tasks, texts[plan_id], row.task_id, spans[plan_id],
                          mine_seen if mine_seen != anchor else None, w)
        if row.status == "similar":
            theirs = ""
            if row.reference_task:
                link = first_row.get(("ref", row.reference_task))
                ref = f"<a href=\"#{link}\">{html.escape(row.reference_task)}</a>" if link else html.escape(row.reference_task)
                theirs = f"<div class=\"note\">{w['closest']}: {ref}</div>"
        else:
            ref_seen = first_row.get(("ref", row.reference_task))
            theirs = _task_cell(tasks, texts[reference_id], row.reference_task, spans[reference_id],
                                ref_seen if ref_seen != anchor else None, w)
        detail = []
        if row.score > 0:
            detail.append(f"{w['score']} {row.score:.2f}")
        if row.share > 0:
            detail.append(f"{w['share_word']} {row.share:.0%}")
        middle = f"<b>{w[row.status]}</b>" + (f"<div class=\"note\">{' · '.join(detail)}</div>" if detail else "")
        out.append(f"<tr id=\"{anchor}\" class=\"{row.status}\"><td class=\"plan\">{mine}</td>"
                   f"<td class=\"status\">{middle}</td><td class=\"ref\">{theirs}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)
