"""One writer at a time per store folder, and a generation number readers watch for changes.

Embedded Chroma keeps each process's own copy of the index in memory and writes it back; two
processes writing one store at once overwrite each other's work (issue 14: a second ingest's
clean-up deleted the first's uncommitted passages). So every write happens under an exclusive
`flock` on `write.lock` in the store folder, held by one process (the holder's pid is written
in it, for the message a waiting writer prints). The kernel drops the lock when its holder
dies, so a killed ingest never leaves the store locked.

`generation` in the same folder changes at every commit and removal; a long-running reader
(the app) compares it before each question and re-reads the store when another process wrote.

Example:
    >>> lock = WriterLock(Path("/tmp/govqa-store"), timeout_s=5)
    >>> with lock:
    ...     bump_generation(Path("/tmp/govqa-store")) != ""
    True
"""
from __future__ import annotations

import errno
import fcntl
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

LOCK_FILE = "write.lock"
GENERATION_FILE = "generation"
# How long a second writer waits for the first before refusing (GOVQA_LOCK_TIMEOUT overrides it).
DEFAULT_LOCK_TIMEOUT_S = 600.0
_POLL_S = 0.2


class StoreLockedError(RuntimeError):
    """The store stayed locked by another writer for longer than the wait allowed; message for the user."""


def _say_waiting(holder: int | None) -> None:
    who = f"pid {holder}" if holder else "pid 未知"
    print(f"另一个写入进程（{who}）正在写入资料库，等待…", file=sys.stderr, flush=True)


def _holder(fd: int) -> int | None:
    try:
        raw = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(raw) if raw.isdigit() else None
    except OSError:
        return None


class WriterLock:
    """The exclusive write lock of one store folder; re-entrant within a thread, exclusive across processes.

    `on_wait(pid)` is called once when another process holds the lock (by default a line on stderr);
    after `timeout_s` seconds of waiting, `StoreLockedError`.
    """

    def __init__(self, store_dir: Path, timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
                 on_wait: Callable[[int | None], None] = _say_waiting) -> None:
        self.path = store_dir / LOCK_FILE
        self.timeout_s = timeout_s
        self.on_wait = on_wait
        self._threads = threading.RLock()  # threads of one process take turns; flock only sees processes
        self._depth = 0
        self._fd: int | None = None

    @property
    def depth(self) -> int:
        """How many `acquire`s of this process are not yet released (0: the lock is not held here)."""
        return self._depth

    def acquire(self) -> None:
        """Take the lock, waiting up to `timeout_s` for another process to let go."""
        self._threads.acquire()
        if self._depth == 0:
            try:
                self._fd = self._take()
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1

    def release(self) -> None:
        """Let go of one `acquire`; the lock is free when the outermost one is released."""
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._threads.release()

    def __enter__(self) -> "WriterLock":
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.release()

    def _take(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout_s
        said = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise
            holder = _holder(fd)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreLockedError(f"资料库 {self.path.parent} 仍被另一个写入进程（pid {holder or '未知'}）占用，"
                                       f"已等待 {self.timeout_s:g} 秒；请等它结束后重试"
                                       "（等待上限可用 GOVQA_LOCK_TIMEOUT 设置）")
            if not said:
                self.on_wait(holder)
                said = True
            time.sleep(_POLL_S)
        try:  # the pid is only for the waiting writer's message: a full disk must not stop the write
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except OSError:
            pass
        return fd


def read_generation(store_dir: Path) -> str:
    """The store's current generation ("" before its first commit, or when unreadable)."""
    try:
        return (store_dir / GENERATION_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def writer_active(store_dir: Path) -> bool:
    """Whether a writer (of any process, this one included) holds the store's write lock now; True when it
    cannot be told (no lock file, or one this process may not open)."""
    try:
        fd = os.open(store_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # a shared lock is refused while a writer holds it
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def bump_generation(store_dir: Path) -> str:
    """Give the store a new generation (call under the write lock) and return it.

    Written beside and renamed into place, so a reader never sees half a value.
    """
    value = f"{time.time_ns()}-{os.getpid()}"
    tmp = store_dir / f".{GENERATION_FILE}.{os.getpid()}.tmp"
    tmp.write_text(value + "\n", encoding="ascii")
    os.replace(tmp, store_dir / GENERATION_FILE)
    return value
