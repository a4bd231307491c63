"""Where the app listens: loopback by default; any other address only with a login from GOVQA_AUTH."""
from __future__ import annotations

import subprocess

import pytest

from rag.settings import SettingsError
from tests.ui.harness import REPO, free_port, govqa_command, server_env
from ui.app import is_loopback, login_for


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
