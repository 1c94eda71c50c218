"""English names for readers abroad: jurisdictions, agencies and sectors.

* Jurisdictions: provinces by their official English names (Inner Mongolia,
  Shaanxi, Tibet …), other places romanised with pypinyin without tones, the
  administrative suffix translated (灵武市 → Lingwu, 普陀区 → Putuo District,
  平利县 → Pingli County); 中国 → China.
* Agencies: the ``agency_en`` column of ``data/agencies.csv`` (by canonical
  name); a name the table does not know is romanised.
* Sectors: the ``label_en`` column of ``data/sector_categories.csv``.

Examples:
    >>> jurisdiction_en("上海市"), jurisdiction_en("灵武市"), jurisdiction_en("陕西省")
    ('Shanghai', 'Lingwu', 'Shaanxi')
"""

from __future__ import annotations

from functools import lru_cache

from .config import read_data_csv

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


@lru_cache(maxsize=4096)
def agency_en(canonical: str | None) -> str:
    """English name of a canonical agency: ``agency_en`` of ``data/agencies.csv``, else romanised."""
    canonical = (canonical or "").strip()
    if not canonical:
        return ""
    return _agency_table().get(canonical) or romanise(canonical)


def sector_en(category: str) -> str:
    """English label of a sector category (the category code when unknown)."""
    from .extract.sectors import categories

    cat = categories().get(category)
    return getattr(cat, "label_en", "") or category if cat is not None else category
