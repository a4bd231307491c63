"""A crash mid-ingest (SIGKILL) leaves the store consistent and resumable.

The ingest runs as a real `govqa ingest` process and is killed at several moments after
its first report is committed — while later reports are being embedded or written. Each
time the store must open, hold only whole reports, answer as before, and a re-run must
finish the job. Every check opens the store in a fresh process: embedded Chroma caches its
index per process, so a process that had the store open would not see another's writes.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, REPORTS

pytestmark = pytest.mark.slow

QUESTION = "郑州2020年给新生儿免费做的遗传代谢病筛查覆盖多少种病？"  # answered by 000, the first report

_CHECK = """
import json, sys
from pathlib import Path
from rag.chain import QAService
from rag.settings import Settings
service = QAService.open(Settings.from_env(Path(sys.argv[1])))
docs = service.store.documents()
visible = service.store.chunks()
whole = True
for doc in docs:
    own = [c for c in visible if c.doc_id == doc.doc_id]
    text = service.store.document_text(doc.name)
    whole &= len(own) == doc.n_chunks and [c.index for c in own] == list(range(doc.n_chunks))
    whole &= all(c.text == text[c.start:c.end] for c in own)
whole &= {c.doc_id for c in visible} <= {d.doc_id for d in docs}
answer = service.ask(sys.argv[2]) if docs else None
print(json.dumps({"docs": [d.name for d in docs], "whole": whole, "stored": service.store.count_chunks(),
                  "committed": sum(d.n_chunks for d in docs), "answer": answer.answer if answer else ""}))
"""


def _env(store: Path) -> dict[str, str]:
    return {**os.environ, "GOVQA_STORE": str(store), "CI": "1"}


def _check(store: Path) -> dict:
    """The store's state as a fresh process sees it."""
    result = subprocess.run([sys.executable, "-c", _CHECK, str(store), QUESTION], cwd=REPO, capture_output=True,
                            text=True, env=_env(store), timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize("delay_s", [0.3, 2.0, 5.0])
def test_a_killed_ingest_leaves_whole_reports_and_a_rerun_finishes(tmp_path, delay_s):
    store = tmp_path / "store"
    process = subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", str(REPORTS)], cwd=REPO, env=_env(store),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline()  # the first report is committed when its line appears
    assert first.startswith("已添加"), first
    time.sleep(delay_s)
    process.send_signal(signal.SIGKILL)
    process.wait()

    after_crash = _check(store)
    assert after_crash["whole"]
    assert "000_4d00116238fd789a.txt" in after_crash["docs"]
    assert "35种" in after_crash["answer"]

    rerun = subprocess.run([sys.executable, "-m", "ui.cli", "ingest", str(REPORTS)], cwd=REPO, capture_output=True,
                           text=True, env=_env(store), timeout=900)
    assert rerun.returncode == 0, rerun.stderr
    statuses = {line.split("\t")[1]: line.split("\t")[0] for line in rerun.stdout.splitlines()}
    assert all(statuses[name] == "未变化" for name in after_crash["docs"])
    assert all(statuses[p.name] == "已添加" for p in REPORTS.glob("*.txt") if p.name not in after_crash["docs"])

    finished = _check(store)
    assert finished["whole"] and len(finished["docs"]) == 5
    assert finished["stored"] == finished["committed"]  # the orphans of the crash were collected
    assert "35种" in finished["answer"]
