"""Reports packed in a .zip: listed and read in memory, never extracted to disk.

A zip of reports is how a library of many reports travels. Each member becomes one report
named by its path inside the archive with the folders joined by "_" ("河南省/2023年.txt" →
"河南省_2023年.txt"): a report's name is a plain file name everywhere else (rag/load.py),
and the folders often carry the place or the year. Nothing is written to disk, so a member
named "../../etc/passwd" could do no harm; it is refused all the same, as an archive made to
attack is not a library.

Limits, like rag/load.py's for docx: each member no larger than the upload limit, no member
inflating more than `MAX_RATIO` times (a zip bomb), at most `MAX_MEMBERS` members and
`MAX_UNCOMPRESSED` bytes in all. Hidden files, macOS resource forks (`__MACOSX/`) and Office
lock files ("~$报告.docx") are skipped, as in a folder. Members are read one at a time.

Example:
    >>> import io, zipfile
    >>> packed = io.BytesIO()
    >>> with zipfile.ZipFile(packed, "w") as z:
    ...     z.writestr("河南省/2023年.txt", "……"); z.writestr("../说明.txt", "")
    >>> with ReportArchive.open("reports.zip", packed.getvalue()) as archive:
    ...     [(m.name, m.refusal) for m in archive.members]
    [('河南省_2023年.txt', None), ('../说明.txt', '压缩包中的路径不安全（绝对路径或含 ..）')]
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rag.load import DEFAULT_MAX_BYTES, LoadError

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
# Chinese text deflates 2-5×, PDFs hardly at all; 100× is a bomb. Small members (a few blank
# lines) may inflate more and cannot do harm, so the ratio counts only above this size.
MAX_RATIO = 100
_RATIO_MIN_SIZE = 1024 * 1024
# General purpose flag bits: the member is encrypted; its name is UTF-8 (else cp437 or, from
# Chinese Windows, GBK).
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800

_NOT_ZIP = "不是有效的 zip 文件"
_TOO_MANY = f"压缩包中的文件超过 {MAX_MEMBERS} 个"
_TOO_LARGE = "压缩包解压后过大（超过 2 GB）"
_UNSAFE = "压缩包中的路径不安全（绝对路径或含 ..）"
_ENCRYPTED_MEMBER = "文件已加密，无法读取"
_BOMB = "解压后过大，疑似压缩炸弹"
_DAMAGED = "压缩包中的这个文件已损坏"


@dataclass(frozen=True)
class ArchiveMember:
    """One file of an archive: its report name, its path inside the archive, and why it is refused (if it is)."""

    name: str
    path: str
    refusal: str | None = None
    info: zipfile.ZipInfo | None = None


def _member_path(info: zipfile.ZipInfo) -> str:
    """The member's path as its author wrote it: names without the UTF-8 flag are GBK on Chinese systems."""
    if info.flag_bits & _UTF8_NAME:
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile decoded the raw bytes as cp437
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return info.filename


def _parts(path: str) -> list[str] | None:
    """The folders and name of a member path, or None when it is absolute or climbs out (..)."""
    unified = path.replace("\\", "/")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if unified.startswith("/") or (parts and len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        return None
    return parts


def _skipped(parts: list[str]) -> bool:
    """Files a folder holds but nobody packed as a report: hidden ones, macOS forks, Office lock files."""
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or parts[-1].startswith("~$")


def _out_of_proportion(info: zipfile.ZipInfo) -> bool:
    return info.file_size > _RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1)


class ReportArchive:
    """An open .zip of reports: `members` lists what it holds, `read` gives one member's bytes."""

    def __init__(self, name: str, archive: zipfile.ZipFile, members: list[ArchiveMember],
                 max_bytes: int) -> None:
        self.name = name
        self.members = members
        self._archive = archive
        self._max_bytes = max_bytes

    @classmethod
    def open(cls, name: str, source: bytes | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> "ReportArchive":
        """Open the archive `name` from its bytes or its path; LoadError when it is no zip or too big as a whole."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
            raise LoadError(name, _NOT_ZIP) from err
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            archive.close()
            raise LoadError(name, _TOO_MANY if len(infos) > MAX_MEMBERS else _TOO_LARGE)
        return cls(name, archive, _list_members(infos, max_bytes), max_bytes)

    def read(self, member: ArchiveMember) -> bytes:
        """The bytes of a member `members` lists without a refusal; LoadError (by its path) when it cannot be read."""
        if member.refusal is not None or member.info is None:
            raise LoadError(member.path, member.refusal or _DAMAGED)
        try:
            with self._archive.open(member.info) as stream:
                data = stream.read(self._max_bytes + 1)  # never more than the limit, whatever the header says
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as err:
            raise LoadError(member.path, _DAMAGED) from err
        if len(data) > self._max_bytes:
            raise LoadError(member.path, _too_big(self._max_bytes))
        return data

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> "ReportArchive":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _too_big(max_bytes: int) -> str:
    return f"文件过大（上限 {max_bytes / (1024 * 1024):.3g} MB）"


def _list_members(infos: list[zipfile.ZipInfo], max_bytes: int) -> list[ArchiveMember]:
    """The members to read, each with its report name, or the reason it will not be read."""
    members: list[ArchiveMember] = []
    names: dict[str, str] = {}
    for info in infos:
        path = _member_path(info)
        parts = _parts(path)
        if parts is None:
            members.append(ArchiveMember(path, path, _UNSAFE))
            continue
        if not parts or _skipped(parts):
            continue
        name = "_".join(parts)
        refusal = None
        if info.flag_bits & _ENCRYPTED:
            refusal = _ENCRYPTED_MEMBER
        elif info.file_size > max_bytes:
            refusal = _too_big(max_bytes)
        elif _out_of_proportion(info):
            refusal = _BOMB
        elif name in names:
            refusal = f"与压缩包中的 {names[name]} 同名（文件夹以“_”连接后）"
        names.setdefault(name, path)
        members.append(ArchiveMember(name, path, refusal, None if refusal else info))
    return members
