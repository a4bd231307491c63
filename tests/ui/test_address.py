"""Where `govqa serve` listens: port numbers, and whether host:port is free, checked before anything loads."""
from __future__ import annotations

import argparse
import socket

import pytest

from ui.address import ListenError, check_can_listen, port_number


@pytest.mark.parametrize("text", ["1", "7860", "65535"])
def test_ports_from_1_to_65535_are_taken(text: str) -> None:
    assert port_number(text) == int(text)


@pytest.mark.parametrize("text", ["0", "-1", "65536", "99999", "", "abc", "7860.0"])
def test_other_ports_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="端口应为 1 到 65535"):
        port_number(text)


def test_a_listening_port_is_named_and_free_again_once_closed() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ListenError, match=f"端口 {port} 已被占用"):
            check_can_listen("127.0.0.1", port)
    check_can_listen("127.0.0.1", port)


def test_an_address_of_another_machine_is_refused() -> None:
    with pytest.raises(ListenError, match="本机没有地址"):
        check_can_listen("192.0.2.1", 7860)  # TEST-NET-1: never a local address
