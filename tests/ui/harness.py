"""Running a real `govqa serve` for tests, and recording what a browser page asks for."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
REPORTS = REPO / "data" / "reports"
SERVER_START_TIMEOUT_S = 180
# Straight to the local server, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def govqa_command() -> list[str]:
    """The `govqa` console script of this interpreter's environment (the module if not installed)."""
    script = Path(sys.executable).with_name("govqa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui.cli"]


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(**extra: str) -> dict[str, str]:
    """The environment for a test server: no login unless given, quiet BLAS threads, and no proxies

    (Gradio checks its own local URL with httpx at launch, which would send that to a proxy).
    """
    env = {k: v for k, v in os.environ.items() if k != "GOVQA_AUTH" and not k.lower().endswith("_proxy")}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.update(extra)
    return env


@dataclass
class Server:
    """A running `govqa serve` and where its output goes."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


def start_server(store: Path, log: Path, host: str = "127.0.0.1", env: dict[str, str] | None = None) -> Server:
    """Start `govqa serve` on a free port and wait until it answers HTTP (any status)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([*govqa_command(), "serve", "--store", str(store), "--host", host,
                                    "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                   env=env or server_env(), cwd=REPO)
    server = Server(url=f"http://127.0.0.1:{port}/", process=process, log=log)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"govqa serve exited with {process.returncode}:\n{server.output()}")
        try:
            _DIRECT.open(server.url, timeout=2).close()
            return server
        except urllib.error.HTTPError:
            return server  # answering, e.g. 401 before login
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"govqa serve did not answer within {SERVER_START_TIMEOUT_S} s:\n{server.output()}")


def stop_server(server: Server) -> None:
    """Stop the server process this test session started."""
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@dataclass
class Traffic:
    """What a page asked for and any dialog it tried to open."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        """Requests that went anywhere but 127.0.0.1 (data:, blob: and about: URLs never leave the page)."""
        return [u for u in self.requests
                if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).hostname != "127.0.0.1"]
