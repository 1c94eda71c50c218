from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policycompare.parse.normalize import (
    halfwidth_ascii,
    is_noise_line,
    normalize,
    normalize_text,
    parse_portal_fields,
    strip_pinyin_glosses,
    to_simplified,
    unify_spaces,
)

PINYIN_GLOSS = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


@pytest.mark.parametrize(
    "text_in, text_out",
    [
        ("發(fā)", "發"),
        ("湘政辦發(fā)〔2017〕49號(hào)", "湘政辦發〔2017〕49號"),
        ("質(zhì)量監(jiān)督", "質量監督"),
        # mojibake: the glossed character was lost, or the "(" was eaten
        ("標準?(dǎo)體系", "標準體系"),
        ("轉變?yōu)政府", "轉變政府"),
        # real parentheses survive
        ("(一)改革標準供給體系", "(一)改革標準供給體系"),
        ("規劃(2016-2020年)", "規劃(2016-2020年)"),
        ("(市质量技监局负责)", "(市质量技监局负责)"),
        ("（二）优化结构", "（二）优化结构"),
        ("驰(著)名商标", "驰(著)名商标"),
        ("(NQI)融合", "(NQI)融合"),
    ],
)
def test_strip_pinyin_glosses(text_in, text_out):
    assert strip_pinyin_glosses(text_in) == text_out


@pytest.mark.parametrize(
    "line",
    [
        "日韩高清亚洲日韩精品一区二区_亚洲成a人片在线观看无码_有奶水三级电视频_婷婷五月天激情综合影院",
        "浏览量: 时间:2019-01-16 05:31:42",
        "保护视力色: 字体颜色: 【 绿 】 恢复默认",
        "分享到:",
        "本文链接:http://m.example.com/policy/54975.html",
        "扫描二维码 关注我们",
        "最新政策",
        "相关政策",
        "本文关键词: 湘政办发, 湖南省",
        "某某服务中心微信公众号",
        "索 引 号 640181-100/2017-37211 文 号 生成日期 2017-10-16",
        "上一篇:关于印发某某办法的通知",
    ],
)
def test_noise_lines(line):
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "(一)改革标准供给体系。",
        "一、指导思想",
        "充分利用微信公众号、网站等平台,宣传质量提升成效。",  # prose mentioning a 公众号
        "推动4K高清视频等新兴消费品标准研制,支持国产品牌发展。",  # prose with spam-list words
        "2018年7月4日",
        "四川省质监局",
        "牵头单位:市场监管局",
    ],
)
def test_plan_lines_are_not_noise(line):
    assert not is_noise_line(line)


def test_portal_fields():
    fields = parse_portal_fields("发布机构 灵武市政府办 责任部门 灵武市政府办 关 键 字")
    assert fields["发布机构"] == "灵武市政府办"
    assert fields["关键字"] == ""


def test_spaces_and_widths():
    assert unify_spaces("标准化处\u3000\u3000监督处\u00a0\t\u200b ") == "标准化处 监督处"
    assert halfwidth_ascii("合格率９１．５％，ＧＢ／Ｔ") == "合格率91.5%，GB/T"
    assert to_simplified("馳名商標") == "驰名商标"


def test_normalize_records_what_it_changed():
    result = normalize_text("分享到:\r\n一、總體要求\r\n\r\n（一）發(fā)展目標")
    assert result.text == "一、总体要求\n（一）发展目标\n"
    assert result.stats == {"glosses_removed": 1, "mojibake_removed": 0, "t2s_changed": 4, "noise_lines": 1}
    assert result.dropped_lines == ["分享到:"]


def test_hunan_is_simplified_without_glosses(corpus):
    text = corpus.text("hunan_2017")
    assert not PINYIN_GLOSS.search(text)
    assert to_simplified(text) == text, "traditional characters left"
    assert "?" not in text
    assert "(一)消费品标准体系基本完善" in text
    assert "湘政办发〔2017〕49号" in text
    assert corpus["hunan_2017"].stats["t2s_changed"] > 1000  # a regression in OpenCC shows here


def test_no_noise_survives_in_any_plan(corpus):
    for plan in corpus:
        for line in plan.text.split("\n"):
            assert not is_noise_line(line), (plan.plan_id, line)
        for fragment in ("分享到", "浏览量", "保护视力色", "本文链接", "扫描二维码", "最新政策", "相关政策", "本文关键词", "日韩"):
            assert not re.search(f"^{fragment}", plan.text, re.M), (plan.plan_id, fragment)
        assert "精品一区" not in plan.text and "字体颜色" not in plan.text


def test_heading_parentheses_survive(corpus):
    for plan_id in corpus.plan_ids:
        assert re.search(r"^[(（]一[)）]", corpus.text(plan_id), re.M), plan_id
    assert "(市质量技监局、市政府法制办负责)" in corpus.text("shanghai_2017")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("發展质量(fā)（一）?一、 \u3000\n\r分享到:２０％標準yōuǎ")), max_size=80))
def test_normalizing_twice_is_normalizing_once(text):
    once = normalize(text)
    assert normalize(once) == once


def test_normalizing_real_plans_is_idempotent(corpus):
    for plan in corpus:
        assert normalize(plan.text) == plan.text
