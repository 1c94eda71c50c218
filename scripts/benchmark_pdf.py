"""PDF readers compared on the seed plans: pdfplumber alone vs pypdfium2 (text) + pdfplumber (tables).

Each seed plan (data/raw/*.txt) is written as a PDF twice, by reportlab with its
built-in CID font STSong-Light and by fpdf2 with the bundled Noto Sans CJK
(CFF outlines), the way the tests do.  For each reader the script prints the
seconds per file and the share of the text version's CJK characters found
(a multiset overlap: 1.0 means no character lost or invented).

    python scripts/benchmark_pdf.py
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from formats_helpers import plan_blocks, write_pdf, write_pdf_cid  # noqa: E402

from policycompare.ingest.pdf import read_pdf_text  # noqa: E402


def plumber_only(path: Path) -> str:
    import pdfplumber

    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            out.append(page.extract_text() or "")
            for table in page.extract_tables():
                out.extend(" | ".join(c or "" for c in row) + " |" for row in table)
    return "\n".join(out)


def ours(path: Path) -> str:
    return read_pdf_text(path, path.read_bytes())[0]


def cjk(text: str) -> Counter:
    return Counter(re.findall(r"[\u4e00-\u9fff]", text))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for txt in sorted((ROOT / "data" / "raw").glob("*.txt")):
            blocks = plan_blocks(txt)
            expected = cjk("\n".join(b if isinstance(b, str) else "\n".join(
                " ".join(r) for r in [b.header, *b.rows]) for b in blocks))
            for maker, write in (("reportlab-cid", write_pdf_cid), ("fpdf2-noto-cff", write_pdf)):
                path = Path(tmp) / f"{txt.stem}-{maker}.pdf"
                write(blocks, path)
                for reader, read in (("pdfplumber", plumber_only), ("pypdfium2+pdfplumber", ours)):
                    start = time.perf_counter()
                    text = read(path)
                    seconds = time.perf_counter() - start
                    got = cjk(text)
                    # text found twice (a table read as text and as rows) counts once
                    overlap = sum((got & expected).values()) / max(sum(expected.values()), 1)
                    rows.append((txt.stem, maker, reader, seconds, overlap))
        print(f"{'plan':<15}{'pdf':<16}{'reader':<22}{'seconds':>9}{'cjk found':>11}")
        for row in rows:
            print(f"{row[0]:<15}{row[1]:<16}{row[2]:<22}{row[3]:>9.2f}{row[4]:>11.3f}")


if __name__ == "__main__":
    main()
