"""IP addresses on lines that also name a version: a network word right before a dotted
quad makes it an address, the version rule still holds for the versions."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "ips"),
    [
        ("Installed version 2.4.10.3 of the agent on host 10.20.30.40", ["10.20.30.40"]),
        ("build 4.0.30319.42000 deployed to server 10.0.0.5", ["10.0.0.5"]),
        ("Version 5.1.0.2 released, dns: 8.8.8.8", ["8.8.8.8"]),
        ("sdk=3.2.1.0 src=192.168.1.20", ["192.168.1.20"]),
        ("firmware 1.0.2.7 flashed; gateway=192.168.0.1", ["192.168.0.1"]),
        ("client upgraded from 4.1.0.7 to 5.0.0.1", []),
        ("server version 1.2.3.4 is out", []),
    ],
)
def test_network_word_before_a_dotted_quad(found, text: str, ips: list[str]) -> None:
    assert [v for t, v in found(text) if t == "IP_ADDRESS"] == ips
