"""A .zip of reports read in memory: relative names for nested folders, unsafe paths, bombs and limits refused."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from rag.archive import MAX_RATIO, ReportArchive
from rag.load import LoadError


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _listing(data: bytes, max_bytes: int = 1024 * 1024) -> list[tuple[str, str, str | None]]:
    with ReportArchive.open("包.zip", data, max_bytes) as archive:
        return [(m.name, m.path, m.refusal) for m in archive.members]


def test_nested_folders_become_the_report_name_and_members_read_back() -> None:
    data = _zip({"河南省/2023年/报告.txt": "正文".encode(), "说明.xls": b"x", "空文件夹/": b""})
    with ReportArchive.open("包.zip", data) as archive:
        names = [(m.name, m.path) for m in archive.members]
        assert names == [("河南省_2023年_报告.txt", "河南省/2023年/报告.txt"), ("说明.xls", "说明.xls")]
        assert archive.read(archive.members[0]) == "正文".encode()


def test_a_path_that_climbs_out_or_is_absolute_is_refused() -> None:
    listing = _listing(_zip({"../../etc/passwd.txt": b"a", "/abs/r.txt": b"b", "a/./b/../../c.txt": b"c",
                             "C:/r.txt": b"d", "ok/r.txt": b"e"}))
    assert [refusal is not None for _, _, refusal in listing] == [True, True, True, True, False]
    assert all("路径不安全" in r for _, _, r in listing[:4] if r)
    with ReportArchive.open("包.zip", _zip({"../x.txt": b"a"})) as archive:
        with pytest.raises(LoadError, match="路径不安全"):
            archive.read(archive.members[0])


def test_hidden_files_mac_forks_and_office_lock_files_are_skipped() -> None:
    listing = _listing(_zip({".DS_Store": b"x", "__MACOSX/._r.txt": b"x", "a/.git/config.txt": b"x",
                             "~$报告.docx": b"x", "r.txt": b"x"}))
    assert [name for name, _, _ in listing] == ["r.txt"]


def test_names_from_chinese_windows_zips_are_read_as_gbk() -> None:
    gbk = "河南/报告.txt".encode("gbk")
    placeholder = b"n" * len(gbk)
    # An ASCII name gets no UTF-8 flag; swapping its bytes for GBK ones gives what Chinese Windows writes.
    data = _zip({placeholder.decode(): "正文".encode()}, zipfile.ZIP_STORED).replace(placeholder, gbk)
    assert _listing(data)[0][:2] == ("河南_报告.txt", "河南/报告.txt")


def test_too_big_bombs_duplicates_and_encrypted_members_are_refused_one_by_one() -> None:
    bomb = b"\0" * (2 * 1024 * 1024)  # 2 MB of zeros deflate over MAX_RATIO times
    data = _zip({"big.txt": b"x" * 2048, "bomb.txt": bomb, "a/b.txt": b"1", "a_b.txt": b"2", "fine.txt": b"3"})
    listing = {name: refusal for name, _, refusal in _listing(data, max_bytes=4 * 1024 * 1024)}
    assert listing["bomb.txt"] and "压缩炸弹" in listing["bomb.txt"] and MAX_RATIO == 100
    assert listing["a_b.txt"] and "同名" in listing["a_b.txt"] and listing["a_b.txt"].count("a/b.txt") == 1
    assert listing["fine.txt"] is None and listing["big.txt"] is None
    small = {name: refusal for name, _, refusal in _listing(data, max_bytes=1024)}
    assert small["big.txt"] and "文件过大" in small["big.txt"]

    encrypted = bytearray(_zip({"secret.txt": b"x"}, zipfile.ZIP_STORED))
    for header, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = encrypted.index(header) + flag_at
        encrypted[at] |= 0x1
    assert "加密" in (_listing(bytes(encrypted))[0][2] or "")


def test_a_member_whose_header_lies_about_its_size_is_refused_as_damaged() -> None:
    data = bytearray(_zip({"r.txt": b"y" * 5000}, zipfile.ZIP_STORED))
    # Declare 100 bytes in the central directory: the listing trusts it, the read does not.
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    with ReportArchive.open("包.zip", bytes(data), max_bytes=1000) as archive:
        with pytest.raises(LoadError) as refused:
            archive.read(archive.members[0])
    assert refused.value.reason == "压缩包中的这个文件已损坏" and refused.value.name == "r.txt"


def test_not_a_zip_and_an_empty_one(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="不是有效的 zip 文件"):
        ReportArchive.open("坏.zip", b"not a zip at all")
    path = tmp_path / "空.zip"
    path.write_bytes(_zip({}))
    with ReportArchive.open("空.zip", path) as archive:
        assert archive.members == []
