"""Quantitative targets: value, unit, comparator, deadline, metric, with provenance.

A target is a quantity (see :mod:`.numbers`) that survives the rejection
rules of ``data/targets.toml`` (years, dates, document numbers, standard
codes, hotlines, ordinals, event days, slogans, durations, page furniture
such as 浏览量:1463次, reporting sentences about a plan and counts of the
article itself, counts of listed items, numbers inside a cited 《title》,
scoring rules, past statistics: 截至6月底, 今年以来, 已达, 同比 …) and does not
stand in a section reporting past achievements.  Values in a list take their
listed labels (A、B和C分别达到…) or the first value's; a run after 逐年 is one
level per year.  Numbers written in Chinese numerals only count
right after a goal verb (培育四个…), because in prose they are mostly idioms
(两种手段, 一批企业).  Pass rates get a domain (food, agricultural, …); only the
general product-quality ones keep the metric ``pass_rate``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import PACKAGE_DATA, read_toml
from ..rules.patterns import CJK, DEADLINE, ROW_NUMBER, SENTENCE_END_MARKS
from .indicators import add_indicator_key
from .numbers import Quantity, find_quantities
from .offsets import TaskIndex

#: The comparator of a value stated exactly (达到, 新增, 完成 …). Not "=": a CSV cell starting with "="
#: is a formula to a spreadsheet that opens the file.
EXACT = "eq"

_SENTENCE_END = re.compile(f"[{SENTENCE_END_MARKS}\\n|]")  # a table cell ends a sentence too
_CLAUSE_SEP = re.compile(r"[，,、：:]")
_CLAUSE_SEP_AFTER = re.compile(r"[，,、：:]")
_STRIP_LABEL = re.compile(r"^[\s\-—(（)）\"《》]+|[\s\-—(（)）\"《》的。；;]+$")


@dataclass(frozen=True)
class _Rules:
    before: dict[str, list[str]]
    after: dict[str, list[str]]
    stable: list[str]
    goal_verbs: tuple[str, ...]
    reject_before: list[re.Pattern[str]]
    reject_after: list[re.Pattern[str]]
    slogans: re.Pattern[str]
    durations: tuple[str, ...]
    hotline: re.Pattern[str]
    metrics: list[tuple[str, re.Pattern[str], str]]
    verbs_re: re.Pattern[str]
    reporting_clause: list[re.Pattern[str]]
    reporting_after: list[re.Pattern[str]]
    unitless_labels: re.Pattern[str]
    domains: list[tuple[str, re.Pattern[str]]]
    inside_titles: bool
    past_sections: re.Pattern[str]
    listed_item_nouns: re.Pattern[str]
    general_domains: tuple[str, ...]
    default_domain: str
    after_word: re.Pattern[str]
    after_note: re.Pattern[str]
    unitless_verbs: re.Pattern[str]
    label_verbs: re.Pattern[str]
    leading_noise: re.Pattern[str]
    per_year: re.Pattern[str]
    pass_rate_label: re.Pattern[str]
    other_metric: str
    money_units: re.Pattern[str]
    past: re.Pattern[str]
    future: re.Pattern[str]
    statistics: re.Pattern[str]
    past_period: re.Pattern[str]
    past_until: re.Pattern[str]
    multiples: re.Pattern[str]
    consequence: re.Pattern[str]
    acted_on: re.Pattern[str]
    sector_label: re.Pattern[str]
    sector_domain: str
    joiners: re.Pattern[str]
    distributed: re.Pattern[str]
    series: re.Pattern[str]
    list_label_noise: re.Pattern[str]
    leading_year: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The rules of ``data/targets.toml``, compiled."""
    raw = read_toml(PACKAGE_DATA / "targets.toml")
    comp, nt = raw["comparators"], raw["not_targets"]
    before = {">=": comp["before_ge"], "<=": comp["before_le"], "~": comp["before_approx"], EXACT: comp["before_eq"]}
    after = {">=": comp["after_ge"], "<=": comp["after_le"], "~": comp["after_approx"]}
    after_words = _alternation(w for words in after.values() for w in words)
    all_verbs = sorted({w for words in before.values() for w in words} | set(comp["stable"]), key=len, reverse=True)
    return _Rules(
        before=before,
        after=after,
        stable=sorted(comp["stable"], key=len, reverse=True),
        goal_verbs=tuple(comp["goal_verbs"]),
        reject_before=[re.compile(p) for p in nt["before"]],
        reject_after=[re.compile(p) for p in nt["after"]],
        slogans=re.compile("|".join(nt["slogans"])),
        durations=tuple(nt["durations"]),
        hotline=re.compile(nt["hotline"]),
        metrics=[(m["name"], re.compile(m["pattern"]), m.get("scope", "label")) for m in raw["metrics"]],
        verbs_re=re.compile("(?:" + "|".join(re.escape(v) for v in all_verbs) + ")+$"),
        reporting_clause=[re.compile(p) for p in nt["reporting_clause"]],
        reporting_after=[re.compile(p) for p in nt["reporting_after"]],
        unitless_labels=re.compile(nt["unitless_labels"]),
        domains=[(d["name"], re.compile(d["pattern"])) for d in raw["pass_rate_domains"]],
        general_domains=tuple(raw["pass_rate"]["general"]),
        inside_titles=bool(nt.get("inside_titles", True)),
        past_sections=re.compile(nt["past_sections"]),
        listed_item_nouns=re.compile(r"^\s*[\u4e00-\u9fff]{0,4}?(?:" + nt["listed_item_nouns"] + ")"),
        default_domain=raw["pass_rate"]["default"],
        after_word=re.compile(f"^(?:{after_words})"),
        after_note=re.compile(rf"^\s*(?:{after_words})?\s*[(（][^()（）]*[)）]?"),
        unitless_verbs=re.compile("(?:" + _alternation(nt["unitless_verbs"]) + ")$"),
        label_verbs=re.compile("^(?:" + "|".join(map(re.escape, comp["label_verbs"])) + ")+"),
        leading_noise=re.compile("^(?:" + "|".join(comp["leading_noise"]) + ")+"),
        per_year=re.compile("|".join(comp["per_year"])),
        pass_rate_label=re.compile(raw["pass_rate"]["label"]),
        other_metric=raw["other_metric"]["name"],
        money_units=re.compile(raw["other_metric"]["money_units"]),
        past=re.compile("|".join(nt["past"])),
        future=re.compile("|".join(nt["future"])),
        statistics=re.compile("|".join(nt["statistics"])),
        past_period=re.compile(nt["past_period"]),
        past_until=re.compile(nt["past_until"]),
        multiples=re.compile(nt["multiples"]),
        consequence=re.compile(raw["pass_rate"]["consequence"]),
        acted_on=re.compile(raw["pass_rate"]["acted_on"]),
        sector_label=re.compile(raw["pass_rate"]["sector_label"]),
        sector_domain=raw["pass_rate"]["sector_domain"],
        joiners=re.compile(raw["lists"]["joiners"]),
        distributed=re.compile(raw["lists"]["distributed"]),
        series=re.compile(raw["lists"]["series"]),
        list_label_noise=re.compile(raw["lists"]["label_noise"]),
        leading_year=re.compile(comp["leading_year"]),
    )


def _alternation(words) -> str:
    """Words as a regex alternation, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _span(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence around ``pos``."""
    start = pos
    while start > 0 and not _SENTENCE_END.match(text[start - 1]):
        start -= 1
    end = pos
    while end < len(text) and not _SENTENCE_END.match(text[end]):
        end += 1
    if end < len(text) and text[end] in "。；;！？!?":
        end += 1
    while start < end and text[start] in " —-":
        start += 1
    return start, end


def _clause(text: str, s_start: int, q: Quantity, s_end: int) -> tuple[str, str]:
    """Text of the clause before and after the quantity (split at ，、：)."""
    before = text[s_start:q.start]
    cut = max((m.end() for m in _CLAUSE_SEP.finditer(before)), default=0)
    after = text[q.end:s_end]
    m = _CLAUSE_SEP_AFTER.search(after)
    return before[cut:], after[: m.start()] if m else after


def _counts_listed_items(before: str, value) -> bool:
    """``产品质量、工程质量、服务质量3个方面``: the number is the length of the list before it."""
    tail = re.split(r"[，,。；;：:]", before)[-1]
    items = [x for x in tail.split("、") if x.strip()]
    return len(items) >= 2 and value == len(items)


def _inside_title(text: str, pos: int) -> bool:
    """True when ``pos`` stands between a 《 and its 》 on the same line."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("《") > before.count("》")


def _five_year_end(numeral: str) -> int:
    """Last year of the five-year plan 十<numeral>五 (十二五 -> 2015)."""
    return 1955 + 5 * (10 + "一二三四五六".index(numeral) + 1)


def is_past(sentence: str, pos: int, period_end: int | None = None) -> bool:
    """True when the number at ``pos`` of ``sentence`` states what has been achieved.

    The last past marker before the number (截至6月底, 今年以来, 已达, "十二五"期间
    in a plan that ends later) must come after the last future marker (到2020年,
    力争, 将); or a statistics word (同比, 获批) stands anywhere in the sentence
    and no future marker before the number.

    Examples:
        >>> is_past("截至6月底,全省已建计量标准3277项", 14), is_past("到2020年,建成计量标准300项", 13)
        (True, False)
        >>> is_past("“十二五”期间,培育名牌产品300个", 14, 2020), is_past("“十二五”期间,培育名牌产品300个", 14, 2015)
        (True, False)
    """
    r = rules()
    before = sentence[:pos]
    future = max((m.end() for m in r.future.finditer(before)), default=-1)
    past = [m.end() for m in r.past.finditer(before)]
    if period_end:
        past += [m.end() for m in r.past_period.finditer(before) if _five_year_end(m.group(1)) < period_end]
        past += [m.end() for m in r.past_until.finditer(before) if int(m.group(1)) < period_end]
    if max(past, default=-1) > future:
        return True
    return future < 0 and bool(r.statistics.search(sentence))


def is_rejected(text: str, q: Quantity, period_end: int | None = None) -> str | None:
    """Why a quantity is not a target (None if it may be one)."""
    r = rules()
    before = text[max(0, q.start - 12):q.start]
    after = text[q.end:q.end + 12]
    if any(p.search(before) for p in r.reject_before):
        return "before"
    if any(p.search(after) for p in r.reject_after):
        return "after"
    window = text[max(0, q.start - 6):q.end + 6]
    if r.slogans.search(window) and (q.chinese or not q.unit):
        return "slogan"
    if q.unit in r.durations:
        return "duration"
    if r.inside_titles and _inside_title(text, q.start):
        return "inside a cited title"
    s_start, s_end = _span(text, q.start)
    clause, _ = _clause(text, s_start, q, s_end)
    if any(p.search(clause) for p in r.reporting_clause) or any(p.search(after) for p in r.reporting_after):
        return "reporting sentence"
    if q.unit and r.listed_item_nouns.match(after) and _counts_listed_items(text[s_start:q.start], q.value):
        return "count of listed items"
    if is_past(text[s_start:s_end], q.start - s_start, period_end):
        return "past statistic"
    if q.unit == "倍" and r.multiples.search(clause):
        return "past multiple"
    if not q.unit and r.hotline.match(q.text):
        return "hotline"
    if q.value >= 1900 and q.value <= 2100 and q.value == q.value.to_integral() and q.unit in ("", "年"):
        return "year"
    clause_before = before.rstrip()
    if q.chinese:
        if not q.unit or not clause_before.endswith(r.goal_verbs):
            return "chinese-numeral idiom"
        if q.unit == "批" and q.value == 1:
            return "一批"
    if not q.unit:
        # an index without a unit: 质量指数稳定在84以上, 质量竞争力指数达到88
        if not (r.unitless_verbs.search(clause_before)
                and (r.after_word.match(after.lstrip()) or r.unitless_labels.search(clause))):
            return "no unit"
    return None


def _comparator(clause_before: str, after: str) -> tuple[str, bool]:
    r = rules()
    stable = any(clause_before.rstrip().endswith(w) or w in clause_before[-8:] for w in r.stable)
    for comp, words in r.after.items():
        if any(after.startswith(w) for w in words):
            return comp, stable
    tail = clause_before[-8:]
    for comp, words in r.before.items():  # the exact words (达到, 培育 …) come last: exact is the default
        if any(w in tail for w in words):
            return comp, stable
    return EXACT, stable


def _label(clause_before: str, clause_after: str, full_after: str = "", rate: bool = False) -> str:
    """The measured noun phrase: before the number (合格率稳定在92%), or after it
    when the number follows a verb or a 的 (培育3个以上具有国内影响力的品牌)."""
    r = rules()
    raw_pre = ROW_NUMBER.sub("", clause_before.strip())
    pre = _STRIP_LABEL.sub("", raw_pre)
    trimmed = r.verbs_re.sub("", pre)
    # 培育3个…品牌, 确定的9类…消费品, 纸制品等12种…产品: the counted noun follows
    follows_verb = trimmed != pre or raw_pre.endswith(("的", "等")) or not pre
    pre = r.label_verbs.sub("", r.leading_noise.sub("", trimmed))
    pre = _STRIP_LABEL.sub("", re.sub("各$", "", pre))
    # a parenthesis after the number is a note (责任单位 …), never the counted noun
    clause_after = r.after_note.sub("", clause_after)
    full_after = r.after_note.sub("", full_after)
    if rate and _n_cjk(pre) >= 2:
        return pre[-30:]  # a rate (92%) measures the noun before it
    post = r.after_word.sub("", clause_after.strip())
    if follows_verb and post and full_after:
        # the counted noun phrase runs on over 、 (…、质量竞争力强、…的品牌) while no other number follows
        phrase = re.split(r"[，,；;：:]", r.after_word.sub("", full_after.strip()), maxsplit=1)[0]
        items = phrase.split("、")
        kept = [items[0]]
        for item in items[1:]:
            if re.search(r"[\d一二两三四五六七八九十]", item):
                break
            kept.append(item)
        phrase = _STRIP_LABEL.sub("", re.sub(r"^的", "", "、".join(kept)))
        if _n_cjk(phrase) >= 2:
            return phrase
    post = _STRIP_LABEL.sub("", re.sub(r"^的", "", post))
    if follows_verb and _n_cjk(post) >= 2:
        return post[:30]
    if _n_cjk(pre) >= 2:
        return pre[-30:]
    return post[:30] or pre


def _n_cjk(text: str) -> int:
    return len(CJK.findall(text))


def classify_metric(label: str, clause: str) -> str:
    """Metric category of a target from its label (rules in ``data/targets.toml``).

    Examples:
        >>> classify_metric("消费品质量监督抽查合格率", "")
        'pass_rate'
        >>> classify_metric("实质性参与国际标准化活动的专业技术机构", "")
        'other'
    """
    for name, pattern, scope in rules().metrics:
        haystack = {"label": label, "head": label.rsplit("的", 1)[-1], "text": clause}[scope]
        if pattern.search(haystack):
            return name
    return rules().other_metric


def pass_rate_domain(label: str, clause: str = "", sentence: str = "", context: str = "") -> str:
    """Domain of a pass-rate target (rules ``[[pass_rate_domains]]`` in ``data/targets.toml``).

    The label decides; when it names no domain, the clause around the number,
    then the sentence, then ``context`` (the task's headings: 工程质量目标); else the
    default (``product_quality``).

    Examples:
        >>> pass_rate_domain("农产品质量安全例行监测合格率"), pass_rate_domain("制造业产品质量合格率")
        ('agricultural', 'manufacturing')
        >>> pass_rate_domain("消费品质量国家监督抽查合格率"), pass_rate_domain("食品药品监督抽查合格率")
        ('product_quality', 'food')
    """
    r = rules()
    for haystack in (label, clause, sentence, context):
        for name, pattern in r.domains:
            if pattern.search(haystack):
                return name
    return r.default_domain


def extract_targets(plan_id: str, text: str, tasks: list[dict], period_end: int | None) -> list[dict]:
    """Targets of one plan as row dicts (see the ``targets`` table)."""
    index = TaskIndex(tasks)
    r = rules()
    rows: list[dict] = []
    kept: list[Quantity] = []
    # what is past is judged against the period's end, else the latest 到YYYY年 (a news report)
    horizon = period_end or max((int(m.group(1) or m.group(2)) for m in DEADLINE.finditer(text)), default=None)
    for q in find_quantities(text):
        if is_rejected(text, q, horizon):
            continue
        s_start, s_end = _span(text, q.start)
        sentence = text[s_start:s_end]
        clause_before, clause_after = _clause(text, s_start, q, s_end)
        comparator, stable = _comparator(text[s_start:q.start], text[q.end:q.end + 4])
        if q.more and comparator == EXACT:
            comparator = ">="  # 20多个: more than 20
        task = index.at(q.start)
        context = (task.get("section_path", "") + " > " + task.get("title", "")) if task else ""
        if task and task.get("part") != "goals" and r.past_sections.search(context):
            continue  # achievements of past years (发展基础, 主要成效): statistics, not targets
        label = _label(clause_before, clause_after, text[q.end:s_end].rstrip("。；;！？!?"), rate=q.unit == "%")
        metric, domain = _metric_and_domain(label, clause_before + q.text + clause_after, sentence, context, q.unit)
        if metric == "pass_rate" and (r.sector_label.search(label) or (r.consequence.search(label) and r.acted_on.search(
                text[s_start:q.start - len(clause_before)]))):
            metric, domain = r.other_metric, r.sector_domain  # 加强对出口产品的监管,使产品质量抽查合格率达到95
        # the deadline nearest before the number, else any in the sentence
        before_number = list(DEADLINE.finditer(text[s_start:q.start]))
        # else a headline's leading year: 2025年全市制造业质量竞争力指数达85 (past years were rejected above)
        m = before_number[-1] if before_number else DEADLINE.search(sentence) or r.leading_year.match(sentence)
        deadline, source = (int(m.group(1) or m.group(2)), "text") if m else (period_end, "period" if period_end else "")
        # 每年 counts when it governs this number's clause, not an earlier one
        per_year = bool(r.per_year.search(clause_before))
        rows.append({
            "plan_id": plan_id,
            "target_id": f"{plan_id}:t{q.start}",
            "task_id": task["task_id"] if task else "",
            "part": task["part"] if task else "",
            "metric": metric,
            "domain": domain,
            "label": label,
            "value": float(q.value),
            "value_max": float(q.value_max) if q.value_max is not None else None,
            "unit": q.unit,
            "comparator": comparator,
            "stable": stable,
            "per_year": per_year,
            "deadline_year": deadline,
            "deadline_source": source,
            "value_text": q.text,
            "sentence": sentence,
            "char_start": q.start,
            "char_end": q.end,
            "mention": 1,
        })
        kept.append(q)
    _lists(text, kept, rows, context_of=lambda q: index.at(q.start))
    # the indicator key first: a restatement must measure the same subject
    add_indicator_key(rows, text)
    _number_mentions(rows)
    return rows


def _metric_and_domain(label: str, clause: str, sentence: str, context: str, unit: str) -> tuple[str, str]:
    """Metric and pass-rate domain of a target with this label (see ``extract_targets``)."""
    r = rules()
    metric = classify_metric(label, clause)
    domain = pass_rate_domain(label, clause, sentence, context) if r.pass_rate_label.search(label) else ""
    if metric == "pass_rate" and domain not in r.general_domains:
        metric = r.other_metric
    if r.money_units.search(unit):
        metric = r.other_metric  # 奖励300万元: an amount of money, not a count of awards
    return metric, domain


def _runs(text: str, quantities: list[Quantity]) -> list[list[int]]:
    """Indices of quantities joined only by 、 和 及 与 (89%、90%和91%), runs of two or more."""
    joiners = rules().joiners
    runs: list[list[int]] = []
    for i, q in enumerate(quantities):
        if i and joiners.match(text[quantities[i - 1].end:q.start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return [run for run in runs if len(run) > 1]


def _listed_labels(head: str, n: int) -> list[str] | None:
    """The n labels listed before 分别 (国家级、省级和市级示范项目), or None."""
    r = rules()
    head = r.list_label_noise.sub("", r.label_verbs.sub("", r.leading_noise.sub("", head.strip())))
    items = [x for x in head.split("、") if x]
    if len(items) == n - 1 and items:
        last = re.split("[和及与]", items[-1])
        if len(last) == 2:
            items[-1:] = last
    items = [_STRIP_LABEL.sub("", x) for x in items]
    if len(items) != n or not all(items):
        return None
    last = items[-1]
    labels = []
    for item in items:
        cut = last.find(item[-1]) if len(item) <= 3 else -1
        labels.append(item + last[cut + 1:] if 0 <= cut < len(last) - 1 and item != last else item)
    return labels


def _lists(text: str, quantities: list[Quantity], rows: list[dict], context_of) -> None:
    """Targets in lists: later values of a run measure what the first measures (or the
    i-th listed label before 分别); a run after 逐年 is one value per year."""
    r = rules()
    for run in _runs(text, quantities):
        first = rows[run[0]]
        q0 = quantities[run[0]]
        before = text[_span(text, q0.start)[0]:q0.start]
        clauses = re.split(r"[，,：:；;]", before)
        head = clauses[-1]
        split = r.distributed.search(head)
        if split and not head[:split.start()].strip() and len(clauses) > 1:
            head = clauses[-2] + head  # 质量奖企业、知名品牌和地理标志产品,分别达到…
            split = r.distributed.search(head)
        # 2016年、2017年和2018年分别达到89%、90%、91%: the listed labels are years, one per value
        years = _listed_years(head, len(run))
        labels = _listed_labels(head[:split.start()], len(run)) if split and not years else None
        series = bool(years) or bool(r.series.search(head))
        if years:  # what is measured stands before the years (产品质量监督抽查合格率2016年、…)
            measured = _STRIP_LABEL.sub("", r.leading_noise.sub("", re.split(_YEAR_LIST, head, maxsplit=1)[0].strip()))
            if _n_cjk(measured) >= 2:
                task = context_of(q0)
                context = (task.get("section_path", "") + " > " + task.get("title", "")) if task else ""
                first["label"] = measured
                first["metric"], first["domain"] = _metric_and_domain(measured, before + q0.text, first["sentence"],
                                                                      context, q0.unit)
        elif series:
            years = _year_range(before, len(run))
        for k, i in enumerate(run):
            row, q = rows[i], quantities[i]
            if labels:  # the i-th listed label: its own metric and domain
                task = context_of(q)
                context = (task.get("section_path", "") + " > " + task.get("title", "")) if task else ""
                row["label"] = labels[k]
                row["metric"], row["domain"] = _metric_and_domain(row["label"], before + q.text, row["sentence"], context,
                                                                  q.unit)
            elif k:  # what the first value measures
                row["label"], row["metric"], row["domain"] = first["label"], first["metric"], first["domain"]
                if r.money_units.search(q.unit):
                    row["metric"] = r.other_metric
            if k:
                if row["comparator"] == EXACT:
                    row["comparator"] = first["comparator"]
                row["per_year"] = first["per_year"]
            if split and not labels:  # 合格率分别: the word is no part of what is measured
                row["label"] = _STRIP_LABEL.sub("", re.sub(f"(?:{r.distributed.pattern})$", "", row["label"]))
            if series:
                row["label"] = _STRIP_LABEL.sub("", re.sub(f"{_YEAR_LIST}|(?:{r.series.pattern})$", "", row["label"]))
                row["label"] = _STRIP_LABEL.sub("", re.sub(f"(?:{r.distributed.pattern})$", "", row["label"]))
                row["per_year"] = False  # levels for successive years, not a yearly amount
                if row["metric"] == "pass_rate":
                    row["metric"] = r.other_metric  # no single threshold
                if years:
                    row["deadline_year"], row["deadline_source"] = years[k], "text"


_YEAR_LIST = r"(?:\d{4}\s*年\s*[、和及与]?\s*)+"


def _listed_years(head: str, n: int) -> list[int] | None:
    """The n years listed in ``head`` (2016年、2017年和2018年), in increasing order, or None."""
    for m in re.finditer(_YEAR_LIST, head):
        years = [int(y) for y in re.findall(r"\d{4}", m.group(0))]
        if len(years) == n and years == sorted(set(years)):
            return years
    return None


def _year_range(before: str, n: int) -> list[int] | None:
    """The years of the last year range of ``before`` (2015—2017年) when it spans exactly n years."""
    ranges = re.findall(r"(\d{4})\s*[-—–~～至到]\s*(\d{4})\s*年", before)
    if not ranges:
        return None
    a, b = (int(x) for x in ranges[-1])
    return list(range(a, b + 1)) if b - a + 1 == n else None


def _number_mentions(rows: list[dict]) -> None:
    """Mention 1 for the first statement of a target in a plan, 2… for restatements.

    A restatement has the same metric, value, value_max, unit and per_year,
    the same pass-rate domain (the general ones, product quality and
    manufacturing, count as one: 食品 91% never restates 工业产品 91%), the
    same ``indicator_subject`` for a named metric (消费品质量合格率95% never
    restates 制造业产品质量合格率95%) and a similar label (difflib ratio >=
    0.5).  Rows are bucketed by the exact fields first and labels are compared only inside a bucket, once per
    distinct earlier label (no comparison of every pair of targets).
    """
    buckets: dict[tuple, dict[str, int]] = {}
    general = rules().general_domains
    for row in rows:
        domain = row.get("domain", "")
        key = tuple(row[k] for k in ("metric", "value", "value_max", "unit", "per_year")) + (
            "" if domain in general else domain,
            # a named indicator's subject: 消费品 95% never restates 制造业产品 95%; an unnamed metric's
            # wording drifts between restatements (重点消费品 / 重点产品或服务 …标杆企业), so not for `other`
            row.get("indicator_subject", "") if row["metric"] != "other" else "")
        earlier = buckets.setdefault(key, {})
        row["mention"] = 1 + sum(
            n for label, n in earlier.items() if difflib.SequenceMatcher(None, label, row["label"]).ratio() >= 0.5)
        earlier[row["label"]] = earlier.get(row["label"], 0) + 1
