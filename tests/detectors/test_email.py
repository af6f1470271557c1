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


@pytest.mark.parametrize(
    ("text", "addr"),
    [
        ("login ok user=ola.nordmann@firma.no ip=10.0.0.1", "ola.nordmann@firma.no"),
        ("status=sent to=kari@firma.no", "kari@firma.no"),
        ("GET /x?ref=abc&email=per@gmail.com&y=1 200", "per@gmail.com"),
        ("https://app.no/invite?to=ida.berg@gmail.com", "ida.berg@gmail.com"),
    ],
)
def test_a_key_before_the_address_is_not_part_of_it(found, text: str, addr: str) -> None:
    assert [v for t, v in found(text) if t == "EMAIL_ADDRESS"] == [addr]


@pytest.mark.parametrize(
    "addr", ["bounces+kari=firma.no@mailer.com", "SRS0=HHH=TT=firma.no=kari@fwd.no"]
)
def test_forwarding_addresses_with_equals_signs_stay_whole(found, addr: str) -> None:
    assert [v for t, v in found(f"Return-Path: {addr}") if t == "EMAIL_ADDRESS"] == [addr]


@pytest.mark.parametrize(
    ("text", "addr"),
    [
        ('"GET /min-side?kunde=ola.nordmann%40gmail.com HTTP/1.1" 200', "ola.nordmann%40gmail.com"),
        ("https://x.no/unsubscribe?e=kari.berg%40firma.no&t=1", "kari.berg%40firma.no"),
    ],
)
def test_url_encoded_addresses(found, text: str, addr: str) -> None:
    assert [v for t, v in found(text) if t == "EMAIL_ADDRESS"] == [addr]


def test_a_url_encoded_address_is_the_same_identifier(found) -> None:
    from glemsel.pipeline.core.identifiers import mask, normalise

    assert normalise("EMAIL_ADDRESS", "Kari.Berg%40Firma.no") == "kari.berg@firma.no"
    assert mask("EMAIL_ADDRESS", "kari.berg%40firma.no") == "k***@f***.no"
    assert [t for t, _ in found("rabatt 40%40 stk")] == []
