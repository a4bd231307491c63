"""Where `govqa serve` listens: the port given, whether the host is this machine only, whether it is free.

Checked before the app loads anything heavy, so a port in use or out of range is one line at once.

Example:
    >>> port_number("7860")
    7860
    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
"""
from __future__ import annotations

import argparse
import errno
import ipaddress
import socket

HIGHEST_PORT = 65535


class ListenError(Exception):
    """The server cannot listen where it was asked to; the message is one line of Chinese."""


def port_number(text: str) -> int:
    """A TCP port from the command line (an argparse `type`): a whole number from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(f"端口应为 1 到 {HIGHEST_PORT} 之间的整数，而不是 {text!r}")
    return port


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_can_listen(host: str, port: int) -> None:
    """Raise ListenError unless a server could listen on host:port right now.

    Binds a socket the way the web server will (SO_REUSEADDR, so a port left in TIME_WAIT by a
    previous run counts as free) and closes it again.
    """
    try:
        addresses = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        raise ListenError(f"无法识别要监听的地址 {host}：请给出本机的 IP 地址或主机名（--host）") from err
    family, kind, proto, _, address = addresses[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            raise ListenError(_bind_failure(host, port, err)) from err


def _bind_failure(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return f"端口 {port} 已被占用（{host}）：请用 --port 换一个端口，或先停止占用它的程序"
    if err.errno == errno.EACCES:
        return f"没有权限监听端口 {port}：1024 以下的端口需要管理员权限，请用 --port 换一个更大的端口"
    if err.errno == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}：请用 --host 给出本机的地址（默认 127.0.0.1）"
    return f"无法监听 {host}:{port}（{err.strerror or err}）"
