"""Bytes on disk -> text.

Reads ``.txt`` (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16; detected, not
assumed), ``.html``/``.htm`` (visible text only), ``.docx`` (paragraphs with
their automatic numbering and tables, in document order: ``ingest_word``),
``.doc``/``.wps`` (through antiword or LibreOffice when installed) and ``.pdf``
with a text layer (``ingest_pdf``).  Every failure raises :class:`PlanError` with a
message that names the file.

Tables (HTML, Word or PDF) come out one row per line, cells separated by `` | ``
and the row closed by ``|``: the same shape the structure stage already reads
in pipe-broken plain-text tables.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import PLAN_SUFFIXES
from ..errors import PlanError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >])", re.I)
#: Block-level elements: their text starts on a new line.
_BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "main", "ol", "p", "pre", "section", "table", "ul",
}
#: Elements whose content is never visible text of the document.
_INVISIBLE_TAGS = [
    "script", "style", "noscript", "template", "head", "nav", "header", "footer",
    "aside", "form", "iframe", "svg", "button", "select", "input", "object",
]
_NAV_HINT = re.compile(r"(^|[-_ ])(nav|navbar|menu|breadcrumb|crumb|footer|header|share|sidebar)([-_ ]|$)", re.I)


@dataclass(frozen=True)
class RawText:
    """Decoded text of one file and how it was read."""

    path: Path
    text: str
    encoding: str
    kind: str  # "text", "html", "docx", "doc" or "pdf"
    sha256: str = ""  # of the raw bytes
    warnings: tuple[str, ...] = ()


def read_text(path: str | Path) -> RawText:
    """Read one plan file into text.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
        >>> _ = p.write_bytes("一、总体要求\\n加快推进消费品标准和质量提升,提高标准供给能力。".encode("gb18030"))
        >>> read_text(p).text.split("\\n")[0], read_text(p).encoding
        ('一、总体要求', 'gb18030')
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise PlanError(path, "file is empty")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path, raw)
    if suffix in (".doc", ".wps"):
        return _read_legacy_word(path, raw)
    if suffix == ".pdf":
        return _read_pdf(path, raw)
    if suffix not in PLAN_SUFFIXES:
        raise PlanError(path, f"unsupported file type '{suffix or '(none)'}'; use {', '.join(PLAN_SUFFIXES)}")
    text, encoding, decode_warnings = decode_text(raw, path)
    warnings: list[str] = list(decode_warnings)
    kind = "text"
    if suffix in (".htm", ".html") or _HTML_SNIFF.match(raw[:2048].lstrip(codecs.BOM_UTF8)):
        if suffix not in (".htm", ".html"):
            warnings.append("file looks like HTML: reading its visible text only")
        text = html_to_text(text)
        kind = "html"
    if len(_CJK.findall(text)) < 20:
        raise PlanError(path, f"no Chinese text found after decoding as {encoding} (wrong encoding or not a plan?)")
    return RawText(path=path, text=text, encoding=encoding, kind=kind, sha256=hashlib.sha256(raw).hexdigest(),
                   warnings=tuple(warnings))


def decode_bytes(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode bytes, detecting the encoding; returns ``(text, encoding)``.

    A few damaged bytes (one invalid byte, a file cut in the middle of a
    character) are replaced with U+FFFD; :func:`decode_text` also says so.
    """
    text, encoding, _ = decode_text(raw, path)
    return text, encoding


#: Most invalid byte sequences a text may hold and still be decoded (with U+FFFD): a
#: damaged or truncated file, not a file in another encoding.
MAX_BAD_BYTES = 8
_TOLERANT_ENCODINGS = ("utf-8", "gb18030", "big5")


def decode_text(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str, list[str]]:
    """Like :func:`decode_bytes`, plus warnings (replaced bytes) naming the file.

    Examples:
        >>> text, enc, warnings = decode_text(("一、总体要求。" * 4).encode("utf-8")[:-1], "x.txt")
        >>> text[-3:], enc
        ('要求\ufffd', 'utf-8')
        >>> warnings
        ['x.txt: 1 invalid or cut byte sequence(s) replaced with U+FFFD when decoding as utf-8 (damaged or truncated file?)']
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc, []
            except UnicodeDecodeError as exc:
                tolerant = _tolerant(raw, (enc,), path)
                if tolerant:
                    return tolerant
                raise PlanError(path, f"starts with a {enc} byte-order mark but does not decode as {enc}") from exc
    utf16 = _sniff_utf16(raw)
    if utf16:
        try:
            text = raw.decode(utf16)
            if _CJK.search(text):
                return text, utf16, []
        except UnicodeDecodeError:
            tolerant = _tolerant(raw, (utf16,), path)
            if tolerant:
                return tolerant
    if b"\x00" in raw:
        raise PlanError(path, "binary file (contains NUL bytes), not a text plan")
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    # only a file that is neither UTF-8 nor GB18030 is guessed
    from charset_normalizer import from_bytes

    best = _best_match(from_bytes(raw))
    if best is not None:
        encoding = best.encoding.lower().replace("_", "")
        # GBK and GB2312 are subsets of GB18030: decode with the superset.
        if encoding in {"gb2312", "gbk", "gb18030", "cp936", "hz"}:
            encoding = "gb18030"
        try:
            return raw.decode(encoding), encoding, []
        except (UnicodeDecodeError, LookupError):
            pass
    tolerant = _tolerant(raw, _TOLERANT_ENCODINGS, path)
    if tolerant:
        return tolerant
    if best is not None:
        return str(best), best.encoding, []
    raise PlanError(path, "cannot detect the text encoding (binary or damaged file?)")


#: Encodings of Chinese text, preferred in this order when the detector rates one of them
#: as plausible as its first guess (short GB2312 texts tie with cp949: both decode cleanly).
_CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "cp936", "hz", "big5", "big5hkscs", "cp950")
#: How much more chaos (charset_normalizer's mess ratio, 0-1) a Chinese reading may have and still
#: beat the detector's first guess of another language.
_CHINESE_MARGIN = 0.02


def _best_match(matches):
    """The detector's best match, or a Chinese encoding that reads the bytes as cleanly.

    charset_normalizer ranks equally clean readings in an order that changed between
    releases (3.4.7 puts cp949 before gb18030 for a short GB2312 text); every plan is
    Chinese, so among readings about as clean as the best one a Chinese encoding wins.
    """
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        name = match.encoding.lower().replace("_", "")
        if name in _CHINESE_ENCODINGS and match.chaos <= best.chaos + _CHINESE_MARGIN:
            return match
    return best


def _tolerant(raw: bytes, encodings: tuple[str, ...], path: str | Path) -> tuple[str, str, list[str]] | None:
    """The encoding that decodes ``raw`` with the fewest (at most MAX_BAD_BYTES) bad sequences."""
    best: tuple[int, str, str] | None = None
    for encoding in encodings:
        text = raw.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad <= MAX_BAD_BYTES and len(_CJK.findall(text)) >= 20 * bad and (best is None or bad < best[0]):
            best = (bad, text, encoding)
    if best is None:
        return None
    bad, text, encoding = best
    name = Path(path).name
    return text, encoding, [f"{name}: {bad} invalid or cut byte sequence(s) replaced with U+FFFD when decoding as "
                            f"{encoding} (damaged or truncated file?)"]


def _sniff_utf16(raw: bytes) -> str | None:
    """UTF-16 without BOM, told apart from binary by how plausible the decoded text is.

    Only tried when the bytes hold NULs (the ASCII digits and line breaks of
    any plan have one in UTF-16).  The byte order whose decoding is almost
    all Chinese characters, ASCII and CJK punctuation wins.
    """
    sample = raw[: 8000 - 8000 % 2] if len(raw) >= 8000 else raw[: len(raw) - len(raw) % 2]
    if b"\x00" not in sample:
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        plausible = sum(1 for ch in text if _plausible_char(ch))
        score = plausible / max(len(text), 1)
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= 0.9 else None


def _plausible_char(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF or 0x20 <= code < 0x7F or ch in "\n\r\t"
        or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x206F
    )


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: no script, style or navigation; tables as pipe rows."""
    # only HTML pages need the parser
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_INVISIBLE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        # inside a tag removed before (what ``tag.decomposed`` says, without its search of the subtree
        # for a child named "_decomposed": quadratic on a page that never closes its <p>)
        if vars(tag).get("_decomposed"):
            continue
        attrs = tag.attrs or {}
        hints = " ".join([attrs.get("id", "") or ""] + list(attrs.get("class", []) or []))
        if attrs.get("role") == "navigation" or (hints and _NAV_HINT.search(hints)):
            tag.decompose()
    root = soup.body or soup
    parts: list[str] = []

    # depth first with a stack of its own, not recursion: a page that never closes its <p> nests every
    # paragraph inside the one before (1,200 levels in one real page; Python's limit is 1,000)
    stack = [iter(root.children)]
    closes = [False]  # a block element's line ends when its children are done
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if closes.pop():
                parts.append("\n")
            continue
        if isinstance(child, NavigableString):
            if type(child).__name__ in {"Comment", "Doctype", "Declaration", "ProcessingInstruction"}:
                continue
            parts.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            if child.name == "table":
                parts.append("\n")
                for tr in child.find_all("tr"):
                    cells = [re.sub(r"\s+", " ", c.get_text(" ")).strip() for c in tr.find_all(["td", "th"])]
                    parts.append(" | ".join(cells) + " |\n")
                parts.append("\n")
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append("\n")
            stack.append(iter(child.children))
            closes.append(block)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _read_docx(path: Path, raw: bytes) -> RawText:
    # python-docx loads only for Word files
    from .word import read_docx_text

    text = read_docx_text(path, raw)
    if len(_CJK.findall(text)) < 20:
        raise PlanError(path, "no Chinese text found in the .docx")
    return RawText(path=path, text=text, encoding="docx", kind="docx", sha256=hashlib.sha256(raw).hexdigest())


def _read_legacy_word(path: Path, raw: bytes) -> RawText:
    # python-docx loads only for Word files
    from .word import read_legacy_word

    text, reader, warnings = read_legacy_word(path, raw)
    if len(_CJK.findall(text)) < 20:
        raise PlanError(path, f"no Chinese text found in the {path.suffix} file (read with {reader})")
    return RawText(path=path, text=text, encoding=reader, kind="doc", sha256=hashlib.sha256(raw).hexdigest(),
                   warnings=tuple(warnings))


def _read_pdf(path: Path, raw: bytes) -> RawText:
    # pypdfium2 loads only for PDFs
    from .pdf import read_pdf_text

    text, reader, warnings = read_pdf_text(path, raw)
    if len(_CJK.findall(text)) < 20:
        raise PlanError(path, "no Chinese text found in the PDF's text layer")
    return RawText(path=path, text=text, encoding=reader, kind="pdf", sha256=hashlib.sha256(raw).hexdigest(),
                   warnings=tuple(warnings))
