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


def _addresses(found, text: str) -> list[str]:
    return [s for t, s in found(text) if t == "NO_ADDRESS"]


@pytest.mark.parametrize(
    "text, address",
    [
        # street-name endings beyond gate/vei, with and without a postnummer
        ("Send det til Tyttebærkroken 14B, 7072 Heimdal.", "Tyttebærkroken 14B, 7072 Heimdal"),
        ("Ny eier: Solbråten 7, 1386 Asker.", "Solbråten 7, 1386 Asker"),
        ("Visning i Furutoppen 3 på søndag.", "Furutoppen 3"),
        ("Lyngbrekka 22 C, 5221 Nesttun", "Lyngbrekka 22 C, 5221 Nesttun"),
        ("Hentes på Strandkaien 2 etter kl. 12.", "Strandkaien 2"),
        ("Skolevegen 31, 6856 Sogndal", "Skolevegen 31, 6856 Sogndal"),
        ("Kontoret flytter til Bakklandet 14.", "Bakklandet 14"),
        # street words apart, after genitives, names, titles and prefix words
        ("Olav Tryggvasons gate 40, 7011 Trondheim", "Olav Tryggvasons gate 40, 7011 Trondheim"),
        ("Adresse: Kronprinsesse Märthas plass 1", "Kronprinsesse Märthas plass 1"),
        ("Gamle Kongevei 12, 7043 Trondheim", "Gamle Kongevei 12, 7043 Trondheim"),
        ("Skadested: Biskop Gunnerus' gate 6", "Biskop Gunnerus' gate 6"),
        # any capitalised word: with a postnummer, or after an address cue
        ("Kunden bor i Markedet 4, 4790 Lillesand nå.", "Markedet 4, 4790 Lillesand"),
        ("Leveringsadresse: Vollen 12\nTlf: 22 22 22 22", "Vollen 12"),
        ("Nordre Ås 9, 1430 Ås", "Nordre Ås 9, 1430 Ås"),
        ("Kari Nordmann;22334455;Elvestad 3, 1540 Vestby;01.02.2026", "Elvestad 3, 1540 Vestby"),
        # lowercase chat after a cue
        ("kunde: bur i tiurvegen 8, 6856 sogndal no", "tiurvegen 8, 6856 sogndal"),
        ("kunde: ny adr er kløverstien 4", "kløverstien 4"),
        ("kunde: ny adresse er olav tryggvasons gate 9", "olav tryggvasons gate 9"),
        # a capitalised word before the street is not part of it
        ("Emne: Innflytting Furustien 9", "Furustien 9"),
        ("Subject: Visning Bjørkeveien 17", "Bjørkeveien 17"),
        ("Overtakelse Kong Oscars gate 3", "Kong Oscars gate 3"),
        # a date after the house number is no part of it
        ("Vi overtar Heggveien 7B 1. april.", "Heggveien 7B"),
    ],
)
def test_addresses_in_running_text(found, text: str, address: str) -> None:
    assert address in _addresses(found, text)


def test_lowercase_moves_give_both_addresses(found) -> None:
    text = "kunde: flytta frå eikeveien 3 til grensen 14 i går"
    assert _addresses(found, text) == ["eikeveien 3", "grensen 14"]


@pytest.mark.parametrize(
    "text",
    [
        "Plukkplass 32-11-05 i lageret",
        "Hentes i Sentralplassen 4-12-33, 98 kg.",
        "Kirkeveien er stengt i 3 uker",
        "Kari Solbakken 45 år fyller rundt",
        "Forsikringen 2025 er fornyet",
        "Parkeringsplassen 12 er ledig",
        "Postboks 412, 0103 Oslo",
        "Nummer 4, 2000 Lillestrøm",
        "Flyet DY 1604 fra Gardermoen 3 timer forsinket",
        "Versjon 4.2 er ute",
        "Han bor i Bergen 2 uker til",
        "saken er flyttet til kø 2",
        "storgata 5 er fin",
        "Rom 12, etasje 3",
        "Ring 22 33 44 55",
        "Beløp kr 12 345,67",
    ],
)
def test_address_look_alikes(found, text: str) -> None:
    assert _addresses(found, text) == []


def test_address_search_stays_linear_on_long_lines() -> None:
    import time

    from glemsel.detectors.no_address_recognizer import NoAddressRecognizer

    recognizer = NoAddressRecognizer()
    texts = [
        "Storgata 12 " * 4200,
        "a" * 50_000 + " 12",
        " 1" * 25_000,
        "adresse " * 6000 + "Grensen 5",
        "flyttet fra " + "x " * 25_000 + "til storgata 5",
    ]
    for text in texts:
        started = time.perf_counter()
        recognizer.analyze(text, ["NO_ADDRESS"])
        assert time.perf_counter() - started < 1.0


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


@pytest.mark.parametrize(
    "text, ip",
    [
        # words that end in "ver" or "v" are no version cue: only the whole word is
        ("Driver 172.16.4.9 svarer ikke", "172.16.4.9"),
        ("Trafikken gikk over 10.44.0.12 hele natten", "10.44.0.12"),
        ("Proxyserver 2001:db8:4::17 er nede", "2001:db8:4::17"),
        ("sever 203.0.113.77 kobler fra", "203.0.113.77"),
        ("Webserveren på 198.51.100.23 er treg", "198.51.100.23"),
    ],
)
def test_ip_after_words_ending_like_version(found, text: str, ip: str) -> None:
    assert ("IP_ADDRESS", ip) in found(text)


@pytest.mark.parametrize(
    "text",
    ["Kjører ver 10.4.2.1 nå", "Bygget med v. 3.1.4.1", "Release: 2.0.0.1", "Versjon 5.6.7.8"],
)
def test_version_words_still_suppress(found, text: str) -> None:
    assert [t for t, _ in found(text) if t == "IP_ADDRESS"] == []


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Electron/28.1.0.1 Node 18.18.2.0", []),
        ("SDK 1.2.3.4 loaded", []),
        ("Kunden bruker app 2.3.1.0 på mobilen", []),
        ("Kjører python 3.11.2.0 og kernel 6.1.0.17", []),
        ("ip=46.9.12.200 ver=5.1.0.2", ["46.9.12.200"]),
    ],
)
def test_a_runtime_or_version_word_right_before_makes_a_version(
    found, text: str, kept: list[str]
) -> None:
    assert [v for t, v in found(text) if t == "IP_ADDRESS"] == kept


@pytest.mark.parametrize(
    "text, ip",
    [
        ("INFO app=kundeportal version=3.14.2.7 client=84.212.33.10", "84.212.33.10"),
        ('{"appVersion": "4.1.0.3", "deviceIp": "10.0.0.23"}', "10.0.0.23"),
        ("build 7.1.0.2 remoteAddr: 81.166.24.3", "81.166.24.3"),
        ("X-Forwarded-For: 85.19.200.1", "85.19.200.1"),
    ],
)
def test_an_address_field_keeps_an_address_on_a_version_line(found, text: str, ip: str) -> None:
    assert ("IP_ADDRESS", ip) in found(text)


@pytest.mark.parametrize("plate", ["EL 12345", "AB12345", "DN 1234"])
def test_plates_with_context(found, plate: str) -> None:
    assert ("NO_LICENSE_PLATE", plate) in found(f"Bilen med regnr {plate} sto parkert")


def test_plate_shape_without_context(found) -> None:
    assert found("Produktkode AB12345 er utsolgt") == []


def _plates(found, text: str) -> list[str]:
    return [s for t, s in found(text) if t == "NO_LICENSE_PLATE"]


@pytest.mark.parametrize(
    "text, plate",
    [
        # vehicle words inside compounds, before or after the plate
        ("Firmabilen har fått ny frontrute, ZT 11834.", "ZT 11834"),
        ("Parkeringsboten for PR 40218 er betalt.", "PR 40218"),
        ("Bomringen sendte regning for EK 40117 i går.", "EK 40117"),
        ("Dekkhotell: KH 80312, fire vinterdekk.", "KH 80312"),
        ("Vraking av DR 74411 er bekreftet.", "DR 74411"),
        ("Kasko gjelder fra i dag for VF 30441.", "VF 30441"),
        ("Autopass-brikken til LB 12734 er sendt.", "LB 12734"),
        ("Leasingavtale for Volvo XC40, reg.nr. BS 44215.", "BS 44215"),
        ("Eierskifte på campingvogn NF 4412 er registrert.", "NF 4412"),
        ("Registreringsnummer: CF 90211\nÅrspremie: 4 300 kr", "CF 90211"),
        # weak words only right before the plate
        ("Skaden på HK 56120 er meldt til forsikringen.", "HK 56120"),
        ("Forsikringen dekker TA 51177 fra 1. mai.", "TA 51177"),
        ("Gebyret på SU 28113 var for høyt.", "SU 28113"),
        # chat: lowercase and misspelt, right after the cue
        ("kunde: bilnr ev 30112", "ev 30112"),
        ("kunde: reg nr sv 41208", "sv 41208"),
        ("kunde: regnummer er ka 44710", "ka 44710"),
        ("kunde: regnre zt51773", "zt51773"),
        ("kunde: bilne min er NB 60931", "NB 60931"),
    ],
)
def test_plates_in_vehicle_context(found, text: str, plate: str) -> None:
    assert _plates(found, text) == [plate]


@pytest.mark.parametrize(
    "text",
    [
        "Ordrenr ZT 12345 gjelder bilpleie",
        "Flyet SK 4035 landet, bilen står på P10",
        "Standard NS 3420 gjelder også for bilverksted",
        "Kontrakt etter NS 8405. Bilen leveres 1. mars.",
        "Tilbudet gjelder artikkel BT 55512",
        "Kampanjekode EV 20251 gir 10 % på alt",
        "Se skjermbildet, feilkode DE 40411",
        "Mobilnummer EL 12345 er sperret",
        "Billetten VT 12345 er betalt",
        "Sak AB 12345: bilen ble skadet",
        "Modell XC 6000 av bilen",
        "bilen er 2019 modell",
        "bilen kostet kr 23456",
        "gebyret på de 1500 kronene er betalt",
        "Beløpet er 2022/4997 i saken",
        "regn sv 90189",
        # the letters end the cue word: the number has no letters of its own
        "bilen har reg.nr 12345",
        "REG NR 23456 er feil",
        "skilt nr 34567 mangler",
    ],
)
def test_plate_look_alikes(found, text: str) -> None:
    assert _plates(found, text) == []


def test_plates_after_a_cue_ending_in_nr_keep_their_letters(found) -> None:
    assert _plates(found, "reg.nr EL 12345") == ["EL 12345"]
    assert _plates(found, "regnr de 51327") == ["de 51327"]


def test_plate_search_stays_linear_on_long_lines() -> None:
    import time

    from glemsel.detectors.no_license_plate_recognizer import NoLicensePlateRecognizer

    recognizer = NoLicensePlateRecognizer()
    texts = ["bilen AB 12345 " * 3300, ". " * 25_000 + "AB 12345", "regnr. " * 7000 + "ab 1234"]
    for text in texts:
        started = time.perf_counter()
        recognizer.analyze(text, ["NO_LICENSE_PLATE"])
        assert time.perf_counter() - started < 1.0


def test_standard_plate_form_counts_without_a_vehicle_word(found) -> None:
    assert _plates(found, "Hvem eier TK 48291? Den står i innkjørselen.") == ["TK 48291"]
    # only the standard form: unspaced or four digits still need a cue
    assert _plates(found, "Hvem eier TK48291 og TK 4829?") == []


def test_abbreviated_street_words(found) -> None:
    assert ("NO_ADDRESS", "Bjørkevn. 12C") in found("Leveres til Bjørkevn. 12C i morgen")
    assert ("NO_ADDRESS", "Kirkegt. 7, 7011 TRONDHEIM") in found("Adr: Kirkegt. 7, 7011 TRONDHEIM")
