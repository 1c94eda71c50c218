from __future__ import annotations

import codecs

import pytest

from policycompare.errors import PlanError
from policycompare.ingest.text import decode_bytes, html_to_text, read_text

SAMPLE = "湖南省人民政府办公厅关于贯彻消费品标准和质量提升规划的实施意见\n一、指导思想\n（一）消费品质量监督抽查合格率稳定在90%以上。"


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),  # with BOM
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # without BOM
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_encodings_are_detected(tmp_path, encoded, encoding):
    path = tmp_path / "plan.txt"
    path.write_bytes(encoded)
    result = read_text(path)
    assert result.text == SAMPLE
    assert result.encoding == encoding


def test_big5_is_detected_not_assumed(tmp_path):
    path = tmp_path / "plan.txt"
    traditional = "湖南省人民政府辦公廳關於貫徹消費品標準和質量提升規劃的實施意見。一、指導思想。消費品質量監督抽查合格率穩定在九成以上。" * 3
    path.write_bytes(traditional.encode("big5"))
    assert read_text(path).text == traditional


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        (b"This is an English memo with no Chinese at all.\n" * 5, "no Chinese text"),
    ],
)
def test_bad_input_gets_a_message_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "broken_2020.txt"
    path.write_bytes(content)
    with pytest.raises(PlanError) as info:
        read_text(path)
    assert "broken_2020.txt" in str(info.value)
    assert reason in str(info.value)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "plan.odt"
    path.write_bytes(b"PK\x03\x04 ...")
    with pytest.raises(PlanError, match="plan.odt: unsupported file type '.odt'; use .txt, .text, .htm, .html, .docx, .doc, .wps, .pdf"):
        read_text(path)


def test_html_keeps_visible_text_only(tmp_path):
    html = """<!DOCTYPE html><html><head><title>网站标题</title><style>p {color: red}</style>
    <script>var secret = "不可见脚本";</script></head><body>
    <nav class="main-nav"><a href="/">首页</a> 导航菜单</nav>
    <div id="breadcrumb">当前位置 首页 政策</div>
    <div class="content"><h1>某市消费品质量提升实施方案</h1>
    <p>一、<span>工作目标</span></p>
    <p>（一）到2020年，消费品质量监督抽查合格率稳定在92%以上。</p>
    <table><tr><td>内容</td><td>牵头单位</td></tr><tr><td>1. 建立标准体系</td><td>市场监管局</td></tr></table>
    </div><footer>版权所有 网站地图</footer></body></html>"""
    path = tmp_path / "plan.html"
    path.write_text(html, encoding="utf-8")
    text = read_text(path).text
    assert "一、工作目标" in text  # inline elements do not break lines
    assert "（一）到2020年，消费品质量监督抽查合格率稳定在92%以上。" in text.split("\n")
    assert "1. 建立标准体系 | 市场监管局 |" in text.split("\n")
    for invisible in ("不可见脚本", "color: red", "导航菜单", "当前位置", "版权所有", "网站标题"):
        assert invisible not in text


def test_html_inside_a_txt_file_is_read_as_html(tmp_path):
    path = tmp_path / "plan.txt"
    body = "<html><body><p>一、总体要求</p><p>" + "加快推进消费品标准和质量提升。" * 3 + "</p></body></html>"
    path.write_text(body, encoding="utf-8")
    result = read_text(path)
    assert result.kind == "html"
    assert "<p>" not in result.text
    assert any("HTML" in w for w in result.warnings)


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某县消费品标准和质量提升实施方案")
    document.add_paragraph("一、主要任务")
    document.add_paragraph("（一）加快建立健全标准体系。推动消费品标准由生产型向消费型、服务型转变。")
    table = document.add_table(rows=2, cols=3)
    for i, cells in enumerate([("内容", "牵头单位", "配合单位"), ("1. 开展标准比对", "市场监管局", "工信局")]):
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    document.add_paragraph("二、保障措施")
    path = tmp_path / "plan.docx"
    document.save(path)
    lines = read_text(path).text.split("\n")
    assert lines == [
        "某县消费品标准和质量提升实施方案",
        "一、主要任务",
        "（一）加快建立健全标准体系。推动消费品标准由生产型向消费型、服务型转变。",
        "内容 | 牵头单位 | 配合单位 |",
        "1. 开展标准比对 | 市场监管局 | 工信局 |",
        "二、保障措施",
    ]


def test_damaged_docx(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlanError, match="plan.docx: not a valid .docx"):
        read_text(path)


def test_decode_bytes_prefers_gb18030_for_gbk_family():
    text, encoding = decode_bytes("质量发展纲要（2011-2020年）贯彻实施意见".encode("gb2312"))
    assert encoding == "gb18030"
    assert text == "质量发展纲要（2011-2020年）贯彻实施意见"


def test_html_to_text_drops_comments():
    assert "注释" not in html_to_text("<p>正文<!-- 注释 --></p>")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("damage", ["invalid_byte", "cut_mid_character"])
def test_a_damaged_byte_is_replaced_with_a_warning_naming_the_file(tmp_path, encoding, damage):
    body = SAMPLE * 3
    raw = body.encode(encoding)
    char = "合".encode(encoding)
    if damage == "invalid_byte":
        cut = raw.index(char)
        raw = raw[:cut] + b"\xff" + raw[cut:]
    else:
        raw = (body + "合").encode(encoding)[:-1]  # the last character loses its last byte
    path = tmp_path / "damaged_2020.txt"
    path.write_bytes(raw)
    result = read_text(path)
    assert result.encoding == encoding
    assert "\ufffd" in result.text
    assert result.text.replace("\ufffd", "").startswith(SAMPLE[:30])
    assert len(result.warnings) == 1
    assert "damaged_2020.txt" in result.warnings[0] and "U+FFFD" in result.warnings[0]


def test_many_bad_bytes_are_still_an_error(tmp_path):
    import random

    rng = random.Random(7)
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    with pytest.raises(PlanError, match="noise.txt: cannot detect the text encoding"):
        read_text(path)
