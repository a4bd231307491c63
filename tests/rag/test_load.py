"""Tests for rag.load: every format loads, every bad input is refused with its reason."""

from __future__ import annotations

import codecs
import io
import pickle
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import DependencyError
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from rag import load
from rag.load import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    LoadedReport,
    LoadError,
    iter_report_paths,
    load_report,
    load_report_bytes,
)

from tests.conftest import CORPUS_NATIONAL

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"

# How each bundled sample report begins.
SAMPLE_STARTS = {
    "000_4d00116238fd789a.txt": "今年郑州怎么干重点抓好10大工作",
    "001_bbc2bd414da68544.txt": "政 府 工 作 报 告\n——2024年1月22日在郑州市惠济区",
    "002_6329ad5c93bd51e8.txt": "政府工作报告\n发布时间: 信息来源:\n(上接第二版)",
    "003_18bb18e33f05a5d4.txt": "更多数据尽在数据皮皮侠",
    "004_17e2f0721c0fe5d2.txt": "政 府 工 作 报 告\n——2020年5月24日在郑州市金水区",
}

# What no loaded text may contain: control characters other than \n and \t.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\r\ufeff]")

CHINESE = "地区生产总值增长6.5%左右，居民人均可支配收入增长7%。"


def refusal(name: str, data: bytes, **kwargs: int) -> str:
    """The reason load_report_bytes refuses `data` for."""
    with pytest.raises(LoadError) as info:
        load_report_bytes(name, data, **kwargs)
    assert info.value.name == name
    assert str(info.value) == f"{name}: {info.value.reason}"
    return info.value.reason


def assert_clean(report: LoadedReport) -> None:
    assert not FORBIDDEN.search(report.text)


# --------------------------------------------------------------------------
# builders of real files


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with each page's lines in reportlab's built-in CID font STSong-Light."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 750 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4: pypdf encrypts and decrypts it without the optional `cryptography` package.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(document: DocxDocument) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_docx() -> bytes:
    """Paragraphs, a table in the middle (with a merged cell), more paragraphs."""
    doc = Document()
    doc.add_paragraph("政府工作报告")
    doc.add_paragraph("一、2023年工作回顾")
    doc.add_paragraph("")  # spacing paragraphs are dropped
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "增速"
    table.cell(1, 0).text = "地区生产总值"
    table.cell(1, 1).text = "6.5%"
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "注：按可比价格计算"
    doc.add_paragraph("二、2024年工作安排")
    return docx_bytes(doc)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# --------------------------------------------------------------------------
# the bundled samples and text encodings


@pytest.mark.parametrize("name", sorted(SAMPLE_STARTS))
def test_sample_reports_load(name: str) -> None:
    report = load_report(REPORTS / name)
    assert report == LoadedReport(name=name, text=report.text, source_format="txt")
    assert report.text.startswith(SAMPLE_STARTS[name])
    # The samples are clean UTF-8 with \n line breaks: loading changes nothing.
    assert report.text == (REPORTS / name).read_text(encoding="utf-8")


def test_every_sample_is_covered() -> None:
    assert sorted(p.name for p in REPORTS.iterdir()) == sorted(SAMPLE_STARTS)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("gb18030"),
        lambda t: t.encode("gbk"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["gb18030", "gbk", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "crlf"],
)
def test_encodings_give_the_utf8_text(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    original = REPORTS / "001_bbc2bd414da68544.txt"
    text = original.read_text(encoding="utf-8")
    copy = tmp_path / original.name
    copy.write_bytes(encode(text))
    assert load_report(copy).text == text


def test_markdown_loads(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text("# 政府工作报告\n\n## 一、工作回顾\n" + CHINESE, encoding="utf-8")
    report = load_report(path)
    assert report.source_format == "md"
    assert report.text.startswith("# 政府工作报告\n\n## 一、")


def test_line_breaks_and_control_characters_are_normalised() -> None:
    data = "第一行\r\n第二行\r第三行\u2028第四行\f第五\x07行\x1b\t尾\ufeff".encode("utf-8")
    report = load_report_bytes("a.txt", data)
    assert report.text == "第一行\n第二行\n第三行\n第四行\n第五行\t尾"


def test_utf8_cut_mid_character_keeps_the_text() -> None:
    text = "政府工作报告。" * 200
    report = load_report_bytes("cut.txt", text.encode("utf-8")[:-1])
    assert report.text.startswith("政府工作报告。政府")
    assert report.text.endswith("\ufffd")


# --------------------------------------------------------------------------
# html

HTML = """<!DOCTYPE html>
<html><head><meta charset="gb2312"><title>2024年政府工作报告_郑州市人民政府</title>
<style>p { color: red; }</style><script>var tracker = "不要这个";</script></head>
<body>
<header>网站首页 | 政务公开</header>
<nav><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></nav>
<article>
  <header><h1>政府工作报告</h1></header>
  <p>各位代表：<br>现在，我代表市人民政府，
  向大会报告工作。</p>
  <div>一、2023年工作回顾</div>
  <table><tr><td>地区生产总值</td><td>增长6.5%</td></tr></table>
  <ul><li>稳增长</li><li>促改革</li></ul>
  <!-- 注释不要 -->
  <noscript>请启用脚本</noscript>
</article>
<footer>版权所有 郑州市人民政府</footer>
<script>document.write("也不要")</script>
</body></html>
"""

HTML_TEXT = (
    "2024年政府工作报告_郑州市人民政府\n"
    "政府工作报告\n"
    "各位代表：\n"
    "现在，我代表市人民政府，向大会报告工作。\n"
    "一、2023年工作回顾\n"
    "地区生产总值\t增长6.5%\n"
    "稳增长\n"
    "促改革"
)


def test_html_is_reduced_to_its_text() -> None:
    # Encoded as the page declares (gb2312 → read as GB18030).
    report = load_report_bytes("report.html", HTML.encode("gb18030"))
    assert report.source_format == "html"
    assert report.text == HTML_TEXT
    assert_clean(report)


def test_htm_and_utf8_html(tmp_path: Path) -> None:
    path = tmp_path / "report.htm"
    path.write_bytes(HTML.replace('charset="gb2312"', 'charset="utf-8"').encode("utf-8"))
    report = load_report(path)
    assert (report.source_format, report.text) == ("html", HTML_TEXT)


def test_html_without_charset_is_detected() -> None:
    page = "<html><body><p>各位代表：</p><p>" + CHINESE + "</p></body></html>"
    report = load_report_bytes("a.html", page.encode("gbk"))
    assert report.text == "各位代表：\n" + CHINESE


@pytest.mark.parametrize(
    ("label", "encoding"),
    [
        ("iso-8859-1", "utf-8"),
        ("iso-8859-1", "gbk"),
        ("windows-1252", "gbk"),
        ("utf-8", "gbk"),
        ("utf-16", "gbk"),
        ("no-such-charset", "gbk"),
    ],
)
def test_html_with_a_wrong_charset_label_still_reads(label: str, encoding: str) -> None:
    page = f'<meta charset="{label}"><p>' + CHINESE + "</p>"
    assert load_report_bytes("a.html", page.encode(encoding)).text == CHINESE


def test_html_pre_keeps_its_lines() -> None:
    page = "<body><pre>第一行\n  第二行</pre></body>"
    assert load_report_bytes("a.html", page.encode("utf-8")).text == "第一行\n第二行"


# --------------------------------------------------------------------------
# docx


def test_docx_keeps_document_order_with_table_in_the_middle() -> None:
    report = load_report_bytes("report.docx", make_docx())
    assert report.source_format == "docx"
    assert report.text.split("\n") == [
        "政府工作报告",
        "一、2023年工作回顾",
        "指标\t增速",
        "地区生产总值\t6.5%",
        "注：按可比价格计算",  # a merged cell is read once
        "二、2024年工作安排",
    ]


def test_docx_layout_table_cells_give_one_line_per_paragraph() -> None:
    doc = Document()
    cell = doc.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "各位代表："
    cell.add_paragraph("现在，我代表区人民政府报告工作。")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "右栏"
    report = load_report_bytes("layout.docx", docx_bytes(doc))
    assert report.text == "各位代表：\n现在，我代表区人民政府报告工作。\n右栏"


def test_docx_content_controls_and_line_breaks() -> None:
    doc = Document()
    paragraph = doc.add_paragraph("第一行")
    paragraph.runs[0].add_break()
    paragraph.add_run("第二行")
    control = parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>内容控件里的段落</w:t></w:r></w:p>'
        "</w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(0, control)
    assert load_report_bytes("a.docx", docx_bytes(doc)).text == "内容控件里的段落\n第一行\n第二行"


# --------------------------------------------------------------------------
# pdf


def test_pdf_with_cid_font_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([["政府工作报告", CHINESE], ["“十四五”规划（2021—2025年）"]]))
    report = load_report(path)
    assert report.source_format == "pdf"
    assert report.text == f"政府工作报告\n{CHINESE}\n“十四五”规划（2021—2025年）"


def test_pdf_encrypted_only_against_changes_is_read() -> None:
    # An empty open password: viewers open it without asking, so do we.
    data = encrypt_pdf(make_pdf([["政府工作报告"]]), user_password="")
    assert load_report_bytes("a.pdf", data).text == "政府工作报告"


# --------------------------------------------------------------------------
# refusals


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_empty_file_is_refused(suffix: str) -> None:
    assert refusal("a" + suffix, b"") == "文件为空"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", b" \n\t\r\n "),
        ("a.md", "\u3000\n".encode("utf-8")),
        ("a.html", b"<html><head><script>var x = 1;</script></head><body> </body></html>"),
        ("a.docx", docx_bytes(Document())),
    ],
)
def test_nothing_but_white_space_is_empty(name: str, data: bytes) -> None:
    assert refusal(name, data) == "文件为空"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),  # NUL bytes, no UTF-16 BOM
        random.Random(0).randbytes(4000).replace(b"\x00", b"\x01"),  # no NUL, no encoding
        b"\x01\x02\x03\x04\x05\x06" * 100 + b"text",  # decodes, but all control characters
    ],
    ids=["png", "random", "controls"],
)
def test_binary_named_txt_is_refused(data: bytes) -> None:
    assert refusal("report.txt", data) == "不是文本文件（疑似二进制）"


def test_binary_named_html_is_refused() -> None:
    assert refusal("report.html", b"<html>\x00\x01\x02</html>") == "不是文本文件（疑似二进制）"


def test_truncated_pdf_is_refused() -> None:
    data = make_pdf([["政府工作报告", CHINESE]])
    assert refusal("a.pdf", data[: len(data) // 2]) == "PDF 文件损坏或无法解析"
    assert refusal("b.pdf", b"%PDF-1.4\n" + b"garbage " * 50) == "PDF 文件损坏或无法解析"


def test_encrypted_pdf_is_refused() -> None:
    data = encrypt_pdf(make_pdf([["政府工作报告"]]), user_password="secret")
    assert refusal("a.pdf", data) == "PDF 已加密，无法读取"


@pytest.mark.parametrize("step", ["decrypt", "extract_text"])
def test_pdf_whose_cipher_pypdf_cannot_run_is_refused_as_encrypted(
    monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    # AES needs the optional `cryptography` package; without it pypdf raises
    # DependencyError at decrypt() (AES-256) or only when reading (AES-128).
    def needs_cryptography(*args: object, **kwargs: object) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    owner = {"decrypt": PdfReader, "extract_text": PageObject}[step]
    monkeypatch.setattr(owner, step, needs_cryptography)
    data = encrypt_pdf(make_pdf([["政府工作报告"]]), user_password="")
    assert refusal("aes.pdf", data) == "PDF 已加密，无法读取"


def test_pdf_without_text_is_refused_as_scanned() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(72, 72, 400, 600, fill=1)  # a picture of a page, no text
    c.showPage()
    c.save()
    assert refusal("scan.pdf", buf.getvalue()) == "PDF 中没有可提取的文字（可能是扫描件）"


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", "政府工作报告".encode("utf-8"), zip_bytes({"a.txt": b"hello"})],
    ids=["bad-zip", "text", "zip-without-word-document"],
)
def test_docx_that_is_not_a_docx_is_refused(data: bytes) -> None:
    assert refusal("a.docx", data) == "不是有效的 docx 文件"


def test_zip_bomb_docx_is_refused_before_extraction() -> None:
    # 20 MB of zeros deflates to ~20 KB: a ratio around 1000.
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert refusal("bomb.docx", bomb) == "docx 解压后过大，疑似压缩炸弹"


def test_zip_bomb_hidden_among_incompressible_members_is_refused() -> None:
    members = {
        "word/media/image1.png": random.Random(2).randbytes(300_000),
        "word/document.xml": bytes(20 * 1024 * 1024),
    }
    assert refusal("bomb.docx", zip_bytes(members)) == "docx 解压后过大，疑似压缩炸弹"


def test_many_small_bomb_members_are_refused_by_the_total_ratio() -> None:
    members = {f"word/part{i}.xml": bytes(1024 * 1024) for i in range(3)}  # each at the size floor
    assert refusal("bomb.docx", zip_bytes(members)) == "docx 解压后过大，疑似压缩炸弹"


def test_docx_too_large_uncompressed_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stored (ratio 1) but over the total: the limit is lowered rather than writing 200 MB.
    monkeypatch.setattr(load, "DOCX_MAX_UNCOMPRESSED", 1024 * 1024)
    data = zip_bytes({"word/media/image1.png": random.Random(1).randbytes(1024 * 1024 + 1)})
    assert refusal("big.docx", data) == "docx 解压后过大，疑似压缩炸弹"


def test_docx_bomb_limits_leave_real_documents_alone() -> None:
    assert load.DOCX_MAX_UNCOMPRESSED == 200 * 1024 * 1024 and load.DOCX_MAX_RATIO == 100
    assert load_report_bytes("a.docx", make_docx()).text.startswith("政府工作报告")


def test_over_max_bytes_is_refused(tmp_path: Path) -> None:
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024
    data = ("政府工作报告" * 100).encode("utf-8")
    assert refusal("a.txt", data, max_bytes=1024) == "文件过大（0.0017 MB，上限 0.00098 MB）"
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(LoadError, match=r"文件过大（0\.0017 MB，上限 0\.00098 MB）"):
        load_report(path, max_bytes=1024)
    assert load_report(path, max_bytes=len(data)).text.startswith("政府工作报告")


def test_size_message_in_whole_megabytes() -> None:
    with pytest.raises(LoadError) as info:
        load_report_bytes("a.txt", b"x" * (3 * 1024 * 1024 + 200_000), max_bytes=2 * 1024 * 1024)
    assert info.value.reason == "文件过大（3.2 MB，上限 2 MB）"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("report.xyz", "不支持的文件类型 .xyz（支持 txt、md、html、pdf、docx）"),
        ("report.DOC", "不支持的文件类型 .doc（支持 txt、md、html、pdf、docx）"),
        ("report", "不支持的文件类型 （无扩展名）（支持 txt、md、html、pdf、docx）"),
    ],
)
def test_unsupported_suffix_is_refused(name: str, reason: str) -> None:
    assert refusal(name, b"some text") == reason


def test_suffix_is_case_insensitive() -> None:
    assert load_report_bytes("REPORT.TXT", "报告".encode("utf-8")).source_format == "txt"


@pytest.mark.parametrize(
    "name",
    ["../report.txt", "a/report.txt", "a\\report.txt", "..", ".", "", "  ", "re\nport.txt",
     "re\x00port.txt", "\udcffreport.txt", "长" * 90 + ".txt"],
)
def test_bad_names_are_refused(name: str) -> None:
    assert refusal(name, "报告".encode("utf-8")) == "文件名不合法"


def test_names_with_dots_inside_are_fine() -> None:
    assert load_report_bytes("2024..v2.txt", "报告".encode("utf-8")).name == "2024..v2.txt"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", make_pdf([["政府工作报告", CHINESE]] * 3)),
        ("a.docx", make_docx()),
        ("a.html", HTML.encode("gb18030")),
        ("a.txt", CHINESE.encode("gb18030")),
    ],
)
def test_damaged_files_never_raise_anything_but_load_error(name: str, data: bytes) -> None:
    rnd = random.Random(7)
    damaged = [data[:n] for n in range(1, len(data), max(1, len(data) // 25))]
    for _ in range(15):  # a few flipped bytes
        b = bytearray(data)
        for _ in range(5):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        damaged.append(bytes(b))
    for d in damaged:
        try:
            assert_clean(load_report_bytes(name, d))
        except LoadError:
            pass


def test_load_error_pickles() -> None:
    error = pickle.loads(pickle.dumps(LoadError("a.pdf", "PDF 已加密，无法读取")))
    assert (error.name, error.reason) == ("a.pdf", "PDF 已加密，无法读取")
    assert str(error) == "a.pdf: PDF 已加密，无法读取"


# --------------------------------------------------------------------------
# load_report and iter_report_paths on the file system


def test_load_report_names_the_path_in_refusals(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_report(tmp_path / "missing.txt")
    assert (info.value.name, info.value.reason) == (str(tmp_path / "missing.txt"), "路径不存在")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(LoadError, match="不是文件"):
        load_report(folder)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(LoadError) as info:
        load_report(bad)
    assert str(info.value) == f"{bad}: PDF 文件损坏或无法解析"


def test_iter_report_paths(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    for rel in [
        "b.txt", "a.pdf", "sub/c.docx", "sub/d.HTML", "notes.csv",
        ".hidden.txt", ".git/e.txt", "sub/~$c.docx", "README.md", "sub/LICENSE.txt",
    ]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    extra = tmp_path / "README.md"  # a folder's notes are left out of its walk, but load when named
    extra.write_bytes(b"x")
    unsupported = tmp_path / "table.xlsx"
    unsupported.write_bytes(b"x")

    found, errors = iter_report_paths(
        [root, extra, root / "b.txt", root / ".hidden.txt", tmp_path / "missing", unsupported]
    )
    assert found == [
        root / "a.pdf", root / "b.txt", root / "sub" / "c.docx", root / "sub" / "d.HTML",
        extra,
        root / ".hidden.txt",  # named explicitly; b.txt is not listed twice
    ]
    assert [(e.name, e.reason) for e in errors] == [
        (str(tmp_path / "missing"), "路径不存在"),
        (str(unsupported), "不支持的文件类型 .xlsx（支持 txt、md、html、pdf、docx）"),
    ]


def test_iter_report_paths_on_the_samples() -> None:
    found, errors = iter_report_paths([REPORTS])
    assert [p.name for p in found] == sorted(SAMPLE_STARTS) and errors == []


def test_a_collections_readme_is_not_walked_into_the_library() -> None:
    found, errors = iter_report_paths([CORPUS_NATIONAL])
    assert (CORPUS_NATIONAL / "README.md").is_file() and errors == []
    assert len(found) == 52 and all(p.name.endswith("_国务院.txt") for p in found)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_not_refused_as_binary(encoding: str) -> None:
    made_up = "某县2024年政府工作报告\n一、2023年工作回顾\n地区生产总值完成126.5亿元，增长6.2%。\n"
    assert load_report_bytes("made-up.txt", made_up.encode(encoding)).text == made_up
    for original in (REPORTS / "001_bbc2bd414da68544.txt", *sorted(CORPUS_NATIONAL.glob("*.txt"))[-3:]):
        as_utf8 = load_report_bytes(original.name, original.read_bytes()).text
        assert load_report_bytes(original.name, original.read_text(encoding="utf-8").encode(encoding)).text == as_utf8


def test_utf16_without_a_bom_cut_short_keeps_the_text() -> None:
    text = "政府工作报告。2024年\n" * 50
    assert load_report_bytes("cut.txt", text.encode("utf-16-le")[:-1]).text == text[:-1]


def test_binary_with_nul_bytes_is_still_refused_in_either_byte_order() -> None:
    data = bytes(range(256)) * 8 + random.Random(1).randbytes(2000)
    assert refusal("a.txt", data) == "不是文本文件（疑似二进制）"
    assert refusal("b.txt", b"\x00" + data) == "不是文本文件（疑似二进制）"
