"""Load: turn one report file (txt, md, html, pdf, docx) into plain text.

This is step 1 of the flow in DESIGN.md. The text returned here is what the
Clean step works on; loading only decodes and extracts, it does not judge
what belongs to the report.

Every refusal is a `LoadError` whose `reason` is one line of Chinese for the
user; malformed input never escapes as a parser's own exception.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
from bs4 import BeautifulSoup, NavigableString
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.types import ProvidesStoryPart
from lxml import etree
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

# Suffix (lower case) → source_format. ".htm" is only an older spelling of html.
_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
# A collection's own notes (README.md, LICENSE.txt …) describe the folder, not a report: a folder walk
# leaves them out (../shared/corpus-national/README.md became a "report" of its own); named explicitly, they load.
FOLDER_NOTES: frozenset[str] = frozenset({"readme", "license", "licence", "changelog", "copying", "notice", "authors"})
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# A docx is a zip: refuse it before extraction when what it would expand to is
# out of proportion (a zip bomb). Real reports are a few MB uncompressed, and
# their XML compresses around 5–20×.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100
# Tiny members (styles, settings) can legitimately compress beyond the ratio;
# they cannot do harm, so the ratio is only checked above this size.
_DOCX_RATIO_MIN_SIZE = 1024 * 1024

# Text whose share of U+FFFD / control characters exceeds this is not text.
# Real reports have essentially none; 10% leaves room for a damaged file.
_BINARY_SHARE = 0.10

_EMPTY = "文件为空"
_BAD_NAME = "文件名不合法"
_BINARY = "不是文本文件（疑似二进制）"
_PDF_ENCRYPTED = "PDF 已加密，无法读取"
_PDF_CORRUPT = "PDF 文件损坏或无法解析"
_PDF_NO_TEXT = "PDF 中没有可提取的文字（可能是扫描件）"
_DOCX_INVALID = "不是有效的 docx 文件"
_DOCX_BOMB = "docx 解压后过大，疑似压缩炸弹"


@dataclass(frozen=True)
class LoadedReport:
    """One report's extracted text.

    `name` is the file's base name as ingested; `text` uses "\\n" line breaks and
    holds no control characters other than "\\n" and "\\t"; `source_format` is
    one of "txt", "md", "html", "pdf", "docx".
    """

    name: str
    text: str
    source_format: str


class LoadError(Exception):
    """Why a file could not be loaded; `reason` is one line of Chinese meant for the user."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type[LoadError], tuple[str, str]]:
        # Pickle with both arguments, so ingest worker processes can send errors back.
        return (LoadError, (self.name, self.reason))


class _Refused(Exception):
    """A refusal raised inside the extractors, turned into a `LoadError` by the
    public functions, which know how to name the file (base name or path)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------
# Public API


def load_report(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedReport:
    """Load the report at `path`; refusals name the path as given.

    The name, suffix and size are checked before the file is read, so a huge or
    unsupported file costs nothing.

    >>> report = load_report(Path("data/reports/001_bbc2bd414da68544.txt"))
    >>> report.name, report.source_format, report.text[:11]
    ('001_bbc2bd414da68544.txt', 'txt', '政 府 工 作 报 告')
    """
    try:
        try:
            if not path.exists():
                raise _Refused("路径不存在")
            if not path.is_file():
                raise _Refused("不是文件")
            source_format = _format_of(path.name)
            _check_size(path.stat().st_size, max_bytes)
            with path.open("rb") as f:
                # One byte more than allowed, in case the file grew since stat().
                data = f.read(max_bytes + 1)
        except OSError as e:
            raise _Refused(f"无法读取文件（{e.strerror or e}）") from e
        return _load(path.name, source_format, data, max_bytes)
    except _Refused as r:
        raise LoadError(str(path), r.reason) from r.__cause__


def load_report_bytes(name: str, data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedReport:
    """Load an uploaded report given its file name (a base name, no folders) and bytes."""
    try:
        return _load(name, _format_of(name), data, max_bytes)
    except _Refused as r:
        raise LoadError(name, r.reason) from r.__cause__


def iter_report_paths(paths: list[Path]) -> tuple[list[Path], list[LoadError]]:
    """Expand files and folders into the report files to load, plus refusals.

    Folders are walked recursively in sorted order, keeping supported suffixes
    only and skipping hidden files and folders (".git", ".DS_Store"), Office
    lock files ("~$报告.docx") and the folder's own notes (README.md, LICENSE). A file named explicitly is kept even if hidden,
    but refused if its suffix is unsupported. A file reached twice is listed once.
    """
    found: list[Path] = []
    errors: list[LoadError] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path).parts
                if (
                    p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in rel)
                    and not p.name.startswith("~$")
                    and p.stem.lower() not in FOLDER_NOTES
                ):
                    add(p)
        elif path.is_file():
            try:
                _format_of(path.name)
            except _Refused as r:
                errors.append(LoadError(str(path), r.reason))
            else:
                add(path)
        elif path.exists():
            errors.append(LoadError(str(path), "不是文件"))
        else:
            errors.append(LoadError(str(path), "路径不存在"))
    return found, errors


# --------------------------------------------------------------------------
# Checks shared by both entry points


# Any control character, \t and \n included: a name is one line.
_NAME_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _format_of(name: str) -> str:
    """Validate a file's base name and return its source_format."""
    try:
        name.encode("utf-8")  # lone surrogates (undecodable bytes on disk) cannot be stored
    except UnicodeEncodeError:
        raise _Refused(_BAD_NAME) from None
    if (
        not name.strip()
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or _NAME_CONTROL_CHARS.search(name)
        or len(name.encode("utf-8")) > 255  # longest file name most file systems allow
    ):
        raise _Refused(_BAD_NAME)
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in _FORMATS:
        shown = suffix or "（无扩展名）"
        raise _Refused(f"不支持的文件类型 {shown}（支持 txt、md、html、pdf、docx）")
    return _FORMATS[suffix]


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise _Refused(f"文件过大（{_megabytes(size)} MB，上限 {_megabytes(max_bytes)} MB）")


def _megabytes(n: int) -> str:
    """Megabytes for a message: "50", "63.2"; below 0.1 MB two significant
    digits in plain notation ("0.00095"), so small limits do not all read "0"."""
    mb = n / (1024 * 1024)
    if mb >= 0.1:
        return f"{mb:.1f}".removesuffix(".0")
    return f"{float(f'{mb:.2g}'):f}".rstrip("0").rstrip(".")


def _load(name: str, source_format: str, data: bytes, max_bytes: int) -> LoadedReport:
    _check_size(len(data), max_bytes)
    if not data:
        raise _Refused(_EMPTY)
    text = _clean_text(_EXTRACTORS[source_format](data))
    if not text.strip():
        raise _Refused(_EMPTY)
    return LoadedReport(name=name, text=text, source_format=source_format)


# --------------------------------------------------------------------------
# Text normalisation and decoding

# Everything Python's str.splitlines() treats as a line break becomes "\n", so
# offsets computed by later steps agree whichever way they split lines.
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# C0/C1 controls except \t and \n, DEL, a stray BOM (left where files were
# concatenated) and lone surrogates (bad PDF ToUnicode maps), which cannot be
# encoded as UTF-8 later.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")


def _clean_text(text: str) -> str:
    """Normalise line breaks to "\\n" and drop control characters."""
    return _CONTROL_CHARS.sub("", _LINE_BREAKS.sub("\n", text))


# U+FFFD and control characters other than line breaks and tabs.
_NOT_TEXT_CHARS = re.compile("[\ufffd\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """True when too much of `text` is U+FFFD or control characters."""
    return len(_NOT_TEXT_CHARS.findall(text)) > _BINARY_SHARE * len(text)


def _decode(data: bytes, declared: str | None = None) -> str:
    """Decode the bytes of a text file, refusing binary data.

    Order: a BOM (UTF-8 or UTF-16) wins; NUL bytes without a BOM mean UTF-16
    without a BOM if it decodes to plausible text, else binary; then strict UTF-8 (valid UTF-8 is almost never anything else), the
    encoding the file declares (html), strict GB18030 (covers GBK and GB2312);
    then UTF-8 or GB18030 with a handful of bad bytes (a file cut mid-character);
    charset-normalizer only as the last resort.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")  # the codec reads and drops the BOM
    elif b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise _Refused(_BINARY)
    else:
        text = _decode_without_bom(data, declared)
    if _looks_binary(text):
        raise _Refused(_BINARY)
    return text


# Characters a report in UTF-16, decoded with the right byte order, is made of: ASCII,
# Latin-1 punctuation and × ÷, general punctuation, CJK symbols and ideographs, full-width
# forms. The wrong byte order turns CJK into Extension A, Hangul or unassigned code points,
# and the NUL high bytes of line breaks and digits into U+0A00, U+3x00…; other bytes with
# NULs (binary, mixed encodings) into Latin-1 letters, half-width katakana and the like.
_UTF16_PLAUSIBLE = re.compile(
    "[\t\n\r\x20-\x7e\xa0-\xbf\xd7\xf7\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff01-\uff60\uffe0-\uffe6]")
# Share of such characters that makes the bytes UTF-16 text; real reports are close to 1.
_UTF16_MIN_PLAUSIBLE = 0.9


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a BOM (some Windows tools write it), or None.

    Its NUL bytes are the high bytes of ASCII characters (line breaks, digits); both byte
    orders are tried and the one that reads as text is kept. A trailing odd byte (a file
    cut short) is dropped.
    """
    even = data[: len(data) - len(data) % 2]
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(encoding)
        except UnicodeDecodeError:  # a lone surrogate: not this byte order
            continue
        share = len(_UTF16_PLAUSIBLE.findall(text)) / max(1, len(text))
        if share > best_share:
            best, best_share = text, share
    return best if best_share >= _UTF16_MIN_PLAUSIBLE else None


def _decode_without_bom(data: bytes, declared: str | None) -> str:
    for encoding in ("utf-8", declared, "gb18030"):
        if encoding:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                pass
    # A few undecodable bytes in otherwise good UTF-8/GB18030 text: keep the
    # text with U+FFFD rather than let a guesser pick a wrong code page.
    lenient = min(
        (data.decode(enc, errors="replace") for enc in ("utf-8", "gb18030")),
        key=lambda t: t.count("\ufffd"),
    )
    if lenient.count("\ufffd") <= max(2, len(lenient) // 1000):
        return lenient
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _Refused(_BINARY)
    return str(best)


# --------------------------------------------------------------------------
# html

# Not part of the page's content. header/footer are site chrome only at page
# level: inside an <article> or <main> they hold the article's own title and byline.
_HTML_DROP = ("script", "style", "noscript", "template", "nav", "aside", "header", "footer")
_HTML_BLOCKS = (
    "address", "article", "blockquote", "caption", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "title", "tr", "ul",
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# CJK characters and full-width punctuation, for the segment-break rule below.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_SEGMENT_BREAK = re.compile(f"(?<=[{_CJK}])[ \t\n]*\n[ \t\n]*(?=[{_CJK}])")
_HTML_SPACE = re.compile("[ \t\n]+")
# Charset labels not taken at their word (None: detect as for txt). Pages
# labelled GB2312/GBK routinely hold characters only GB18030 has. A Western
# label on a Chinese report is a template default: single-byte decoders never
# fail, so trusting it would turn GBK text into mojibake silently. A UTF-16
# label on a page without a BOM means UTF-8 (WHATWG Encoding).
_HTML_CHARSET_AS_READ: dict[str, str | None] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso8859-1": None,
    "ascii": None,
    "cp1252": None,
    "utf-16": None,
    "utf-16-le": None,
    "utf-16-be": None,
}


def _declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return _HTML_CHARSET_AS_READ.get(name, name)


def _collapse_space(s: str) -> str:
    """Collapse HTML source white space the way a browser renders it; a line
    break between two CJK characters disappears (CSS Text: segment breaks),
    since Chinese source text is wrapped without meaning a space."""
    return _HTML_SPACE.sub(" ", _CJK_SEGMENT_BREAK.sub("", s))


def _extract_html(data: bytes) -> str:
    markup = _clean_text(_decode(data, _declared_charset(data)))
    try:
        soup = BeautifulSoup(markup, "lxml")
        for tag in soup.find_all(_HTML_DROP):
            if tag.decomposed:  # inside an element already removed
                continue
            if tag.name in ("header", "footer") and tag.find_parent(("article", "main")):
                continue
            tag.decompose()
        for node in soup.find_all(string=True):
            # Comments, doctypes and the like are subclasses; get_text() skips them.
            if type(node) is NavigableString and not node.find_parent(("pre", "textarea")):
                node.replace_with(_collapse_space(node))
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for tag in soup.find_all(_HTML_BLOCKS):
            tag.insert_before("\n")
            tag.append("\n")
        for cell in soup.find_all(("td", "th")):
            cell.append("\t")  # keeps a table row's cells on one line
        text = soup.get_text()
    except Exception as e:  # lxml/bs4 failures on hostile markup are bad input, not bugs
        raise _Refused("HTML 无法解析") from e
    # One block per line: blank lines carry no meaning once markup is gone.
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------
# pdf


def _extract_pdf(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many published PDFs are encrypted only to restrict printing or
        # copying, with an empty open password: those read fine.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _Refused(_PDF_ENCRYPTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except _Refused:
        raise
    except DependencyError as e:
        # pypdf needs the `cryptography` package for AES, at decrypt() or only
        # once a stream is read; without it an AES-encrypted PDF stays closed.
        raise _Refused(_PDF_ENCRYPTED) from e
    except Exception as e:  # pypdf raises many kinds of errors on damaged files
        raise _Refused(_PDF_CORRUPT) from e
    text = "\n".join(page.strip("\n") for page in pages if page.strip())
    if not text:
        raise _Refused(_PDF_NO_TEXT)
    return text


# --------------------------------------------------------------------------
# docx


def _check_zip_bomb(archive: zipfile.ZipFile) -> None:
    """Refuse before extracting when the declared sizes are out of proportion.

    Python's zipfile never inflates a member beyond its declared size (and a
    lie fails the CRC check), so checking the declared sizes is enough.
    """
    def out_of_proportion(size: int, compressed: int) -> bool:
        return size > _DOCX_RATIO_MIN_SIZE and size > DOCX_MAX_RATIO * max(compressed, 1)

    members = archive.infolist()
    total = sum(info.file_size for info in members)
    if total > DOCX_MAX_UNCOMPRESSED or out_of_proportion(total, sum(info.compress_size for info in members)):
        raise _Refused(_DOCX_BOMB)
    # One bomb member can hide among incompressible ones (images) in the totals.
    if any(out_of_proportion(info.file_size, info.compress_size) for info in members):
        raise _Refused(_DOCX_BOMB)


def _docx_lines(container: etree._Element, parent: ProvidesStoryPart) -> Iterator[str]:
    """Lines of a body or table cell, in document order: one per paragraph;
    tables are expanded where they sit; content controls are looked into."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent).text
        elif child.tag == qn("w:tbl"):
            yield from _docx_table_lines(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_lines(content, parent)


def _docx_table_lines(table: Table) -> Iterator[str]:
    """A row of one-line cells becomes one tab-separated line, so a figure stays
    next to its label; a row with longer cells (layout tables) yields each
    cell's lines. A merged cell is read once, where it starts."""
    seen: set[etree._Element] = set()  # holding the elements keeps their identity stable
    for row in table.rows:
        cells: list[list[str]] = []
        for cell in row.cells:
            if cell._tc in seen:
                cells.append([])
                continue
            seen.add(cell._tc)
            text = "\n".join(_docx_lines(cell._tc, cell))
            cells.append([line for line in text.split("\n") if line.strip()])
        if all(len(lines) <= 1 for lines in cells):
            yield "\t".join(lines[0] if lines else "" for lines in cells).strip("\t")
        else:
            for lines in cells:
                yield from lines


def _extract_docx(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_bomb(archive)
        document = Document(io.BytesIO(data))
        lines = list(_docx_lines(document.element.body, document))
    except _Refused:
        raise
    except Exception as e:  # not a zip, not a Word package, or damaged XML
        raise _Refused(_DOCX_INVALID) from e
    return "\n".join(line for line in lines if line.strip())


_EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "txt": _decode,
    "md": _decode,
    "html": _extract_html,
    "pdf": _extract_pdf,
    "docx": _extract_docx,
}
