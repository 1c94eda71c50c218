"""``policycompare diff PLAN REFERENCE -o FILE.html`` (issue 24): two plans side by side from the raw folder."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from policycompare.cli import app

from .conftest import DEV, RAW


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """The seeds with the 宁夏 2018 and national 2016 dev pages added."""
    folder = tmp_path_factory.mktemp("raw")
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, folder / path.name)
    for name in ("ningxia_2018.txt", "national_2016.txt"):
        shutil.copy(DEV / "raw" / name, folder / name)
    return folder


def test_diff_writes_a_page_with_both_titles_and_shared_passages(raw, tmp_path):
    out = tmp_path / "pair.html"
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "ningxia_2018", "-o", str(out), "--raw", str(raw),
                                      "--processed", str(tmp_path / "no_run")])
    assert result.exit_code == 0, result.output
    assert "pair.html" in result.output and not (tmp_path / "no_run").exists()  # no run: no cache, nothing made
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    titles = [td.get_text(strip=True) for td in soup.find("table", class_="meta").find_all("tr")[1].find_all("td")]
    assert titles[1].startswith("灵武市人民政府办公室关于印发落实消费品标准和质量提升规划")
    assert titles[2] == "宁夏回族自治区党委、人民政府发布《关于加快推进质量强区建设的实施意见》"
    marks = [m.get_text() for m in soup.find_all("mark")]
    assert "重点领域消费品与国家、国际标准一致性程度达到95%以上" in marks
    again = tmp_path / "again.html"
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "ningxia_2018", "-o", str(again), "--raw", str(raw),
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert 'lang="en"' in again.read_text(encoding="utf-8") and "Two plans side by side" in again.read_text(encoding="utf-8")


def test_diff_refuses_an_unknown_plan_the_same_plan_twice_and_a_bad_language(raw, tmp_path):
    out = tmp_path / "x.html"
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "guyuan_2018", "-o", str(out), "--raw", str(raw)])
    assert result.exit_code == 2
    assert "no plan 'guyuan_2018'" in result.output and "known: hunan_2017, lingwu_2017, national_2016" in result.output
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "lingwu_2017", "-o", str(out), "--raw", str(raw)])
    assert result.exit_code == 2 and "two different plans" in result.output
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "hunan_2017", "-o", str(out), "--raw", str(raw), "--lang", "fr"])
    assert result.exit_code == 2 and "--lang" in result.output
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "hunan_2017", "-o", str(out), "--raw", str(tmp_path / "none")])
    assert result.exit_code == 2 and "raw folder not found" in result.output
    assert not out.exists()


def test_diff_reads_the_cache_of_a_run_when_there_is_one(raw, tmp_path):
    processed = tmp_path / "processed"
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--out", str(processed), "--no-figures", "--no-workbook",
                                      "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    cached = sorted(p.name for p in processed.rglob("*.json"))
    out = tmp_path / "pair.html"
    result = CliRunner().invoke(app, ["diff", "lingwu_2017", "hunan_2017", "-o", str(out), "--raw", str(raw),
                                      "--processed", str(processed)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in processed.rglob("*.json")) == cached  # every plan came from the cache
    assert BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").find_all("mark")
