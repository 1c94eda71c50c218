"""The seed workbook as a real spreadsheet client prints it: LibreOffice converts it to PDF.

Skipped where LibreOffice is not installed (``apt-get install libreoffice-calc``
or the platform's equivalent; ``soffice`` on the PATH).  Checks the page
count of the whole workbook, that every page of a table sheet starts with its
header row, and that each Summary block fills one page.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from policycompare.export.summary import BRANDS, ESCALATION, PASS_RATES
from policycompare.export.workbook import workbook_bytes
from policycompare.ingest.files import write_bytes_atomic
from policycompare.schema import DESCRIPTIONS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                        "apt-get install libreoffice-calc to run this check")
#: Most printed pages the seed workbook may take (issue 24; it took 253 A4 pages before).
MAX_PAGES = 120
_FOOTER = re.compile(r"(\S+)\s+page (\d+) of (\d+)")


@pytest.fixture(scope="module")
def printed(corpus, tmp_path_factory):
    """The seed workbook, and the text of each page of its PDF by LibreOffice: [(sheet, text)]."""
    import pypdfium2

    folder = tmp_path_factory.mktemp("lo")
    book = folder / "policycompare.xlsx"
    write_bytes_atomic(book, workbook_bytes(corpus.tables(), DESCRIPTIONS, corpus.plans[["source_file", "sha256"]], "t"))
    profile = (folder / "profile").as_uri()  # its own profile: another LibreOffice running does not get in the way
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder), str(book)], check=True, capture_output=True, timeout=600)
    pdf = pypdfium2.PdfDocument(str(folder / "policycompare.pdf"))
    pages = []
    for page in pdf:
        text = page.get_textpage().get_text_range().replace("\r", "")
        found = _FOOTER.findall(text)
        assert found, text[:200]
        pages.append((found[-1][0], text))
    pdf.close()
    return load_workbook(book), pages


def test_the_seed_workbook_prints_on_at_most_120_pages(printed):
    _, pages = printed
    assert len(pages) <= MAX_PAGES


def test_every_page_of_a_table_sheet_carries_its_header_row(printed):
    wb, pages = printed
    for name in wb.sheetnames[2:]:  # the Codebook and the tables
        ws = wb[name]
        header = [c.value for c in ws[1]]
        mine = [text for sheet, text in pages if sheet == name]
        assert mine, f"{name} is not printed"
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        whole = [h for h, w in zip(header, widths) if len(h) <= w - 2]  # names that fit their column: one line
        assert whole[:1] == header[:1]
        for text in mine:
            words = text.split()
            assert all(h in words for h in whole), (name, [h for h in whole if h not in words])


def test_each_summary_block_is_one_printed_page(printed):
    _, pages = printed
    summary = [text for sheet, text in pages if sheet == "Summary"]
    assert len(summary) == 3
    for text, (title, _) in zip(summary, (PASS_RATES, BRANDS, ESCALATION)):
        assert title in text
