"""The store's write lock across real processes: a second writer waits, says so, and gives up after the timeout."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from vectorstore.store_lock import StoreLockedError, WriterLock, bump_generation, read_generation

REPO = Path(__file__).resolve().parents[2]

_HOLDER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from vectorstore.store_lock import WriterLock
with WriterLock(Path(sys.argv[2])):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def _hold(folder: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(REPO), str(folder), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_writer_waits_for_the_first_and_names_its_pid(tmp_path: Path) -> None:
    holder = _hold(tmp_path, 1.5)
    waited_for: list[int | None] = []
    started = time.monotonic()
    with WriterLock(tmp_path, timeout_s=30, on_wait=waited_for.append):
        waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert waited_for == [holder.pid]
    assert waited >= 0.5  # it did wait for the holder to let go


def test_a_writer_gives_up_after_the_timeout_with_one_line(tmp_path: Path) -> None:
    holder = _hold(tmp_path, 10)
    try:
        with pytest.raises(StoreLockedError) as caught:
            WriterLock(tmp_path, timeout_s=0.5, on_wait=lambda pid: None).acquire()
        assert f"pid {holder.pid}" in str(caught.value) and "GOVQA_LOCK_TIMEOUT" in str(caught.value)
        assert "\n" not in str(caught.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holder_frees_the_lock(tmp_path: Path) -> None:
    holder = _hold(tmp_path, 60)
    holder.kill()
    holder.wait()
    with WriterLock(tmp_path, timeout_s=5, on_wait=lambda pid: pytest.fail("waited for a dead writer")):
        pass


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    lock = WriterLock(tmp_path, timeout_s=1)
    with lock, lock:
        assert lock.depth == 2
    assert lock.depth == 0


def test_each_bump_gives_a_new_generation(tmp_path: Path) -> None:
    assert read_generation(tmp_path) == ""
    first = bump_generation(tmp_path)
    assert read_generation(tmp_path) == first != bump_generation(tmp_path)
