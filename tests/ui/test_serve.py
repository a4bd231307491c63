"""Where the app listens: loopback by default; any other address only with a login from GOVQA_AUTH."""
from __future__ import annotations

import socket
import subprocess

import pytest

from rag.settings import SettingsError
from tests.ui.harness import REPO, free_port, govqa_command, server_env
from ui.address import is_loopback
from ui.login import login_for


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_hosts_need_no_login(host: str) -> None:
    assert is_loopback(host)
    assert login_for(host, env={}) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_other_hosts_refuse_without_login(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(SettingsError, match="GOVQA_AUTH"):
        login_for(host, env={})


def test_login_comes_from_govqa_auth() -> None:
    assert login_for("0.0.0.0", env={"GOVQA_AUTH": "admin:pa:ss"}) == ("admin", "pa:ss")
    assert login_for("127.0.0.1", env={"GOVQA_AUTH": "admin:x"}) == ("admin", "x"), "a set login always applies"
    for bad in ("admin", "admin:", ":secret"):
        with pytest.raises(SettingsError, match="用户名:密码"):
            login_for("0.0.0.0", env={"GOVQA_AUTH": bad})


def test_serve_on_all_interfaces_without_login_exits_nonzero(tmp_path) -> None:
    done = subprocess.run([*govqa_command(), "serve", "--host", "0.0.0.0", "--port", str(free_port()),
                           "--store", str(tmp_path / "store")],
                          capture_output=True, text=True, env=server_env(), cwd=REPO, timeout=120)
    assert done.returncode != 0
    assert "拒绝启动" in done.stderr and "GOVQA_AUTH" in done.stderr
    assert "Running on" not in done.stdout


def _serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*govqa_command(), "serve", *args], capture_output=True, text=True,
                          env=env or server_env(), cwd=REPO, timeout=120)


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "abc", "80.5"])
def test_a_port_out_of_range_is_refused_in_one_line(tmp_path, port: str) -> None:
    done = _serve("--port", port, "--store", str(tmp_path / "store"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "端口应为 1 到 65535 之间的整数" in done.stderr
    assert "Traceback" not in done.stderr and "Running on" not in done.stdout


def test_a_port_in_use_is_refused_in_one_line_before_anything_loads(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve("--port", str(port), "--store", str(tmp_path / "store"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"端口 {port} 已被占用" in done.stderr
    assert "Traceback" not in done.stderr and "Running on" not in done.stdout
    assert not (tmp_path / "store").exists(), "refused before the store was opened"


def test_a_host_that_is_not_this_machines_is_refused_in_one_line() -> None:
    done = _serve("--host", "no-such-host.invalid", "--port", str(free_port()),
                  env=server_env(GOVQA_AUTH="admin:s3cret"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "无法识别要监听的地址" in done.stderr
