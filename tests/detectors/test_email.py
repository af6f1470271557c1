from __future__ import annotations

import socket

import pytest
from glemsel.detectors.no_email_recognizer import NoEmailRecognizer


@pytest.mark.parametrize(
    "addr", ["kari.nordmann@example.no", "ola+test@firma.co.uk", "Per.Olsen@Kommune.NO"]
)
def test_addresses(found, addr: str) -> None:
    assert ("EMAIL_ADDRESS", addr) in found(f"Send til {addr}, takk")


@pytest.mark.parametrize("text", ["bruker@localhost", "a@b.invalidtld", "se punkt 3.2@side"])
def test_not_addresses(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "EMAIL_ADDRESS"] == []


def test_validation_never_touches_the_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert NoEmailRecognizer().validate_result("kari@example.no")
