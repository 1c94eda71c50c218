"""PDF files with a text layer -> text.

pypdfium2 (PDFium) reads the characters with their boxes; pdfplumber finds
ruled tables from the page's lines and rectangles only (its own text
extraction, pdfminer, returns no characters for some CFF-font PDFs that PDFium
reads, and is several times slower).  Then:

* characters inside a table are taken out of the running text and the table
  comes out as ``cell | cell |`` rows, where it stands on the page; a merged
  cell spanning columns is written once, one spanning rows is repeated in each
  row; a table continued on the next page is joined (a repeated header row is
  dropped, a row broken across the page break is mended);
* lines repeated at the top or bottom of most pages (running headers and
  footers) and page numbers (``- 3 -``, ``第3页``, ``3/12``) are dropped;
* wrapped lines are rejoined: a line that runs to the right margin and does
  not end a sentence (。；：！？) is continued by the next line unless that
  one starts a heading; a line that ends a sentence is continued only when it
  is full (the next line's first character would not have fitted) and the
  next line is neither indented nor a heading, since a page wraps at 。 as
  anywhere else; a pinyin gloss the wrap cut (``數(s`` | ``hù)量``) is joined
  without a space;
* a PDF without a text layer (a scan), or whose fonts have no Unicode map
  (``(cid:…)`` glyphs), is read by Tesseract OCR (``chi_sim``) when that is
  installed, and otherwise refused with a message naming the file.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import PlanError
from ..parse.headings import match_heading
from ..parse.normalize import PINYIN_SYLLABLE, PINYIN_TONES
from ..rules.readers import role_patterns

_SENTENCE_END = re.compile(r"[。；：！？;:!?]$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~\s]*\d{1,4}[-—–－~\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.I,
)
#: An annex marker starts a block of its own (role labels such as 牵头单位: come from ``rules.role_patterns``).
_ANNEX_LINE = re.compile(r"^附件\s*\d*")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: A pinyin gloss cut by the wrap: ``(s`` at the end of a line, ``hù)`` at the start of the next.
_GLOSS_HEAD = re.compile(rf"(?<=[^\x00-\x7f])\(([a-zü{PINYIN_TONES}]+)$")
_GLOSS_TAIL = re.compile(r"^([^\s()]+)\)")
_WHOLE_SYLLABLE = re.compile(PINYIN_SYLLABLE)
#: Share of pages a top/bottom line must appear on to count as a running header or footer.
FURNITURE_SHARE = 0.5
#: Top and bottom lines of a page examined for headers, footers and page numbers.
FURNITURE_LINES = 2
OCR_DPI = 300
_GENERATED_SPACE = "\ufffe"  # a noncharacter: never in a text layer


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    width: float  # median character width
    em: float = 0.0  # median width of the CJK characters (0: none, or not measured)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Table:
    top: float
    rows: list[list[str]]

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class _Page:
    items: list[_Line | _Table] = field(default_factory=list)
    right: float = 0.0  # right margin of the running text


def read_pdf_text(path: Path, raw: bytes) -> tuple[str, str, list[str]]:
    """``(text, reader, warnings)`` of a PDF file (see the module docstring)."""
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise PlanError(path, "PDF is password-protected; save an unprotected copy") from exc
        raise PlanError(path, f"not a valid PDF ({reason})") from exc
    try:
        try:
            pages, n_chars, n_plausible = _read_pages(document, raw)
        except Exception as exc:  # a damaged page, an object PDFium or pdfminer cannot parse
            raise PlanError(path, f"cannot read the PDF ({type(exc).__name__}: {exc})") from exc
        if n_chars == 0 or n_plausible / n_chars < 0.6 or _cjk_count(pages) < 20:
            why = ("has no text layer (a scanned PDF?)" if n_chars == 0 else
                   "has a text layer without a Unicode map ((cid:…) glyphs), like a scan")
            ocr = tesseract_chi_sim()
            if ocr is None:
                raise PlanError(path, f"{why}: install Tesseract with Chinese (Debian/Ubuntu: "
                                      "'sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim') to read it by OCR, "
                                      "or use a PDF with a text layer")
            text = _ocr(document, ocr, path)
            return text, "ocr", [f"{path.name}: {why}; read by Tesseract OCR (chi_sim): check the text"]
    finally:
        document.close()
    return _assemble(pages), "pdf", []


# -- characters, lines and tables of each page ----------------------------------------------

def _read_pages(document, raw: bytes) -> tuple[list[_Page], int, int]:
    logger = logging.getLogger("pdfminer")  # damaged files make pdfminer log a line per object
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read_pages_quietly(document, raw)
    finally:
        logger.setLevel(level)


def _read_pages_quietly(document, raw: bytes) -> tuple[list[_Page], int, int]:
    # only PDFs with ruled tables need the cell grid (pdfminer is slow to import)
    import pdfplumber

    pages: list[_Page] = []
    n_chars = n_plausible = 0
    with pdfplumber.open(io.BytesIO(raw)) as plumber:
        for index in range(len(document)):
            page = document[index]
            height = page.get_height()
            textpage = page.get_textpage()
            chars = _chars(textpage, height)
            n_chars += sum(1 for c in chars if not _blank(c))
            n_plausible += sum(1 for c in chars if not _blank(c) and _plausible(c.text))
            found = []
            ruled, lost = _has_paths(page), _lost_text(page)
            if ruled or lost:  # pdfplumber parses the whole page: only where it is needed
                try:
                    found = plumber.pages[index].find_tables() if ruled else []
                    # PDFium now and then drops a character that pdfminer reads (seen with multi-line table
                    # cells in a non-embedded CID font); pdfminer, in turn, reads nothing from some CFF
                    # fonts.  Keep the reading with more characters.
                    mined = [_Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in plumber.pages[index].chars]
                    if not any(c.text.startswith("(cid:") for c in mined):
                        if sum(not _blank(c) for c in mined) > sum(not _blank(c) for c in chars):
                            chars = mined
                        elif lost:
                            chars = _recovered(chars, mined)
                except Exception:  # a page pdfminer cannot parse: text only
                    found = []
            boxes = [t.bbox for t in found]
            tables = [_Table(top=t.bbox[1], rows=_table_rows(t, chars)) for t in found]
            free = [c for c in chars if not any(_inside(c, box) for box in boxes)]
            lines = _lines(free)
            page_out = _Page(right=max((ln.x1 for ln in lines), default=0.0))
            items: list[_Line | _Table] = list(lines)
            for table in sorted(tables, key=lambda t: t.top):
                if not any(table.rows):
                    continue
                above = [k for k, item in enumerate(items) if isinstance(item, _Line) and item.middle < table.top]
                at = above[-1] + 1 if above else 0  # after the last line above it (footers may come first)
                items.insert(at, table)
            page_out.items = items
            pages.append(page_out)
            textpage.close()
            page.close()
    return pages, n_chars, n_plausible


def _lost_text(page) -> bool:
    """A text object PDFium gives no width: its characters are missing from PDFium's text page (seen with
    a line of one closing parenthesis in a non-embedded CID font, which pdfminer reads)."""
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=3):
        left, _, right, _ = obj.get_bounds()
        if right - left <= 0:
            return True
    return False


def _recovered(chars: list[_Char], mined: list[_Char]) -> list[_Char]:
    """PDFium's characters with those pdfminer reads where PDFium has none, each put after the character
    before it in reading order (on a line of its own when no character of PDFium's shares its line)."""
    out = list(chars)
    for m in mined:
        if _blank(m):
            continue
        middle = (m.top + m.bottom) / 2
        if any(c.top <= middle <= c.bottom and c.x0 < m.x1 and m.x0 < c.x1 for c in out if c.text != "\n"):
            continue  # PDFium has a character there (perhaps as another code point)
        before = [k for k, c in enumerate(out) if c.text != "\n" and not _blank(c)
                  and (c.bottom <= middle or (c.top <= middle <= c.bottom and c.x1 <= m.x0 + 1))]
        at = before[-1] + 1 if before else 0
        same_line = bool(before) and out[before[-1]].top <= middle <= out[before[-1]].bottom
        newline = _Char("\n", 0, 0, 0, 0)
        out[at:at] = [m] if same_line else [newline, m, newline]
    return out


def _has_paths(page) -> bool:
    return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3)), None) is not None


def _chars(textpage, height: float) -> list[_Char]:
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    same = len(text) == n
    out = []
    for i in range(n):
        ch = text[i] if same else textpage.get_text_range(i, 1)
        if ch in "\r\n":
            out.append(_Char("\n", 0, 0, 0, 0))
            continue
        if ch == " " and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            ch = _GENERATED_SPACE  # a gap PDFium reads as a space: dropped between CJK characters
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        out.append(_Char(ch, left, right, height - top, height - bottom))
    return out


def _blank(c: _Char) -> bool:
    return c.text.isspace() or c.text == _GENERATED_SPACE


def _plausible(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x20 < code < 0x7F or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x206F or 0x2460 <= code <= 0x2473)


def _inside(c: _Char, box: tuple[float, float, float, float]) -> bool:
    if c.text == "\n":
        return False
    x, y = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _lines(chars: list[_Char]) -> list[_Line]:
    """Chars in content order -> lines (PDFium's line breaks, or a jump in height)."""
    lines: list[_Line] = []
    current: list[_Char] = []

    def flush() -> None:
        real = [c for c in current if not _blank(c)]
        if real:
            text = _tidy("".join(c.text for c in current))
            if text:
                widths = [c.x1 - c.x0 for c in real if c.x1 > c.x0]
                cjk = [c.x1 - c.x0 for c in real if c.x1 > c.x0 and _CJK_CHAR.match(c.text)]
                lines.append(_Line(text, min(c.x0 for c in real), max(c.x1 for c in real),
                                   min(c.top for c in real), max(c.bottom for c in real),
                                   statistics.median(widths) if widths else 0.0,
                                   statistics.median(cjk) if cjk else 0.0))
        current.clear()

    for c in chars:
        if c.text == "\n":
            flush()
            continue
        if current and not _blank(c):
            last = next((x for x in reversed(current) if not _blank(x)), None)
            h = 0.25 * (last.bottom - last.top) if last is not None else 0
            if last is not None and (c.top >= last.bottom - h or c.bottom <= last.top + h):
                flush()  # the next line (or one higher up) without a break character
        current.append(c)
    flush()
    return lines


def _tidy(text: str) -> str:
    """Spaces PDFium adds between (justified) CJK characters removed; other spaces kept single."""
    text = re.sub(rf"(?<=[^\x00-\x7f]){_GENERATED_SPACE}+(?=[^\x00-\x7f])", "", text)
    return re.sub(rf"[ \t\u00a0\u3000{_GENERATED_SPACE}]+", " ", text).strip()


def _table_rows(table, chars: list[_Char]) -> list[list[str]]:
    """Cell texts of a pdfplumber table, from PDFium's characters; merged cells handled."""
    rows: list[list[str]] = []
    covering: dict[int, tuple[tuple[float, float, float, float], str]] = {}
    for row in table.rows:
        values: list[str] = []
        row_top = min((c[1] for c in row.cells if c is not None), default=0.0)
        down = {k for k, cell in enumerate(row.cells)  # empty slots under a cell of a row above that reaches down
                if cell is None and k in covering and covering[k][0][1] < row_top - 1 < covering[k][0][3] - 2}
        owner: dict[int, tuple[tuple[float, float, float, float], str]] = {}
        for k, cell in enumerate(row.cells):
            if cell is None:
                if k in down:
                    values.append(covering[k][1])
                    owner[k] = covering[k]
                elif k - 1 in owner and k - 1 not in down:  # merged across from the cell on the left: written once
                    owner[k] = owner[k - 1]
                continue
            text = _cell_text([c for c in chars if _inside(c, cell)])
            owner[k] = (cell, text)
            values.append(text)
        covering.update(owner)
        if any(values):
            rows.append(values)
    return rows


def _cell_text(chars: list[_Char]) -> str:
    lines = [line.text for line in _lines(chars)]
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line[:1].isascii() and line[:1].isalpha():
            out += " "
        out += line
    return out.replace("|", "｜")


def _cjk_count(pages: list[_Page]) -> int:
    n = 0
    for page in pages:
        for item in page.items:
            texts = [item.text] if isinstance(item, _Line) else [c for r in item.rows for c in r]
            n += sum(len(re.findall(r"[\u4e00-\u9fff]", t)) for t in texts)
    return n


# -- the document: furniture out, tables joined, wrapped lines rejoined ---------------------

def _furniture_keys(pages: list[_Page]) -> set[str]:
    """Lines at the top or bottom of most pages (digits masked): running headers and footers."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_key(line.text) for line in _edge_lines(page)})
    need = max(2, FURNITURE_SHARE * len(pages))
    return {key for key, n in seen.items() if n >= need}


def _edge_lines(page: _Page) -> list[_Line]:
    lines = [item for item in page.items if isinstance(item, _Line)]
    ordered = sorted(lines, key=lambda ln: ln.top)
    return ordered[:FURNITURE_LINES] + ordered[-FURNITURE_LINES:]


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _assemble(pages: list[_Page]) -> str:
    """The text of the pages in three passes: page furniture left out, tables that go on across a page
    break joined, lines the page wrapped joined."""
    return "\n".join(_join_wrapped(_join_tables(_without_furniture(pages))))


def _without_furniture(pages: list[_Page]) -> list[tuple[_Line | _Table, float, bool]]:
    """Every line and table in reading order, with its page's right margin and whether it opens its page;
    running headers and footers (:func:`_furniture_keys`) and page numbers at the page's edges left out.

    The right margin is the page's widest line, or the median of the pages' when the page's lines are
    all shorter (a last page of a few short lines: its widest line did not reach the margin)."""
    furniture = _furniture_keys(pages)
    flow: list[tuple[_Line | _Table, float, bool]] = []
    typical = statistics.median([page.right for page in pages if page.right > 0] or [0.0])
    for page in pages:
        right = max(page.right, typical)
        edge = {id(line) for line in _edge_lines(page)}
        first = True
        for item in page.items:
            if isinstance(item, _Line) and id(item) in edge and (
                    _key(item.text) in furniture or _PAGE_NUMBER.match(item.text.strip())):
                continue
            flow.append((item, right, first))
            first = False
    return flow


def _join_tables(flow: list[tuple[_Line | _Table, float, bool]]) -> list[tuple[_Line | _Table, float]]:
    """A table that opens a page and has the column count of the table just before goes on from it: its
    repeated header row is dropped, a first row with an empty first cell completes the last row."""
    out: list[tuple[_Line | _Table, float]] = []
    for item, right, first_on_page in flow:
        if isinstance(item, _Table):
            rows = [list(r) for r in item.rows]  # joined below: never change the input
            previous = out[-1][0] if out else None
            if first_on_page and isinstance(previous, _Table) and rows and previous.n_cols == item.n_cols:
                if [re.sub(r"\s+", "", c) for c in rows[0]] == [re.sub(r"\s+", "", c) for c in previous.rows[0]]:
                    rows = rows[1:]  # the header row repeated
                if rows and not rows[0][0] and previous.rows and len(rows[0]) == len(previous.rows[-1]):
                    previous.rows[-1] = [a + b for a, b in zip(previous.rows[-1], rows[0])]
                    rows = rows[1:]
                previous.rows.extend(rows)
                continue
            item = _Table(item.top, rows)
        out.append((item, right))
    return out


def _join_wrapped(items: list[tuple[_Line | _Table, float]]) -> list[str]:
    """Lines of text: a table as one line per row, a line the page wrapped joined to the line before
    (not when it starts a heading, unless the line before cannot end there; after the end of a sentence,
    only when the line before is full and the line is not indented)."""
    out: list[str] = []
    previous: _Line | _Table | None = None
    previous_right = 0.0
    for item, right in items:
        if isinstance(item, _Table):
            out.extend(_row_line(r) for r in item.rows)
            previous = item
            continue
        text = item.text
        if isinstance(previous, _Line) and out and not _SENTENCE_END.search(previous.text):
            join = _wrapped(previous, previous_right, text) and (not _starts_heading(text) or _breaks_off(previous.text, text))
        else:
            join = (isinstance(previous, _Line) and bool(out) and _full(previous, previous_right, item)
                    and not _starts_heading(text))
        if join:
            joiner = " " if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii() and text[:1].isalpha() else ""
            if joiner and _cut_gloss(out[-1], text):
                joiner = ""
            out[-1] += joiner + text
            previous = _Line(out[-1], item.x0, item.x1, item.top, item.bottom, item.width, item.em)
        else:
            out.append(text)
            previous = item
        previous_right = right
    return out


def _wrapped(line: _Line, right: float, following: str) -> bool:
    """The line stops where the next line's first word would not have fitted: the page wrapped it."""
    em = max(line.width, 1.0)
    word = re.match(r"[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", following)  # a Latin word wraps whole
    first = 0.6 * em * len(word.group(0)) if word else em
    return right - line.x1 <= first + 1.5 * em


def _full(line: _Line, right: float, following: _Line) -> bool:
    """The line (ending a sentence) leaves no room for the next line's first character, and the next line
    starts where the line did or further left (an indented line opens a paragraph)."""
    em = max(line.em or line.width, 1.0)
    first = 0.5 * em if following.text[:1].isascii() else em
    return right - line.x1 < first and following.x0 <= line.x0 + 0.5 * em


def _cut_gloss(line: str, following: str) -> bool:
    """``數(s`` + ``hù)量``: the wrap cut a pinyin gloss, which is one syllable (no word space)."""
    head, tail = _GLOSS_HEAD.search(line), _GLOSS_TAIL.match(following)
    return bool(head and tail and _WHOLE_SYLLABLE.fullmatch(head.group(1) + tail.group(1)))


def _breaks_off(line: str, following: str) -> bool:
    """A line that cannot end there: a number cut by the wrap (``3.`` / ``15、…``) or a list going on (``、``)."""
    return bool(re.search(r"[，,、]$", line) or (re.search(r"\d[.．]?$", line) and following[:1].isdigit()))


def _row_line(cells: list[str]) -> str:
    return " | ".join(cells) + " |"


def _starts_heading(text: str) -> bool:
    return match_heading(text) is not None or bool(role_patterns().label.match(text) or _ANNEX_LINE.match(text))


# -- OCR ------------------------------------------------------------------------------------

def tesseract_chi_sim() -> str | None:
    """Path of a Tesseract that knows Simplified Chinese (``chi_sim``), or None."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        done = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    langs = (done.stdout + done.stderr).decode("utf-8", "replace").split()
    return exe if "chi_sim" in langs else None


def _ocr(document, exe: str, path: Path) -> str:
    """Text of every page by Tesseract (TSV output: words with boxes), then the same clean-up as a
    text layer: running headers and footers, page numbers and wrapped lines."""
    pages: list[_Page] = []
    scale = OCR_DPI / 72
    with tempfile.TemporaryDirectory(prefix="policycompare-ocr-") as tmp:
        for index in range(len(document)):
            png = Path(tmp) / f"page{index + 1}.png"
            document[index].render(scale=scale).to_pil().save(png)
            try:
                done = subprocess.run([exe, str(png), "stdout", "-l", "chi_sim", "--psm", "4", "tsv"],
                                      capture_output=True, timeout=600, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PlanError(path, f"OCR with Tesseract failed ({exc})") from exc
            if done.returncode != 0:
                raise PlanError(path, "OCR with Tesseract failed: " + done.stderr.decode("utf-8", "replace").strip()[-200:])
            lines = _tsv_lines(done.stdout.decode("utf-8", "replace"), scale)
            pages.append(_Page(items=list(lines), right=max((ln.x1 for ln in lines), default=0.0)))
    return _assemble(pages)


def _tsv_lines(tsv: str, scale: float) -> list[_Line]:
    """Lines of Tesseract's TSV output (level-5 rows are words), in points."""
    words: dict[tuple[str, str, str], list[list[str]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        words.setdefault((cells[2], cells[3], cells[4]), []).append(cells)
    lines = []
    for group in words.values():
        text = " ".join(w[11].strip() for w in group)
        text = re.sub(r"(?<=[^\x00-\x7f]) +(?=[^\x00-\x7f])", "", text)  # Tesseract spaces CJK out
        text = re.sub(r"(?<=[^\x00-\x7f]) +(?=[\x00-\x7f])|(?<=[\x00-\x7f]) +(?=[^\x00-\x7f])", "", text)
        left = min(int(w[6]) for w in group) / scale
        right = max(int(w[6]) + int(w[8]) for w in group) / scale
        top = min(int(w[7]) for w in group) / scale
        bottom = max(int(w[7]) + int(w[9]) for w in group) / scale
        height = statistics.median(int(w[9]) for w in group) / scale
        lines.append(_Line(_tidy(text), left, right, top, bottom, height))
    return [ln for ln in lines if ln.text]
