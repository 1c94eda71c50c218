"""Word files -> text: ``.docx`` (with automatic numbering) and legacy ``.doc``/``.wps``.

``.docx``: paragraphs and tables in document order.  Word's automatic
numbering (``w:numPr`` on the paragraph or its style -> ``numbering.xml``) is
not in the paragraph text; it is rebuilt here (counters per list, level
formats such as ``chineseCounting`` or ``decimal``, level texts such as
``%1、`` or ``（%1）``) and put in front of the text, so headings that exist
only as numbering (``一、`` / ``（一）`` / ``1.``) still build the task tree.
Table rows become ``cell | cell |`` lines; a cell merged across columns
(``gridSpan``) is written once, a cell merged down rows (``vMerge``) is
repeated in every row it covers, so each row carries its own lead agency.

``.doc`` / ``.wps``: converted by ``antiword`` (text) or LibreOffice
(``soffice --headless --convert-to docx``) when one of them is installed;
otherwise a :class:`PlanError` says what to install.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx

from ..errors import PlanError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_ENDS_CJK_MARK = re.compile(r"[、，,.．:：)）\]】]$")

#: How to install a converter for legacy Word files (shown when none is found).
DOC_INSTALL_HINT = (
    "install antiword (Debian/Ubuntu: 'sudo apt-get install antiword'; macOS: 'brew install antiword') "
    "or LibreOffice ('sudo apt-get install libreoffice-writer'; Windows/macOS: libreoffice.org), "
    "or save the file as .docx in Word or WPS"
)
DOC_TIMEOUT = 120  # seconds a converter may take
#: A .docx is a zip whose parts python-docx reads whole and parses with lxml (several times their size in
#: memory): the sizes the zip declares are checked before anything is unpacked, so a "zip bomb" (1 GB of
#: XML in a 4.7 MB file) is refused with bounded memory.  zipfile never inflates a member past its declared
#: size, and lxml's default limits (no huge_tree) bound the parser.  A long plan's document.xml is a few MB.
DOCX_MAX_XML_BYTES = 32_000_000
#: ... and all its parts together (images included), unpacked.
DOCX_MAX_UNPACKED_BYTES = 200_000_000
#: ... and how many parts it may have.
DOCX_MAX_MEMBERS = 10_000


# -- numbering ---------------------------------------------------------------------------

def chinese_counting(n: int) -> str:
    """Chinese numeral as Word's ``chineseCounting`` writes it (1 -> 一, 12 -> 十二, 20 -> 二十).

    Examples:
        >>> [chinese_counting(n) for n in (1, 10, 12, 20, 35, 101)]
        ['一', '十', '十二', '二十', '三十五', '一百零一']
    """
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + chinese_counting(rest) if rest < 10 else
                                     (_CN_DIGITS[1] if rest < 20 else "") + chinese_counting(rest))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (``w:numFmt``).

    Examples:
        >>> [format_number(3, f) for f in ("decimal", "chineseCounting", "decimalEnclosedCircle", "lowerLetter",
        ...                                "upperRoman", "decimalFullWidth", "ideographTraditional")]
        ['3', '三', '③', 'c', 'III', '３', '丙']
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return chinese_counting(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(c) - 0x30 + 0xFF10) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("ideographTraditional",) and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and anything unknown


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level
    legal: bool = False  # w:isLgl: all levels shown as decimal
    suffix: str = "tab"


@dataclass
class Numbering:
    """``numbering.xml`` and paragraph styles' numbering, with running counters."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = field(default_factory=dict)
    style_num: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document) -> Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is not None:
            for abstract in root.iter(f"{_W}abstractNum"):
                numbering.abstract[abstract.get(f"{_W}abstractNumId")] = _levels(abstract)
            for num in root.iter(f"{_W}num"):
                abstract_id = _val(num.find(f"{_W}abstractNumId"))
                starts, levels = {}, {}
                for override in num.iter(f"{_W}lvlOverride"):
                    ilvl = int(override.get(f"{_W}ilvl", "0"))
                    start = override.find(f"{_W}startOverride")
                    if start is not None:
                        starts[ilvl] = int(_val(start) or 1)
                    lvl = override.find(f"{_W}lvl")
                    if lvl is not None:
                        levels[ilvl] = _level(lvl)
                numbering.nums[num.get(f"{_W}numId")] = (abstract_id or "", starts, levels)
        try:
            styles = document.styles.element
        except AttributeError:
            styles = None
        if styles is not None:
            based: dict[str, str] = {}
            own: dict[str, tuple[str | None, int | None]] = {}
            for style in styles.iter(f"{_W}style"):
                style_id = style.get(f"{_W}styleId")
                parent = style.find(f"{_W}basedOn")
                if parent is not None:
                    based[style_id] = _val(parent)
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    ilvl = num_pr.find(f"{_W}ilvl")
                    own[style_id] = (_val(num_pr.find(f"{_W}numId")), int(_val(ilvl)) if ilvl is not None else None)
            for style_id in set(based) | set(own):
                seen, current = set(), style_id
                while current and current not in own and current not in seen:
                    seen.add(current)
                    current = based.get(current)
                if current in own:
                    numbering.style_num[style_id] = own[current]
        return numbering

    def label(self, paragraph) -> str:
        """The visible number of a paragraph element (``w:p``), advancing the counters; '' if none."""
        p_pr = paragraph.find(f"{_W}pPr")
        num_id, ilvl = None, None
        style_id = None
        if p_pr is not None:
            style = p_pr.find(f"{_W}pStyle")
            style_id = _val(style) if style is not None else None
            num_pr = p_pr.find(f"{_W}numPr")
            if num_pr is not None:
                num_id = _val(num_pr.find(f"{_W}numId"))
                lvl = num_pr.find(f"{_W}ilvl")
                ilvl = int(_val(lvl) or 0) if lvl is not None else None
        if style_id and style_id in self.style_num:
            style_num, style_lvl = self.style_num[style_id]
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        abstract_id, starts, overrides = self.nums[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        if ilvl not in levels:
            return ""
        for k, start in starts.items():  # w:startOverride: this list instance starts afresh
            levels[k] = replace(levels.get(k, _Level()), start=start)
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for k in starts:
                counters.pop(k, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl].start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, _Level()).restart  # None: after any higher level; 0: never
            if restart is None or (restart > 0 and ilvl <= restart - 1):
                del counters[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet" or not level.text:
            return ""

        def value(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            fmt = "decimal" if level.legal and k != ilvl else levels.get(k, _Level()).fmt
            return format_number(counters.get(k, levels.get(k, _Level()).start), fmt)

        text = re.sub(r"%([1-9])", value, level.text)
        if level.suffix == "space":
            text += " "
        return text


def _val(element) -> str | None:
    return None if element is None else element.get(f"{_W}val")


def _level(lvl) -> _Level:
    level = _Level()
    start = lvl.find(f"{_W}start")
    if start is not None:
        level.start = int(_val(start) or 1)
    fmt = lvl.find(f"{_W}numFmt")
    if fmt is not None:
        level.fmt = _val(fmt) or "decimal"
    text = lvl.find(f"{_W}lvlText")
    if text is not None:
        level.text = _val(text) or ""
    restart = lvl.find(f"{_W}lvlRestart")
    if restart is not None:
        level.restart = int(_val(restart) or 0)
    level.legal = lvl.find(f"{_W}isLgl") is not None
    suffix = lvl.find(f"{_W}suff")
    if suffix is not None:
        level.suffix = _val(suffix) or "tab"
    return level


def _levels(abstract) -> dict[int, _Level]:
    return {int(lvl.get(f"{_W}ilvl", "0")): _level(lvl) for lvl in abstract.findall(f"{_W}lvl")}


def _join_number(label: str, text: str) -> str:
    """Number and paragraph text: no gap after ``一、`` or ``（一）``, a space before a digit (``1. 2020年``)."""
    if not label:
        return text
    text = text.lstrip()
    if label.endswith(" ") or not text:
        return label + text
    if not _ENDS_CJK_MARK.search(label) or (text[:1].isascii() and text[:1].isalnum()):
        return label + " " + text
    return label + text


# -- .docx -------------------------------------------------------------------------------

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Subtrees whose text is not the paragraph's: deleted revisions, text boxes (their own
#: paragraphs), the fallback copy of alternate content, properties.
_SKIP = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}pPr", f"{_W}rPr"}


def run_text(paragraph) -> str:
    """Visible text of a ``w:p``: runs anywhere in it (hyperlinks, fields, content controls,
    tracked insertions accepted, deletions left out), tabs and line breaks.

    Examples:
        >>> from docx.oxml import parse_xml
        >>> run_text(parse_xml('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        ...     '<w:r><w:t>加强</w:t></w:r><w:ins><w:r><w:t>标准</w:t></w:r></w:ins>'
        ...     '<w:del><w:r><w:delText>质量</w:delText></w:r></w:del><w:r><w:t>体系建设</w:t></w:r></w:p>'))
        '加强标准体系建设'
    """
    out: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{_W}t":
                out.append(child.text or "")
            elif tag == f"{_W}tab":
                out.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                out.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                out.append("-")
            else:
                walk(child)

    walk(paragraph)
    return "".join(out)


def docx_lines(document) -> list[str]:
    """Lines of a python-docx Document: numbered paragraphs and ``cell | cell |`` table rows."""
    try:
        numbering = Numbering.from_document(document)
    except (ValueError, TypeError):  # a malformed numbering part: paragraphs without their numbers
        numbering = Numbering()

    def paragraph_text(element) -> str:
        try:
            label = numbering.label(element)
        except (ValueError, TypeError, KeyError):
            label = ""
        return _join_number(label, run_text(element))

    lines: list[str] = []

    def table_rows(tbl) -> None:
        above: dict[int, str] = {}  # grid column -> text of the cell above (for vMerge)
        for tr in tbl.iterchildren(f"{_W}tr"):
            cells: list[str] = []
            before = tr.find(f"{_W}trPr/{_W}gridBefore")
            col = int(_val(before) or 0) if before is not None else 0
            for tc in tr.iterchildren(f"{_W}tc"):
                tc_pr = tc.find(f"{_W}tcPr")
                span, merge = 1, None
                if tc_pr is not None:
                    grid_span = tc_pr.find(f"{_W}gridSpan")
                    span = int(_val(grid_span) or 1) if grid_span is not None else 1
                    v_merge = tc_pr.find(f"{_W}vMerge")
                    if v_merge is not None:
                        merge = _val(v_merge) or "continue"
                parts = []
                for child in tc.iterchildren():
                    tag = child.tag
                    if tag == f"{_W}p":
                        text = paragraph_text(child).strip()
                        if text:
                            parts.append(text)
                    elif tag == f"{_W}tbl":  # a table inside a cell: its rows as text
                        inner: list[str] = []
                        lines_before = len(lines)
                        table_rows(child)
                        inner = lines[lines_before:]
                        del lines[lines_before:]
                        parts.extend(row.rstrip(" |") for row in inner)
                value = " ".join(parts)
                if merge == "continue":
                    value = above.get(col, "")
                above[col] = value
                cells.append(value)
                col += span
            if any(cells):
                lines.append(" | ".join(cells) + " |")

    def walk(parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == f"{_W}p":
                lines.append(paragraph_text(child))
            elif tag == f"{_W}tbl":
                table_rows(child)
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"):
                walk(child)

    walk(document.element.body)
    return lines


def read_docx_text(path: Path, raw: bytes) -> str:
    """Text of a ``.docx`` file (see the module docstring)."""
    _check_unpacked_sizes(path, raw)
    try:
        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PlanError(path, f"not a valid .docx file ({exc})") from exc
    except Exception as exc:  # python-docx raises a variety of errors on damaged files
        raise PlanError(path, f"cannot open .docx ({type(exc).__name__}: {exc})") from exc
    try:
        return "\n".join(docx_lines(document))
    except Exception as exc:  # malformed XML inside a readable package
        raise PlanError(path, f"cannot read the .docx content ({type(exc).__name__}: {exc})") from exc


def _check_unpacked_sizes(path: Path, raw: bytes) -> None:
    """Refuse a .docx whose parts would unpack to more than the limits above (before any is read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PlanError(path, f"not a valid .docx file ({exc})") from exc
    if len(members) > DOCX_MAX_MEMBERS:
        raise PlanError(path, f"the .docx holds {len(members):,} parts (limit {DOCX_MAX_MEMBERS:,}): not a Word document?")
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")) and member.file_size > DOCX_MAX_XML_BYTES:
            raise PlanError(path, f"the .docx part {member.filename} would unpack to {member.file_size / 1e6:,.0f} MB "
                                  f"(limit {DOCX_MAX_XML_BYTES / 1e6:.0f} MB, "
                                  "policycompare.ingest.word.DOCX_MAX_XML_BYTES): refused unread (a zip bomb?)")
    total = sum(member.file_size for member in members)
    if total > DOCX_MAX_UNPACKED_BYTES:
        raise PlanError(path, f"the .docx would unpack to {total / 1e6:,.0f} MB (limit {DOCX_MAX_UNPACKED_BYTES / 1e6:.0f} MB, "
                              "policycompare.ingest.word.DOCX_MAX_UNPACKED_BYTES): refused unread (a zip bomb?)")


# -- legacy .doc / .wps --------------------------------------------------------------------

def read_legacy_word(path: Path, raw: bytes) -> tuple[str, str, list[str]]:
    """Text of a ``.doc``/``.wps`` file through antiword or LibreOffice: ``(text, reader, warnings)``."""
    if raw[:4] == b"PK\x03\x04":  # a .docx saved under an old name
        return read_docx_text(path, raw), "docx", [f"{path.name}: is a .docx file despite its name; read as .docx"]
    if raw[:5] in (b"{\\rtf",) or raw[:6] == b"{\\rtf1":
        raise PlanError(path, "is an RTF file, not a Word .doc; save it as .docx")
    if raw[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise PlanError(path, "not a Word .doc file (no OLE2 signature); save it as .docx")
    errors: list[str] = []
    # LibreOffice first: its .docx keeps numbering, tables and merged cells for the reader above
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory(prefix="policycompare-") as tmp:
            source = Path(tmp) / ("plan" + path.suffix.lower())  # a plain name: soffice mangles some
            source.write_bytes(raw)
            profile = Path(tmp) / "profile"
            try:
                _run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                      "--outdir", tmp, str(source)], path)
            except PlanError as exc:
                errors.append(exc.reason)
            else:
                converted = Path(tmp) / "plan.docx"
                if converted.exists():
                    return read_docx_text(path, converted.read_bytes()), "soffice", []
                errors.append("LibreOffice wrote no .docx")
    antiword = shutil.which("antiword")
    if antiword:
        try:
            text = docbook_text(_run([antiword, "-x", "db", str(path)], path))
            if text.strip():
                return text, "antiword", []
            errors.append("antiword found no text")
        except PlanError as exc:
            errors.append(exc.reason)
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        raise PlanError(path, "could not convert the Word file: " + "; ".join(errors))
    raise PlanError(path, f"reading {path.suffix} files needs an external converter: {DOC_INSTALL_HINT}")


def docbook_text(xml: str) -> str:
    """Lines of antiword's DocBook output (``antiword -x db``): paragraphs, and table rows as ``a | b |``.

    Examples:
        >>> docbook_text("<book><bookinfo><date>2013</date></bookinfo><chapter><para>一、总体要求</para>"
        ...              "<para><informaltable><tgroup><tbody><row><entry>1</entry><entry>开展比对</entry></row>"
        ...              "</tbody></tgroup></informaltable></para></chapter></book>").split("\\n")
        ['一、总体要求', '1 | 开展比对 |']
    """
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", re.sub(r"<\?xml[^>]*\?>", "", xml, count=1), count=1)
    try:
        root = ET.fromstring(xml.strip())
    except ET.ParseError as exc:
        raise ValueError(f"antiword wrote no readable XML ({exc})") from exc
    lines: list[str] = []

    def inline(element) -> str:
        out = element.text or ""
        for child in element:
            if child.tag not in ("informaltable", "table"):
                out += "".join(child.itertext())
            out += child.tail or ""
        return out

    def walk(element) -> None:
        for child in element:
            if child.tag == "bookinfo":
                continue
            if child.tag == "row":
                cells = [" ".join("".join(entry.itertext()).split()) for entry in child if entry.tag == "entry"]
                if any(cells):
                    lines.append(" | ".join(cells) + " |")
                continue
            if child.tag in ("para", "title", "bridgehead"):
                lines.extend(piece.strip() for piece in inline(child).split("\n") if piece.strip())
            walk(child)

    walk(root)
    return "\n".join(lines)


def _run(command: list[str], path: Path) -> str:
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(command, capture_output=True, timeout=DOC_TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PlanError(path, f"{Path(command[0]).name} took longer than {DOC_TIMEOUT} s") from exc
    except OSError as exc:
        raise PlanError(path, f"cannot run {Path(command[0]).name} ({exc})") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PlanError(path, f"{Path(command[0]).name} failed ({message[-1] if message else done.returncode})")
    return done.stdout.decode("utf-8", "replace")
