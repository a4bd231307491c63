"""Who may use the app: the login GOVQA_AUTH sets, and slowing down whoever keeps getting it wrong.

A non-loopback `govqa serve` needs a login. After `FREE_FAILURES` wrong logins in a row a client
(by its IP address) is locked out, first for `FIRST_LOCKOUT_S`, then twice as long after each
further failure, up to `MAX_LOCKOUT_S`; while locked out its login attempts are answered
429 (with Retry-After) without the password being checked. A right login clears the count.
Attempts of one client are judged one at a time, so firing many at once gains nothing.

Example:
    >>> attempts = FailedLogins(free_failures=2, first_lockout_s=1.0, max_lockout_s=8.0)
    >>> attempts.failed("10.0.0.9", now=0.0), attempts.failed("10.0.0.9", now=0.1)
    (0.0, 1.0)
    >>> attempts.locked_for("10.0.0.9", now=0.5)
    0.6
"""
from __future__ import annotations

import asyncio
import json
import math
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from rag.settings import SettingsError
from ui.address import is_loopback

AUTH_ENV = "GOVQA_AUTH"
# Wrong logins allowed before the first lockout: enough for a few typos.
FREE_FAILURES = 5
FIRST_LOCKOUT_S = 1.0
# A quarter of an hour: guessing stays hopeless, and the right user is never shut out for long.
MAX_LOCKOUT_S = 900.0
# Clients remembered before the ones whose lockout has long passed are forgotten.
_PRUNE_ABOVE = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def login_for(host: str, env: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The login GOVQA_AUTH asks for; required (SettingsError without it) on a non-loopback host."""
    raw = (os.environ if env is None else env).get(AUTH_ENV, "").strip()
    if raw:
        user, sep, password = raw.partition(":")
        if not (sep and user.strip() and password):
            raise SettingsError(f"{AUTH_ENV} 的格式应为“用户名:密码”，用户名和密码都不能为空")
        return user.strip(), password
    if not is_loopback(host):
        raise SettingsError(f"拒绝启动：在 {host} 上对外提供服务必须设置登录，请设置环境变量 "
                            f"{AUTH_ENV}=用户名:密码；只在本机使用时请去掉 --host（默认 127.0.0.1）")
    return None


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0


class FailedLogins:
    """Wrong logins per client, and how long each client is locked out (times in seconds, any clock)."""

    def __init__(self, free_failures: int = FREE_FAILURES, first_lockout_s: float = FIRST_LOCKOUT_S,
                 max_lockout_s: float = MAX_LOCKOUT_S) -> None:
        self.free_failures = free_failures
        self.first_lockout_s = first_lockout_s
        self.max_lockout_s = max_lockout_s
        self._clients: dict[str, _Failures] = {}

    def locked_for(self, client: str, now: float) -> float:
        """Seconds `client` must still wait before its next login is checked (0: not locked out)."""
        record = self._clients.get(client)
        return round(max(0.0, record.locked_until - now), 6) if record else 0.0

    def failed(self, client: str, now: float) -> float:
        """Count a wrong login; the lockout it earns, in seconds (0 while within the free failures)."""
        if len(self._clients) > _PRUNE_ABOVE:
            self._forget_old(now)
        record = self._clients.setdefault(client, _Failures())
        record.count += 1
        beyond = record.count - self.free_failures
        lockout = 0.0 if beyond < 0 else min(self.first_lockout_s * 2 ** min(beyond, 62), self.max_lockout_s)
        record.locked_until = now + lockout
        return lockout

    def succeeded(self, client: str) -> None:
        """A right login: the client starts afresh."""
        self._clients.pop(client, None)

    def _forget_old(self, now: float) -> None:
        for client in [c for c, r in self._clients.items() if now - r.locked_until > self.max_lockout_s]:
            del self._clients[client]


class LoginThrottle:
    """ASGI middleware in front of the app's POST /login: wrong logins per client earn growing lockouts."""

    def __init__(self, app: ASGIApp, attempts: FailedLogins | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.attempts = attempts or FailedLogins()
        self.clock = clock
        self._turns: dict[str, asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (scope["type"] == "http" and scope.get("method") == "POST"
                and scope.get("path", "").rstrip("/").endswith("/login")):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown",))[0]
        if len(self._turns) > _PRUNE_ABOVE:
            self._turns = {c: lock for c, lock in self._turns.items() if lock.locked()}
        async with self._turns.setdefault(client, asyncio.Lock()):  # one judged attempt at a time per client
            wait = self.attempts.locked_for(client, self.clock())
            if wait > 0:
                await _too_many(send, wait)
                return
            status = 0

            async def watched(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            await self.app(scope, receive, watched)
            if 200 <= status < 300:
                self.attempts.succeeded(client)
            elif status in (400, 401, 403):
                self.attempts.failed(client, self.clock())


async def _too_many(send: Send, wait: float) -> None:
    seconds = math.ceil(wait)
    body = json.dumps({"detail": f"登录失败次数过多，请 {seconds} 秒后再试"}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"retry-after", str(seconds).encode()), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
