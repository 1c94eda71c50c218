"""English names for readers abroad: every agency and jurisdiction of the seed plans and the 25 dev pages
comes out as spaced, capitalised English (table names, words of data/agency_words.toml, pinyin per word)."""

from __future__ import annotations

import re

import pytest

import policycompare as pc
from policycompare import english
from policycompare.config import read_data_csv

from .conftest import DEV, RAW

#: Capitalised words (pinyin or English), joined by spaces, '&' or a hyphen; dots of Dept.; parentheses.
ENGLISH = re.compile(r"^[A-Z][A-Za-z.'()-]*(?: (?:&|[A-Za-z(][A-Za-z.'()-]*))*$")


@pytest.fixture(scope="module")
def plans_and_agencies():
    seeds, dev = pc.load_corpus(RAW, workers=1), pc.load_corpus(DEV / "raw", workers=1)
    return [c.plans for c in (seeds, dev)], [c.agencies for c in (seeds, dev)]


def test_every_agency_of_the_real_pages_is_spaced_english(plans_and_agencies):
    known = {row["canonical"] for row in read_data_csv("agencies.csv")}
    names = {n for table in plans_and_agencies[1] for n in table["agency_canonical"]}
    unknown = sorted(names - known)
    assert len(unknown) >= 5  # collective bodies: 质量工作领导小组各成员单位 …
    for table in plans_and_agencies[1]:
        for zh, en in zip(table["agency_canonical"], table["agency_canonical_en"]):
            assert en == english.agency_en(zh)
            assert ENGLISH.match(en), (zh, en)
            # no run of pinyin standing for a whole name (the old 'Zhiliangqiangshilingdaoxiaozu…')
            assert max(len(w) for w in re.split(r"[ -]", en)) <= 15, (zh, en)
    got = {n: english.agency_en(n) for n in unknown}
    assert got["质量工作领导小组各成员单位"] == "Quality Work Leading Group Member Units"
    assert got["全国质量工作部际联席会议成员单位"] == "National Quality Work Inter-ministerial Joint Conference Member Units"
    assert got["各区政府"] == "Each District Government"
    assert got["局相关处室"] == "Bureau Related Divisions"
    assert got["市州质量监督部门"] == "City & Prefecture Quality Supervision Departments"


@pytest.mark.parametrize(("name", "expected"), [
    ("某某服务中心", "Moumou Service Centre"),  # pinyin for the unknown word, the suffix from the data file
    ("某某局", "Moumou Bureau"),
    ("某某委", "Moumou Commission"),
    ("某某办", "Moumou Office"),
    ("城市", "Chengshi"),  # 市 is a whole-word character only: no "Cheng Municipal"
    ("市场监管局", "Market Regulation Bureau"),  # agencies.csv wins
    ("", ""),
])
def test_unknown_agency_names_word_by_word(name, expected):
    assert english.agency_en(name) == expected


def test_agency_words_file():
    vocab = english.agency_words()
    assert vocab["suffixes"]["局"] == "Bureau" and vocab["suffixes"]["中心"] == "Centre"
    for part, table in vocab.items():
        for zh, en in table.items():
            assert all("\u4e00" <= ch <= "\u9fff" for ch in zh), (part, zh)
            assert en.isascii() and (en == "" or ENGLISH.match(en)), (part, zh, en)
    assert min(map(len, vocab["words"])) >= 2
    for row in read_data_csv("agencies.csv"):
        assert row["agency_en"] and row["agency_en"].isascii(), row


def test_every_jurisdiction_of_the_real_pages(plans_and_agencies):
    for table in plans_and_agencies[0]:
        for zh, en in zip(table["jurisdiction"], table["jurisdiction_en"]):
            assert ENGLISH.match(en) and en == english.jurisdiction_en(zh), (zh, en)
    dev = plans_and_agencies[0][1].set_index("plan_id")["jurisdiction_en"]
    assert dev["changning_2021"] == "Changning District"  # 长 read cháng
    assert dev["ningxia_2018"] == "Ningxia" and dev["national_2016"] == "China"
    assert dev["jingbian_2017"] == "Jingbian County" and dev["putuo_2018"] == "Putuo District"
