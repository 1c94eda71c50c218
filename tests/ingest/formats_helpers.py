"""Build Word and PDF versions of a plain-text plan for the format tests.

A plan becomes a list of blocks: a paragraph per line, and each annex task
table (one-line ``a | b |`` rows, or a pipe-broken table) a real table with a
header row, a full-width row per category and one row per task.  The table
contents come from the text version's ``table_cells``, so both versions hold
the same cells.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import policycompare as pc


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)  # a one-element row is a category row across the table


def plan_blocks(txt: Path) -> list[str | Table]:
    """Paragraphs (str) and tables of a plain-text plan, in order."""
    plan = pc.read_plan(txt)
    tables: dict[str, Table] = {}
    for task in plan.structure.tasks:
        if task["source"] != "table":
            continue
        annex = task["task_id"].split(":")[1].split(".")[0][1:]
        cells = json.loads(task["table_cells"])
        table = tables.setdefault(annex, Table(header=list(cells)))
        base = task["section_path"].split(" > ")
        group = base[2] if len(base) > 2 else ""
        if group and group != getattr(table, "_group", ""):
            table.rows.append([group])
            table._group = group  # type: ignore[attr-defined]
        table.rows.append(list(cells.values()))
    lines = txt.read_text(encoding="utf-8").split("\n")
    blocks: list[str | Table] = []
    annex = None
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line:
            continue
        if line.startswith("附件") and len(line) <= 4:
            annex = line[2:] or "1"
        if "|" in line and annex in tables:
            # the whole table: up to the next annex heading or the end
            while i < len(lines) and not (lines[i].strip().startswith("附件") and len(lines[i].strip()) <= 4):
                i += 1
            blocks.append(tables.pop(annex))
            continue
        blocks.append(line)
    return blocks


#: Word list levels for the heading styles of ``structure.HEADING_STYLES``: (numFmt, lvlText).
WORD_LEVELS = {
    "cn_dun": ("chineseCounting", "%1、"),
    "cn_paren": ("chineseCounting", "（%2）"),
    "num_dot": ("decimal", "%3."),
    "num_paren": ("decimal", "(%4)"),
    "circled": ("decimalEnclosedCircle", "%5"),
}


def numbered_blocks(txt: Path) -> list[str | tuple[int, str] | Table]:
    """Like :func:`plan_blocks` from the normalized text, with every heading of the task tree as
    ``(level, text without its number)``: its number is left to Word's automatic numbering."""
    from policycompare.parse.headings import match_heading
    from policycompare.rules.patterns import HEADING_STYLES

    plan = pc.read_plan(txt)
    text = plan.text
    starts = {row["char_start"] for row in plan.structure.tasks + plan.structure.sections
              if row["source"] in ("body", "annex")}
    tables = [b for b in plan_blocks(txt) if isinstance(b, Table)]
    levels = {style: k for k, style in enumerate(WORD_LEVELS)}
    blocks: list[str | tuple[int, str] | Table] = []
    pos = 0
    in_table = False
    for raw in text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        if "|" in line and tables:
            if not in_table:
                blocks.append(tables.pop(0))
                in_table = True
            continue
        if in_table and not line.startswith("附件"):
            continue  # the group lines of a pipe-broken table are in the table
        in_table = False
        hit = match_heading(raw) if start in starts else None
        if hit and hit[0] in levels:
            pattern = dict((s, r) for s, r, _ in HEADING_STYLES)[hit[0]]
            blocks.append((levels[hit[0]], raw[pattern.match(raw).end():].strip()))
        else:
            blocks.append(line)
    return blocks


def write_docx(blocks: list[str | tuple[int, str] | Table], path: Path) -> None:
    """A .docx: paragraphs, ``(level, text)`` paragraphs numbered by Word (``WORD_LEVELS``), tables."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                   f'<w:suff w:val="nothing"/></w:lvl>' for i, (fmt, text) in enumerate(WORD_LEVELS.values()))
    numbering.find(f"{{{numbering.nsmap['w']}}}num").addprevious(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        if isinstance(block, tuple):
            paragraph = document.add_paragraph(block[1])
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = block[0]
            num_pr.get_or_add_numId().val = 77
            continue
        n = len(block.header)
        table = document.add_table(rows=1 + len(block.rows), cols=n)
        table.style = "Table Grid"
        for j, value in enumerate(block.header):
            table.cell(0, j).text = value
        for i, row in enumerate(block.rows, start=1):
            if len(row) == 1:
                table.cell(i, 0).merge(table.cell(i, n - 1)).text = row[0]
                continue
            for j, value in enumerate(row):
                table.cell(i, j).text = value
    document.save(path)


def cjk_font_file() -> Path:
    """The Noto Sans CJK SC file that ``policycompare.report.figures`` registers (shipped by mplfonts)."""
    import importlib.util

    from policycompare.report.style import FONT_FILE

    spec = importlib.util.find_spec("mplfonts")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE


def write_pdf(blocks: list[str | Table], path: Path, *, running_header: str = "某某市人民政府办公室文件",
              widths: tuple[int, ...] | None = None) -> int:
    """A PDF (fpdf2, the bundled CJK font) with a running header and ``- n -`` page numbers; returns its page count."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Document(FPDF):
        def header(self):
            self.set_font("cjk", size=9)
            self.cell(0, 6, running_header, align="C")
            self.ln(10)

        def footer(self):
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Document(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2020, 1, 1, tzinfo=__import__("datetime").timezone.utc))
    pdf.add_font("cjk", fname=str(cjk_font_file()))
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for block in blocks:
        pdf.set_font("cjk", size=11)
        if isinstance(block, str):
            pdf.multi_cell(0, 7, block, align="L", new_x="LMARGIN", new_y="NEXT")
            continue
        n = len(block.header)
        col_widths = widths or ((10, 60) + (30,) * (n - 2) if n > 2 else None)
        pdf.set_font("cjk", size=9)
        with pdf.table(col_widths=col_widths, headings_style=FontFace(emphasis=""), line_height=5,
                       text_align="LEFT", repeat_headings=1) as table:
            header = table.row()
            for value in block.header:
                header.cell(value)
            for row in block.rows:
                cells = table.row()
                if len(row) == 1:
                    cells.cell(row[0], colspan=n)
                    continue
                for value in row:
                    cells.cell(value)
        pdf.ln(4)
    pdf.output(str(path))
    return pdf.page_no()


def write_pdf_cid(blocks: list[str | Table], path: Path, *, running_header: str = "某某市人民政府办公室文件") -> int:
    """The same layout with reportlab and its built-in CID font STSong-Light (no font file, nothing
    embedded: fast); returns the page count.  Lines are broken here, by measured width (reportlab's
    own CJK wrapping loses a character now and then)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Preformatted, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))

    def wrap(text: str, width: float, size: float) -> str:
        lines, current = [], ""
        for ch in text:
            if current and pdfmetrics.stringWidth(current + ch, font, size) > width:
                lines.append(current)
                current = ""
            current += ch
        return "\n".join(lines + [current])

    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16)
    pages = []

    def furniture(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, running_header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {document.page} -")
        canvas.restoreState()
        pages.append(document.page)

    width = A4[0] - 40 * mm
    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(Preformatted(wrap(block, width - 2, 11), body))
            continue
        n = len(block.header)
        widths = [width * 0.4] + [width * 0.6 / (n - 1)] * (n - 1) if n > 1 else [width]
        data = [[wrap(v, widths[j] - 8, 9) for j, v in enumerate(block.header)]]
        spans = []
        for row in block.rows:
            if len(row) == 1:
                spans.append(("SPAN", (0, len(data)), (n - 1, len(data))))
                data.append([wrap(row[0], width - 8, 9)] + [""] * (n - 1))
            else:
                data.append([wrap(v, widths[j] - 8, 9) for j, v in enumerate(row)])
        table = RLTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONT", (0, 0), (-1, -1), font, 9), ("LEADING", (0, 0), (-1, -1), 12), *spans]))
        story += [table, Spacer(1, 4 * mm)]
    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                                 topMargin=20 * mm, bottomMargin=20 * mm, invariant=1)
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return len(pages)
