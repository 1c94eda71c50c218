"""Cross-plan comparisons; each function takes a corpus and returns a tidy DataFrame."""

from __future__ import annotations

import pandas as pd

from .. import schema
from ..extract.agencies import ROLES
from ..extract.sectors import categories
from ..rules.readers import metric_names, pass_rate_domain_columns

#: Metrics shown as columns of :func:`targets_by_metric`, in this order (``data/targets.toml``).
METRICS = metric_names()


def _first_mentions(corpus) -> pd.DataFrame:
    targets = corpus.targets
    return targets[targets["mention"] == 1]


#: Pass-rate domains shown in their own columns of :func:`pass_rates` (``threshold_<domain>``),
#: in column order (``data/targets.toml``).
OTHER_PASS_RATE_DOMAINS = pass_rate_domain_columns()


def pass_rates(corpus, *, subject: str | None = None) -> pd.DataFrame:
    """One row per plan and indicator subject: the plan's product-quality pass-rate threshold for it.

    The threshold is the plan's first stated target of metric ``pass_rate``
    for each ``indicator_subject`` (消费品 consumer goods, 工业产品 industrial
    products, 制造业产品 manufacturing products …: different series, never one
    column of numbers), with its ``indicator_sampling`` (国家 / 省级以上 / 省级 …
    监督抽查) beside it; a plan's rows stand in the order it states them, so its
    first row holds its first pass rate.  A plan that sets none has one row
    with NaN.  ``domain`` is ``product_quality`` (监督抽查合格率, 产品质量合格率)
    or ``manufacturing`` (制造业产品质量合格率).  Pass rates of other domains
    (food, farm produce, drugs, works, services) are real targets but not this
    threshold: each plan's first stated values are in the ``threshold_<domain>``
    columns (repeated on each of its rows).

    Parameters:
        corpus: the plans (:class:`policycompare.Corpus`).
        subject: one indicator subject (``"consumer_goods"``): one row per plan,
            NaN where the plan sets no pass rate for that subject.

    Returns:
        The ``pass_rates`` table (``schema.SCHEMAS["pass_rates"]``), plans in corpus order.

    Examples:
        >>> rates = pass_rates(corpus).set_index("plan_id")
        >>> rates.loc[["lingwu_2017", "sichuan_2018", "hunan_2017"], "threshold"].tolist()
        [92.0, 91.5, 90.0]
        >>> rates.loc[["sichuan_2018", "hunan_2017"], "indicator_sampling"].tolist()
        ['national', 'provincial_and_above']
        >>> bool(pd.isna(rates.loc["shanghai_2017", "threshold"]))
        True
    """
    first = _first_mentions(corpus)
    general = first[first["metric"] == "pass_rate"]
    if subject is not None:
        general = general[general["indicator_subject"] == subject]
    general = general.drop_duplicates(["plan_id", "indicator_subject"])
    plans = corpus.plans[["plan_id", "jurisdiction", "level"]]
    out = plans.merge(
        general[["plan_id", "value", "indicator_subject", "indicator_sampling", "domain", "comparator", "stable",
                 "deadline_year", "label", "sentence", "task_id", "target_id"]],
        on="plan_id", how="left",
    )
    out = out.rename(columns={"value": "threshold"})
    out["stable"] = out["stable"].astype("boolean")
    others = first[(first["metric"] != "pass_rate") & (first["domain"] != "")]
    for domain in OTHER_PASS_RATE_DOMAINS:
        values = others[others["domain"] == domain].drop_duplicates("plan_id").set_index("plan_id")["value"]
        out["threshold_" + domain] = out["plan_id"].map(values).astype("float64")
    for column, dtype in schema.SCHEMAS["pass_rates"].items():
        if dtype == "string":
            out[column] = out[column].astype(object).fillna("").astype(str)
    out = out.astype({c: t for c, t in schema.SCHEMAS["pass_rates"].items() if c in out})
    return schema.check("pass_rates", out[list(schema.SCHEMAS["pass_rates"])].reset_index(drop=True))


def brand_counts(corpus) -> pd.DataFrame:
    """Brand and award targets per plan, one row each (restatements dropped).

    Returns:
        The ``brand_counts`` table: metric (``brand`` or ``award``), label,
        value (and value_max for a range), unit, comparator, deadline, the
        source sentence and ids, sorted by plan, metric and target.

    Examples:
        >>> awards = brand_counts(corpus).query("metric == 'award'")
        >>> sorted(awards["plan_id"].unique())
        ['hunan_2017', 'sichuan_2018']
    """
    first = _first_mentions(corpus)
    cols = ["plan_id", "metric", "label", "value", "value_max", "unit", "comparator", "per_year",
            "deadline_year", "sentence", "task_id", "target_id"]
    out = first.loc[first["metric"].isin(["brand", "award"]), cols]
    out = out.sort_values(["plan_id", "metric", "target_id"], kind="stable").reset_index(drop=True)
    return schema.check("brand_counts", out)


def targets_by_metric(corpus) -> pd.DataFrame:
    """Plan × metric: number of distinct targets (restatements dropped); every plan is a row.

    Returns:
        ``plan_id`` and one count column per metric (``METRICS``), zeros included.

    Examples:
        >>> targets_by_metric(corpus).set_index("plan_id").loc["lingwu_2017", "brand"]
        np.int64(3)
    """
    first = _first_mentions(corpus)
    table = pd.crosstab(first["plan_id"], first["metric"]) if len(first) else pd.DataFrame()
    index = pd.Index(corpus.plans["plan_id"], name="plan_id")
    table = table.reindex(index=index, columns=list(METRICS), fill_value=0).fillna(0).astype("int64")
    table.columns.name = None
    return schema.check("targets_by_metric", table.reset_index())


def agency_roles(corpus) -> pd.DataFrame:
    """Plan × canonical agency: number of tasks it leads, cooperates on, is responsible for, guides.

    ``n_tasks`` counts the distinct tasks naming the agency in any role.

    Returns:
        The ``agency_roles`` table: per plan, agencies by ``n_tasks`` (most first).

    Examples:
        >>> roles = agency_roles(corpus)
        >>> top = roles.groupby("plan_id").head(1).set_index("plan_id")
        >>> top.loc["hunan_2017", "agency_canonical"], int(top.loc["hunan_2017", "n_tasks"])
        ('市场监管局', 27)
    """
    agencies = corpus.agencies
    if agencies.empty:
        return schema.frame("agency_roles", [])
    keys = ["plan_id", "agency_canonical"]
    counts = (agencies.drop_duplicates(keys + ["role", "task_id"])
              .pivot_table(index=keys, columns="role", values="task_id", aggfunc="count", fill_value=0)
              .reindex(columns=list(ROLES), fill_value=0))
    counts.columns.name = None
    info = agencies.groupby(keys, sort=False).agg(
        function=("function", "first"), collective=("collective", "any"), division=("division", "all"),
        n_tasks=("task_id", "nunique"))
    out = info.join(counts).reset_index()
    out = out.sort_values(["plan_id", "n_tasks", "agency_canonical"], ascending=[True, False, True], kind="stable")
    out = out[list(schema.SCHEMAS["agency_roles"])].astype(schema.SCHEMAS["agency_roles"])
    return schema.check("agency_roles", out.reset_index(drop=True))


def agency_network(corpus) -> pd.DataFrame:
    """Edges between canonical agencies named on the same task, weighted by the number of tasks.

    One row per unordered pair (``agency_a`` < ``agency_b``), over the whole
    corpus; ``plans`` lists the plans where the pair meets.

    Returns:
        The ``agency_network`` table, heaviest pair first.

    Examples:
        >>> agency_network(corpus).iloc[0][["agency_a", "agency_b"]].tolist()
        ['市场监管局', '经信委']
    """
    named = corpus.agencies[["plan_id", "task_id", "agency_canonical"]].drop_duplicates()
    pairs = named.merge(named, on=["plan_id", "task_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["agency_canonical_a"] < pairs["agency_canonical_b"]]
    if pairs.empty:
        return schema.frame("agency_network", [])
    grouped = pairs.groupby(["agency_canonical_a", "agency_canonical_b"], sort=False)
    out = pd.DataFrame({
        "n_tasks": grouped.size(),
        "n_plans": grouped["plan_id"].nunique(),
        "plans": grouped["plan_id"].agg(lambda p: ",".join(sorted(set(p)))),
    }).reset_index().rename(columns={"agency_canonical_a": "agency_a", "agency_canonical_b": "agency_b"})
    out = out[list(schema.SCHEMAS["agency_network"])].astype(schema.SCHEMAS["agency_network"])
    out = out.sort_values(["n_tasks", "agency_a", "agency_b"], ascending=[False, True, True], kind="stable")
    return schema.check("agency_network", out.reset_index(drop=True))


def sector_coverage(corpus) -> pd.DataFrame:
    """Plan × sector category: mentions, tasks naming it, share of the plan's tasks, terms used.

    Every plan × category pair is a row (zeros included), categories in the
    order of ``sector_categories.csv``.

    Returns:
        The ``sector_coverage`` table (plans × categories rows).

    Examples:
        >>> cov = sector_coverage(corpus).set_index(["plan_id", "category"])
        >>> cov.loc[("lingwu_2017", "apparel"), "terms"].split("、")[:2]
        ['羊绒', '羊绒制品']
    """
    cats = categories()
    sectors = corpus.sectors
    n_tasks = corpus.tasks.groupby("plan_id").size()
    keys = ["plan_id", "category"]
    grouped = sectors.groupby(keys, sort=False)
    mentions = grouped.size()
    tasks = sectors[sectors["task_id"] != ""].groupby(keys)["task_id"].nunique()
    # terms by number of mentions, then alphabetically
    counted = sectors.groupby(keys + ["term"]).size().rename("n").reset_index()
    counted = counted.sort_values(keys + ["n", "term"], ascending=[True, True, False, True], kind="stable")
    terms = counted.groupby(keys, sort=False)["term"].agg("、".join)
    index = pd.MultiIndex.from_product([corpus.plan_ids, list(cats)], names=keys)
    out = pd.DataFrame(index=index).reset_index()
    out["label_zh"] = out["category"].map({c: cat.label_zh for c, cat in cats.items()})
    out["national"] = out["category"].map({c: cat.national for c, cat in cats.items()})
    out["mentions"] = mentions.reindex(index, fill_value=0).to_numpy()
    out["tasks"] = tasks.reindex(index, fill_value=0).to_numpy()
    plan_tasks = out["plan_id"].map(n_tasks).fillna(0).to_numpy()
    share = (out["tasks"].to_numpy() / plan_tasks.clip(min=1)).round(4)
    out["share_of_tasks"] = [float(x) if n else 0.0 for x, n in zip(share, plan_tasks)]
    out["terms"] = terms.reindex(index, fill_value="").to_numpy()
    return schema.check("sector_coverage", schema.frame("sector_coverage", out.to_dict("records")))


def targets_by_deadline(corpus) -> pd.DataFrame:
    """Plan × deadline year: number of distinct targets (restatements dropped), one row per plan and year.

    ``deadline_year`` is text: the year, or ``none`` for targets without a
    deadline; plans and years without a target have no row.

    Examples:
        >>> table = targets_by_deadline(corpus)
        >>> table[table["plan_id"] == "yancheng_2014"].values.tolist()
        [['yancheng_2014', '2014', 1]]
        >>> wide = table.pivot(index="plan_id", columns="deadline_year", values="targets")
    """
    first = _first_mentions(corpus)
    years = first["deadline_year"].astype("string").fillna("none")
    counts = (first.assign(deadline_year=years).groupby(["plan_id", "deadline_year"], sort=True).size()
              .rename("targets").reset_index())
    return schema.check("targets_by_deadline", schema.frame("targets_by_deadline", counts.to_dict("records")))


def distinctive_sectors(corpus, *, top: int | None = None) -> pd.DataFrame:
    """Sector terms named by one plan only (its local specialities), one row per plan and term.

    Parameters:
        corpus: the plans.
        top: at most this many terms per plan (the most mentioned); all when None.

    Returns:
        plan_id, term, categories (``|``-separated), mentions; per plan the
        most mentioned first, ties by term.

    Examples:
        >>> distinctive_sectors(corpus, top=1).set_index("plan_id").loc["lingwu_2017", "term"]
        '羊绒'
    """
    sectors = corpus.sectors
    plans_per_term = sectors.groupby("term")["plan_id"].nunique()
    mine = sectors[sectors["term"].map(plans_per_term) == 1]
    mentions = mine.drop_duplicates(["plan_id", "term", "char_start"])
    out = mentions.groupby(["plan_id", "term"]).size().rename("mentions").reset_index()
    cats = mine.groupby("term")["category"].apply(lambda c: "|".join(dict.fromkeys(c)))
    out.insert(2, "categories", out["term"].map(cats))
    out = out.sort_values(["plan_id", "mentions", "term"], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby("plan_id", sort=False).head(top)
    return schema.check("distinctive_sectors", schema.frame("distinctive_sectors", out.to_dict("records")))
