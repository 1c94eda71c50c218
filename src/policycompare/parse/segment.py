"""Word segmentation with jieba, shared by similarity and anything else that needs words.

A private ``jieba.Tokenizer`` (never the global one, whose dictionary every
caller shares) gets the sector lexicon and the agency names as user words, so
婴幼儿配方乳粉 or 市场监管局 stay one token everywhere.  Words are added with
``add_word`` and a frequency jieba computes to keep them whole, which avoids
the user-dictionary file pitfalls (BOM, CRLF, missing frequencies).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

from ..config import PACKAGE_DATA
from ..extract.agencies import agency_table
from ..extract.sectors import lexicon

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def user_words() -> list[str]:
    """Sector terms and agency names (with and without 省/市/县 in front), sorted."""
    words = set(lexicon())
    for name, (canonical, _) in agency_table().items():
        words |= {name, canonical}
        words |= {prefix + name for prefix in ("省", "市", "县", "区")}
    return sorted(w for w in words if len(w) >= 2)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The project's private jieba tokenizer with its user words."""
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in user_words():
        tk.add_word(word, freq=tk.suggest_freq(word, tune=False))
    return tk


def release_tokenizer() -> None:
    """Drop the tokenizer (jieba's dictionary and the user words: about 65 MB); the next call to
    :func:`tokenizer` builds it again.  A run calls this after its plans are parsed: the reduce reads
    the tokens the parsing kept and never segments again."""
    tokenizer.cache_clear()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """``data/stopwords.txt``: policy boilerplate and function words."""
    with open(PACKAGE_DATA / "stopwords.txt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


def words(text: str) -> list[str]:
    """All jieba words of ``text`` (punctuation and spaces included)."""
    return tokenizer().lcut(text, HMM=True)


def content_tokens(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, punctuation, numbers, or single characters (but lexicon terms such as 鞋).

    Examples:
        >>> content_tokens("加强婴幼儿配方乳粉质量监管")
        ['婴幼儿配方乳粉', '质量', '监管']
    """
    stop, lex = stopwords(), lexicon()
    return [w for w in words(text) if (len(w) >= 2 or w in lex) and w not in stop and _WORD.search(w)]
