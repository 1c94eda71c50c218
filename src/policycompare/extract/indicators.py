"""The indicator key of a target: its subject (消费品, 工业产品 …) and, for rates, its sampling level.

Two pass rates are one series only when they measure the same things
(``indicator_subject``: consumer goods, industrial products, manufacturing
products, key products, food, …) sampled by the same level
(``indicator_sampling``: national, provincial and above, provincial,
municipal, county, several levels combined, unspecified).  The rules are in
``data/indicators.toml``; :func:`add_indicator_key` fills both columns of
every target row; :func:`policycompare.extract.targets.extract_targets` calls it before numbering restatements.

Examples:
    >>> indicator_key("重点消费品国家监督抽查合格率", metric="pass_rate")
    ('consumer_goods', 'national')
    >>> indicator_key("工业产品质量监督抽查合格率", metric="pass_rate")
    ('industrial_products', 'unspecified')
    >>> indicator_key("国际标准一致性程度", "重点领域消费品与国家、国际标准一致性程度达到", metric="standard_consistency")
    ('consumer_goods', '')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import PACKAGE_DATA, read_toml

#: The text before the number that belongs to its clause: back to the last ，；：。 (not 、: a list of
#: subjects or levels stays whole).
_CLAUSE_START = re.compile(r"[，,；;：:。！？!?\n|]")
_SPACES = re.compile(r"[ \t\u3000]+")


@dataclass(frozen=True)
class Named:
    """A subject or a sampling level: its id, Chinese and English names, and its pattern."""

    name: str
    zh: str
    en: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class _Rules:
    subjects: tuple[Named, ...]
    context_metrics: frozenset[str]
    domain_subject: dict[str, str]
    sampling_applies: re.Pattern[str]
    sampling_default: str
    levels: tuple[Named, ...]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The rules of ``data/indicators.toml``, compiled."""
    raw = read_toml(PACKAGE_DATA / "indicators.toml")

    def named(items) -> tuple[Named, ...]:
        return tuple(Named(i["name"], i["zh"], i["en"], re.compile(i["pattern"])) for i in items)

    context = raw["context"]
    return _Rules(
        subjects=named(raw["subjects"]),
        context_metrics=frozenset(context["metrics"]),
        domain_subject=dict(context["domain_subject"]),
        sampling_applies=re.compile(raw["sampling"]["applies"]),
        sampling_default=raw["sampling"]["default"],
        levels=named(raw["sampling"]["levels"]),
    )


def subjects() -> dict[str, Named]:
    """Subject id -> its names, in the order of ``data/indicators.toml``."""
    return {s.name: s for s in rules().subjects}


def sampling_levels() -> dict[str, Named]:
    """Sampling level id -> its names, in the order of ``data/indicators.toml``."""
    return {s.name: s for s in rules().levels}


def find_subject(text: str, *, last: bool = False) -> str:
    """The subject ``text`` names ('' when none): the leftmost (``last``: the rightmost), the longest there.

    Examples:
        >>> find_subject("地产农产品质量安全例行监测合格率和食品抽查合格率"), find_subject("监督抽查合格率")
        ('agricultural_products', '')
        >>> find_subject("制造业产品质量合格率"), find_subject("产品质量监督抽查合格率")
        ('manufacturing_products', 'products')
    """
    best = None
    for order, subject in enumerate(rules().subjects):
        for m in subject.pattern.finditer(text):
            key = (-m.start() if last else m.start(), -(m.end() - m.start()), order)
            if best is None or key < best[0]:
                best = (key, subject.name)
            if not last:
                break  # the first match of a pattern is its leftmost
    return best[1] if best else ""


def find_sampling(*texts: str) -> str:
    """The sampling level the first of ``texts`` that names one says, else the default (``unspecified``).

    Examples:
        >>> find_sampling("消费品质量省级以上监督抽查合格率"), find_sampling("使工业产品国家、省、市、县监督抽查合格率")
        ('provincial_and_above', 'combined')
    """
    r = rules()
    for text in texts:
        for level in r.levels:
            if level.pattern.search(text):
                return level.name
    return r.sampling_default


def indicator_key(label: str, clause: str = "", sentence: str = "", *, metric: str = "",
                  domain: str = "") -> tuple[str, str]:
    """(indicator_subject, indicator_sampling) of a target.

    ``label``: the measured noun phrase; ``clause``: the text before the number
    back to the last ，；： (or more: it is cut there); ``sentence``: the sentence
    before the number.  The subject comes from the label; for the context
    metrics of ``data/indicators.toml`` and for pass rates (``domain`` set), from the
    clause, then the subject of the domain (food, drugs …), then the nearest
    subject before the number in the sentence.  The sampling level is set for
    rates (``[sampling] applies``) only.
    """
    r = rules()
    # a page may break a word with spaces (主要农 产品): they never separate subjects
    label, clause, sentence = (_SPACES.sub("", t) for t in (label, clause, sentence))
    clause = _CLAUSE_START.split(clause)[-1]
    subject = find_subject(label)
    if not subject and (metric in r.context_metrics or domain):
        subject = (find_subject(clause) or r.domain_subject.get(domain, "")
                   or find_subject(sentence, last=True))
    sampling = find_sampling(clause, label) if r.sampling_applies.search(label) else ""
    return subject, sampling


def add_indicator_key(rows: list[dict], text: str) -> list[dict]:
    """Set ``indicator_subject`` and ``indicator_sampling`` on each target row (of one plan's ``text``)."""
    for row in rows:
        start, sentence = row["char_start"], row["sentence"]
        # where the row's sentence starts: it holds the number, so it starts at most its length before it
        s0 = text.find(sentence, max(0, start - len(sentence))) if sentence else -1
        s0 = s0 if 0 <= s0 <= start else start
        clause = text[max(s0, start - 80):start]
        sentence_before = text[s0:start]
        subject, sampling = indicator_key(row["label"], clause, sentence_before, metric=row["metric"],
                                          domain=row["domain"])
        row["indicator_subject"] = subject
        row["indicator_sampling"] = sampling
    return rows
