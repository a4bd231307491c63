"""The scale-out path: every command against a real Chroma server (`chroma run`) through `GOVQA_CHROMA_URL`.

One server per module, started from the installed chromadb on 127.0.0.1 and a free port, and
stopped at the end. The commands run as real `govqa` processes, so each one rebuilds its lexical
index from the server's contents: what one process ingests, the next one finds.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO, REPORTS

CHROMA = Path(sys.executable).with_name("chroma")
XINXIANG = REPORTS / "002_6329ad5c93bd51e8.txt"  # 新乡, 20 passages
ZHENGZHOU = REPORTS / "000_4d00116238fd789a.txt"  # 郑州 2020
XINXIANG_QUESTION = "新乡这份报告对高标准农田是怎么安排的？"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server on a free port with an empty database; yields its URL."""
    if not CHROMA.exists():
        pytest.fail(f"the chroma CLI is not installed beside {sys.executable}")
    folder = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([str(CHROMA), "run", "--path", str(folder / "db"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start: {(folder / 'server.log').read_text()[-500:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def govqa(*args: str, url: str, store: Path) -> subprocess.CompletedProcess:
    """Run the real `govqa` command with GOVQA_CHROMA_URL set (and a local store folder that must stay unused)."""
    env = {**os.environ, "CI": "1", "GOVQA_CHROMA_URL": url, "GOVQA_STORE": str(store)}
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=900)


def _documents(url: str, store: Path) -> list[str]:
    listed = govqa("docs", "--json", url=url, store=store)
    assert listed.returncode == 0, listed.stderr
    return [d["name"] for d in json.loads(listed.stdout)]


@pytest.mark.slow
def test_parallel_ingest_workers_then_ask_and_remove_against_the_server(server: str, tmp_path: Path) -> None:
    store = tmp_path / "local-store"
    env = {**os.environ, "CI": "1", "GOVQA_CHROMA_URL": server, "GOVQA_STORE": str(store)}
    workers = [subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(path)], cwd=REPO, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for path in (XINXIANG, ZHENGZHOU)]
    for worker in workers:
        out, err = worker.communicate(timeout=900)
        assert worker.returncode == 0, err
        assert out.startswith("已添加"), out

    # Another process sees both reports, whole: every chunk of each, nothing else.
    assert _documents(server, store) == [ZHENGZHOU.name, XINXIANG.name]
    from vectorstore.chroma_store import ChromaStore

    remote = ChromaStore.open(None, server)
    documents = remote.documents()
    assert remote.count_chunks() == sum(d.n_chunks for d in documents)
    for doc in documents:
        text = remote.document_text(doc.name)
        assert all(c.text == text[c.start:c.end] for c in remote.chunks() if c.doc_id == doc.doc_id)

    asked = govqa("ask", XINXIANG_QUESTION, "--json", url=server, store=store)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["refused"] and "高标准农田" in answer["answer"]
    assert answer["citations"] and {c["doc"] for c in answer["citations"]} == {XINXIANG.name}
    assert len(answer["retrieved"]) >= 10

    again = govqa("ingest", str(XINXIANG), url=server, store=store)
    assert again.returncode == 0 and again.stdout.startswith("未变化"), again.stdout + again.stderr

    removed = govqa("docs", "remove", XINXIANG.name, url=server, store=store)
    assert removed.returncode == 0 and removed.stdout.startswith("已删除"), removed.stderr
    assert _documents(server, store) == [ZHENGZHOU.name]
    asked = govqa("ask", XINXIANG_QUESTION, "--json", url=server, store=store)
    assert asked.returncode == 0, asked.stderr
    assert all(p["doc"] == ZHENGZHOU.name for p in json.loads(asked.stdout)["retrieved"])

    assert govqa("docs", "remove", ZHENGZHOU.name, url=server, store=store).returncode == 0
    empty = govqa("ask", XINXIANG_QUESTION, url=server, store=store)
    assert empty.returncode == 2 and "govqa ingest" in empty.stderr
    assert remote.count_chunks() == 0
    assert not store.exists(), "with a server, the local store folder must stay unused"


@pytest.mark.slow
def test_another_workers_report_in_flight_survives_an_ingest(server: str, tmp_path: Path) -> None:
    """An ingest collects orphans before it starts; on a server a young orphan is another worker's report mid-write."""
    from rag.ingest import prepare_report
    from rag.load import load_report
    from vectorstore.chroma_store import ChromaStore

    remote = ChromaStore.open(None, server)
    in_flight = prepare_report(load_report(REPORTS / "004_17e2f0721c0fe5d2.txt")).chunks[:3]
    vectors = np.random.default_rng(0).standard_normal((3, 384)).astype(np.float32)
    remote.write_chunks(in_flight, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    done = govqa("ingest", str(XINXIANG), url=server, store=tmp_path / "local-store")
    assert done.returncode == 0, done.stderr
    assert remote.count_chunks() == remote.document(XINXIANG.name).n_chunks + 3
    assert remote.collect_garbage(min_age_s=0) == 3
    assert remote.remove_document(XINXIANG.name) and remote.count_chunks() == 0


def test_a_server_that_does_not_answer_is_one_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    result = govqa("docs", url=f"http://127.0.0.1:{_free_port()}", store=tmp_path / "store")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "无法连接 Chroma 服务器" in result.stderr
    assert "Traceback" not in result.stderr
