"""Raw text -> normalized text.

Each step is a plain ``str -> str`` function; :func:`normalize_text` runs them
in order and records what each changed, so that a regression (say, an OpenCC
release converting characters differently) shows up as a changed count.

Every character offset in the project refers to the text this module returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..config import PACKAGE_DATA, read_toml
from ..rules.patterns import SENTENCE

PINYIN_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
#: A tone-marked pinyin syllable (also used by the PDF reader to mend a gloss the page wrapped).
PINYIN_SYLLABLE = rf"[a-zü]*[{PINYIN_TONES}][a-zü{PINYIN_TONES}]*"
#: ``發(fā)``: a tone-marked pinyin syllable in parentheses right after a character.
_GLOSS = re.compile(rf"\({PINYIN_SYLLABLE}\)")
#: ``?(dǎo)``: the glossed character itself was lost to mojibake.
_LOST_CHAR_GLOSS = re.compile(rf"\?\({PINYIN_SYLLABLE}\)")
#: ``?yōu)``: mojibake ate the opening parenthesis.
_BROKEN_GLOSS = re.compile(rf"\?{PINYIN_SYLLABLE}\)")
_STRAY_QMARK = re.compile(r"(?<=[\u4e00-\u9fff])\?(?=[\u4e00-\u9fff])")

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_MULTISPACE = re.compile(r" {2,}")
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)},
     **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
     **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
     "％": "%", "＋": "+", "－": "-", "．": ".", "／": "/", "＝": "=", "＜": "<", "＞": ">"}
)


@dataclass
class Normalized:
    """Normalized text with an audit of what normalization did."""

    text: str
    stats: dict[str, int] = field(default_factory=dict)
    dropped_lines: list[str] = field(default_factory=list)
    portal_fields: dict[str, str] = field(default_factory=dict)


# -- steps ---------------------------------------------------------------------------


def unify_newlines(text: str) -> str:
    """CRLF and CR -> LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unify_spaces(text: str) -> str:
    """NBSP, full-width and other Unicode spaces -> one ASCII space; trim lines.

    Examples:
        >>> unify_spaces("标准化处\\u3000\\u3000监督处\\u00a0 ")
        '标准化处 监督处'
    """
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(_MULTISPACE.sub(" ", line).strip() for line in text.split("\n"))


def strip_pinyin_glosses(text: str) -> str:
    """Remove pinyin glosses after characters, also where mojibake mangled them.

    Examples:
        >>> strip_pinyin_glosses("湘政辦發(fā)〔2017〕49號(hào)(一)")
        '湘政辦發〔2017〕49號(一)'
    """
    return _strip_glosses(text)[0]


def _strip_glosses(text: str) -> tuple[str, int, int]:
    text, n_broken = _BROKEN_GLOSS.subn("", text)
    text, n_lost = _LOST_CHAR_GLOSS.subn("", text)
    text, n_gloss = _GLOSS.subn("", text)
    text, n_qmark = _STRAY_QMARK.subn("", text)
    return text, n_gloss + n_lost + n_broken, n_broken + n_lost + n_qmark


@lru_cache(maxsize=1)
def _opencc():
    # the converter's dictionaries load only for text with traditional characters
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters with OpenCC (``t2s``).

    Examples:
        >>> to_simplified("質量監督抽查合格率")
        '质量监督抽查合格率'
    """
    return _opencc().convert(text)


def halfwidth_ascii(text: str) -> str:
    """Full-width digits, Latin letters and ``％＋－．`` -> ASCII; Chinese punctuation stays.

    Examples:
        >>> halfwidth_ascii("合格率达到９２％，（一）")
        '合格率达到92%，（一）'
    """
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=1)
def noise_rules() -> dict[str, object]:
    """The noise rules of ``data/noise.toml``, compiled."""
    raw = read_toml(PACKAGE_DATA / "noise.toml")
    return {
        "starts": re.compile("^(?:" + "|".join(raw["line_starts"]) + ")"),
        "contains": re.compile("|".join(raw["line_contains"])),
        "spam": list(raw["spam_words"]),
        "portal": list(raw["portal_labels"]),
    }


def is_noise_line(line: str) -> bool:
    """True for web-page furniture: share buttons, view counters, spam titles, portal fields.

    Examples:
        >>> is_noise_line("浏览量:          时间:2019-01-16 05:31:42")
        True
        >>> is_noise_line("(一)改革标准供给体系。")
        False
    """
    return _noise_kind(line) is not None


def _noise_kind(line: str) -> str | None:
    rules = noise_rules()
    stripped = line.strip()
    if not stripped:
        return None
    if rules["starts"].match(stripped):
        return "furniture"
    # The remaining rules only apply to lines that are not prose: a sentence of
    # a plan may well mention a 微信公众号 or 高清视频.
    if SENTENCE.search(stripped):
        return None
    if rules["contains"].search(stripped):
        return "furniture"
    if sum(word in stripped for word in rules["spam"]) >= 2:
        return "spam"
    # SEO title: several segments joined by "_".
    if stripped.count("_") >= 2:
        return "spam"
    compact = stripped.replace(" ", "")
    if sum(label in compact for label in rules["portal"]) >= 2:
        return "portal"
    return None


def parse_portal_fields(line: str) -> dict[str, str]:
    """Key/value pairs of a portal metadata line (``生成日期 2017-10-16 …``).

    Examples:
        >>> parse_portal_fields("索 引 号 640181-100/2017-37211 文  号 生成日期 2017-10-16")["生成日期"]
        '2017-10-16'
    """
    labels = sorted(noise_rules()["portal"], key=len, reverse=True)
    spaced = ["\\s*".join(label) for label in labels]
    pattern = re.compile("(" + "|".join(spaced) + ")\\s*[:：]?")
    fields: dict[str, str] = {}
    matches = list(pattern.finditer(line))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        fields[re.sub(r"\s", "", m.group(1))] = line[m.end():end].strip()
    return fields


# -- pipeline --------------------------------------------------------------------------


def normalize_text(text: str) -> Normalized:
    """Run every step and return the text with an audit of the changes.

    Examples:
        >>> n = normalize_text("分享到:\\n一、總體要求\\n\\n（一）發(fā)展目標")
        >>> n.text
        '一、总体要求\\n（一）发展目标\\n'
        >>> n.stats["noise_lines"], n.stats["glosses_removed"]
        (1, 1)
    """
    stats: dict[str, int] = {}
    text = unify_newlines(text)
    text = unify_spaces(text)
    text, stats["glosses_removed"], stats["mojibake_removed"] = _strip_glosses(text)
    text = unify_spaces(text)  # a removed gloss can leave a space at a line start
    simplified = to_simplified(text)
    stats["t2s_changed"] = sum(a != b for a, b in zip(text, simplified)) if len(text) == len(simplified) else -1
    text = halfwidth_ascii(simplified)
    kept: list[str] = []
    dropped: list[str] = []
    portal: dict[str, str] = {}
    for line in text.split("\n"):
        kind = _noise_kind(line)
        if kind is None:
            if line:
                kept.append(line)
            continue
        dropped.append(line)
        if kind == "portal":
            portal.update({k: v for k, v in parse_portal_fields(line).items() if v})
    stats["noise_lines"] = len(dropped)
    return Normalized(text="\n".join(kept) + "\n", stats=stats, dropped_lines=dropped, portal_fields=portal)


def normalize(text: str) -> str:
    """Normalized text only (see :func:`normalize_text`)."""
    return normalize_text(text).text
