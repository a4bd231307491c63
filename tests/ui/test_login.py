"""The login of a served app: GOVQA_AUTH's account, and wrong logins locked out for longer and longer."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.ui.harness import server_env, start_server, stop_server
from ui.login import FIRST_LOCKOUT_S, FREE_FAILURES, FailedLogins

_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_the_free_failures_cost_nothing_then_each_failure_doubles_the_lockout() -> None:
    attempts = FailedLogins(free_failures=3, first_lockout_s=1.0, max_lockout_s=10.0)
    assert [attempts.failed("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 1.0]
    assert attempts.locked_for("a", now=0.5) == 0.5 and attempts.locked_for("a", now=1.0) == 0.0
    assert [attempts.failed("a", now=1.0) for _ in range(4)] == [2.0, 4.0, 8.0, 10.0], "capped"


def test_clients_are_counted_apart_and_a_right_login_starts_afresh() -> None:
    attempts = FailedLogins(free_failures=1, first_lockout_s=5.0)
    attempts.failed("a", now=0.0)
    assert attempts.locked_for("a", now=1.0) == 4.0 and attempts.locked_for("b", now=1.0) == 0.0
    attempts.succeeded("a")
    assert attempts.locked_for("a", now=1.0) == 0.0


def _login(url: str, user: str, password: str) -> tuple[int, dict[str, str]]:
    data = urllib.parse.urlencode({"username": user, "password": password}).encode()
    try:
        with _DIRECT.open(urllib.request.Request(url + "login", data=data), timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers)


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `govqa serve` with a login, over an empty store (logging in needs no reports)."""
    folder = tmp_path_factory.mktemp("login")
    store = folder / "store"
    store.mkdir()
    server = start_server(store, folder / "serve.log", env=server_env(GOVQA_AUTH="admin:s3cret"))
    yield server
    stop_server(server)


@pytest.mark.slow
def test_wrong_logins_are_locked_out_and_the_right_one_works_after_the_wait(guarded_server) -> None:
    url = guarded_server.url
    assert _login(url, "admin", "s3cret")[0] == 200
    statuses = [_login(url, "admin", f"guess{i}")[0] for i in range(FREE_FAILURES)]
    assert statuses == [400] * FREE_FAILURES, "wrong passwords are checked and refused"
    status, headers = _login(url, "admin", "s3cret")
    assert status == 429 and int(headers["retry-after"]) >= 1, "while locked out even the right password waits"
    time.sleep(FIRST_LOCKOUT_S + 0.2)
    assert _login(url, "admin", "s3cret")[0] == 200, "after the wait the right login works and clears the count"
    assert _login(url, "admin", "wrong")[0] == 400
    assert _login(url, "admin", "s3cret")[0] == 200


@pytest.mark.slow
def test_two_hundred_wrong_logins_at_once_get_only_a_few_passwords_checked(guarded_server) -> None:
    url = guarded_server.url
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda i: _login(url, "admin", f"guess{i}")[0], range(200)))
    elapsed = time.monotonic() - started
    checked = statuses.count(400)
    # Without the lockout all 200 are checked. With it: the free failures, then one more per
    # lockout that ran out while the burst lasted (1 s, 2 s, 4 s… each twice the last).
    assert statuses.count(429) + checked == 200
    assert checked <= FREE_FAILURES + 1 + int(elapsed).bit_length(), (checked, elapsed)
    time.sleep(FIRST_LOCKOUT_S * 2 ** (checked - FREE_FAILURES) + 0.2)
    assert _login(url, "admin", "s3cret")[0] == 200
