"""What figures and findings call plans, groups, subjects, levels and directions, in Chinese or English."""

from __future__ import annotations

import pandas as pd

from .. import config
from ..english import jurisdiction_en
from ..extract.indicators import sampling_levels, subjects
from .style import check_lang

#: Beyond this many plans, per-plan figures show provinces (each plan still a dot where it can be).
AGGREGATE_OVER = config.AGGREGATE_OVER

#: Level -> (Chinese, English) name, national first.
LEVEL_NAMES = {"national": ("全国", "national"), "province": ("省", "province"), "prefecture": ("市", "prefecture"),
               "county": ("县", "county")}
#: Directions of a target and statuses of a parent's task, in Chinese.
ESCALATION_ZH = {"raised": "加码", "same": "持平", "lowered": "降低", "copied": "照搬", "adapted": "改写",
                 "dropped": "未采纳", "added": "新增"}


def plan_year(plans: pd.DataFrame) -> pd.Series:
    """Year of each plan for its label: issue year, else the year in its plan_id, else its period start."""
    issued = plans["issued_date"].fillna("").astype(str).str.extract(r"^(\d{4})", expand=False)
    from_id = plans["plan_id"].astype(str).str.extract(r"((?:19|20)\d\d)(?!.*\d)", expand=False)
    start = plans["period_start"].astype("string").fillna("") if "period_start" in plans else ""
    year = issued.fillna(from_id).fillna(start if isinstance(start, pd.Series) else "")
    return year.fillna("").astype(str)


def plan_labels(plans: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """plan_id -> short label: the jurisdiction (romanised with ``lang="en"``), with the year when two
    plans share it (上海市 2017 / 上海市 2018), with the plan_id when that is not enough; the plan_id
    when the jurisdiction is missing."""
    check_lang(lang)
    if plans.empty:
        return {}
    names = plans["jurisdiction"].fillna("").astype(str)
    if lang == "en":
        names = names.map(jurisdiction_en)
    names.index = plans["plan_id"].to_numpy()
    ids = pd.Series(plans["plan_id"].to_numpy(), index=names.index)
    base = names.where(names != "", ids)
    year = pd.Series(plan_year(plans).to_numpy(), index=names.index)
    id_year = pd.Series(plans["plan_id"].astype(str).str.extract(r"((?:19|20)\d\d)(?!.*\d)", expand=False)
                        .fillna("").to_numpy(), index=names.index)
    label = base
    for suffix in (year, id_year, ids):  # the issue year; the year in the file name; the plan_id
        clash = label.map(label.value_counts()) > 1
        if not clash.any():
            break
        label = label.where(~clash | (suffix == ""), base + " " + suffix)
    return label.to_dict()


def plan_order(plans: pd.DataFrame) -> list[str]:
    """The one order of plans every per-plan figure uses: by level (national, province, prefecture,
    county), then province, then year, then plan_id."""
    if plans.empty:
        return []
    rank = {level: i for i, level in enumerate(LEVEL_NAMES)}
    keys = pd.DataFrame({"plan_id": plans["plan_id"].astype(str).to_numpy(),
                         "level": plans["level"].map(lambda lv: rank.get(lv, len(rank))).to_numpy(),
                         "province": plans["province"].fillna("").astype(str).to_numpy()
                         if "province" in plans else "",
                         "year": plan_year(plans).to_numpy()})
    return list(keys.sort_values(["level", "province", "year", "plan_id"], kind="stable")["plan_id"])


def plan_groups(plans: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """plan_id -> the group a plan is shown in beyond :data:`AGGREGATE_OVER` plans: its province
    (全国 / China for national documents, 未知 / unknown when the page names none)."""
    out = {}
    for row in plans[["plan_id", "province", "level"]].itertuples(index=False):
        province = str(row.province or "")
        if row.level == "national" or province in ("中国", "全国"):
            out[row.plan_id] = "China (national)" if lang == "en" else "全国"
        elif province:
            out[row.plan_id] = jurisdiction_en(province) if lang == "en" else province
        else:
            out[row.plan_id] = "unknown" if lang == "en" else "未知"
    return out


def is_aggregated(n_plans: int) -> bool:
    return n_plans > AGGREGATE_OVER


def plan_columns(plans: pd.DataFrame, rows: pd.DataFrame, lang: str = "zh"
                 ) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The columns of a per-plan figure: ``rows`` (with a plan_id) and the column order and labels —
    the plans themselves, or beyond :data:`AGGREGATE_OVER` plans their provinces (``plan_id`` then
    holds the province group)."""
    if is_aggregated(len(plans)):
        groups = plan_groups(plans, lang)
        order = sorted(set(groups.values()))
        return rows.assign(plan_id=rows["plan_id"].map(groups)), order, {g: g for g in order}
    return rows, plan_order(plans), plan_labels(plans, lang)


def group_note(lang: str, n_plans: int) -> str:
    return (f"{n_plans} plans grouped by province" if lang == "en"
            else f"{n_plans} 个规划按省份汇总 / {n_plans} plans grouped by province")


def subject_name(subject: str, lang: str = "zh") -> str:
    """An indicator subject (``consumer_goods``) in Chinese (消费品) or English (consumer goods); '' stays ''."""
    named = subjects().get(subject)
    if named is None:
        return subject
    return named.en if lang == "en" else named.zh


def sampling_name(sampling: str, lang: str = "zh") -> str:
    """A sampling level (``national``) in Chinese (国家抽查) or English (national); '' and unspecified give ''."""
    named = sampling_levels().get(sampling)
    if named is None or sampling == "unspecified":
        return ""
    return named.en if lang == "en" else named.zh


def level_name(level: str, lang: str, both: bool = False) -> str:
    """全国 / national …: the Chinese name (with the English after it when ``both``), or the English."""
    zh, en = LEVEL_NAMES.get(level, (level or "?", level or "unknown"))
    return en if lang == "en" else f"{zh} {en}" if both else zh


def direction_word(key: str, lang: str) -> str:
    """A direction or status (raised, copied …) in the figure's language: 加码 raised, or raised."""
    return key if lang == "en" else f"{ESCALATION_ZH.get(key, key)} {key}"


def built_table(corpus, name: str, compute):
    """The corpus' table ``name`` as a run built it (``corpus.tables()``), else ``compute(corpus)``."""
    built = getattr(corpus, "built_tables", None)
    cached = built() if built else None
    if cached and name in cached:
        return cached[name]
    return compute(corpus)
