"""The store through the real `govqa` command (issue 14): writers that cannot hurt each other, reports with
the same base name, and damaged, read-only, missing or full stores answered in one line.

Most tests work on a copy of one store ingested once per module (two sample reports filed as
`2020/报告.txt` and `2024/报告.txt`). Read-only and full-disk stores are real: a read-only bind mount
and a small tmpfs when running as root (root ignores permission bits), else `chmod -R a-w`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CORPUS_NATIONAL, REPO, REPORTS
from vectorstore.store_lock import WriterLock

GOVQA = [sys.executable, "-m", "ui.cli"]
HUIJI = REPORTS / "001_bbc2bd414da68544.txt"  # 惠济区, 2024
XINXIANG = REPORTS / "002_6329ad5c93bd51e8.txt"  # 新乡, no year
XINXIANG_QUESTION = "新乡计划打造几条百亿级农业产业链？"
NATIONAL = CORPUS_NATIONAL


def govqa(*args: str, store: Path, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVQA, *args, "--store", str(store)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "CI": "1", **env}, timeout=timeout)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed command printed on stderr (and that it printed nothing else)."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    return lines[0]


def listing(store: Path) -> dict[str, dict]:
    result = govqa("docs", "--json", store=store)
    assert result.returncode == 0, result.stderr
    return {d["name"]: d for d in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def same_names(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding two different reports both called 报告.txt, in 2020/ and 2024/."""
    folder = tmp_path_factory.mktemp("same-names")
    for year, source in (("2020", HUIJI), ("2024", XINXIANG)):
        (folder / year).mkdir()
        shutil.copy(source, folder / year / "报告.txt")
    return folder


@pytest.fixture(scope="module")
def library(same_names: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("library") / "store"
    result = govqa("ingest", str(same_names), store=store)
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["已添加", "2020/报告.txt"], ["已添加", "2024/报告.txt"]]
    return store


@pytest.fixture()
def store_copy(library: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(library, copy)
    return copy


@contextmanager
def read_only_view(store: Path) -> Iterator[Path]:
    """`store` as a process sees a store it cannot write: a read-only bind mount as root, else chmod."""
    if os.geteuid() != 0:
        subprocess.run(["chmod", "-R", "a-w", str(store)], check=True)
        try:
            yield store
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(store)], check=True)
        return
    view = store.with_name("read-only-view")
    view.mkdir()
    subprocess.run(["mount", "--bind", str(store), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        yield view
    finally:
        subprocess.run(["umount", str(view)], check=True)


@pytest.mark.slow
def test_reports_with_the_same_base_name_are_both_kept_each_with_its_own_metadata(library: Path) -> None:
    docs = listing(library)
    assert set(docs) == {"2020/报告.txt", "2024/报告.txt"}
    assert (docs["2020/报告.txt"]["region"], docs["2020/报告.txt"]["year"]) == ("惠济区", 2024)
    # The excerpt states no year: its folder's name gives it, labelled as such.
    assert (docs["2024/报告.txt"]["region"], docs["2024/报告.txt"]["year"]) == ("新乡市", 2024)
    assert docs["2024/报告.txt"]["year_basis"].startswith("文件名")
    assert docs["2024/报告.txt"]["speaker"] != docs["2020/报告.txt"]["speaker"] or docs["2024/报告.txt"]["speaker"] is None
    answer = json.loads(govqa("ask", XINXIANG_QUESTION, "--json", store=library).stdout)
    assert answer["citations"] and answer["citations"][0]["doc"] == "2024/报告.txt"


@pytest.mark.slow
def test_two_ingests_at_once_lose_no_passage(tmp_path: Path) -> None:
    """Issue 14's first case, three times over: two `govqa ingest` processes started together on one store."""
    store = tmp_path / "store"
    sources = sorted(NATIONAL.glob("*.txt"))[-12:]
    names: set[str] = set()
    for round_no in range(3):
        folders = []
        for side in ("a", "b"):
            folder = tmp_path / f"round{round_no}{side}"
            folder.mkdir()
            for source in sources[round_no * 4 + (side == "b") * 2:][:2]:
                (folder / source.name).write_text(source.read_text(encoding="utf-8")[:2500], encoding="utf-8")
                names.add(source.name)
            folders.append(folder)
        running = [subprocess.Popen([*GOVQA, "ingest", str(f), "--store", str(store)], cwd=REPO, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "CI": "1"})
                   for f in folders]
        for process in running:
            out, err = process.communicate(timeout=600)
            assert process.returncode == 0, err
            assert out.count("已添加") == 2, out
    check = govqa("docs", "--check", store=store)
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr
    assert "完好" in check.stderr
    assert set(listing(store)) == names


def test_a_second_writer_waits_saying_so_then_refuses_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with WriterLock(store):
        result = govqa("ingest", str(XINXIANG), store=store, GOVQA_LOCK_TIMEOUT="1")
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and len(lines) == 2, result.stderr
    assert lines[0] == f"另一个写入进程（pid {os.getpid()}）正在写入资料库，等待…"
    assert "仍被另一个写入进程" in lines[1] and str(store) in lines[1]


@pytest.mark.slow
def test_a_read_only_store_answers_and_lists(store_copy: Path) -> None:
    with read_only_view(store_copy) as view:
        answer = govqa("ask", XINXIANG_QUESTION, "--json", store=view)
        assert answer.returncode == 0, answer.stderr
        assert json.loads(answer.stdout)["citations"][0]["doc"] == "2024/报告.txt"
        assert set(listing(view)) == {"2020/报告.txt", "2024/报告.txt"}
        assert govqa("docs", "--check", store=view).returncode == 0
        refused = one_line(govqa("ingest", str(REPORTS / "000_4d00116238fd789a.txt"), store=view))
        assert "只读" in refused and str(view) in refused


@pytest.mark.slow
def test_a_deleted_sqlite_file_is_named_in_one_line_and_not_recreated(store_copy: Path) -> None:
    database = store_copy / "chroma" / "chroma.sqlite3"
    database.unlink()
    for args in (("ask", XINXIANG_QUESTION), ("docs",), ("docs", "--check"), ("ingest", str(XINXIANG))):
        line = one_line(govqa(*args, store=store_copy))
        assert "缺少 chroma.sqlite3" in line and str(store_copy) in line, args
    assert not database.exists()


@pytest.mark.slow
def test_a_corrupt_sqlite_file_is_named_in_one_line_and_left_untouched(store_copy: Path) -> None:
    database = store_copy / "chroma" / "chroma.sqlite3"
    with database.open("r+b") as f:
        f.seek(database.stat().st_size // 2)
        f.write(b"\xff" * 65536)
    damaged = database.read_bytes()
    for args in (("ask", XINXIANG_QUESTION), ("docs",), ("ingest", str(XINXIANG))):
        line = one_line(govqa(*args, store=store_copy))
        assert "已损坏" in line and str(store_copy) in line, args
    assert database.read_bytes() == damaged


@pytest.mark.slow
def test_a_full_disk_fails_the_ingest_in_one_line_and_the_store_stays_readable(library: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.fail("a full disk is tested on a small tmpfs, which needs root to mount")
    disk = tmp_path / "disk"
    disk.mkdir()
    used = sum(p.stat().st_size for p in library.rglob("*") if p.is_file())
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={used + 2 * 1024 * 1024}", "tmpfs", str(disk)], check=True)
    try:
        store = disk / "store"
        shutil.copytree(library, store)
        with (disk / "filler").open("wb") as filler:  # leave no byte free
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        line = one_line(govqa("ingest", str(REPORTS / "003_18bb18e33f05a5d4.txt"), store=store))
        assert "磁盘空间不足" in line and str(store) in line
        assert set(listing(store)) == {"2020/报告.txt", "2024/报告.txt"}
        answer = govqa("ask", XINXIANG_QUESTION, "--json", store=store)
        assert answer.returncode == 0, answer.stderr
        assert json.loads(answer.stdout)["citations"][0]["doc"] == "2024/报告.txt"
        (disk / "filler").unlink()
        assert govqa("docs", "--check", store=store).returncode == 0
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_mistyped_store_is_an_error_for_ask_and_docs_and_creates_nothing(tmp_path: Path) -> None:
    typo = tmp_path / "stroe"
    for args in (("ask", XINXIANG_QUESTION), ("docs",), ("docs", "--check")):
        line = one_line(govqa(*args, store=typo))
        assert "资料库不存在" in line and str(typo) in line
    assert not typo.exists()


@pytest.mark.slow
def test_a_report_short_of_passages_is_flagged_and_repaired_by_ingest(store_copy: Path, same_names: Path) -> None:
    from vectorstore.chroma_store import ChromaStore

    store = ChromaStore.open(store_copy)
    victim = store.document("2024/报告.txt")
    store._chunks.delete(ids=[c.chunk_id for c in store.chunks() if c.doc_id == victim.doc_id][:5])
    check = govqa("docs", "--check", store=store_copy)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [f"不完整\t2024/报告.txt\t记录 {victim.n_chunks} 段，资料库中只有 "
                                         f"{victim.n_chunks - 5} 段：重新导入该报告即可修复"]
    rerun = govqa("ingest", str(same_names), store=store_copy)
    assert rerun.returncode == 0, rerun.stderr
    statuses = dict(line.split("\t")[1::-1] for line in rerun.stdout.splitlines())
    assert statuses == {"2020/报告.txt": "未变化", "2024/报告.txt": "已修复"}
    assert govqa("docs", "--check", store=store_copy).returncode == 0


@pytest.mark.slow
def test_a_near_copy_under_a_new_name_is_added_with_a_warning(store_copy: Path, tmp_path: Path) -> None:
    text = XINXIANG.read_text(encoding="utf-8")
    edited = tmp_path / "新乡-修订.txt"
    edited.write_text(text[:300] + "新" + text[301:], encoding="utf-8")
    result = govqa("ingest", str(edited), store=store_copy)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("已添加\t新乡-修订.txt\t") and "与 2024/报告.txt 几乎相同" in line


@pytest.mark.slow
def test_the_app_sees_a_report_another_process_added_without_a_restart(store_copy: Path) -> None:
    from rag.chain import QAService
    from rag.settings import Settings
    from ui.app import ChatApp

    app = ChatApp(QAService.open(Settings.from_env(store_copy)))
    assert "000_4d00116238fd789a.txt" not in app.library(None, None, None, None)[0]
    added = govqa("ingest", str(REPORTS / "000_4d00116238fd789a.txt"), store=store_copy)
    assert added.returncode == 0, added.stderr
    assert "000_4d00116238fd789a.txt" in app.library(None, None, None, None)[0]
    answer = app.service.ask("郑州2020年给新生儿免费做的遗传代谢病筛查覆盖多少种病？")
    assert "35种" in answer.answer
