"""Two plans side by side (issue 24): the page is read back with an HTML parser and, where Chromium is
installed, looked at in a headless screenshot."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import policycompare as pc
from policycompare.analyze import escalation
from policycompare.report import sidebyside

from ..conftest import RAW

CHILD, PARENT = "lingwu_2017", "ningxia_2018"


@pytest.fixture(scope="module")
def page(with_parents) -> str:
    return pc.side_by_side(with_parents, CHILD, PARENT)


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def test_the_page_names_both_plans_with_their_metadata(with_parents, soup):
    plans = with_parents.plans.set_index("plan_id")
    assert soup.html["lang"] == "zh-CN" and soup.find("meta", charset="utf-8") is not None
    heading = soup.h1.get_text()
    assert CHILD in heading and PARENT in heading and "灵武市" in heading and "宁夏回族自治区" in heading
    meta = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.find("table", class_="meta").find_all("tr")[1:]]
    fields = {row[0]: row[1:] for row in meta}
    assert fields["标题"] == [plans.at[CHILD, "title"], plans.at[PARENT, "title"]]
    assert fields["层级"] == ["县级", "省级"]
    assert fields["日期"][0].startswith("2017-10-16") and fields["日期"][1].startswith("2018")
    assert fields["任务数"] == [str(plans.at[CHILD, "n_tasks"]), str(plans.at[PARENT, "n_tasks"])]
    note = soup.find("table", class_="meta").find_next("p").get_text()
    assert "上级规划" in note and "晚于" in note  # ningxia_2018 is lingwu's parent, issued after it


def test_marks_hold_passages_both_plans_share_word_for_word(with_parents, soup):
    marks = [m.get_text() for m in soup.find_all("mark")]
    assert "重点领域消费品与国家、国际标准一致性程度达到95%以上" in marks
    for text in marks:
        assert len(text) >= 2 and text in with_parents.text(CHILD) and text in with_parents.text(PARENT), text
    # each side of the passage is marked in its own column
    rows = soup.find("table", class_="tasks").find_all("tr")[1:]
    assert any(r.find("td", class_="plan").find("mark") for r in rows)
    assert any(r.find("td", class_="ref").find("mark") for r in rows)


def test_target_pairs_have_their_direction_and_timing(with_parents, soup):
    rows = soup.find("table", class_="targets").find_all("tr")[1:]
    same = [r for r in rows if "same" in r["class"]]
    assert len(same) == 1
    mine, middle, ref = (td.get_text(" ", strip=True) for td in same[0].find_all("td"))
    assert "≥95%" in mine and "国际标准一致性程度" in mine and "≥95%" in ref
    assert "持平" in middle and "同一指标" in middle and "参照规划晚于该规划发布" in middle
    # lingwu's 消费品 pass rate (92%) and ningxia's 工业产品 one (95%) measure different things: never paired
    added = [r.get_text(" ", strip=True) for r in rows if "added" in r["class"]]
    dropped = [r.get_text(" ", strip=True) for r in rows if "dropped" in r["class"]]
    assert any("≥92%" in text and "消费品质量监督抽查合格率" in text for text in added)
    assert any("≥95%" in text and "工业产品质量监督抽查合格率" in text for text in dropped)
    table = escalation.target_escalation(with_parents)
    table = table[table["plan_id"] == CHILD]
    summary = soup.find("ul", class_="summary").get_text()
    assert f"持平 {int((table['direction'] == 'same').sum())}" in summary and "加码 0" in summary


def test_every_task_of_both_plans_has_a_row_in_order(with_parents, soup):
    rows = sidebyside.aligned_tasks(with_parents, CHILD, PARENT)
    tasks = with_parents.tasks
    assert set(rows["task_id"]) - {""} == set(tasks.loc[tasks["plan_id"] == CHILD, "task_id"])
    assert set(rows.loc[rows["status"] != "similar", "reference_task"]) - {""} == set(
        tasks.loc[tasks["plan_id"] == PARENT, "task_id"])
    mine = rows.loc[rows["task_id"] != "", "task_id"].drop_duplicates().tolist()
    assert mine == [t for t in tasks.loc[tasks["plan_id"] == CHILD, "task_id"] if t in mine]  # the plan's order
    html_rows = soup.find("table", class_="tasks").find_all("tr")[1:]
    assert len(html_rows) == len(rows)
    assert [r["class"][0] for r in html_rows] == rows["status"].tolist()
    first = html_rows[rows.index[rows["status"] == "adapted"][0]]
    assert first.find("td", class_="plan").find(class_="tid").get_text() == rows.loc[rows["status"] == "adapted", "task_id"].iloc[0]


def test_the_alignment_is_task_adoption_when_the_reference_is_the_parent(with_parents):
    """The page reads the library's analysis: the same statuses as task_adoption of the lineage."""
    rows = sidebyside.aligned_tasks(with_parents, CHILD, PARENT)
    adoption = escalation.task_adoption(with_parents)
    adoption = adoption[adoption["plan_id"] == CHILD]
    ours = rows[rows["status"] != "similar"]
    assert sorted(zip(ours["status"], ours["task_id"], ours["reference_task"])) == sorted(
        zip(adoption["status"], adoption["task_id"], adoption["parent_task"]))
    # a pair given by hand gives lineage's rows for a child and its parent
    given = escalation.target_escalation(with_parents, pairs=[(CHILD, PARENT)])
    full = escalation.target_escalation(with_parents)
    pd.testing.assert_frame_equal(given, full[full["plan_id"] == CHILD].reset_index(drop=True))


def test_any_two_plans_even_unrelated_ones(corpus):
    """Two seeds that share no passage and no lineage: a page all the same, with nothing marked."""
    page = pc.side_by_side(corpus, "sichuan_2018", "yancheng_2014", lang="en")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.html["lang"] == "en" and "Sichuan" in soup.h1.get_text() and "Yancheng" in soup.h1.get_text()
    assert not soup.find_all("mark")
    assert "compared here with the reference asked for" in page
    statuses = {r["class"][0] for r in soup.find("table", class_="tasks").find_all("tr")[1:]}
    assert statuses <= set(sidebyside.STATUSES) and "added" in statuses
    # a county plan as the reference of a province's: the roles follow the arguments
    other = BeautifulSoup(pc.side_by_side(corpus, "hunan_2017", "lingwu_2017"), "html.parser")
    marks = [m.get_text() for m in other.find_all("mark")]
    assert marks and all(m in corpus.text("hunan_2017") and m in corpus.text("lingwu_2017") for m in marks)


def test_two_plans_read_alone_work_and_the_same_inputs_give_the_same_bytes(corpus, page, with_parents):
    plans = [pc.read_plan(RAW / "hunan_2017.txt"), pc.read_plan(RAW / "lingwu_2017.txt")]
    alone = pc.side_by_side(plans, "lingwu_2017", "hunan_2017")
    assert alone == pc.side_by_side(plans[::-1], "lingwu_2017", "hunan_2017")
    assert BeautifulSoup(alone, "html.parser").find_all("mark")
    assert page == pc.side_by_side(with_parents, CHILD, PARENT)


def test_the_page_is_self_contained_and_escaped():
    escaped = sidebyside._marked("a<b>&c 共享文字 d", 0, 13, [(7, 11)])
    assert escaped == "a&lt;b&gt;&amp;c <mark>共享文字</mark> d"
    assert sidebyside._marked("abcdef", 1, 4, [(0, 2), (3, 9)]) == "<mark>b</mark>c<mark>d</mark>"


def test_no_script_no_external_resource(soup, page):
    assert not soup.find_all(["script", "link", "img", "iframe"])
    assert "url(" not in page and "@import" not in page and "http" not in page
    assert all(a["href"].startswith("#") for a in soup.find_all("a"))
    anchors = {tr.get("id") for tr in soup.find_all("tr") if tr.get("id")}
    assert {a["href"][1:] for a in soup.find_all("a")} <= anchors


def test_words_are_those_of_the_figures_and_bad_arguments_are_refused(corpus):
    from policycompare.report.labels import ESCALATION_ZH

    assert {k: sidebyside.WORDS[k][0] for k in ESCALATION_ZH} == ESCALATION_ZH
    with pytest.raises(KeyError, match="known: hunan_2017"):
        pc.side_by_side(corpus, "lingwu_2017", "nowhere_2020")
    with pytest.raises(ValueError, match="two different plans"):
        pc.side_by_side(corpus, "lingwu_2017", "lingwu_2017")
    with pytest.raises(ValueError, match="lang"):
        pc.side_by_side(corpus, "lingwu_2017", "hunan_2017", lang="fr")
    with pytest.raises(TypeError, match="corpus or plans"):
        pc.side_by_side("data/raw", "lingwu_2017", "hunan_2017")


def test_write_side_by_side_writes_utf8(with_parents, page, tmp_path):
    path = pc.write_side_by_side(with_parents, CHILD, PARENT, tmp_path / "sub" / "pair.html")
    assert path.read_bytes() == page.encode("utf-8")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_headless_screenshot_shows_the_page(with_parents, tmp_path):
    from PIL import Image

    html_file = pc.write_side_by_side(with_parents, CHILD, PARENT, tmp_path / "pair.html")
    png = tmp_path / "pair.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={png}",
                    "--window-size=1280,2000", html_file.resolve().as_uri()],
                   capture_output=True, timeout=180, check=False)
    assert png.is_file(), "chromium wrote no screenshot"
    with Image.open(png) as image:
        assert image.size == (1280, 2000)
        grey = image.convert("L")
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        dark = sum(grey.histogram()[:128])
    assert len(colours) > 50  # text, table lines, the coloured statuses: not a blank page
    assert dark > 5_000


def test_pairs_given_by_hand_take_their_timing_from_both_dates(corpus):
    """shanghai_2017 (2017-04-07) came before hunan_2017 (2017-08-24): as each other's reference, either way."""
    table = escalation.pair_lineage(corpus, [("hunan_2017", "shanghai_2017"), ("shanghai_2017", "hunan_2017")])
    assert table["parent_id"].tolist() == ["shanghai_2017", "hunan_2017"]
    assert table["parent_issued_after"].tolist() == [False, True]
    assert table["parent_earlier"].tolist() == [True, False]
    assert table["parent_source"].tolist() == ["given", "given"]
    with pytest.raises(KeyError, match="no plan 'nowhere_2020'"):
        escalation.task_adoption(corpus, pairs=[("lingwu_2017", "nowhere_2020")])
