"""English names for readers abroad: jurisdictions, agencies and sectors.

* Jurisdictions: provinces by their official English names (Inner Mongolia,
  Shaanxi, Tibet …), other places romanised with pypinyin without tones, the
  administrative suffix translated (灵武市 → Lingwu, 普陀区 → Putuo District,
  平利县 → Pingli County); 中国 → China.
* Agencies: the ``agency_en`` column of ``data/agencies.csv`` (by canonical
  name); a name the table does not know is put into English word by word with
  the vocabulary of ``data/agency_words.toml`` (局 → Bureau, 领导小组 → Leading
  Group …), the other words romanised one by one (统计局 → Tongji Bureau).
* Sectors: the ``label_en`` column of ``data/sector_categories.csv``.

Examples:
    >>> jurisdiction_en("上海市"), jurisdiction_en("灵武市"), jurisdiction_en("陕西省")
    ('Shanghai', 'Lingwu', 'Shaanxi')
    >>> agency_en("质量工作领导小组各成员单位"), agency_en("各区政府")
    ('Quality Work Leading Group Member Units', 'Each District Government')
"""

from __future__ import annotations

from functools import lru_cache

from .config import PACKAGE_DATA, read_data_csv, read_toml
from .extract.indicators import sampling_levels, subjects
from .extract.sectors import categories
from .parse.segment import words as jieba_words
from .rules.patterns import CJK

#: Official English names where the plain pinyin is not what readers know.
PROVINCES_EN = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi", "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "上海": "Shanghai", "江苏": "Jiangsu",
    "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong",
    "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia",
    "新疆": "Xinjiang", "香港": "Hong Kong", "澳门": "Macao", "台湾": "Taiwan",
    "中国": "China", "全国": "China",
}
#: Administrative suffixes, longest first, and their English (empty: left out, as in "Hunan").
SUFFIXES = (
    ("维吾尔自治区", ""), ("壮族自治区", ""), ("回族自治区", ""), ("自治区", ""), ("特别行政区", ""),
    ("自治州", " Prefecture"), ("自治县", " County"), ("地区", " Prefecture"), ("新区", " New Area"),
    ("省", ""), ("市", ""), ("县", " County"), ("区", " District"), ("旗", " Banner"), ("盟", " League"), ("州", " Prefecture"),
)


def romanise(text: str) -> str:
    """Pinyin without tones, syllables of one word joined, first letter upper case (普陀 → Putuo)."""
    # only --lang en romanises place names
    from pypinyin import Style, lazy_pinyin

    if not text:
        return ""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    if text[0] == "长":  # 长沙, 长春, 长宁, 长治: cháng at the start of a place name
        syllables[0] = "chang"
    word = "".join(syllables)
    return word[:1].upper() + word[1:]


@lru_cache(maxsize=4096)
def jurisdiction_en(name: str | None) -> str:
    """English name of a jurisdiction ('' for an empty name)."""
    name = (name or "").strip()
    if not name:
        return ""
    if name in PROVINCES_EN:
        return PROVINCES_EN[name]
    for suffix, english in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if stem in PROVINCES_EN:
                return PROVINCES_EN[stem]
            # 土家族苗族自治县: ethnic names are part of the official English name; keep them romanised
            return romanise(stem) + english
    return romanise(name)


@lru_cache(maxsize=1)
def _agency_table() -> dict[str, str]:
    return {row["canonical"]: row.get("agency_en", "") for row in read_data_csv("agencies.csv")}


@lru_cache(maxsize=1)
def agency_words() -> dict[str, dict[str, str]]:
    """``data/agency_words.toml``: its ``words``, ``suffixes`` and ``characters`` tables (Chinese → English)."""
    data = read_toml(PACKAGE_DATA / "agency_words.toml")
    out = {part: {str(k): str(v) for k, v in data.get(part, {}).items()} for part in ("words", "suffixes", "characters")}
    short = [w for w in out["words"] if len(w) < 2]
    if short:
        raise ValueError(f"agency_words.toml: [words] keys need two characters or more: {short}")
    return out


def _word_en(word: str) -> str:
    """English of one jieba word that ``[words]`` does not know: a suffix or character, a romanised
    stem with its suffix (统计局 → Tongji Bureau), else the romanised word."""
    vocab = agency_words()
    if not CJK.search(word):
        return word.strip() if any(ch.isalnum() for ch in word) else ""  # punctuation: left out
    known = {**vocab["characters"], **vocab["suffixes"], **vocab["words"]}
    if word in vocab["suffixes"] or word in vocab["characters"]:
        return known[word]
    endings = {**vocab["characters"], **vocab["suffixes"]}
    if all(ch in endings for ch in word):  # 各县区 -> Each County District
        return " ".join(endings[ch] for ch in word)
    for ending in sorted(endings, key=lambda s: (-len(s), s)):
        if word.endswith(ending) and len(word) > len(ending):
            stem = word[: -len(ending)]
            if stem in known:  # 各区 -> Each District
                return f"{known[stem]} {endings[ending]}"
            if ending in vocab["suffixes"]:  # 统计局 -> Tongji Bureau; 城市 stays Chengshi
                return f"{romanise(stem)} {endings[ending]}"
    return romanise(word)


def agency_words_en(name: str) -> str:
    """An agency name put into English word by word (see ``data/agency_words.toml``): known words
    anywhere in the name (longest first), the rest cut by jieba and each word translated by its
    suffix or romanised, capitalised, spaced.

    Examples:
        >>> agency_words_en("局相关处室"), agency_words_en("市场监管服务中心")
        ('Bureau Related Divisions', 'Market Regulation Service Centre')
    """
    vocab = agency_words()["words"]
    longest = max(map(len, vocab), default=0)
    parts: list[str] = []
    rest = ""

    def flush() -> None:
        nonlocal rest
        if rest:
            parts.extend(_word_en(w) for w in jieba_words(rest))
            rest = ""

    i = 0
    while i < len(name):
        hit = next((name[i:i + n] for n in range(min(longest, len(name) - i), 1, -1) if name[i:i + n] in vocab), "")
        if hit:
            flush()
            parts.append(vocab[hit])
            i += len(hit)
        else:
            rest += name[i]
            i += 1
    flush()
    return " ".join(" ".join(parts).split())


@lru_cache(maxsize=4096)
def agency_en(canonical: str | None) -> str:
    """English name of a canonical agency: ``agency_en`` of ``data/agencies.csv``, else word by word
    (:func:`agency_words_en`)."""
    canonical = (canonical or "").strip()
    if not canonical:
        return ""
    return _agency_table().get(canonical) or agency_words_en(canonical)


def sector_en(category: str) -> str:
    """English label of a sector category (the category code when unknown)."""
    cat = categories().get(category)
    return getattr(cat, "label_en", "") or category if cat is not None else category


#: Irregular English plurals of the nouns the findings count (the rest take an -s).
PLURALS = {"category": "categories", "agency": "agencies", "agency type": "agency types", "this": "these",
           "plan sets": "plans set", "plan has": "plans have"}


def plural(n: int, noun: str) -> str:
    """``n`` and the noun in the right number: 1 plan, 2 plans, 1 category, 3 categories.

    Examples:
        >>> plural(1, "plan"), plural(2, "plan"), plural(0, "task"), plural(7, "category")
        ('1 plan', '2 plans', '0 tasks', '7 categories')
    """
    return f"{n} {noun if n == 1 else PLURALS.get(noun, noun + 's')}"


def subject_en(subject: str) -> str:
    """English name of an indicator subject (``consumer_goods`` → consumer goods; '' stays '')."""
    named = subjects().get(subject)
    return named.en if named is not None else subject.replace("_", " ")


def sampling_en(sampling: str) -> str:
    """English name of a sampling level (``provincial_and_above`` → provincial and above)."""
    named = sampling_levels().get(sampling)
    return named.en if named is not None else sampling.replace("_", " ")
