"""Plan metadata on the dev2 pages (news reports, cover letters, portal and law-site blocks) and the
general rules they needed, each tested on synthetic sentences (never the pages' own text);
the ``plan_fields`` provenance table."""

from __future__ import annotations

import pandas as pd
import pytest

from policycompare.evaluate import gold as validate
from policycompare.parse import metadata
from policycompare.parse.doubts import source_doubts
from policycompare.parse.places import place_mentions
from policycompare.rules.gazetteer import division_of, find_division

from ..conftest import DEV2


def dev2_gold(name: str) -> pd.DataFrame:
    return pd.read_csv(DEV2 / "gold" / name, dtype=str, keep_default_na=False)


# -- the dev2 pages ------------------------------------------------------------------------------


def test_plan_metadata_on_dev2_pages(dev2_corpus):
    score = validate.score_plans(dev2_corpus.plans, dev2_gold("plans.csv"))
    print("\n" + str(score))
    print(score.misses().to_string())
    assert len(dev2_corpus) == 24 and not dev2_corpus.errors
    assert score.counts["scored"] == 144
    assert score.counts["share"] >= 0.95


def test_plan_fields_offsets_point_at_the_evidence(dev2_corpus):
    fields = dev2_corpus.plan_fields
    assert list(fields.columns) == ["plan_id", "field", "value", "source", "char_start", "char_end", "evidence"]
    assert set(fields["source"]) <= set(metadata.SOURCES)
    located = fields[fields["char_start"].notna()]
    assert len(located) > len(fields) / 2
    for row in located.itertuples():
        assert dev2_corpus.text(row.plan_id)[row.char_start:row.char_end] == row.evidence, row
    # derived values carry no offsets
    derived = fields[fields["source"].isin(["gazetteer", "inferred", "sidecar"])]
    assert derived["char_start"].isna().all()


def test_plan_fields_has_one_row_per_field_with_a_value(dev2_corpus):
    plans = dev2_corpus.plans.set_index("plan_id")
    fields = dev2_corpus.plan_fields
    assert not fields.duplicated(["plan_id", "field"]).any()
    for row in fields.itertuples():
        assert str(plans.at[row.plan_id, row.field]) == row.value, row
    for name in ("jurisdiction", "level", "issuer", "doc_number", "issued_date", "period_end"):
        with_value = set(plans.index[plans[name].astype(str).str.len().gt(0) & plans[name].notna()])
        assert with_value == set(fields.loc[fields["field"] == name, "plan_id"]), name


def test_plan_fields_is_a_table_of_the_run(dev2_corpus):
    assert list(dev2_corpus.tables())[:2] == ["plans", "plan_fields"]


# -- news reports and cover letters: the plan cited in 《》 ------------------------------------------


@pytest.mark.parametrize(("line", "title"), [
    ("日前,某某市质量强市工作领导小组印发《某某市质量提升行动方案(2023—2025年)》。", "某某市质量提升行动方案(2023—2025年)"),
    ("近日,省政府正式印发《某省标准化发展规划》,提出到2025年…", "某省标准化发展规划"),
    ("某某市市场监管局联合市发改委等12家部门联合印发《某某市品牌建设方案》", "某某市品牌建设方案"),
    ("区委、区政府出台《关于建设质量强区的实施意见》", "关于建设质量强区的实施意见"),
    ("为抓好落实,现将《2021年某区质量工作要点》(以下简称《要点》)印发给你们,请认真执行。", "2021年某区质量工作要点"),
    ("经市政府同意,制定《某市计量发展规划(2021-2035年)》,现印发给你们", "某市计量发展规划(2021-2035年)"),
    ("记者获悉,《某市人民政府关于加强质量工作的意见》(以下简称《意见》)5日出台。", "某市人民政府关于加强质量工作的意见"),
])
def test_a_reported_title_is_read_from_its_sentence(line, title):
    assert metadata._reported_title(["某地新闻", line]) == title


@pytest.mark.parametrize("line", [
    "为贯彻落实国务院印发的《质量发展纲要(2011-2020年)》,结合实际,制定本方案。",  # a plan to follow
    "根据省政府印发《某省质量强省纲要》的要求,…",  # cited
    "特别是区政府发布《关于推进质量工作的意见》以来,质量意识不断提高。",  # a past plan
    "今年以来,我省编制并印发了《某省品牌培育规划》。",  # no organisation as the subject
])
def test_a_cited_or_past_plan_is_no_reported_title(line):
    assert metadata._reported_title([line]) == ""


def test_a_news_report_gives_title_place_period_and_a_completed_issuer():
    text = ("某省推进质量强省建设\n2023-03-08 09:10:11 来源:某报\n"
            "日前,市政府办公室印发《南宁市消费品质量提升方案(2022—2024年)》,提出到2024年…\n"
            "方案明确,要加强质量基础设施建设。\n")
    meta, sources = metadata.read_metadata(text)
    assert (meta["jurisdiction"], meta["level"], meta["province"]) == ("南宁市", "prefecture", "广西壮族自治区")
    assert meta["issuer"] == "南宁市人民政府办公室"  # a report's 政府 is the 人民政府 that signs
    assert (meta["period_start"], meta["period_end"]) == (2022, 2024)
    assert meta["issued_date"] == ""  # a page timestamp is no issue date
    assert sources["title"][0] == sources["issuer"][0] == "running_text"
    assert "issuer read from a sentence" in " ".join(source_doubts(sources))


def test_a_joint_subject_gives_no_issuer():
    text = "日前,省委、省政府出台《湖南省质量强省实施方案》,提出…\n"
    meta = metadata.extract_metadata(text)
    assert meta["jurisdiction"] == "湖南省" and meta["issuer"] == ""


@pytest.mark.parametrize(("line", "issuer"), [
    ("云南省人民政府各州、市人民政府,省直各委、办、厅、局:", "云南省人民政府"),
    ("昆明市人民政府办公厅各县(市、区)人民政府,市政府各委、办、局:", "昆明市人民政府办公厅"),
    ("各州、市人民政府,省直各委、办、厅、局:", ""),
])
def test_an_issuer_glued_to_the_addressee_line(line, issuer):
    meta, sources = metadata.read_metadata(f"{line}\n为加快质量发展,现提出以下意见:\n一、总体要求\n")
    assert meta["issuer"] == issuer
    if issuer:
        assert sources["issuer"][0] == "header"


# -- places ----------------------------------------------------------------------------------------


def test_a_page_naming_only_its_level_gets_level_and_province():
    text = ("为贯彻落实《江西省人民政府关于质量工作的意见》精神,结合我市实际,制定本方案。\n"
            "一、目标\n全市质量工作水平明显提升。\n")
    meta, sources = metadata.read_metadata(text)
    assert (meta["jurisdiction"], meta["level"], meta["province"]) == ("", "prefecture", "江西省")
    assert sources["level"][:2] == ("running_text", "我市")


def test_a_report_naming_no_level_is_about_the_place_it_names_most():
    text = "桂林市将用两年时间开展质量提升活动\n近日,从有关部门获悉,桂林市将在桂林市范围内开展质量提升活动。\n"
    meta, sources = metadata.read_metadata(text)
    assert (meta["jurisdiction"], meta["level"]) == ("桂林市", "prefecture")
    assert sources["jurisdiction"][0] == "running_text"
    assert "jurisdiction read from the places" in " ".join(source_doubts(sources))


def test_a_place_named_only_in_the_address_or_footer_is_not_the_plans():
    text = ("质量提升活动启动\n近日,质量提升活动启动,将持续三年,提升产品质量。\n"
            "地址:桂林市中山路1号 邮编:541000\n主办:桂林市某某协会 电话:0773-1234567\n")
    assert metadata.extract_metadata(text)["jurisdiction"] == ""
    assert metadata.extract_metadata(text.replace("近日,", "近日,桂林市"))["jurisdiction"] == ""  # once: too few
    assert metadata.extract_metadata(text.replace("近日,", "近日,桂林市") + "桂林市各县区参加。\n")["jurisdiction"] == "桂林市"


@pytest.mark.parametrize("text", ["推进质量振兴工作", "会同有关部门制定", "优化市中心商业布局", "加强资源节约"])
def test_a_short_name_that_is_an_ordinary_word_is_no_place(text):
    assert place_mentions(text) == {}


def test_a_short_name_that_is_an_ordinary_word_still_counts_in_full():
    assert [d.name for d in find_division_all("振兴区人民政府")] == ["振兴区"]


def find_division_all(text):
    div = find_division(text)
    return [div] if div else []


@pytest.mark.parametrize(("issuer", "name"), [("宁乡市人民政府", "宁乡市"), ("隆昌市市场监督管理局", "隆昌市"),
                                              ("宁乡县人民政府", "宁乡县")])
def test_a_county_that_became_a_city_keeps_the_name_the_text_uses(issuer, name):
    div = find_division(issuer)
    assert div.name == name and div.level == "county"
    assert division_of(name).adcode == div.adcode


def test_a_title_may_start_with_its_year():
    meta = metadata.extract_metadata("2019年宁乡市质量工作要点\n一、总体要求\n全市质量工作。\n")
    assert (meta["jurisdiction"], meta["period_start"], meta["period_end"]) == ("宁乡市", 2019, 2019)


# -- doc numbers, titles, periods -------------------------------------------------------------------


@pytest.mark.parametrize(("written", "canonical"), [
    ("某政发(2012)27号", "某政发〔2012〕27号"), ("某府发[2015]15号", "某府发〔2015〕15号"),
    ("某农发（2020）18号", "某农发〔2020〕18号"),
])
def test_doc_numbers_in_ascii_brackets_are_written_in_the_canonical_form(written, canonical):
    meta = metadata.extract_metadata(f"某省人民政府关于加强标准化工作的意见({written})\n各市人民政府:\n")
    assert meta["doc_number"] == canonical
    assert meta["title"] == "某省人民政府关于加强标准化工作的意见"  # no empty () left behind
    gold = pd.DataFrame({"plan_id": ["a"], "doc_number": [written]})
    found = pd.DataFrame({"plan_id": ["a"], "doc_number": [canonical]})
    assert validate.score_plans(found, gold, fields=("doc_number",)).counts["exact"] == 1


def test_a_title_broken_inside_its_book_title_marks_is_joined():
    text = ("某厅等9部门关于印发《广西壮族自治区计量\n发展实施方案\n(2022-2025年)》的通知\n各市人民政府:\n"
            "广西壮族自治区市场监督管理局\n2022年5月6日\n")
    meta = metadata.extract_metadata(text)
    assert meta["title"].endswith("(2022-2025年)》的通知")
    assert (meta["jurisdiction"], meta["period_start"], meta["period_end"]) == ("广西壮族自治区", 2022, 2025)


def test_a_garbled_dash_between_the_period_years():
    meta = metadata.extract_metadata("某市质量发展规划(2012一2020年)\n一、目标\n")
    assert (meta["period_start"], meta["period_end"]) == (2012, 2020)


def test_a_history_year_never_ends_the_period():
    text = "某市质量工作方案\n2009年,全市已建成检测中心3个。\n到2015年,建成5个。到2020年,建成8个。\n"
    assert metadata.extract_metadata(text)["period_end"] == 2020


@pytest.mark.parametrize(("clause", "history"), [
    ("截至2015年底,全省已有检测中心12个。", True), ("2014年以来,全市累计培育名牌20个。", True),
    ("到2020年,建成20个。", False), ("截至2020年底,全市要建成10个。", False),
])
def test_history_clauses(clause, history):
    m = metadata.DEADLINE.search(clause) or metadata.re.search(r"(\d{4})年", clause)
    assert metadata._history(clause, m) is history


# -- provenance ------------------------------------------------------------------------------------


def test_field_rows_point_at_the_signature_not_at_the_title():
    text = ("某某市人民政府关于印发质量工作要点的通知\n某政发〔2013〕5号\n各县人民政府:\n现将要点印发给你们。\n"
            "某某市人民政府\n2013年4月1日\n")
    meta, sources = metadata.read_metadata(text)
    rows = {r["field"]: r for r in metadata.field_rows("x", text, meta, sources)}
    assert rows["issuer"]["source"] == "signature" and rows["issuer"]["char_start"] == text.rindex("某某市人民政府")
    assert rows["doc_number"]["source"] == "header"
    assert text[rows["issued_date"]["char_start"]:rows["issued_date"]["char_end"]] == "2013年4月1日"
    for row in rows.values():
        if row["char_start"] is not None:
            assert text[row["char_start"]:row["char_end"]] == row["evidence"]


def test_field_rows_of_portal_fields_and_sidecar_overrides():
    text = "发布机构:某县人民政府\n成文日期:2021-03-04\n某县质量提升方案\n一、目标\n"
    meta, sources = metadata.read_metadata(text)
    meta["issuer"] = "某县人民政府办公室"
    rows = {r["field"]: r for r in metadata.field_rows("x", text, meta, sources, sidecar={"issuer": meta["issuer"]})}
    assert rows["issued_date"]["source"] == "portal" and rows["issued_date"]["evidence"] == "2021-03-04"
    assert rows["issued_date"]["char_start"] == text.index("2021-03-04")
    assert rows["issuer"]["source"] == "sidecar" and rows["issuer"]["char_start"] is None
    assert rows["period_start"]["source"] == "inferred" and rows["period_start"]["char_start"] is None


def test_changed_metadata_rules_or_gazetteer_invalidate_cached_plans(tmp_path, monkeypatch):
    import shutil

    from policycompare import plan
    from policycompare.config import PACKAGE_DIR
    from policycompare.run import cache

    package = tmp_path / "policycompare"
    shutil.copytree(PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    data = package / "data"
    monkeypatch.setattr(cache, "PACKAGE_DIR", package)
    monkeypatch.setattr(cache, "PACKAGE_DATA", data)
    hashes = []
    for name in ("metadata.toml", "gazetteer.csv"):
        cache.rules_hash.cache_clear()
        hashes.append(cache.rules_hash())
        path = data / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    cache.rules_hash.cache_clear()
    hashes.append(cache.rules_hash())
    monkeypatch.undo()
    cache.rules_hash.cache_clear()
    assert len(set(hashes)) == 3
    # a plan cached before plan_fields existed is rebuilt, never read without its provenance
    with pytest.raises(ValueError):
        plan.Plan.from_dict({"format": plan.FORMAT - 1})


@pytest.mark.parametrize("head", ["某某日报\n2019年5月6日\n本报讯(记者 王某)", "2019年5月6日\n记者从市场监管局获悉"])
def test_a_newspapers_date_is_not_the_plans(head):
    text = f"{head},日前,省政府印发《广西壮族自治区质量提升方案》。\n方案提出,到2022年…\n"
    assert metadata.extract_metadata(text)["issued_date"] == ""
    # a plan's own page: the date line under the title stays its date
    assert metadata.extract_metadata("广西壮族自治区质量提升方案\n2019年5月6日\n为推进质量工作,制定本方案。\n")[
        "issued_date"] == "2019-05-06"
