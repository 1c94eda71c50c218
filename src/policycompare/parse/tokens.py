"""The word tokens of a task as the similarity model reads them, computed by the per-plan stage.

Here, on the map's side, so that reading a plan needs jieba but not scikit-learn or SciPy: the reduce
(:mod:`policycompare.analyze.similarity`) reads the tokens from the corpus.
"""

from __future__ import annotations

from ..rules.patterns import LEADING_NUMBERS
from ..rules.readers import role_patterns
from .segment import content_tokens


def task_document(text: str) -> str:
    """The text of a task as it is compared: without its leading number and role lines."""
    return role_patterns().label_lines.sub("", LEADING_NUMBERS.sub("", text))


def task_tokens(text: str) -> list[str]:
    """The word tokens of one task as the similarity model uses them (jieba content words).

    A pure function of the task's text: the per-plan stage computes it once per
    task, and the cache stores it, so jieba never runs twice over a plan.

    Examples:
        >>> task_tokens("1.加强婴幼儿配方乳粉质量监管")
        ['婴幼儿配方乳粉', '质量', '监管']
    """
    return content_tokens(task_document(text))
