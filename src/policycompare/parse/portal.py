"""Fields a government portal prints above a page (发文机关, 发文字号, 成文日期 …), read from the page's text."""

from __future__ import annotations

import re
from functools import lru_cache

from ..extract.numbers import to_int
from ..rules.readers import metadata_rules

ISO_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")


def iso(y: str, m: str, d: str) -> str:
    return f"{to_int(y):04d}-{to_int(m):02d}-{to_int(d):02d}"


@lru_cache(maxsize=1)
def _portal_labels() -> dict[str, str]:
    """Every portal label -> its group (issuer, doc_number, document_date, …)."""
    out = {}
    for group, labels in metadata_rules()["portal"].items():
        if group != "empty_values":
            for label in labels:
                out.setdefault(label, group)
    return out


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern[str]:
    """A portal label, bare or in 【】/[ ], its characters possibly spaced, with a following colon."""
    labels = sorted(_portal_labels(), key=len, reverse=True)
    alt = "|".join("\\s*".join(map(re.escape, label)) for label in labels)
    return re.compile(rf"[【\[]?\s*({alt})\s*[】\]]?\s*[:：]?")


def text_portal(text: str) -> dict[str, str]:
    """Portal fields written in the text itself, in the first 60 lines.

    A line is a portal line when it starts with a label (bare, in 【】 or
    ``[ ]``, characters possibly spaced: ``[ 索 引 号 ]``); every label on it
    takes the text up to the next label, without ``|``, ``:`` and spaces.
    Forms: ``【label】value``, ``[ label ] value [ label ] value``,
    ``label | value | label | value |``, ``label:value label:value``; a label
    ending its line with no value takes the next line (``发布机构`` / ``某市人民政府``).

    Examples:
        >>> text_portal("•【公布日期】2016.10.25\\n文件号 | 制发日期 | 2023-03-10 |\\n发布机构\\n某市人民政府\\n")
        {'公布日期': '2016.10.25', '文件号': '', '制发日期': '2023-03-10', '发布机构': '某市人民政府'}
        >>> text_portal("[ 发布机构 ] 某县政府办 [ 发文字号 ] 某府发〔2024〕14号\\n")
        {'发布机构': '某县政府办', '发文字号': '某府发〔2024〕14号'}
    """
    lines = [line.strip() for line in text.split("\n")][:60]
    fields: dict[str, str] = {}
    label_re = _label_re()
    i = 0
    while i < len(lines):
        body = re.sub(r"^[•·|\s-]+", "", lines[i])
        i += 1
        matches = list(label_re.finditer(body))
        if not matches or matches[0].start() != 0:
            continue
        for k, m in enumerate(matches):
            stop = matches[k + 1].start() if k + 1 < len(matches) else len(body)
            value = body[m.end():stop].strip(" |:：")
            if not value and k == len(matches) - 1 and i < len(lines):
                nxt = lines[i].strip(" |")
                if nxt and not label_re.match(nxt) and len(nxt) <= 40 and "。" not in nxt:
                    value = nxt
                    i += 1
                    if i < len(lines) and lines[i].strip() == "|":
                        i += 1
            fields.setdefault(re.sub(r"[\s【】\[\]]", "", m.group(1)), value)
    return fields


def portal_get(fields: dict[str, str], group: str) -> str:
    for label in metadata_rules()["portal"][group]:
        if fields.get(label):
            return fields[label].strip()
    return ""


def portal_date(fields: dict[str, str], group: str) -> str:
    m = ISO_DATE.search(portal_get(fields, group))
    return iso(*m.groups()) if m else ""


def portal_dates(fields: dict[str, str]) -> list[str]:
    return [d for d in (portal_date(fields, "document_date"), portal_date(fields, "posting_date")) if d]
