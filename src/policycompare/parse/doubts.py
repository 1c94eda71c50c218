"""Doubt warnings: signs that a page is not the whole plan or that a field is unreliable.

Each rule is general (no plan is named); the warnings go to ``warnings.csv``
through :func:`policycompare.corpus.read_plan`, so a researcher knows which
rows to check by hand.

Examples:
    >>> doubts("某市质量提升方案\\n一、目标\\n到2020年,合格率达到", {"title": "某市质量提升方案",
    ...        "jurisdiction": "某市", "issued_date": ""}, [{"task_id": "x:1"}])[:2]  # doctest: +NORMALIZE_WHITESPACE
    ['the text ends mid-sentence (…0年,合格率达到): the page may be truncated, later tasks and targets missing',
     'only one task found: the structure may be incomplete']
"""

from __future__ import annotations

import re

from ..rules.patterns import CLAUSE_PUNCT
from .metadata import DOC_NUMBER, strip_label_prefix

#: Characters a complete text ends with (sentence ends, closing brackets and quotes).
_COMPLETE_END = "。！？!?；;)）”\"》」』.…"
_STRIPPED_DATE_LINE = re.compile(r"(?m)^(?:19|20)\d{4,6}$")


def doubts(text: str, metadata: dict, tasks: list[dict], *, fields: bool = True) -> list[str]:
    """Warnings about a plan read from ``text`` (normalized) with its metadata and tasks.

    * the text ends mid-sentence (the page was cut: an excerpt or a broken download);
    * a plan with a single task;
    * a title that does not stand on a line of its own (taken from a longer
      line or joined from broken lines) — check it;
    * a date whose 年月日 were stripped (``2016127``) that could not be resolved;
    * with ``fields``: the jurisdiction or the issue date not found.
    """
    out: list[str] = []
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    # a last line of prose (a comma inside, or long) that stops without a sentence end;
    # a closing date line, table row or headline is a normal end
    if last and last[-1] not in _COMPLETE_END and (CLAUSE_PUNCT.search(last) or len(last) >= 40):
        out.append(f"the text ends mid-sentence (…{last[-8:]}): the page may be truncated, "
                   "later tasks and targets missing")
    if len(tasks) == 1:
        out.append("only one task found: the structure may be incomplete")
    title = str(metadata.get("title") or "")
    if title and not _title_on_own_line(title, text):
        out.append(f"title taken from a line that is not a title line alone ({title[:30]}): check it")
    if not metadata.get("issued_date") and _STRIPPED_DATE_LINE.search(text):
        line = _STRIPPED_DATE_LINE.search(text).group(0)
        out.append(f"a date with 年月日 stripped ({line}) could not be resolved; issued_date left empty")
    if fields:
        if not metadata.get("jurisdiction"):
            out.append("jurisdiction not found (no issuer, title, portal field, doc number or body words name it)")
        if not metadata.get("issued_date"):
            out.append("issue date not found (no signature date or portal document date)")
    return out


def _title_on_own_line(title: str, text: str) -> bool:
    """The title is a line of its own, once label prefixes, doc numbers, brackets and
    spaces are set aside (a title printed with its 文号 still counts)."""
    def bare(s: str) -> str:
        s = DOC_NUMBER.sub("", strip_label_prefix(s.strip()))
        s = re.sub(r"[(（]\s*[)）]|[《》〈〉\s]", "", s)
        return s

    want = bare(title)
    return any(bare(line) == want for line in text.split("\n"))


#: Fields read from weak evidence, by (field, source): the warning a researcher gets (a title cited in a
#: sentence already has the "not a title line alone" doubt above).
_WEAK_SOURCES = {
    ("issuer", "running_text"): "issuer read from a sentence (X印发《…》), not from a signature, title or portal "
                                "block: check it",
    ("jurisdiction", "running_text"): "jurisdiction read from the places the text names (no issuer, title, portal "
                                      "field or doc number names it): check it",
}


def source_doubts(sources: dict[str, tuple]) -> list[str]:
    """Warnings for metadata fields read from weak evidence (``metadata.read_metadata``'s sources).

    Examples:
        >>> source_doubts({"title": ("header", "某方案", -1), "jurisdiction": ("running_text", "拉萨市", -1)})
        ['jurisdiction read from the places the text names (no issuer, title, portal field or doc number names it): check it']
    """
    return [message for (name, source), message in _WEAK_SOURCES.items()
            if sources.get(name, ("",))[0] == source]
