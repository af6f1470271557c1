"""NO_ADDRESS, IP_ADDRESS, NO_LICENSE_PLATE."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "address",
    [
        "Storgata 12B, 0155 Oslo",
        "Kirkeveien 5",
        "Karl Johans gate 22, 0159 Oslo",
        "Bjørnstjerne Bjørnsons plass 1",
        "Sjøgata 3 A, 8006 Bodø",
    ],
)
def test_addresses(found, address: str) -> None:
    assert ("NO_ADDRESS", address) in found(f"Adresse: {address}.")


def test_not_addresses(found) -> None:
    assert [t for t, _ in found("Vi har 12 saker i gata i dag") if t == "NO_ADDRESS"] == []


@pytest.mark.parametrize(
    "ip", ["192.168.1.20", "10.0.0.1", "2001:db8::1", "fe80::1ff:fe23:4567:890a"]
)
def test_ip_addresses(found, ip: str) -> None:
    assert ("IP_ADDRESS", ip) in found(f"Innlogging fra {ip} i går")


@pytest.mark.parametrize(
    "text",
    [
        "Oppdatert til versjon 2.10.3.4",
        "Klokka 14:30:00",
        "Dato 24.11.2026",
        "Pris 1.234.567 kr",
        "v1.2.3.4 er ute",
    ],
)
def test_not_ip_addresses(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "IP_ADDRESS"] == []


@pytest.mark.parametrize("plate", ["EL 12345", "AB12345", "DN 1234"])
def test_plates_with_context(found, plate: str) -> None:
    assert ("NO_LICENSE_PLATE", plate) in found(f"Bilen med regnr {plate} sto parkert")


def test_plate_shape_without_context(found) -> None:
    assert found("Produktkode AB12345 er utsolgt") == []
